"""In headless Chromium, live: ДОН sends a circular; the bell on a director's open page updates
without a reload; the director acknowledges; the sender's table changes while it watches."""

import re

import pytest
from playwright.sync_api import expect

from .live import screenshot
from .personas import PASSWORD
from .test_browser import log_in

pytestmark = pytest.mark.browser


def test_a_circular_travels_live_from_the_department_to_a_school_and_back(live_world, live_url, new_page):
    director = new_page()
    log_in(director, live_url, live_world.obolon_director.username, PASSWORD)
    director.wait_for_function("document.documentElement.dataset.live === 'open'")
    assert director.locator(".bell__count").is_hidden()

    sender = new_page()
    log_in(sender, live_url, live_world.don_official.username, PASSWORD)
    sender.goto(live_url + "/circulars/new/")
    sender.get_by_label("Тема").fill("Про графік канікул")
    sender.get_by_label("Текст").fill("Просимо ознайомитися з графіком зимових канікул.")
    sender.get_by_label("Важливість").select_option("important")
    sender.get_by_label("Оболонський район", exact=True).check()
    sender.get_by_role("button", name="Надіслати").click()
    expect(sender.get_by_role("heading", level=1)).to_contain_text("Про графік канікул")
    row = sender.locator(f"#deliveries tr[data-delivery]:has(a[href='/institutions/{live_world.obolon_school.pk}/'])")
    expect(row.locator("[data-state]")).to_have_text("доставлено")
    sender.wait_for_function("document.documentElement.dataset.live === 'open'")

    # The director's page, untouched since it loaded, shows the new notification.
    director.locator(".bell__count").wait_for(state="visible")
    expect(director.locator(".bell__count")).to_have_text("1")
    expect(director.locator("#live-toast")).to_contain_text("Про графік канікул")
    screenshot(director, "live-bell-director")

    director.locator("#live-toast a").click()
    expect(director.get_by_role("heading", level=1)).to_contain_text("Про графік канікул")
    # Opening it is "read" in the sender's table, live.
    row.locator("[data-state]", has_text="прочитано").wait_for()
    director.get_by_role("button", name="Ознайомлений").click()
    expect(director.locator(".messages")).to_contain_text("Позначено: ознайомлені")
    row.locator("[data-state]", has_text="ознайомлено").wait_for()
    assert re.match(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", row.locator('[data-field="acknowledged_at"]').inner_text())
    expect(sender.locator('[data-count="acknowledged"]')).to_have_text("1")
    screenshot(sender, "live-table-sender")
