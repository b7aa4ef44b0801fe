"""Reading the state register export (ЄДЕБО) and the МОН school statistics as published.

Both CSV (any of `,` `;` tab, UTF-8 with or without BOM, or cp1251) and XLSX are read as
streams of rows keyed by normalised column names, so a 17,000-row national file is never
held in memory whole.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _


class RegisterFormatError(ValueError):
    """The file is not a register export we can read; the message is for the operator."""


# Logical field -> the register's column header.
EDEBO_COLUMNS = {
    "name": "Повна назва",
    "edebo_id": "Код в ЄДЕБО",
    "short_name": "Скорочена назва",
    "edrpou": "Код ЄДРПОУ",
    "status": "Статус",
    "institution_type": "Тип закладу",
    "ownership": "Форма власності",
    "koatuu": "Код КОАТУУ",
    "region": "Регіон",
    "address": "Місцезнаходження (юридична адреса)",
    "managing_body": "Найменування органу, до сфери управління якого належить заклад освіти",
    "phone": "Телефон",
    "fax": "Факс",
    "email": "Електронна пошта",
    "website": "Веб-сайт",
}
EDEBO_REQUIRED = ("name", "edebo_id", "edrpou", "status", "koatuu", "managing_body")

STATS_COLUMNS = {
    "name": "Найменування закладу",
    "edrpou": "ЄДРПОУ",
    "pupils": "Кількість учнів разом",
    "classes": "Кількість класів разом",
}
STATS_REQUIRED = ("edrpou", "pupils", "classes")

_SPACES = re.compile(r"\s+")


def normalise_header(text) -> str:
    return _SPACES.sub(" ", str(text or "")).strip().casefold()


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip()


def _detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the first 64 KiB decode as such, else Windows-1251."""
    try:
        # An incremental decoder tolerates a multi-byte character cut at the end of the sample.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8-sig"


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
    if not head.strip():
        raise RegisterFormatError(_("The file is empty."))
    encoding = _detect_encoding(head)
    lines = head.decode(encoding, errors="replace").splitlines()
    first_line = lines[0] if lines else ""
    delimiter = max((",", ";", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise RegisterFormatError(_("The first line of the CSV file has no column separators."))
    with open(path, encoding=encoding, newline="") as handle:
        try:
            yield from csv.reader(handle, delimiter=delimiter)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise RegisterFormatError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    handle = open(path, "rb")  # noqa: SIM115 - closed below; a handle spares openpyxl's extension check
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        handle.close()
        raise RegisterFormatError(_("The XLSX file cannot be opened: %(error)s") % {"error": exc}) from exc
    try:
        sheet = workbook["Заклади освіти"] if "Заклади освіти" in workbook.sheetnames else workbook.active
        for row in sheet.iter_rows(values_only=True):
            yield [_clean(cell) for cell in row]
    finally:
        workbook.close()
        handle.close()


def sniff_kind(path: Path) -> str:
    with open(path, "rb") as handle:
        magic = handle.read(4)
    if magic.startswith(b"PK"):
        return "xlsx"
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise RegisterFormatError(_("Old Excel (.xls) files are not supported: save the file as XLSX or CSV."))
    return "csv"


def read_table(path, columns: dict[str, str], required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {field: value}) for each data row of a CSV or XLSX file."""
    path = Path(path)
    if not path.is_file():
        raise RegisterFormatError(_("File not found: %(path)s") % {"path": path})
    rows = _xlsx_rows(path) if sniff_kind(path) == "xlsx" else _csv_rows(path)
    header = None
    for line_no, row in enumerate(rows, start=1):
        if header is None:
            header = [normalise_header(cell) for cell in row]
            wanted = {field: normalise_header(title) for field, title in columns.items()}
            positions = {field: header.index(title) for field, title in wanted.items() if title in header}
            missing = [columns[field] for field in required if field not in positions]
            if missing:
                raise RegisterFormatError(
                    _("The file lacks the columns: %(columns)s. Is it an export in the register's layout?")
                    % {"columns": ", ".join(f"«{m}»" for m in missing)}
                )
            continue
        if not any(_clean(cell) for cell in row):
            continue
        yield line_no, {field: _clean(row[index]) if index < len(row) else "" for field, index in positions.items()}
    if header is None:
        raise RegisterFormatError(_("The file is empty."))
