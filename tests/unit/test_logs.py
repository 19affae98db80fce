"""Logging set-up: one set of handlers however often it runs; a CLI message printed once."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.__main__ import main
from app.logs import setup_logging


def test_setup_logging_twice_keeps_one_set_of_handlers() -> None:
    root = logging.getLogger()
    setup_logging()
    first = [h for h in root.handlers if getattr(h, "onewindow", False)]
    setup_logging()
    second = [h for h in root.handlers if getattr(h, "onewindow", False)]
    assert len(first) == len(second) == 2
    assert not set(first) & set(second)


def test_a_command_line_problem_is_printed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "onewindow.sqlite3"
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", f"sqlite:///{missing.as_posix()}")
    assert main(["audit", "verify"]) == 2
    err = capsys.readouterr().err
    assert "没有找到数据库" in err
    assert err.count("没有找到数据库") == 1
    assert not missing.parent.exists()
