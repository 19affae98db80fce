"""The whole case file (案卷) as one PDF for the archive (归档), exported and audited.

Who may export: whoever may see the case's pages (:mod:`app.materials.viewing`: the hall's
counter clerks, its supervisors, approvers of a department with a task on the case);
the auditor and the administrators are refused like they are for the pages.

What it holds: the case's facts, its form and the 审批 opinions as the case view shows them —
ID and phone numbers masked, as on every printout (DESIGN "Printing"); whoever needs the full
number has the ID card's page image in the same PDF — the materials checklist, every page
image of every material, the documents issued and the case's history. Page images are
stored as WebP; reportlab embeds JPEG as is, so each page is turned as the back office shows
it and re-encoded as JPEG at quality 75, the quality they were stored with (more only adds
bytes, not detail): a 200 dpi A4 form page ≈ 600 KB, a document-camera page ≈ 400 KB.

A page whose bytes are gone, or no longer match their SHA-256, does not stop the export:
the PDF gets a red line "第 N 页 图像缺失" (or "…与登记的校验值不符") in its place and the
audit event lists it, so the archive still gets the rest and the gap is on record.

The snapshot is read in one read-only transaction (page bytes included), re-encoded and
rendered outside it, then ``case_file_exported`` is recorded in its own short unit of work
with the PDF's SHA-256 and page count.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.cases import casefile
from app.cases.casefile import CaseFile
from app.cases.cases import DOCUMENT_LABELS, local_time
from app.db import clock
from app.db.models import CaseDocument, CaseMaterial, CasePage, Hall
from app.db.session import Database
from app.documents import ArchiveFile, ArchiveMaterial, ArchivePage, ArchiveTask
from app.errors import EnvironmentProblem, NotFound
from app.materials import viewing
from app.materials.stores import reading_store

JPEG_QUALITY = 75
Render = Callable[[ArchiveFile], bytes]


@dataclass(frozen=True)
class _RawPage:
    key: str
    position: int
    data: bytes | None
    rotation: int
    width: int
    height: int
    unreadable_note: str | None
    problem: str
    replaced_note: str = ""


def export_case_file(db: Database, actor: Actor, case_id: int, render: Render) -> bytes:
    """The case file as PDF bytes (``render``: :func:`printing.archive.render`); audited.

    Errors: NotFound (no such case in the actor's hall), PermissionDenied (the actor may
    not see the case's pages), EnvironmentProblem (database unreachable). Missing page
    images are not errors (module docstring).
    """
    with db.read_only() as session:
        case = viewing._require_handler(session, actor, case_id)
        if case.case_no is None:
            raise NotFound("办件不存在。")
        hall = session.get(Hall, case.hall_id)
        assert hall is not None
        # The case view's own reading, in this transaction (one consistent snapshot).
        file = casefile._file(db, session, actor, case)
        now = clock.now(session)
        exported_at = local_time(hall, now)
        created = _pdf_date(now, hall.timezone)
        documents = _documents(session, hall, case_id)
        checklist = session.execute(
            select(CaseMaterial.material_key, CaseMaterial.name)
            .where(CaseMaterial.case_id == case_id)
            .order_by(CaseMaterial.id)
        ).all()
        raw = _raw_pages(db, session, case_id)
    snapshot = ArchiveFile(
        hall_name=hall.name,
        case_no=file.case_no,
        service_name=file.service_name,
        facts=_facts(file),
        fields=file.fields,
        materials=_materials(file, [(k, n) for k, n in checklist], raw),
        tasks=tuple(
            ArchiveTask(
                t.step_name,
                t.department,
                t.state_label,
                t.assignee,
                t.created_at,
                t.decided_at,
                t.opinion,
                t.note,
            )
            for t in file.tasks
        ),
        documents=documents,
        history=tuple((h.at, h.actor, h.action, h.note) for h in file.history),
        exported_by=actor.full_name,
        exported_at=exported_at,
        created=created,
    )
    pdf = render(snapshot)
    after = {
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "pdf_pages": _page_count(pdf),
        "bytes": len(pdf),
        "images": sum(1 for p in raw if p.data is not None),
        "missing_pages": [[p.key, p.position] for p in raw if p.data is None],
    }
    with db.unit_of_work() as session:
        note = f"共 {after['pdf_pages']} 页"
        audit.record(session, actor, "case_file_exported", "case", case_id, after=after, note=note)
        session.commit()
    return pdf


def _documents(session: Session, hall: Hall, case_id: int) -> tuple[str, ...]:
    rows = session.execute(
        select(CaseDocument.kind, CaseDocument.created_at)
        .where(CaseDocument.case_id == case_id)
        .order_by(CaseDocument.id)
    ).all()
    return tuple(
        f"{DOCUMENT_LABELS[kind]}（{local_time(hall, at)}）"
        for kind, at in rows
        if kind in DOCUMENT_LABELS
    )


def _raw_pages(db: Database, session: Session, case_id: int) -> list[_RawPage]:
    """Every page with its stored bytes (None and why, when gone or changed)."""
    out = []
    pages = session.scalars(
        select(CasePage)
        .where(CasePage.case_id == case_id)
        .order_by(CasePage.material_key, CasePage.position)
    ).all()
    for page in pages:
        data: bytes | None
        problem = ""
        try:
            # From the store the page was written to (a hall may have moved stores since).
            data = reading_store(db, page.storage).get(session, page.sha256)
        except EnvironmentProblem:
            data, problem = None, "图像缺失"
        if data is not None and hashlib.sha256(data).hexdigest() != page.sha256:
            data, problem = None, "图像与登记的校验值不符，未收入"
        note = (page.unreadable_note or "未写理由") if page.unreadable else None
        out.append(
            _RawPage(
                page.material_key,
                page.position,
                data,
                page.rotation,
                page.width,
                page.height,
                note,
                problem,
                page.replaced_note or "",
            )
        )
    return out


def _materials(
    file: CaseFile, checklist: list[tuple[str, str]], raw: list[_RawPage]
) -> tuple[ArchiveMaterial, ...]:
    """The checklist in its order (pages of a key it lacks after it), pages re-encoded."""
    received = {line.name: line.detail for line in file.materials}
    names = dict(checklist)
    keys = [k for k, _n in checklist]
    keys += sorted({p.key for p in raw} - set(keys))
    out = []
    for key in keys:
        mine = [p for p in raw if p.key == key]
        name = names.get(key, key)
        out.append(
            ArchiveMaterial(
                name=name,
                received=received.get(name, "已收" if mine else "未收"),
                pages=tuple(_page(p, len(mine)) for p in mine),
            )
        )
    return tuple(out)


def _pdf_date(moment: datetime, zone: str) -> str:
    """``moment`` (UTC, naive) as a PDF date in the hall's time: ``D:20261130195155+08'00'``."""
    local = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone))
    offset = local.utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return local.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hours:02d}'{rest:02d}'"


