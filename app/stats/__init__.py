"""Hall statistics (统计): queue, cases, 好差评 satisfaction and department performance.

Owns the READ side of the measurements of issue 16: plain dataclass results (rows a table,
a chart or an Excel sheet shows as they are) computed from the tables the hall already
writes — ``ticket``, ``service_case``, ``task``, ``rating``, ``rectification`` and, for the
events no row keeps (一次性告知, 不予受理, 签收), the audit trail. Nothing is counted twice:
there are no summary tables that could drift from the records.

Definitions (all times are the hall's local time; a period is a range of service days,
both ends included):

* **Wait** (等候时长) of a resident: ``called_at − issued_at`` of the ticket they took.
  A transfer (转窗) makes a new ticket row with the same ``issued_at``; only the first
  ticket of such a chain (``transferred_from_id IS NULL``) counts, so a resident's wait is
  counted once. A recall (重呼) moves ``called_at``: the wait ends at the last call. Only
  called tickets have a wait; one that was never called is not in the wait figures (it
  counts as 过号 or 日终关闭). Whole seconds.
* **Service time** (办理时长): ``finished_at − started_at`` (``− called_at`` when the clerk
  never pressed 开始办理), of tickets that ended ``done``.
* **Percentiles** p50 / p90: the nearest-rank percentile (the smallest value with at least
  p % of the values at or below it) — exact, so a test can compute it by hand.
* **Within 15 / 30 minutes**: share of the residents' waits (as above) ≤ 15 / 30 min.
* **Idle time with a non-empty queue** (有人等候时的空闲) of a clerk: for each two
  consecutive tickets a clerk called on one service day, the part of the gap between
  finishing the first and calling the second during which the second ticket was already
  waiting: ``max(0, next.called_at − max(prev.finished_at, next.queued_at))``. The ticket
  the clerk called next is the witness that the queue was not empty; a lower bound (another
  window may have taken an earlier waiting ticket). One window-function query, linear in
  the tickets, so a year stays fast.
* **Queue length over the day**: tickets waiting (issued, not yet called) in each
  15-minute slot of the day, sampled at the slot's start, averaged over the period's days
  that had tickets.
* **Cases**: 受理 = cases with ``accepted_at`` in the period (即办件 and 容缺 included);
  容缺 = those with ``deferred_until``; 一次性告知 = audit events ``case_notice_issued``
  (every notice handed out); 不予受理 = audit events ``case_refused``. Decided = 承诺件 with
  ``decided_at`` in the period; on time when decided on or before ``due_date`` (which 补正
  already extended by the waiting days); working days to decide = working days after the
  acceptance day up to the decision day, less ``suspended_days`` (clock stopped for 补正),
  by the hall calendar (:mod:`app.workdays` with its overrides). 补正率 = decided cases
  that had at least one task returned for 补正. Pickup delay = ``delivered_at −
  decided_at`` in days, 承诺件 delivered in the period.
* **满意率** = (非常满意 + 满意 + 基本满意) / all live ratings (not superseded), by the
  day the rating was given.
* **Department score**: see :mod:`app.stats.departments`.

Permissions (:mod:`app.stats.scope`): a supervisor reads their own hall; there is no
city-wide role yet, so a user who is both 大厅管理员 and 系统管理员 reads every hall of the
database side by side (the city view); there is no department-head role either, so an
approver reads the case, satisfaction and department figures of their own departments only.
"""
