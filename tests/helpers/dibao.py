"""The reference 低保 (MZ001) application used by intake and back-office tests."""

from __future__ import annotations

from datetime import date

from app.cases import intake
from app.cases.intake import IntakeInput
from app.checklist import MaterialTick
from app.db.session import Database
from app.people import residents
from tests.helpers.people import actor, id_number

DIBAO_FORM = {
    "household_size": "3",
    "household_income": "1,200.5",
    "disability": True,
    "disability_card_no": "11010519610305015942",
    "housing": "租房",
    "bank_account": "6217000010001234567",
    "reason": "本人残疾，无固定收入。",
}
ALL_DIBAO = ("id_card", "hukou", "income_proof", "disability_card", "authorization")


def ticks(*keys: str, deferred: tuple[str, ...] = ()) -> tuple[MaterialTick, ...]:
    """Materials received (original seen, one copy kept), and promised ones."""
    got = tuple(MaterialTick(k, True, True, True, 1) for k in keys)
    return got + tuple(MaterialTick(k, deferred=True) for k in deferred)


def applicant(
    db: Database, name: str = "李秀兰", born: date = date(1961, 3, 5), seq: int = 7
) -> int:
    """A registered resident (female, born ``born``); returns the resident id."""
    clerk = actor(db)
    data = residents.ResidentInput(
        id_number(born, seq, female=True), name, "13800138000", "幸福路 1 号"
    )
    return residents.save(db, clerk, data).id


def accept_dibao(db: Database, person: int | None = None, **form: object) -> intake.CaseResult:
    """A complete 低保 application accepted at the counter."""
    who = person if person is not None else applicant(db)
    data = dict(DIBAO_FORM, **form)
    return intake.accept(db, actor(db), IntakeInput("MZ001", who, data, ticks(*ALL_DIBAO)))
