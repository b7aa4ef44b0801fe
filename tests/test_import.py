"""Importing the state register (ЄДЕБО) and the МОН statistics, as published, real files."""

import csv
import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from portal.accounts.models import User
from portal.institutions.models import Institution, Kind, Status
from portal.institutions.register import RegisterFormatError
from portal.institutions.services import (
    DATA_DIR,
    REGISTER_FILE,
    STATS_FILE,
    district_stem,
    import_register,
    import_school_stats,
    normalise_text,
)

XLSX_FILE = DATA_DIR / "kyiv_schools_edebo_2023-08-02.xlsx"
KYIV_DISTRICTS = {
    "Голосіївський", "Дарницький", "Деснянський", "Дніпровський", "Оболонський",
    "Печерський", "Подільський", "Святошинський", "Солом’янський", "Шевченківський",
}  # fmt: skip


def register_rows():
    with open(REGISTER_FILE, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path, rows, fieldnames, delimiter=",", encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_it_imported_the_whole_city(db):
    """The session's database was filled from the real files by conftest; check what landed."""
    districts = Institution.objects.districts()
    assert {d.short_name.removesuffix(" район") for d in districts} == KYIV_DISTRICTS
    assert Institution.objects.filter(kind=Kind.CITY).count() == 1
    rows = register_rows()
    working = [r for r in rows if r["Статус"] == "працює"]
    placed = Institution.objects.schools()
    # Every row but the one no district can be found for (a university's school with the
    # city-level КОАТУУ) is placed in its district.
    assert placed.count() == len(rows) - 1
    assert placed.working().count() == len(working) - 1
    assert not placed.filter(district__isnull=True).exists()
    assert set(placed.values_list("status", flat=True)) == {s.value for s in Status}


def test_it_places_city_level_rows_by_the_managing_body_whatever_the_apostrophe(db):
    rows = [r for r in register_rows() if r["Код КОАТУУ"] == "8000000000"]
    assert len(rows) == 9
    for row in rows:
        body = normalise_text(row["Найменування органу, до сфери управління якого належить заклад освіти"])
        school = Institution.objects.filter(edebo_id=int(row["Код в ЄДЕБО"])).select_related("district").first()
        if "районної" not in body:
            assert school is None
            continue
        assert f"{district_stem(school.district.short_name.removesuffix(' район'))}ої районної" in body
    backtick = [
        r for r in rows if "Солом`янської" in r["Найменування органу, до сфери управління якого належить заклад освіти"]
    ]
    assert backtick
    assert (
        Institution.objects.get(edebo_id=int(backtick[0]["Код в ЄДЕБО"])).district.short_name == "Солом’янський район"
    )


def test_it_reports_the_unplaceable_row_with_its_reason(db):
    report = import_register(REGISTER_FILE)
    assert len(report.unplaced) == 1
    row = report.unplaced[0]
    assert row.edebo_id == "176650"
    assert "8000000000" in row.reason and "Грінченка" in row.reason


def test_a_rerun_changes_nothing(db):
    before = list(Institution.objects.order_by("pk").values())
    report = import_register(REGISTER_FILE)
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == Institution.objects.schools().count()
    assert list(Institution.objects.order_by("pk").values()) == before


def test_the_xlsx_export_gives_the_same_city_as_the_csv(db):
    before = list(Institution.objects.order_by("pk").values())
    report = import_register(XLSX_FILE)
    assert (report.created, report.updated) == (0, 0)
    assert list(Institution.objects.order_by("pk").values()) == before


def test_it_updates_a_changed_row_in_place_and_keys_by_edrpou_without_an_id(db, tmp_path):
    rows = register_rows()
    target = next(r for r in rows if r["Статус"] == "працює" and r["Код ЄДРПОУ"])
    target["Телефон"] = "(044)000-00-00"
    report = import_register(write_csv(tmp_path / "r.csv", rows, rows[0].keys()))
    assert (report.created, report.updated) == (0, 1)
    school = Institution.objects.get(edebo_id=int(target["Код в ЄДЕБО"]))
    assert school.phone == "(044)000-00-00"
    # A school entered earlier without an ЄДЕБО id is found by its ЄДРПОУ, not duplicated.
    Institution.objects.filter(pk=school.pk).update(edebo_id=None)
    count = Institution.objects.count()
    import_register(write_csv(tmp_path / "r2.csv", rows, rows[0].keys()))
    assert Institution.objects.count() == count
    assert Institution.objects.get(pk=school.pk).edebo_id == int(target["Код в ЄДЕБО"])


def test_a_liquidation_keeps_the_school_as_history_and_deactivates_its_accounts(
    world, tmp_path, django_capture_on_commit_callbacks
):
    rows = register_rows()
    row = next(r for r in rows if r["Код в ЄДЕБО"] == str(world.obolon_school.edebo_id))
    row["Статус"] = "ліквідовано"
    with django_capture_on_commit_callbacks(execute=True):
        report = import_register(write_csv(tmp_path / "r.csv", rows, rows[0].keys()))
    assert [s.pk for s in report.closed] == [world.obolon_school.pk]
    school = Institution.objects.get(pk=world.obolon_school.pk)
    assert school.status == Status.LIQUIDATED
    assert not User.objects.filter(institution=school, is_active=True).exists()
    assert User.objects.filter(institution=school).count() == 2  # kept, as history


def test_it_takes_the_national_file_and_skips_other_regions(db, tmp_path):
    """The national export is ~17,000 rows in the same layout; synthesise other regions' rows
    from Kyiv's with other КОАТУУ codes (a generator, not a hand-edited copy)."""
    rows = register_rows()
    others = []
    for n, (region, koatuu) in enumerate(
        [("ВІННИЦЬКА ОБЛАСТЬ", "0510100000"), ("КИЇВСЬКА ОБЛАСТЬ", "3210300000"), ("ЛЬВІВСЬКА ОБЛАСТЬ", "4610100000")]
        * 40
    ):
        other = dict(rows[n])
        other.update({"Регіон": region, "Код КОАТУУ": koatuu, "Код в ЄДЕБО": str(900000 + n)})
        others.append(other)
    path = write_csv(tmp_path / "national.csv", others + rows, rows[0].keys(), delimiter=";", encoding="cp1251")
    report = import_register(path)
    assert report.skipped_other_region == 120
    assert report.created == 0
    assert not Institution.objects.filter(edebo_id__gte=900000).exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "порожн"),
        (b"just one column\nvalue\n", "роздільник"),
        ("Назва,Код\nшкола,1\n".encode(), "бракує стовпців"),
        (b"PK\x03\x04 not really a zip", "XLSX"),
        (b"\xd0\xcf\x11\xe0 old excel", ".xls"),
    ],
)
def test_it_refuses_a_malformed_file_in_ukrainian_and_changes_nothing(db, tmp_path, content, message):
    before = Institution.objects.count()
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(RegisterFormatError) as error:
        import_register(path)
    assert message in str(error.value)
    assert Institution.objects.count() == before


