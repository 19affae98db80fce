"""Counter intake (综合受理): accept, tell what is missing, or refuse — one call each.

Every outcome is one service call, one transaction and one audit event. The rules are
checked again here (:func:`app.checklist.evaluate`), whatever the screen showed. The
printed document is rendered by a function the caller passes (``printing`` is not
imported by ``app``) after the case is committed, and then saved with it
(:mod:`app.cases.issued`): a receipt never exists for a case the database does not
have, rendering never holds the write lock, and a printer failure loses nothing.

The rows an outcome reads and writes on the way (the application loaded, the case number,
the case row, its materials and first tasks) are built by :mod:`app.cases.intake_rows`;
what 受理 adds for a 即办件 (finished and handed over at once, with its result) and for 容缺
(the 承诺书) by :mod:`app.cases.counter_result`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, checklist, text
from app.actor import Actor
from app.cases import counter_result
from app.cases import intake_rows as rows
from app.cases.cases import local_time, receipt_of
from app.cases.issued import render_and_keep, render_and_keep_all
from app.checklist import MaterialTick
from app.db.models import Case, CaseMaterial, ServiceType, ServiceVersion
from app.db.session import Database
from app.documents import MissingNotice, ReceivedLine, RefusalNotice
from app.errors import NotFound, ValidationError
from app.fieldvalues import raw_form
from app.hall.catalog import definition_of
from app.ids import mask_id
from app.materials import records
from app.materials.intake import PreparedPage
from app.materials.stores import store_of
from app.roles import Permission
from app.states import CaseState
from app.workdays import WorkCalendar
from forms.schema import ServiceDef, ServiceKind

DEFERRAL_WORKDAYS = 5  # 容缺: promised materials are due within this many working days
Render = Callable[[Any], bytes]


@dataclass(frozen=True)
class IntakeInput:
    """One application as the clerk has it on screen."""

    service_code: str
    applicant_id: int
    form: dict[str, Any]
    materials: tuple[MaterialTick, ...] = ()
    agent_id: int | None = None
    ticket_id: int | None = None
    draft_id: int | None = None  # a draft resumed from an earlier visit
    # Pages captured now, per material key, in order: added after the case's earlier pages
    # (a resumed draft keeps those) and stored in the outcome's transaction.
    pages: dict[str, tuple[PreparedPage, ...]] = field(default_factory=dict)
    # A resumed draft's pages already stored with it: count per material key (read only)
    stored_pages: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Paper:
    """A document printed for the person at the counter now (kept with the case)."""

    kind: str  # the kept document's kind: "receipt", "result", "promise"
    title: str  # 受理回执, the 即办件's certificate (户籍证明 …), 容缺受理承诺书
    pdf: bytes


@dataclass(frozen=True)
class CaseResult:
    """What the counter shows and prints after an outcome."""

    case_id: int
    case_no: str | None
    state: CaseState
    due_date: date | None
    document: Any = None  # the snapshot printed (Receipt, MissingNotice, RefusalNotice)
    pdf: bytes | None = None
    warning: str = ""  # e.g. next year's holidays not entered yet
    # 受理 only: what to print now, in order — the receipt, or a 即办件's result (its
    # receipt is kept, not printed); then the 容缺承诺书 to sign. Empty without a renderer.
    handout: tuple[Paper, ...] = ()
    collector: str = ""  # a 即办件's result handed over to (masked), "" otherwise
    deferred_until: date | None = None  # 容缺: the promised materials are due by then

    @property
    def finished_here(self) -> bool:
        """A 即办件 completed and handed over at the counter (never waits in 出件)."""
        return self.state == CaseState.DELIVERED


def calendar(session: Session) -> WorkCalendar:
    """The working-day calendar with this database's overrides."""
    from app.db.models import CalendarOverride

    overrides = session.scalars(select(CalendarOverride))
    return WorkCalendar({r.day: r.is_workday for r in overrides})


