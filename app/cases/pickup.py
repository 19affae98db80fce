"""统一窗口出件: results (办结 or 不予批准) handed out at one window, and the ready messages.

A decided case is ready for pickup. At the counter the clerk finds it by scanning the
receipt or typing the applicant's ID number, checks the collector's ID (the applicant, the
registered agent, or someone with a written authorisation), and records the handover.
Messages prepared when a case became ready (:class:`app.db.models.Notification`) are
delivered by a pluggable :class:`Sender`; the default writes them to a log file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import select

from app import audit
from app import text as free_text
from app.actor import Actor
from app.cases import outcomes
from app.cases.cases import local_time
from app.cases.issued import render_and_keep
from app.cases.workflow import READY_STATES
from app.db import clock
from app.db.models import Case, Hall, Notification, Resident, ServiceVersion
from app.db.session import Database
from app.documents import DecisionNotice
from app.errors import Conflict, NotFound, ValidationError
from app.ids import mask_id, mask_phone, parse_resident_id
from app.people.residents import clean_name
from app.roles import Permission
from app.states import CASE_FLOW, CaseState


@dataclass(frozen=True)
class ReadyCase:
    """A decided case waiting at the pickup window."""

    case_id: int
    case_no: str
    service_name: str
    applicant_name: str
    applicant_id_masked: str
    agent: str
    state: CaseState
    state_label: str
    decided_at: str  # local time, "" if not recorded
    decision_reason: str


def ready(db: Database, actor: Actor, query: str) -> list[ReadyCase]:
    """Ready cases by a case number (as scanned) or the applicant's ID number."""
    actor.require(Permission.INTAKE)
    text = free_text.clean_query(query, "query").upper()
    if not text:
        raise ValidationError("请扫描受理回执或输入身份证号。", "query")
    with db.read_only() as s:
        hall = s.get(Hall, actor.hall_id)
        assert hall is not None
        q = (
            select(Case, Resident, ServiceVersion.definition)
            .join(Resident, Resident.id == Case.applicant_id)
            .join(ServiceVersion, ServiceVersion.id == Case.service_version_id)
            .where(Case.state.in_(READY_STATES), Case.hall_id == actor.hall_id)
        )
        if re.fullmatch("[0-9]{17}[0-9X]", text):
            q = q.where(Resident.id_number == text)
        else:
            q = q.where(Case.case_no == text)
        out = []
        for case, person, definition in s.execute(q.order_by(Case.id)).all():
            agent = s.get(Resident, case.agent_id) if case.agent_id else None
            out.append(
                ReadyCase(
                    case.id,
                    case.case_no or "",
                    definition.get("name", ""),
                    person.name,
                    mask_id(person.id_number),
                    f"{agent.name}（{mask_id(agent.id_number)}）" if agent else "",
                    case.state,
                    CASE_FLOW.label(case.state),
                    local_time(hall, case.decided_at) if case.decided_at else "",
                    case.decision_reason or "",
                )
            )
        return out


@dataclass(frozen=True)
class Handover:
    """A recorded handover: the collector as recorded (masked) and the 出件回执 printed."""

    collector: str
    pdf: bytes | None
    warning: str = ""  # the 出件回执 printed but its archive copy not stored


