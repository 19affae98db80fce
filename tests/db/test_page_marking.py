"""The back office marks a page unreadable, clears the mark, rotates a page — on both
backends: audited, refused to those who may not see the pages, and the marked page
becomes a 补正 item that 退回补正 carries into the 补正通知书."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import audit
from app.cases import intake, outcomes, workflow
from app.cases.intake import IntakeInput
from app.cases.workflow import Decision, Outcome
from app.db.models import AuditEvent, Case
from app.db.session import Database
from app.documents import SupplementNotice
from app.errors import Conflict, PermissionDenied, ValidationError
from app.materials import intake as mi
from app.materials import marking, records, viewing
from app.roles import Role
from tests.helpers import pages as tp
from tests.helpers.backoffice import open_tasks
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
from tests.helpers.people import actor


@pytest.fixture(scope="module")
def two_pages() -> tuple[mi.PreparedPage, ...]:
    return tuple(mi.prepare_pages(tp.form_pdf(2), "收入证明.pdf"))


def _accept(db: Database, pages: tuple[mi.PreparedPage, ...]) -> int:
    inp = IntakeInput(
        "MZ001",
        applicant(db),
        dict(DIBAO_FORM),
        ticks(*ALL_DIBAO),
        pages={"income_proof": pages},  # type: ignore[arg-type]
    )
    return intake.accept(db, actor(db), inp).case_id


def _events(db: Database, action: str) -> list[AuditEvent]:
    with db.read_only() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_mark_clear_and_rotate_are_audited(
    db: Database, two_pages: tuple[mi.PreparedPage, ...]
) -> None:
    case_id = _accept(db, two_pages)
    approver = actor(db, "approver", Role.APPROVER)
    first, second = viewing.case_pages(db, approver, case_id)
    assert second.material_name == "收入证明" and not second.unreadable
    marked = marking.mark_unreadable(db, approver, second.id, "  字迹模糊。 ")
    assert (marked.unreadable, marked.unreadable_note) == (True, "字迹模糊")
    assert marking.unreadable_items(db, case_id) == (
        "收入证明 第 2 页 无法辨认：字迹模糊，请重新提供",
    )
    listed = viewing.case_pages(db, approver, case_id)
    assert [p.unreadable for p in listed] == [False, True]
    (event,) = _events(db, "page_marked_unreadable")
    assert event.entity_id == str(case_id) and event.actor_name == approver.full_name
    assert event.after == {
        "page": second.id,
        "material": "income_proof",
        "position": 2,
        "reason": "字迹模糊",
    }
    cleared = marking.clear_unreadable(db, approver, second.id)
    assert not cleared.unreadable and cleared.unreadable_note == ""
    assert marking.unreadable_items(db, case_id) == ()
    marking.clear_unreadable(db, approver, second.id)  # not marked: nothing to record
    assert len(_events(db, "page_unreadable_cleared")) == 1
    assert marking.rotate_page(db, approver, first.id, 1).rotation == 90
    assert marking.rotate_page(db, approver, first.id, -2).rotation == 270
    assert [e.after["rotation"] for e in _events(db, "page_rotated")] == [90, 270]  # type: ignore[index]
    assert viewing.case_pages(db, approver, case_id)[0].rotation == 270
    assert audit.verify_chain(db).ok


def test_bad_notes_and_turns_are_refused_with_a_message(
    db: Database, two_pages: tuple[mi.PreparedPage, ...]
) -> None:
    case_id = _accept(db, two_pages)
    approver = actor(db, "approver", Role.APPROVER)
    page = viewing.case_pages(db, approver, case_id)[0]
    for bad in ("", "。", "模糊\n不清", "x" * 101, "看不清\u202e"):
        with pytest.raises(ValidationError) as refused:
            marking.mark_unreadable(db, approver, page.id, bad)
        assert refused.value.field == "note" and refused.value.message
    with pytest.raises(ValidationError):
        marking.rotate_page(db, approver, page.id, 4)
    assert marking.unreadable_items(db, case_id) == ()
    assert _events(db, "page_marked_unreadable") == []


def test_those_who_may_not_see_the_pages_may_not_mark_them(
    db: Database, two_pages: tuple[mi.PreparedPage, ...]
) -> None:
    case_id = _accept(db, two_pages)
    page = viewing.case_pages(db, actor(db), case_id)[0]
    for outsider in (actor(db, "auditor", Role.AUDITOR), actor(db, "canlian", Role.APPROVER)):
        with pytest.raises(PermissionDenied, match="没有查看该办件材料的权限"):
            marking.mark_unreadable(db, outsider, page.id, "字迹模糊")
        with pytest.raises(PermissionDenied):
            marking.rotate_page(db, outsider, page.id, 1)
    assert marking.unreadable_items(db, case_id) == ()
    assert _events(db, "page_rotated") == []


def test_return_for_supplement_carries_the_unreadable_pages_into_the_notice(
    db: Database, two_pages: tuple[mi.PreparedPage, ...]
) -> None:
    case_id = _accept(db, two_pages)
    approver = actor(db, "approver", Role.APPROVER)
    first, second = viewing.case_pages(db, approver, case_id)
    marking.mark_unreadable(db, approver, first.id, "缺角")
    marking.mark_unreadable(db, approver, second.id, "字迹模糊")
    # The approver lists one page (edited) and another item; the other page is added.
    task, version, _dept = open_tasks(db, case_id)[0]
    typed = ("收入证明 第 1 页 右下角缺失", "银行流水")
    workflow.decide(db, approver, Decision(task, version, Outcome.RETURN, "材料不清", typed))
    with db.read_only() as s:
        items = s.get(Case, case_id).supplement_items  # type: ignore[union-attr]
    assert items == [*typed, "收入证明 第 2 页 无法辨认：字迹模糊，请重新提供"]
    seen: list[SupplementNotice] = []

    def render(doc: SupplementNotice) -> bytes:
        seen.append(doc)
        return b"%PDF-1.4 test"

    outcomes.supplement_notice(db, approver, case_id, render)  # type: ignore[arg-type]
    assert "收入证明 第 2 页 无法辨认：字迹模糊，请重新提供" in seen[0].items


def test_only_unreadable_pages_suffice_for_a_return(
    db: Database, two_pages: tuple[mi.PreparedPage, ...]
) -> None:
    case_id = _accept(db, two_pages)
    approver = actor(db, "approver", Role.APPROVER)
    task, version, _dept = open_tasks(db, case_id)[0]
    with pytest.raises(ValidationError, match="逐项列明"):
        workflow.decide(db, approver, Decision(task, version, Outcome.RETURN, "材料不清"))
    page = viewing.case_pages(db, approver, case_id)[1]
    marking.mark_unreadable(db, approver, page.id, "字迹模糊")
    workflow.decide(db, approver, Decision(task, version, Outcome.RETURN, "材料不清"))
    with db.read_only() as s:
        case = s.get(Case, case_id)
        assert case is not None
        assert case.supplement_items == ["收入证明 第 2 页 无法辨认：字迹模糊，请重新提供"]


def test_pages_brought_with_supplement_replace_the_unreadable_ones(
    db: Database, two_pages: tuple[mi.PreparedPage, ...]
) -> None:
    """补正: the clerk captures the page again; the mark goes, the case decides again."""
    case_id = _accept(db, two_pages)
    approver = actor(db, "approver", Role.APPROVER)
    clerk = actor(db)
    second = viewing.case_pages(db, approver, case_id)[1]
    marking.mark_unreadable(db, approver, second.id, "字迹模糊")
    task, version, _dept = open_tasks(db, case_id)[0]
    workflow.decide(db, approver, Decision(task, version, Outcome.RETURN, "材料不清"))
    returned = viewing.case_pages(db, approver, case_id)
    again = mi.prepare_pages(tp.encoded(tp.scan(150), "PNG"), "重拍.png")
    with pytest.raises(ValidationError) as bad:  # a material the service does not have
        workflow.resubmit(db, clerk, case_id, "补交收入证明", {"passport": again})
    assert bad.value.field == "pages"
    assert viewing.case_pages(db, approver, case_id) == returned  # nothing stored
    workflow.resubmit(db, clerk, case_id, "补交收入证明第 2 页", {"income_proof": again})
    pages = viewing.case_pages(db, approver, case_id)
    assert [(p.material_key, p.position, p.unreadable) for p in pages] == [
        ("income_proof", 1, False),
        ("income_proof", 2, False),  # kept as received, no longer marked
        ("income_proof", 3, False),  # the page brought now
    ]
    replaced = {p.position: p.replaced_note for p in pages}
    assert replaced == {1: "", 2: "原无法辨认（字迹模糊），已由补正时补交的第 3 页替换", 3: ""}
    (event,) = _events(db, "case_resubmitted")
    assert event.after["marks_cleared"] == [["income_proof", 2, "字迹模糊"]]
    assert [row[2] for row in event.after["pages"]] == [
        two_pages[0].sha256,
        two_pages[1].sha256,
        again[0].sha256,
    ]
    assert records.verify_pages(db, approver, case_id).ok
    with db.read_only() as s:
        assert s.get(Case, case_id).state.value == "in_review"  # type: ignore[union-attr]


def test_supplement_without_pages_keeps_the_marks(
    db: Database, two_pages: tuple[mi.PreparedPage, ...]
) -> None:
    case_id = _accept(db, two_pages)
    approver = actor(db, "approver", Role.APPROVER)
    page = viewing.case_pages(db, approver, case_id)[0]
    marking.mark_unreadable(db, approver, page.id, "缺角")
    task, version, _dept = open_tasks(db, case_id)[0]
    workflow.decide(db, approver, Decision(task, version, Outcome.RETURN, "材料不清"))
    workflow.resubmit(db, actor(db), case_id, "已补交纸质材料")
    assert viewing.case_pages(db, approver, case_id)[0].unreadable
    (event,) = _events(db, "case_resubmitted")
    assert "marks_cleared" not in event.after


def test_a_mark_or_turn_made_meanwhile_on_another_pc_is_not_overwritten(
    db: Database, two_pages: tuple[mi.PreparedPage, ...]
) -> None:
    """Two approvers look at the same page; the second one's action is refused, not merged."""
    case_id = _accept(db, two_pages)
    approver = actor(db, "approver", Role.APPROVER)
    page = viewing.case_pages(db, approver, case_id)[0]
    marking.mark_unreadable(db, approver, page.id, "缺角", seen_note="")
    with pytest.raises(Conflict) as caught:  # PC 2 still saw the page unmarked
        marking.mark_unreadable(db, approver, page.id, "反光看不清", seen_note="")
    assert "缺角" in caught.value.message
    assert viewing.case_pages(db, approver, case_id)[0].unreadable_note == "缺角"
    with pytest.raises(Conflict):  # PC 2 takes off a mark it never saw
        marking.clear_unreadable(db, approver, page.id, seen_note="反光看不清")
    assert viewing.case_pages(db, approver, case_id)[0].unreadable
    marking.rotate_page(db, approver, page.id, 1, seen_rotation=0)
    with pytest.raises(Conflict):
        marking.rotate_page(db, approver, page.id, 1, seen_rotation=0)
    assert viewing.case_pages(db, approver, case_id)[0].rotation == 90


