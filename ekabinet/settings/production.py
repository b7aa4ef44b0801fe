"""Production: behind a TLS-terminating proxy, several ASGI workers, PostgreSQL and Redis.

Passes `manage.py check --deploy --fail-level WARNING` (CI checks it).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASE_URL, DEV_SECRET_KEY, REDIS_URL, SECRET_KEY
from .env import env_bool, env_int, env_str

DEBUG = False
if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a random value of 50+ characters")
# Several workers share sessions, lockouts and the channel layer: SQLite and process memory won't do.
if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production")
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must be set in production (cache and channel layer)")
if not env_str("EKABINET_SITE_URL"):
    raise ImproperlyConfigured("EKABINET_SITE_URL must be set in production (links in e-mails and the API)")

# Behind the TLS proxy every request comes from the proxy: lockouts and the audit log must see
# the client's address from X-Forwarded-For (AXES_PROXY_COUNT proxies in front; 1 by default).
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1, minimum=1)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The health endpoint is probed over plain HTTP by the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
