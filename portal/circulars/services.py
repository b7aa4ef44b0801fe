"""Circular actions: send, open, acknowledge, reply, remind. Each one notifies through `notify`
and tells the sender's open tables what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.institutions.models import Institution, Kind
from portal.institutions.scope import CITY, DISTRICT, scope_of
from portal.notifications.live import send_to_users
from portal.notifications.models import Kind as NotificationKind
from portal.notifications.services import notify

from .models import Circular, CircularAttachment, Delivery, Expected, Importance, ReplyAttachment

REMIND_EVERY = timedelta(hours=24)
REMIND_BEFORE = timedelta(hours=24)


def can_send(user) -> bool:
    return scope_of(user).level in (CITY, DISTRICT) and user.has_perm("circulars.add_circular")


@dataclass
class Audience:
    """Who a circular goes to. ДОН: district offices and/or schools, narrowed by districts and
    types, plus chosen schools. An РУО: its schools, narrowed by type, or chosen ones."""

    to_offices: bool = False
    to_schools: bool = True
    districts: list = field(default_factory=list)
    types: list = field(default_factory=list)
    schools: list = field(default_factory=list)

    def resolve(self, author):
        """The working institutions this audience names, within what the author may address."""
        scope = scope_of(author)
        reachable = Institution.objects.visible_to(author).working().exclude(pk=author.institution_id)
        if scope.level == DISTRICT:
            reachable = reachable.filter(kind=Kind.SCHOOL)
        chosen = Q(pk__in=[s.pk for s in self.schools]) if self.schools else Q(pk__in=[])
        matching = Q(pk__in=[])
        districts = Q(district__in=self.districts) if self.districts else Q()
        if self.to_schools:
            types = Q(institution_type__in=self.types) if self.types else Q()
            matching |= Q(kind=Kind.SCHOOL) & districts & types
        if self.to_offices and scope.level == CITY:
            matching |= Q(kind=Kind.DISTRICT) & districts
        return reachable.filter(matching | chosen).order_by("kind", "sort_name")

    def describe(self) -> str:
        parts = []
        if self.to_offices:
            parts.append(_("district offices"))
        if self.to_schools:
            schools = _("schools")
            if self.types:
                schools += " (" + ", ".join(self.types) + ")"
            parts.append(schools)
        text = _(" and ").join(parts)
        if self.districts:
            text += ": " + ", ".join(d.short_name for d in self.districts)
        elif parts:
            text += ": " + _("all districts")
        if self.schools:
            chosen = _("chosen schools: %(n)d") % {"n": len(self.schools)}
            text = f"{text}; {chosen}" if text else chosen
        return text[:500]


def _recipients_of(institution_ids) -> list[User]:
    # Only what notify() reads: a citywide circular loads ~3,000 accounts.
    return list(
        User.objects.filter(institution_id__in=institution_ids, is_active=True).only("pk", "is_active", "email")
    )


@transaction.atomic
def send_circular(
    author,
    *,
    subject: str,
    body: str,
    audience: Audience,
    importance: str = Importance.NORMAL,
    expected: str = Expected.ACKNOWLEDGE,
    deadline=None,
    files=(),
    client_token=None,
) -> Circular:
    """Send a circular to every institution of `audience`, each getting a delivery to act on.

    A retry with the same `client_token` returns the circular already sent.
    """
    if not can_send(author):
        raise PermissionDenied(_("You may not send circulars."))
    if client_token:
        existing = Circular.objects.filter(author=author, client_token=client_token).first()
        if existing:
            return existing
    if deadline is not None and deadline <= timezone.now():
        raise ValidationError(_("The deadline must be in the future."))
    institutions = list(audience.resolve(author).only("pk"))
    if not institutions:
        raise ValidationError(_("No institution matches the chosen recipients."))
    try:
        with transaction.atomic():
            circular = Circular.objects.create(
                sender=author.institution,
                author=author,
                subject=subject.strip(),
                body=body.strip(),
                importance=importance,
                expected=expected,
                deadline=deadline,
                audience=audience.describe(),
                client_token=client_token,
            )
    except IntegrityError:  # the same form, posted twice at the same moment
        return Circular.objects.get(author=author, client_token=client_token)
    for upload in files:
        CircularAttachment.from_upload(upload, circular=circular)
    Delivery.objects.bulk_create(
        [Delivery(circular=circular, institution_id=i.pk, delivered_at=circular.sent_at) for i in institutions],
        batch_size=1000,
    )
    important = importance != Importance.NORMAL
    notify(
        _recipients_of([i.pk for i in institutions]),
        kind=NotificationKind.CIRCULAR,
        title=_("New circular from %(sender)s: %(subject)s") % {"sender": circular.sender, "subject": circular.subject},
        body=_deadline_line(circular),
        url=circular.get_absolute_url(),
        important=important,
        email=important,
    )
    return circular


def _deadline_line(circular) -> str:
    if not circular.deadline:
        return ""
    what = (_("Reply by %(date)s.") if circular.expected == Expected.REPLY else _("Acknowledge by %(date)s.")) % {
        "date": date_format(timezone.localtime(circular.deadline), "DATETIME_FORMAT")
    }
    return what


def delivery_for(user, circular) -> Delivery | None:
    """The delivery the person's own institution received, which they act on."""
    if user.institution_id is None:
        return None
    return (
        Delivery.objects.filter(circular=circular, institution_id=user.institution_id)
        .select_related("circular")
        .first()
    )


