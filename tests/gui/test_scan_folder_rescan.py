"""The scanner folder: a file is taken when its (size, mtime) holds, and again when it changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui.counter import scan_folder
from ui.counter.scan_folder import ScanFolderWatcher


def _watcher(qtbot: QtBot, folder: Path) -> tuple[ScanFolderWatcher, list[Path]]:
    watcher = ScanFolderWatcher(folder)
    got: list[Path] = []
    watcher.arrived.connect(got.append)
    watcher.stop()  # the test drives the checks itself: no timing in the assertions
    return watcher, got


def _write(path: Path, data: bytes, mtime: float) -> None:
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))


def test_a_file_is_taken_only_after_two_unchanged_checks(qtbot: QtBot, tmp_path: Path) -> None:
    watcher, got = _watcher(qtbot, tmp_path)
    scan = tmp_path / "scan0001.tif"
    _write(scan, b"II*\x00" + b"1" * 100, 1_000)
    watcher._look()
    watcher._settle()
    assert got == []  # unchanged once
    _write(scan, b"II*\x00" + b"1" * 200, 1_001)  # still being written
    watcher._settle()
    watcher._settle()
    assert got == []  # unchanged once since it grew
    watcher._settle()
    assert got == [scan]
    watcher._look()
    watcher._settle()
    watcher._settle()
    assert got == [scan]  # taken once while it stays as it is


def test_a_half_written_scan_is_offered_again_when_complete(qtbot: QtBot, tmp_path: Path) -> None:
    watcher, got = _watcher(qtbot, tmp_path)
    scan = tmp_path / "scan0002.pdf"
    _write(scan, b"%PDF-1.4\n half", 2_000)  # the scanner pauses ~4 s here
    watcher._look()
    for _ in range(scan_folder.STABLE_CHECKS):
        watcher._settle()
    assert got == [scan]  # taken half-written (the dialog refuses it as broken)
    _write(scan, b"%PDF-1.4\n half and the rest of the file", 2_004)
    watcher._look()  # a poll or a change notice
    for _ in range(scan_folder.STABLE_CHECKS):
        watcher._settle()
    assert got == [scan, scan]  # its second chance, now complete


def test_a_reused_file_name_is_a_new_scan(qtbot: QtBot, tmp_path: Path) -> None:
    scan = tmp_path / "scan.jpg"
    _write(scan, b"\xff\xd8\xff yesterday", 3_000)
    watcher, got = _watcher(qtbot, tmp_path)
    watcher._look()
    watcher._settle()
    assert got == []  # there before the dialog opened: left alone
    scan.unlink()
    watcher._look()  # the deletion is noticed
    _write(scan, b"\xff\xd8\xff yesterday", 3_000)  # same bytes, even the same mtime
    watcher._look()
    for _ in range(scan_folder.STABLE_CHECKS):
        watcher._settle()
    assert got == [scan]
    scan.unlink()  # deleted and written again between two looks: a new mtime tells
    _write(scan, b"\xff\xd8\xff second applicant", 3_100)
    watcher._look()
    for _ in range(scan_folder.STABLE_CHECKS):
        watcher._settle()
    assert got == [scan, scan]


def test_the_timers_take_a_completed_scan_twice(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_folder, "SETTLE_MS", 30)
    monkeypatch.setattr(scan_folder, "POLL_MS", 60)
    watcher = ScanFolderWatcher(tmp_path)
    scan = tmp_path / "scan0003.png"
    with qtbot.waitSignal(watcher.arrived, timeout=10_000) as first:
        _write(scan, b"\x89PNG\r\n\x1a\n half", 4_000)
    assert first.args == [scan]
    with qtbot.waitSignal(watcher.arrived, timeout=10_000) as second:
        _write(scan, b"\x89PNG\r\n\x1a\n half and the rest", 4_004)
    assert second.args == [scan]
    watcher.stop()


def test_temporary_and_system_files_in_the_folder_are_no_scans() -> None:
    from ui.counter.scan_folder import _scratch

    for name in ("~scan.tmp", "scan0001.tmp", "Thumbs.db", "desktop.ini", ".DS_Store", "a.part"):
        assert _scratch(name), name
    for name in ("scan0001.jpg", "扫描件.pdf", "IMG_2026.PNG"):
        assert not _scratch(name), name
