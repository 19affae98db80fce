"""统计: the statistics workspace — figures over a date range, charts, drill-down, exports.

Reads through :mod:`app.reports` (one call per user action, off the GUI thread): the
supervisor sees their hall (a city supervisor every hall, and the halls side by side);
an approver sees their departments' case, satisfaction and performance figures, read only.
"""
