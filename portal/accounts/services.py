"""Account actions: create (one uniform login scheme), provision, reset, deactivate.

Views, management commands and tests all call these; each writes the audit log.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.institutions.models import Institution, Kind, Status
from portal.institutions.scope import CITY, DISTRICT, scope_of

from .audit import record
from .hashers import OneTimePasswordHasher
from .models import GROUP_NAMES, POSITIONS_BY_KIND, Action, User

# No look-alikes (0/O, 1/l/I): the passwords are read off a printed sheet.
_LETTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"


def set_one_time_password(user: User) -> str:
    """Give `user` a fresh one-time password (returned, never stored in plain text)."""
    password = generate_password()
    user.password = make_password(password, hasher=OneTimePasswordHasher.algorithm)
    user.must_change_password = True
    return password


def generate_password(length: int = 12) -> str:
    """A one-time password that satisfies the policy: letters and digits, 12 characters."""
    while True:
        chars = [secrets.choice(_LETTERS + _DIGITS) for _ in range(length)]
        password = "".join(chars)
        if any(c in _DIGITS for c in chars) and any(c in _LETTERS for c in chars):
            return password


def login_for(institution: Institution, number: int) -> str:
    """The uniform login scheme: `<institution code>-<nn>`, e.g. zo-148438-01, ruo-obolonskyi-02."""
    return f"{institution.code}-{number:02d}"


def _next_number(institution: Institution) -> int:
    prefix = f"{institution.code}-"
    numbers = [
        int(login[len(prefix) :])
        for login in User.objects.filter(username__startswith=prefix).values_list("username", flat=True)
        if login[len(prefix) :].isdigit()
    ]
    return max(numbers, default=0) + 1


def head_position(institution: Institution) -> str:
    return POSITIONS_BY_KIND[institution.kind][0]


def can_manage_institution(actor, institution: Institution) -> bool:
    """An official of a higher level manages accounts below: an РУО its schools, ДОН the district
    offices and the schools."""
    if not (actor and actor.is_authenticated and actor.has_perm("accounts.manage_accounts")):
        return False
    scope = scope_of(actor)
    if actor.is_superuser:
        return True
    if scope.level == CITY:
        # Not the department's own accounts: an official must not reset a colleague's password
        # nor give themselves an approver's account. The administrator manages those.
        return institution.kind != Kind.CITY
    if scope.level == DISTRICT:
        return institution.kind == Kind.SCHOOL and scope.contains(institution)
    return False


def can_manage(actor, target: User) -> bool:
    if target.pk == actor.pk or target.is_superuser:
        return False
    if target.institution_id is None:
        return False
    return can_manage_institution(actor, target.institution)


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied(_("You may not manage this account."))


@transaction.atomic
def create_account(
    institution: Institution,
    position: str | None = None,
    *,
    actor=None,
    full_name: str = "",
    email: str = "",
    request=None,
) -> tuple[User, str]:
    """Create a personal account with a one-time password; returns (account, password).

    `actor` None means the system (provisioning, demo); otherwise the actor must manage the
    institution.
    """
    if actor is not None:
        _require(can_manage_institution(actor, institution))
    position = position or head_position(institution)
    if position not in POSITIONS_BY_KIND[institution.kind]:
        raise ValidationError(_("This position does not exist in an institution of this kind."))
    if institution.status != Status.WORKING:
        raise ValidationError(
            _("The institution is not working (%(status)s): it gets no accounts.")
            % {"status": institution.get_status_display()}
        )
    # Lock the institution row so that two officials adding accounts at once get distinct logins.
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    user = User(
        username=login_for(institution, _next_number(institution)),
        institution=institution,
        position=position,
        full_name=full_name.strip(),
        email=(email or "").strip(),
    )
    password = set_one_time_password(user)
    user.save()
    user.groups.add(Group.objects.get(name=GROUP_NAMES[position]))
    record(Action.ACCOUNT_CREATED, actor=actor, target=user, request=request, details={"position": position})
    return user, password


@transaction.atomic
def reset_password(actor, target: User, request=None) -> str:
    """An official sets a new one-time password; the person must change it at next login.

    `actor` None is the system (the demo loader)."""
    if actor is not None:
        _require(can_manage(actor, target))
    password = set_one_time_password(target)
    target.save(update_fields=["password", "must_change_password"])
    _unlock(target)
    record(Action.PASSWORD_RESET, actor=actor, target=target, request=request)
    return password


def _unlock(target: User):
    from axes.utils import reset as axes_reset

    axes_reset(username=target.username)


@transaction.atomic
def set_active(actor, target: User, active: bool, request=None, reason: str = "") -> bool:
    """Deactivate (or reactivate) an account; returns whether anything changed."""
    if actor is not None:
        _require(can_manage(actor, target))
    if target.is_active == active:
        return False
    if active and target.institution and target.institution.status != Status.WORKING:
        raise ValidationError(_("The institution is not working: its accounts stay inactive."))
    target.is_active = active
    target.save(update_fields=["is_active"])
    if active:
        _unlock(target)
    record(
        Action.ACCOUNT_REACTIVATED if active else Action.ACCOUNT_DEACTIVATED,
        actor=actor,
        target=target,
        request=request,
        details={"reason": reason} if reason else None,
    )
    return True


def password_changed(user: User, request=None, by_email: bool = False):
    """The person chose their own password (after a one-time one, or by the e-mail link)."""
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["must_change_password", "password_changed_at"])
    record(
        Action.PASSWORD_RESET_EMAIL if by_email else Action.PASSWORD_CHANGED, actor=user, target=user, request=request
    )


def deactivate_accounts_of(institution: Institution) -> int:
    """A liquidated or reorganised institution keeps its history but no active account."""
    count = 0
    for user in User.objects.filter(institution=institution, is_active=True):
        count += set_active(None, user, False, reason=str(institution.get_status_display()))
    return count


@dataclass
class ProvisionReport:
    created: dict[str, list[tuple[Institution, User, str]]] = field(default_factory=lambda: defaultdict(list))
    files: list[Path] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.created.values())


CREDENTIAL_HEADERS = ("Заклад / установа", "Код ЄДЕБО", "Посада", "Логін", "Одноразовий пароль")


@transaction.atomic
def provision_accounts(out_dir: Path | None = None) -> ProvisionReport:
    """Create the head account of every working institution that has no account yet.

    The one-time passwords are written once, to one XLSX per district (ДОН's to its own file),
    readable only by the operator; they are stored nowhere else. If the files cannot be
    written, no account is created: a password nobody received is worthless.
    """
    report = ProvisionReport()
    missing = (
        Institution.objects.working()
        .filter(accounts__isnull=True)
        .select_related("district")
        .order_by("district__sort_name", "kind", "sort_name")
    )
    for institution in missing:
        user, password = create_account(institution)
        file_key = institution.district.short_name if institution.district else institution.short_name
        report.created[file_key].append((institution, user, password))
    if report.count:
        report.files = write_credentials(report.created, out_dir)
    return report


def write_credentials(rows_by_file: dict, out_dir: Path | None = None) -> list[Path]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    out_dir = Path(out_dir or settings.EKABINET_CREDENTIALS_DIR) / timezone.localtime().strftime("%Y%m%d-%H%M%S")
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    files = []
    for name, rows in rows_by_file.items():
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Облікові записи"
        sheet.append(CREDENTIAL_HEADERS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for institution, user, password in rows:
            sheet.append(
                [institution.name, institution.edebo_id or "", user.get_position_display(), user.username, password]
            )
        for column, width in zip("ABCDE", (70, 12, 28, 24, 22), strict=True):
            sheet.column_dimensions[column].width = width
        path = out_dir / f"{name.replace('/', '-')}.xlsx"
        workbook.save(path)
        path.chmod(0o600)
        files.append(path)
    return files
