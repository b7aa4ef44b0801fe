"""In headless Chromium: a department editor drafts a regulation in the Wagtail admin, an approver
approves it, and a school director finds it in the regulatory base."""

import time

import pytest
from playwright.sync_api import expect

from cms.models import RegulationPage, RegulationSectionPage

from .live import screenshot
from .personas import PASSWORD
from .test_browser import log_in

pytestmark = pytest.mark.browser
TITLE = "Про організацію роботи шкільних бібліотек"


def wait_for(condition, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_an_editor_drafts_an_approver_approves_a_director_reads(live_world, live_url, new_page):
    section = RegulationSectionPage.objects.get(slug="ministry")

    editor = new_page()
    log_in(editor, live_url, live_world.don_editor.username, PASSWORD)
    editor.goto(f"{live_url}/admin/pages/add/cms/regulationpage/{section.pk}/")
    editor.locator("#id_title").fill(TITLE)
    editor.locator("#id_doc_kind").select_option("order")
    editor.locator("#id_number").fill("1023")
    editor.locator("#id_adopted_on").fill("02.09.2026")
    editor.keyboard.press("Escape")
    editor.locator("#id_issuing_body").select_option("mon")
    editor.locator("#id_summary").fill("Як бібліотека закладу формує фонд і працює з учнями.")
    screenshot(editor, "cms-editor-draft")
    # «Submit to Затвердження ДОН» sits in the footer's drop-down; press it as the menu would.
    editor.locator('button[name="action-submit"]').evaluate("button => button.click()")
    # The admin creates the page, then starts its workflow: wait for both.
    assert wait_for(
        lambda: (
            RegulationPage.objects.filter(title=TITLE).exists()
            and RegulationPage.objects.get(title=TITLE).workflow_in_progress
        )
    )
    page = RegulationPage.objects.get(title=TITLE)
    assert not page.live

    approver = new_page()
    log_in(approver, live_url, live_world.don_approver.username, PASSWORD)
    approver.goto(f"{live_url}/admin/pages/{page.pk}/edit/")
    approve = approver.locator('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    approve.evaluate("button => button.click()")
    assert wait_for(lambda: RegulationPage.objects.get(pk=page.pk).live)
    screenshot(approver, "cms-approver")

    director = new_page()
    log_in(director, live_url, live_world.obolon_director.username, PASSWORD)
    director.goto(f"{live_url}/regulations/")
    director.get_by_role("link", name=TITLE).click()
    expect(director.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(director.locator(".facts")).to_contain_text("Наказ від 02.09.2026 № 1023")
    screenshot(director, "cms-director-reads")
