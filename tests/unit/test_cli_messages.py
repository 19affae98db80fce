"""The command line speaks Chinese when a command is wrong, and a failed command leaves no folder.

(QA of issue 12.) argparse's English "invalid choice" / "the following arguments are
required" become Chinese with the usage line, exit 2; a command that fails before doing
anything on a PC without the program creates no log folder (the program itself does).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.__main__ import main
from app.logs import setup_logging


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    out = capsys.readouterr()
    return int(caught.value.code or 0), out.out, out.err


@pytest.mark.parametrize(
    "argv,expected",
    [
        (
            ["frobnicate"],
            "onewindow：错误：无效的命令 'frobnicate'（可选：'db', 'catalog', 'audit'）",
        ),
        (
            ["db", "downgrade"],
            "onewindow db：错误：无效的命令 'downgrade'（可选：'upgrade', 'current'）",
        ),
        (["db"], "onewindow db：错误：缺少子命令"),
        (["audit"], "onewindow audit：错误：缺少子命令"),
        (["audit", "verify", "--bogus"], "onewindow：错误：无法识别的参数：--bogus"),
        (["--kiosk", "--display"], "参数 --display 不能与 --kiosk 同时使用"),
    ],
)
def test_a_wrong_command_is_told_in_chinese(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(argv, capsys)
    assert code == 2 and out == ""
    assert expected in err
    assert err.startswith("用法：onewindow")
    for english in ("usage:", "invalid choice", "required", "unrecognized", "not allowed"):
        assert english not in err


def test_help_is_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(["-h"], capsys)
    assert code == 0
    assert out.startswith("用法：onewindow") and "\n选项：" in out and "显示本帮助并退出" in out
    assert "usage:" not in out and "options:" not in out


def test_a_failing_command_creates_no_log_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    logs = tmp_path / "logs" / "OneWindow"
    monkeypatch.setenv("ONEWINDOW_LOG_DIR", str(logs))
    missing = tmp_path / "data" / "onewindow.sqlite3"
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", f"sqlite:///{missing.as_posix()}")
    for command in (["audit", "verify"], ["db", "current"], ["catalog", "sync"]):
        assert main(command) == 2
        assert "没有找到数据库" in capsys.readouterr().err
    assert not logs.parent.exists() and not missing.parent.exists()

    logs.mkdir(parents=True)  # where the program has run, the command's log goes to the file
    assert main(["audit", "verify"]) == 2
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "没有找到数据库" in (logs / "onewindow.log").read_text(encoding="utf-8")


def test_the_program_makes_its_log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    logs = tmp_path / "new" / "log"
    monkeypatch.setenv("ONEWINDOW_LOG_DIR", str(logs))
    assert setup_logging() == str(logs / "onewindow.log")
    assert logs.is_dir()
    other = tmp_path / "absent"
    monkeypatch.setenv("ONEWINDOW_LOG_DIR", str(other))
    assert setup_logging(create_folder=False) == ""
    assert not other.exists()