def _load(session: Session, actor: Actor, inp: IntakeInput) -> rows.Loaded:
    """The application ``inp`` as an outcome needs it (the actor may take it)."""
    return rows.load(session, actor, inp.service_code, inp.applicant_id, inp.agent_id)


def _draft(
    session: Session, inp: IntakeInput, ld: rows.Loaded, form: dict[str, Any]
) -> tuple[Case, dict[str, object] | None]:
    """The draft ``inp`` resumes (and its audit snapshot), or a new case row, with ``form``."""
    return rows.case_row(session, ld, inp.draft_id, inp.ticket_id, form)


def accept(
    db: Database, actor: Actor, inp: IntakeInput, render: Render | None = None
) -> CaseResult:
    """受理 (or 容缺受理 when only promised, deferrable materials are missing).

    承诺件 get a case number, a due date in working days and their first step's tasks;
    即办件 are completed and handed over at once, with their result (办结通知书 or the
    catalog's certificate). 容缺 adds the 容缺受理承诺书. ``render`` turns each snapshot
    (Receipt, CounterResult, DeferralPromise) into PDF bytes; all are kept with the case.
    Raises ValidationError listing what is still missing.
    """
    with db.unit_of_work() as session:
        ld = _load(session, actor, inp)
        check = checklist.evaluate(ld.service, ld.facts, inp.form, inp.materials, ld.today)
        if check.field_errors:
            key, message = next(iter(check.field_errors.items()))
            raise ValidationError(f"表单还有 {len(check.field_errors)} 处问题：{message}", key)
        if check.missing:
            names = "、".join(m.name for m in check.missing)
            raise ValidationError(f"材料不齐：{names}。可出具一次性告知书。", "materials")
        cal = calendar(session)
        case, before = _draft(session, inp, ld, check.clean)
        case.notice_items = []
        case.accepted_by_id, case.accepted_at = actor.user_id, ld.now
        case.deferred_until = cal.add(ld.today, DEFERRAL_WORKDAYS) if check.deferred else None
        rows.move(case, CaseState.ACCEPTED)
        step, depts, who = "", list[int](), ""
        if ld.service.kind == ServiceKind.INSTANT:
            case.due_date = ld.today
            who = counter_result.finish_here(case, actor, ld)
            action = "case_completed_at_counter"
        else:
            case.due_date = cal.add(ld.today, ld.service.promised_days)
            step, depts = rows.first_step(session, ld, check.clean)
            case.current_step = step
            action = "case_accepted_with_promise" if check.deferred else "case_accepted"
        session.flush()  # one INSERT (or UPDATE of the resumed draft) with everything set
        rows.record_materials(session, case, ld.service, inp.materials, case.deferred_until)
        pages = _pages(db, session, actor, inp, ld, case)
        if depts:
            rows.open_tasks(session, case, step, depts, ld.now)
        # The number last: its counter row stays locked until the commit, so pages are
        # stored and tasks opened before it is taken (see rows.case_no).
        case.case_no = rows.case_no(session.connection(), ld.hall, ld.department.code, ld.today)
        doc = receipt_of(session, actor, [case])
        papers: list[tuple[str, str, Any]] = [("receipt", "受理回执", doc)]
        if who:
            result = counter_result.result_of(case, actor, ld, check.deferred, who)
            papers.append(("result", result.title, result))
        if check.deferred:
            promise = counter_result.promise_of(case, actor, ld, check.deferred)
            papers.append(("promise", "容缺受理承诺书", promise))
        after, note = _accepted(case, check, who)
        after |= pages
        audit.record(session, actor, action, "case", case.id, before, after, note, at=ld.now)
        session.commit()
    docs = [(kind, snap) for kind, _title, snap in papers]
    pdfs, kept = (
        render_and_keep_all(db, actor, case.id, render, docs, ld.now) if render else ([], "")
    )
    handout = tuple(
        Paper(kind, title, pdf)
        for (kind, title, _snap), pdf in zip(papers, pdfs, strict=False)
        if not (who and kind == "receipt")  # a 即办件's result says all its receipt would
    )
    warning = "；".join(w for w in (cal.warning, kept) if w)
    return CaseResult(
        case.id,
        case.case_no,
        case.state,
        case.due_date,
        doc,
        pdfs[0] if pdfs else None,  # the receipt
        warning,
        handout,
        who,
        case.deferred_until,
    )


