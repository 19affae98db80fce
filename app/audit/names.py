"""The names behind a page of audit events' ids: users, windows, tickets, residents, cases
(their service, steps and materials), tasks, departments, halls and audit chains — each kind
loaded in one query, never one per row (:class:`Names`, used by :mod:`app.audit.readable`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.chain import hall_of
from app.audit.labels import DEVICE_LABELS, ENTITY_LABELS
from app.audit.verify import chain_label
from app.db.models import (
    AuditEvent,
    CareProfile,
    Case,
    Department,
    Hall,
    Resident,
    ServiceType,
    ServiceVersion,
    Task,
    Ticket,
    User,
    Window,
)
from app.ids import mask_id


def _ints(values: Iterable[object]) -> set[int]:
    out = set()
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool):
            out.add(v)
        elif isinstance(v, str) and v.isdigit():
            out.add(int(v))
    return out


def _snapshot_values(events: Sequence[AuditEvent], *keys: str) -> list[object]:
    return [
        snap.get(k)
        for e in events
        for snap in (e.before, e.after)
        if isinstance(snap, Mapping)
        for k in keys
    ]


class Names:
    """The names behind a page's ids, each kind loaded in one query."""

    def __init__(self, session: Session, events: Sequence[AuditEvent]) -> None:
        def of(entity: str) -> set[int]:
            return _ints(e.entity_id for e in events if e.entity == entity)

        user_ids = _ints(e.actor_id for e in events) | of("user")
        user_ids |= _ints(_snapshot_values(events, "clerk"))
        self.users = {
            uid: (name, username)
            for uid, name, username in session.execute(
                select(User.id, User.full_name, User.username).where(User.id.in_(user_ids))
            )
        }
        window_ids = of("window") | _ints(_snapshot_values(events, "window", "to_window"))
        self.windows = {
            wid: number
            for wid, number in session.execute(
                select(Window.id, Window.number).where(Window.id.in_(window_ids))
            )
        }
        self.tickets = {
            tid: (code, day)
            for tid, code, day in session.execute(
                select(Ticket.id, Ticket.code, Ticket.service_day).where(
                    Ticket.id.in_(of("ticket"))
                )
            )
        }
        self.residents = {
            rid: (name, number)
            for rid, name, number in session.execute(
                select(Resident.id, Resident.name, Resident.id_number).where(
                    Resident.id.in_(of("resident"))
                )
            )
        }
        task_ids = _ints(_snapshot_values(events, "task"))
        self.tasks = {
            tid: (case_id, step, dept)
            for tid, case_id, step, dept in session.execute(
                select(Task.id, Task.case_id, Task.step_key, Department.name)
                .join(Department, Department.id == Task.department_id)
                .where(Task.id.in_(task_ids))
            )
        }
        self.cases: dict[int, tuple[str | None, str, str, dict[str, str]]] = {}
        self.materials: dict[int, dict[str, str]] = {}  # case → material key → name
        case_ids = of("case") | {case_id for case_id, _s, _d in self.tasks.values()}
        for cid, case_no, service, applicant, definition in session.execute(
            select(
                Case.id, Case.case_no, ServiceType.name, Resident.name, ServiceVersion.definition
            )
            .join(ServiceVersion, ServiceVersion.id == Case.service_version_id)
            .join(ServiceType, ServiceType.id == ServiceVersion.service_type_id)
            .join(Resident, Resident.id == Case.applicant_id)
            .where(Case.id.in_(case_ids))
        ):
            self.cases[cid] = (case_no, service, applicant, _step_names(definition))
            self.materials[cid] = _material_names(definition)
        codes = {
            c for v in _snapshot_values(events, "departments") if isinstance(v, list) for c in v
        }
        self.departments = {
            code: name
            for code, name in session.execute(
                select(Department.code, Department.name).where(Department.code.in_(codes))
            )
        }
        self.care = {
            pid: (name, number)
            for pid, name, number in session.execute(
                select(CareProfile.id, Resident.name, Resident.id_number)
                .join(Resident, Resident.id == CareProfile.resident_id)
                .where(CareProfile.id.in_(of("care_profile")))
            )
        }
        self.halls = {
            key: name
            for hid, code, name in session.execute(select(Hall.id, Hall.code, Hall.name))
            for key in (code, str(hid))
        }

    def user(self, uid: object, fallback: str = "") -> str:
        found = self.users.get(uid) if isinstance(uid, int) else None
        if found is None:
            return fallback or f"#{uid}"
        return f"{found[0]}（{found[1]}）"

    def window(self, wid: object) -> str:
        number = self.windows.get(wid) if isinstance(wid, int) else None
        return f"{number} 号窗口" if number is not None else f"窗口 #{wid}"

    def operator(self, e: AuditEvent) -> str:
        if e.actor_id is None:
            return e.actor_name or "系统"
        return self.user(e.actor_id, e.actor_name)

    def step(self, case_id: int | None, key: object) -> str:
        case = self.cases.get(case_id) if case_id is not None else None
        return case[3].get(str(key), str(key)) if case else str(key)

    def material(self, case_id: int | None, key: object) -> str:
        names = self.materials.get(case_id, {}) if case_id is not None else {}
        return names.get(str(key), str(key))

    def record(self, e: AuditEvent) -> str:
        kind = ENTITY_LABELS.get(e.entity, e.entity)
        key = int(e.entity_id) if e.entity_id.isdigit() else None
        gone = f"{kind} #{e.entity_id}（记录不存在）"
        if e.entity == "case":
            if key is None or key not in self.cases:
                return gone
            case_no, service, applicant, _ = self.cases[key]
            if case_no is None:
                return f"暂存件（{service}，申请人 {applicant}）"
            return f"办件 {case_no}（{service}）"
        if e.entity == "ticket":
            if key is None or key not in self.tickets:
                return gone
            code, day = self.tickets[key]
            return f"号票 {code}（{day.isoformat()}）"
        if e.entity == "resident":
            if key is None or key not in self.residents:
                return gone
            name, number = self.residents[key]
            return f"申请人 {name}（{mask_id(number)}）"
        if e.entity == "care_profile":
            if key is None or key not in self.care:
                return gone
            name, number = self.care[key]
            return f"关爱档案 {name}（{mask_id(number)}）"
        if e.entity == "user":
            return f"用户 {self.user(key)}" if key in self.users else gone
        if e.entity == "window":
            return f"窗口 {self.window(key)}" if key in self.windows else gone
        if e.entity == "hall":
            return f"大厅 {self.halls.get(e.entity_id, e.entity_id)}"
        if e.entity == "catalog":
            return f"事项目录（{self.halls.get(e.entity_id, e.entity_id)}）"
        if e.entity == "audit_chain":  # an anchor: "hall:3", "city", "main" …
            hall_id = hall_of(e.entity_id)
            halls = {} if hall_id is None else {hall_id: self.halls.get(str(hall_id), str(hall_id))}
            return f"审计链（{chain_label(e.entity_id, halls)}）"
        if e.entity == "calendar_day":
            return f"工作日历 {e.entity_id}"
        if e.entity == "device":  # "<device>@<PC>"
            device, _, station = e.entity_id.partition("@")
            name = DEVICE_LABELS.get(device, "设备")
            return f"{name}（{station}）" if station else name
        return f"{kind} {e.entity_id}"


def _material_names(definition: Any) -> dict[str, str]:
    return _step_names(definition, "materials")


def _step_names(definition: Any, part: str = "routing") -> dict[str, str]:
    """Key → name of the definition's steps (or of its ``materials``)."""
    items = definition.get(part, []) if isinstance(definition, Mapping) else []
    return {
        str(s.get("key")): str(s.get("name") or s.get("key"))
        for s in items
        if isinstance(s, Mapping)
    }
