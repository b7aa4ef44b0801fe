"""Page types of the regulatory base, the archive and the announcements, and their documents."""

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import BodyBlock
from .serializers import RelationLinksField, TagNamesField
from .visibility import Audience, can_read, visible_q


class RegulationDocument(AbstractDocument):
    """A Wagtail document that keeps the text extracted from it at upload, for search."""

    text = models.TextField(_("extracted text"), blank=True, editable=False)

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def extension(self) -> str:
        return self.file_extension.upper()


class DocKind(models.TextChoices):
    LAW = "law", _("Law")
    CODE = "code", _("Code")
    RESOLUTION = "resolution", _("Resolution")
    DIRECTIVE = "directive", _("Directive")
    ORDER = "order", _("Order")
    DECISION = "decision", _("Decision")
    LETTER = "letter", _("Letter")
    RECOMMENDATIONS = "recommendations", _("Methodological recommendations")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class IssuingBody(models.TextChoices):
    PARLIAMENT = "vru", _("Verkhovna Rada of Ukraine")
    CABINET = "kmu", _("Cabinet of Ministers of Ukraine")
    MINISTRY = "mon", _("Ministry of Education and Science of Ukraine")
    HEALTH_MINISTRY = "moz", _("Ministry of Health of Ukraine")
    CITY_ADMINISTRATION = "kmda", _("Kyiv City State Administration")
    CITY_COUNCIL = "kmr", _("Kyiv City Council")
    DEPARTMENT = "don", _("Department of Education and Science of Kyiv")
    DISTRICT_OFFICE = "ruo", _("District education office")


class Status(models.TextChoices):
    IN_FORCE = "in_force", _("in force")
    LOST_FORCE = "lost_force", _("no longer in force")
    SUSPENDED = "suspended", _("suspended")
    AMENDED = "amended", _("amended")


class RelationKind(models.TextChoices):
    AMENDS = "amends", _("amends")
    REPEALED_BY = "repealed_by", _("replaced by")
    IMPLEMENTS = "implements", _("implements")


# What the other side of a relation reads.
INVERSE_LABELS = {
    RelationKind.AMENDS: _("amended by"),
    RelationKind.REPEALED_BY: _("replaces"),
    RelationKind.IMPLEMENTS: _("implemented by"),
}


class ReaderPage(Page):
    """A page for logged-in readers only; with an audience, only for that audience."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        return self.refusal(request) or super().serve(request, *args, **kwargs)

    def refusal(self, request):
        """A response refusing the request (login first; 404 outside the audience), or None."""
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url="/")
        if not self.is_visible_to(request.user):
            raise Http404
        return None

    def is_visible_to(self, user) -> bool:
        return True


class AudienceFields(models.Model):
    audience = models.CharField(
        _("audience"),
        max_length=16,
        choices=Audience.choices,
        default=Audience.EVERYONE,
        help_text=_("Who may read it. Everyone logged in, by default."),
    )
    # Set from the place in the tree: a district office's order is for that district.
    owner_district = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("district"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def is_visible_to(self, user) -> bool:
        return can_read(user, self)

    def set_owner_district(self):
        parent = self.get_parent()
        section = parent.specific if parent is not None else None
        self.owner_district_id = getattr(section, "district_id", None)


class ContentRoot(Page):
    """The site's root: the portal's own start page lives at "/", so it is never shown."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.RegulationIndexPage", "cms.DistrictOrdersIndexPage", "cms.ArchivePage", "cms.NewsIndexPage"]

    class Meta:
        verbose_name = _("content root")

    def serve(self, request, *args, **kwargs):
        return redirect("home:index")


class ListingPage(ReaderPage):
    """A page that lists regulations with the readers' filters."""

    intro = models.TextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    per_page = 20
    nav_current = "regulations"

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        # One template for every listing (Wagtail would otherwise look for one per page type).
        return "cms/regulation_listing.html"

    def regulations(self):
        return RegulationPage.objects.all()

    def get_context(self, request, *args, **kwargs):
        from .listing import RegulationFilter

        context = super().get_context(request, *args, **kwargs)
        listing = RegulationFilter(request.GET, self.regulations(), user=request.user)
        page_obj = Paginator(listing.queryset(), self.per_page).get_page(request.GET.get("page"))
        parent = self.get_parent()
        context.update(
            filter=listing,
            page_obj=page_obj,
            regulations=page_obj.object_list,
            parent=None if parent.specific_class is ContentRoot else parent,
            nav_current=self.nav_current,
        )
        return context


class RegulationIndexPage(ListingPage):
    max_count = 1
    parent_page_types = ["cms.ContentRoot"]
    subpage_types = ["cms.RegulationSectionPage"]

    class Meta:
        verbose_name = _("regulatory base")


class RegulationSectionPage(ListingPage):
    parent_page_types = ["cms.RegulationIndexPage"]
    subpage_types = ["cms.RegulationPage"]

    class Meta:
        verbose_name = _("section of the regulatory base")

    def regulations(self):
        return RegulationPage.objects.child_of(self)


