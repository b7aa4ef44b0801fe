"""Each role's start page after login: the city, the district, the school."""

import re

from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.models import Action, AuditEvent, Position
from portal.accounts.services import create_account
from portal.institutions.models import Institution, Kind, Status

HOME = reverse("home:index")


def menu(page: str) -> list[str]:
    nav = re.search(r'<nav class="main-nav".*?</nav>', page, re.S).group(0)
    return re.findall(r">([^<>]+)</a>", nav)


def test_the_department_sees_the_city_by_district(world, client_for):
    page = client_for(world.don_official).get(HOME).content.decode()
    assert "Освіта Києва" in page
    for district in Institution.objects.districts():
        assert district.get_absolute_url() in page
        assert district.short_name in page
    obolon_pupils = (
        Institution.objects.schools().working().filter(district=world.obolon).aggregate(n=Sum("pupils"))["n"]
    )
    assert f"{obolon_pupils:,}".replace(",", "\xa0") in page
    assert menu(page) == [
        "Головна",
        "Заклади",
        "Нормативна база",
        "Листи",
        "Повідомлення",
        "Облікові записи",
        "Журнал аудиту",
    ]


def test_the_department_finds_any_school(world, client_for):
    page = client_for(world.don_official).get(reverse("institutions:list"), {"q": str(world.darnytsia_school.edebo_id)})
    text = page.content.decode()
    assert world.darnytsia_school.get_absolute_url() in text
    assert world.obolon_school.get_absolute_url() not in text


def test_the_district_sees_its_schools_with_their_account_state(world, client_for):
    page = client_for(world.obolon_official).get(HOME).content.decode()
    assert "Заклади району" in page
    schools = Institution.objects.schools().filter(district=world.obolon)
    for school in schools:
        assert school.get_absolute_url() in page
    assert world.darnytsia_school.get_absolute_url() not in page
    # The persona school has two active accounts, each with a quick reset button.
    assert reverse("accounts:reset_password", args=[world.obolon_director.pk]) in page
    assert reverse("accounts:reset_password", args=[world.obolon_deputy.pk]) in page
    assert "немає облікового запису" in page
    assert menu(page) == [
        "Головна",
        "Заклади",
        "Нормативна база",
        "Листи",
        "Повідомлення",
        "Облікові записи",
        "Редагування",
    ]


def test_the_district_table_searches_and_sorts(world, client_for):
    client = client_for(world.obolon_official)
    found = client.get(HOME, {"q": world.obolon_school.short_name.upper()}).content.decode()
    assert world.obolon_school.get_absolute_url() in found
    assert world.obolon_school_2.get_absolute_url() not in found
    by_pupils = client.get(HOME, {"sort": "-pupils"}).content.decode()
    biggest = Institution.objects.schools().filter(district=world.obolon, pupils__isnull=False).order_by("-pupils")[0]
    first_row = re.search(r"<tbody>.*?<a href=\"([^\"]+)\"", by_pupils, re.S).group(1)
    assert first_row == biggest.get_absolute_url()
    assert 'aria-sort="descending"' in by_pupils


def test_the_school_sees_its_card_and_who_manages_it(world, client_for):
    page = client_for(world.obolon_director).get(HOME).content.decode()
    assert world.obolon_school.name in page
    assert str(world.obolon_school.edebo_id) in page
    assert world.obolon.name in page and world.city.name in page
    assert world.darnytsia_school.name not in page
    assert menu(page) == ["Головна", "Паспорт закладу", "Нормативна база", "Листи", "Повідомлення"]
    # ДОН's announcements for schools and for everyone, not those for district offices.
    assert "Графік пробного НМТ-2027" in page and "Нарада керівників закладів освіти" in page
    assert "Звітна кампанія РУО" not in page
    assert "Звітна кампанія РУО" in client_for(world.obolon_official).get(HOME).content.decode()
    assert "Редагувати контакти" in page
    assert "Редагувати контакти" not in client_for(world.obolon_deputy).get(HOME).content.decode()


def test_the_director_edits_the_contacts_and_bad_input_is_refused(world, client_for):
    client = client_for(world.obolon_director)
    url = reverse("institutions:contacts", args=[world.obolon_school.pk])
    bad = client.post(url, {"phone": "x", "email": "not-an-email", "website": "javascript:alert(1)"})
    assert bad.status_code == 200
    assert "Введіть правильну адресу електронної пошти" in bad.content.decode()
    assert "Введіть правильну вебадресу" in bad.content.decode()
    response = client.post(
        url,
        {"phone": "<script>alert(1)</script> (044) 123-45-67", "email": "school@kyiv.ua", "website": "school.kyiv.ua"},
    )
    assert response.status_code == 302
    school = Institution.objects.get(pk=world.obolon_school.pk)
    assert school.email == "school@kyiv.ua" and school.website == "https://school.kyiv.ua"
    page = client.get(HOME).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    event = AuditEvent.objects.get(action=Action.CONTACTS_CHANGED, institution=school)
    assert event.actor == world.obolon_director and "email" in event.details


def test_an_institution_passport_in_scope(world, client_for):
    page = client_for(world.obolon_official).get(world.obolon.get_absolute_url()).content.decode()
    assert "Паспорт" in page and world.obolon_school.get_absolute_url() in page
    city = client_for(world.don_official).get(world.city.get_absolute_url()).content.decode()
    assert world.darnytsia.get_absolute_url() in city


def count_queries(client, url=HOME):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_schools(district, n):
    for i in range(n):
        school = Institution.objects.create(
            kind=Kind.SCHOOL, code=f"test-{district.pk}-{i}", name=f"Тестовий ліцей № {i}", status=Status.WORKING,
            district=district, parent=district, pupils=300 + i,
        )  # fmt: skip
        create_account(school, Position.DIRECTOR)


def test_dashboard_query_counts_do_not_grow_with_the_number_of_schools(world, client_for):
    clients = {p: client_for(world[p]) for p in ("don_official", "obolon_official", "obolon_director")}
    before = {p: count_queries(c) for p, c in clients.items()}
    lists_before = count_queries(clients["don_official"], reverse("institutions:list"))
    add_schools(world.obolon, 40)
    add_schools(world.darnytsia, 40)
    after = {p: count_queries(c) for p, c in clients.items()}
    assert after == before
    assert count_queries(clients["don_official"], reverse("institutions:list")) == lists_before
    # And they are few.
    assert before["don_official"] <= 10 and before["obolon_official"] <= 11 and before["obolon_director"] <= 8


def test_the_health_check_reports_database_and_redis(db, client, settings):
    response = client.get(reverse("home:health"))
    assert response.status_code == 200
    data = response.json()
    assert data["database"] == "ok"
    assert data["redis"] == ("ok" if settings.REDIS_URL else "not configured")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    broken = client.get(reverse("home:health"))
    assert broken.status_code == 503 and broken.json()["redis"].startswith("error")