def _pages(
    db: Database, session: Session, actor: Actor, inp: IntakeInput, ld: rows.Loaded, case: Case
) -> dict[str, object]:
    """Store ``inp``'s pages with the case; the audit snapshot's page list (or nothing)."""
    store = store_of(db)
    resumed = inp.draft_id is not None
    return rows.record_pages(session, store, actor, case, ld.service, inp.pages, resumed, ld.now)


def _accepted(case: Case, check: checklist.Check, who: str) -> tuple[dict[str, object], str]:
    """The audit trail's record of an acceptance: the case after it, and a note."""
    after = rows.snapshot(case)
    notes = []
    if who:
        after["collector"] = who
        notes.append(f"当场出件，领取人：{who}")
    if check.deferred and case.deferred_until:
        names = [m.name for m in check.deferred]
        after |= {"deferred": names, "deferred_until": case.deferred_until.isoformat()}
        notes.append(f"容缺材料：{'、'.join(names)}，{case.deferred_until.isoformat()} 前补交")
    return after, "；".join(notes)


def tell_missing(
    db: Database, actor: Actor, inp: IntakeInput, render: Render | None = None
) -> CaseResult:
    """一次性告知: keep the application as a draft and list everything still missing."""
    with db.unit_of_work() as session:
        ld = _load(session, actor, inp)
        check = checklist.evaluate(ld.service, ld.facts, inp.form, inp.materials, ld.today)
        if check.complete or check.acceptable_with_promise:
            raise ValidationError("材料和表单已齐全，请直接受理。", "materials")
        case, before = _draft(session, inp, ld, raw_form(ld.service, inp.form))
        items = [f"{m.name}（{m.form}）" for m in check.missing + check.deferred]
        case.notice_items = items + list(check.field_errors.values())
        session.flush()
        rows.record_materials(session, case, ld.service, inp.materials, None)
        pages = _pages(db, session, actor, inp, ld, case)
        doc = _notice(session, actor, case, ld, check)
        after = rows.snapshot(case) | {"missing": case.notice_items} | pages
        audit.record(
            session, actor, "case_notice_issued", "case", case.id, before, after, at=ld.now
        )
        session.commit()
    pdf, kept = render_and_keep(db, actor, case.id, "notice", render, doc, ld.now)
    return CaseResult(case.id, None, case.state, None, doc, pdf, kept)


def refuse(
    db: Database, actor: Actor, inp: IntakeInput, reason: str, render: Render | None = None
) -> CaseResult:
    """不予受理: outside the service's scope; numbered, with the reason and a notice."""
    reason = text.clean_line(reason, "reason", "不予受理理由", 10_000)
    if len(reason) < 4:
        raise ValidationError("请写明不予受理的理由（至少 4 个字）。", "reason")
    if len(reason) > 500:
        raise ValidationError("理由过长（最多 500 字）。", "reason")
    with db.unit_of_work() as session:
        ld = _load(session, actor, inp)
        case, before = _draft(session, inp, ld, raw_form(ld.service, inp.form))
        case.refusal_reason = reason
        rows.move(case, CaseState.REFUSED)
        session.flush()
        case.case_no = rows.case_no(session.connection(), ld.hall, ld.department.code, ld.today)
        doc = RefusalNotice(
            hall_name=ld.hall.name,
            case_no=case.case_no,
            applicant_name=ld.applicant.name,
            applicant_id_masked=mask_id(ld.applicant.id_number),
            service_name=ld.service.name,
            department=ld.department.name,
            reason=reason,
            legal_basis=ld.service.legal_basis or "",
            remedy=(
                "如对本决定不服，可自收到本通知书之日起六十日内依法申请行政复议，"
                "或者在六个月内依法提起行政诉讼。"
            ),
            issued_at=local_time(ld.hall, ld.now),
            clerk=actor.full_name or actor.username,
        )
        after = rows.snapshot(case) | {"reason": reason}
        audit.record(session, actor, "case_refused", "case", case.id, before, after, at=ld.now)
        session.commit()
    pdf, kept = render_and_keep(db, actor, case.id, "refusal", render, doc, ld.now)
    return CaseResult(case.id, case.case_no, case.state, None, doc, pdf, kept)


