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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.audit.chain import chain_of
from app.audit.labels import (
    ACTION_LABELS,
    CATALOG_SOURCES,
    DETAIL_LABELS,
    DETAIL_LABELS_BY_ENTITY,
    DEVICE_LABELS,
    DEVICE_PROBLEM_LABELS,
)
from app.audit.names import Names
from app.audit.verify import chain_label
from app.db.models import (
    AuditEvent,
    Hall,
)
from app.ids import mask_numbers
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

    ``seq``: the event's number in its chain; ``seq_shown``: "128" in the hall's own chain,
    "锚点链 3" or "升级前的审计链 57" in another (the number the verifier's findings name).
    ``at``: hall-local ``YYYY-MM-DD HH:MM:SS``. ``operator``: "王晓燕（clerk）" or "系统".
    ``record``: "办件 JX01-MZ20261123-0007（最低生活保障）". ``details``: the note and what
    changed, "状态：等候中 → 已呼叫；窗口：3 号窗口". ``action``/``entity``: the codes.
    """

    seq: int
    seq_shown: str
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
    names = Names(session, events)
    own = chain_of(hall.id)
    return [
        AuditLine(
            seq=e.seq,
            seq_shown=str(e.seq) if e.chain == own else f"{chain_label(e.chain, {})} {e.seq}",
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


def _page_list(key: str, value: list[Any], names: Names, case_id: int | None) -> str:
    """``[[material key, position, …], …]`` as 收入证明 第 2 页 (a marks' reason after it)."""
    shown = []
    for row in value:
        text = f"{names.material(case_id, row[0])} 第 {row[1]} 页"
        if key == "marks_cleared" and len(row) > 2 and row[2]:
            text += f"（{row[2]}）"
        shown.append(text)
    joined = "、".join(shown)
    return joined if len(joined) <= VALUE_MAX else f"{joined[:VALUE_MAX]}…（共 {len(value)} 页）"


def _details(e: AuditEvent, names: Names, zone: str) -> str:
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
    entity: str, key: str, value: object, names: Names, case_id: int | None, zone: str
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
