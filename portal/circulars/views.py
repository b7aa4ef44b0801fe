"""Circular pages: inbox, sent, followed, compose, one circular (recipient's and sender's view)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.institutions.scope import CITY, DISTRICT, scope_of

from . import services
from .exports import deliveries_xlsx
from .forms import CircularForm, DeliveryFilterForm, ReplyForm
from .models import Circular, CircularAttachment, Delivery, Expected, ReplyAttachment


def _visible(user):
    return Circular.objects.visible_to(user).select_related("sender", "author")


def _done_q(prefix="deliveries__"):
    return Q(**{f"{prefix}replied_at__isnull": False}) | Q(
        expected=Expected.ACKNOWLEDGE, **{f"{prefix}acknowledged_at__isnull": False}
    )


def with_progress(circulars, deliveries_q: Q | None = None):
    """Count each circular's deliveries (those matching `deliveries_q`): total, read, done."""
    deliveries_q = deliveries_q if deliveries_q is not None else Q()
    return circulars.annotate(
        total=Count("deliveries", filter=deliveries_q),
        read=Count("deliveries", filter=deliveries_q & Q(deliveries__read_at__isnull=False)),
        done=Count("deliveries", filter=deliveries_q & _done_q()),
    ).order_by("-sent_at", "-pk")


@login_required
def inbox(request):
    deliveries = (
        Delivery.objects.filter(institution_id=request.user.institution_id)
        .select_related("circular", "circular__sender")
        .order_by("-delivered_at", "-pk")
    )
    show = request.GET.get("show", "")
    if show == "pending":
        deliveries = deliveries.filter(pk__in=services.pending().values("pk"))
    elif show == "overdue":
        deliveries = deliveries.filter(pk__in=services.pending().values("pk"), circular__deadline__lt=timezone.now())
    page = Paginator(deliveries, 30).get_page(request.GET.get("page"))
    return render(
        request, "circulars/inbox.html", {"page": page, "show": show, "can_send": services.can_send(request.user)}
    )


@login_required
def sent(request):
    if not services.can_send(request.user):
        raise PermissionDenied
    circulars = with_progress(Circular.objects.filter(sender_id=request.user.institution_id).select_related("author"))
    page = Paginator(circulars, 30).get_page(request.GET.get("page"))
    return render(request, "circulars/sent.html", {"page": page})


@login_required
def followed(request):
    """ДОН follows the district offices' circulars; an РУО follows ДОН's letters to its schools."""
    scope = scope_of(request.user)
    if scope.level not in (CITY, DISTRICT):
        raise PermissionDenied
    in_scope = scope.q("deliveries__institution") & ~Q(deliveries__institution_id=request.user.institution_id)
    circulars = with_progress(_visible(request.user).exclude(sender_id=request.user.institution_id), in_scope).filter(
        total__gt=0
    )
    page = Paginator(circulars, 30).get_page(request.GET.get("page"))
    return render(request, "circulars/followed.html", {"page": page})


@login_required
def compose(request):
    if not services.can_send(request.user):
        raise PermissionDenied
    form = CircularForm(request.POST or None, request.FILES or None, author=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            circular = services.send_circular(
                request.user,
                subject=data["subject"],
                body=data["body"],
                importance=data["importance"],
                expected=data["expected"],
                deadline=data["deadline"],
                audience=form.audience(),
                files=data["files"],
                client_token=data["client_token"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The circular is sent to %(n)d institutions.") % {"n": circular.deliveries.count()}
            )
            return redirect(circular)
    return render(request, "circulars/compose.html", {"form": form})


def _table_deliveries(user, circular):
    """The rows the person may follow: all for the sender, those in scope for an overseer."""
    if circular.sender_id == user.institution_id:
        rows = circular.deliveries.all()
    else:
        rows = Delivery.objects.visible_to(user).filter(circular=circular).exclude(institution_id=user.institution_id)
    return rows.select_related("institution", "institution__district", "circular").prefetch_related("attachments")


@login_required
def detail(request, pk):
    circular = get_object_or_404(_visible(request.user).prefetch_related("attachments"), pk=pk)
    own = services.delivery_for(request.user, circular)
    if own is not None and own.read_at is None:
        services.mark_read(request.user, own)
        own.refresh_from_db()
    context = {"circular": circular, "own": own, "reply_form": ReplyForm()}
    if circular.sender_id == request.user.institution_id or scope_of(request.user).level in (CITY, DISTRICT):
        rows = list(_table_deliveries(request.user, circular))
        filters = DeliveryFilterForm(request.GET or None)
        shown = rows
        if filters.is_valid():
            if filters.cleaned_data["state"]:
                shown = [d for d in shown if d.state == filters.cleaned_data["state"]]
            if filters.cleaned_data["q"]:
                needle = filters.cleaned_data["q"].casefold()
                shown = [d for d in shown if needle in d.institution.search_text]
        counts = {}
        for delivery in rows:
            counts[delivery.state] = counts.get(delivery.state, 0) + 1
        context.update(
            table=shown,
            total=len(rows),
            counts=counts,
            filters=filters,
            is_sender=circular.sender_id == request.user.institution_id,
        )
    return render(request, "circulars/detail.html", context)


def _own_delivery(request, pk):
    circular = get_object_or_404(_visible(request.user), pk=pk)
    own = services.delivery_for(request.user, circular)
    if own is None:
        raise PermissionDenied
    return circular, own


@login_required
@require_POST
def acknowledge(request, pk):
    circular, own = _own_delivery(request, pk)
    if services.acknowledge(request.user, own):
        messages.success(request, _("Marked as acknowledged."))
    return redirect(circular)


@login_required
@require_POST
def reply(request, pk):
    circular, own = _own_delivery(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            if services.reply(request.user, own, form.cleaned_data["text"], form.cleaned_data["files"]):
                messages.success(request, _("Your reply is sent."))
            else:
                messages.info(request, _("Your institution has already replied."))
            return redirect(circular)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "circulars/detail.html", {"circular": circular, "own": own, "reply_form": form}, status=400)


@login_required
@require_POST
def remind(request, pk):
    circular = get_object_or_404(_visible(request.user), pk=pk)
    if circular.sender_id != request.user.institution_id or not services.can_send(request.user):
        raise PermissionDenied
    count = services.send_reminders(circular=circular, actor=request.user)
    messages.success(request, _("Reminders sent: %(n)d.") % {"n": count})
    return redirect(circular)


@login_required
def export(request, pk):
    circular = get_object_or_404(_visible(request.user), pk=pk)
    if not (circular.sender_id == request.user.institution_id or scope_of(request.user).level in (CITY, DISTRICT)):
        raise PermissionDenied
    content = deliveries_xlsx(circular, _table_deliveries(request.user, circular))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="circular-{circular.pk}.xlsx"'
    return response


@login_required
def attachment(request, pk, file_pk):
    circular = get_object_or_404(_visible(request.user), pk=pk)
    return get_object_or_404(CircularAttachment, circular=circular, pk=file_pk).response()


@login_required
def reply_attachment(request, pk, file_pk):
    circular = get_object_or_404(_visible(request.user), pk=pk)
    item = get_object_or_404(
        ReplyAttachment.objects.select_related("delivery"), pk=file_pk, delivery__circular=circular
    )
    allowed = (
        item.delivery.institution_id == request.user.institution_id
        or _table_deliveries(request.user, circular).filter(pk=item.delivery_id).exists()
    )
    if not allowed:
        raise Http404
    return item.response()
