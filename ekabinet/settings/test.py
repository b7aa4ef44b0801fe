"""Tests: the same settings with a fast password hasher; services come from the environment."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "portal.accounts.hashers.OneTimePasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
# Locked-out tests must not depend on an earlier test's failed logins.
AXES_FAILURE_LIMIT = 5
