"""Checking the audit trail: every chain recomputed, heads, the upgrade's joint, anchors.

:func:`verify_chain` walks each chain (``main``, ``city``, ``root`` and one per hall) in
sequence order and recomputes every hash; it reports an event edited, removed or reordered,
a head row missing, rewound or altered, a hall whose records exist while its chain is empty
(its trail wiped as a whole), a chain continued at the upgrade to revision 0013 whose start
no longer matches the end of ``main``, and a chain whose tail was cut off after the daily
anchor recorded it (:mod:`app.audit.anchors`). Problems are sentences in Chinese, each
naming its chain ("大厅 示范区政务服务中心：第 12 条审计记录内容被修改").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.chain import (
    CITY,
    GENESIS,
    HASHED,
    HEAD_MISSING,
    HEAD_REWOUND,
    MAIN,
    ROOT,
    TRAIL_WIPED,
    audited_data,
    chain_of,
    digest,
    hall_of,
)
from app.db.models import AuditEvent, AuditHead, Hall
from app.db.session import Database

ANCHORED = "audit_anchored"  # the root chain's event recording one chain's head


@dataclass
class ChainReport:
    """Outcome of :func:`verify_chain`: events read, chains walked, problems found."""

    events: int = 0
    chains: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no event was edited, removed or reordered."""
        return not self.problems


def chain_label(chain: str, halls: dict[int, str]) -> str:
    """How a chain is named to people: 大厅 <name>, 全市, 锚点链, 升级前的审计链."""
    hall_id = hall_of(chain)
    if hall_id is not None:
        return f"大厅 {halls.get(hall_id, hall_id)}"
    return {MAIN: "升级前的审计链", CITY: "全市（无大厅）审计链", ROOT: "锚点链"}.get(chain, chain)


def _order(chain: str) -> tuple[int, str]:
    return ({MAIN: 0, CITY: 1, ROOT: 3}.get(chain, 2), chain)


def verify_chain(db: Database) -> ChainReport:
    """Recompute every chain; see the module docstring for what is reported."""
    report = ChainReport()
    with db.unit_of_work() as session:
        heads = {h.chain: h for h in session.scalars(select(AuditHead))}
        names = set(heads) | set(session.scalars(select(AuditEvent.chain).distinct()))
        halls = {h.id: h.name for h in session.scalars(select(Hall))}
        ends: dict[str, tuple[int, str]] = {}
        anchors: dict[str, tuple[int, str]] = {}
        for chain in sorted(names, key=_order):
            head = heads.get(chain)
            label = chain_label(chain, halls)
            found = _walk(session, chain, head.genesis if head else GENESIS, anchors)
            report.chains += 1
            report.events += found[0]
            ends[chain] = (found[1], found[2])
            problems = found[3] + _head_problems(head, found[1], found[2])
            report.problems += [f"{label}：{p}" for p in problems]
        main_end = ends.get(MAIN, (0, GENESIS))[1]
        for chain, head in sorted(heads.items()):
            if chain != MAIN and head.genesis not in (GENESIS, main_end):
                report.problems.append(
                    f"{chain_label(chain, halls)}：起点与升级前审计链的末尾不符"
                    "（升级前的审计记录被改动或截去）"
                )
        report.problems += _wiped(session, halls, heads, ends)
        report.problems += _anchor_problems(session, halls, ends, anchors)
    return report


def _walk(
    session: Session, chain: str, genesis: str, anchors: dict[str, tuple[int, str]]
) -> tuple[int, int, str, list[str]]:
    """Walk ``chain``: (events, last seq, last hash, problems). Root anchors are collected."""
    problems: list[str] = []
    prev, expected, count = genesis, 1, 0
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.chain == chain)
        .order_by(AuditEvent.seq)
        .execution_options(yield_per=2000)
    )
    for event in session.scalars(stmt):
        count += 1
        if event.seq != expected:
            problems.append(f"第 {expected}–{event.seq - 1} 条审计记录缺失（被删除）")
        if event.prev_hash != prev:
            problems.append(f"第 {event.seq} 条审计记录与前一条不衔接")
        content = {name: getattr(event, name) for name in HASHED}
        if digest(event.prev_hash, content) != event.hash:
            problems.append(f"第 {event.seq} 条审计记录内容被修改")
        if chain == ROOT and event.action == ANCHORED and isinstance(event.after, dict):
            anchors[event.entity_id] = (int(event.after["seq"]), str(event.after["hash"]))
        prev, expected = event.hash, event.seq + 1
    return count, expected - 1, prev, problems


def _head_problems(head: AuditHead | None, last: int, last_hash: str) -> list[str]:
    """What is wrong with the chain's head row, given the last event found."""
    if head is None:
        return [f"{HEAD_MISSING}，此后的操作都无法记录"] if last else []
    if head.seq > last:
        return [f"审计链末尾缺失：应有 {head.seq} 条，实际最后一条为 {last}"]
    if head.seq < last:
        return [f"{HEAD_REWOUND}：链头指向第 {head.seq} 条，实际最后一条为第 {last} 条"]
    if head.hash != last_hash:
        return [f"审计链的链头与第 {last} 条审计记录不符（链头被修改）"]
    return []


def _wiped(
    session: Session,
    halls: dict[int, str],
    heads: dict[str, AuditHead],
    ends: dict[str, tuple[int, str]],
) -> list[str]:
    """Halls with records whose chain begins afresh and is empty: their trail was wiped."""
    found = []
    for hall_id, name in sorted(halls.items()):
        chain = chain_of(hall_id)
        head = heads.get(chain)
        fresh = head is None or head.genesis == GENESIS
        if fresh and ends.get(chain, (0, ""))[0] == 0 and session.scalar(audited_data(hall_id)):
            found.append(f"大厅 {name}：{TRAIL_WIPED}")
    if not found and not any(n for n, _h in ends.values()) and session.scalar(audited_data(None)):
        found.append(TRAIL_WIPED)
    return found


def _anchor_problems(
    session: Session,
    halls: dict[int, str],
    ends: dict[str, tuple[int, str]],
    anchors: dict[str, tuple[int, str]],
) -> list[str]:
    """Each chain's latest anchor must still be in the chain, with the same hash."""
    found = []
    for chain, (seq, anchored) in sorted(anchors.items()):
        label = chain_label(chain, halls)
        last = ends.get(chain, (0, ""))[0]
        if last < seq:
            found.append(f"{label}：锚点记录此链已有 {seq} 条，现在只到第 {last} 条（末尾被截去）")
            continue
        now = session.scalar(
            select(AuditEvent.hash).where(AuditEvent.chain == chain, AuditEvent.seq == seq)
        )
        if now != anchored:
            found.append(f"{label}：第 {seq} 条审计记录与锚点不符（此后的记录被改写）")
    return found
