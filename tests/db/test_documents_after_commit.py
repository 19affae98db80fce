"""Documents are rendered after their case is committed (no write lock held while drawing),
then stored with it; a receipt never exists for a case the database does not have."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.cases import cases, intake
from app.cases.intake import IntakeInput
from app.checklist import MaterialTick
from app.db.models import AuditEvent, Case, CaseDocument
from app.db.session import Database
from app.documents import CounterResult, Receipt
from app.errors import Conflict, EnvironmentProblem
from app.people import residents
from tests.helpers.people import actor, id_number

FORM = {"proof_type": "亲属关系证明", "purpose": "办理继承公证"}
TICKS = (MaterialTick("id_card", True, True, True, 1), MaterialTick("hukou", True, True))


def _committed(db: Database, case_no: str) -> bool:
    """Whether another connection sees the case (it is committed)."""
    with db.read_only() as s:
        return s.scalar(select(Case.id).where(Case.case_no == case_no)) is not None


def _person(db: Database) -> int:
    clerk = actor(db)
    return residents.save(
        db, clerk, residents.ResidentInput(id_number(date(1990, 5, 6), 9), "王芳")
    ).id


def test_the_receipt_is_rendered_after_its_case_is_committed(db: Database) -> None:
    seen: list[bool] = []

    def render(doc: Receipt | CounterResult) -> bytes:
        number = doc.cases[0].case_no if isinstance(doc, Receipt) else doc.case_no
        seen.append(_committed(db, number))
        return f"%PDF-{type(doc).__name__}".encode()

    result = intake.accept(db, actor(db), IntakeInput("GA005", _person(db), FORM, TICKS), render)
    # A 即办件: its receipt and its result (the certificate), both drawn after the commit.
    assert seen == [True, True] and result.pdf == b"%PDF-Receipt" and result.warning == ""
    with db.read_only() as s:
        stored = s.scalars(
            select(CaseDocument.pdf)
            .where(CaseDocument.case_id == result.case_id)
            .order_by(CaseDocument.id)
        )
        assert list(stored) == [b"%PDF-Receipt", b"%PDF-CounterResult"]


def test_a_receipt_not_stored_leaves_the_case_and_says_so(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = db.unit_of_work
    calls = 0

    def busy_the_second_time():  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:  # accept's own transaction is the first; storing the PDF the second
            raise EnvironmentProblem("系统繁忙，请稍后重试。")
        return real()

    person, clerk = _person(db), actor(db)
    intake.service_definition(db, clerk, "GA005")  # the catalog is cached: no lookups inside
    monkeypatch.setattr(db, "unit_of_work", busy_the_second_time)
    result = intake.accept(db, clerk, IntakeInput("GA005", person, FORM, TICKS), lambda _d: b"%PDF")
    monkeypatch.undo()
    assert result.case_no and _committed(db, result.case_no)
    assert result.pdf == b"%PDF" and "未能存档" in result.warning and "系统繁忙" in result.warning


def test_an_accepted_case_without_its_receipt_gets_one_made_again(db: Database) -> None:
    """The accepting PC stopped after the commit: the case view prints the receipt anew."""
    clerk = actor(db)
    result = intake.accept(db, clerk, IntakeInput("GA005", _person(db), FORM, TICKS))
    assert result.pdf is None  # nothing rendered, nothing archived
    made: list[Receipt] = []

    def render(doc: Receipt) -> bytes:
        made.append(doc)
        return b"%PDF-again"

    pdf, warning = cases.receipt_again(db, clerk, result.case_id, render)
    assert (pdf, warning) == (b"%PDF-again", "")
    assert made[0].cases[0].case_no == result.case_no
    assert made[0].clerk == clerk.full_name  # the clerk who accepted it
    with db.read_only() as s:
        kinds = s.scalars(select(CaseDocument.kind).where(CaseDocument.case_id == result.case_id))
        assert list(kinds) == ["receipt"]
        events = s.scalars(
            select(AuditEvent.action).where(
                AuditEvent.entity == "case", AuditEvent.entity_id == str(result.case_id)
            )
        )
        assert "document_reprinted" in list(events)


def test_a_draft_has_no_receipt_to_make_again(db: Database) -> None:
    clerk = actor(db)
    draft = intake.save_draft(db, clerk, IntakeInput("GA005", _person(db), FORM, TICKS))
    with pytest.raises(Conflict):
        cases.receipt_again(db, clerk, draft.case_id, lambda _doc: b"%PDF")
