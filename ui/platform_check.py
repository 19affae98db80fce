"""Before the first Qt window on Linux: are the system libraries of Qt's xcb plugin there?

When Qt cannot load its platform plugin it aborts the whole process (SIGABRT, exit code
134), and its message blames ``libxcb-cursor0`` whatever is really missing. So before the
QApplication exists, :func:`require_window_libraries` loads the xcb plugin itself: loading it
is what Qt would do a moment later anyway, so on a good PC this costs almost nothing. Only
when that fails is ``ldd`` asked for every missing library, and the program stops with a
Chinese message naming them and the ``apt-get`` command that installs them.

Checked only where Qt will use xcb: Linux, ``QT_QPA_PLATFORM`` unset (outside a Wayland
session) or ``xcb``. Anything unexpected (no plugin file, no ``ldd``, a load failure that
is not a missing library) lets Qt start as before: this check never blocks a PC that works.
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from app.errors import EnvironmentProblem

log = logging.getLogger(__name__)

PLUGIN = Path("platforms") / "libqxcb.so"
LDD_TIMEOUT_S = 10
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)
# Debian/Ubuntu package names that the usual rule (libfoo.so.1 → libfoo1) does not give.
_PACKAGES = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgcc_s.so.1": "libgcc-s1",
    "libz.so.1": "zlib1g",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
}


def uses_xcb(environ: Mapping[str, str], platform: str) -> bool:
    """Whether Qt will try its xcb plugin first on this system."""
    if not platform.startswith("linux"):
        return False
    wanted = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if wanted:
        return wanted == "xcb"
    return environ.get("XDG_SESSION_TYPE", "") != "wayland"


def missing_in_ldd(output: str) -> list[str]:
    """The libraries ``ldd`` reports as ``not found``, each once, in its order."""
    return list(dict.fromkeys(_NOT_FOUND.findall(output)))


def debian_package(soname: str) -> str | None:
    """The Debian/Ubuntu package holding ``soname`` (``libxcb-icccm.so.4`` → ``libxcb-icccm4``).

    None for Qt's own libraries: those come with the program, not from the system.
    """
    if soname.startswith(("libQt6", "libicu", "libpyside6", "libshiboken6")):
        return None
    if soname in _PACKAGES:
        return _PACKAGES[soname]
    name, _, version = soname.partition(".so.")
    major = version.split(".")[0]
    name = name.lower()
    return f"{name}{'-' if name[-1:].isdigit() else ''}{major}"


def message(missing: list[str]) -> str:
    """What the person starting the program reads (Chinese), with the command to run."""
    packages = list(dict.fromkeys(p for p in map(debian_package, missing) if p))
    text = f"无法打开程序窗口：本机缺少图形界面（Qt xcb）需要的系统库：{'、'.join(missing)}。\n"
    if packages:
        text += f"请管理员安装后再启动：sudo apt-get install {' '.join(packages)}"
    if len(packages) < len(missing):
        text += "\n程序自带的 Qt 库不完整，请重新安装一窗通办。"
    return text


def _ldd(path: Path) -> str:
    done = subprocess.run(
        ["ldd", str(path)], capture_output=True, text=True, timeout=LDD_TIMEOUT_S, check=False
    )
    return done.stdout + done.stderr


def missing_libraries(plugin: Path, ldd: Callable[[Path], str] = _ldd) -> list[str]:
    """Libraries ``plugin`` needs that this system lacks; [] when it loads or nobody can tell.

    Loads the plugin (Qt would load it next anyway); only a failure runs ``ldd``.
    """
    if not plugin.is_file():
        return []
    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY)
        return []
    except OSError as exc:
        failure = str(exc)
    try:
        missing = missing_in_ldd(ldd(plugin))
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("cannot load %s (%s) and ldd failed: %s", plugin, failure, exc)
        return []
    if not missing:
        log.warning("cannot load %s: %s (no missing library found)", plugin, failure)
    return missing


def xcb_plugin() -> Path:
    """Where this Qt keeps its xcb platform plugin."""
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / PLUGIN


def require_window_libraries() -> None:
    """Raise :class:`EnvironmentProblem` naming the missing libraries, before Qt aborts.

    Call before the QApplication is created. Does nothing off Linux or off xcb.
    """
    if not uses_xcb(os.environ, sys.platform):
        return
    plugin = xcb_plugin()
    missing = missing_libraries(plugin)
    if missing:
        raise EnvironmentProblem(message(missing), f"{plugin}: {', '.join(missing)} not found")
