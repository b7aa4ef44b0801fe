"""The one ASGI application: Django for HTTP, Channels for WebSocket."""

import os

from django.core.asgi import get_asgi_application

# An ASGI server is production: its settings refuse to start without a secret key, PostgreSQL
# and Redis. Development runs through manage.py (runserver), which defaults to the base settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ekabinet.settings.production")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from portal.notifications.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
