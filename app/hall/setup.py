"""Bringing a database into service: migrate, the hall, the catalog sync, the demo data.

The catalog's source of truth is the database (see :mod:`app.hall.catalog_sync`): a
start applies the catalog shipped in the program only when the shipped files changed since
they were last applied to this hall, and never undoes a ``onewindow catalog sync`` the hall
made (its own versions and services are kept and reported as skipped). A broken shipped
catalog never stops the program: :func:`start` keeps the database's catalog and returns
the files' problems (file and field) for the administrator's notice.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.actor import SYSTEM
from app.db import migrate
from app.db.models import (
    Department,
    Hall,
    QueueCategory,
    User,
    UserDepartment,
    UserRole,
    Window,
    WindowCategory,
)
from app.db.session import Database
from app.errors import EnvironmentProblem
from app.hall.catalog_sync import CatalogWriteFailed, SyncReport, apply_shipped
from app.hall.catalog_sync import sync_catalog as sync_catalog  # the hall's sync, re-exported
from app.people import passwords
from app.roles import Role
from forms.incidents import load_incidents
from forms.loader import Catalog, CatalogError, CatalogProblem, load_catalog

DEMO_HALL = ("DEMO", "示范区政务服务中心（演示）")
DEMO_PASSWORD = "Demo@2026"
DEMO_USERS: tuple[tuple[str, str, tuple[Role, ...], tuple[str, ...]], ...] = (
    ("admin", "系统管理员", (Role.SYSADMIN, Role.SECADMIN), ()),
    ("clerk", "王晓燕", (Role.CLERK,), ()),
    ("clerk2", "李志强", (Role.CLERK,), ()),
    ("approver", "陈建国", (Role.APPROVER,), ("JD", "MZ")),
    ("canlian", "赵丽", (Role.APPROVER,), ("CL",)),
    # 职责分离: each step of a 低保 case is decided by another person (初审 at 街道, 复审 at
    # 街道 and 民政 in parallel, 发放 at 民政), so the demo has colleagues in each office.
    ("jiedao", "周海", (Role.APPROVER,), ("JD",)),
    ("minzheng", "吴芳", (Role.APPROVER,), ("MZ",)),
    ("minzheng2", "郑伟", (Role.APPROVER,), ("MZ",)),
    ("supervisor", "刘敏", (Role.SUPERVISOR,), ()),
    ("auditor", "孙倩", (Role.AUDITOR,), ()),
    ("care", "黄秀英", (Role.CARE,), ()),  # 社区工作者: 一人一档 and visits
    # 群众诉求 / 网格事件: the dispatcher, and staff of two of the event catalog's departments.
    ("paidan", "马骏", (Role.DISPATCHER,), ()),
    ("shizheng", "高峰", (Role.APPROVER,), ("SZ",)),
    ("chengguan", "何涛", (Role.APPROVER,), ("CG",)),
    ("mediator", "周建国", (Role.MEDIATOR,), ()),  # 调解员: 矛盾纠纷调解
)


def ensure_hall(session: Session, code: str, name: str, is_demo: bool = False) -> Hall:
    """The hall with ``code``, created if missing."""
    hall = session.scalar(select(Hall).where(Hall.code == code))
    if hall is None:
        hall = Hall(code=code, name=name, is_demo=is_demo)
        session.add(hall)
        session.flush()
    return hall


def seed_demo(db: Database, hall_code: str) -> None:
    """Demo users and windows, only into an empty demo hall (never into production)."""
    with db.unit_of_work() as session:
        hall = session.scalar(select(Hall).where(Hall.code == hall_code))
        if hall is None or not hall.is_demo:
            raise EnvironmentProblem("演示数据只能写入演示数据库。")
        if session.scalar(select(User.id).limit(1)) is not None:
            return
        depts = {d.code: d.id for d in session.scalars(select(Department))}
        if not depts:
            # No catalog yet (a command prepared the database without one): the demo
            # approvers would belong to no department. They are made with the catalog.
            return
        pw = passwords.hash_password(DEMO_PASSWORD)
        for username, name, roles, dept_codes in DEMO_USERS:
            user = User(hall_id=hall.id, username=username, full_name=name, password_hash=pw)
            user.roles = [UserRole(role=r) for r in roles]
            user.departments = [
                UserDepartment(department_id=depts[c]) for c in dept_codes if c in depts
            ]
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
    db: Database, catalog: Catalog | None, hall_code: str, hall_name: str, demo: bool = False
) -> SyncReport:
    """Check the connection, migrate to head, make sure the hall exists, apply the catalog.

    ``catalog`` is the shipped catalog, applied by :func:`apply_shipped` (only if changed
    since last applied, never over the hall's own sync); None leaves the database's catalog
    as it is; if the database refuses it (CatalogWriteFailed, rolled back) the hall keeps
    its catalog and ``problems`` says so. With ``demo`` the hall is the demo hall and gets
    demo users; a production
    database (a hall not marked as demo) refuses to become a demo (EnvironmentProblem).
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
    report = SyncReport()
    if catalog is not None:
        try:
            report = apply_shipped(db, catalog, hall_code)
        except CatalogWriteFailed as exc:  # the hall keeps its catalog and opens
            report.problems = [CatalogProblem("数据库", "", exc.message)]
        report.problems += _event_departments(db, catalog, hall_code)
    if demo:
        seed_demo(db, hall_code)
    return report


def _event_departments(db: Database, catalog: Catalog, hall_code: str) -> list[CatalogProblem]:
    """The departments the event catalog (``forms/incidents``) adds, made known, so their
    staff can be given them; the event catalog's problems (the hall opens without them)."""
    try:
        events = load_incidents({code: d.name for code, d in catalog.departments.items()})
    except CatalogError as exc:
        return exc.problems
    with db.unit_of_work() as session:
        have = set(session.scalars(select(Department.code)))
        added = {c: n for c, n in events.departments.items() if c not in have}
        if added:
            session.add_all(Department(code=c, name=n) for c, n in added.items())
            hall = session.scalar(select(Hall).where(Hall.code == hall_code))
            audit.record(
                session,
                replace(SYSTEM, hall_id=hall.id if hall else None),
                "catalog_synced",
                "catalog",
                hall_code,
                after={"departments": sorted(added)},
                note="事件目录的处置部门",
            )
            session.commit()
    return []


def start(
    db: Database, hall_code: str, hall_name: str, demo: bool = False, directory: Path | None = None
) -> SyncReport:
    """:func:`prepare` with the shipped catalog (or ``directory``), as the program starts.

    Broken catalog files never stop the program: the database keeps its catalog and
    ``problems`` of the returned report lists what is wrong (file and field). ``skipped``
    lists the hall's own services a changed shipped catalog left alone.
    """
    try:
        catalog: Catalog | None = load_catalog(directory)
        problems = []
    except CatalogError as exc:
        catalog, problems = None, exc.problems
    report = prepare(db, catalog, hall_code, hall_name, demo=demo)
    report.problems = problems + report.problems
    return report
