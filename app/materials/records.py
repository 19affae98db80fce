"""Pages written with a case's outcome, the page list its audit event carries, verification.

:func:`add_pages` runs inside the caller's unit of work (``app.cases.intake``): page rows
and database blobs commit with the case or not at all; a file store's files are written
first, so a page row never refers to bytes that are not there. The outcome's audit event
gets :func:`page_list` under ``"pages"``: ``[material key, position, sha256]`` per page of
the case. :func:`verify_pages` compares the stored bytes and the page rows with the latest
such event, so a swapped or edited image is found even by someone who can also rewrite the
page row's hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db.models import AuditEvent, Case, CasePage, IncidentPage
from app.db.session import Database
from app.errors import EnvironmentProblem, NotFound, PermissionDenied
from app.materials.intake import PreparedPage
from app.materials.stores import PageStore, reading_store
from app.roles import Permission

PAGES_KEY = "pages"  # the audit snapshot's key


def stored(session: Session, store: PageStore, page: PreparedPage) -> dict[str, Any]:
    """Put ``page`` and its thumbnail into ``store``; the columns a page row (a case's
    material page, an event's photo) keeps of them: hashes, sizes, pixels, type, store."""
    store.put(session, page.sha256, page.data)
    store.put(session, page.thumb_sha256, page.thumbnail)
    return {
        "sha256": page.sha256,
        "byte_size": len(page.data),
        "thumb_sha256": page.thumb_sha256,
        "thumb_size": len(page.thumbnail),
        "width": page.width,
        "height": page.height,
        "mime": page.mime,
        "storage": store.kind,
    }


def add_pages(
    session: Session,
    store: PageStore,
    actor: Actor,
    case_id: int,
    pages: Mapping[str, Sequence[PreparedPage]],
    at: datetime,
) -> None:
    """Store ``pages`` (material key → pages in order) after the case's existing pages."""
    for material_key, prepared in pages.items():
        last = session.scalar(
            select(func.max(CasePage.position)).where(
                CasePage.case_id == case_id, CasePage.material_key == material_key
            )
        )
        for offset, page in enumerate(prepared, start=1):
            session.add(
                CasePage(
                    case_id=case_id,
                    material_key=material_key,
                    position=(last or 0) + offset,
                    **stored(session, store, page),
                    rotation=0,
                    created_at=at,
                    created_by_id=actor.user_id,
                    unreadable=False,
                    unreadable_note="",
                )
            )
    session.flush()


def clear_replaced_marks(
    session: Session, case_id: int, material_keys: Sequence[str], at: datetime
) -> list[list[object]]:
    """Pages brought again for these materials (补正): their earlier pages marked unreadable
    are unmarked and recorded as replaced (``replaced_note``: the reason they were
    unreadable and the new pages' positions) — they stay in the case as received.

    Call after the new pages were added. Returns ``[material key, position, the mark's
    note]`` of each page unmarked (for the audit event of the outcome).
    """
    marked = session.scalars(
        select(CasePage)
        .where(
            CasePage.case_id == case_id,
            CasePage.material_key.in_(list(material_keys)),
            CasePage.unreadable.is_(True),
        )
        .order_by(CasePage.material_key, CasePage.position)
    ).all()
    cleared: list[list[object]] = []
    for page in marked:
        cleared.append([page.material_key, page.position, page.unreadable_note])
        newer = session.scalars(
            select(CasePage.position)
            .where(
                CasePage.case_id == case_id,
                CasePage.material_key == page.material_key,
                CasePage.replaced_at.is_(None),
                CasePage.unreadable.is_(False),
                CasePage.position > page.position,
                CasePage.created_at >= at,
            )
            .order_by(CasePage.position)
        ).all()
        where = "、".join(f"第 {n} 页" for n in newer) or "补交的页"
        page.replaced_note = f"原无法辨认（{page.unreadable_note}），已由补正时补交的{where}替换"
        page.replaced_at = at
        page.unreadable, page.unreadable_note = False, ""
    return cleared


def page_counts(session: Session, case_id: int) -> dict[str, int]:
    """How many pages the case keeps per material key (no bytes read)."""
    rows = session.execute(
        select(CasePage.material_key, func.count())
        .where(CasePage.case_id == case_id)
        .group_by(CasePage.material_key)
    )
    return {key: int(n) for key, n in rows}


def page_list(session: Session, case_id: int) -> list[list[object]]:
    """``[material key, position, sha256]`` of every page of the case, in order."""
    rows = session.execute(
        select(CasePage.material_key, CasePage.position, CasePage.sha256)
        .where(CasePage.case_id == case_id)
        .order_by(CasePage.material_key, CasePage.position)
    )
    return [[key, position, sha] for key, position, sha in rows]


def referenced_keys(session: Session) -> set[str]:
    """Every blob key a page row refers to (what a file store's sweep keeps): a case's
    material pages and an event's photos."""
    rows = session.execute(select(CasePage.sha256, CasePage.thumb_sha256))
    photos = session.execute(select(IncidentPage.sha256, IncidentPage.thumb_sha256))
    return {key for pair in (*rows, *photos) for key in pair}


@dataclass
class PageCheck:
    """Outcome of :func:`verify_pages`: pages checked and what does not match."""

    pages: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every page matches the audit trail."""
        return not self.problems


def verify_pages(db: Database, actor: Actor, case_id: int) -> PageCheck:
    """Recompute each page's SHA-256 and compare with the case's latest page list.

    For the supervisor and the auditor (and the back office), in the actor's hall.
    Reports: a page whose bytes changed, a page row whose hash differs from the audit
    trail's, pages the trail lists but the case lacks and the other way round, bytes gone.
    """
    verifiers = (Permission.SUPERVISE, Permission.VIEW_AUDIT, Permission.APPROVE)
    if not any(actor.can(p) for p in verifiers):
        raise PermissionDenied("您没有核验办件材料的权限。")
    check = PageCheck()
    with db.read_only() as session:
        case = session.get(Case, case_id)
        if case is None or case.hall_id != actor.hall_id:
            raise NotFound("办件不存在。")
        listed = {(k, p): sha for k, p, sha in _audited(session, case_id)}
        rows = session.scalars(
            select(CasePage)
            .where(CasePage.case_id == case_id)
            .order_by(CasePage.material_key, CasePage.position)
        ).all()
        for page in rows:
            check.pages += 1
            where = f"材料 {page.material_key} 第 {page.position} 页"
            expected = listed.pop((page.material_key, page.position), None)
            if expected is None:
                check.problems.append(f"{where}不在审计记录中")
            elif expected != page.sha256:
                check.problems.append(f"{where}的校验值与审计记录不符（页面被替换）")
            try:
                data = reading_store(db, page.storage).get(session, page.sha256)
            except EnvironmentProblem:
                check.problems.append(f"{where}的图像缺失")
                continue
            if hashlib.sha256(data).hexdigest() != (expected or page.sha256):
                check.problems.append(f"{where}的图像内容被修改")
        for key, position in sorted(listed):
            check.problems.append(f"审计记录中的材料 {key} 第 {position} 页已不存在")
    return check


def _audited(session: Session, case_id: int) -> list[tuple[str, int, str]]:
    """The page list of the case's latest audit event that carries one."""
    events = session.scalars(
        select(AuditEvent.after)
        .where(AuditEvent.entity == "case", AuditEvent.entity_id == str(case_id))
        .order_by(AuditEvent.id.desc())
    )
    for after in events:
        if isinstance(after, Mapping) and PAGES_KEY in after:
            return [(str(k), int(p), str(s)) for k, p, s in after[PAGES_KEY]]
    return []
