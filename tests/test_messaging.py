"""Messages between institutions: only along the brief's lines, private to the two sides."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.messaging.models import Conversation, Message
from portal.messaging.services import can_converse, correspondents, post_message, start_conversation
from portal.notifications.models import Notification

from .test_notifications import listen, receive_all


@pytest.mark.parametrize(
    "a, b, allowed",
    [
        ("obolon_school", "obolon", True),  # a school and its РУО
        ("obolon_school", "city", True),  # a school and ДОН
        ("obolon", "city", True),  # an РУО and ДОН
        ("obolon", "darnytsia", True),  # two РУО
        ("obolon_school", "darnytsia", False),  # another district's РУО
        ("obolon_school", "obolon_school_2", False),  # two schools
        ("obolon_school", "darnytsia_school", False),
        ("city", "city", False),
    ],
)
def test_the_lines_of_communication(world, a, b, allowed):
    assert can_converse(world[a], world[b]) is allowed
    assert can_converse(world[b], world[a]) is allowed


def test_a_school_may_write_only_to_its_district_office_and_the_department(world):
    assert set(correspondents(world.obolon_school)) == {world.obolon, world.city}


def test_a_conversation_from_start_to_reply(world, client_for, django_capture_on_commit_callbacks):
    director = client_for(world.obolon_director)
    page = director.get(reverse("messaging:new")).content.decode()
    options = set(re.findall(r'<option value="(\d+)"', page))
    assert options == {str(world.obolon.pk), str(world.city.pk)}
    token = re.search(r'name="client_token" value="([^"]+)"', page).group(1)
    form = {
        "to": world.obolon.pk,
        "subject": "Ремонт покрівлі",
        "body": "<b>Протікає</b> дах у корпусі Б",
        "client_token": token,
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = director.post(reverse("messaging:new"), form)
        again = director.post(reverse("messaging:new"), form)  # a double submission
    assert first["Location"] == again["Location"]
    conversation = Conversation.objects.get()
    assert conversation.messages.count() == 1
    assert Notification.objects.filter(recipient=world.obolon_official, kind="message").count() == 1
    assert not Notification.objects.filter(recipient__institution=world.obolon_school).exists()

    official = client_for(world.obolon_official)
    inbox = official.get(reverse("messaging:inbox")).content.decode()
    assert "Ремонт покрівлі" in inbox and 'badge--warn">1<' in inbox
    thread = official.get(conversation.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Протікає&lt;/b&gt;" in thread and "<b>Протікає</b>" not in thread
    assert 'badge--warn">1<' not in official.get(reverse("messaging:inbox")).content.decode()  # read now

    plan = SimpleUploadedFile("кошторис.pdf", b"%PDF-1.4\n%%EOF\n")
    official.post(
        conversation.get_absolute_url(),
        {"body": "Надішліть кошторис", "client_token": "9d1c1f7e-1111-4a3b-8c9d-000000000001", "files": [plan]},
    )
    reply = conversation.messages.last()
    assert reply.institution == world.obolon and reply.attachments.count() == 1
    file_url = reverse("messaging:attachment", args=[conversation.pk, reply.attachments.get().pk])
    assert director.get(file_url).status_code == 200
    assert client_for(world.obolon_deputy).get(file_url).status_code == 200  # the same school


def test_nobody_outside_the_two_sides_reads_or_writes(world, client_for):
    conversation = start_conversation(world.obolon_director, world.obolon, subject="Кадри", body="Вакансія вчителя")
    for outsider in ("darnytsia_director", "darnytsia_official", "don_official"):
        client = client_for(world[outsider])
        assert client.get(conversation.get_absolute_url()).status_code == 404
        assert client.post(conversation.get_absolute_url(), {"body": "втручання"}).status_code == 404
        assert "Кадри" not in client.get(reverse("messaging:inbox")).content.decode()
    with pytest.raises(PermissionDenied):
        post_message(world.darnytsia_director, conversation, body="втручання")
    with pytest.raises(PermissionDenied):
        start_conversation(world.obolon_director, world.darnytsia, subject="x", body="y")
    refused = client_for(world.obolon_director).post(
        reverse("messaging:new"),
        {
            "to": world.darnytsia_school.pk,
            "subject": "x",
            "body": "y",
            "client_token": "9d1c1f7e-1111-4a3b-8c9d-000000000002",
        },
    )
    assert refused.status_code == 200 and Message.objects.count() == 1


def test_a_new_message_reaches_both_sides_open_pages_live(world, django_capture_on_commit_callbacks):
    conversation = start_conversation(world.obolon_director, world.obolon, subject="Харчування", body="Питання")
    channels = listen([world.obolon_official.pk, world.obolon_deputy.pk, world.darnytsia_director.pk])
    with django_capture_on_commit_callbacks(execute=True):
        post_message(world.obolon_official, conversation, body="Відповідаємо")
    (official,) = receive_all(channels[:1])
    deputy = receive_all([channels[1], channels[1]])  # the other side: a notification, then the message
    assert [m["event"]["type"] for m in deputy] == ["notification", "message.created"]
    for event, own in ((official["event"], True), (deputy[1]["event"], False)):
        assert event["type"] == "message.created" and event["message"]["body"] == "Відповідаємо"
        assert event["message"]["own"] is own
    assert receive_all_nothing(channels[2])


def receive_all_nothing(channel):
    import asyncio

    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    async def nothing():
        try:
            await asyncio.wait_for(get_channel_layer().receive(channel), 0.5)
        except TimeoutError:
            return True
        return False

    return async_to_sync(nothing)()


def test_an_empty_message_is_refused_in_ukrainian(world, client_for):
    conversation = start_conversation(world.obolon_director, world.obolon, subject="Тема", body="Текст")
    page = client_for(world.obolon_director).post(
        conversation.get_absolute_url(), {"body": "   ", "client_token": "9d1c1f7e-1111-4a3b-8c9d-000000000003"}
    )
    assert "Напишіть повідомлення або додайте файл" in page.content.decode()
    assert conversation.messages.count() == 1


def test_the_lines_hold_for_every_message_not_only_the_first(world):
    conversation = start_conversation(world.obolon_director, world.obolon, subject="Ремонт", body="Текст")
    world.obolon_school.__class__.objects.filter(pk=world.obolon_school.pk).update(
        district=world.darnytsia, parent=world.darnytsia
    )
    conversation = Conversation.objects.get(pk=conversation.pk)  # as the next request loads it
    with pytest.raises(PermissionDenied):
        post_message(world.obolon_official, conversation, body="Ми вже не ваше РУО")
