"""The events WebSocket: session authentication, the origin check, and per-user delivery only.

These run the real consumer through Channels' communicator on committed data (the consumer reads
the database from its own thread), against the Redis layer when REDIS_URL is set.
"""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.hashers import make_password
from django.test import Client

from ekabinet.asgi import application
from portal.accounts.models import Position, User
from portal.institutions.models import Institution, Kind
from portal.institutions.services import ensure_city_and_districts
from portal.notifications.models import Notification
from portal.notifications.services import notify

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
ORIGIN = (b"origin", b"http://127.0.0.1")


def make_people():
    """Two directors of two schools of two districts (a small world: the flush empties tables)."""
    _city, districts = ensure_city_and_districts()
    people = []
    for n, district in enumerate(districts[:2]):
        school = Institution.objects.create(
            kind=Kind.SCHOOL, code=f"ws-{n}", name=f"Ліцей № {n + 1}", district=district, parent=district
        )
        people.append(
            User.objects.create(
                username=f"ws-{n}-01", institution=school, position=Position.DIRECTOR, password=make_password("x")
            )
        )
    return people


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def connect(user=None, origin=ORIGIN):
    headers = [origin] if origin else []
    if user is not None:
        headers.append((b"cookie", await sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, "/ws/events/", headers=headers)
    connected, _subprotocol = await communicator.connect(timeout=5)
    return communicator, connected


async def test_an_anonymous_socket_is_refused():
    communicator, connected = await connect()
    assert not connected
    await communicator.disconnect()


async def test_a_foreign_origin_is_refused():
    (person, _other) = await sync_to_async(make_people)()
    communicator, connected = await connect(person, origin=(b"origin", b"https://evil.example"))
    assert not connected
    await communicator.disconnect()


async def test_an_account_with_a_one_time_password_gets_no_socket():
    (person, _other) = await sync_to_async(make_people)()
    await sync_to_async(User.objects.filter(pk=person.pk).update)(must_change_password=True)
    communicator, connected = await connect(person)
    assert not connected
    await communicator.disconnect()


async def test_a_socket_receives_its_persons_events_and_never_anothers():
    director, stranger = await sync_to_async(make_people)()
    await sync_to_async(notify)([director], title="Ще до підключення")
    mine, ok_mine = await connect(director)
    theirs, ok_theirs = await connect(stranger)
    assert ok_mine and ok_theirs
    assert await mine.receive_json_from(timeout=5) == {"type": "hello", "unread": 1}
    assert await theirs.receive_json_from(timeout=5) == {"type": "hello", "unread": 0}

    await sync_to_async(notify)([director], title="Нарада о 15:00", url="/circulars/")
    event = await mine.receive_json_from(timeout=5)
    assert event["type"] == "notification" and event["unread"] == 2
    assert event["notification"]["title"] == "Нарада о 15:00"
    assert await theirs.receive_nothing(timeout=0.5)

    await mine.disconnect()
    await theirs.disconnect()


async def test_a_reconnecting_page_catches_up_on_what_it_missed():
    director, _stranger = await sync_to_async(make_people)()
    (seen,) = await sync_to_async(notify)([director], title="Бачене")
    await sync_to_async(notify)([director], title="Пропущене 1")
    await sync_to_async(notify)([director], title="Пропущене 2")
    socket, connected = await connect(director)
    assert connected
    await socket.receive_json_from(timeout=5)  # hello
    await socket.send_json_to({"action": "catch_up", "after": seen.pk})
    reply = await socket.receive_json_from(timeout=5)
    assert reply["type"] == "catch_up" and reply["unread"] == 3
    assert [n["title"] for n in reply["notifications"]] == ["Пропущене 1", "Пропущене 2"]
    await socket.send_json_to({"action": "catch_up", "after": "not a number"})
    assert len((await socket.receive_json_from(timeout=5))["notifications"]) == 3
    await socket.disconnect()
    assert await sync_to_async(Notification.objects.filter(recipient=director).count)() == 3


async def test_events_reach_every_open_page_of_the_person():
    director, _stranger = await sync_to_async(make_people)()
    pages = [await connect(director) for _ in range(3)]
    for page, connected in pages:
        assert connected
        await page.receive_json_from(timeout=5)
    await sync_to_async(notify)([director], title="Усім вкладкам")
    titles = await asyncio.gather(*(page.receive_json_from(timeout=5) for page, _ in pages))
    assert {t["notification"]["title"] for t in titles} == {"Усім вкладкам"}
    for page, _ in pages:
        await page.disconnect()


async def test_a_burst_to_many_people_gives_each_socket_only_its_own_event():
    """A burst reaches a worker as one entry for all its sockets; each forwards only its own."""
    director, stranger = await sync_to_async(make_people)()
    mine, _ = await connect(director)
    theirs, _ = await connect(stranger)
    await mine.receive_json_from(timeout=5)
    await theirs.receive_json_from(timeout=5)

    def burst():
        from django.db import transaction

        with transaction.atomic():
            notify([director], title="Для директора ліцею № 1")
            notify([stranger], title="Для директора ліцею № 2")

    await sync_to_async(burst)()
    assert (await mine.receive_json_from(timeout=5))["notification"]["title"] == "Для директора ліцею № 1"
    assert (await theirs.receive_json_from(timeout=5))["notification"]["title"] == "Для директора ліцею № 2"
    assert await mine.receive_nothing(timeout=0.5)
    assert await theirs.receive_nothing(timeout=0.5)
    await mine.disconnect()
    await theirs.disconnect()


async def test_two_events_for_one_person_in_one_burst_both_arrive():
    director, _stranger = await sync_to_async(make_people)()
    socket, _ = await connect(director)
    await socket.receive_json_from(timeout=5)

    def burst():
        from django.db import transaction

        with transaction.atomic():
            notify([director], title="Перше з двох")
            notify([director], title="Друге з двох")

    await sync_to_async(burst)()
    titles = [(await socket.receive_json_from(timeout=5))["notification"]["title"] for _ in range(2)]
    assert sorted(titles) == ["Друге з двох", "Перше з двох"]
    await socket.disconnect()