def _page(raw: _RawPage, count: int) -> ArchivePage:
    if raw.data is None:
        return ArchivePage(
            raw.position,
            count,
            None,
            raw.width,
            raw.height,
            raw.unreadable_note,
            raw.problem,
            raw.replaced_note,
        )
    try:
        jpeg, width, height = to_jpeg(raw.data, raw.rotation)
    except (OSError, UnidentifiedImageError, ValueError):
        return ArchivePage(
            raw.position,
            count,
            None,
            raw.width,
            raw.height,
            raw.unreadable_note,
            "图像无法解码",
            raw.replaced_note,
        )
    return ArchivePage(
        raw.position, count, jpeg, width, height, raw.unreadable_note, "", raw.replaced_note
    )


def to_jpeg(data: bytes, rotation: int = 0) -> tuple[bytes, int, int]:
    """A stored page (WebP, or any image Pillow reads) turned ``rotation`` degrees clockwise,
    as JPEG (quality :data:`JPEG_QUALITY`); returns (bytes, width, height in pixels)."""
    with Image.open(io.BytesIO(data)) as img:
        shown = img.convert("RGB")
    if rotation % 360:
        shown = shown.rotate(-rotation, expand=True)
    out = io.BytesIO()
    shown.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue(), shown.width, shown.height


def _page_count(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def _facts(file: CaseFile) -> tuple[tuple[str, str], ...]:
    step = f"（{file.step_name}）" if file.step_name else ""
    rows = (
        ("办件编号", file.case_no),
        ("事项", f"{file.service_name}（{file.service_code}）"),
        ("主管部门", file.department),
        ("申请人", f"{file.applicant_name}  {file.applicant_id_masked}"),
        ("联系电话", file.applicant_phone_masked),
        ("代办人", file.agent),
        ("受理时间", file.accepted_at),
        ("状态", f"{file.state_label}{step}"),
        ("承诺办结", file.due_date.isoformat() if file.due_date else ""),
        ("暂停计时", f"{file.suspended_days} 个工作日" if file.suspended_days else ""),
        ("公示截止", file.publicity_until.isoformat() if file.publicity_until else ""),
        ("待补正", "；".join(file.supplement_items)),
        ("结果说明", file.decision_reason),
        ("领取人", file.collector),
    )
    return tuple((label, value) for label, value in rows if value)
