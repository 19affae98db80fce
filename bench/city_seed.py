"""The city of bench/city.py: its database, its halls, and the PgBouncer in front of it.

* :func:`create_database` / :func:`drop_database`: ``citybench_<pid>`` on the server in
  ONEWINDOW_TEST_PG (default postgres@127.0.0.1:5432).
* :func:`seed`: halls ``JX01`` … prepared as the program prepares a hall (migration, the
  hall, the shipped catalog applied to it: its queues), then in bulk ORM inserts per hall
  its clerks (role CLERK, one password hashed once), windows serving two queues each
  (their own letter first, then A), and a pool of residents for 受理. Each hall also gets
  a head row of its own for the bare-SQL chain (``bare:<id>``), so the bare mix never
  touches the hall's real chain.
* :class:`PgBouncer`: Debian's pgbouncer in transaction mode, every database passed
  through (``auth_type = any``), started as ``postgres`` when run as root (as
  tests/helpers/pgbouncer.py does); :meth:`PgBouncer.stop` is safe to call twice.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import psycopg
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from app.audit.chain import GENESIS
from app.db.models import QueueCategory, Resident, User, UserRole, Window, WindowCategory
from app.db.session import Database
from app.hall import setup
from app.people import passwords
from app.roles import Role
from forms.loader import load_catalog
from tests.helpers.people import id_number

PG_ADMIN = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
LETTERS = "ABCDEF"
RESIDENTS = 2000  # applicants of the whole city, shared by its halls


@dataclass(frozen=True)
class Counter:
    """One counter PC: its window and the clerk on duty there."""

    window_id: int
    user_id: int
    username: str
    full_name: str
    letters: str  # the queues the window serves, in priority order


@dataclass(frozen=True)
class HallPlan:
    """A seeded hall: what its clients need to act in it."""

    hall_id: int
    code: str
    counters: tuple[Counter, ...]
    category_ids: dict[str, int]


@dataclass(frozen=True)
class City:
    """The seeded city."""

    halls: tuple[HallPlan, ...]
    residents: tuple[int, ...]
    service_version_id: int  # MZ001's, for the bare mix's cases


def db_url(name: str) -> str:
    """The direct URL of database ``name`` on the bench's server."""
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def create_database(name: str) -> None:
    """A fresh, empty database ``name`` (dropped first if an earlier run left it)."""
    drop_database(name)
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    """Drop ``name`` whoever is still connected (WITH FORCE)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(url: str, halls: int, counters: int) -> City:
    """``halls`` halls of ``counters`` counters each; returns the plan clients act on."""
    db = Database(url)
    catalog = load_catalog()
    pw = passwords.hash_password("City@2026")  # argon2 is slow: one hash for every clerk
    plans = []
    try:
        for h in range(1, halls + 1):
            code = f"JX{h:02d}"
            setup.prepare(db, catalog, code, f"江西示范第{h}政务服务中心")
            plans.append(_seed_hall(db, code, counters, pw))
        residents = _seed_residents(db)
        with db.read_only() as s:
            version = s.execute(
                text(
                    "SELECT v.id FROM service_version v JOIN service_type t "
                    "ON t.id = v.service_type_id AND v.version = t.current_version "
                    "WHERE t.code = 'MZ001'"
                )
            ).scalar_one()
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO audit_head (chain, seq, hash, prev, genesis) VALUES (:c, 0, :g, '', :g)"
                ),
                [{"c": f"bare:{p.hall_id}", "g": GENESIS} for p in plans],
            )
            conn.exec_driver_sql("ANALYZE")
    finally:
        db.dispose()
    return City(tuple(plans), residents, int(version))


def _seed_hall(db: Database, code: str, counters: int, pw: str) -> HallPlan:
    with db.unit_of_work() as s:
        hall = setup.ensure_hall(s, code, code)
        cats = {
            q.letter: q.id
            for q in s.scalars(select(QueueCategory).where(QueueCategory.hall_id == hall.id))
        }
        users, windows = [], []
        for i in range(1, counters + 1):
            user = User(
                hall_id=hall.id,
                username=f"{code.lower()}_clerk{i:02d}",
                full_name=f"{code}窗口{i}号",
                password_hash=pw,
            )
            user.roles = [UserRole(role=Role.CLERK)]
            users.append(user)
            windows.append(Window(hall_id=hall.id, number=i, name=f"{i} 号窗口"))
        s.add_all([*users, *windows])
        s.flush()
        plan = []
        for i, (user, window) in enumerate(zip(users, windows, strict=True)):
            letters = LETTERS[i % len(LETTERS)] + ("A" if i % len(LETTERS) else "")
            s.add_all(
                WindowCategory(window_id=window.id, category_id=cats[letter], priority=p)
                for p, letter in enumerate(letters, start=1)
            )
            plan.append(Counter(window.id, user.id, user.username, user.full_name, letters))
        s.commit()
        return HallPlan(hall.id, code, tuple(plan), cats)


def _seed_residents(db: Database) -> tuple[int, ...]:
    with db.unit_of_work() as s:
        people = [
            Resident(
                id_number=id_number(date(1950 + i % 50, 1 + i % 12, 1 + i % 28), i, female=True),
                name=f"居民{i}",
                gender="女",
                birth_date=date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
                phone="13800138000",
                address="幸福路 1 号",
                tags=[],
            )
            for i in range(1, RESIDENTS + 1)
        ]
        s.add_all(people)
        s.commit()
        return tuple(p.id for p in people)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgBouncer:
    """Debian's pgbouncer in transaction mode in front of the bench's server."""

    BINARY = "/usr/sbin/pgbouncer"

    def __init__(self, pool_size: int, max_clients: int) -> None:
        server = make_url(PG_ADMIN)
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="citybench-pgbouncer-"))
        ini = self.folder / "pgbouncer.ini"
        ini.write_text(
            "[databases]\n"
            f"* = host={server.host or '127.0.0.1'} port={server.port or 5432}"
            f" user={server.username or 'postgres'}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            "auth_type = any\npool_mode = transaction\n"
            f"default_pool_size = {pool_size}\nmax_client_conn = {max_clients}\n"
            f"max_db_connections = {pool_size}\n"
            f"logfile = {self.folder / 'pgbouncer.log'}\npidfile = {self.folder / 'pgbouncer.pid'}\n",
            encoding="utf-8",
        )
        command = [shutil.which("pgbouncer") or self.BINARY, "-d", str(ini)]
        if os.geteuid() == 0:  # "PgBouncer should not run as root"
            shutil.chown(self.folder, "postgres")
            for f in self.folder.iterdir():
                shutil.chown(f, "postgres")
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, timeout=20)
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        log = (self.folder / "pgbouncer.log").read_text(errors="replace")
        self.stop()
        raise RuntimeError(f"PgBouncer did not start: {log}")

    @property
    def pid(self) -> int | None:
        """The daemon's process id (None once stopped)."""
        try:
            return int((self.folder / "pgbouncer.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def url(self, direct: str) -> str:
        """``direct``'s database through the pooler."""
        return make_url(direct).set(host="127.0.0.1", port=self.port).render_as_string(False)

    def stop(self) -> None:
        """SIGTERM the daemon, wait for it, remove its folder."""
        pid = self.pid
        if pid is not None:
            try:
                os.kill(pid, signal.SIGTERM)
                for _ in range(100):
                    os.kill(pid, 0)
                    time.sleep(0.05)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)
