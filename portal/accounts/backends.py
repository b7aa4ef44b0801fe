"""Authentication: logins are case-insensitive, and the session's user comes with its
institution in the same query (every page needs it for the scope rule and the menu)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def normalise_login(value) -> str:
    return (value or "").strip().lower()


class AccountBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        return super().authenticate(request, username=normalise_login(username), password=password, **kwargs)

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("institution").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def axes_username(request, credentials=None) -> str:
    """Axes counts failures per login as typed; normalise it so «ZO-1» and «zo-1» are one."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normalise_login(credentials.get(field))
    data = getattr(request, "data", None) or request.POST
    return normalise_login(data.get(field))
