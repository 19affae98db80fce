"""First start on a new Linux PC: missing window libraries are named, missing sound is a warning.

The window check is tried on a real shared library whose dependency was removed (built
here with the C compiler), and on ``ldd`` text as Debian prints it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.config import Settings
from app.db.models import Window
from app.errors import EnvironmentProblem
from app.hall import devices
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import calling, queueing, windows
from ui import platform_check, selftest
from ui.context import AppContext
from ui.display.hall_display import HallDisplay
from ui.display.silent import SilentAnnouncer

LDD_ON_A_FRESH_DEBIAN = """\
\tlinux-vdso.so.1 (0x00007ffd3a5f2000)
\tlibQt6XcbQpa.so.6 => /opt/onewindow/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f0c1a000000)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007f0c19ff0000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f0c19fe0000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007f0c19fd0000)
\tlibxcb-keysyms.so.1 => not found
\tlibEGL.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0c19c00000)
"""


def test_ldd_output_gives_each_missing_library_once() -> None:
    missing = platform_check.missing_in_ldd(LDD_ON_A_FRESH_DEBIAN)
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libEGL.so.1"]
    text = platform_check.message(missing)
    assert "libxcb-icccm.so.4、libxcb-keysyms.so.1、libEGL.so.1" in text
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1 libegl1" in text
    assert platform_check.missing_in_ldd("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libEGL.so.1", "libegl1"),
        ("libpulse.so.0", "libpulse0"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
        ("libQt6XcbQpa.so.6", None),  # comes with the program, not from apt
    ],
)
def test_debian_package_names(soname: str, package: str | None) -> None:
    assert platform_check.debian_package(soname) == package


def test_a_broken_qt_bundle_is_told_to_reinstall() -> None:
    text = platform_check.message(["libQt6XcbQpa.so.6", "libxcb-icccm.so.4"])
    assert "sudo apt-get install libxcb-icccm4" in text and "重新安装一窗通办" in text


@pytest.mark.parametrize(
    ("env", "platform", "checked"),
    [
        ({}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb:nograb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
        ({"XDG_SESSION_TYPE": "wayland"}, "linux", False),
        ({}, "win32", False),
    ],
)
def test_only_where_qt_will_use_xcb(env: dict[str, str], platform: str, checked: bool) -> None:
    assert platform_check.uses_xcb(env, platform) is checked


@pytest.fixture
def broken_plugin(tmp_path: Path) -> Path:
    """A shared library linked against ``libxcb-onewindow-test.so.4``, which is then removed."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None or not sys.platform.startswith("linux"):
        pytest.skip("needs a C compiler on Linux")
    dep = tmp_path / "libxcb-onewindow-test.so.4"
    (tmp_path / "dep.c").write_text("int onewindow_dep(void) { return 1; }\n")
    (tmp_path / "plugin.c").write_text(
        "int onewindow_dep(void);\nint plugin(void) { return onewindow_dep(); }\n"
    )
    subprocess.run(
        [cc, "-shared", "-fPIC", "-o", str(dep), str(tmp_path / "dep.c"),
         "-Wl,-soname,libxcb-onewindow-test.so.4"],
        check=True,
    )  # fmt: skip
    plugin = tmp_path / "platforms" / "libqxcb.so"
    plugin.parent.mkdir()
    subprocess.run(
        [cc, "-shared", "-fPIC", "-o", str(plugin), str(tmp_path / "plugin.c"), str(dep)],
        check=True,
    )
    dep.unlink()
    return plugin


def test_a_plugin_with_a_missing_library_is_named(broken_plugin: Path) -> None:
    assert platform_check.missing_libraries(broken_plugin) == ["libxcb-onewindow-test.so.4"]


def test_a_plugin_that_loads_costs_no_ldd(tmp_path: Path) -> None:
    def ldd(_path: Path) -> str:
        raise AssertionError("ldd must run only when loading fails")

    assert platform_check.missing_libraries(platform_check.xcb_plugin(), ldd) == []
    assert platform_check.missing_libraries(tmp_path / "none.so", ldd) == []  # no plugin


def test_the_program_stops_with_the_message_before_qt_aborts(
    broken_plugin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import launch

    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(platform_check, "xcb_plugin", lambda: broken_plugin)
    created: list[object] = []
    monkeypatch.setattr(launch, "QApplication", lambda *a: created.append(a))
    with pytest.raises(EnvironmentProblem) as problem:
        launch.run(Settings(database_url="sqlite://", hall_code="DEMO"))
    assert problem.value.message.startswith("无法打开程序窗口：本机缺少图形界面")
    assert "libxcb-onewindow-test.so.4" in problem.value.message
    assert "sudo apt-get install libxcb-onewindow-test4" in problem.value.message
    assert created == []  # stopped before the QApplication


def test_self_test_without_sound_passes_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # What a PC without libpulse0 sees: QtMultimedia (and so QtTextToSpeech) cannot load.
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    assert selftest.run() == 0
    out = capsys.readouterr().out
    assert "[警告] 叫号语音：声音系统不可用" in out
    assert "sudo apt-get install libpulse0" in out
    assert "[失败]" not in out
    assert out.rstrip().endswith("自检通过，有 1 项警告：叫号语音。")


def test_the_display_works_silently_without_sound(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ui.display.announcer", None)  # its Qt modules won't load
    hall = queueing.hall_by_code(ctx.db, "DEMO").id
    display = HallDisplay(ctx, hall)
    qtbot.addWidget(display)
    assert isinstance(display.announcer, SilentAnnouncer)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    queueing.issue_ticket(ctx.db, queueing.kiosk_actor(hall), "A")
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    with ctx.db.unit_of_work() as s:
        w1 = int(s.scalars(select(Window.id).where(Window.number == 1)).one())
    windows.open_window(ctx.db, clerk, w1)
    with qtbot.waitSignal(display.announcer.spoken, timeout=10_000):
        calling.call_next(ctx.db, clerk, w1)
    # Said to the log and the supervisor, not on the public screen (issue 14).
    assert display.banner.isHidden() and display.voice_problem == devices.NO_SOUND
    qtbot.waitUntil(lambda: display.recent.count() == 1)
    assert display.recent.item(0).text() == "A001 → 1 号窗口"
    display.shutdown()
