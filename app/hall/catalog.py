"""Reading the catalog as synced to the database: the browser and the service guide."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select

from app.actor import Actor
from app.db.models import Department, Hall, ServiceType, ServiceVersion
from app.db.session import Database
from app.documents import GuideMaterial, ServiceGuide
from app.errors import NotFound
from app.roles import Permission
from forms.schema import MaterialDef, ServiceDef, ServiceKind, StepKind

KIND_LABELS = {ServiceKind.INSTANT: "即办件", ServiceKind.PROMISED: "承诺件"}
STEP_KIND_LABELS = {StepKind.REVIEW: "审批", StepKind.PUBLICITY: "公示", StepKind.ISSUE: "办结"}


@dataclass(frozen=True)
class CatalogEntry:
    """A service in its current version, with the names the browser shows."""

    code: str
    name: str
    department_code: str
    department_name: str
    version: int
    definition: ServiceDef

    @property
    def kind_label(self) -> str:
        """即办件 or 承诺件."""
        return KIND_LABELS[self.definition.kind]


_DEFINITIONS: dict[str, ServiceDef] = {}


def definition_of(sv: ServiceVersion) -> ServiceDef:
    """The parsed, validated definition of a frozen catalog version.

    Versions never change once synced, so the parse is remembered by the content digest
    (validating a definition costs about 0.7 ms, and intake needs it on every action).
    """
    found = _DEFINITIONS.get(sv.digest)
    if found is None:
        found = ServiceDef.model_validate(sv.definition)
        if len(_DEFINITIONS) < 2048:
            _DEFINITIONS[sv.digest] = found
    return found


def list_services(db: Database, actor: Actor) -> list[CatalogEntry]:
    """Every active service in its current version, by department then code."""
    actor.require(Permission.VIEW_CATALOG)
    with db.read_only() as session:
        rows = session.execute(
            select(ServiceType, ServiceVersion, Department)
            .join(
                ServiceVersion,
                and_(
                    ServiceVersion.service_type_id == ServiceType.id,
                    ServiceVersion.version == ServiceType.current_version,
                ),
            )
            .join(Department, Department.id == ServiceType.department_id)
            .where(ServiceType.active.is_(True))
            .order_by(Department.code, ServiceType.code)
        ).all()
        return [
            CatalogEntry(
                st.code,
                st.name,
                dept.code,
                dept.name,
                sv.version,
                definition_of(sv),
            )
            for st, sv, dept in rows
        ]


def department_names(db: Database) -> dict[str, str]:
    """Department code → name, for labels."""
    with db.unit_of_work() as session:
        return {
            d.code: d.name for d in session.scalars(select(Department).order_by(Department.code))
        }


def condition_text(expr: str | None, labels: dict[str, str] | None = None) -> str:
    """A catalog condition as the clerk reads it: ``disability == true`` → ``申请人是否残疾 = 是``."""
    if not expr:
        return ""
    words = {
        "age": "年龄",
        "gender": "性别",
        "true": "是",
        "false": "否",
        "and": "且",
        "or": "或",
        "not": "非",
        **(labels or {}),
    }
    text = re.sub(r"\b[A-Za-z_][A-Za-z0-9_]*\b", lambda m: words.get(m[0], m[0]), expr)
    for a, b in ((">=", "≥"), ("<=", "≤"), ("!=", "≠"), ("==", "="), ("'", ""), ('"', "")):
        text = text.replace(a, b)
    return " ".join(text.split())


def _material_line(m: MaterialDef, labels: dict[str, str]) -> GuideMaterial:
    cond = ""
    if not m.required and m.required_when:
        cond = condition_text(m.required_when, labels)
    elif not m.required:
        cond = "如有"
    return GuideMaterial(m.name, m.form.value, m.copies, cond, m.deferrable, m.note)


def guide(db: Database, actor: Actor, code: str, today: date) -> ServiceGuide:
    """The 办事指南 snapshot of one service, ready for ``printing``."""
    entry = next((e for e in list_services(db, actor) if e.code == code), None)
    if entry is None:
        raise NotFound(f"事项 {code} 不存在或已停用。")
    with db.unit_of_work() as session:
        hall = session.get(Hall, actor.hall_id) if actor.hall_id else None
    d = entry.definition
    depts = department_names(db)
    labels = {f.key: f.label for f in d.fields}
    steps = []
    for s in d.routing:
        if s.kind == StepKind.PUBLICITY:
            steps.append(f"{s.name}（{s.days} 个工作日）")
        else:
            names = "、".join(
                depts.get(b.department, b.department)
                + (f"（{condition_text(b.when, labels)}时）" if b.when else "")
                for b in s.departments
            )
            steps.append(f"{s.name}（{names}）")
    return ServiceGuide(
        hall_name=hall.name if hall else "",
        code=d.code,
        name=d.name,
        department=entry.department_name,
        kind_label=entry.kind_label,
        promised_days=d.promised_days,
        legal_days=d.legal_days,
        fee="不收费" if d.fee == 0 else f"{d.fee} 元",
        legal_basis=d.legal_basis,
        scope=d.scope,
        pickup=_pickup(d),
        materials=tuple(_material_line(m, labels) for m in d.materials),
        steps=tuple(steps) or ("窗口当场办结",),
        version=entry.version,
        printed_on=today.isoformat(),
    )


def _pickup(d: ServiceDef) -> str:
    """Where the result is had: a 即办件's is handed over at the counter at once."""
    if d.kind != ServiceKind.INSTANT:
        return d.pickup
    return f"当场办结，当场领取{d.result.title if d.result else '办结通知书'}"
