"""好差评 (satisfaction ratings) and 整改 (the rectification a bad rating opens).

Follows GB/T 39734-2020 《政务服务评价工作指南》: a resident rates a service on five
levels — 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意 — and every bad rating
(不满意 or worse) is followed up by the hall: 差评整改 — a call back to the resident (回访),
the measures taken, and the task closed, or appealed when the rating is disputed.

Owns: ``levels`` (the five levels, the reason list for bad ratings, what a rating's input
may hold, the grace period and the deadline constants, the rating screen's actor),
``subjects`` (what can be rated: a finished ticket, a case at acceptance or at pickup —
found from a window, a scanned ticket or receipt, or a subject key), ``rating`` (rating
and re-rating, each one transaction that opens or moves the 整改 in the same commit) and
``rectification`` (the supervisor's 整改 list and its callback, close and appeal).

May import every lower capability: the foundation modules of ``app``, ``app.db``,
``app.audit``, ``app.people``, ``app.hall``, ``app.queue`` and ``app.cases``.
"""
