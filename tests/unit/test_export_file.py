"""Exports appear whole or not at all, and a killed export's temporary file is swept up.

QA: saving the hall report over an existing report.pdf on a nearly full disk left a
truncated PDF and destroyed the old one (``Path.write_bytes``); killing the program during
an Excel export left ``.~doc0w_7d.xlsx.part`` (0600) in the folder for ever.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from app.errors import ValidationError
from app.reports import excel, export_file
from app.reports.tables import Column, Kind, Table
from tests.helpers.full_disk import disk_fills_after

ROOT = Path(__file__).resolve().parents[2]
OLD = b"%PDF-1.4 the report saved last month\n" * 100
TABLES = [Table("t", "表", (Column("部门"), Column("件数", Kind.INT)), [("民政局", 3)])]


def _part_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".part")]


def test_a_disk_full_midway_keeps_the_old_report_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(OLD)
    new = b"%PDF-1.4 " + os.urandom(300_000)  # several chunks: the disk fills in the middle
    with monkeypatch.context() as m:
        disk_fills_after(m, 100_000)
        with pytest.raises(ValidationError) as full:
            export_file.write_bytes(target, new)
    assert full.value.field == "path" and full.value.message == "无法保存文件：磁盘空间已满"
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]
    export_file.write_bytes(target, new)  # room again: the whole new file, 0644
    assert target.read_bytes() == new
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_a_disk_full_while_the_workbook_is_saved_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "统计.xlsx"
    assert excel.write_workbook(TABLES, target)
    before = target.read_bytes()

    def half_then_full(_wb: openpyxl.Workbook, path: Path) -> None:
        Path(path).write_bytes(before[: len(before) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(openpyxl.Workbook, "save", half_then_full)
    with pytest.raises(ValidationError) as full:
        excel.write_workbook(TABLES, target)
    assert full.value.message == "无法保存文件：磁盘空间已满"
    assert target.read_bytes() == before and _part_files(tmp_path) == []


def test_the_report_gets_the_workbooks_refusals_in_chinese(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(OLD)
    target.chmod(0o444)
    with pytest.raises(ValidationError) as read_only:
        export_file.write_bytes(target, b"%PDF new")
    assert read_only.value.message == "文件 report.pdf 为只读，不能覆盖，请另选文件名。"
    assert target.read_bytes() == OLD
    missing = tmp_path / "没有这个文件夹"
    with pytest.raises(ValidationError) as gone:
        export_file.write_bytes(missing / "report.pdf", b"%PDF new")
    assert gone.value.message == f"文件夹 {missing} 不存在，请另选保存位置。"
    with pytest.raises(ValidationError) as gone_too:
        excel.write_workbook(TABLES, missing / "统计.xlsx")
    assert gone_too.value.message == gone.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_the_temporary_file_is_named_as_the_programs_own(tmp_path: Path) -> None:
    seen: list[str] = []

    def progress(_i: int, _n: int, _t: str) -> bool:
        seen.extend(_part_files(tmp_path))
        return True

    assert excel.write_workbook(TABLES, tmp_path / "统计.xlsx", progress)
    assert seen and all(export_file.is_leftover_name(name) for name in seen), seen
    assert all(name.startswith(".onewindow-") for name in seen)
    assert _part_files(tmp_path) == []


def _aged(path: Path, minutes: float) -> Path:
    then = time.time() - minutes * 60
    os.utime(path, (then, then))
    return path


@pytest.fixture
def folder_with_leftovers(tmp_path: Path) -> Iterator[Path]:
    """A shared folder: old and fresh temporary exports, and other people's files."""
    for name, minutes in (
        (".onewindow-k3j9_x0a.part", 11),  # a killed export: swept
        (".~doc0w_7d.xlsx.part", 60),  # a killed export of the version before: swept
        (".onewindow-fresh000.part", 5),  # another PC exporting right now: kept
        ("report.part", 60),  # a download, a browser's: not ours
        (".onewindow-k3j9_x0a.part.bak", 60),
        (".onewindow-toolong99.part.pdf", 60),
        (".~lock.统计.xlsx#", 60),  # LibreOffice's lock file
    ):
        (tmp_path / name).write_bytes(b"")
        _aged(tmp_path / name, minutes)
    (tmp_path / ".onewindow-folder00.part").mkdir()
    _aged(tmp_path / ".onewindow-folder00.part", 60)
    yield tmp_path


def test_an_export_sweeps_up_old_leftovers_and_nothing_else(folder_with_leftovers: Path) -> None:
    folder = folder_with_leftovers
    others = sorted(p.name for p in folder.iterdir())
    assert excel.write_workbook(TABLES, folder / "统计.xlsx")
    gone = {".onewindow-k3j9_x0a.part", ".~doc0w_7d.xlsx.part"}
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [n for n in others if n not in gone] + ["统计.xlsx"]
    )
    _aged(folder / ".onewindow-fresh000.part", 10.5)  # the other PC's, now abandoned too
    export_file.write_bytes(folder / "report.pdf", b"%PDF")
    assert ".onewindow-fresh000.part" not in {p.name for p in folder.iterdir()}
    assert (folder / ".onewindow-folder00.part").is_dir() and (folder / "report.part").exists()


KILLED_EXPORT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from app.reports import excel
    from app.reports.tables import Column, Table

    def progress(i, n, title):
        print("writing", flush=True)
        time.sleep(3600)  # killed here, its temporary file open

    tables = [Table("t", "表", (Column("部门"),), [("民政局",)])]
    excel.write_workbook(tables, Path(sys.argv[1]), progress)
""")


def test_a_killed_export_leaves_a_leftover_the_next_export_removes(tmp_path: Path) -> None:
    target = tmp_path / "统计.xlsx"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_EXPORT, str(target)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "writing\n"
    finally:
        child.kill()
        child.wait()
        if child.stdout is not None:
            child.stdout.close()
    [left] = tmp_path.iterdir()
    assert export_file.is_leftover_name(left.name), left.name
    assert excel.write_workbook(TABLES, target)  # minutes later: still someone's export
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([left.name, "统计.xlsx"])
    _aged(left, 11)
    assert excel.write_workbook(TABLES, target)
    assert [p.name for p in tmp_path.iterdir()] == ["统计.xlsx"]
