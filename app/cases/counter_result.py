"""What 受理 adds at the counter: a 即办件 finished and handed over at once; the 容缺承诺书.

A 即办件 (catalog kind ``instant``) has no back office. Accepted, its result is made and
handed to the person standing at the counter — the applicant, or the agent when one is
registered — inside the acceptance's own transaction (:func:`app.cases.intake.accept`):
the case moves 受理 → 已办结 → 已出件 through the declared table, with the handover
recorded on the case (who handed it over, when, to whom), so it never waits in 出件. The
paper is the certificate the catalog declares for the service (``result``: title and text
with the form's values filled in), or a plain 办结通知书 when it declares none.

A case accepted with promised materials (容缺受理) gets the 容缺受理承诺书 the applicant
signs: which materials, in what form, and the date they are due.

Both are plain snapshots (:mod:`app.documents`) built inside the transaction; the caller
renders and keeps them after the commit (:mod:`app.cases.issued`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.actor import Actor
from app.cases import intake_rows as rows
from app.cases.casefile import shown_value
from app.cases.cases import local_time
from app.checklist import NeededMaterial
from app.db.models import Case
from app.documents import CounterResult, DeferralPromise, ReceivedLine
from app.ids import mask_id
from app.states import CaseState
from forms import result_text

# The collector column holds 80 characters; the masked ID and the role take 24 of them.
NAME_ROOM = 50


def collector(ld: rows.Loaded) -> str:
    """Who takes the result at the counter: the registered agent if any, else the applicant.

    Spelt as the pickup window records a handover: ``张三（本人，110105********002X）``.
    """
    if ld.agent is not None:
        return f"{ld.agent.name[:NAME_ROOM]}（代办人，{mask_id(ld.agent.id_number)}）"
    return f"{ld.applicant.name[:NAME_ROOM]}（本人，{mask_id(ld.applicant.id_number)}）"


def finish_here(case: Case, actor: Actor, ld: rows.Loaded) -> str:
    """Complete an accepted 即办件 and record its handover now; returns the collector.

    The case must be 受理 (raises Conflict otherwise, from the case flow's guard).
    """
    who = collector(ld)
    rows.move(case, CaseState.COMPLETED)
    rows.move(case, CaseState.DELIVERED)
    case.decided_at = case.delivered_at = ld.now
    case.delivered_by_id, case.collector = actor.user_id, who
    return who


def chinese_date(day: date) -> str:
    """``2026年11月30日``, as a certificate writes its date."""
    return f"{day.year}年{day.month}月{day.day}日"


def _to_bring(m: NeededMaterial) -> str:
    copies = f"，{m.copies} 份" if m.copies and m.form != "原件" else ""
    return f"{m.form}{copies}" + (f"；{m.note}" if m.note else "")


def result_of(
    case: Case, actor: Actor, ld: rows.Loaded, deferred: Sequence[NeededMaterial], who: str
) -> CounterResult:
    """The result handed over for a 即办件 just finished (:func:`finish_here`)."""
    service = ld.service
    assert case.case_no is not None
    id_masked = mask_id(ld.applicant.id_number)
    declared = service.result
    if declared is not None:
        values = {f.key: shown_value(f, case.form_data.get(f.key)) for f in service.fields}
        values |= {
            "applicant": ld.applicant.name,
            "applicant_id": id_masked,
            "agent": ld.agent.name if ld.agent else "",
            "service": service.name,
            "department": ld.department.name,
            "case_no": case.case_no,
            "date": chinese_date(ld.today),
        }
        title, salutation, body = declared.title, "", result_text.fill(declared.text, values)
    else:
        title = "办结通知书"
        salutation = f"{ld.applicant.name}（身份证号 {id_masked}）："
        body = (
            f"您于 {chinese_date(ld.today)} 申请办理的“{service.name}”（{ld.department.name}），"
            "经审查，符合规定，已当场办结。"
        )
    due = case.deferred_until.isoformat() if case.deferred_until else ""
    return CounterResult(
        hall_name=ld.hall.name,
        case_no=case.case_no,
        title=title,
        salutation=salutation,
        text=body,
        service_name=service.name,
        department=ld.department.name,
        accepted_at=local_time(ld.hall, ld.now),
        deferred=tuple(ReceivedLine(m.name, f"{_to_bring(m)}，{due} 前补交") for m in deferred),
        legal_basis=service.legal_basis,
        collector=who,
        issuer=actor.full_name or actor.username,
    )


def promise_of(
    case: Case, actor: Actor, ld: rows.Loaded, deferred: Sequence[NeededMaterial]
) -> DeferralPromise:
    """The 容缺受理承诺书 of a case accepted with ``deferred`` materials still to come."""
    assert case.case_no is not None and case.deferred_until is not None
    agent = ld.agent
    return DeferralPromise(
        hall_name=ld.hall.name,
        case_no=case.case_no,
        applicant_name=ld.applicant.name,
        applicant_id_masked=mask_id(ld.applicant.id_number),
        agent=f"{agent.name}（{mask_id(agent.id_number)}）" if agent else "",
        service_name=ld.service.name,
        department=ld.department.name,
        materials=tuple(ReceivedLine(m.name, _to_bring(m)) for m in deferred),
        promised_date=case.deferred_until.isoformat(),
        finished_here=case.state == CaseState.DELIVERED,
        where=f"{ld.hall.name}综合受理窗口",
        accepted_at=local_time(ld.hall, ld.now),
        clerk=actor.full_name or actor.username,
    )
