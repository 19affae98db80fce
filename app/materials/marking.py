"""What the back office does to a page: mark it unreadable (补正), clear that, rotate it.

Who may: whoever may see the case's pages (:mod:`app.materials.viewing`). Each call is one
transaction with one audit event on the case (``page_marked_unreadable``,
``page_unreadable_cleared``, ``page_rotated``), so the case's history says who found a
page unreadable and why. A page marked unreadable becomes a 补正 item
(:func:`unreadable_items`, text by :func:`item_text`): the approver's 退回补正 carries it
(``app.cases.workflow.decide`` adds any the approver did not list) and the 补正通知书
names it by material and page.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, text
from app.actor import Actor
from app.db import clock
from app.db.models import Case, CaseMaterial, CasePage
from app.db.session import Database
from app.errors import Conflict, ValidationError
from app.materials.viewing import PageInfo, handled_page
from app.states import CaseState

NOTE_MAX = 100  # characters: the note is printed inside a 补正 item line
NOTE_MIN = 2
# A finished case's pages are its record: marks no longer change what is asked for.
MARKABLE = frozenset(
    {
        CaseState.ACCEPTED,
        CaseState.IN_REVIEW,
        CaseState.AWAITING_SUPPLEMENT,
        CaseState.PUBLICIZING,
    }
)


def item_text(material_name: str, position: int, note: str) -> str:
    """The 补正 item for an unreadable page: ``收入证明 第 2 页 无法辨认：字迹模糊，请重新提供``."""
    reason = f"：{note}" if note else ""
    return f"{material_name} 第 {position} 页 无法辨认{reason}，请重新提供"


def item_prefix(material_name: str, position: int) -> str:
    """How an item about this page begins (an edited item still names the page so)."""
    return f"{material_name} 第 {position} 页"


def _info(session: Session, page: CasePage) -> PageInfo:
    name = session.scalar(
        select(CaseMaterial.name).where(
            CaseMaterial.case_id == page.case_id, CaseMaterial.material_key == page.material_key
        )
    )
    return PageInfo(
        page.id,
        page.material_key,
        page.position,
        page.width,
        page.height,
        page.byte_size,
        page.rotation,
        page.unreadable,
        page.unreadable_note,
        material_name=name or page.material_key,
        replaced_note=page.replaced_note or "",
    )


def _where(page: CasePage) -> dict[str, object]:
    return {"page": page.id, "material": page.material_key, "position": page.position}


def _open_page(session: Session, actor: Actor, page_id: int) -> CasePage:
    page = handled_page(session, actor, page_id)
    case = session.get(Case, page.case_id)  # in the session already: the handler check read it
    if case is None or CaseState(case.state) not in MARKABLE:
        raise Conflict("办件已办结，材料页不能再标记。")
    return page


def mark_unreadable(
    db: Database, actor: Actor, page_id: int, note: str, seen_note: str | None = None
) -> PageInfo:
    """Mark the page unreadable with ``note`` (why: 字迹模糊, 缺角 …; 2–100 characters).

    Marking again replaces the note. ``seen_note``: the mark the reader saw ("" unmarked);
    if someone changed it meanwhile (another PC), Conflict naming the mark now there — one
    approver's reason is never overwritten unseen. ValidationError (field ``note``) for a
    missing or bad note; NotFound / PermissionDenied as for viewing; Conflict once the case
    is finished.
    """
    cleaned = text.clean_line(note, "note", "无法辨认的原因", max_length=NOTE_MAX)
    cleaned = cleaned.rstrip("。，,.；;！!")
    if len(cleaned) < NOTE_MIN:
        raise ValidationError("请写明无法辨认的原因（如：字迹模糊、缺角）。", "note")
    with db.unit_of_work() as session:
        page = _open_page(session, actor, page_id)
        now_note = page.unreadable_note if page.unreadable else ""
        if seen_note is not None and seen_note != now_note:
            raise _changed_meanwhile(page)
        before = {"unreadable": page.unreadable, "reason": page.unreadable_note}
        now = clock.now(session)
        page.unreadable, page.unreadable_note = True, cleaned
        page.unreadable_by_id, page.unreadable_at = actor.user_id, now
        after = {**_where(page), "reason": cleaned}
        audit.record(
            session, actor, "page_marked_unreadable", "case", page.case_id, before, after, at=now
        )
        info = _info(session, page)
        session.commit()
        return info


def clear_unreadable(
    db: Database, actor: Actor, page_id: int, seen_note: str | None = None
) -> PageInfo:
    """Take the mark off (the page is readable after all); nothing is recorded if unmarked.

    ``seen_note``: the mark the reader saw; Conflict if another PC changed it meanwhile.
    """
    with db.unit_of_work() as session:
        page = _open_page(session, actor, page_id)
        now_note = page.unreadable_note if page.unreadable else ""
        if seen_note is not None and seen_note != now_note:
            raise _changed_meanwhile(page)
        if page.unreadable:
            before = {"unreadable": True, "reason": page.unreadable_note}
            page.unreadable, page.unreadable_note = False, ""
            page.unreadable_by_id, page.unreadable_at = None, None
            audit.record(
                session,
                actor,
                "page_unreadable_cleared",
                "case",
                page.case_id,
                before,
                _where(page),
            )
        info = _info(session, page)
        session.commit()
        return info


def rotate_page(
    db: Database, actor: Actor, page_id: int, quarter_turns: int, seen_rotation: int | None = None
) -> PageInfo:
    """Turn the page as shown by ``quarter_turns`` × 90° clockwise (negative: anticlockwise).

    Only how the page is shown changes (``rotation``, 0/90/180/270 degrees); the stored
    image and its SHA-256 stay as captured. ``seen_rotation``: the rotation the reader saw;
    Conflict if another PC turned it meanwhile (two quarter turns would make a half).
    ValidationError for 0 or more than 3 turns.
    """
    if quarter_turns == 0 or abs(quarter_turns) > 3:
        raise ValidationError("旋转须为 90° 的 1–3 倍。", "quarter_turns")
    with db.unit_of_work() as session:
        page = handled_page(session, actor, page_id)
        if seen_rotation is not None and seen_rotation != page.rotation:
            raise _changed_meanwhile(page)
        before = {"rotation": page.rotation}
        page.rotation = (page.rotation + 90 * quarter_turns) % 360
        after = {**_where(page), "rotation": page.rotation}
        audit.record(session, actor, "page_rotated", "case", page.case_id, before, after)
        info = _info(session, page)
        session.commit()
        return info


def _changed_meanwhile(page: CasePage) -> Conflict:
    mark = f"，现已标记无法辨认：{page.unreadable_note}" if page.unreadable else ""
    return Conflict(
        f"该页刚被他人修改（旋转 {page.rotation}°{mark}），页面已刷新，请查看后再操作。"
    )


def unreadable_items(source: Database | Session, case_id: int) -> tuple[str, ...]:
    """The 补正 items for the case's unreadable pages, by material key then page.

    ``source`` is a database (a read of its own) or the caller's session (inside its unit
    of work, e.g. the 退回补正 decision). No permission check: callers have made theirs.
    """
    if isinstance(source, Session):
        return _items(source, case_id)
    with source.read_only() as session:
        return _items(session, case_id)


def _items(session: Session, case_id: int) -> tuple[str, ...]:
    rows = session.execute(
        select(
            CasePage.material_key, CasePage.position, CasePage.unreadable_note, CaseMaterial.name
        )
        .outerjoin(
            CaseMaterial,
            (CaseMaterial.case_id == CasePage.case_id)
            & (CaseMaterial.material_key == CasePage.material_key),
        )
        .where(CasePage.case_id == case_id, CasePage.unreadable.is_(True))
        .order_by(CasePage.material_key, CasePage.position)
    )
    return tuple(item_text(name or key, position, note) for key, position, note, name in rows)
