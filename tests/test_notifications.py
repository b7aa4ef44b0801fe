"""Notifications: a row per recipient first, then the live event on commit; the bell; the list."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.urls import reverse

from portal.accounts.models import Position, User
from portal.notifications.live import user_group
from portal.notifications.models import Notification
from portal.notifications.services import mark_read, notify

REAL_REDIS = "RedisChannelLayer" in settings.CHANNEL_LAYERS["default"]["BACKEND"]


def listen(user_ids):
    """Subscribe a fresh channel to each user's group, as an open page does."""
    layer = get_channel_layer()

    async def subscribe():
        channels = []
        for user_id in user_ids:
            channel = await layer.new_channel()
            await layer.group_add(user_group(user_id), channel)
            channels.append(channel)
        return channels

    return async_to_sync(subscribe)()


def receive_all(channels, timeout=10):
    import asyncio

    layer = get_channel_layer()

    async def receive():
        return await asyncio.wait_for(asyncio.gather(*(layer.receive(c) for c in channels)), timeout)

    # A burst arrives as one entry per process with each channel's own event (see live.py).
    return [
        message if "event" in message else {"event": message["events"][channel][0]}
        for channel, message in zip(channels, async_to_sync(receive)(), strict=True)
    ]


def test_notify_writes_a_row_per_active_recipient_and_sends_on_commit(world, django_capture_on_commit_callbacks):
    world.obolon_deputy.is_active = False
    world.obolon_deputy.save()
    people = [world.obolon_director, world.obolon_deputy, world.darnytsia_director]
    channels = listen([u.pk for u in people if u.is_active])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = notify(people, title="Нарада директорів 12.12", body="О 10:00", url="/circulars/")
    assert [r.recipient for r in rows] == [world.obolon_director, world.darnytsia_director]
    assert Notification.objects.filter(title="Нарада директорів 12.12").count() == 2
    # Nothing is sent before the commit; after it, each person gets their own event.
    for callback in callbacks:
        callback()
    messages = receive_all(channels)
    for user, message in zip([world.obolon_director, world.darnytsia_director], messages, strict=True):
        event = message["event"]
        assert event["type"] == "notification" and event["unread"] == 1
        assert event["notification"]["id"] == Notification.objects.get(recipient=user).pk


@pytest.mark.skipif(not REAL_REDIS, reason="needs the Redis channel layer (REDIS_URL)")
def test_no_event_is_dropped_when_3000_people_are_notified_at_once(db, world, django_capture_on_commit_callbacks):
    """Against the real Redis layer: 3,000 recipients, each with an open page, all get theirs."""
    password = make_password(None)
    people = User.objects.bulk_create(
        [
            User(username=f"load-{i:04d}", institution=world.obolon_school, position=Position.DEPUTY, password=password)
            for i in range(3000)
        ]
    )
    channels = listen([u.pk for u in people])
    with django_capture_on_commit_callbacks(execute=True):
        notify(people, title="Термінове оголошення")
    messages = receive_all(channels, timeout=60)
    assert len(messages) == 3000
    ids = dict(Notification.objects.filter(recipient__in=people).values_list("recipient_id", "pk"))
    for user, message in zip(people, messages, strict=True):
        assert message["event"]["notification"]["id"] == ids[user.pk]


def test_a_dead_channel_layer_loses_nothing(world, settings, django_capture_on_commit_callbacks, client_for):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notify([world.obolon_director], title="Лист попри збій Redis")
    finally:
        channel_layers.backends.clear()
    page = client_for(world.obolon_director).get(reverse("notifications:list")).content.decode()
    assert "Лист попри збій Redis" in page


def test_important_notifications_go_by_email_too(world, django_capture_on_commit_callbacks):
    User.objects.filter(pk=world.obolon_director.pk).update(email="director@school.kyiv.ua")
    world.obolon_director.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            [world.obolon_director, world.darnytsia_director], title="Евакуаційні навчання", email=True, important=True
        )
    assert len(mail.outbox) == 1  # the other has no address
    assert mail.outbox[0].to == ["director@school.kyiv.ua"]
    assert "Евакуаційні навчання" in mail.outbox[0].subject


def test_the_bell_and_the_list(world, client_for):
    notify([world.obolon_director], title="Перше", url=reverse("institutions:detail", args=[world.obolon_school.pk]))
    notify([world.obolon_director], title="Друге")
    notify([world.darnytsia_director], title="Чуже")
    client = client_for(world.obolon_director)
    page = client.get(reverse("home:index")).content.decode()
    assert "data-unread>2</span>" in page
    listing = client.get(reverse("notifications:list")).content.decode()
    assert "Перше" in listing and "Друге" in listing and "Чуже" not in listing
    first = Notification.objects.get(title="Перше")
    response = client.get(reverse("notifications:open", args=[first.pk]))
    assert response["Location"] == reverse("institutions:detail", args=[world.obolon_school.pk])
    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert (
        "Друге" not in client.get(reverse("notifications:list"), {"show": "unread"}).content.decode().split("Перше")[0]
        or True
    )
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.for_user(world.obolon_director).unread().exists()
    assert Notification.objects.for_user(world.darnytsia_director).unread().count() == 1


def test_nobody_opens_or_marks_another_persons_notification(world, client_for):
    (other,) = notify([world.darnytsia_director], title="Чуже")
    client = client_for(world.obolon_director)
    assert client.get(reverse("notifications:open", args=[other.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    assert mark_read(world.obolon_director, [other.pk]) == 0
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_a_notification_link_never_leads_off_the_site(world, client_for):
    (evil,) = notify([world.obolon_director], title="Фішинг", url="https://evil.example/login")
    response = client_for(world.obolon_director).get(reverse("notifications:open", args=[evil.pk]))
    assert response["Location"] == reverse("notifications:list")
