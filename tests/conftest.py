"""Every test database holds the real Kyiv register, imported once per run."""

import pytest
from django.test import Client

from cms.demo import load_demo_content
from portal.institutions.services import REGISTER_FILE, STATS_FILE, import_register, import_school_stats

from .live import chromium, live_url, live_world, new_page  # noqa: F401 - fixtures
from .personas import World, build_world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        import_register(REGISTER_FILE)
        import_school_stats(STATS_FILE, 2020)
        load_demo_content()


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_for():
    """A test client logged in as the given user."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
