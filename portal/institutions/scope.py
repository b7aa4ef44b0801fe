"""The scope rule, in one place: the department (ДОН) sees the city, a district office (РУО)
its district and its schools, a school itself.

Every model whose rows belong to an institution uses `ScopedQuerySet` (or `ScopedManager`)
and names the path to that institution in `scope_field`; views call `.visible_to(user)` and
never filter by institution by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

CITY = "city"
DISTRICT = "district"
SCHOOL = "school"


@dataclass(frozen=True)
class Scope:
    """What one user may see: `level` is city, district, school or none."""

    level: str
    institution_id: int | None = None
    # The district the scope lies in: the district itself, or a school's district (None for the
    # city). What a district publishes for its own people is read at this level.
    district_id: int | None = None

    @property
    def is_city(self) -> bool:
        return self.level == CITY

    def q(self, field: str = "institution") -> Q | None:
        """The filter selecting objects whose institution (at `field`) lies in this scope.

        `field` is the lookup path to an Institution; "" means the queryset is of institutions.
        None means nothing is visible.
        """
        prefix = f"{field}__" if field else ""
        if self.level == CITY:
            return Q()
        if self.level == DISTRICT:
            # A district's own row carries district = itself, so one lookup covers both.
            return Q(**{f"{prefix}district_id": self.institution_id})
        if self.level == SCHOOL:
            return Q(**{f"{prefix}pk": self.institution_id})
        return None

    def contains(self, institution) -> bool:
        if institution is None:
            return self.level == CITY
        if self.level == CITY:
            return True
        if self.level == DISTRICT:
            return institution.district_id == self.institution_id
        if self.level == SCHOOL:
            return institution.pk == self.institution_id
        return False


NO_SCOPE = Scope("none")


def scope_of(user) -> Scope:
    """The scope of a user: from the kind of their institution; superusers see the city."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    if user.is_superuser:
        return Scope(CITY)
    institution = getattr(user, "institution", None)
    if institution is None:
        return NO_SCOPE
    if institution.kind in (CITY, DISTRICT, SCHOOL):
        return Scope(institution.kind, institution.pk, institution.district_id)
    return NO_SCOPE


class ScopedQuerySet(models.QuerySet):
    """A queryset of objects that belong to an institution; `scope_field` is the path to it."""

    scope_field = "institution"

    def visible_to(self, user):
        condition = scope_of(user).q(self.scope_field)
        if condition is None:
            return self.none()
        return self.filter(condition)
