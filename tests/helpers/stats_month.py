"""The fixed day of :mod:`tests.helpers.stats_day` plus department tasks and rated tickets.

For the 统计 workspace and its exports. On Monday 2026-11-02: the eleven tickets; 民政 (MZ)
30 承诺件 decided Tuesday (3 after their due Monday), 残联 (CL) 29 decided Tuesday on time;
six ratings of 民政 at window 1: 5 5 4 3 2 1, the bad ones with reasons. Hand figures:

* tickets 10; wait p50 420 s = 7.0 min; p90 3000 s = 50.0 min; within 15 min 5/9 = 55.6 %
* accepted 59; decided 59, on time 56 → 94.9 %
* 满意率 4/6 = 66.7 %; bad reasons 等候时间过长 2, 服务态度差 1
* 民政 score 20 × 1 + 40 × 0.9 + 20 × (1 − 0) + 20 × 4/6 = 89.33; 残联 样本不足 (29 < 30)
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.db.models import Department
from app.db.session import Database
from app.states import TaskState
from tests.helpers import stats_day
from tests.helpers.stats_day import at

MONTH = (date(2026, 11, 1), date(2026, 11, 30))


def seed(db: Database) -> dict[str, int]:
    """Seed the day; returns :func:`stats_day.ids` plus ``MZ`` and ``CL`` department ids."""
    ids = stats_day.seed_queue(db)
    with db.unit_of_work() as s:
        mz = s.scalars(select(Department.id).where(Department.code == "MZ")).one()
        cl = s.scalars(select(Department.id).where(Department.code == "CL")).one()
        hall = ids["hall"]
        who = stats_day.resident(s)
        _st, sv = stats_day.service(s, mz)
        _st2, sv2 = stats_day.service(s, cl)
        decided = at("10:00", date(2026, 11, 3))
        for n in range(30):
            due = date(2026, 11, 2) if n < 3 else date(2026, 11, 5)
            case_id = stats_day.add_case(s, hall, sv, who, f"TJ-MZ-{n:02d}", decided, due)
            stats_day.add_task(s, hall, case_id, mz, TaskState.APPROVED, decided, due)
        for n in range(29):
            due = date(2026, 11, 5)
            case_id = stats_day.add_case(s, hall, sv2, who, f"TJ-CL-{n:02d}", decided, due)
            stats_day.add_task(s, hall, case_id, cl, TaskState.APPROVED, decided, due)
        reasons = {2: ["等候时间过长"], 1: ["等候时间过长", "服务态度差"]}
        for n, level in enumerate((5, 5, 4, 3, 2, 1)):
            stats_day.add_rating(
                s,
                hall,
                f"T:{n}",
                level,
                mz,
                window_id=ids["window1"],
                reasons=reasons.get(level, []),
            )
        s.commit()
    return {**ids, "MZ": mz, "CL": cl}
