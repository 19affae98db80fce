"""受理登记: a dispute registered at one of the three levels with its parties (at least
two, ID numbers checked and distinct), numbered ``DEMO-TJ20261029-0001`` (the hall's case
counter, prefix ``<hall>-TJ``), flagged as a repeat when the same parties already had a dispute in
the hall (two or more of this one's ID numbers were parties of one earlier dispute)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app import text as free_text
from app.actor import Actor
from app.cases.intake_rows import case_no
from app.db import clock
from app.db.models import Dispute, DisputeParty, LevelStep
from app.db.session import Database
from app.errors import ValidationError
from app.ids import normalize_phone, parse_resident_id
from app.mediation import reading
from app.mediation import rules as mrules
from app.mediation.views import DisputeInput, DisputeView, PartyInput
from app.people.residents import clean_name
from app.roles import Permission
from app.states import MEDIATION_LEVEL_FLOW, MediationLevel, MediationState

NUMBER_PART = "TJ"  # 调解: the case counter's part for disputes
PARTIES_MAX = 10
FACTS_MIN = 10


def clean_party(p: PartyInput, today: date | None = None) -> PartyInput:
    """A party checked and normalised (no database): name, ID number (GB 11643), phone
    (optional), address, 诉求 (at least 2 characters). Raises ValidationError naming the
    field ("name", "id_number", "phone", "address", "claim")."""
    name = clean_name(p.name, "name")
    number = parse_resident_id(p.id_number, today, "id_number").number
    phone = normalize_phone(p.phone, "phone") if p.phone.strip() else ""
    address = free_text.clean_line(p.address, "address", "住址", 200)
    claim = free_text.clean_long(p.claim, "claim", "诉求", 1000, 2)
    return PartyInput(name, number, phone, address, claim)


def _check(inp: DisputeInput, today: date) -> tuple[MediationLevel, str, str, list[PartyInput]]:
    if inp.kind not in mrules.rules().kinds:
        raise ValidationError("请选择纠纷类型。", "kind")
    try:
        level = MediationLevel(inp.level)
    except ValueError:
        raise ValidationError("请选择调解层级。", "level") from None
    facts = free_text.clean_long(inp.facts, "facts", "纠纷事实", 4000)
    if len(facts) < FACTS_MIN:
        raise ValidationError(f"请写明纠纷事实（至少 {FACTS_MIN} 个字）。", "facts")
    grid = free_text.clean_line(inp.grid, "grid", "网格", 40)
    if len(inp.parties) < 2:
        raise ValidationError("纠纷至少有两方当事人。", "parties")
    if len(inp.parties) > PARTIES_MAX:
        raise ValidationError(f"当事人最多 {PARTIES_MAX} 方。", "parties")
    parties = []
    for n, p in enumerate(inp.parties, start=1):
        try:
            parties.append(clean_party(p, today))
        except ValidationError as exc:
            raise ValidationError(f"{reading.party_label(n)}：{exc.message}", "parties") from exc
    numbers = [p.id_number for p in parties]
    if len(set(numbers)) != len(numbers):
        raise ValidationError("两方当事人的身份证号码相同，请核对。", "parties")
    return level, facts, grid, parties


def _earlier(session: Session, hall_id: int, numbers: set[str]) -> int | None:
    """The latest earlier dispute of the hall between the same parties (see the module)."""
    rows = session.execute(
        select(DisputeParty.dispute_id, DisputeParty.id_number)
        .join(Dispute, Dispute.id == DisputeParty.dispute_id)
        .where(
            Dispute.hall_id == hall_id,
            DisputeParty.dispute_id.in_(
                select(DisputeParty.dispute_id).where(DisputeParty.id_number.in_(numbers))
            ),
        )
    )
    by_dispute: dict[int, set[str]] = {}
    for dispute_id, number in rows:
        by_dispute.setdefault(dispute_id, set()).add(number)
    same = [d for d, theirs in by_dispute.items() if len(theirs & numbers) >= 2]
    return max(same) if same else None


def register(db: Database, actor: Actor, inp: DisputeInput) -> DisputeView:
    """受理登记. Returns the dispute as registered (``repeat_of`` set for a repeat).
    Raises ValidationError naming the field ("kind", "level", "facts", "grid", "parties"),
    PermissionDenied."""
    actor.require(Permission.MEDIATE)
    with db.unit_of_work() as session:
        hall = reading.hall_of(session, actor)
        now = clock.now(session)
        today = clock.local_day(now, hall.timezone)
        level, facts, grid, parties = _check(inp, today)
        repeat_of = _earlier(session, hall.id, {p.id_number for p in parties})
        due = mrules.rules().due_on(level, today)
        dispute = Dispute(
            hall_id=hall.id,
            number="",
            kind=inp.kind,
            facts=facts,
            grid=grid,
            level=level,
            level_started_on=today,
            level_due_on=due,
            state=MediationState.REGISTERED,
            registered_at=now,
            registered_on=today,
            registered_by_id=actor.user_id,
            mediator_id=actor.user_id,
            repeat_of_id=repeat_of,
            outcome_note="",
        )
        session.add(dispute)
        session.flush()
        for n, p in enumerate(parties, start=1):
            session.add(
                DisputeParty(
                    dispute_id=dispute.id,
                    position=n,
                    name=p.name,
                    id_number=p.id_number,
                    phone=p.phone,
                    address=p.address,
                    claim=p.claim,
                )
            )
        session.add(
            LevelStep(
                dispute_id=dispute.id,
                at=now,
                from_level=None,
                to_level=level,
                due_on=due,
                reason="受理登记",
                by_system=False,
                actor_id=actor.user_id,
            )
        )
        dispute.number = case_no(session.connection(), hall, NUMBER_PART, today)
        after = {
            "number": dispute.number,
            "level": MEDIATION_LEVEL_FLOW.label(level),
            "due": due.isoformat(),
            "parties": len(parties),
        }
        if repeat_of is not None:
            after["repeat_of"] = repeat_of
        audit.record(session, actor, "dispute_registered", "dispute", dispute.id, after=after)
        session.commit()
        return reading.dispute_view(session, hall, dispute, today)
