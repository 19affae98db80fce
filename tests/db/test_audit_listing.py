"""The auditor's list on both backends: names not codes, filters, pages, masked data.

A counter day is played through the real services (window, ticket, resident, case,
approval, a revealed ID, an administrator's change); the list must read it in Chinese with
names. Filter and paging tests stamp events at chosen moments (``audit.record(at=…)``)
so day boundaries in the hall's time zone can be tested exactly.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app import audit
from app.actor import Actor
from app.audit import anchors, listing
from app.audit.listing import AuditFilter, AuditPage
from app.cases import workflow
from app.cases.workflow import Decision, Outcome
from app.db.models import Hall, User, Window
from app.db.session import Database, db_now
from app.errors import NotFound, PermissionDenied, ValidationError
from app.people import residents, user_admin
from app.queue import calling, queueing, windows
from app.roles import Role
from tests.helpers.backoffice import open_tasks
from tests.helpers.dibao import accept_dibao, applicant
from tests.helpers.people import actor

AUDITOR = ("auditor", Role.AUDITOR)


def _auditor(db: Database) -> Actor:
    return actor(db, *AUDITOR)


def _all(db: Database, f: AuditFilter | None = None, limit: int = 1000) -> AuditPage:
    return listing.list_events(db, _auditor(db), f or AuditFilter(), limit=limit)


def _window(db: Database, number: int) -> int:
    with db.read_only() as s:
        return int(s.scalars(select(Window.id).where(Window.number == number)).one())


def _counter_day(db: Database) -> dict[str, object]:
    """A clerk's morning through the services; returns what the list should name."""
    clerk = actor(db)
    wid = _window(db, 3)
    windows.open_window(db, clerk, wid)
    kiosk = queueing.kiosk_actor(queueing.hall_by_code(db, "DEMO").id)
    ticket = queueing.issue_ticket(db, kiosk, "B")
    called = calling.call_next(db, clerk, wid)
    assert called is not None and called.code == ticket.code
    calling.start_service(db, clerk, called.id)
    person = applicant(db, name="李秀兰")
    case = accept_dibao(db, person)
    calling.finish(db, clerk, called.id)
    boss = actor(db, "admin", Role.SYSADMIN)
    revealer = actor(db, "clerk", Role.CLERK)
    full_id = residents.reveal(db, revealer, person, "id_number")
    approver = actor(db, "jiedao", Role.APPROVER)
    [(task_id, version, _dept)] = open_tasks(db, case.case_id)
    workflow.decide(db, approver, Decision(task_id, version, Outcome.APPROVE, "情况属实，同意。"))
    made = user_admin.create_user(db, boss, "wangwu", "王五", "Start#2026x", [Role.CLERK])
    return {
        "ticket": ticket.code,
        "case_no": case.case_no,
        "full_id": full_id,
        "new_user": made.id,
        "window_id": wid,
    }


def test_the_list_reads_in_names_and_chinese_not_codes_and_ids(db: Database) -> None:
    day = _counter_day(db)
    assert anchors.anchor_due(db) >= 1  # the day's anchors: each chain's head in the root chain
    page = _all(db)
    lines = page.lines
    own = [x.seq for x in lines if x.action != "audit_anchored"]  # the hall's chain
    assert own == sorted(own, reverse=True)
    by_action = {x.action: x for x in lines}  # the newest of each

    called = by_action["ticket_called"]
    assert called.operator == "王晓燕（clerk）"
    assert called.action_label == "叫号"
    assert re.fullmatch(rf"号票 {day['ticket']}（\d{{4}}-\d{{2}}-\d{{2}}）", called.record)
    assert called.details == "3 号窗口；状态：等候中 → 已呼叫"  # the note, then the change
    assert by_action["ticket_issued"].operator == "自助取号机"
    assert by_action["window_opened"].record == "窗口 3 号窗口"
    assert "状态：关闭 → 开放" in by_action["window_opened"].details
    assert "值守人员：（无） → 王晓燕（clerk）" in by_action["window_opened"].details

    accepted = by_action["case_accepted"]
    assert accepted.action_label == "受理"
    assert accepted.record == f"办件 {day['case_no']}（最低生活保障申请）"
    assert "环节：初审" in accepted.details and "状态：已受理" in accepted.details
    decided = by_action["task_approved"]
    assert decided.operator == "周海（jiedao）"
    assert decided.details == (  # the opinion as written, then the changes in a fixed order
        "情况属实，同意。状态：已受理 → 审批中；环节：初审 → 复审；审批任务：初审（街道社会事务办）"
    )

    full_id = str(day["full_id"])
    masked = f"{full_id[:6]}********{full_id[-4:]}"
    revealed = by_action["personal_data_revealed"]
    assert revealed.action_label == "查看完整个人信息"
    assert revealed.record == f"申请人 李秀兰（{masked}）" and revealed.details == "身份证号"
    created = by_action["user_created"]
    assert created.operator == "系统管理员（admin）" and created.record == "用户 王五（wangwu）"
    assert "角色：综合窗口人员" in created.details and "状态：正常" in created.details

    with db.read_only() as s:
        hall_name = s.scalars(select(Hall.name)).first()
    anchored = [x for x in lines if x.action == "audit_anchored"]
    assert anchored, "the hall's auditor sees the anchors of the hall's chain"
    assert {x.record for x in anchored} <= {f"审计链（大厅 {hall_name}）", "审计链（锚点链）"}
    assert f"审计链（大厅 {hall_name}）" in {x.record for x in anchored}
    assert all(x.seq_shown == f"锚点链 {x.seq}" for x in anchored)  # not the hall's numbers
    assert called.seq_shown == str(called.seq)

    for line in lines:
        text = " ".join((line.operator, line.action_label, line.record, line.details))
        assert full_id not in text and full_id.lower() not in text  # masked, always
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text  # no codes or snapshot keys
        assert line.action_label != line.action
        assert not re.search(r"\b(state|window|step|due|before|after|None)\b", text), text


