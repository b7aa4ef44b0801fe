"""The readers' listing of regulations and the archive: filters, sorting, constant queries."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch
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

SORTS = {"-date": ("-adopted_on", "-pk"), "date": ("adopted_on", "pk"), "title": ("title", "pk")}


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
            regulations = regulations.filter(models_q_title_or_number(text))
        for field in ("doc_kind", "issuing_body"):
            if data.get(field):
                regulations = regulations.filter(**{field: data[field]})
        if data.get("year"):
            regulations = regulations.filter(adopted_year=data["year"])
        if data.get("tag"):
            regulations = regulations.filter(tagged_items__tag__name=data["tag"])
        return regulations.order_by(*SORTS.get(data.get("sort") or "-date")).prefetch_related(
            # The tags through their items: ClusterTaggableManager's .all() ignores a prefetch.
            Prefetch("tagged_items", queryset=RegulationTag.objects.select_related("tag")),
            Prefetch("attachments", queryset=RegulationAttachment.objects.select_related("document")),
        )


def models_q_title_or_number(text):
    from django.db.models import Q

    return Q(title__icontains=text) | Q(number__icontains=text)


class ArchiveFilter(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    doc_kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *DocKind.choices])
    issuing_body = forms.ChoiceField(
        label=_("Issued by"), required=False, choices=[("", _("Any body")), *IssuingBody.choices]
    )


def archive_entries(request, archive_page) -> dict:
    """Both kinds of archived content, newest first, filtered; one page of them."""
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
    entries = [(r.adopted_on, "regulation", r) for r in lost.order_by("-adopted_on")] + [
        (i.dated, "item", i) for i in items.order_by("-dated")
    ]
    entries.sort(key=lambda entry: entry[0], reverse=True)
    years = sorted(
        set(RegulationPage.objects.live().filter(status=Status.LOST_FORCE).values_list("adopted_year", flat=True))
        | set(ArchiveItemPage.objects.live().values_list("year", flat=True)),
        reverse=True,
    )
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    return {"filter": form, "page_obj": page, "years": years}
