"""The statistics workbook (.xlsx): one sheet per table, written with openpyxl.

Each sheet: the table's Chinese headers (bold, frozen), a column width from the longest
text (CJK characters counted double), and a number format per column kind (integers
``#,##0``, shares ``0.0%``, minutes and days ``0.0``, scores ``0.00``). No row cap.
(openpyxl's write-only mode would stream rows, but a cancelled write-only workbook leaves
its sheets' temporary files open; the statistics tables are at most a few thousand rows.)

The file appears whole or not at all (:mod:`app.reports.export_file`, shared with the
hall report PDF): a cancelled or failed export leaves any earlier file at the target
untouched and no temporary file behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from app.reports import export_file
from app.reports.tables import Kind, Table, Value

FORMATS: dict[Kind, str] = {
    Kind.INT: "#,##0",
    Kind.PCT: "0.0%",
    Kind.MINUTES: "0.0",
    Kind.DAYS: "0.0",
    Kind.SCORE: "0.00",
}
MAX_WIDTH = 50  # characters; longer texts wrap in Excel's cell rather than widen it
SHEET_NAME_MAX = 31  # Excel's limit
_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})

# Progress: called before each sheet with (sheets done, all sheets, next sheet's title);
# returning False cancels the export.
Progress = Callable[[int, int, str], bool]


def text_width(s: str) -> int:
    """Display width in Excel's character units: CJK and full-width characters count 2."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def _cell_text(value: Value, kind: Kind) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    if kind is Kind.PCT:
        return f"{value * 100:.1f}%"
    if kind is Kind.INT:
        return f"{int(value):,}"
    return f"{value:.2f}"


def sheet_name(title: str, taken: set[str]) -> str:
    """``title`` made a valid, unique sheet name (≤ 31 characters, no []:*?/\\)."""
    base = title.translate(_BAD_SHEET_CHARS)[:SHEET_NAME_MAX] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


EXPORT_MODE = export_file.EXPORT_MODE


def write_workbook(tables: Sequence[Table], target: Path, progress: Progress | None = None) -> bool:
    """Write ``tables`` to the workbook ``target``; False if ``progress`` cancelled it.

    Raises ValidationError (field ``path``) when the file cannot be saved (see
    :func:`app.reports.export_file.save_atomically`: ``target`` is left untouched).
    """

    def write(tmp: Path) -> bool:
        wb = Workbook()
        wb.remove(wb.active)
        taken: set[str] = set()
        for index, table in enumerate(tables):
            if progress is not None and not progress(index, len(tables), table.title):
                return False
            _sheet(wb, table, sheet_name(table.title, taken))
        if progress is not None and not progress(len(tables), len(tables), ""):
            return False
        wb.save(tmp)
        return True

    return export_file.save_atomically(Path(target), write)


def _sheet(wb: Workbook, table: Table, name: str) -> None:
    ws = wb.create_sheet(name)
    ws.freeze_panes = "A2"
    widths = [text_width(c.header) for c in table.columns]
    for row in table.rows:
        for i, (value, col) in enumerate(zip(row, table.columns, strict=True)):
            widths[i] = max(widths[i], text_width(_cell_text(value, col.kind)))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, w + 2)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, col in enumerate(table.columns, start=1):
        cell = ws.cell(1, i, col.header)
        cell.font, cell.fill, cell.alignment = bold, fill, centre
    formats = [FORMATS.get(c.kind) for c in table.columns]
    for r, row in enumerate(table.rows, start=2):
        for i, (value, fmt) in enumerate(zip(row, formats, strict=True), start=1):
            cell = ws.cell(r, i, value)
            if fmt is not None and not isinstance(value, str):
                cell.number_format = fmt
