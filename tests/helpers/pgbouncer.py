"""A real PgBouncer in transaction mode in front of the test PostgreSQL server.

``pgbouncer_url`` (session): starts Debian's ``pgbouncer`` on a free port of 127.0.0.1 with
every database passed through (``* = host=… port=…``) in ``pool_mode = transaction`` and a
small server pool (so server connections really are shared between clients), and gives a
function turning a direct test-database URL into the same database through the pooler.
Without the program the tests skip — in CI (``ONEWINDOW_REQUIRE_PG=1``) they fail: ``.ci/run``
installs it. PgBouncer refuses to run as root: as root it runs as ``postgres``.
Loaded by ``tests/conftest.py`` (``pytest_plugins``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

POOL_SIZE = 4  # server connections per database: fewer than the clients a test opens


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _binary() -> str | None:
    return shutil.which("pgbouncer") or next(
        (p for p in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if Path(p).exists()), None
    )


@pytest.fixture(scope="session")
def pgbouncer_url() -> Iterator[Callable[[str], str]]:
    """``to_pooler(direct_url)`` → the URL of the same database through PgBouncer."""
    from tests.conftest import PG_ADMIN_URL, REQUIRE_PG, require_pg

    require_pg()
    binary = _binary()
    if binary is None:
        message = "PgBouncer is not installed (apt-get install pgbouncer)"
        if REQUIRE_PG:
            pytest.fail(message + " (ONEWINDOW_REQUIRE_PG=1)")
        pytest.skip(message)
    server = make_url(PG_ADMIN_URL)
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="ow-pgbouncer-"))
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={server.host or '127.0.0.1'} port={server.port or 5432}"
        f" user={server.username or 'postgres'}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        "auth_type = any\npool_mode = transaction\n"
        f"default_pool_size = {POOL_SIZE}\nmax_client_conn = 500\n"
        f"logfile = {folder / 'pgbouncer.log'}\npidfile = {folder / 'pgbouncer.pid'}\n",
        encoding="utf-8",
    )
    command = [binary, "-d", str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:  # "PgBouncer should not run as root"
        shutil.chown(folder, "postgres")
        for f in folder.iterdir():
            shutil.chown(f, "postgres")
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, timeout=20)
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    else:
        pytest.fail(f"PgBouncer did not start: {(folder / 'pgbouncer.log').read_text()}")

    def to_pooler(direct: str) -> str:
        return make_url(direct).set(host="127.0.0.1", port=port).render_as_string(False)

    try:
        yield to_pooler
    finally:
        pid_file = folder / "pgbouncer.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
        shutil.rmtree(folder, ignore_errors=True)