def test_the_audit_log_names_pages_by_material_not_by_code(
    db: Database, two_pages: tuple[mi.PreparedPage, ...]
) -> None:
    """The auditor reads 收入证明 第 2 页, not income_proof / [income_proof, 2, <sha>]."""
    from app.audit import listing
    from app.audit.listing import AuditFilter

    case_id = _accept(db, two_pages)
    approver = actor(db, "approver", Role.APPROVER)
    page = viewing.case_pages(db, approver, case_id)[1]
    viewing.page_image(db, approver, page.id)
    marking.mark_unreadable(db, approver, page.id, "字迹模糊")
    task, version, _dept = open_tasks(db, case_id)[0]
    workflow.decide(db, approver, Decision(task, version, Outcome.RETURN, "材料不清"))
    again = mi.prepare_pages(tp.encoded(tp.scan(150), "PNG"), "重拍.png")
    workflow.resubmit(db, actor(db), case_id, "补交第 2 页", {"income_proof": again})
    auditor = actor(db, "auditor", Role.AUDITOR)
    lines = listing.list_events(db, auditor, AuditFilter(), limit=200).lines
    text = "\n".join(line.details for line in lines)
    assert "income_proof" not in text
    viewed = next(line for line in lines if line.action == "page_viewed")
    assert "材料：收入证明" in viewed.details and "页码：2" in viewed.details
    resubmitted = next(line for line in lines if line.action == "case_resubmitted")
    assert "被替换的页：收入证明 第 2 页（字迹模糊）" in resubmitted.details
    assert "材料页：收入证明 第 1 页、收入证明 第 2 页、收入证明 第 3 页" in resubmitted.details
