"""Residents (一人一档): find a returning applicant, record a new one, search, reveal.

The ID number (GB 11643) is the natural key; gender and birth date always come from it.
Names keep any Unicode character (生僻字 of the CJK extensions) in one normal form
(:func:`clean_name`: NFC, one middle dot, no spaces between CJK characters); search
normalises its query the same way and also matches pinyin initials (``zs`` finds 张三)
via pypinyin. ID numbers are stored and looked up in their ASCII form only.
Lists carry masked ID and phone numbers; showing a full value is :func:`reveal`, audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from app import audit
from app import text as free_text
from app.actor import Actor
from app.db import clock
from app.db.models import Resident
from app.db.session import Database
from app.errors import NotFound, ValidationError
from app.ids import mask_id, mask_phone, normalize_phone, parse_resident_id
from app.initials import initials
from app.roles import Permission

TAGS = ("老年人", "残疾人", "低保户", "特困人员", "退役军人", "孕妇", "军人")


@dataclass(frozen=True)
class ResidentView:
    """A resident as lists and the intake screen show them (masked)."""

    id: int
    name: str
    id_masked: str
    gender: str
    birth_date: date
    age: int
    phone_masked: str
    address: str
    tags: tuple[str, ...]
    version: int


@dataclass(frozen=True)
class ResidentInput:
    """What the clerk entered about an applicant or agent."""

    id_number: str
    name: str
    phone: str = ""
    address: str = ""
    tags: tuple[str, ...] = ()


def clean_name(text: str, field: str = "name") -> str:
    """A person's name as entered: any script, 生僻字 included; no digits or symbols.

    The one entry point for resident, agent and collector names: :func:`app.text.clean_name`
    (forbidden characters refused, NFC, one middle dot, spaces normalised). Raises
    :class:`ValidationError` naming ``field``.
    """
    return free_text.clean_name(text, field)


def _view(r: Resident, today: date) -> ResidentView:
    born = r.birth_date
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return ResidentView(
        id=r.id,
        name=r.name,
        id_masked=mask_id(r.id_number),
        gender=r.gender,
        birth_date=born,
        age=age,
        phone_masked=mask_phone(r.phone) if r.phone else "",
        address=r.address,
        tags=tuple(r.tags or ()),
        version=r.version,
    )


def find_by_id_number(db: Database, actor: Actor, id_number: str) -> ResidentView | None:
    """The resident with this ID number, if the hall has met them before."""
    actor.require_any(Permission.INTAKE, Permission.CARE)  # the counter, 社区工作者
    with db.read_only() as session:
        today = clock.now(session).date()
        rid = parse_resident_id(id_number, today)
        r = session.scalar(select(Resident).where(Resident.id_number == rid.number))
        return _view(r, today) if r else None


def get(db: Database, actor: Actor, resident_id: int) -> ResidentView:
    """One resident by record id."""
    actor.require_any(Permission.INTAKE, Permission.CARE)  # the counter, 社区工作者
    with db.read_only() as session:
        r = session.get(Resident, resident_id)
        if r is None:
            raise NotFound("该申请人档案不存在。")
        return _view(r, clock.now(session).date())


def search(db: Database, actor: Actor, query: str, limit: int = 50) -> list[ResidentView]:
    """By ID number (whole or start), phone, name (part) or pinyin initials."""
    actor.require_any(Permission.INTAKE, Permission.CARE)  # the counter, 社区工作者
    q = free_text.name_key(free_text.clean_query(query))
    if not q:
        return []
    like = free_text.like_escaped(q)
    conds = [Resident.name.icontains(like, autoescape=False, escape=free_text.LIKE_ESCAPE)]
    if re.fullmatch(r"[0-9Xx]{4,18}", q):
        conds.append(Resident.id_number.startswith(q.upper()))
        conds.append(Resident.phone.startswith(q))
    if re.fullmatch(r"[A-Za-z]{1,12}", q):
        low = q.lower()
        conds.append(Resident.name_initials.startswith(low))
        conds.append(Resident.name_initials.contains(" " + low))
    with db.read_only() as session:
        today = clock.now(session).date()
        rows = session.scalars(
            select(Resident).where(or_(*conds)).order_by(Resident.name).limit(limit)
        )
        return [_view(r, today) for r in rows]


def save(db: Database, actor: Actor, data: ResidentInput) -> ResidentView:
    """Create the resident, or update the one with this ID number (一人一档)."""
    actor.require_any(Permission.INTAKE, Permission.CARE)  # the counter, 社区工作者
    name = clean_name(data.name)
    phone = normalize_phone(data.phone) if (data.phone or "").strip() else ""
    address = free_text.clean_line(data.address, "address", "地址", 200)
    wrong = [t for t in data.tags if t not in TAGS]
    if wrong:
        raise ValidationError(f"没有这种人员类别：{'、'.join(wrong)}。", "tags")
    with db.unit_of_work() as session:
        now = clock.now(session)
        rid = parse_resident_id(data.id_number, now.date())
        r = session.scalar(select(Resident).where(Resident.id_number == rid.number))
        before = _snapshot(r) if r else None
        if r is None:
            r = Resident(id_number=rid.number, created_at=now)
            session.add(r)
        r.name, r.name_initials = name, initials(name)
        r.gender, r.birth_date = rid.gender, rid.birth_date
        r.phone, r.address, r.tags = phone, address, list(data.tags)
        session.flush()
        after = _snapshot(r)
        if before != after:
            action = "resident_updated" if before else "resident_created"
            audit.record(session, actor, action, "resident", r.id, before, after, at=now)
        session.commit()
        return _view(r, now.date())


def _snapshot(r: Resident) -> dict[str, object]:
    """What the audit trail keeps of a resident (masked: the log is read by auditors)."""
    return {
        "name": r.name,
        "id": mask_id(r.id_number),
        "phone": mask_phone(r.phone) if r.phone else "",
        "address": r.address,
        "tags": list(r.tags or ()),
    }


def reveal(db: Database, actor: Actor, resident_id: int, what: str) -> str:
    """The full ID number (``what="id_number"``) or phone; the showing is audited."""
    actor.require(Permission.REVEAL_PERSONAL_DATA)
    if what not in ("id_number", "phone"):
        raise ValidationError("只能查看完整的身份证号或电话。", "what")
    with db.unit_of_work() as session:
        r = session.get(Resident, resident_id)
        if r is None:
            raise NotFound("该申请人档案不存在。")
        value = r.id_number if what == "id_number" else r.phone
        label = "身份证号" if what == "id_number" else "电话"
        audit.record(session, actor, "personal_data_revealed", "resident", r.id, note=label)
        session.commit()
        return value
