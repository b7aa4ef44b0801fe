"""Text of an attachment (PDF, DOCX, ODT, XLSX), extracted at upload and kept with the document
so that search can use it. A broken or encrypted file is refused with a reason for the editor."""

from __future__ import annotations

import re
import zipfile

from django.utils.translation import gettext as _

MAX_CHARS = 2_000_000
_SPACES = re.compile(r"[ \t\xa0]+")


class ExtractionError(ValueError):
    pass


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:MAX_CHARS]


def _pdf(handle) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(handle)
        if reader.is_encrypted:
            raise ExtractionError(_("The PDF is encrypted (password-protected): upload an unprotected copy."))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ExtractionError(_("The PDF is damaged and cannot be read (%(error)s).") % {"error": exc}) from exc


def _docx(handle) -> str:
    import docx

    try:
        document = docx.Document(handle)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractionError(
            _("The DOCX file is damaged or encrypted and cannot be read (%(error)s).") % {"error": exc}
        ) from exc
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _odt(handle) -> str:
    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(handle) as archive:
            if "encrypted" in archive.read("META-INF/manifest.xml").decode("utf-8", "replace"):
                raise ExtractionError(_("The ODT file is encrypted: upload an unprotected copy."))
            root = ElementTree.fromstring(archive.read("content.xml"))
    except ExtractionError:
        raise
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise ExtractionError(_("The ODT file is damaged and cannot be read (%(error)s).") % {"error": exc}) from exc
    text_ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    return "\n".join("".join(node.itertext()) for node in root.iter() if node.tag in (f"{text_ns}p", f"{text_ns}h"))


def _xlsx(handle) -> str:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ExtractionError(
            _("The XLSX file is damaged or encrypted and cannot be read (%(error)s).") % {"error": exc}
        ) from exc
    try:
        lines = []
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [str(value) for value in row if value is not None]
                if cells:
                    lines.append(" | ".join(cells))
        return "\n".join(lines)
    finally:
        workbook.close()


READERS = {"pdf": _pdf, "docx": _docx, "odt": _odt, "xlsx": _xlsx}


def extract_text(handle, extension: str) -> str:
    """The text of the file open in `handle`; ExtractionError if it cannot be read."""
    reader = READERS.get(extension.lower().lstrip("."))
    if reader is None:
        raise ExtractionError(_("Only PDF, DOCX, ODT and XLSX files are accepted."))
    handle.seek(0)
    try:
        return _tidy(reader(handle))
    finally:
        handle.seek(0)
