"""Messaging actions: who may talk to whom, start a conversation, post, read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.institutions.models import Institution, Kind
from portal.notifications.live import send_to_users
from portal.notifications.models import Kind as NotificationKind
from portal.notifications.models import Notification
from portal.notifications.services import notify

from .models import Conversation, ConversationRead, Message, MessageAttachment


def can_converse(a: Institution, b: Institution) -> bool:
    """The lines of the brief: school–its РУО, school–ДОН, РУО–ДОН, РУО–РУО. Symmetric."""
    if a is None or b is None or a.pk == b.pk:
        return False
    kinds = {a.kind, b.kind}
    if kinds == {Kind.SCHOOL, Kind.DISTRICT}:
        school, district = (a, b) if a.kind == Kind.SCHOOL else (b, a)
        return school.district_id == district.pk
    return kinds in ({Kind.SCHOOL, Kind.CITY}, {Kind.DISTRICT, Kind.CITY}, {Kind.DISTRICT})


def correspondents(institution: Institution):
    """The working institutions this one may start a conversation with."""
    working = Institution.objects.working().exclude(pk=institution.pk)
    if institution.kind == Kind.SCHOOL:
        return working.filter(Q(kind=Kind.CITY) | Q(kind=Kind.DISTRICT, pk=institution.district_id))
    if institution.kind == Kind.DISTRICT:
        return working.filter(
            Q(kind=Kind.CITY) | Q(kind=Kind.DISTRICT) | Q(kind=Kind.SCHOOL, district_id=institution.pk)
        )
    if institution.kind == Kind.CITY:
        return working.filter(kind__in=[Kind.DISTRICT, Kind.SCHOOL])
    return working.none()


def with_unread(conversations, user):
    """Annotate each conversation with the messages from the other side the person has not read."""
    read_at = ConversationRead.objects.filter(conversation=OuterRef("pk"), user=user).values("read_at")[:1]
    from_other_side = ~Q(messages__institution_id=user.institution_id)
    return conversations.annotate(read_at=Subquery(read_at)).annotate(
        unread=Count(
            "messages",
            filter=from_other_side & (Q(read_at__isnull=True) | Q(messages__created_at__gt=F("read_at"))),
        )
    )


def _participants(conversation) -> list[User]:
    return list(User.objects.filter(institution_id__in=conversation.institution_ids, is_active=True))


def message_event(message: Message, viewer_institution_id: int) -> dict:
    return {
        "type": "message.created",
        "conversation": message.conversation_id,
        "message": {
            "id": message.pk,
            "author": message.author.display_name,
            "institution": str(message.institution),
            "own": message.institution_id == viewer_institution_id,
            "body": message.body,
            "created_at": date_format(timezone.localtime(message.created_at), "SHORT_DATETIME_FORMAT"),
            "attachments": [
                {"name": a.name, "url": reverse("messaging:attachment", args=[message.conversation_id, a.pk])}
                for a in message.attachments.all()
            ],
        },
    }


def _deliver(message: Message):
    """Live to every open page of both sides; a notification to the other side's people who do
    not already have an unread one for this conversation."""
    conversation = message.conversation
    people = _participants(conversation)
    url = conversation.get_absolute_url()
    others = [u for u in people if u.institution_id != message.institution_id]
    already = set(
        Notification.objects.filter(recipient__in=others, url=url, read_at__isnull=True).values_list(
            "recipient_id", flat=True
        )
    )
    notify(
        [u for u in others if u.pk not in already],
        kind=NotificationKind.MESSAGE,
        title=_("Message from %(institution)s: %(subject)s")
        % {"institution": message.institution, "subject": conversation.subject},
        body=message.body[:300],
        url=url,
    )
    events = [(u.pk, message_event(message, u.institution_id)) for u in people]
    transaction.on_commit(lambda: send_to_users(events))


def _check_body(body: str, files) -> str:
    body = (body or "").strip()
    if not body and not files:
        raise ValidationError(_("Write a message or attach a file."))
    return body


@transaction.atomic
def start_conversation(author, counterpart: Institution, *, subject: str, body: str, files=(), client_token=None):
    institution = author.institution
    if not can_converse(institution, counterpart) or not counterpart.is_working:
        raise PermissionDenied(_("Your institution cannot write to this one."))
    body = _check_body(body, files)
    if client_token:
        earlier = (
            Message.objects.filter(author=author, client_token=client_token).select_related("conversation").first()
        )
        if earlier:
            return earlier.conversation
    now = timezone.now()
    conversation = Conversation.objects.create(
        subject=subject.strip(), started_by=institution, counterpart=counterpart, last_message_at=now
    )
    _post(author, conversation, body, files, client_token)
    return conversation


def _post(author, conversation, body, files, client_token) -> Message:
    try:
        with transaction.atomic():
            message = Message.objects.create(
                conversation=conversation,
                author=author,
                institution_id=author.institution_id,
                body=body,
                client_token=client_token,
            )
    except IntegrityError:  # the same form, posted twice at once
        return Message.objects.get(author=author, client_token=client_token)
    for upload in files:
        MessageAttachment.from_upload(upload, message=message)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    ConversationRead.objects.update_or_create(
        conversation=conversation, user=author, defaults={"read_at": message.created_at}
    )
    _deliver(message)
    return message


@transaction.atomic
def post_message(author, conversation: Conversation, *, body: str, files=(), client_token=None) -> Message:
    if author.institution_id not in conversation.institution_ids:
        raise PermissionDenied(_("You are not a side of this conversation."))
    # The lines hold for every message, not only the first (a school may move district).
    if not can_converse(author.institution, conversation.other_side(author.institution_id)):
        raise PermissionDenied(_("Your institution cannot write to this one."))
    body = _check_body(body, files)
    if client_token:
        earlier = Message.objects.filter(author=author, client_token=client_token).first()
        if earlier:
            return earlier
    return _post(author, conversation, body, files, client_token)


def mark_read(user, conversation: Conversation) -> None:
    ConversationRead.objects.update_or_create(
        conversation=conversation, user=user, defaults={"read_at": timezone.now()}
    )
