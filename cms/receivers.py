"""Publishing and the editorial workflow speak through the portal's notifications.

A regulation or announcement published for the first time (or whose status changed) notifies
its audience; each workflow step notifies the approvers or the editor it concerns.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import PageLogEntry
from wagtail.signals import page_published, post_page_move, task_rejected, task_submitted, workflow_approved

from portal.accounts.models import User
from portal.notifications.models import Kind
from portal.notifications.services import notify

from .publication import is_quiet
from .visibility import can_read


def audience_of(page):
    """The active accounts that may read `page`: the reader pages' rule, asked in memory."""
    accounts = User.objects.filter(is_active=True, institution__isnull=False).select_related("institution")
    return [user for user in accounts.iterator(chunk_size=2000) if can_read(user, page)]


@receiver(page_published)
def announce_publication(sender, instance, revision, **kwargs):
    from .models import AnnouncementPage, RegulationPage

    page = instance.specific
    if is_quiet() or not isinstance(page, RegulationPage | AnnouncementPage):
        return
    earlier = (
        PageLogEntry.objects.filter(page=page, action="wagtail.publish", revision__isnull=False)
        .exclude(revision=revision)
        .order_by("-timestamp", "-pk")
        .first()
    )
    first = earlier is None
    status_changed = (
        isinstance(page, RegulationPage) and not first and earlier.revision.as_object().status != page.status
    )
    if not (first or status_changed):
        return
    if isinstance(page, AnnouncementPage):
        title = _("Announcement: %(title)s") % {"title": page.title}
    elif first:
        title = _("New in the regulatory base: %(title)s") % {"title": page.title}
    else:
        title = _("Status changed to «%(status)s»: %(title)s") % {
            "status": page.get_status_display(),
            "title": page.title,
        }
    notify(audience_of(page), kind=Kind.SYSTEM, title=title, body=getattr(page, "summary", "")[:300], url=page.url)


def _edit_url(page_id) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id])


@receiver(task_submitted)
def tell_the_approvers(sender, instance, user, **kwargs):
    """A page waits for approval: the approvers of that task hear of it."""
    task = instance.task.specific
    groups = getattr(task, "groups", None)
    if groups is None:
        return
    page = instance.workflow_state.content_object
    approvers = User.objects.filter(groups__in=groups.all(), is_active=True).distinct()
    notify(
        approvers,
        kind=Kind.SYSTEM,
        title=_("Awaiting your approval: %(title)s") % {"title": page.title},
        body=_("Submitted by %(who)s.") % {"who": user.display_name if user else "—"},
        url=_edit_url(page.pk),
        important=True,
    )


@receiver(task_rejected)
def tell_the_editor_of_rejection(sender, instance, user, **kwargs):
    state = instance.workflow_state
    page = state.content_object
    if state.requested_by is None:
        return
    notify(
        [state.requested_by],
        kind=Kind.SYSTEM,
        title=_("Returned for changes: %(title)s") % {"title": page.title},
        body=instance.comment or "",
        url=_edit_url(page.pk),
        important=True,
    )


@receiver(workflow_approved)
def tell_the_editor_of_approval(sender, instance, user, **kwargs):
    page = instance.content_object
    if instance.requested_by is None:
        return
    notify(
        [instance.requested_by],
        kind=Kind.SYSTEM,
        title=_("Approved: %(title)s") % {"title": page.title},
        url=_edit_url(page.pk),
    )


@receiver(post_save, sender=User)
def keep_cms_groups(sender, instance, created, update_fields=None, **kwargs):
    """An account's position and district decide its editorial groups (see cms.setup)."""
    if update_fields and not {"position", "institution", "is_active"} & set(update_fields):
        return
    from .setup import sync_cms_groups

    sync_cms_groups(instance)


@receiver(post_page_move)
def keep_the_owner_district(sender, instance, **kwargs):
    """A regulation moved into or out of a district's section belongs to the district it is in now."""
    from .models import RegulationPage

    for page in RegulationPage.objects.descendant_of(instance, inclusive=True):
        before = page.owner_district_id
        page.set_owner_district()
        if page.owner_district_id != before:
            RegulationPage.objects.filter(pk=page.pk).update(owner_district=page.owner_district_id)
