"""Audit events as a person reads them: names, Chinese labels, masked personal data.

The trail records codes and ids (``ticket_called``, ``ticket 4711``, ``{"window": 3}``);
the auditor reads "叫号", "号票 A012（2026-11-23）", "窗口：3 号窗口". This module turns a
page of events into :class:`AuditLine` with a handful of batched look-ups (users, windows,
cases with their service and routing, tickets, residents, tasks, departments, halls) —
never one query per row.

Personal data stays masked: ID numbers as ``110105********002X`` (the trail itself keeps
residents masked; any long number left in a note or a value is masked here too), so
reading the list never shows what 显示完整号码 (an audited action) would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.labels import (
    ACTION_LABELS,
    CATALOG_SOURCES,
    DETAIL_LABELS,
    DETAIL_LABELS_BY_ENTITY,
    DEVICE_LABELS,
    DEVICE_PROBLEM_LABELS,
    ENTITY_LABELS,
)
from app.db.models import (
    AuditEvent,
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
from app.ids import mask_id, mask_numbers
from app.roles import ROLE_LABELS, Role
from app.states import CASE_FLOW, TICKET_FLOW, USER_FLOW, WINDOW_FLOW, StateMachine

VALUE_MAX = 120  # characters of one value shown (a 500-character notice is cut)
# Snapshot keys the record column already shows: repeated only when they change.
IN_RECORD = frozenset(
    {
        ("case", "case_no"),
        ("ticket", "code"),
        ("resident", "name"),
        ("resident", "id"),
        ("user", "username"),
        ("user", "full_name"),
        ("case", "page"),  # a page's row id: its material and page number are shown
    }
)
_FLOWS: dict[str, StateMachine[Any]] = {
    "ticket": TICKET_FLOW,
    "case": CASE_FLOW,
    "user": USER_FLOW,
    "window": WINDOW_FLOW,
}


_ORDER = {key: n for n, key in enumerate(DETAIL_LABELS)}


@dataclass(frozen=True)
class AuditLine:
    """One event as the auditor's list shows it.

    ``at``: hall-local ``YYYY-MM-DD HH:MM:SS``. ``operator``: "王晓燕（clerk）" or "系统".
    ``record``: "办件 JX01-MZ20261123-0007（最低生活保障）". ``details``: the note and what
    changed, "状态：等候中 → 已呼叫；窗口：3 号窗口". ``action``/``entity``: the codes.
    """

    seq: int
    at: str
    operator: str
    action: str
    action_label: str
    entity: str
    record: str
    details: str


def local_time(zone: str, moment: datetime) -> str:
    """A naive-UTC moment as ``YYYY-MM-DD HH:MM:SS`` in time zone ``zone``."""
    local = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone))
    return local.strftime("%Y-%m-%d %H:%M:%S")


def lines(session: Session, hall: Hall, events: Sequence[AuditEvent]) -> list[AuditLine]:
    """``events`` as lines, in the same order."""
    names = _Names(session, events)
    return [
        AuditLine(
            seq=e.seq,
            at=local_time(hall.timezone, e.at),
            operator=names.operator(e),
            action=e.action,
            action_label=ACTION_LABELS.get(e.action, e.action),
            entity=e.entity,
            record=mask_numbers(names.record(e)),
            details=mask_numbers(_details(e, names, hall.timezone)),
        )
        for e in events
    ]


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


class _Names:
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
        if e.entity == "user":
            return f"用户 {self.user(key)}" if key in self.users else gone
        if e.entity == "window":
            return f"窗口 {self.window(key)}" if key in self.windows else gone
        if e.entity == "hall":
            return f"大厅 {self.halls.get(e.entity_id, e.entity_id)}"
        if e.entity == "catalog":
            return f"事项目录（{self.halls.get(e.entity_id, e.entity_id)}）"
        if e.entity == "calendar_day":
            return f"工作日历 {e.entity_id}"
        if e.entity == "device":  # "<device>@<PC>"
            device, _, station = e.entity_id.partition("@")
            name = DEVICE_LABELS.get(device, "设备")
            return f"{name}（{station}）" if station else name
        return f"{kind} {e.entity_id}"


def _material_names(definition: Any) -> dict[str, str]:
    return _step_names(definition, "materials")


def _page_list(key: str, value: list[Any], names: _Names, case_id: int | None) -> str:
    """``[[material key, position, …], …]`` as 收入证明 第 2 页 (a marks' reason after it)."""
    shown = []
    for row in value:
        text = f"{names.material(case_id, row[0])} 第 {row[1]} 页"
        if key == "marks_cleared" and len(row) > 2 and row[2]:
            text += f"（{row[2]}）"
        shown.append(text)
    joined = "、".join(shown)
    return joined if len(joined) <= VALUE_MAX else f"{joined[:VALUE_MAX]}…（共 {len(value)} 页）"


def _step_names(definition: Any, part: str = "routing") -> dict[str, str]:
    """Key → name of the definition's steps (or of its ``materials``)."""
    items = definition.get(part, []) if isinstance(definition, Mapping) else []
    return {
        str(s.get("key")): str(s.get("name") or s.get("key"))
        for s in items
        if isinstance(s, Mapping)
    }


def _details(e: AuditEvent, names: _Names, zone: str) -> str:
    """The note and the snapshot as "标签：旧 → 新" parts, joined with "；"."""
    parts: list[str] = []
    before = e.before if isinstance(e.before, Mapping) else None
    after = e.after if isinstance(e.after, Mapping) else None
    # In the labels' order: PostgreSQL's jsonb keeps keys in an order of its own.
    keys = sorted({*(after or {}), *(before or {})}, key=_key_order)
    case_id = int(e.entity_id) if e.entity == "case" and e.entity_id.isdigit() else None
    for key in keys:
        label = DETAIL_LABELS_BY_ENTITY.get((e.entity, key)) or DETAIL_LABELS.get(key, key)

        def shown(value: object, key: str = key) -> str:
            return _value(e.entity, key, value, names, case_id, zone)

        if before is not None and after is not None and key in before and key in after:
            if before[key] != after[key]:
                parts.append(f"{label}：{shown(before[key])} → {shown(after[key])}")
        elif after is not None and key in after:
            if after[key] not in (None, "", [], {}) and (e.entity, key) not in IN_RECORD:
                parts.append(f"{label}：{shown(after[key])}")
        elif before is not None and before[key] not in (None, "", [], {}):
            parts.append(f"原{label}：{shown(before[key])}")
    note = e.note.strip()
    if not parts or not note:
        return note or "；".join(parts)
    # The note as written; a sentence ending in 。 needs no ； after it.
    return note + ("" if note[-1] in "。！？；;" else "；") + "；".join(parts)


def _key_order(key: str) -> tuple[int, str]:
    return (_ORDER.get(key, len(_ORDER)), key)


def _value(
    entity: str, key: str, value: object, names: _Names, case_id: int | None, zone: str
) -> str:
    """One snapshot value in words."""
    if value is None or value == "":
        return "（无）"
    pages = isinstance(value, list) and all(isinstance(v, list) and len(v) >= 2 for v in value)
    if key in ("pages", "missing_pages", "marks_cleared") and isinstance(value, list) and pages:
        return _page_list(key, value, names, case_id)
    if key == "material":
        return names.material(case_id, value)
    if key == "sha256" and isinstance(value, str):
        return value[:16] + "…"
    if key == "bytes" and isinstance(value, int):
        return f"{value / 1_000_000:.1f} MB" if value >= 100_000 else f"{value} 字节"
    if isinstance(value, list):
        joined = "、".join(_value(entity, key, v, names, case_id, zone) for v in value)
        if len(joined) > VALUE_MAX:
            return f"{joined[:VALUE_MAX]}…（共 {len(value)} 项）"
        return joined or "（无）"
    if isinstance(value, bool):
        if key == "is_workday":
            return "上班" if value else "休息"
        return "是" if value else "否"
    if key == "state" and entity in _FLOWS:
        flow = _FLOWS[entity]
        try:
            return flow.label(flow.states(value))
        except ValueError:
            return str(value)
    if key in ("window", "to_window"):
        return names.window(value)
    if key == "clerk":
        return names.user(value)
    if key == "device":
        return DEVICE_LABELS.get(str(value), "设备")
    if key == "problem":
        return DEVICE_PROBLEM_LABELS.get(str(value), "其他问题")
    if key == "step":
        return names.step(case_id, value)
    if key == "task" and isinstance(value, int) and value in names.tasks:
        task_case, step, dept = names.tasks[value]
        return f"{names.step(task_case, step)}（{dept}）"
    if key == "roles":
        try:
            return ROLE_LABELS[Role(str(value))]
        except (KeyError, ValueError):
            return str(value)
    if key == "departments":
        return names.departments.get(str(value), str(value))
    if key == "source":
        return CATALOG_SOURCES.get(str(value), str(value))
    if key == "locked_until" and isinstance(value, str):
        try:
            return local_time(zone, datetime.fromisoformat(value))[:16]
        except ValueError:
            return value
    if key == "due" and isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return value
    shown = str(value)
    return shown if len(shown) <= VALUE_MAX else shown[:VALUE_MAX] + "…"
