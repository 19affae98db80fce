"""Daily anchors: every chain's head recorded in the root chain, and a sheet to keep outside.

A chain alone cannot show its tail cut off consistently (the last events deleted and its head
moved back): what is left still verifies. Once a day (:func:`anchor_due`, from the
housekeeping round of any PC, or ``onewindow audit anchor``) each chain's last sequence
number and hash are appended to the ``root`` chain; :mod:`app.audit.verify` then reports a
chain shorter than, or different from, what its latest anchor says. The root chain itself is
checked from outside the database: :func:`anchor_sheet` gives its head (number and hash) to
print or copy onto paper or a USB stick, and :func:`check_root` compares a kept copy with the
database (``onewindow audit verify --root N:HASH``). Whoever rewinds the trail afterwards
must also rewrite every kept sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import documents, numbers
from app.actor import SYSTEM, Actor
from app.audit.chain import ROOT, append
from app.audit.verify import ANCHORED, chain_label
from app.db import clock
from app.db.models import AuditEvent, AuditHead, Hall
from app.db.session import Database
from app.errors import NotFound, ValidationError
from app.roles import Permission


@dataclass(frozen=True)
class ChainEnd:
    """One chain's head as the sheet shows it."""

    label: str  # 大厅 示范区政务服务中心
    chain: str  # hall:1
    seq: int
    hash: str


@dataclass(frozen=True)
class AnchorSheet:
    """What to keep outside the database: the root chain's head, and every chain's head."""

    at: datetime  # server time (naive UTC) the sheet was read
    root_seq: int
    root_hash: str
    chains: tuple[ChainEnd, ...]

    @property
    def root_code(self) -> str:
        """``N:HASH``, as ``onewindow audit verify --root`` takes it."""
        return f"{self.root_seq}:{self.root_hash}"


def _last_anchor_at(session: Session) -> datetime | None:
    return session.scalar(
        select(AuditEvent.at)
        .where(AuditEvent.chain == ROOT)
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )


def _anchored(session: Session, chain: str) -> tuple[int, str] | None:
    """(seq, hash) of ``chain``'s latest anchor in the root chain, if any."""
    after = session.scalar(
        select(AuditEvent.after)
        .where(
            AuditEvent.chain == ROOT,
            AuditEvent.action == ANCHORED,
            AuditEvent.entity_id == chain,
        )
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    if not isinstance(after, dict):
        return None
    return int(after.get("seq", 0)), str(after.get("hash", ""))


def anchor_due(db: Database, force: bool = False) -> int:
    """Anchor in the root chain every chain's head that moved since its latest anchor: once
    per (UTC server) day by itself, and whenever ``force`` (the sheet is printed, or
    ``onewindow audit anchor``), so a printed sheet covers every event up to its printing.

    Returns the anchors written (0: already done today, unless ``force``; a chain whose head
    has not moved is not anchored again). Asked every few minutes by every PC, so whether it
    is due is read first without a lock; several PCs at once: the root head is then locked,
    so the second finds the heads anchored and writes none.
    """
    if not force:
        with db.read_only() as s:
            last = _last_anchor_at(s)
            if last is not None and last.date() == clock.now(s).date():
                return 0
    with db.unit_of_work() as s:
        now = clock.now(s)
        s.scalars(select(AuditHead).where(AuditHead.chain == ROOT).with_for_update()).first()
        last = _last_anchor_at(s)
        if not force and last is not None and last.date() == now.date():
            return 0
        heads = list(
            s.scalars(
                select(AuditHead)
                .where(AuditHead.chain != ROOT, AuditHead.seq > 0)
                .order_by(AuditHead.chain)
            )
        )
        moved = [h for h in heads if _anchored(s, h.chain) != (h.seq, h.hash)]
        conn = s.connection()
        for head in moved:
            after = {"seq": head.seq, "hash": head.hash}
            append(
                conn, SYSTEM, ANCHORED, "audit_chain", head.chain, at=now, after=after, chain=ROOT
            )
        s.commit()
        return len(moved)


def anchor_sheet(db: Database) -> AnchorSheet:
    """The heads of the root chain and of every chain, now."""
    with db.read_only() as s:
        halls = {h.id: h.name for h in s.scalars(select(Hall))}
        heads = list(s.scalars(select(AuditHead).order_by(AuditHead.chain)))
        root = next((h for h in heads if h.chain == ROOT), None)
        ends = tuple(
            ChainEnd(chain_label(h.chain, halls), h.chain, h.seq, h.hash)
            for h in heads
            if h.chain != ROOT
        )
        return AnchorSheet(clock.now(s), root.seq if root else 0, root.hash if root else "", ends)


def parse_root(code: str) -> tuple[int, str]:
    """``N:HASH`` (as the sheet prints it) → (N, hash). ValidationError (field ``root``)."""
    seq, _, digest = "".join(code.split()).partition(":")  # typed in groups: spaces dropped
    digest = digest.lower()
    if (
        not seq.isascii()
        or not seq.isdigit()
        or not numbers.row_id(int(seq))
        or len(digest) != 64
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise ValidationError(
            "锚点格式应为“序号:哈希”，哈希为 64 位十六进制，如锚点单所印。", "root"
        )
    return int(seq), digest


def check_root(db: Database, seq: int, digest: str) -> list[str]:
    """Problems if the root chain no longer holds event ``seq`` with hash ``digest``."""
    with db.read_only() as s:
        found = s.scalar(
            select(AuditEvent.hash).where(AuditEvent.chain == ROOT, AuditEvent.seq == seq)
        )
    if found is None:
        return [f"锚点链：保存在外的锚点第 {seq} 条已不在数据库中（审计记录被截去）"]
    if found != digest:
        return [f"锚点链：第 {seq} 条与保存在外的锚点不符（审计记录被改写）"]
    return []


def print_sheet(db: Database, actor: Actor) -> documents.AnchorSheet:
    """审计锚点单 for the auditor to print: every chain's head anchored as it is now (so the
    sheet covers every event up to its printing), the heads read, and the printing audited
    (``audit_anchor_printed``, with the root code).

    Raises PermissionDenied without ``VIEW_AUDIT``.
    """
    actor.require(Permission.VIEW_AUDIT)
    anchor_due(db, force=True)
    sheet = anchor_sheet(db)
    with db.unit_of_work() as s:
        hall = s.get(Hall, actor.hall_id)
        if hall is None:
            raise NotFound("大厅不存在。")
        local = sheet.at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(hall.timezone))
        append(
            s.connection(),
            actor,
            "audit_anchor_printed",
            "audit_chain",
            ROOT,
            at=clock.now(s),
            after={"root": sheet.root_code},
        )
        s.commit()
        return documents.AnchorSheet(
            hall_name=hall.name,
            printed_at=local.strftime("%Y-%m-%d %H:%M"),
            printed_by=actor.full_name or actor.username,
            root_code=sheet.root_code,
            chains=tuple((e.label, e.seq, e.hash) for e in sheet.chains if e.seq > 0),
        )