class DistrictOrdersIndexPage(ListingPage):
    nav_current = "district"
    max_count = 1
    parent_page_types = ["cms.ContentRoot"]
    subpage_types = ["cms.DistrictSectionPage"]

    class Meta:
        verbose_name = _("district orders")

    def regulations(self):
        return RegulationPage.objects.descendant_of(self)


class DistrictSectionPage(ListingPage):
    """A district office's own section: its editors draft here, its head approves."""

    district = models.OneToOneField(
        "institutions.Institution",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "district"},
        related_name="+",
    )
    content_panels = [*ListingPage.content_panels, FieldPanel("district")]
    nav_current = "district"
    parent_page_types = ["cms.DistrictOrdersIndexPage"]
    subpage_types = ["cms.RegulationPage"]

    class Meta:
        verbose_name = _("district section")

    def is_visible_to(self, user) -> bool:
        """ДОН, the district office itself and its schools (the same rule as its orders')."""
        from portal.institutions.scope import scope_of

        scope = scope_of(user)
        return scope.is_city or (scope.district_id is not None and scope.district_id == self.district_id)

    def regulations(self):
        return RegulationPage.objects.child_of(self)


class RegulationTag(TaggedItemBase):
    content_object = ParentalKey("cms.RegulationPage", on_delete=models.CASCADE, related_name="tagged_items")


