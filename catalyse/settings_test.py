"""Settings for the test suite: the normal settings with fast hashing and Playwright-friendly async."""

import os

os.environ.setdefault("CATALYSE_TESTING", "1")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls in the test itself are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Parallel test processes (pytest-xdist, `make test`) each get a data directory of their own: search index, media,
# version stamps and SQLite files never cross. Their databases are apart already (pytest-django adds the suffix).
# A process a test starts (a second server, another worker) inherits both variables and the worker's directory.
if (worker := os.environ.get("PYTEST_XDIST_WORKER")) and not os.environ.get("CATALYSE_DATA_DIR", "").endswith(worker):
    os.environ["CATALYSE_DATA_DIR"] = os.path.join(os.environ.get("CATALYSE_DATA_DIR", "var"), worker)

from catalyse.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# A test-only app that plugs itself into moderation, the GDPR export, load_demo and generate from its ready().
INSTALLED_APPS = [*INSTALLED_APPS, "catalyse.core.tests.pluggable"]  # noqa: F405
