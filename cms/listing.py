"""The readers' listing of regulations and the archive: filters, sorting, constant queries."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from .models import (
    ArchiveItemPage,
    DocKind,
    IssuingBody,
    RegulationAttachment,
    RegulationPage,
    RegulationTag,
    Status,
)
from .visibility import visible_q

# Tie-breakers on page_ptr (the table's own key) let the newest-first index serve the order.
SORTS = {"-date": ("-adopted_on", "-page_ptr"), "date": ("adopted_on", "page_ptr"), "title": ("title", "page_ptr")}


class RegulationFilter(forms.Form):
    q = forms.CharField(label=_("Title or number"), required=False)
    doc_kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *DocKind.choices])
    issuing_body = forms.ChoiceField(
        label=_("Issued by"), required=False, choices=[("", _("Any body")), *IssuingBody.choices]
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("In force (default)")), ("any", _("Any status")), *Status.choices],
    )
    tag = forms.CharField(label=_("Tag"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[("-date", _("Newest first")), ("date", _("Oldest first")), ("title", _("By title"))],
    )

    def __init__(self, data, base, *, user):
        super().__init__(data or None)
        self.base = base
        self.user = user

    def queryset(self):
        data = self.cleaned_data if self.is_valid() else {}
        regulations = self.base.live().filter(visible_q(self.user))
        status = data.get("status") or ""
        if status == "":
            regulations = regulations.filter(status__in=[Status.IN_FORCE, Status.AMENDED])
        elif status != "any":
            regulations = regulations.filter(status=status)
        if data.get("q"):
            text = data["q"].strip()
            regulations = regulations.filter(Q(title__icontains=text) | Q(number__icontains=text))
        for field in ("doc_kind", "issuing_body"):
            if data.get(field):
                regulations = regulations.filter(**{field: data[field]})
        if data.get("year"):
            regulations = regulations.filter(adopted_year=data["year"])
        if data.get("tag"):
            regulations = regulations.filter(tagged_items__tag__name=data["tag"])
        return (
            regulations.order_by(*SORTS.get(data.get("sort") or "-date"))
            .defer("body")
            .prefetch_related(
                # The tags through their items: ClusterTaggableManager's .all() ignores a prefetch.
                Prefetch("tagged_items", queryset=RegulationTag.objects.select_related("tag")),
                Prefetch("attachments", queryset=RegulationAttachment.objects.select_related("document")),
            )
        )


class ArchiveFilter(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    doc_kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *DocKind.choices])
    issuing_body = forms.ChoiceField(
        label=_("Issued by"), required=False, choices=[("", _("Any body")), *IssuingBody.choices]
    )


def archive_entries(request, archive_page) -> dict:
    """Both kinds of archived content, newest first, filtered; one page of them.

    The two kinds are merged and paginated as (date, kind, id) tuples; only the shown page's
    objects are loaded, so the archive costs the same however much lost force.
    """
    form = ArchiveFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    lost = RegulationPage.objects.live().filter(status=Status.LOST_FORCE).filter(visible_q(request.user))
    items = ArchiveItemPage.objects.live().child_of(archive_page).filter(visible_q(request.user))
    if data.get("year"):
        lost = lost.filter(adopted_year=data["year"])
        items = items.filter(year=data["year"])
    for field in ("doc_kind", "issuing_body"):
        if data.get(field):
            lost = lost.filter(**{field: data[field]})
            items = items.filter(**{field: data[field]})
    keys = [(day, "regulation", pk) for day, pk in lost.order_by().values_list("adopted_on", "pk")]
    keys += [(day, "item", pk) for day, pk in items.order_by().values_list("dated", "pk")]
    keys.sort(key=lambda key: (key[0], key[2]), reverse=True)
    page = Paginator(keys, 30).get_page(request.GET.get("page"))
    shown_regulations = RegulationPage.objects.in_bulk([pk for _d, kind, pk in page if kind == "regulation"])
    shown_items = ArchiveItemPage.objects.in_bulk([pk for _d, kind, pk in page if kind == "item"])
    page.object_list = [
        (day, kind, shown_regulations[pk] if kind == "regulation" else shown_items[pk]) for day, kind, pk in page
    ]
    readable = visible_q(request.user)
    years = sorted(
        set(
            RegulationPage.objects.live()
            .filter(readable, status=Status.LOST_FORCE)
            .order_by()
            .values_list("adopted_year", flat=True)
            .distinct()
        )
        | set(ArchiveItemPage.objects.live().filter(readable).order_by().values_list("year", flat=True).distinct()),
        reverse=True,
    )
    return {"filter": form, "page_obj": page, "years": years}
