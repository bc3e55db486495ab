"""One settings module, read from environment variables.

Defaults are safe for production (DEBUG off, secure cookies, HSTS); `make run`
sets DEBUG=1 and a development secret explicitly.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("CATALYSE_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = env_bool("DEBUG")
TESTING = env_bool("CATALYSE_TESTING")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()]
CSRF_FAILURE_VIEW = "catalyse.core.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "catalyse.accounts.apps.CatalyseAdminConfig",  # django.contrib.admin, signed in through the site's sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks.backends.database",
    "catalyse.core",
    "catalyse.accounts",
    "catalyse.territories",
    "catalyse.actors",
    "catalyse.initiatives",
    "catalyse.evaluation",
    "catalyse.observatory",
    "catalyse.resources",
    "catalyse.events",
    "catalyse.workshops",
    "catalyse.search",
]

AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "catalyse.core.middleware.ContentSecurityPolicyMiddleware",
    "catalyse.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "catalyse.urls"
WSGI_APPLICATION = "catalyse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    }
]

# SQLite under the data directory is the embedded default; DATABASE_URL selects PostgreSQL.
SQLITE_PATH = DATA_DIR / "catalyse.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # Connections persist as on PostgreSQL (conn_max_age above): opening one and running its PRAGMAs cost ~5 ms
    # of CPU, more than answering a workshop board's poll.
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; busy timeout avoids "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")} if env_bool("CATALYSE_TEST_FILE_DB") else {}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 first: new and upgraded hashes use it; the others only verify legacy hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
# Audit entries older than this are removed by `catalyse audit_purge` (0 keeps everything).
CATALYSE_AUDIT_RETENTION_DAYS = int(os.environ.get("CATALYSE_AUDIT_RETENTION_DAYS", "365"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded files are sent by catalyse.core.files after a permission check; in production the web server can
# send the bytes: "x-accel-redirect" (nginx, internal location at CATALYSE_MEDIA_ACCEL_PREFIX) or "x-sendfile".
CATALYSE_MEDIA_ACCEL = os.environ.get("CATALYSE_MEDIA_ACCEL", "")
CATALYSE_MEDIA_ACCEL_PREFIX = os.environ.get("CATALYSE_MEDIA_ACCEL_PREFIX", "/_media/")
if CATALYSE_MEDIA_ACCEL not in ("", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured("CATALYSE_MEDIA_ACCEL: \"\", \"x-accel-redirect\" or \"x-sendfile\".")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}

TASKS = {
    "default": {
        # Tests and `make run` execute tasks inline; production sets CATALYSE_TASKS_BACKEND=database and runs
        # `catalyse db_worker`.
        "BACKEND": os.environ.get("CATALYSE_TASKS_BACKEND_PATH")
        or (
            "django_tasks.backends.database.DatabaseBackend"
            if os.environ.get("CATALYSE_TASKS_BACKEND") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Catalyse <ne-pas-repondre@catalyse.localhost>")
# The site's address as people reach it: e-mails sent outside a request (promotions, digests) link to it.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# Security: secure by default, relaxed only for local development over plain HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG or TESTING else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Map tiles are optional: the map works without internet (choropleth and clusters on a plain background).
# The directory and the map read the search index when its engine can browse (Tantivy); off: SQL.
CATALYSE_BROWSE_FROM_INDEX = env_bool("CATALYSE_BROWSE_FROM_INDEX", True)
# The Tantivy index's directory; default $CATALYSE_DATA_DIR/search-index (see search/backends/tantivy_backend.py).
CATALYSE_SEARCH_INDEX_DIR = os.environ.get("CATALYSE_SEARCH_INDEX_DIR") or None
# PostgreSQL search engine: above this many matches, totals and facet counts are estimated from a uniform
# sample of this fraction of the documents, and the first page is ranked from bounded candidates
# (docs/search.md, "Large result sets"). Tantivy always counts exactly.
CATALYSE_SEARCH_EXACT_LIMIT = int(os.environ.get("CATALYSE_SEARCH_EXACT_LIMIT", "5000"))
CATALYSE_SEARCH_SAMPLE_FRACTION = float(os.environ.get("CATALYSE_SEARCH_SAMPLE_FRACTION", str(1 / 64)))
MAP_TILE_URL = os.environ.get("CATALYSE_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("CATALYSE_MAP_TILE_ATTRIBUTION", "")
# IATI export (evaluation/iati.py): the publishing organisation's registered identifier, its OrganisationType
# code (22: national NGO) and name; activity identifiers are the prefix followed by the initiative's slug.
CATALYSE_IATI_REPORTING_ORG_REF = os.environ.get("CATALYSE_IATI_REPORTING_ORG_REF", "CATALYSE")
CATALYSE_IATI_REPORTING_ORG_TYPE = os.environ.get("CATALYSE_IATI_REPORTING_ORG_TYPE", "22")
CATALYSE_IATI_REPORTING_ORG_NAME = os.environ.get("CATALYSE_IATI_REPORTING_ORG_NAME", "Réseau Catalyse")
CATALYSE_IATI_IDENTIFIER_PREFIX = os.environ.get(
    "CATALYSE_IATI_IDENTIFIER_PREFIX", f"{CATALYSE_IATI_REPORTING_ORG_REF}-")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