def save_draft(db: Database, actor: Actor, inp: IntakeInput) -> CaseResult:
    """暂存: keep what was typed and ticked for later, without any notice."""
    with db.unit_of_work() as session:
        ld = _load(session, actor, inp)
        case, before = _draft(session, inp, ld, raw_form(ld.service, inp.form))
        session.flush()
        rows.record_materials(session, case, ld.service, inp.materials, None)
        after = rows.snapshot(case) | _pages(db, session, actor, inp, ld, case)
        audit.record(session, actor, "case_draft_saved", "case", case.id, before, after, at=ld.now)
        session.commit()
        return CaseResult(case.id, None, case.state, None)


def _notice(
    session: Session, actor: Actor, case: Case, ld: rows.Loaded, check: checklist.Check
) -> MissingNotice:
    lines = [ReceivedLine(m.name, _need_text(m)) for m in check.missing] + [
        ReceivedLine(m.name, _need_text(m) + "（可容缺，须签承诺书）") for m in check.deferred
    ]
    return MissingNotice(
        hall_name=ld.hall.name,
        reference=f"暂存-{case.id:06d}",
        applicant_name=ld.applicant.name,
        applicant_id_masked=mask_id(ld.applicant.id_number),
        service_name=ld.service.name,
        department=ld.department.name,
        missing_materials=tuple(lines),
        field_problems=tuple(check.field_errors.values()),
        legal_basis=ld.service.legal_basis or "",
        where=f"{ld.hall.name}综合受理窗口（取号类别 {ld.service.queue_category}）",
        issued_at=local_time(ld.hall, ld.now),
        clerk=actor.full_name or actor.username,
    )


def _need_text(m: checklist.NeededMaterial) -> str:
    copies = f"，{m.copies} 份" if m.copies and m.form != "原件" else ""
    return f"{m.form}{copies}" + (f"；{m.note}" if m.note else "")


def load_draft(db: Database, actor: Actor, case_id: int) -> IntakeInput:
    """A draft as the intake screen reopens it: form as typed, materials as ticked."""
    actor.require(Permission.INTAKE)
    with db.read_only() as session:
        case = session.get(Case, case_id)
        if case is None or case.state != CaseState.DRAFT or case.hall_id != actor.hall_id:
            raise NotFound("该暂存件不存在或已办理。")
        sv = session.get(ServiceVersion, case.service_version_id)
        assert sv is not None
        mats = session.scalars(select(CaseMaterial).where(CaseMaterial.case_id == case.id))
        ticks = tuple(
            MaterialTick(
                m.material_key, m.received, m.original_seen, m.copy_kept, m.copies, False, m.note
            )
            for m in mats
        )
        return IntakeInput(
            service_code=sv.service_type.code,
            applicant_id=case.applicant_id,
            form=dict(case.form_data or {}),
            materials=ticks,
            agent_id=case.agent_id,
            ticket_id=case.ticket_id,
            draft_id=case.id,
            stored_pages=records.page_counts(session, case.id),
        )


route_plan = checklist.route_plan


def service_definition(db: Database, actor: Actor, code: str) -> ServiceDef:
    """The current catalog definition of a service, for the form and checklist."""
    actor.require(Permission.INTAKE)
    with db.read_only() as session:
        st = session.scalar(select(ServiceType).where(ServiceType.code == code))
        if st is None or not st.active:
            raise NotFound(f"事项 {code} 不存在或已停用。")
        sv = session.scalar(
            select(ServiceVersion).where(
                ServiceVersion.service_type_id == st.id,
                ServiceVersion.version == st.current_version,
            )
        )
        assert sv is not None
        return definition_of(sv)