def test_filters_by_operator_action_and_record(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = _counter_day(db)
    clerk_id = actor(db).user_id
    mine = _all(db, AuditFilter(operator=clerk_id)).lines
    assert mine and all(x.operator == "王晓燕（clerk）" for x in mine)
    kiosk = _all(db, AuditFilter(operator="自助取号机")).lines
    assert [x.action for x in kiosk] == ["ticket_issued"]
    system = _all(db, AuditFilter(operator="系统")).lines
    assert {"hall_created", "catalog_synced"} <= {x.action for x in system}

    calls = _all(db, AuditFilter(action="ticket_called")).lines
    assert [x.action_label for x in calls] == ["叫号"]
    monkeypatch.setattr(listing, "RARE_ACTION", 0)  # SQLite: walk seq, not the action index
    assert _all(db, AuditFilter(action="ticket_called")).lines == calls

    case = _all(db, AuditFilter(entity="case", text=str(day["case_no"]).lower())).lines
    assert [x.action for x in case] == ["task_approved", "case_accepted"]
    anyway = _all(db, AuditFilter(text=f" {day['case_no']} ")).lines  # type guessed, trimmed
    assert [x.seq for x in anyway] == [x.seq for x in case]
    ticket = _all(db, AuditFilter(entity="ticket", text=str(day["ticket"]))).lines
    assert [x.action for x in ticket] == [
        "ticket_finished",
        "ticket_started",
        "ticket_called",
        "ticket_issued",
    ]
    by_id = _all(db, AuditFilter(entity="resident", text=str(day["full_id"]))).lines
    assert [x.action for x in by_id] == ["personal_data_revealed", "resident_created"]
    by_name = _all(db, AuditFilter(text="李秀兰")).lines
    assert [x.seq for x in by_name] == [x.seq for x in by_id]
    user = _all(db, AuditFilter(entity="user", text="wangwu")).lines
    assert [x.action for x in user] == ["user_created"]
    window = _all(db, AuditFilter(entity="window", text="3号")).lines
    assert [x.action for x in window] == ["window_opened"]
    all_windows = _all(db, AuditFilter(entity="window")).lines
    assert {x.action for x in all_windows} == {"window_opened"}
    both = _all(
        db, AuditFilter(operator=clerk_id, action="ticket_finished", text=str(day["ticket"]))
    ).lines
    assert [x.action for x in both] == ["ticket_finished"]


def test_bad_filters_name_their_field(db: Database) -> None:
    cases = [
        (AuditFilter(date_from=date(2026, 11, 2), date_to=date(2026, 11, 1)), "date_to", "早于"),
        (AuditFilter(date_from=date(1999, 1, 1)), "date_from", "2000"),
        (AuditFilter(entity="case", text="12345"), "text", "办件编号"),
        (AuditFilter(entity="ticket", text="张三"), "text", "号票号码"),
        (AuditFilter(entity="window", text="三号"), "text", "窗口号"),
        (AuditFilter(entity="calendar_day", text="10月1日"), "text", "2026-10-01"),
        (AuditFilter(text="x" * 41), "text", "40"),
        (AuditFilter(action="drop_table"), "action", "操作"),
        (AuditFilter(entity="payroll"), "entity", "对象"),
        (AuditFilter(operator="root"), "operator", "操作人"),
    ]
    for f, field, words in cases:
        with pytest.raises(ValidationError) as err:
            _all(db, f)
        assert err.value.field == field and words in err.value.message, f
    with pytest.raises(NotFound) as missing:
        _all(db, AuditFilter(entity="case", text="MZ20200101-9999"))
    assert missing.value.field == "text" and "MZ20200101-9999" in missing.value.message
    with pytest.raises(PermissionDenied):
        listing.list_events(db, actor(db), AuditFilter())
    with pytest.raises(PermissionDenied):
        listing.filter_choices(db, actor(db))


def _stamp(db: Database, who: Actor, moments: list[datetime]) -> list[int]:
    """One login event of ``who`` at each moment (naive UTC); returns their seq."""
    seqs = []
    for at in moments:
        with db.unit_of_work() as s:
            audit.record(s, who, "login", "user", who.user_id, at=at)
            s.commit()
        seqs.append(audit.recent_events(db, _auditor(db), limit=1)[0].seq)
    return seqs


def test_days_are_the_halls_local_days_even_slightly_out_of_order(db: Database) -> None:
    with db.read_only() as s:
        now = db_now(s)
    # Three local days after today (Asia/Shanghai, UTC+8): local midnight is 16:00 UTC.
    d1 = (now + timedelta(hours=8)).date() + timedelta(days=2)
    d2, d3 = d1 + timedelta(days=1), d1 + timedelta(days=2)
    midnight_d2 = datetime.combine(d2, datetime.min.time()) - timedelta(hours=8)
    clerk = actor(db)
    seqs = _stamp(
        db,
        clerk,
        [
            midnight_d2 - timedelta(hours=3),  # d1 21:00
            midnight_d2 - timedelta(seconds=1),  # d1 23:59:59
            midnight_d2 + timedelta(seconds=30),  # d2 00:00:30
            midnight_d2 - timedelta(seconds=10),  # d1 23:59:50, appended a moment late
            midnight_d2 + timedelta(hours=10),  # d2 10:00
            midnight_d2 + timedelta(days=1, hours=9),  # d3 09:00
        ],
    )

    def days(start: date | None, end: date | None) -> list[int]:
        return [x.seq for x in _all(db, AuditFilter(start, end, operator=clerk.user_id)).lines]

    assert days(d1, d1) == [seqs[3], seqs[1], seqs[0]]
    assert days(d2, d2) == [seqs[4], seqs[2]]
    assert days(d2, None) == [seqs[5], seqs[4], seqs[2]]
    assert days(None, d2) == [seqs[4], seqs[3], seqs[2], seqs[1], seqs[0]]
    assert days(d3, d3) == [seqs[5]]
    assert days(d3 + timedelta(days=1), None) == []
    line = _all(db, AuditFilter(d2, d2, operator=clerk.user_id)).lines[-1]
    assert line.at == f"{d2.isoformat()} 00:00:30"  # shown in the hall's time, too
    earlier = _all(db, AuditFilter(date(2000, 1, 1), d1 - timedelta(days=1))).lines
    assert {"hall_created", "catalog_synced"} <= {x.action for x in earlier}
    assert not set(seqs) & {x.seq for x in earlier}


def test_pages_continue_where_the_last_one_stopped(db: Database) -> None:
    _counter_day(db)
    everything = [x.seq for x in _all(db).lines]
    assert len(everything) > 12
    seen: list[int] = []
    before: int | None = None
    while True:
        page = listing.list_events(db, _auditor(db), AuditFilter(), before=before, limit=5)
        seen += [x.seq for x in page.lines]
        if page.before is None:
            break
        assert len(page.lines) == 5
        before = page.before
    assert seen == everything


def test_a_rare_operator_is_searched_in_bounded_steps(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No index serves the operator: each call reads at most SCAN_BUDGET events, then says
    how far it got, and "加载更多" goes on from there."""
    admin = actor(db, "admin", Role.SYSADMIN)
    clerk = actor(db)
    with db.read_only() as s:
        now = db_now(s)
    moments = [now + timedelta(minutes=i) for i in range(30)]
    _stamp(db, admin, moments[:1])
    _stamp(db, clerk, moments[1:])
    monkeypatch.setattr(listing, "WINDOW", 4)
    monkeypatch.setattr(listing, "SCAN_BUDGET", 12)
    f = AuditFilter(operator=admin.user_id)
    first = listing.list_events(db, _auditor(db), f)
    assert first.lines == () and first.before is not None and first.searched_to
    found, before, calls = [], first.before, 1
    while before is not None:
        page = listing.list_events(db, _auditor(db), f, before=before)
        found += page.lines
        before, calls = page.before, calls + 1
    assert [x.operator for x in found] == ["系统管理员（admin）"]
    assert calls >= 3  # 30 newer events in steps of at most 12


def test_another_halls_events_are_not_listed(db: Database) -> None:
    with db.unit_of_work() as s:
        other = Hall(code="OTHER", name="另一大厅")
        s.add(other)
        s.flush()
        stranger = Actor(user_id=None, username="system", full_name="系统", hall_id=other.id)
        audit.record(
            s, stranger, "notice_changed", "hall", "OTHER", {"notice": ""}, {"notice": "x"}
        )
        s.commit()
    assert "notice_changed" not in {x.action for x in _all(db).lines}


def test_filter_choices_name_people_and_every_action(db: Database) -> None:
    choices = listing.filter_choices(db, _auditor(db))
    labels = dict(choices.operators)
    with db.read_only() as s:
        clerk_id = s.scalars(select(User.id).where(User.username == "clerk")).one()
    assert labels[clerk_id] == "王晓燕（clerk）" and labels["自助取号机"] == "自助取号机"
    assert dict(choices.actions)["ticket_called"] == "叫号"
    assert dict(choices.entities)["case"] == "办件"
