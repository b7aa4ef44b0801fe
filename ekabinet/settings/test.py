"""Tests: the same settings with a fast password hasher; services come from the environment."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "portal.accounts.hashers.OneTimePasswordHasher",
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
# Locked-out tests must not depend on an earlier test's failed logins.
AXES_FAILURE_LIMIT = 5

# Uploaded and generated files of a test run go to a scratch folder, never into var/.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "ekabinet-test-media"
