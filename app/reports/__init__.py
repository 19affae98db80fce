"""Statistics reports (统计报表): what the 统计 workspace shows and what it exports.

Owns the presentation side of :mod:`app.stats` without Qt: one call gathers every figure
of a hall and period (:mod:`app.reports.bundle`), the figures become titled tables with
Chinese headers and typed columns (:mod:`app.reports.tables` — the screen and the Excel
workbook show the same tables), the workbook is written by openpyxl
(:mod:`app.reports.excel`), the monthly hall report's printable snapshot is built for
``printing.stats_report`` (:mod:`app.reports.monthly`), and both files are saved whole or
not at all (:mod:`app.reports.export_file`).
"""
