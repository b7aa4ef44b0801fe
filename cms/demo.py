"""Loads the demo regulatory base (cms.demo_data) with generated PDF, DOCX and XLSX attachments.

Idempotent: pages are found by their slug and left alone when they exist. Publishing the demo
does not notify anybody (see `quiet_publication`).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Collection

from portal.institutions.models import Institution

from .demo_data import ANNOUNCEMENTS, ARCHIVE_ITEMS, REGULATIONS
from .extraction import extract_text
from .models import (
    AnnouncementPage,
    ArchiveAttachment,
    ArchiveItemPage,
    RegulationAttachment,
    RegulationDocument,
    RegulationPage,
    RegulationRelation,
)
from .publication import quiet_publication
from .setup import setup_cms

FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
]
DISCLAIMER = (
    "Копію згенеровано порталом «Е-кабінет» для демонстрації: реквізити справжні, стислий виклад "
    "написано для порталу. Офіційний текст акта — на zakon.rada.gov.ua."
)


def font_path() -> Path | None:
    return next((path for path in FONT_CANDIDATES if path.exists()), None)


def _lines(entry) -> list[str]:
    requisites = f"{entry['number']}" if entry.get("number") else ""
    return [
        entry["title"],
        f"№ {requisites} від {entry.get('adopted', entry.get('dated')).strftime('%d.%m.%Y')}" if requisites else "",
        "",
        entry["summary"],
        "",
        *[f"• {point}" for point in entry.get("points", [])],
        "",
        DISCLAIMER,
    ]


def make_pdf(entry) -> bytes | None:
    from fpdf import FPDF

    font = font_path()
    if font is None:  # no Cyrillic font on this machine: the demo keeps its DOCX copies
        return None
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_font("DejaVu", size=14)
    pdf.multi_cell(0, 8, entry["title"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", size=11)
    for line in _lines(entry)[1:]:
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_docx(entry) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(entry["title"], level=1)
    for line in _lines(entry)[1:]:
        if line:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_xlsx(entry) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Додаток"
    for line in _lines(entry):
        sheet.append([line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


MAKERS = {"pdf": make_pdf, "docx": make_docx, "xlsx": make_xlsx}


def make_document(entry, extension: str, collection) -> RegulationDocument | None:
    content = MAKERS[extension](entry)
    if content is None:
        return None
    name = f"{slugify(entry['key'])}.{extension}"
    document = RegulationDocument(title=f"{entry['title'][:200]} ({extension.upper()})", collection=collection)
    document.text = extract_text(io.BytesIO(content), extension)
    # What Wagtail's upload form records; without them, serving the file would save the row.
    document.file_size = len(content)
    document.file_hash = hashlib.sha1(content, usedforsecurity=False).hexdigest()
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def _body(entry, points) -> list:
    body = [("heading", "Основні положення")]
    body.append(("paragraph", "<ul>" + "".join(f"<li>{p}</li>" for p in points) + "</ul>"))
    if entry.get("table"):
        body.append(
            (
                "table",
                {
                    "data": [["Етап", "Строк", "Відповідальні"], ["Зведена інформація", "до 15.09", "РУО"],
                             ["Контроль якості", "щомісяця", "заклади освіти"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "",
                },
            )
        )  # fmt: skip
    body.append(("quote", DISCLAIMER if not entry.get("demo") else "Демонстраційний документ порталу."))
    return body


def _ordered(entries):
    """Entries with every relation's target before the entry that points at it."""
    by_key = {e["key"]: e for e in entries}
    done, ordered = set(), []

    def visit(entry):
        if entry["key"] in done:
            return
        done.add(entry["key"])
        for _kind, target in entry.get("relations", []):
            visit(by_key[target])
        ordered.append(entry)

    for entry in entries:
        visit(entry)
    return ordered


def _parent_for(entry, tree):
    section = entry["section"]
    if section.startswith("district:"):
        district = Institution.objects.get(kind="district", koatuu=section.split(":", 1)[1])
        return tree["district_sections"][district.pk]
    return tree["sections"][section]


def _collection_for(parent):
    district = getattr(parent, "district", None)
    if district is not None:
        return Collection.objects.filter(name=district.short_name).first() or Collection.get_first_root_node()
    return Collection.get_first_root_node()


@transaction.atomic
def load_demo_content() -> dict:
    tree = setup_cms()
    counts = {"regulations": 0, "archive": 0, "announcements": 0, "files": 0}
    with quiet_publication():
        for entry in _ordered(REGULATIONS):
            parent = _parent_for(entry, tree)
            if parent.get_children().filter(slug=entry["key"]).exists():
                continue
            revised = entry.get("revised") and len(entry["points"]) > 1
            first_points = entry["points"][:-1] if revised else entry["points"]
            page = RegulationPage(
                title=entry["title"],
                slug=entry["key"],
                doc_kind=entry["kind"],
                issuing_body=entry["body"],
                number=entry.get("number", ""),
                adopted_on=entry["adopted"],
                status=entry["status"],
                in_force_from=entry.get("in_force"),
                lost_force_on=entry.get("lost"),
                summary=entry["summary"],
                audience=entry.get("audience", "everyone"),
                body=_body(entry, first_points),
            )
            page.tags.add(*entry.get("tags", []))
            collection = _collection_for(parent)
            for order, extension in enumerate(entry.get("files", [])):
                document = make_document(entry, extension, collection)
                if document is not None:
                    page.attachments.add(RegulationAttachment(document=document, sort_order=order))
                    counts["files"] += 1
            for order, (kind, target) in enumerate(entry.get("relations", [])):
                page.relations.add(
                    RegulationRelation(kind=kind, target=RegulationPage.objects.get(slug=target), sort_order=order)
                )
            parent.add_child(instance=page)
            page.save_revision().publish()
            if revised:
                # A second published version, so that readers can see what changed.
                page.body = _body(entry, entry["points"])
                page.summary = entry["summary"] + " Редакцію доповнено."
                page.save_revision().publish()
            counts["regulations"] += 1

        archive = tree["archive"]
        for entry in ARCHIVE_ITEMS:
            if archive.get_children().filter(slug=entry["key"]).exists():
                continue
            item = ArchiveItemPage(
                title=entry["title"], slug=entry["key"], doc_kind=entry["kind"], issuing_body=entry["body"],
                number=entry.get("number", ""), dated=entry["dated"], summary=entry["summary"],
                body=[("paragraph", f"<p>{entry['summary']}</p>")],
            )  # fmt: skip
            for order, extension in enumerate(entry.get("files", [])):
                document = make_document(entry, extension, Collection.get_first_root_node())
                if document is not None:
                    item.attachments.add(ArchiveAttachment(document=document, sort_order=order))
                    counts["files"] += 1
            archive.add_child(instance=item)
            item.save_revision().publish()
            counts["archive"] += 1

        news = tree["news"]
        for entry in ANNOUNCEMENTS:
            if news.get_children().filter(slug=entry["key"]).exists():
                continue
            announcement = AnnouncementPage(
                title=entry["title"], slug=entry["key"], dated=entry["dated"], lead=entry["lead"],
                audience=entry["audience"], body=[("paragraph", f"<p>{entry['lead']}</p>")],
            )  # fmt: skip
            news.add_child(instance=announcement)
            announcement.save_revision().publish()
            counts["announcements"] += 1
    return counts
