"""Bringing a database into service: migrate, the hall, the catalog sync, the demo data."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from app.db import migrate
from app.db.models import (
    Department,
    Hall,
    QueueCategory,
    ServiceType,
    ServiceVersion,
    User,
    UserDepartment,
    UserRole,
    Window,
    WindowCategory,
)
from app.db.session import Database
from app.errors import EnvironmentProblem
from app.roles import Role
from app.services import audit, passwords
from app.services.actor import SYSTEM
from forms.loader import Catalog

DEMO_HALL = ("DEMO", "示范区政务服务中心（演示）")
DEMO_PASSWORD = "Demo@2026"
DEMO_USERS: tuple[tuple[str, str, tuple[Role, ...], tuple[str, ...]], ...] = (
    ("admin", "系统管理员", (Role.SYSADMIN, Role.SECADMIN), ()),
    ("clerk", "王晓燕", (Role.CLERK,), ()),
    ("clerk2", "李志强", (Role.CLERK,), ()),
    ("approver", "陈建国", (Role.APPROVER,), ("JD", "MZ")),
    ("canlian", "赵丽", (Role.APPROVER,), ("CL",)),
    ("supervisor", "刘敏", (Role.SUPERVISOR,), ()),
    ("auditor", "孙倩", (Role.AUDITOR,), ()),
)


@dataclass
class SyncReport:
    """What a catalog sync changed."""

    new_services: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(self.new_services or self.new_versions or self.retired)


def ensure_hall(session: Session, code: str, name: str, is_demo: bool = False) -> Hall:
    """The hall with ``code``, created if missing."""
    hall = session.scalar(select(Hall).where(Hall.code == code))
    if hall is None:
        hall = Hall(code=code, name=name, is_demo=is_demo)
        session.add(hall)
        session.flush()
    return hall


def _sync_queues(session: Session, hall: Hall, catalog: Catalog) -> None:
    existing = {
        q.letter: q
        for q in session.scalars(select(QueueCategory).where(QueueCategory.hall_id == hall.id))
    }
    for order, qc in enumerate(catalog.queue_categories):
        if qc.letter not in existing:
            session.add(
                QueueCategory(hall_id=hall.id, letter=qc.letter, name=qc.name, sort_order=order)
            )


def sync_catalog(db: Database, catalog: Catalog, hall_code: str) -> SyncReport:
    """Write departments, queues and services; a changed service gets a new version.

    Cases keep the version they were accepted under, so a sync never changes them.
    Services no longer in the files are retired (inactive), never deleted.
    """
    report = SyncReport()
    with db.unit_of_work() as session:
        hall = session.scalar(select(Hall).where(Hall.code == hall_code))
        if hall is None:
            raise EnvironmentProblem(f"大厅 {hall_code} 不存在。")
        depts = {d.code: d for d in session.scalars(select(Department))}
        for code, ddef in catalog.departments.items():
            if code not in depts:
                depts[code] = Department(code=code, name=ddef.name)
                session.add(depts[code])
            else:
                depts[code].name = ddef.name
        session.flush()
        _sync_queues(session, hall, catalog)
        types = {t.code: t for t in session.scalars(select(ServiceType))}
        current = {
            v.service_type_id: v
            for v in session.scalars(
                select(ServiceVersion).join(
                    ServiceType,
                    and_(
                        ServiceVersion.service_type_id == ServiceType.id,
                        ServiceVersion.version == ServiceType.current_version,
                    ),
                )
            )
        }
        for code, svc in catalog.services.items():
            d = svc.definition
            st = types.get(code)
            if st is None:
                st = ServiceType(
                    code=code,
                    name=d.name,
                    department_id=0,
                    queue_letter="",
                    kind="",
                    promised_days=0,
                    current_version=0,
                )
                session.add(st)
                report.new_services.append(code)
            elif (cur := current.get(st.id)) is not None and cur.digest == svc.digest:
                st.active = True
                continue
            else:
                report.new_versions.append(f"{code} v{st.current_version + 1}")
            st.name, st.queue_letter, st.kind = d.name, d.queue_category, d.kind.value
            st.promised_days, st.active = d.promised_days, True
            st.department_id = depts[svc.department.code].id
            st.current_version += 1
            session.flush()
            session.add(
                ServiceVersion(
                    service_type_id=st.id,
                    version=st.current_version,
                    digest=svc.digest,
                    definition=d.model_dump(mode="json"),
                    source_file=svc.file,
                    file_version=svc.file_version,
                )
            )
        for code, st in types.items():
            if code not in catalog.services and st.active:
                st.active = False
                report.retired.append(code)
        if report.changed:
            audit.record(
                session,
                replace(SYSTEM, hall_id=hall.id),
                "catalog_synced",
                "catalog",
                hall.code,
                after={
                    "new": report.new_services,
                    "versions": report.new_versions,
                    "retired": report.retired,
                },
            )
        session.commit()
    return report


def seed_demo(db: Database, hall_code: str) -> None:
    """Demo users and windows, only into an empty demo hall (never into production)."""
    with db.unit_of_work() as session:
        hall = session.scalar(select(Hall).where(Hall.code == hall_code))
        if hall is None or not hall.is_demo:
            raise EnvironmentProblem("演示数据只能写入演示数据库。")
        if session.scalar(select(User.id).limit(1)) is not None:
            return
        depts = {d.code: d.id for d in session.scalars(select(Department))}
        pw = passwords.hash_password(DEMO_PASSWORD)
        for username, name, roles, dept_codes in DEMO_USERS:
            user = User(hall_id=hall.id, username=username, full_name=name, password_hash=pw)
            user.roles = [UserRole(role=r) for r in roles]
            user.departments = [UserDepartment(department_id=depts[c]) for c in dept_codes]
            session.add(user)
        queues = {
            q.letter: q.id
            for q in session.scalars(select(QueueCategory).where(QueueCategory.hall_id == hall.id))
        }
        layout = {1: "AD", 2: "AB", 3: "BC", 4: "C", 5: "EA", 6: "FA"}
        for number, letters in layout.items():
            window = Window(hall_id=hall.id, number=number, name=f"{number} 号窗口")
            session.add(window)
            session.flush()
            for priority, letter in enumerate(letters, start=1):
                if letter in queues:
                    session.add(
                        WindowCategory(
                            window_id=window.id, category_id=queues[letter], priority=priority
                        )
                    )
        session.flush()
        audit.record(
            session,
            replace(SYSTEM, hall_id=hall.id),
            "demo_seeded",
            "hall",
            hall.code,
            after={"users": [u[0] for u in DEMO_USERS]},
        )
        session.commit()


def prepare(
    db: Database, catalog: Catalog, hall_code: str, hall_name: str, demo: bool = False
) -> SyncReport:
    """Check the connection, migrate to head, make sure the hall exists, sync the catalog.

    With ``demo`` the hall is the demo hall and gets demo users; a production database
    (a hall not marked as demo) refuses to become a demo.
    """
    db.check()
    if not migrate.is_current(db):
        migrate.upgrade(db)
    with db.unit_of_work() as session:
        existing = session.scalar(select(Hall).where(Hall.code == hall_code))
        if demo and existing is not None and not existing.is_demo:
            raise EnvironmentProblem("此数据库是正式数据库，不能以演示模式打开。")
        hall = ensure_hall(session, hall_code, hall_name, is_demo=demo)
        if existing is None:
            audit.record(
                session,
                replace(SYSTEM, hall_id=hall.id),
                "hall_created",
                "hall",
                hall.code,
                after={"name": hall.name, "demo": demo},
            )
        session.commit()
    report = sync_catalog(db, catalog, hall_code)
    if demo:
        seed_demo(db, hall_code)
    return report
