"""Statistics against hand-computed values on a small fixed day, on both backends.

The day (``tests/helpers/stats_day.py``): eleven tickets of Monday 2026-11-02 with known
times; 61 back-office tasks of two departments; a handful of ratings. Each assertion
carries its hand computation.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.db.models import Department, User
from app.db.session import Database
from app.errors import PermissionDenied, ValidationError
from app.roles import Role
from app.states import TaskState
from app.stats import cases, clerks, departments, queue, satisfaction
from app.stats.departments import INSUFFICIENT, Weights
from tests.helpers import stats_day
from tests.helpers.people import actor
from tests.helpers.stats_day import DAY, at

NOV = (date(2026, 11, 1), date(2026, 11, 30))


def test_waits_service_times_and_queue_length(db: Database) -> None:
    ids = stats_day.seed_queue(db)
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    st = queue.queue_stats(db, boss, ids["hall"], DAY, DAY)
    o = st.overall
    # Residents' waits (j, the transfer of i, is not a second wait; k was never called):
    # a 60, b 420, c 300, d 1800, e 1500, f 120, g 1800, h 3000, i 300 → sorted
    # 60 120 300 300 420 1500 1800 1800 3000: p50 = 5th = 420, p90 = ceil(8.1) = 9th = 3000.
    assert (o.wait.count, o.wait.p50_s, o.wait.p90_s, o.wait.max_s) == (9, 420, 3000, 3000)
    assert o.within_15 == pytest.approx(5 / 9)  # 60 120 300 300 420
    assert o.within_30 == pytest.approx(8 / 9)  # all but 3000 (1800 = 30 min counts)
    # Service (done): a 510, b 480, c 600 (no 开始办理: from the call), e 600, f 1680,
    # g 300, h 600, j 600 → 300 480 510 600 600 600 600 1680: p50 = 4th, p90 = 8th.
    assert (o.service.count, o.service.p50_s, o.service.p90_s, o.service.max_s) == (
        8,
        600,
        1680,
        1680,
    )
    assert (o.tickets, o.served, o.no_shows, o.transfers) == (10, 8, 1, 1)
    per_queue = {r.key[0]: r for r in st.per_queue}
    assert per_queue["A"].tickets == 10 and per_queue["B"].served == 1
    assert per_queue["B"].wait.count == 0  # j's wait is i's
    assert st.per_day == [(DAY, 10)]
    # Hour 9: a–h issued, waits sum 9000 / 8; hour 10: i (300) and k (never called).
    assert st.per_hour == [(9, 8, pytest.approx(1125.0)), (10, 2, pytest.approx(300.0))]
    length = dict(st.queue_length)
    assert length["09:15"] == 1.0  # issued a b f g, called a f b
    assert length["09:30"] == 3.0  # issued a b c d f g, called a b f
    assert length["09:00"] == 0.0


def test_clerk_idle_time_with_a_waiting_queue(db: Database) -> None:
    ids = stats_day.seed_queue(db)
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    rows = {r.clerk_id: r for r in clerks.clerk_stats(db, boss, ids["hall"], DAY, DAY)}
    one, two = rows[ids["clerk1"]], rows[ids["clerk2"]]
    # clerk 1: a→b 09:10–09:12 = 120; b→c waits from c's 09:25 to 09:30 = 300;
    # c→d 09:40–09:50 = 600; d was a no-show (no finish): no gap before e;
    # e→j: j queued 10:56, called 11:30 = 2040.  Total 3060.
    assert (one.called, one.served, one.idle_with_queue_s) == (6, 5, 3060)
    assert one.mean_service_s == pytest.approx((510 + 480 + 600 + 600 + 600) / 5)
    # clerk 2: f→g 09:30–09:40 = 600; g→h from h's 09:40 to 10:30... h queued 09:40,
    # g finished 09:45 → 09:45–10:30 = 2700; h→i: i queued 10:50, called 10:55 = 300.
    assert (two.called, two.served, two.idle_with_queue_s) == (4, 3, 3600)
    assert two.mean_service_s == pytest.approx((1680 + 300 + 600) / 3)


def test_queue_figures_are_for_supervisors_of_the_hall(db: Database) -> None:
    ids = stats_day.seed_queue(db)
    with pytest.raises(PermissionDenied):
        queue.queue_stats(db, actor(db, "clerk"), ids["hall"], DAY, DAY)
    with pytest.raises(PermissionDenied):
        queue.queue_stats(db, actor(db, "approver", Role.APPROVER), ids["hall"], DAY, DAY)
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    with pytest.raises(ValidationError):
        queue.queue_stats(db, boss, ids["hall"], DAY, date(2026, 11, 1))
    # Days no calendar arithmetic can step past: a message by the field, never an overflow.
    for first, last, field in (
        (date(9999, 11, 1), date(9999, 12, 31), "first"),
        (date(2100, 12, 1), date(9999, 12, 31), "last"),
        (date(1, 1, 1), date(1, 1, 2), "first"),
    ):
        for call in (queue.queue_stats, cases.case_stats, satisfaction.satisfaction):
            with pytest.raises(ValidationError, match="统计日期应在") as caught:
                call(db, boss, ids["hall"], first, last)
            assert caught.value.field == field


def _dept(db: Database, code: str) -> int:
    with db.read_only() as s:
        return int(s.scalars(select(Department.id).where(Department.code == code)).one())


def test_satisfaction_rate_counts_live_ratings_only(db: Database) -> None:
    ids = stats_day.seed_queue(db)
    mz = _dept(db, "MZ")
    with db.unit_of_work() as s:
        for n, level in enumerate((5, 5, 4, 3, 2, 1)):
            stats_day.add_rating(s, ids["hall"], f"T:{n}", level, mz, window_id=ids["window1"])
        wrong = stats_day.add_rating(s, ids["hall"], "T:9", 1, mz, window_id=ids["window2"])
        again = stats_day.add_rating(s, ids["hall"], "T:9b", 4, mz, window_id=ids["window2"])
        wrong.superseded_by_id = again.id  # a re-rate within 2 minutes
        s.commit()
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    st = satisfaction.satisfaction(db, boss, ids["hall"], *NOV)
    # live: 5 5 4 3 2 1 4 → 满意率 (5 + 4 + 3) 5 of 7; the superseded 1 is not counted.
    assert st.overall.total == 7
    assert st.overall.satisfied_rate == pytest.approx(5 / 7)
    assert st.overall.share(5) == pytest.approx(2 / 7)
    windows = {r.ids: r for r in st.per_window}
    assert windows[ids["window2"]].counts[1] == 0 and windows[ids["window2"]].total == 1
    assert [w.key for w in st.per_week] == ["2026-W45"]
    assert st.per_department[0].satisfied_rate == pytest.approx(5 / 7)


def _seed_departments(db: Database) -> tuple[int, int, int]:
    """MZ: 30 decided tasks (3 overdue, 3 returned, 5 answered a day late of which one was
    claimed in time) + 1 task reopened by an objection; CL: 29 decided; 5 MZ ratings."""
    mz, cl = _dept(db, "MZ"), _dept(db, "CL")
    with db.unit_of_work() as s:
        hall = stats_day.ids(s)["hall"]
        who = stats_day.resident(s)
        _st, sv = stats_day.service(s, mz)
        _st2, sv2 = stats_day.service(s, cl)
        on_time_due, late_due = date(2026, 11, 5), date(2026, 11, 2)
        first_case = 0
        for n in range(30):
            decided = at("10:00", date(2026, 11, 4) if n >= 25 else date(2026, 11, 3))
            due = late_due if n < 3 else on_time_due
            case_id = stats_day.add_case(s, hall, sv, who, f"TJ-MZ-{n:02d}", decided, due)
            first_case = first_case or case_id
            state = TaskState.RETURNED if 3 <= n < 6 else TaskState.APPROVED
            task = stats_day.add_task(s, hall, case_id, mz, state, decided, due)
            if n == 29:  # claimed on Tuesday: answered in time although decided Wednesday
                stats_day.add_claim(s, hall, case_id, task, at("10:00", date(2026, 11, 3)))
        stats_day.add_task(
            s, hall, first_case, mz, TaskState.OPEN, None, on_time_due, "公示期间收到异议：收入不实"
        )
        for n in range(29):
            decided = at("10:00", date(2026, 11, 3))
            case_id = stats_day.add_case(s, hall, sv2, who, f"TJ-CL-{n:02d}", decided, on_time_due)
            stats_day.add_task(s, hall, case_id, cl, TaskState.APPROVED, decided, on_time_due)
        for n, level in enumerate((5, 4, 3, 2, 1)):
            stats_day.add_rating(s, hall, f"C:{n}:accept", level, mz)
        s.commit()
    return hall, mz, cl


def test_department_score_with_default_weights_and_too_few_tasks(db: Database) -> None:
    hall, mz, cl = _seed_departments(db)
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    rows = {r.department_id: r for r in departments.department_scores(db, boss, hall, *NOV)}
    m = rows[mz]
    # 响应率: 31 tasks ready Monday, limit Tuesday; late: 4 decided Wednesday (the fifth was
    # claimed Tuesday) + the objection's task still open → 26 / 31.
    assert (m.responded, m.response_due) == (26, 31)
    assert m.on_time_rate == pytest.approx(27 / 30)  # 3 decided after their due Monday
    assert m.rework_rate == pytest.approx(4 / 30)  # 3 returned + 1 reopened by objection
    assert m.satisfied_rate == pytest.approx(3 / 5)  # 5 4 3 of 5 4 3 2 1
    # 20 × 26/31 + 40 × 0.9 + 20 × (1 − 4/30) + 20 × 0.6 = 82.1075…
    assert m.score == pytest.approx(82.11)
    assert m.note == ""
    c = rows[cl]
    assert (c.decided, c.score, c.note) == (29, None, INSUFFICIENT)
    heavy = departments.department_scores(
        db, boss, hall, *NOV, weights=Weights(response=0, on_time=100, rework=0, satisfaction=0)
    )
    assert {r.department_id: r.score for r in heavy}[mz] == pytest.approx(90.0)
    with pytest.raises(ValidationError):
        Weights(response=50, on_time=40, rework=20, satisfaction=20)
    overdue = departments.cases_behind(db, boss, hall, mz, "overdue", *NOV)
    assert overdue == ["TJ-MZ-00", "TJ-MZ-01", "TJ-MZ-02"]
    rework = departments.cases_behind(db, boss, hall, mz, "rework", *NOV)
    assert rework == ["TJ-MZ-00", "TJ-MZ-03", "TJ-MZ-04", "TJ-MZ-05"]
    late = departments.cases_behind(db, boss, hall, mz, "late_response", *NOV)
    assert late == ["TJ-MZ-00", "TJ-MZ-25", "TJ-MZ-26", "TJ-MZ-27", "TJ-MZ-28"]


def test_case_figures_and_an_approver_sees_own_departments(db: Database) -> None:
    hall, mz, cl = _seed_departments(db)
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    st = cases.case_stats(db, boss, hall, *NOV)
    with db.read_only() as s:
        mz_name = s.get(Department, mz).name  # type: ignore[union-attr]
    row = next(r for r in st.per_department if r.key == mz_name)
    assert (row.accepted, row.decided, row.on_time, row.overdue) == (30, 30, 27, 3)
    assert row.supplement_rate == pytest.approx(3 / 30)
    # accepted Monday; 25 decided Tuesday (1 working day), 5 Wednesday (2): 35 / 30
    assert row.mean_workdays == pytest.approx(35 / 30)
    canlian = actor(db, "canlian", Role.APPROVER)
    with db.unit_of_work() as s:
        user = s.scalars(select(User).where(User.username == "canlian")).one()
        codes = {d.department_id for d in user.departments}
        names = frozenset(s.scalars(select(Department.code).where(Department.id.in_(codes))))
    seen = departments.department_scores(db, replace(canlian, departments=names), hall, *NOV)
    assert [r.department_id for r in seen] == [cl]  # 残联 only, though 民政 has more
    with pytest.raises(PermissionDenied):
        departments.cases_behind(db, replace(canlian, departments=names), hall, mz, "decided", *NOV)


def test_city_view_shows_every_hall_to_the_city_supervisor_only(db: Database) -> None:
    from app.db.models import Hall
    from app.stats import city

    ids = stats_day.seed_queue(db)
    with db.unit_of_work() as s:
        s.add(Hall(code="ZZ99", name="另一个便民服务中心"))
        s.commit()
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    mine = city.city_overview(db, boss, DAY, DAY)
    assert [r.hall_id for r in mine] == [ids["hall"]]
    assert (mine[0].tickets, mine[0].wait_p50_s, mine[0].wait_p90_s) == (10, 420, 3000)
    chief = replace(boss, roles=frozenset({Role.SUPERVISOR, Role.SYSADMIN}))
    halls = city.city_overview(db, chief, DAY, DAY)
    assert len(halls) == 2 and {r.hall for r in halls} >= {"另一个便民服务中心"}
    other = next(r for r in halls if r.hall == "另一个便民服务中心")
    assert (other.tickets, other.wait_p50_s, other.satisfied_rate) == (0, None, None)
    with pytest.raises(PermissionDenied):
        city.city_overview(db, actor(db, "clerk"), DAY, DAY)