class RegulationPage(RoutablePageMixin, AudienceFields, ReaderPage):
    doc_kind = models.CharField(_("kind of document"), max_length=32, choices=DocKind.choices, db_index=True)
    number = models.CharField(_("number"), max_length=100, blank=True)
    adopted_on = models.DateField(_("date of adoption"))
    adopted_year = models.PositiveSmallIntegerField(_("year"), editable=False, db_index=True)
    issuing_body = models.CharField(_("issuing body"), max_length=16, choices=IssuingBody.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_FORCE, db_index=True
    )
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    lost_force_on = models.DateField(_("no longer in force from"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("text"), blank=True)
    tags = ClusterTaggableManager(through=RegulationTag, blank=True, verbose_name=_("tags"))

    parent_page_types = ["cms.RegulationSectionPage", "cms.DistrictSectionPage"]
    subpage_types = []
    template = "cms/regulation_page.html"

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("doc_kind"), FieldPanel("number"), FieldPanel("adopted_on")]),
                FieldPanel("issuing_body"),
            ],
            heading=_("Requisites"),
        ),
        MultiFieldPanel(
            [FieldPanel("status"), FieldRowPanel([FieldPanel("in_force_from"), FieldPanel("lost_force_on")])],
            heading=_("Status"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments (the official text)")),
        FieldPanel("tags"),
        InlinePanel("relations", label=_("Related regulations")),
        FieldPanel("audience"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("number"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("doc_kind"),
        index.FilterField("status"),
        index.FilterField("issuing_body"),
        index.FilterField("adopted_year"),
        index.FilterField("audience"),
        index.FilterField("owner_district"),
    ]

    api_fields = [
        APIField("doc_kind"),
        APIField("number"),
        APIField("adopted_on"),
        APIField("adopted_year"),
        APIField("issuing_body"),
        APIField("status"),
        APIField("in_force_from"),
        APIField("lost_force_on"),
        APIField("summary"),
        APIField("body"),
        APIField("tags", serializer=TagNamesField()),
        APIField("audience"),
        APIField("attachment_links"),
        APIField("relation_links", serializer=RelationLinksField()),
    ]

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        indexes = [
            models.Index(fields=["status", "-adopted_on"]),
            # The listing's order, newest first: served by the index instead of a sort.
            models.Index(fields=["-adopted_on", "-page_ptr"], name="cms_regulation_newest"),
        ]

    def save(self, *args, **kwargs):
        if self.adopted_on:
            self.adopted_year = self.adopted_on.year
        if self.pk is None or self.owner_district_id is None:
            if self.depth:
                self.set_owner_district()
        return super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        if self.adopted_on:
            self.adopted_year = self.adopted_on.year
        super().full_clean(*args, **kwargs)

    @property
    def requisites(self) -> str:
        """«Закон України від 05.09.2017 № 2145-VIII»: the way documents cite each other."""
        parts = [self.get_doc_kind_display(), _("of %(date)s") % {"date": self.adopted_on.strftime("%d.%m.%Y")}]
        if self.number:
            parts.append(f"№ {self.number}")
        return " ".join(str(p) for p in parts)

    @property
    def is_archived(self) -> bool:
        return self.status == Status.LOST_FORCE

    def related_for(self, user) -> dict:
        """The related regulations this person may read, both ways, and what replaced this one.

        A relation may point at a draft or at a page for another audience: its title is shown
        only to whoever may read that page."""
        outgoing = [r for r in self.relations.all() if can_read(user, r.target)]
        incoming = [
            r for r in RegulationRelation.objects.filter(target=self).select_related("page") if can_read(user, r.page)
        ]
        return {
            "related": outgoing,
            "incoming": incoming,
            "replacements": [r.target for r in outgoing if r.kind == RelationKind.REPEALED_BY],
        }

    @property
    def attachment_links(self):
        return [
            {
                "title": a.document.title,
                "url": a.document.url,
                "file_type": a.document.extension,
                "size": a.document.get_file_size(),
            }
            for a in self.attachments.all()
        ]

    @property
    def relation_links(self):
        """For the API (see RelationLinksField, which keeps only what the client may read)."""
        return list(self.relations.all())

    def get_context(self, request, *args, **kwargs):
        from django.db.models import prefetch_related_objects

        prefetch_related_objects([self], "attachments__document", "tagged_items__tag", "relations__target")
        context = super().get_context(request, *args, **kwargs)
        context.update(self.related_for(request.user))
        return context

    def serve(self, request, view=None, args=None, kwargs=None):
        refusal = self.refusal(request)
        if refusal:
            return refusal
        if view is None:
            return Page.serve(self, request)
        return view(request, *(args or []), **(kwargs or {}))

    # --- versions: readers compare published texts --------------------------------------------

    @path("versions/")
    def versions(self, request):
        from .versions import versions_view

        return versions_view(self, request)

    @path("versions/<int:older>/<int:newer>/")
    def compare(self, request, older, newer):
        from .versions import compare_view

        return compare_view(self, request, older, newer)


class RegulationAttachment(Orderable):
    page = ParentalKey(RegulationPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "cms.RegulationDocument", verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")


class RegulationRelation(Orderable):
    page = ParentalKey(RegulationPage, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("relation"), max_length=16, choices=RelationKind.choices)
    target = models.ForeignKey(RegulationPage, verbose_name=_("regulation"), on_delete=models.CASCADE, related_name="+")
    panels = [FieldPanel("kind"), FieldPanel("target")]

    class Meta(Orderable.Meta):
        verbose_name = _("related regulation")

    @property
    def inverse_label(self):
        return INVERSE_LABELS[self.kind]


class ArchivePage(ReaderPage):
    """The archive: regulations no longer in force (by their status, with no copying) and
    archived materials such as reports and orders of past years, browsable by year, kind, body."""

    intro = models.TextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["cms.ContentRoot"]
    subpage_types = ["cms.ArchiveItemPage"]
    template = "cms/archive.html"

    class Meta:
        verbose_name = _("archive")

    def get_context(self, request, *args, **kwargs):
        from .listing import archive_entries

        context = super().get_context(request, *args, **kwargs)
        context.update(archive_entries(request, self))
        return context


class ArchiveItemPage(AudienceFields, ReaderPage):
    doc_kind = models.CharField(_("kind of document"), max_length=32, choices=DocKind.choices, db_index=True)
    number = models.CharField(_("number"), max_length=100, blank=True)
    dated = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"), editable=False, db_index=True)
    issuing_body = models.CharField(_("issuing body"), max_length=16, choices=IssuingBody.choices, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("text"), blank=True)

    parent_page_types = ["cms.ArchivePage"]
    subpage_types = []
    template = "cms/archive_item.html"
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("doc_kind"), FieldPanel("number"), FieldPanel("dated")]),
        FieldPanel("issuing_body"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments")),
        FieldPanel("audience"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    api_fields = [
        APIField("doc_kind"),
        APIField("number"),
        APIField("dated"),
        APIField("year"),
        APIField("issuing_body"),
        APIField("summary"),
        APIField("body"),
        APIField("audience"),
        APIField("attachment_links"),
    ]

    class Meta:
        verbose_name = _("archived material")
        verbose_name_plural = _("archived materials")

    def save(self, *args, **kwargs):
        if self.dated:
            self.year = self.dated.year
        return super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        if self.dated:
            self.year = self.dated.year
        super().full_clean(*args, **kwargs)

    @property
    def attachment_links(self):
        return RegulationPage.attachment_links.fget(self)


class ArchiveAttachment(Orderable):
    page = ParentalKey(ArchiveItemPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("cms.RegulationDocument", on_delete=models.PROTECT, related_name="+")
    panels = [FieldPanel("document")]


class NewsIndexPage(ReaderPage):
    intro = models.TextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["cms.ContentRoot"]
    subpage_types = ["cms.AnnouncementPage"]
    template = "cms/news_index.html"

    class Meta:
        verbose_name = _("announcements")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = AnnouncementPage.objects.live().child_of(self).filter(visible_q(request.user)).order_by("-dated", "-pk")
        context["page_obj"] = Paginator(items, 20).get_page(request.GET.get("page"))
        return context


class AnnouncementPage(AudienceFields, ReaderPage):
    dated = models.DateField(_("date"))
    lead = models.TextField(_("lead"), max_length=500)
    body = StreamField(BodyBlock(), verbose_name=_("text"), blank=True)

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []
    template = "cms/announcement.html"
    content_panels = [
        *Page.content_panels,
        FieldPanel("dated"),
        FieldPanel("lead"),
        FieldPanel("body"),
        FieldPanel("audience"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]
    api_fields = [APIField("dated"), APIField("lead"), APIField("body"), APIField("audience")]

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