def test_a_broken_row_midway_rolls_the_whole_import_back(db, tmp_path):
    rows = register_rows()
    rows[0]["Телефон"] = "changed"
    path = write_csv(tmp_path / "r.csv", rows, rows[0].keys())
    with open(path, "ab") as handle:
        handle.write(b'"unterminated,\xff\xfe\n')  # invalid UTF-8 after valid rows
    with pytest.raises(RegisterFormatError):
        import_register(path)
    assert not Institution.objects.filter(phone="changed").exists()


def test_the_command_prints_the_report_and_fails_clearly(db, tmp_path):
    out = io.StringIO()
    call_command("import_institutions", str(REGISTER_FILE), "--stats", str(STATS_FILE), stdout=out)
    text = out.getvalue()
    assert "без змін" in text and "176650" in text and "37498536" in text
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="Нічого не імпортовано"):
        call_command("import_institutions", str(bad))
    shutil.rmtree(tmp_path)


def test_it_loads_pupils_restoring_the_lost_leading_zeros(db):
    with open(STATS_FILE, encoding="utf-8", newline="") as handle:
        stats = list(csv.DictReader(handle))
    short = next(r for r in stats if len(r["ЄДРПОУ"]) < 8 and r["ЄДРПОУ"] == "1486950")
    school = Institution.objects.get(edrpou="01486950")
    assert school.pupils == int(short["Кількість учнів разом"])
    assert school.classes == int(short["Кількість класів разом"])
    assert school.stats_year == 2020
    report = import_school_stats(STATS_FILE, 2020)
    assert report.updated == 0
    assert report.matched == Institution.objects.filter(pupils__isnull=False).count()
    # One ЄДРПОУ serves four schools' rows (a shared accounting office): reported, not guessed.
    assert {code for _line, code, _name in report.ambiguous} == {"37498536"}
    assert len(report.ambiguous) == 4
    assert len(report.unmatched) == 4
