"""A damaged SQLite file is named as such, with its path — never "check the server" (QA of issue 12).

Random bytes, a truncated real database and a real database with a damaged data page meet
the CLI and :meth:`Database.check`: the message says the file is damaged and where it is,
the exit code is 2, no traceback, and the file is left exactly as it was. The fault table
maps the other file faults (and PostgreSQL's data_corrupted) too.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import psycopg
import pytest

from app.__main__ import main
from app.db.faults import Fault, fault_of, problem_of
from app.db.session import Database
from app.errors import EnvironmentProblem
from app.hall import setup
from app.people import users

DAMAGED = (
    "数据库文件已损坏或不是本系统的数据库（本机 SQLite 文件 {path}）。请联系系统管理员从备份恢复。"
)


def _real_database(path: Path) -> None:
    db = Database(f"sqlite:///{path.as_posix()}")
    setup.prepare(db, None, "HALL", "测试大厅")
    users.create_first_admin(db, "HALL", "admin", "管理员", "Hall#Chief2026")
    db.dispose()


def _damaged(kind: str, folder: Path) -> Path:
    target = folder / "onewindow.sqlite3"
    if kind == "random":
        target.write_bytes(random.Random(20000).randbytes(20000))
        return target
    real = folder / "real" / "onewindow.sqlite3"
    real.parent.mkdir()
    _real_database(real)
    data = real.read_bytes()
    if kind == "truncated_8k":
        target.write_bytes(data[:8192])
    else:  # truncated at half, on a page boundary
        target.write_bytes(data[: len(data) // 2 // 4096 * 4096])
    return target


@pytest.mark.parametrize("kind", ["random", "truncated_8k", "truncated_half"])
def test_a_damaged_file_is_named_and_left_as_it_is(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _damaged(kind, tmp_path)
    before = path.read_bytes()
    message = DAMAGED.format(path=path.as_posix())
    url = f"sqlite:///{path.as_posix()}"
    probe = Database(url)
    with pytest.raises(EnvironmentProblem) as caught:
        probe.check()
    probe.dispose()
    assert caught.value.message == message
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", url)
    for command in (["audit", "verify"], ["db", "upgrade"], ["db", "current"]):
        assert main(command) == 2, command
        out = capsys.readouterr()
        assert message in out.err and "Traceback" not in out.err + out.out, command
        assert "网络" not in out.err and "服务器" not in out.err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["onewindow.sqlite3"] + (["real"] if kind != "random" else [])
    )  # no -wal/-shm or new file beside it


def test_a_damaged_data_page_is_named_when_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "onewindow.sqlite3"
    _real_database(path)
    with sqlite3.connect(path) as con:
        (root,) = con.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'audit_event'"
        ).fetchone()
    con.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * 4096 : root * 4096] = random.Random(27).randbytes(4096)
    path.write_bytes(bytes(data))
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", f"sqlite:///{path.as_posix()}")
    assert main(["db", "current"]) == 0  # the schema is readable
    capsys.readouterr()
    assert main(["audit", "verify"]) == 2  # the trail is not
    out = capsys.readouterr()
    assert DAMAGED.format(path=path.as_posix()) in out.err and "Traceback" not in out.err


def test_a_folder_in_place_of_the_file_cannot_be_opened(tmp_path: Path) -> None:
    folder = tmp_path / "onewindow.sqlite3"
    folder.mkdir()
    probe = Database(f"sqlite:///{folder.as_posix()}")
    with pytest.raises(EnvironmentProblem, match="无法打开数据库文件") as caught:
        probe.check()
    probe.dispose()
    assert folder.as_posix() in caught.value.message


def _sqlite_error(code: int) -> sqlite3.Error:
    error = sqlite3.DatabaseError("test")
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


@pytest.mark.parametrize(
    "code,fault",
    [
        (8, Fault.READ_ONLY),
        (10, Fault.IO),
        (522, Fault.IO),  # SQLITE_IOERR_SHORT_READ
        (11, Fault.CORRUPT),
        (13, Fault.FULL),
        (14, Fault.CANT_OPEN),
        (26, Fault.CORRUPT),
        (5, Fault.BUSY),
        (19, None),  # SQLITE_CONSTRAINT: a bug or a race, not the environment
    ],
)
def test_sqlite_file_faults_in_the_table(code: int, fault: Fault | None) -> None:
    assert fault_of(_sqlite_error(code)) is fault
    problem = problem_of(_sqlite_error(code), "本机 SQLite 文件 /x/y.sqlite3")
    if fault is not None and fault is not Fault.BUSY:
        assert problem is not None and "/x/y.sqlite3" in problem.message


def test_postgresql_data_corruption_is_in_the_table() -> None:
    for state in ("XX001", "XX002"):
        error = psycopg.errors.lookup(state)("bad page")
        assert fault_of(error) is Fault.CORRUPT
    problem = problem_of(psycopg.errors.lookup("XX001")("x"), "PostgreSQL h:5432/d")
    assert problem is not None and problem.message.startswith("数据库文件已损坏")
    assert fault_of(psycopg.errors.lookup("53100")("full")) is Fault.FULL
