"""Writing catalog files into the database: the hall's own sync and the start-up sync.

The database is the catalog's source of truth: what counters use is the current version
of each service in it. Two ways change it:

* :func:`sync_catalog` — ``onewindow catalog sync [PATH]``, the hall's administrator on
  purpose: the files win. A changed service gets a new version, a service missing from the
  files is retired (never deleted).
* :func:`apply_shipped` — every program start, with the catalog shipped in the program.
  Only when the shipped files changed since they were last applied to this hall (the
  digest kept in ``catalog_applied``), and even then it never undoes the hall: a service
  whose current version is not what the shipped files last said (the hall synced its own)
  keeps it; a service the hall added, or retired, stays so. Those are reported as skipped.

Cases keep the version they were accepted under, so neither ever changes an accepted case.

Each is one transaction: a write the database still refuses (the schema in
:mod:`forms.schema` should let none through) rolls the whole sync back and becomes
:class:`CatalogWriteFailed`, a Chinese message — never a traceback, never half a catalog.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from sqlalchemy import and_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import audit
from app.actor import SYSTEM
from app.db.models import (
    CatalogApplied,
    Department,
    Hall,
    QueueCategory,
    ServiceType,
    ServiceVersion,
)
from app.db.session import Database
from app.errors import EnvironmentProblem
from app.logs import SHOWN
from forms.loader import Catalog, CatalogProblem, CatalogService

log = logging.getLogger(__name__)


class CatalogWriteFailed(EnvironmentProblem):
    """The database refused the catalog; the sync was rolled back as a whole."""


@contextmanager
def _one_transaction(hall_code: str) -> Iterator[None]:
    """Turn a database error of a sync (already rolled back) into CatalogWriteFailed."""
    try:
        yield
    except SQLAlchemyError as exc:
        # The traceback goes to the log file only (SHOWN): the person reads the message.
        log.error("catalog sync into hall %s failed", hall_code, exc_info=True, extra={SHOWN: True})
        raise CatalogWriteFailed(
            "目录写入数据库失败，已全部撤销，数据库中的目录没有改变。详细原因已记入日志。",
            f"{type(exc).__name__}: {exc}",
        ) from exc


@dataclass
class SyncReport:
    """What a catalog sync changed, what it left alone, and what was wrong with the files."""

    new_services: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # the hall's own, kept (with why)
    problems: list[CatalogProblem] = field(default_factory=list)  # files not applied

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(self.new_services or self.new_versions or self.retired)

    @property
    def needs_attention(self) -> bool:
        """Whether an administrator should read it (broken files, or shipped changes skipped)."""
        return bool(self.problems or self.skipped)


class _Writer:
    """One sync's view of the database: departments, services and their current versions."""

    def __init__(self, session: Session, hall_code: str) -> None:
        self.session = session
        hall = session.scalar(select(Hall).where(Hall.code == hall_code))
        if hall is None:
            raise EnvironmentProblem(f"大厅 {hall_code} 不存在。")
        self.hall = hall
        self.depts = {d.code: d for d in session.scalars(select(Department))}
        self.types = {t.code: t for t in session.scalars(select(ServiceType))}
        current = select(ServiceVersion).join(
            ServiceType,
            and_(
                ServiceVersion.service_type_id == ServiceType.id,
                ServiceVersion.version == ServiceType.current_version,
            ),
        )
        self.digests = {v.service_type_id: v.digest for v in session.scalars(current)}

    def digest_of(self, code: str) -> str | None:
        """The digest of the service's current version (None: no such service)."""
        st = self.types.get(code)
        return self.digests.get(st.id) if st is not None else None

    def department(self, code: str, name: str) -> Department:
        found = self.depts.get(code)
        if found is None:
            found = self.depts[code] = Department(code=code, name=name)
            self.session.add(found)
            self.session.flush()
        return found

    def queues(self, catalog: Catalog) -> None:
        """Queue letters the hall lacks are added (a queue is never removed by a sync)."""
        have = set(
            self.session.scalars(
                select(QueueCategory.letter).where(QueueCategory.hall_id == self.hall.id)
            )
        )
        for order, qc in enumerate(catalog.queue_categories):
            if qc.letter not in have:
                self.session.add(
                    QueueCategory(
                        hall_id=self.hall.id, letter=qc.letter, name=qc.name, sort_order=order
                    )
                )

    def write(self, code: str, svc: CatalogService, report: SyncReport) -> None:
        """Make ``svc`` the current version of ``code`` (a new service or a new version)."""
        d = svc.definition
        st = self.types.get(code)
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
            self.session.add(st)
            self.types[code] = st
            report.new_services.append(code)
        else:
            report.new_versions.append(f"{code} v{st.current_version + 1}")
        st.name, st.queue_letter, st.kind = d.name, d.queue_category, d.kind.value
        st.promised_days, st.active = d.promised_days, True
        st.department_id = self.department(svc.department.code, svc.department.name).id
        st.current_version += 1
        self.session.flush()
        self.session.add(
            ServiceVersion(
                service_type_id=st.id,
                version=st.current_version,
                digest=svc.digest,
                definition=d.model_dump(mode="json"),
                source_file=svc.file,
                file_version=svc.file_version,
            )
        )
        self.digests[st.id] = svc.digest

    def audit(self, report: SyncReport, source: str) -> None:
        if report.changed or report.skipped:
            audit.record(
                self.session,
                replace(SYSTEM, hall_id=self.hall.id),
                "catalog_synced",
                "catalog",
                self.hall.code,
                after={
                    "source": source,
                    "new": report.new_services,
                    "versions": report.new_versions,
                    "retired": report.retired,
                    "skipped": report.skipped,
                },
            )

    def remember(self, catalog: Catalog) -> None:
        """Record ``catalog`` as the shipped catalog last applied to this hall."""
        applied = self.session.get(CatalogApplied, self.hall.id)
        if applied is None:
            applied = CatalogApplied(hall_id=self.hall.id)
            self.session.add(applied)
        applied.digest = catalog.digest()
        applied.services = {code: svc.digest for code, svc in catalog.services.items()}
        applied.departments = {code: d.name for code, d in catalog.departments.items()}


