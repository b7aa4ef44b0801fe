"""Who may read which content: the audience of a page, under the portal's scope rule.

ДОН reads everything; an РУО what is for everyone, for district offices or for schools; a school
what is for everyone or for schools. A district office's own orders are for its district only
(and ДОН). Anonymous visitors read nothing. The reader pages, the API and document downloads
all ask this module.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.institutions.scope import CITY, DISTRICT, SCHOOL, scope_of


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    CITY = "city", _("the department (ДОН)")
    DISTRICT = "district", _("district offices (РУО)")
    SCHOOL = "school", _("schools")


AUDIENCES_BY_LEVEL = {
    CITY: [Audience.EVERYONE, Audience.CITY, Audience.DISTRICT, Audience.SCHOOL],
    DISTRICT: [Audience.EVERYONE, Audience.DISTRICT, Audience.SCHOOL],
    SCHOOL: [Audience.EVERYONE, Audience.SCHOOL],
}

NOTHING = Q(pk__in=[])


def visible_q(user, prefix: str = "") -> Q:
    """The filter of pages with an audience (RegulationPage, ArchiveItemPage, AnnouncementPage)."""
    scope = scope_of(user)
    audiences = AUDIENCES_BY_LEVEL.get(scope.level)
    if not audiences:
        return NOTHING
    condition = Q(**{f"{prefix}audience__in": audiences})
    if scope.level != CITY:
        # A district's own orders: for that district (its office and its schools) only.
        condition &= Q(**{f"{prefix}owner_district__isnull": True}) | Q(
            **{f"{prefix}owner_district_id": scope.district_id}
        )
    return condition


def can_read(user, page) -> bool:
    """The same rule as `visible_q`, for one page already in memory (no query)."""
    if not page.live:
        return False
    scope = scope_of(user)
    audiences = AUDIENCES_BY_LEVEL.get(scope.level)
    if not audiences or getattr(page, "audience", Audience.EVERYONE) not in audiences:
        return False
    owner = getattr(page, "owner_district_id", None)
    return owner is None or scope.level == CITY or owner == scope.district_id


def visible_pages(user):
    """Every live page the person may read, as a Page queryset (for the API and search)."""
    from wagtail.models import Page

    from .models import AnnouncementPage, ArchiveItemPage, DistrictSectionPage, RegulationPage

    scope = scope_of(user)
    if scope.level not in AUDIENCES_BY_LEVEL:
        return Page.objects.none()
    condition = visible_q(user)
    hidden = [
        model.objects.exclude(condition).values("pk") for model in (RegulationPage, ArchiveItemPage, AnnouncementPage)
    ]
    if scope.level != CITY:
        # Other districts' sections (a district's office and schools read their own).
        hidden.append(DistrictSectionPage.objects.exclude(district_id=scope.district_id).values("pk"))
    pages = Page.objects.live().public().filter(depth__gt=1)
    for subquery in hidden:
        pages = pages.exclude(pk__in=subquery)
    return pages


def visible_documents(user):
    """The documents attached to content the person may read."""
    from .models import ArchiveAttachment, RegulationAttachment, RegulationDocument

    pages = visible_pages(user).values("pk")
    return RegulationDocument.objects.filter(
        Q(pk__in=RegulationAttachment.objects.filter(page__in=pages).values("document_id"))
        | Q(pk__in=ArchiveAttachment.objects.filter(page__in=pages).values("document_id"))
    )
