"""A real ASGI server (Daphne, HTTP and WebSocket) on the test database, and headless Chromium.

Browser tests use `live_url` and `browser_page`; they run after the other tests (they need
committed data, so they use `transactional_db`, and reload the city that a flush removes).
"""

import os
import shutil
from functools import partial
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _application(static: bool):
    from channels.routing import get_default_application
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    application = get_default_application()
    return ASGIStaticFilesHandler(application) if static else application


@pytest.fixture
def live_url(django_db_setup, django_db_blocker):
    """The URL of a Daphne process serving the project on the test database.

    One process per test: between transactional tests the tables are flushed and the content
    types recreated with new ids, which a longer-lived process would still have cached.
    """
    from daphne.testing import DaphneProcess
    from django.conf import settings

    if connections["default"].vendor == "sqlite":
        pytest.skip("the live server needs a database another process can open (set DATABASE_URL)")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1", "localhost"]
    # The child is forked: it must not share the parent's open database sockets.
    connections.close_all()
    # The child inherits pytest-django's guard against database access: lift it there.
    process = DaphneProcess("127.0.0.1", partial(_application, True), setup=django_db_blocker.unblock)
    process.start()
    if not process.ready.wait(timeout=20):
        error = process.errors.get(False) if not process.errors.empty() else ("", "no error caught")
        process.terminate()
        raise RuntimeError(f"Daphne did not start:\n{error[1]}")
    yield f"http://127.0.0.1:{process.port.value}"
    process.terminate()
    process.join(5)


# Per module: Playwright's sync API keeps an event loop running while it is open, which
# async tests (the WebSocket ones) cannot share.
@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but missing at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself between page actions are still synchronous, so allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # as patient as the pages' own waits (CI shares 2 cores)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def new_page(chromium):
    """Open fresh browser contexts (one per person); all are closed after the test."""
    contexts = []

    def make(width=1280, height=900):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="uk-UA")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def screenshot(page, name: str):
    """Keep a picture of what the person saw (for a human to look at; not asserted)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def live_world(transactional_db, live_url):
    """The personas on committed data, for tests that drive a browser against `live_url`."""
    from portal.institutions.models import Institution
    from portal.institutions.services import REGISTER_FILE, STATS_FILE, import_register, import_school_stats

    from .personas import build_world

    if not Institution.objects.exists():  # a transactional test's flush empties the tables
        from cms.demo import load_demo_content

        import_register(REGISTER_FILE)
        import_school_stats(STATS_FILE, 2020)
        load_demo_content()
    return build_world()