def watchers(delivery: Delivery) -> list[int]:
    """Who follows this delivery live: the sending institution's people and, for a school, its
    district office's (it sees the state of ДОН's letters to its schools)."""
    institutions = [delivery.circular.sender_id]
    institution = delivery.institution
    if (
        institution.kind == Kind.SCHOOL
        and institution.district_id
        and institution.district_id != delivery.circular.sender_id
    ):
        institutions.append(institution.district_id)
    if delivery.circular.sender.kind != Kind.CITY:
        # ДОН oversees every circular: its people watching an РУО's table see it move too.
        institutions += list(Institution.objects.filter(kind=Kind.CITY).values_list("pk", flat=True))
    return list(User.objects.filter(institution_id__in=institutions, is_active=True).values_list("pk", flat=True))


def _fmt(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else ""


def delivery_event(delivery: Delivery) -> dict:
    return {
        "type": "circular.delivery",
        "circular": delivery.circular_id,
        "delivery": delivery.pk,
        "state": str(delivery.state),
        "state_label": str(delivery.get_state_display()),
        "read_at": _fmt(delivery.read_at),
        "acknowledged_at": _fmt(delivery.acknowledged_at),
        "replied_at": _fmt(delivery.replied_at),
        "reply": delivery.reply_text[:200],
    }


def _push(delivery: Delivery):
    event = delivery_event(delivery)
    ids = watchers(delivery)
    transaction.on_commit(lambda: send_to_users([(user_id, event) for user_id in ids]))


def _require_recipient(user, delivery: Delivery):
    if delivery.institution_id != user.institution_id:
        raise PermissionDenied(_("Only the recipient institution can answer this circular."))


@transaction.atomic
def mark_read(user, delivery: Delivery) -> bool:
    """The first opening by anyone of the recipient institution counts as read."""
    _require_recipient(user, delivery)
    updated = Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=timezone.now(), read_by=user)
    if updated:
        delivery.refresh_from_db()
        _push(delivery)
    return bool(updated)


@transaction.atomic
def acknowledge(user, delivery: Delivery) -> bool:
    """«Ознайомлений». Pressing it twice changes nothing."""
    _require_recipient(user, delivery)
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=now, read_by=user)
    updated = Delivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=user
    )
    delivery.refresh_from_db()
    if updated:
        _push(delivery)
    return bool(updated)


@transaction.atomic
def reply(user, delivery: Delivery, text: str, files=()) -> bool:
    """Reply with text and files, once; a second submission (a retry) is ignored."""
    _require_recipient(user, delivery)
    locked = Delivery.objects.select_for_update().select_related("circular", "institution").get(pk=delivery.pk)
    if locked.replied_at:
        return False
    text = (text or "").strip()
    if not text and not files:
        raise ValidationError(_("Write a reply or attach a file."))
    now = timezone.now()
    locked.reply_text = text
    locked.replied_at = now
    locked.replied_by = user
    locked.read_at = locked.read_at or now
    locked.read_by = locked.read_by or user
    locked.save()
    for upload in files:
        ReplyAttachment.from_upload(upload, delivery=locked)
    circular = locked.circular
    notify(
        [circular.author],
        kind=NotificationKind.CIRCULAR_REPLY,
        title=_("%(institution)s replied to «%(subject)s»")
        % {"institution": locked.institution, "subject": circular.subject},
        body=text[:300],
        url=circular.get_absolute_url() + f"#delivery-{locked.pk}",
    )
    _push(locked)
    delivery.refresh_from_db()
    return True


def pending(circular_filter: Q | None = None):
    """Deliveries that still owe what their circular expects."""
    circular_filter = circular_filter if circular_filter is not None else Q()
    owes_ack = Q(circular__expected=Expected.ACKNOWLEDGE, acknowledged_at__isnull=True, replied_at__isnull=True)
    owes_reply = Q(circular__expected=Expected.REPLY, replied_at__isnull=True)
    return Delivery.objects.filter(circular_filter).filter(owes_ack | owes_reply)


@transaction.atomic
def send_reminders(now=None, circular: Circular | None = None, actor=None) -> int:
    """Remind the institutions that owe a circular: those past the deadline, and those whose
    deadline is within a day. Nobody is reminded twice within a day. Returns how many."""
    now = now or timezone.now()
    if circular is not None and actor is not None and circular.sender_id != actor.institution_id:
        raise PermissionDenied(_("Only the sender reminds."))
    scope = Q(circular=circular) if circular is not None else Q()
    due = (
        pending(scope & Q(circular__deadline__isnull=False, circular__deadline__lte=now + REMIND_BEFORE))
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_EVERY))
        .select_related("circular", "circular__sender", "institution")
    )
    if circular is not None:
        due = due.filter(circular__deadline__lte=now)  # the sender's button reminds the overdue
    deliveries = list(due)
    by_circular: dict[int, list[Delivery]] = {}
    for delivery in deliveries:
        by_circular.setdefault(delivery.circular_id, []).append(delivery)
    for group in by_circular.values():
        circ = group[0].circular
        overdue = circ.deadline <= now
        title = (
            _("Overdue: «%(subject)s» from %(sender)s")
            if overdue
            else _("Deadline tomorrow: «%(subject)s» from %(sender)s")
        ) % {"subject": circ.subject, "sender": circ.sender}
        notify(
            _recipients_of([d.institution_id for d in group]),
            kind=NotificationKind.REMINDER,
            title=title,
            body=_deadline_line(circ),
            url=circ.get_absolute_url(),
            important=True,
            email=True,
        )
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(reminded_at=now, reminders=F("reminders") + 1)
    return len(deliveries)
