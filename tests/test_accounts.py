"""Unified logins: provisioning, the forced password change, lockout, resets from above."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from portal.accounts.models import Action, AuditEvent, Position, User
from portal.accounts.services import create_account, login_for, provision_accounts
from portal.institutions.models import Institution, Status

from .personas import PASSWORD

LOGIN_URL = reverse("home:index")


def authenticated(username, password):
    """The account these credentials log in as (Axes wants a request to count failures)."""
    return authenticate(RequestFactory().post(LOGIN_URL), username=username, password=password)


def log_in(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password})


# --- provisioning ------------------------------------------------------------------------------


def test_provisioning_gives_every_working_institution_one_account_in_one_file_per_district(world, tmp_path):
    report = provision_accounts(tmp_path)
    working_without = Institution.objects.working().exclude(
        pk__in=[world.city.pk, world.obolon.pk, world.darnytsia.pk, world.obolon_school.pk, world.darnytsia_school.pk]
    )
    assert report.count == working_without.count()
    assert not Institution.objects.working().filter(accounts__isnull=True).exists()
    assert not User.objects.filter(institution__status__in=[Status.LIQUIDATED, Status.REORGANIZED]).exists()
    names = sorted(path.name for path in report.files)
    assert len(names) == 10 and "Оболонський район.xlsx" in names
    for path in report.files:
        assert path.stat().st_mode & 0o077 == 0, "credentials must be readable by the operator only"

    sheet = load_workbook(next(p for p in report.files if p.name == "Оболонський район.xlsx")).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Заклад / установа", "Код ЄДЕБО", "Посада", "Логін", "Одноразовий пароль")
    school = world.obolon_school_2
    row = next(r for r in rows[1:] if r[3] == login_for(school, 1))
    assert row[0] == school.name and row[2] == "Директор"
    account = User.objects.get(username=row[3])
    # Stored hashed, never in plain text; it logs in once and forces a change.
    assert row[4] not in account.password and account.password.startswith("pbkdf2_sha256_otp$")
    assert account.must_change_password
    assert authenticated(username=row[3], password=row[4]) == account
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_CREATED, target=account).exists()


def test_provisioning_again_creates_nothing_and_writes_no_file(world, tmp_path):
    provision_accounts(tmp_path / "first")
    again = provision_accounts(tmp_path / "second")
    assert again.count == 0 and again.files == []


def test_a_closed_school_gets_no_account(world):
    closed = Institution.objects.schools().exclude(status=Status.WORKING).first()
    with pytest.raises(Exception, match="не працює"):
        create_account(closed, Position.DIRECTOR)


def test_logins_follow_one_scheme(world):
    assert world.obolon_director.username == f"zo-{world.obolon_school.edebo_id}-01"
    assert world.obolon_deputy.username == f"zo-{world.obolon_school.edebo_id}-02"
    assert world.obolon_official.username == "ruo-obolonskyi-01"
    assert world.don_official.username == "don-01"


# --- first login ---------------------------------------------------------------------------------


def test_the_first_login_forces_a_password_change(world, client):
    user, one_time = create_account(world.obolon_school_2, Position.DIRECTOR)
    response = log_in(client, user.username.upper(), one_time)  # logins are case-insensitive
    assert response.status_code == 302
    response = client.get(LOGIN_URL)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("institutions:detail", args=[user.institution_id]))["Location"] == reverse(
        "accounts:password_change"
    )
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "одноразовим паролем" in page

    weak = client.post(
        reverse("accounts:password_change"),
        {"old_password": one_time, "new_password1": "12345678", "new_password2": "12345678"},
    ).content.decode()
    assert "Цей пароль надто короткий" in weak or "надто короткий" in weak
    assert "і літери, і цифри" in weak

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": one_time, "new_password1": "Liceum-Obolon-77", "new_password2": "Liceum-Obolon-77"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.password_changed_at
    assert client.get(LOGIN_URL).status_code == 200
    assert AuditEvent.objects.filter(action=Action.PASSWORD_CHANGED, target=user).exists()


def test_a_wrong_password_says_so_in_ukrainian(world, client):
    page = log_in(client, world.obolon_director.username, "wrong").content.decode()
    assert "Неправильний логін або пароль" in page
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, target_login=world.obolon_director.username).exists()


def test_logout(world, client):
    assert log_in(client, world.obolon_director.username, PASSWORD).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "Увійти" in client.get(LOGIN_URL).content.decode()
    assert AuditEvent.objects.filter(action=Action.LOGOUT, target=world.obolon_director).exists()


# --- lockout -------------------------------------------------------------------------------------


def test_repeated_failures_lock_the_login_from_that_address_for_the_cool_off(world, settings):
    client = Client(REMOTE_ADDR="10.1.1.1")
    login = world.obolon_director.username
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, login.upper() if attempt % 2 else login, "wrong")
    locked = log_in(client, login, PASSWORD)
    assert locked.status_code == 429
    assert "Забагато невдалих спроб" in locked.content.decode()
    assert "15 хвилин" in locked.content.decode()
    assert AuditEvent.objects.filter(action=Action.LOCKOUT, target=world.obolon_director).exists()

    # The pair (login, IP) is locked: a colleague behind the same school NAT still logs in,
    # and so does the director from another address.
    assert log_in(Client(REMOTE_ADDR="10.1.1.1"), world.obolon_deputy.username, PASSWORD).status_code == 302
    assert log_in(Client(REMOTE_ADDR="10.9.9.9"), login, PASSWORD).status_code == 302

    with freeze_time(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        assert log_in(Client(REMOTE_ADDR="10.1.1.1"), login, PASSWORD).status_code == 302


def test_a_reset_by_the_district_lifts_the_lockout(world, client_for, settings):
    client = Client(REMOTE_ADDR="10.1.1.2")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, world.obolon_director.username, "wrong")
    assert log_in(client, world.obolon_director.username, PASSWORD).status_code == 429
    official = client_for(world.obolon_official)
    official.post(reverse("accounts:reset_password", args=[world.obolon_director.pk]))
    password = re.search(
        r'class="secret">([^<]+)</span></dd>\s*</dl>', official.get(reverse("accounts:issued")).content.decode()
    )
    assert password
    assert log_in(client, world.obolon_director.username, password.group(1)).status_code == 302


# --- resets, deactivation, creation by a higher level ------------------------------------------------


def issued_password(client) -> str:
    page = client.get(reverse("accounts:issued")).content.decode()
    secrets = re.findall(r'<span class="secret">([^<]+)</span>', page)
    assert len(secrets) == 2, page
    return secrets[1]


def test_a_district_official_resets_a_director_and_the_password_shows_once(world, client_for):
    official = client_for(world.obolon_official)
    response = official.post(reverse("accounts:reset_password", args=[world.obolon_director.pk]))
    assert response["Location"] == reverse("accounts:issued")
    password = issued_password(official)
    assert "Нічого показати" in official.get(reverse("accounts:issued")).content.decode()
    director = User.objects.get(pk=world.obolon_director.pk)
    assert director.must_change_password
    assert authenticated(username=director.username, password=password) == director
    assert authenticated(username=director.username, password=PASSWORD) is None
    event = AuditEvent.objects.get(action=Action.PASSWORD_RESET, target=director)
    assert event.actor == world.obolon_official and event.institution == world.obolon_school


def test_the_department_resets_anyone(world, client_for):
    client = client_for(world.don_official)
    for target in (world.darnytsia_director, world.obolon_official):
        assert client.post(reverse("accounts:reset_password", args=[target.pk])).status_code == 302
        issued_password(client)


@pytest.mark.parametrize(
    "actor, target, status",
    [
        ("darnytsia_official", "obolon_director", 404),  # another district's school
        ("obolon_official", "obolon_staff", 404),  # a colleague, not a lower level
        ("obolon_official", "don_official", 404),  # a higher level
        ("obolon_director", "obolon_deputy", 403),  # a school manages no accounts
        ("darnytsia_director", "obolon_director", 403),
    ],
)
def test_a_reset_from_a_lower_or_outside_level_is_refused(world, client_for, actor, target, status):
    victim = world[target]
    before = User.objects.get(pk=victim.pk).password
    response = client_for(world[actor]).post(reverse("accounts:reset_password", args=[victim.pk]))
    assert response.status_code == status
    assert User.objects.get(pk=victim.pk).password == before
    assert not AuditEvent.objects.filter(action=Action.PASSWORD_RESET, target=victim).exists()


def test_a_reset_must_be_a_post(world, client_for):
    response = client_for(world.obolon_official).get(
        reverse("accounts:reset_password", args=[world.obolon_director.pk])
    )
    assert response.status_code == 405


def test_deactivation_stops_logins_and_reactivation_restores_them(world, client_for):
    official = client_for(world.obolon_official)
    official.post(reverse("accounts:deactivate", args=[world.obolon_deputy.pk]))
    assert not User.objects.get(pk=world.obolon_deputy.pk).is_active
    assert log_in(Client(), world.obolon_deputy.username, PASSWORD).status_code == 200
    official.post(reverse("accounts:reactivate", args=[world.obolon_deputy.pk]))
    assert log_in(Client(), world.obolon_deputy.username, PASSWORD).status_code == 302
    actions = list(AuditEvent.objects.filter(target=world.obolon_deputy).values_list("action", flat=True))
    assert Action.ACCOUNT_DEACTIVATED in actions and Action.ACCOUNT_REACTIVATED in actions


def test_a_district_official_adds_a_deputy_only_to_own_schools(world, client_for):
    official = client_for(world.obolon_official)
    response = official.post(
        reverse("accounts:create"),
        {"institution": world.obolon_school.pk, "position": Position.DEPUTY, "full_name": "Ірина Савчук"},
    )
    assert response.status_code == 302
    new = User.objects.get(full_name="Ірина Савчук")
    assert new.username == f"zo-{world.obolon_school.edebo_id}-03" and new.position == Position.DEPUTY
    assert new.groups.filter(name="Заступники директорів").exists()
    issued_password(official)

    outside = official.post(
        reverse("accounts:create"),
        {"institution": world.darnytsia_school.pk, "position": Position.DEPUTY, "full_name": "Чужий"},
    )
    assert outside.status_code == 200 and not User.objects.filter(full_name="Чужий").exists()
    assert official.get(reverse("accounts:create"), {"institution": world.darnytsia_school.pk}).status_code == 404


def test_the_account_list_shows_only_manageable_accounts(world, client_for):
    page = client_for(world.obolon_official).get(reverse("accounts:list")).content.decode()
    assert world.obolon_director.username in page
    assert world.darnytsia_director.username not in page
    assert world.obolon_staff.username not in page
    filtered = client_for(world.obolon_official).get(reverse("accounts:list"), {"q": world.obolon_director.full_name})
    assert world.obolon_deputy.username not in filtered.content.decode()


# --- audit log -----------------------------------------------------------------------------------


def test_the_department_reads_and_filters_the_audit_log(world, client_for):
    client_for(world.obolon_official).post(reverse("accounts:reset_password", args=[world.obolon_director.pk]))
    client = client_for(world.don_official)
    page = client.get(reverse("accounts:audit"), {"action": Action.PASSWORD_RESET}).content.decode()
    assert "Скидання пароля посадовцем" in page and world.obolon_director.username in page
    assert world.darnytsia_director.username not in page
    by_login = client.get(reverse("accounts:audit"), {"login": world.darnytsia_director.username}).content.decode()
    assert world.darnytsia_director.username in by_login and world.obolon_director.username not in by_login
    assert client_for(world.obolon_official).get(reverse("accounts:audit")).status_code == 403


# --- reset by e-mail -------------------------------------------------------------------------------


def test_a_person_with_an_email_resets_their_own_password(world, client):
    User.objects.filter(pk=world.obolon_director.pk).update(email="director@school.kyiv.ua")
    client.post(reverse("accounts:password_reset"), {"email": "director@school.kyiv.ua"})
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert "Е-кабінет" in letter.subject and world.obolon_director.username in letter.body
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", letter.body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "Obolon-director-5", "new_password2": "Obolon-director-5"})
    assert response.status_code == 302
    assert authenticated(username=world.obolon_director.username, password="Obolon-director-5")
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET_EMAIL, target=world.obolon_director).exists()
    # An unknown address reveals nothing and sends nothing.
    client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert len(mail.outbox) == 1


def test_the_department_does_not_manage_its_own_colleagues(world, client_for):
    client = client_for(world.don_official)
    assert client.post(reverse("accounts:reset_password", args=[world.don_editor.pk])).status_code == 404
    page = client.get(reverse("accounts:create")).content.decode()
    assert f'value="{world.city.pk}"' not in page
    refused = client.post(
        reverse("accounts:create"),
        {"institution": world.city.pk, "position": Position.CITY_APPROVER, "full_name": "Сам собі затверджувач"},
    )
    assert refused.status_code == 200 and not User.objects.filter(full_name="Сам собі затверджувач").exists()
