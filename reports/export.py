"""Tables as files: CSV (UTF-8 with BOM, so that Excel reads Cyrillic) and XLSX.

Cells keep their types in a workbook: dates are date cells with a date format, numbers are
numbers, shares are numbers with a % format; a grant report is summed and sorted in Excel."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from reports.grant import COLUMNS, Line, Sheet
from reports.tables import Cell, Table

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT, DATETIME_FORMAT = "DD.MM.YYYY", "DD.MM.YYYY HH:MM"
PERCENT_FORMAT, MINUTES_FORMAT = "0.0%", "0.0"


def _safe(value: Cell) -> Cell:
    # Cells are codes and labels, never user text; still, nothing may read as a formula.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _text(value: Cell) -> Cell:
    # CSV: a date as 2026-11-25 (ISO sorts and reads the same in every Excel locale).
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else _safe(value)


def _csv(headers: list[str], rows: list[list[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_safe(h) for h in headers])
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_csv(table: Table) -> bytes:
    return _csv(table.headers, table.rows)


def _sheet(book: Any, title: str, headers: list[str], sample: list[list[Cell]]) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(_sheet_name(title))
    sheet.freeze_panes = "B2"
    for n, header in enumerate(headers, start=1):
        sizes = [len(str(_text(r[n - 1]))) for r in sample[:500] if r[n - 1] is not None]
        width = max([len(str(header)) // 2, *sizes], default=8)
        sheet.column_dimensions[get_column_letter(n)].width = min(60, max(8, width + 2))
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    heads = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_safe(header))
        cell.font, cell.alignment = bold, wrap
        heads.append(cell)
    sheet.append(heads)
    return sheet


def _cell(sheet: WriteOnlyWorksheet, value: Cell, number_format: str | None = None) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=_safe(value))
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif number_format and isinstance(value, int | float):
        cell.number_format = number_format
    return cell


def _save(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_xlsx(table: Table) -> bytes:
    # Imported here: openpyxl costs every bot process ~5 MB, and only a report download uses it.
    from openpyxl import Workbook

    # Write-only mode streams rows: ten times faster than the default on a year's registry.
    book = Workbook(write_only=True)
    sheet = _sheet(book, table.title, table.headers, table.rows)
    for row in table.rows:
        sheet.append([_cell(sheet, v) for v in row])
    return _save(book)


def _grant_row(line: Line) -> list[Cell]:
    return [line.name, line.plan, line.actual, line.share, line.comment, line.first, line.last]


def grant_to_xlsx(sheets: list[Sheet], lang: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    headers = [c.get(lang) for c in COLUMNS]
    for part in sheets:
        rows = [_grant_row(line) for line in part.lines]
        sheet = _sheet(book, part.title, headers, rows)
        for line, row in zip(part.lines, rows, strict=True):
            actual = {"percent": PERCENT_FORMAT, "minutes": MINUTES_FORMAT}.get(line.kind)
            formats = [None, None, actual, PERCENT_FORMAT, None, None, None]
            sheet.append([_cell(sheet, v, f) for v, f in zip(row, formats, strict=True)])
    return _save(book)


def grant_to_csv(sheets: list[Sheet], lang: str) -> bytes:
    """One table: the sheet's title first; shares as percent numbers (45.5, not 0.455)."""
    section = "Раздел" if lang != "kk" else "Бөлім"
    rows: list[list[Cell]] = []
    for part in sheets:
        for line in part.lines:
            row = _grant_row(line)
            row[3] = _percent(line.share)
            if line.kind == "percent":
                row[2] = _percent(line.actual)
            rows.append([part.title, *row])
    return _csv([section, *(c.get(lang) for c in COLUMNS)], rows)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _sheet_name(title: str) -> str:
    # Excel: at most 31 characters, none of : \ / ? * [ ]
    return "".join(ch for ch in title if ch not in ":\\/?*[]")[:31] or "Sheet"


def render(table: Table, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(table)
    if fmt == "xlsx":
        return to_xlsx(table)
    raise ValueError(f"format must be one of {FORMATS}")


def render_grant(sheets: list[Sheet], fmt: str, lang: str) -> bytes:
    if fmt == "csv":
        return grant_to_csv(sheets, lang)
    if fmt == "xlsx":
        return grant_to_xlsx(sheets, lang)
    raise ValueError(f"format must be one of {FORMATS}")
