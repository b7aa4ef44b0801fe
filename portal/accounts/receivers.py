"""The audit log hears logins, failures and lockouts; closed institutions lose their accounts."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal.institutions.signals import institution_closed

from .audit import record
from .backends import normalise_login
from .models import Action, User


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(Action.LOGIN, actor=user, target=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Action.LOGOUT, actor=user, target=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    login = normalise_login(credentials.get("username"))
    target = User.objects.filter(username=login).first()
    record(Action.LOGIN_FAILED, target=target, actor_login=login, request=request)


@receiver(user_locked_out)
def on_lockout(sender, request, username, ip_address, **kwargs):
    login = normalise_login(username)
    target = User.objects.filter(username=login).first()
    record(Action.LOCKOUT, target=target, actor_login=login, request=request, details={"ip": ip_address})


@receiver(institution_closed)
def on_institution_closed(sender, institution, **kwargs):
    from .services import deactivate_accounts_of

    deactivate_accounts_of(institution)
