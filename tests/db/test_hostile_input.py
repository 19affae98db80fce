"""Hostile text and odd digits reaching the services, on SQLite and PostgreSQL (issue 12).

Before the cleaner a NUL in a 一次性告知 reason raised a raw ``DataError`` on PostgreSQL
(the counter showed "程序内部错误"), a full-width ID made a second resident, and ``²`` in an
ID raised ``ValueError``. Every service that takes typed text must answer with a
ValidationError naming the field, and store nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from app.cases import casefile, inbox, intake, pickup, workflow
from app.cases.intake import IntakeInput
from app.cases.workflow import Decision, Outcome
from app.checklist import MaterialTick
from app.db.models import Case, Resident, Ticket
from app.db.session import Database
from app.errors import ValidationError
from app.hall import workcalendar
from app.hall.setup import DEMO_PASSWORD
from app.people import residents, user_admin, users
from app.people.residents import ResidentInput
from app.queue import queueing, windows
from app.roles import Role
from tests.helpers.backoffice import open_tasks, people
from tests.helpers.dibao import DIBAO_FORM, accept_dibao, applicant, ticks
from tests.helpers.people import actor, id_number

FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _kiosk(db: Database) -> Any:
    return queueing.kiosk_actor(queueing.hall_by_code(db, "DEMO").id)


def _count(db: Database, model: Any) -> int:
    with db.read_only() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_nul_in_the_reason_at_one_time_notice_is_a_message_next_to_the_field(
    db: Database,
) -> None:
    clerk, person = actor(db), applicant(db)
    cases_before = _count(db, Case)
    form = dict(DIBAO_FORM, reason="本人残疾，\x00无固定收入。")
    with pytest.raises(ValidationError) as err:
        intake.tell_missing(db, clerk, IntakeInput("MZ001", person, form, ticks("id_card")))
    assert err.value.field == "reason"  # the form field's key: shown under that input
    assert "U+0000" in err.value.message and "申请理由" in err.value.message
    assert _count(db, Case) == cases_before
    # The same application without the NUL gets its notice.
    good = IntakeInput("MZ001", person, dict(DIBAO_FORM), ticks("id_card"))
    assert intake.tell_missing(db, clerk, good).document is not None


@pytest.mark.parametrize("bad", ["\x00", "\u202e", "\ud800", "\x1b"])
def test_hostile_material_note_and_refusal_reason_are_refused(db: Database, bad: str) -> None:
    clerk, person = actor(db), applicant(db)
    note = (MaterialTick("id_card", True, True, True, 1, note=f"复印件{bad}"),)
    with pytest.raises(ValidationError) as err:
        intake.save_draft(db, clerk, IntakeInput("MZ001", person, dict(DIBAO_FORM), note))
    assert err.value.field == "material_note:id_card"
    inp = IntakeInput("MZ001", person, dict(DIBAO_FORM))
    with pytest.raises(ValidationError) as err:
        intake.refuse(db, clerk, inp, f"不属于本事项{bad}受理范围")
    assert err.value.field == "reason"
    with pytest.raises(ValidationError) as err:
        intake.save_draft(db, clerk, IntakeInput("MZ001", person, {"housing": f"租{bad}"}))
    assert err.value.field == "housing"
    assert _count(db, Case) == 0


def _decide(db: Database, opinion: str, items: tuple[str, ...] = ()) -> None:
    case = accept_dibao(db)
    task_id, version, code = open_tasks(db, case.case_id)[0]
    outcome = Outcome.RETURN if items else Outcome.APPROVE
    workflow.decide(db, people(db)[code], Decision(task_id, version, outcome, opinion, items))


SERVICES: dict[str, tuple[str, Callable[[Database, str], object]]] = {
    "opinion": ("opinion", lambda db, t: _decide(db, f"同意{t}")),
    "items": ("items", lambda db, t: _decide(db, "补正", (f"户口簿{t}",))),
    "withdraw": (
        "reason",
        lambda db, t: workflow.withdraw(db, actor(db), accept_dibao(db).case_id, f"不办了{t}"),
    ),
    "resubmit": (
        "note",
        lambda db, t: workflow.resubmit(db, actor(db), accept_dibao(db).case_id, f"已补{t}"),
    ),
    "objection": (
        "objection",
        lambda db, t: workflow.object_to_publicity(
            db, actor(db), accept_dibao(db).case_id, f"收入不实{t}举报"
        ),
    ),
    "resident name": (
        "name",
        lambda db, t: residents.save(
            db, actor(db), ResidentInput(id_number(date(1970, 1, 1), 5), f"张{t}三")
        ),
    ),
    "resident address": (
        "address",
        lambda db, t: residents.save(
            db, actor(db), ResidentInput(id_number(date(1970, 1, 1), 5), "张三", "", f"幸福路{t}")
        ),
    ),
    "resident search": ("query", lambda db, t: residents.search(db, actor(db), f"张{t}")),
    "user full name": (
        "full_name",
        lambda db, t: user_admin.create_user(
            db,
            users.login(db, "admin", DEMO_PASSWORD),
            "newclerk",
            f"赵{t}六",
            "Start#2026x",
            [Role.CLERK],
        ),
    ),
    "log-in name": ("username", lambda db, t: users.login(db, f"clerk{t}", DEMO_PASSWORD)),
    "calendar note": (
        "note",
        lambda db, t: workcalendar.set_day(
            db, actor(db, "supervisor", Role.SUPERVISOR), date(2026, 12, 5), True, f"调休{t}"
        ),
    ),
    "window name": (
        "name",
        lambda db, t: windows.save_window(
            db, actor(db, "supervisor", Role.SUPERVISOR), 77, f"窗口{t}", ["A"]
        ),
    ),
    "pickup query": ("query", lambda db, t: pickup.ready(db, actor(db), f"MZ{t}")),
    "case number": ("case_no", lambda db, t: casefile.find(db, actor(db), f"MZ{t}")),
    "inbox query": (
        "query",
        lambda db, t: inbox.inbox(db, actor(db, "approver", Role.APPROVER), query=f"李{t}"),
    ),
}


@pytest.mark.parametrize("where", list(SERVICES))
def test_every_service_taking_text_refuses_hostile_characters(db: Database, where: str) -> None:
    field, call = SERVICES[where]
    for bad in ("\x00", "\u2066", "\udc80"):  # NUL, bidi isolate, lone surrogate
        with pytest.raises(ValidationError) as err:
            call(db, bad)
        assert err.value.field == field
        assert f"U+{ord(bad):04X}" in err.value.message


def test_full_width_id_twice_is_one_resident_found_by_either(db: Database) -> None:
    clerk = actor(db)
    ascii_id = id_number(date(1985, 6, 7), 21)
    wide_id = ascii_id.translate(FULLWIDTH)
    first = residents.save(db, clerk, ResidentInput(wide_id, "周杰", "１３８００１３８０００"))
    second = residents.save(db, clerk, ResidentInput(ascii_id, "周杰", "13800138000"))
    assert first.id == second.id
    with db.read_only() as s:
        stored = s.scalars(select(Resident).where(Resident.name == "周杰")).all()
    assert [r.id_number for r in stored] == [ascii_id]
    assert stored[0].phone == "13800138000"
    assert first.phone_masked == second.phone_masked == "138****8000"
    for typed in (ascii_id, wide_id):
        found = residents.find_by_id_number(db, clerk, typed)
        assert found is not None and found.id == first.id
    assert [r.id for r in residents.search(db, clerk, wide_id[:8])] == [first.id]
    # The kiosk links a ticket to the same person whichever way the ID was typed.
    ticket = queueing.issue_ticket(db, _kiosk(db), "A", wide_id)
    with db.read_only() as s:
        row = s.get(Ticket, ticket.id)
        assert row is not None and row.resident_id == first.id


def test_superscript_two_in_an_id_is_a_validation_error_everywhere(db: Database) -> None:
    clerk, raw = actor(db), "1101051²8506070137"
    calls: list[Callable[[], object]] = [
        lambda: residents.save(db, clerk, ResidentInput(raw, "张三")),
        lambda: residents.find_by_id_number(db, clerk, raw),
        lambda: queueing.issue_ticket(db, _kiosk(db), "A", raw),
        lambda: pickup.hand_over(db, clerk, accept_dibao(db).case_id, raw),
    ]
    for call in calls:
        with pytest.raises(ValidationError, match="²"):
            call()
    assert _count(db, Resident) == 0 or residents.search(db, clerk, "张三") == []


@pytest.mark.parametrize("dot", ["•", "・", "‧", "･"])
def test_a_name_with_a_look_alike_dot_is_found_by_search_with_the_middle_dot(
    db: Database, dot: str
) -> None:
    clerk = actor(db)
    saved = residents.save(
        db, clerk, ResidentInput(id_number(date(1990, 2, 3), 31), f"阿依古丽{dot}买买提")
    )
    assert saved.name == "阿依古丽·买买提"
    for query in ("阿依古丽·买买提", f"古丽{dot}买", "古丽 · 买买提"):
        assert [r.id for r in residents.search(db, clerk, query)] == [saved.id], query


def test_a_full_width_space_name_is_one_name_found_by_search(db: Database) -> None:
    clerk = actor(db)
    saved = residents.save(
        db, clerk, ResidentInput(id_number(date(1991, 4, 5), 41), "欧阳\u3000娜娜")
    )
    assert saved.name == "欧阳娜娜"
    for query in ("欧阳娜娜", "欧阳\u3000娜娜", "欧阳 娜娜", "阳娜", "oynn"):
        assert [r.id for r in residents.search(db, clerk, query)] == [saved.id], query


def test_a_full_width_latin_name_is_the_same_name_found_by_search(db: Database) -> None:
    clerk = actor(db)
    saved = residents.save(
        db, clerk, ResidentInput(id_number(date(1992, 6, 7), 51), "Ａｌｉｃｅ\u3000Ｓｍｉｔｈ")
    )
    assert saved.name == "Alice Smith"
    for query in ("Ａｌｉｃｅ", "Ｓｍｉｔｈ", "Smith", "Ａｌｉｃｅ\u3000Ｓｍｉｔｈ", "alice smith"):
        assert saved.id in [r.id for r in residents.search(db, clerk, query)], query


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("\u3164", "U+3164"),  # Hangul filler: prints as a blank name
        ("王\ufffd", "U+FFFD"),  # garbled text
        ("\u0301", "U+0301"),  # a combining accent with nothing under it
        ("···", "没有文字"),
    ],
)
def test_a_name_that_would_print_blank_or_garbled_is_refused(
    db: Database, typed: str, why: str
) -> None:
    with pytest.raises(ValidationError) as err:
        residents.save(db, actor(db), ResidentInput(id_number(date(1993, 8, 9), 61), typed))
    assert err.value.field == "name" and why in err.value.message
