"""Personal accounts of institutions, their positions and roles, and the audit log."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.institutions.models import Kind
from portal.institutions.scope import ScopedQuerySet


class Position(models.TextChoices):
    DIRECTOR = "director", _("Director")
    DEPUTY = "deputy", _("Deputy director")
    DISTRICT_HEAD = "district_head", _("Head of the district office")
    DISTRICT_STAFF = "district_staff", _("District office official")
    CITY_STAFF = "city_staff", _("Department official")
    CITY_EDITOR = "city_editor", _("Department editor")
    CITY_APPROVER = "city_approver", _("Department approver")
    DISTRICT_EDITOR = "district_editor", _("District office editor")


# The positions an institution of each kind can have; the first is its head's, which
# provisioning creates.
POSITIONS_BY_KIND = {
    Kind.SCHOOL: [Position.DIRECTOR, Position.DEPUTY],
    Kind.DISTRICT: [Position.DISTRICT_HEAD, Position.DISTRICT_STAFF, Position.DISTRICT_EDITOR],
    Kind.CITY: [Position.CITY_STAFF, Position.CITY_EDITOR, Position.CITY_APPROVER],
}

# Each position is a Django group (created by a data migration); groups carry permissions.
GROUP_NAMES = {
    Position.DIRECTOR: "Директори закладів",
    Position.DEPUTY: "Заступники директорів",
    Position.DISTRICT_HEAD: "Керівники РУО",
    Position.DISTRICT_STAFF: "Працівники РУО",
    Position.CITY_STAFF: "Працівники ДОН",
    Position.CITY_EDITOR: "Редактори ДОН",
    Position.CITY_APPROVER: "Затверджувачі ДОН",
    Position.DISTRICT_EDITOR: "Редактори РУО",
}


class AccountQuerySet(ScopedQuerySet):
    scope_field = "institution"

    def activated(self):
        return self.filter(activated_q())


def activated_q(prefix: str = "") -> models.Q:
    """An account in use: active, logged in, and its one-time password replaced.

    `prefix` is the path to the account ("accounts__" from an institution)."""
    return models.Q(
        **{f"{prefix}is_active": True, f"{prefix}last_login__isnull": False, f"{prefix}must_change_password": False}
    )


class AccountManager(UserManager.from_queryset(AccountQuerySet)):
    def get_by_natural_key(self, username):
        # Logins are stored lower-case; people type them in any case.
        return self.get(username=(username or "").strip().lower())


class User(AbstractUser):
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    position = models.CharField(_("position"), max_length=32, choices=Position.choices, blank=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for a one-time password: the next login asks for a new one."),
    )
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)

    objects = AccountManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["username"]
        permissions = [
            ("manage_accounts", _("Can create, reset and deactivate accounts in their scope")),
        ]

    def __str__(self):
        return self.username

    @property
    def role(self) -> str:
        """city, district or school: which dashboard and menu this account gets."""
        if self.institution_id is None:
            return Kind.CITY if self.is_superuser else ""
        return self.institution.kind

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_position_display() or self.username

    @property
    def is_activated(self) -> bool:
        """The person has logged in and replaced the one-time password."""
        return self.last_login is not None and not self.must_change_password


class Action(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKOUT = "lockout", _("Locked out")
    LOGOUT = "logout", _("Logged out")
    PASSWORD_CHANGED = "password_changed", _("Changed own password")
    PASSWORD_RESET = "password_reset", _("Password reset by an official")
    PASSWORD_RESET_EMAIL = "password_reset_email", _("Password reset by e-mail")
    ACCOUNT_CREATED = "account_created", _("Account created")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
    ACCOUNT_REACTIVATED = "account_reactivated", _("Account reactivated")
    CONTACTS_CHANGED = "institution_contacts_changed", _("Institution contacts changed")


class AuditEvent(models.Model):
    """One account action: who did what to whom, from where. Never edited, never deleted."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Logins are kept as text too: the audit outlives accounts, and failed logins name none.
    actor_login = models.CharField(_("actor login"), max_length=150, blank=True, db_index=True)
    target = models.ForeignKey(
        User, verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_login = models.CharField(_("account login"), max_length=150, blank=True, db_index=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.action} {self.target_login or self.actor_login}"
