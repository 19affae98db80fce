"""Shared fixtures: one ``db`` fixture, two backends.

* Qt runs offscreen; config, data and log folders are redirected into a temporary folder
  before anything reads them.
* ``db`` is parametrized over SQLite and PostgreSQL. Each backend has a template database
  migrated and prepared once per run (catalog synced, demo hall and users); every test gets
  a fresh copy (file copy / ``CREATE DATABASE … TEMPLATE``) and it is dropped afterwards.
* PostgreSQL comes from ``ONEWINDOW_TEST_PG`` (default: the local server as ``postgres``).
  If it cannot be reached the PostgreSQL tests skip — unless ``ONEWINDOW_REQUIRE_PG=1``
  (set by ``.ci/run``), where they fail.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TMP = Path(tempfile.mkdtemp(prefix="onewindow-tests-"))
for _var, _sub in (
    ("ONEWINDOW_CONFIG_DIR", "config"),
    ("ONEWINDOW_DATA_DIR", "data"),
    ("ONEWINDOW_LOG_DIR", "log"),
):
    os.environ[_var] = str(_TMP / _sub)
os.environ.pop("ONEWINDOW_DATABASE_URL", None)

import psycopg  # noqa: E402
import pytest  # noqa: E402
from psycopg import sql  # noqa: E402

from app.db.session import Database  # noqa: E402
from app.hall import setup  # noqa: E402
from forms.loader import Catalog, load_catalog  # noqa: E402

PG_ADMIN_URL = os.environ.get("ONEWINDOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUIRE_PG = os.environ.get("ONEWINDOW_REQUIRE_PG") == "1"
# The PostgreSQL tests once more, each database reached through PgBouncer in transaction
# mode (.ci/run): ONEWINDOW_TEST_THROUGH_PGBOUNCER=1 (tests marked direct_pg are left out).
THROUGH_PGBOUNCER = os.environ.get("ONEWINDOW_TEST_THROUGH_PGBOUNCER") == "1"
if THROUGH_PGBOUNCER:
    os.environ["ONEWINDOW_POOLER"] = "pgbouncer"  # the commands a test runs, as a hall sets it
RUN_ID = uuid.uuid4().hex[:8]
HALL = setup.DEMO_HALL[0]
BACKENDS = ["sqlite", "postgresql"]
pytest_plugins = ["tests.helpers.s3", "tests.helpers.pgbouncer"]  # moto S3; PgBouncer


def _pg_conninfo(dbname: str | None = None) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(PG_ADMIN_URL)
    if dbname:
        url = url.set(database=dbname)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_admin() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(_pg_conninfo(), autocommit=True, connect_timeout=5)


def pg_available() -> bool:
    """Whether the test PostgreSQL server answers."""
    try:
        with _pg_admin():
            return True
    except psycopg.OperationalError:
        return False


def require_pg() -> None:
    """Skip (or, in CI, fail) a PostgreSQL test when no server answers."""
    if not pg_available():
        message = f"PostgreSQL not reachable at {PG_ADMIN_URL}"
        if REQUIRE_PG:
            pytest.fail(message + " (ONEWINDOW_REQUIRE_PG=1)")
        pytest.skip(message)


def create_pg_database(name: str, template: str | None = None) -> str:
    """Create a database (optionally from a template); returns its SQLAlchemy URL."""
    with _pg_admin() as conn:
        if template:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return _pg_conninfo(name).replace("postgresql://", "postgresql+psycopg://", 1)


def drop_pg_database(name: str) -> None:
    """Drop a test database, disconnecting anyone still on it."""
    with _pg_admin() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(autouse=True)
def _this_pc_forgotten() -> Iterator[None]:
    """Each test starts on a PC that remembers nothing (``this_pc.ini``: scanner folder,
    tickets a rating screen timed out on): ticket ids repeat in every test's fresh database."""
    (_TMP / "config" / "this_pc.ini").unlink(missing_ok=True)
    yield


@pytest.fixture(autouse=True)
def _root_log_handlers() -> Iterator[None]:
    """``main()`` adds its log handlers to the root logger; remove them after each test.

    Its stderr handler writes to the test's captured stream, closed once the test ends: a
    later test's log record would fail on it ("Logging error") inside that test's output.
    """
    root = logging.getLogger()
    kept = list(root.handlers)
    yield
    for handler in root.handlers[:]:
        if handler not in kept:
            root.removeHandler(handler)
            handler.close()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The shipped catalog, loaded once."""
    return load_catalog()


class _Templates:
    """Prepared template databases, one per backend, made on first use."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.sqlite_file: Path | None = None
        self.pg_name: str | None = None
        self.counter = 0

    def sqlite(self) -> Path:
        if self.sqlite_file is None:
            path = _TMP / "template.sqlite3"
            db = Database(f"sqlite:///{path.as_posix()}")
            setup.prepare(db, self.catalog, HALL, setup.DEMO_HALL[1], demo=True)
            db.dispose()  # closing the last connection checkpoints the WAL
            self.sqlite_file = path
        return self.sqlite_file

    def postgresql(self) -> str:
        if self.pg_name is None:
            name = f"ow_tmpl_{RUN_ID}"
            db = Database(create_pg_database(name))
            setup.prepare(db, self.catalog, HALL, setup.DEMO_HALL[1], demo=True)
            db.dispose()
            self.pg_name = name
        return self.pg_name

    def fresh(self, backend: str) -> tuple[str, str]:
        """A URL to a new copy of the template, and the name to drop it by."""
        self.counter += 1
        if backend == "sqlite":
            target = _TMP / f"t{self.counter}.sqlite3"
            source = self.sqlite()
            shutil.copyfile(source, target)
            if Path(f"{source}-wal").exists():
                shutil.copyfile(f"{source}-wal", f"{target}-wal")
            return f"sqlite:///{target.as_posix()}", str(target)
        name = f"ow_t_{RUN_ID}_{self.counter}"
        return create_pg_database(name, template=self.postgresql()), name

    def cleanup(self) -> None:
        if self.pg_name is not None:
            drop_pg_database(self.pg_name)


@pytest.fixture(scope="session")
def templates(catalog: Catalog) -> Iterator[_Templates]:
    """Session-wide template databases (dropped at the end)."""
    t = _Templates(catalog)
    yield t
    t.cleanup()
    shutil.rmtree(_TMP, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``; PostgreSQL is required in CI."""
    if request.param == "postgresql":
        require_pg()
    return str(request.param)


@pytest.fixture
def db(backend: str, templates: _Templates, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A fresh prepared database (demo hall, catalog, demo users) on ``backend``."""
    url, handle = templates.fresh(backend)
    if backend == "postgresql" and THROUGH_PGBOUNCER:
        if request.node.get_closest_marker("direct_pg"):
            drop_pg_database(handle)
            pytest.skip("needs a direct PostgreSQL connection")
        database = Database(request.getfixturevalue("pgbouncer_url")(url), pooler=True)
    else:
        database = Database(url)
    yield database
    database.dispose()
    if backend == "postgresql":
        drop_pg_database(handle)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(handle + suffix).unlink(missing_ok=True)


@pytest.fixture
def empty_db(backend: str) -> Iterator[Database]:
    """An empty database (no tables) on ``backend``."""
    if backend == "sqlite":
        path = _TMP / f"empty-{uuid.uuid4().hex[:8]}.sqlite3"
        database = Database(f"sqlite:///{path.as_posix()}")
        yield database
        database.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        name = f"ow_e_{RUN_ID}_{uuid.uuid4().hex[:6]}"
        database = Database(create_pg_database(name))
        yield database
        database.dispose()
        drop_pg_database(name)
