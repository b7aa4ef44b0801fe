"""The sender's table as XLSX: one row per recipient institution."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font


def cell_text(value):
    """Text a spreadsheet will show as text: a reply starting with = + - @ would otherwise be
    taken for a formula when the sender opens the export."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def deliveries_xlsx(circular, deliveries) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Стан листа"
    sheet.append(["Лист", cell_text(circular.subject)])
    sheet.append(["Надіслано", _local(circular.sent_at)])
    sheet.append(["Термін", _local(circular.deadline)])
    sheet.append([])
    header = [
        "Заклад / установа",
        "Район",
        "Код ЄДЕБО",
        "Стан",
        "Прочитано",
        "Ознайомлено",
        "Відповідь надано",
        "Відповідь",
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for delivery in deliveries:
        institution = delivery.institution
        sheet.append(
            [
                cell_text(institution.name),
                institution.district.short_name if institution.district_id else "",
                institution.edebo_id or "",
                str(delivery.get_state_display()),
                _local(delivery.read_at),
                _local(delivery.acknowledged_at),
                _local(delivery.replied_at),
                cell_text(delivery.reply_text),
            ]
        )
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.is_date:
                cell.number_format = "DD.MM.YYYY HH:MM"
    for column, width in zip("ABCDEFGH", (60, 22, 12, 16, 17, 17, 17, 60), strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
