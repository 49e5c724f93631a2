"""Tables as files: CSV (UTF-8 with BOM, so that Excel reads Cyrillic) and XLSX."""

from __future__ import annotations

import csv
import io

from reports.tables import Cell, Table

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Cell) -> Cell:
    # Cells are codes and labels, never user text; still, nothing may read as a formula.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_safe(h) for h in table.headers])
    for row in table.rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    # Imported here: openpyxl costs every bot process ~5 MB, and only a report download uses it.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    # Write-only mode streams rows: ten times faster than the default on a year's registry.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_name(table.title))
    sheet.freeze_panes = "B2"
    for n, header in enumerate(table.headers, start=1):
        sample = [len(str(r[n - 1])) for r in table.rows[:500] if r[n - 1] is not None]
        width = max([len(str(header)) // 2, *sample], default=8)
        sheet.column_dimensions[get_column_letter(n)].width = min(60, max(8, width + 2))
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    heads = []
    for header in table.headers:
        cell = WriteOnlyCell(sheet, value=_safe(header))
        cell.font, cell.alignment = bold, wrap
        heads.append(cell)
    sheet.append(heads)
    for row in table.rows:
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str) -> str:
    # Excel: at most 31 characters, none of : \ / ? * [ ]
    return "".join(ch for ch in title if ch not in ":\\/?*[]")[:31] or "Sheet"


def render(table: Table, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(table)
    if fmt == "xlsx":
        return to_xlsx(table)
    raise ValueError(f"format must be one of {FORMATS}")
