"""The demo database set up by commands first, then started: sample work and approvers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.__main__ import main
from app.config import load_settings
from app.db.models import Case, UserDepartment
from ui import launch


def test_demo_made_by_commands_then_started_has_its_approvers_and_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONEWINDOW_DATA_DIR", str(tmp_path / "data"))
    assert main(["--demo", "db", "upgrade"]) == 0
    assert main(["--demo", "catalog", "sync"]) == 0
    db, report = launch.open_database(load_settings(demo=True))
    try:
        assert not report.problems
        with db.read_only() as s:
            assert s.scalar(select(func.count()).select_from(UserDepartment)) > 0
            assert s.scalar(select(func.count()).select_from(Case)) == 5
    finally:
        db.dispose()


def test_an_unexpected_error_in_a_command_is_a_sentence_and_logged(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    import app.__main__ as cli

    def broken(*_args: object) -> int:
        raise KeyError("boom")

    monkeypatch.setitem(cli.COMMANDS, ("catalog", "check"), broken)
    assert main(["catalog", "check"]) == 70
    err = capsys.readouterr().err
    assert "程序内部错误" in err and "Traceback" not in err and "boom" not in err
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)
