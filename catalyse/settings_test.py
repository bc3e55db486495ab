"""Settings for the test suite: the normal settings with fast hashing and Playwright-friendly async."""

import os

os.environ.setdefault("CATALYSE_TESTING", "1")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls in the test itself are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from catalyse.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# A test-only app that plugs itself into moderation, the GDPR export, load_demo and generate from its ready().
INSTALLED_APPS = [*INSTALLED_APPS, "catalyse.core.tests.pluggable"]  # noqa: F405
