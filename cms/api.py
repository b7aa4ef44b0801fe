"""The headless API (Wagtail API v2) at /api/v2/: content as JSON, under the same audience rule
as the reader pages (an anonymous client gets 403). Only pages are exposed; documents are
reached through their page."""

from rest_framework.permissions import IsAuthenticated
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from .models import ArchiveItemPage, RegulationPage
from .visibility import visible_pages


class ReaderPagesAPIViewSet(PagesAPIViewSet):
    """Pages the logged-in person may read; none for an anonymous client.

    Every listing, detail and find request starts from `get_base_queryset`, so a page outside
    the person's audience is neither listed nor served by id or path.
    """

    permission_classes = [IsAuthenticated]

    def get_base_queryset(self):
        return visible_pages(self.request.user)

    def get_queryset(self):
        queryset = super().get_queryset()
        # The tags and attachment links of each item, in two queries for the whole page.
        if queryset.model in (RegulationPage, ArchiveItemPage):
            related = ["attachments__document"]
            if queryset.model is RegulationPage:
                related += ["tagged_items__tag", "relations__target"]
            queryset = queryset.prefetch_related(*related)
        return queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ReaderPagesAPIViewSet)