def hand_over(
    db: Database,
    actor: Actor,
    case_id: int,
    collector_id_number: str,
    collector_name: str = "",
    authorised: bool = False,
    render: Callable[[DecisionNotice], bytes] | None = None,
) -> Handover:
    """Record that the result was collected, with its 出件回执 (saved with the case).

    The collector is the applicant, the case's agent, or — with ``authorised`` (a signed
    authorisation seen by the clerk) — another person named in full. The receipt is the
    办结通知书 or 不予批准决定书 with the collector and time filled in.
    """
    actor.require(Permission.INTAKE)
    number = parse_resident_id(collector_id_number, field="collector_id").number
    with db.unit_of_work() as s:
        case = s.scalar(select(Case).where(Case.id == case_id).with_for_update())
        if case is None or case.hall_id != actor.hall_id:
            raise NotFound("办件不存在。")
        if case.state not in READY_STATES:
            raise Conflict(f"办件{CASE_FLOW.label(case.state)}，不能出件。")
        applicant = s.get(Resident, case.applicant_id)
        agent = s.get(Resident, case.agent_id) if case.agent_id else None
        assert applicant is not None
        if number == applicant.id_number:
            who = f"{applicant.name}（本人，{mask_id(number)}）"
        elif agent is not None and number == agent.id_number:
            who = f"{agent.name}（代办人，{mask_id(number)}）"
        elif authorised:
            name = clean_name(collector_name, "collector_name") if collector_name.strip() else ""
            if not name:
                raise ValidationError("代领人须登记姓名。", "collector_name")
            who = f"{name[:20]}（委托代领，{mask_id(number)}）"
        else:
            raise ValidationError(
                "领取人不是申请人或登记的代办人：请核验委托书后勾选“委托代领”。", "collector_id"
            )
        now = clock.now(s)
        before = {"state": case.state.value}
        CASE_FLOW.check(case.state, CaseState.DELIVERED)
        case.state = CaseState.DELIVERED
        case.delivered_at, case.delivered_by_id, case.collector = now, actor.user_id, who
        s.flush()
        audit.record(
            s, actor, "case_delivered", "case", case.id, before, {"state": "delivered"}, who, now
        )
        doc = None
        if render is not None:
            hall = s.get(Hall, case.hall_id)
            assert hall is not None
            doc = outcomes.decision_of(s, actor, case, who, local_time(hall, now))
        s.commit()
    # Rendered after the commit, then kept with the case (app.cases.issued).
    pdf, kept = render_and_keep(db, actor, case.id, "delivery", render, doc, now)
    return Handover(who, pdf, kept)


class Sender(Protocol):
    """Delivers a text message (an SMS gateway, a WeChat template message …)."""

    def send(self, phone: str, text: str) -> None:
        """Deliver or raise; a raised error is recorded and retried later."""


class FileSender:
    """The default sender: appends each message to a log file for the hall to forward."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, phone: str, text: str) -> None:
        """Append one line: time, masked phone, text."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(f"{datetime.now():%Y-%m-%d %H:%M:%S}\t{mask_phone(phone)}\t{text}\n")


def send_pending(
    db: Database, sender: Sender, hall_id: int | None = None, limit: int = 100
) -> tuple[int, int]:
    """Deliver prepared messages not sent yet (of one hall, if given); returns (sent, failed).

    Each message is locked while it is sent and marked in the same transaction, so PCs
    doing this at the same moment never send one message twice (PostgreSQL: a message
    another PC is sending is skipped; SQLite: writers take turns).
    """
    q = select(Notification.id).where(Notification.sent_at.is_(None))
    if hall_id is not None:
        q = q.join(Case, Case.id == Notification.case_id).where(Case.hall_id == hall_id)
    with db.read_only() as s:
        pending = list(s.scalars(q.order_by(Notification.id).limit(limit)))
    sent = failed = 0
    for note_id in pending:
        with db.unit_of_work() as s:
            row = s.scalar(
                select(Notification)
                .where(Notification.id == note_id, Notification.sent_at.is_(None))
                .with_for_update(skip_locked=True)
            )
            if row is None:
                continue  # sent meanwhile, or being sent by another PC
            try:
                sender.send(row.phone, row.text)
            except Exception as exc:  # any gateway failure is recorded and retried later
                row.error, failed = f"{type(exc).__name__}: {exc}"[:200], failed + 1
            else:
                row.sent_at, row.error, sent = clock.now(s), "", sent + 1
            s.commit()
    return sent, failed


__all__ = ["FileSender", "Handover", "ReadyCase", "Sender", "hand_over", "ready", "send_pending"]
