from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.web import next_url

from . import services
from .models import Kind, Notification


@login_required
def notification_list(request):
    notifications = Notification.objects.for_user(request.user)
    show = request.GET.get("show", "")
    if show == "unread":
        notifications = notifications.unread()
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        notifications = notifications.filter(kind=kind)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "show": show, "kind": kind, "kinds": Kind.choices},
    )


@login_required
def open_notification(request, pk):
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if notification.read_at is None:
        services.mark_read(request.user, [notification.pk])
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notifications:list"
    return redirect(target)


@login_required
@require_POST
def mark_read(request, pk):
    get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(request.user, [pk])
    return redirect(next_url(request, "notifications:list"))


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(request.user)
    return redirect("notifications:list")
