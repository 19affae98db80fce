"""The case file exported as one PDF for the archive, on both backends: bookmarks per
material, one page per page image, the opinions, the exporter's watermark; refused to the
auditor; audited with the PDF's SHA-256; a page whose image is gone gets a red line."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, select, update

from app import audit
from app.cases import archive, intake, workflow
from app.cases.intake import IntakeInput
from app.cases.workflow import Decision, Outcome
from app.db.models import AuditEvent, CasePage, PageBlob
from app.db.session import Database
from app.errors import NotFound, PermissionDenied
from app.materials import intake as mi
from app.materials import marking, viewing
from app.roles import Role
from printing import archive as archive_pdf
from tests.helpers import pages as tp
from tests.helpers.backoffice import open_tasks
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
from tests.helpers.people import actor


@pytest.fixture(scope="module")
def income() -> tuple[mi.PreparedPage, ...]:
    return tuple(mi.prepare_pages(tp.form_pdf(2), "收入证明.pdf"))


@pytest.fixture(scope="module")
def id_card() -> mi.PreparedPage:
    return mi.prepare_page(tp.encoded(tp.draw(), "PNG"), "身份证.png")


def _case(db: Database, income: tuple[mi.PreparedPage, ...], id_card: mi.PreparedPage) -> int:
    """A 低保 case with 收入证明 (2 pages) and the ID card (1), its 初审 decided."""
    inp = IntakeInput(
        "MZ001",
        applicant(db),
        dict(DIBAO_FORM),
        ticks(*ALL_DIBAO),
        pages={"income_proof": income, "id_card": (id_card,)},  # type: ignore[arg-type]
    )
    case_id = intake.accept(db, actor(db), inp).case_id
    approver = actor(db, "approver", Role.APPROVER)
    second = viewing.case_pages(db, approver, case_id)[2]
    marking.mark_unreadable(db, approver, second.id, "字迹模糊")
    task, version, _dept = open_tasks(db, case_id)[0]
    opinion = "经入户核查，家庭人均收入低于当地低保标准，同意。"
    workflow.decide(db, approver, Decision(task, version, Outcome.APPROVE, opinion))
    return case_id


def _outline(reader: PdfReader) -> list[tuple[int, str]]:
    """(depth, title) of every outline entry, depth first."""
    out: list[tuple[int, str]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, str(item.title)))  # type: ignore[attr-defined]

    walk(reader.outline, 0)  # type: ignore[arg-type]
    return out


def _events(db: Database) -> list[AuditEvent]:
    with db.read_only() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "case_file_exported")))


def test_the_case_file_exports_with_bookmarks_pages_opinions_and_watermark(
    db: Database, income: tuple[mi.PreparedPage, ...], id_card: mi.PreparedPage
) -> None:
    case_id = _case(db, income, id_card)
    supervisor = actor(db, "supervisor", Role.SUPERVISOR)
    pdf = archive.export_case_file(db, supervisor, case_id, archive_pdf.render)
    reader = PdfReader(io.BytesIO(pdf))
    created = str(reader.metadata.get("/CreationDate")) if reader.metadata else ""
    assert created.startswith("D:20") and not created.startswith("D:2000")  # the export time
    assert created.endswith("+08'00'")  # the hall's time, with its offset
    outline = _outline(reader)
    assert (0, "案卷概要") in outline and (0, "申请材料") in outline
    assert (0, "审批意见") in outline
    materials = [title for depth, title in outline if depth == 1]
    assert materials == ["居民身份证（1 页）", "收入证明（2 页）"]  # the checklist's order
    assert [title for depth, title in outline if depth == 2] == ["第 1 页", "第 1 页", "第 2 页"]
    # One page per page image: exactly three pages carry an image.
    with_images = [p for p in reader.pages if p.images]
    assert len(with_images) == 3
    every = [p.extract_text() for p in reader.pages]
    for n, page_text in enumerate(every, start=1):
        assert f"归档导出 {supervisor.full_name}" in page_text
        assert f"第 {n} / {len(every)} 页" in page_text
    whole = "\n".join(every)
    assert "经入户核查" in whole and "初审" in whole
    assert "已标记无法辨认：字迹模糊" in whole
    assert "第 2/2 页" in whole
    (event,) = _events(db)
    assert event.actor_name == supervisor.full_name and event.entity_id == str(case_id)
    assert event.after == {
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "pdf_pages": len(reader.pages),
        "bytes": len(pdf),
        "images": 3,
        "missing_pages": [],
    }
    assert audit.verify_chain(db).ok


def test_the_approver_may_export_the_auditor_and_the_administrator_may_not(
    db: Database, income: tuple[mi.PreparedPage, ...], id_card: mi.PreparedPage
) -> None:
    case_id = _case(db, income, id_card)
    archive.export_case_file(db, actor(db, "approver", Role.APPROVER), case_id, archive_pdf.render)
    for outsider in (actor(db, "auditor", Role.AUDITOR), actor(db, "admin", Role.SYSADMIN)):
        with pytest.raises(PermissionDenied):
            archive.export_case_file(db, outsider, case_id, archive_pdf.render)
    with pytest.raises(NotFound):
        archive.export_case_file(db, actor(db), case_id + 999, archive_pdf.render)
    assert len(_events(db)) == 1


def test_a_page_whose_image_is_gone_gets_a_red_line_and_is_on_record(
    db: Database, income: tuple[mi.PreparedPage, ...], id_card: mi.PreparedPage
) -> None:
    case_id = _case(db, income, id_card)
    with db.unit_of_work() as s:
        s.execute(delete(PageBlob).where(PageBlob.sha256 == income[0].sha256))
        s.commit()
        key = s.scalar(select(CasePage.material_key).where(CasePage.sha256 == income[0].sha256))
    pdf = archive.export_case_file(db, actor(db), case_id, archive_pdf.render)
    reader = PdfReader(io.BytesIO(pdf))
    assert len([p for p in reader.pages if p.images]) == 2
    assert "第 1 页 图像缺失" in "\n".join(p.extract_text() for p in reader.pages)
    (event,) = _events(db)
    assert event.after is not None and event.after["missing_pages"] == [[key, 1]]


def test_a_swapped_page_image_is_left_out_and_said_so(
    db: Database, income: tuple[mi.PreparedPage, ...], id_card: mi.PreparedPage
) -> None:
    case_id = _case(db, income, id_card)
    with db.unit_of_work() as s:
        s.execute(
            update(PageBlob).where(PageBlob.sha256 == id_card.sha256).values(data=income[1].data)
        )
        s.commit()
    pdf = archive.export_case_file(db, actor(db), case_id, archive_pdf.render)
    reader = PdfReader(io.BytesIO(pdf))
    assert len([p for p in reader.pages if p.images]) == 2
    assert "图像与登记的校验值不符" in "\n".join(p.extract_text() for p in reader.pages)
    (event,) = _events(db)
    assert event.after is not None and event.after["missing_pages"] == [["id_card", 1]]
