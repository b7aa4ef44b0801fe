"""Actions on institutions: importing the register and statistics, editing contacts."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Institution, Kind, Status
from .register import (
    EDEBO_COLUMNS,
    EDEBO_REQUIRED,
    STATS_COLUMNS,
    STATS_REQUIRED,
    RegisterFormatError,
    read_table,
)
from .signals import institution_closed

DATA_DIR = Path(settings.BASE_DIR) / "data"
DISTRICTS_FILE = DATA_DIR / "kyiv_districts_katottg_koatuu.csv"
REGISTER_FILE = DATA_DIR / "kyiv_schools_edebo_2023-08-02.csv"
STATS_FILE = DATA_DIR / "kyiv_schools_mon_zzso_2020.csv"

CITY_CODE = "don"
CITY_NAME = (
    "Департамент освіти і науки виконавчого органу Київської міської ради (Київської міської державної адміністрації)"
)
CITY_SHORT_NAME = "Департамент освіти і науки"

_APOSTROPHES = re.compile("[’`ʼ‘′']")
_STATUS_VALUES = {choice.value: choice for choice in Status}


def normalise_text(text: str) -> str:
    """Case-folded text with every apostrophe variant (' ’ ` ʼ) made one."""
    return _APOSTROPHES.sub("'", text or "").casefold()


def district_stem(ukrainian_name: str) -> str:
    """«Солом’янський» -> «солом'янськ»: the stem the managing body's text contains."""
    name = normalise_text(ukrainian_name)
    return name[:-2] if name.endswith("ий") else name


@dataclass
class UnplacedRow:
    line: int
    name: str
    edebo_id: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_other_region: int = 0
    unplaced: list[UnplacedRow] = field(default_factory=list)
    closed: list[Institution] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    by_district: Counter = field(default_factory=Counter)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    def lines(self) -> list[str]:
        out = [
            _("Imported rows: %(n)d (new %(created)d, updated %(updated)d, unchanged %(unchanged)d).")
            % {"n": self.imported, "created": self.created, "updated": self.updated, "unchanged": self.unchanged},
            _("Skipped as outside the region: %(n)d.") % {"n": self.skipped_other_region},
            _("By status: %(s)s.") % {"s": ", ".join(f"{k} {v}" for k, v in sorted(self.statuses.items()))},
            _("By district: %(s)s.") % {"s": ", ".join(f"{k} {v}" for k, v in sorted(self.by_district.items()))},
        ]
        if self.closed:
            out.append(_("No longer working since the last import: %(n)d.") % {"n": len(self.closed)})
        out.append(_("Rows that could not be placed: %(n)d.") % {"n": len(self.unplaced)})
        for row in self.unplaced:
            out.append(
                _("  line %(line)d, ЄДЕБО %(id)s, «%(name)s»: %(reason)s")
                % {"line": row.line, "id": row.edebo_id or "—", "name": row.name, "reason": row.reason}
            )
        return out


def ensure_city_and_districts(path: Path = DISTRICTS_FILE) -> tuple[Institution, list[Institution]]:
    """Create or update the city (ДОН) and its districts (РУО) from the territory codes file."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    capital = [r for r in rows if r["category"] == "capital"]
    if len(capital) != 1:
        raise RegisterFormatError(_("The districts file must have exactly one row of category «capital»."))
    city, _created = Institution.objects.get_or_create(
        code=CITY_CODE,
        defaults={"kind": Kind.CITY, "name": CITY_NAME, "short_name": CITY_SHORT_NAME},
    )
    _update(city, {"koatuu": capital[0]["KOATUU_2020"], "katottg": capital[0]["KATOTTG_2023"]})
    districts = []
    for row in rows:
        if row["category"] == "capital":
            continue
        ukrainian = row["ukrainian_name"].strip()
        code = "ruo-" + row["english_name"].strip().lower().replace(" ", "-")
        district = Institution.objects.filter(kind=Kind.DISTRICT, koatuu=row["KOATUU_2020"]).first()
        values = {
            "kind": Kind.DISTRICT,
            "code": code,
            "short_name": f"{ukrainian} район",
            "english_name": row["english_name"].strip(),
            "koatuu": row["KOATUU_2020"],
            "katottg": row["KATOTTG_2023"],
            "parent": city,
        }
        if district is None:
            genitive = ukrainian[:-2] + "ої" if ukrainian.endswith("ий") else ukrainian
            values["name"] = f"Управління освіти {genitive} районної в місті Києві державної адміністрації"
            district = Institution.objects.create(**values)
        else:
            _update(district, values)
        districts.append(district)
    return city, districts


def _update(instance: Institution, values: dict) -> bool:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save()
    return bool(changed)


def _in_region(row: dict) -> bool:
    koatuu = row.get("koatuu", "")
    if koatuu:
        return koatuu.startswith(settings.EKABINET_REGION_KOATUU_PREFIX)
    return normalise_text(row.get("region", "")) == normalise_text(settings.EKABINET_REGION_NAME)


class _Placer:
    """Finds a school's district: by КОАТУУ, else by the managing body's text."""

    def __init__(self, districts: list[Institution]):
        self.by_koatuu = {d.koatuu: d for d in districts}
        self.by_stem = [(district_stem(d.short_name.removesuffix(" район")), d) for d in districts]

    def place(self, row: dict) -> tuple[Institution | None, str]:
        district = self.by_koatuu.get(row["koatuu"])
        if district:
            return district, ""
        body = normalise_text(row["managing_body"])
        matches = [d for stem, d in self.by_stem if f"{stem}ої районної" in body]
        if len(matches) == 1:
            return matches[0], ""
        if len(matches) > 1:
            return None, _("the managing body names several districts: «%(body)s»") % {"body": row["managing_body"]}
        return None, _(
            "КОАТУУ %(koatuu)s is not a district's code and the managing body «%(body)s» names no district"
        ) % {"koatuu": row["koatuu"] or "—", "body": row["managing_body"] or "—"}


@transaction.atomic
def import_register(path, districts_path: Path = DISTRICTS_FILE) -> ImportReport:
    """Import the ЄДЕБО export at `path`; idempotent, keyed by ЄДЕБО id, then ЄДРПОУ.

    Raises RegisterFormatError, and changes nothing, when the file cannot be read.
    """
    city, districts = ensure_city_and_districts(districts_path)
    placer = _Placer(districts)
    schools = list(Institution.objects.filter(kind=Kind.SCHOOL))
    by_edebo = {s.edebo_id: s for s in schools if s.edebo_id}
    by_edrpou = {s.edrpou: s for s in schools if s.edrpou and not s.edebo_id}
    report = ImportReport()
    seen_ids: set[int] = set()
    body_names: dict[int, Counter] = {d.pk: Counter() for d in districts}

    for line, row in read_table(path, EDEBO_COLUMNS, EDEBO_REQUIRED):
        if not _in_region(row):
            report.skipped_other_region += 1
            continue
        name = row["name"]
        raw_id = row["edebo_id"]

        def unplaced(reason, line=line, name=name, raw_id=raw_id):
            report.unplaced.append(UnplacedRow(line, name, raw_id, reason))

        if not raw_id.isdigit():
            unplaced(_("no valid ЄДЕБО id"))
            continue
        edebo_id = int(raw_id)
        if edebo_id in seen_ids:
            unplaced(_("the ЄДЕБО id occurs twice in the file"))
            continue
        seen_ids.add(edebo_id)
        status = _STATUS_VALUES.get(row["status"].strip().lower())
        if status is None:
            unplaced(_("unknown status «%(status)s»") % {"status": row["status"]})
            continue
        district, reason = placer.place(row)
        if district is None:
            unplaced(reason)
            continue
        if row["koatuu"] == district.koatuu and row["managing_body"]:
            body_names[district.pk][row["managing_body"]] += 1
        values = {
            "kind": Kind.SCHOOL,
            "code": f"zo-{edebo_id}",
            "name": name,
            "short_name": row.get("short_name", ""),
            "edebo_id": edebo_id,
            "edrpou": row["edrpou"],
            "status": status,
            "institution_type": row.get("institution_type", ""),
            "ownership": row.get("ownership", ""),
            "koatuu": row["koatuu"],
            "katottg": district.katottg,
            "managing_body": row["managing_body"],
            "address": row.get("address", ""),
            "phone": row.get("phone", ""),
            "fax": row.get("fax", ""),
            "email": row.get("email", ""),
            "website": row.get("website", ""),
            "parent": district,
            "district": district,
        }
        school = by_edebo.get(edebo_id) or by_edrpou.pop(row["edrpou"], None)
        if school is None:
            school = Institution.objects.create(**values)
            by_edebo[edebo_id] = school
            report.created += 1
        else:
            was_working = school.is_working
            if _update(school, values):
                report.updated += 1
                if was_working and not school.is_working:
                    report.closed.append(school)
            else:
                report.unchanged += 1
        report.statuses[status.value] += 1
        report.by_district[district.short_name] += 1

    # A district office's full name is whatever its schools' register rows call it.
    for district in districts:
        common = body_names[district.pk].most_common(1)
        if common:
            _update(district, {"name": common[0][0].replace("`", "’")})

    for school in report.closed:
        transaction.on_commit(lambda school=school: institution_closed.send(Institution, institution=school))
    return report


@dataclass
class StatsReport:
    matched: int = 0
    updated: int = 0
    unmatched: list[tuple[int, str, str]] = field(default_factory=list)
    ambiguous: list[tuple[int, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            _("Statistics rows matched to schools: %(n)d (changed %(u)d).") % {"n": self.matched, "u": self.updated},
            _("Rows whose ЄДРПОУ matches no school: %(n)d.") % {"n": len(self.unmatched)},
        ]
        out += [self._row(*row) for row in self.unmatched]
        out.append(_("Rows whose ЄДРПОУ is shared, so the school is ambiguous: %(n)d.") % {"n": len(self.ambiguous)})
        out += [self._row(*row) for row in self.ambiguous]
        return out

    @staticmethod
    def _row(line: int, code: str, name: str) -> str:
        return _("  line %(line)d, ЄДРПОУ %(code)s: «%(name)s»") % {"line": line, "code": code, "name": name}


def _count(value: str) -> int | None:
    value = value.replace(" ", "").replace("\xa0", "")
    if value.endswith(".0"):
        value = value[:-2]
    return int(value) if value.isdigit() else None


@transaction.atomic
def import_school_stats(path, year: int) -> StatsReport:
    """Load pupil and class counts from the МОН statistics, matched by ЄДРПОУ.

    The file stores ЄДРПОУ as a number, so the leading zeros it lost are restored (8 digits).
    """
    rows = list(read_table(path, STATS_COLUMNS, STATS_REQUIRED))
    codes = Counter(row["edrpou"].zfill(8) for _line, row in rows if row["edrpou"])
    schools = Counter(Institution.objects.filter(kind=Kind.SCHOOL, edrpou__in=codes).values_list("edrpou", flat=True))
    by_edrpou = {
        s.edrpou: s
        for s in Institution.objects.filter(kind=Kind.SCHOOL, edrpou__in=[c for c, n in schools.items() if n == 1])
    }
    report = StatsReport()
    for line, row in rows:
        code = row["edrpou"].zfill(8) if row["edrpou"] else ""
        name = row.get("name", "")
        if code and (codes[code] > 1 or schools.get(code, 0) > 1):
            report.ambiguous.append((line, code, name))
            continue
        school = by_edrpou.get(code)
        if school is None:
            report.unmatched.append((line, code or "—", name))
            continue
        report.matched += 1
        if _update(school, {"pupils": _count(row["pupils"]), "classes": _count(row["classes"]), "stats_year": year}):
            report.updated += 1
    return report


def update_contacts(institution: Institution, *, actor, phone: str, email: str, website: str) -> bool:
    """A director corrects the contacts the register holds for their own institution."""
    from portal.accounts.audit import record

    before = {"phone": institution.phone, "email": institution.email, "website": institution.website}
    after = {"phone": phone, "email": email, "website": website}
    changed = _update(institution, after)
    if changed:
        record(
            "institution_contacts_changed",
            actor=actor,
            institution=institution,
            details={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
    return changed
