"""The one way to tell people something: `notify` writes a row per recipient, then, on commit,
sends each recipient's open pages a live event (and, for important news, an e-mail)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from .live import send_to_users
from .models import Kind, Notification

logger = logging.getLogger(__name__)


def notify(
    recipients: Iterable,
    *,
    title: str,
    body: str = "",
    url: str = "",
    kind: str = Kind.SYSTEM,
    important: bool = False,
    email: bool = False,
) -> list[Notification]:
    """Notify each of `recipients` (users or a queryset of users; inactive ones are skipped).

    Returns the rows written. Must run inside the caller's transaction: nothing is sent unless
    it commits.
    """
    users = [u for u in recipients if u.is_active]
    rows = [
        Notification(recipient=u, kind=kind, title=title[:300], body=body, url=url, important=important) for u in users
    ]
    # PostgreSQL returns the new ids from a bulk insert, which the live events carry.
    Notification.objects.bulk_create(rows, batch_size=1000)
    transaction.on_commit(lambda: push_created(rows))
    if email:
        addressed = [(u, n) for u, n in zip(users, rows, strict=True) if u.email]
        transaction.on_commit(lambda: send_emails(addressed))
    return rows


def unread_counts(user_ids: list[int]) -> dict[int, int]:
    counts = dict(
        Notification.objects.filter(recipient_id__in=user_ids, read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values_list("recipient_id", "n")
    )
    return {user_id: counts.get(user_id, 0) for user_id in user_ids}


def push_created(rows: list[Notification]) -> None:
    counts = unread_counts([n.recipient_id for n in rows])
    send_to_users(
        [
            (n.recipient_id, {"type": "notification", "notification": n.as_event(), "unread": counts[n.recipient_id]})
            for n in rows
        ]
    )


def push_unread(user) -> None:
    """Tell the person's other open pages their new unread count (after reading)."""
    count = Notification.objects.for_user(user).unread().count()
    send_to_users([(user.pk, {"type": "unread", "unread": count})])


def send_emails(addressed: list[tuple]) -> None:
    """Important notifications by e-mail, through Django's mail settings (console by default)."""
    if not addressed:
        return
    site = settings.EKABINET_SITE_URL.rstrip("/")
    messages = []
    for user, notification in addressed:
        link = f"{site}{notification.url}" if notification.url else site + "/"
        text = "\n\n".join(
            part
            for part in (
                notification.body,
                _("Open in the E-cabinet: %(link)s") % {"link": link},
                _("You receive this letter because the notification was marked important."),
            )
            if part
        )
        messages.append(EmailMessage(_("E-cabinet: %(title)s") % {"title": notification.title}, text, to=[user.email]))
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except Exception:  # noqa: BLE001 - mail trouble must not undo or hide the notification
        logger.exception("could not send %d notification e-mails", len(messages))


def mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with None, all) of the person's notifications read; returns how many."""
    unread = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    changed = unread.update(read_at=timezone.now())
    if changed:
        transaction.on_commit(lambda: push_unread(user))
    return changed
