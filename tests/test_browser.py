"""In headless Chromium: each role logs in at the start page and lands on its own dashboard."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from portal.accounts.models import Position
from portal.accounts.services import create_account

from .live import screenshot
from .personas import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, url, login, password):
    page.goto(url + "/")
    page.get_by_label("Логін").fill(login)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Увійти").click()


@pytest.mark.parametrize(
    "persona, heading, menu",
    [
        (
            "don_official",
            "Освіта Києва",
            ["Головна", "Заклади", "Нормативна база", "Листи", "Повідомлення", "Облікові записи", "Журнал аудиту"],
        ),
        (
            "obolon_official",
            "Оболонський район",
            ["Головна", "Заклади", "Нормативна база", "Листи", "Повідомлення", "Облікові записи", "Редагування"],
        ),
        ("darnytsia_director", None, ["Головна", "Паспорт закладу", "Нормативна база", "Листи", "Повідомлення"]),
    ],
)
def test_each_role_lands_on_its_dashboard(live_world, live_url, new_page, persona, heading, menu):
    user = live_world[persona]
    page = new_page()
    log_in(page, live_url, user.username, PASSWORD)
    expected = heading or user.institution.display_name
    expect(page.get_by_role("heading", level=1)).to_have_text(expected)
    assert page.locator("nav.main-nav a").all_inner_texts() == menu
    assert page.locator("html").get_attribute("lang") == "uk"
    screenshot(page, f"dashboard-{persona}")


def test_a_director_logs_in_first_with_the_one_time_password(live_world, live_url, new_page):
    user, one_time = create_account(live_world.obolon_school_2, Position.DIRECTOR)
    assert user.groups.filter(name=Group.objects.get(name="Директори закладів").name).exists()
    page = new_page(width=390, height=844)  # a phone
    log_in(page, live_url, user.username, one_time)
    expect(page.get_by_role("heading", level=1)).to_have_text("Змінити пароль")
    page.get_by_label("Старий пароль").fill(one_time)
    page.locator("#id_new_password1").fill("Obolon-school-42")
    page.locator("#id_new_password2").fill("Obolon-school-42")
    page.get_by_role("button", name="Змінити пароль").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(live_world.obolon_school_2.display_name)
    expect(page.locator(".messages")).to_contain_text("Пароль змінено")
    screenshot(page, "first-login-phone")


def test_the_district_resets_a_password_from_its_dashboard(live_world, live_url, new_page):
    page = new_page()
    log_in(page, live_url, live_world.obolon_official.username, PASSWORD)
    page.wait_for_load_state("load")  # the table's script is deferred
    page.get_by_label("Назва, код ЄДЕБО або ЄДРПОУ").fill(str(live_world.obolon_school.edebo_id))
    rows = page.locator("#schools tbody tr:not([hidden])")
    expect(rows).to_have_count(1)  # filtered as one types, before submitting
    page.once("dialog", lambda dialog: dialog.accept())
    rows.first.get_by_role("button", name=f"Скинути пароль {live_world.obolon_director.username}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Одноразовий пароль видано")
    password = page.locator(".secret").nth(1).inner_text()
    other = new_page()
    log_in(other, live_url, live_world.obolon_director.username, password)
    expect(other.get_by_role("heading", level=1)).to_have_text("Змінити пароль")