def sync_catalog(
    db: Database, catalog: Catalog, hall_code: str, shipped: bool = False
) -> SyncReport:
    """The hall's sync: the files win (new services, new versions, the rest retired).

    ``shipped``: the files are the program's own catalog, which is then recorded as
    applied to this hall (the next start has nothing to do). Raises EnvironmentProblem if
    the hall does not exist, CatalogWriteFailed (nothing written) if the database refuses.
    """
    report = SyncReport()
    with _one_transaction(hall_code), db.unit_of_work() as session:
        w = _Writer(session, hall_code)
        for code, ddef in catalog.departments.items():
            w.department(code, ddef.name).name = ddef.name
        w.queues(catalog)
        for code, svc in catalog.services.items():
            st = w.types.get(code)
            if st is not None and w.digest_of(code) == svc.digest:
                st.active = True
            else:
                w.write(code, svc, report)
        for code, st in w.types.items():
            if code not in catalog.services and st.active:
                st.active = False
                report.retired.append(code)
        if shipped:
            w.remember(catalog)
        w.audit(report, "shipped" if shipped else "hall")
        session.commit()
    return report


def apply_shipped(db: Database, catalog: Catalog, hall_code: str) -> SyncReport:
    """The start-up sync of the shipped catalog; never undoes what the hall synced itself.

    Nothing happens when the shipped files are what was last applied to this hall. Else,
    per service: new in the files → added; its current version is what the files last said
    (or the database has none) → the files' new version; anything else (the hall's own
    version, a service the hall retired or added) → kept and listed in ``skipped``.
    A hall without a record (a database from before records were kept) treats every
    difference as the hall's own. Raises EnvironmentProblem if the hall does not exist,
    CatalogWriteFailed (nothing written) if the database refuses.
    """
    report = SyncReport()
    with _one_transaction(hall_code), db.unit_of_work() as session:
        w = _Writer(session, hall_code)
        before = session.get(CatalogApplied, w.hall.id)
        if before is not None and before.digest == catalog.digest():
            return report
        said = dict(before.services) if before is not None else {}
        named = dict(before.departments) if before is not None else {}
        for code, ddef in catalog.departments.items():
            dept = w.department(code, ddef.name)
            if dept.name != ddef.name and named.get(code) == dept.name:
                dept.name = ddef.name
        w.queues(catalog)
        for code, svc in catalog.services.items():
            st, now = w.types.get(code), w.digest_of(code)
            if st is None:
                w.write(code, svc, report)
            elif now == svc.digest and st.active:
                continue
            elif not st.active:
                report.skipped.append(f"{code}：本馆已停用，未按出厂目录恢复")
            elif now == said.get(code):
                w.write(code, svc, report)
            else:
                report.skipped.append(f"{code}：使用本馆同步的版本，未采用出厂目录的新版本")
        for code, st in w.types.items():
            if code in catalog.services or not st.active:
                continue
            if code in said and w.digest_of(code) == said[code]:
                st.active = False
                report.retired.append(code)
            else:
                report.skipped.append(f"{code}：本馆增加的事项，出厂目录中没有，继续使用")
        w.remember(catalog)
        w.audit(report, "shipped")
        session.commit()
    return report
