"""The institutions of the city: the department (ДОН), its district offices (РУО), the schools."""

import re

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .scope import CITY, DISTRICT, SCHOOL, ScopedQuerySet


class Kind(models.TextChoices):
    CITY = CITY, _("Department of Education (ДОН)")
    DISTRICT = DISTRICT, _("District education office (РУО)")
    SCHOOL = SCHOOL, _("School")


class Status(models.TextChoices):
    """The register's status values, kept verbatim (Ukrainian) as the codes."""

    WORKING = "працює", _("working")
    SUSPENDED = "призупинено", _("suspended")
    LIQUIDATED = "ліквідовано", _("liquidated")
    REORGANIZED = "реорганізовано", _("reorganized")


_NUMBER = re.compile(r"\d+")


def sort_key(name: str) -> str:
    """Case-folded name with numbers zero-padded, so «№ 87» sorts before «№ 236»."""
    return _NUMBER.sub(lambda m: m.group(0).zfill(6), name.casefold())


class InstitutionQuerySet(ScopedQuerySet):
    scope_field = ""

    def schools(self):
        return self.filter(kind=Kind.SCHOOL)

    def districts(self):
        return self.filter(kind=Kind.DISTRICT)

    def working(self):
        return self.filter(status=Status.WORKING)

    def search(self, text: str):
        """Rows whose name, short name, ЄДЕБО id or ЄДРПОУ contain `text` (any case)."""
        text = (text or "").strip().casefold()
        if not text:
            return self
        return self.filter(search_text__contains=text)


class Institution(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("The base of the institution's logins: the ЄДЕБО id for a school."),
    )
    name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("managing institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The district the row belongs to: a school's district, a district itself, none for the
    # city. It makes the scope rule one indexed lookup.
    district = models.ForeignKey(
        "self",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    edebo_id = models.PositiveIntegerField(_("ЄДЕБО id"), null=True, blank=True, unique=True)
    edrpou = models.CharField(_("ЄДРПОУ code"), max_length=10, blank=True, db_index=True)
    katottg = models.CharField(_("КАТОТТГ code"), max_length=19, blank=True)
    koatuu = models.CharField(_("КОАТУУ code"), max_length=10, blank=True)
    institution_type = models.CharField(_("type"), max_length=100, blank=True, db_index=True)
    ownership = models.CharField(_("ownership"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WORKING, db_index=True)
    managing_body = models.CharField(_("managing body"), max_length=500, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=200, blank=True)
    fax = models.CharField(_("fax"), max_length=200, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    website = models.CharField(_("website"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    pupils = models.PositiveIntegerField(_("pupils"), null=True, blank=True)
    classes = models.PositiveIntegerField(_("classes"), null=True, blank=True)
    stats_year = models.PositiveSmallIntegerField(_("year of pupil statistics"), null=True, blank=True)
    english_name = models.CharField(_("English name"), max_length=200, blank=True)
    sort_name = models.CharField(max_length=600, editable=False, db_index=True)
    search_text = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["kind", "sort_name"]
        indexes = [models.Index(fields=["district", "kind", "status"])]
        permissions = [("edit_own_contacts", _("Can edit the contacts of their own institution"))]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.sort_name = sort_key(self.display_name)
        self.search_text = " ".join(
            str(part).casefold() for part in (self.name, self.short_name, self.edebo_id or "", self.edrpou) if part
        )
        super().save(*args, **kwargs)
        if self.kind == Kind.DISTRICT and self.district_id != self.pk:
            type(self).objects.filter(pk=self.pk).update(district=self.pk)
            self.district_id = self.pk

    def get_absolute_url(self):
        return reverse("institutions:detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_working(self) -> bool:
        return self.status == Status.WORKING
