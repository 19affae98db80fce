"""Pages as the case view shows them: metadata first, bytes only when a page is shown.

Who may see a case's pages (ID cards are personal information): the hall's counter clerks
(综合窗口 took them in), its supervisors, and approvers of a department that has a task on
the case. Nobody else — not the auditor, not the administrators. A full page shown is an
audited action (``page_viewed``); thumbnails are not (a case view shows them all).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.db.models import Case, CaseMaterial, CasePage, Task, UserDepartment
from app.db.session import Database
from app.errors import EnvironmentProblem, NotFound, PermissionDenied
from app.materials.stores import reading_store
from app.roles import Permission


@dataclass(frozen=True)
class PageInfo:
    """One page as listed (no bytes): sizes in pixels and bytes, rotation in degrees."""

    id: int
    material_key: str
    position: int
    width: int
    height: int
    byte_size: int
    rotation: int
    unreadable: bool
    unreadable_note: str
    material_name: str = ""  # the checklist's name (收入证明); the key when it has none
    replaced_note: str = ""  # 补正 replaced this unreadable page: why, and by which pages


def _require_handler(session: Session, actor: Actor, case_id: int) -> Case:
    """The case, if ``actor`` handles it (module docstring); NotFound / PermissionDenied."""
    case = session.get(Case, case_id)
    if case is None or case.hall_id != actor.hall_id:
        raise NotFound("办件不存在。")
    if actor.can(Permission.INTAKE) or actor.can(Permission.SUPERVISE):
        return case
    if actor.can(Permission.APPROVE):
        mine = select(UserDepartment.department_id).where(UserDepartment.user_id == actor.user_id)
        task = select(Task.id).where(Task.case_id == case_id, Task.department_id.in_(mine))
        if session.scalar(task.limit(1)) is not None:
            return case
    raise PermissionDenied("您没有查看该办件材料的权限。")


def handles(session: Session, actor: Actor, case_id: int) -> bool:
    """Whether ``actor`` may see the case's pages (what screens offer; services check)."""
    try:
        _require_handler(session, actor, case_id)
    except (NotFound, PermissionDenied):
        return False
    return True


def case_pages(db: Database, actor: Actor, case_id: int) -> tuple[PageInfo, ...]:
    """The case's pages by material key, then position (no image bytes are read)."""
    with db.read_only() as session:
        _require_handler(session, actor, case_id)
        rows = session.execute(
            select(
                CasePage.id,
                CasePage.material_key,
                CasePage.position,
                CasePage.width,
                CasePage.height,
                CasePage.byte_size,
                CasePage.rotation,
                CasePage.unreadable,
                CasePage.unreadable_note,
                CaseMaterial.name,
                CasePage.replaced_note,
            )
            .outerjoin(
                CaseMaterial,
                (CaseMaterial.case_id == CasePage.case_id)
                & (CaseMaterial.material_key == CasePage.material_key),
            )
            .where(CasePage.case_id == case_id)
            .order_by(CasePage.material_key, CasePage.position)
        )
        return tuple(
            PageInfo(i, key, pos, w, h, size, rot, bad, note, name or key, replaced or "")
            for i, key, pos, w, h, size, rot, bad, note, name, replaced in rows
        )


def handled_page(session: Session, actor: Actor, page_id: int) -> CasePage:
    """The page, if ``actor`` handles its case (module docstring); NotFound / PermissionDenied."""
    page = session.get(CasePage, page_id)
    if page is None:
        raise NotFound("材料页不存在。")
    _require_handler(session, actor, page.case_id)
    return page


def page_thumbnail(db: Database, actor: Actor, page_id: int) -> bytes:
    """The page's thumbnail (WebP, 240 px wide); not audited."""
    with db.read_only() as session:
        page = handled_page(session, actor, page_id)
        return reading_store(db, page.storage).get(session, page.thumb_sha256)


def material_thumbnails(
    db: Database, actor: Actor, case_id: int, material_key: str
) -> tuple[tuple[PageInfo, bytes, str], ...]:
    """One material's stored pages with their thumbnails and the page's SHA-256, in order
    (not audited: thumbnails).

    For the counter: a resumed draft's pages, or the pages 补正 asks again for, shown beside
    the pages being captured. Same permission as :func:`case_pages`.
    """
    pages = [p for p in case_pages(db, actor, case_id) if p.material_key == material_key]
    with db.read_only() as session:
        out = []
        for info in pages:
            page = session.get(CasePage, info.id)
            assert page is not None
            thumb = reading_store(db, page.storage).get(session, page.thumb_sha256)
            out.append((info, thumb, page.sha256))
        return tuple(out)


def page_image(db: Database, actor: Actor, page_id: int) -> bytes:
    """The full page (WebP, ≤ 1654 × 2339 px); the viewing is recorded in the audit trail.

    EnvironmentProblem if the bytes are gone or no longer match the page's SHA-256.
    """
    with db.unit_of_work() as session:
        page = handled_page(session, actor, page_id)
        data = reading_store(db, page.storage).get(session, page.sha256)
        if hashlib.sha256(data).hexdigest() != page.sha256:
            raise EnvironmentProblem(
                "材料页图像与登记的校验值不符（可能被替换），请联系系统管理员。",
                f"page {page.id} hash mismatch",
            )
        after = {"page": page.id, "material": page.material_key, "position": page.position}
        audit.record(session, actor, "page_viewed", "case", page.case_id, after=after)
        session.commit()
    return data
