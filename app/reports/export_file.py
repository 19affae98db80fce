"""An exported file (the Excel workbook, the hall report PDF) appears whole or not at all.

:func:`save_atomically` writes to a temporary file in the target's folder and renames it
over the target only once it is complete and flushed to disk, so a full disk, a cancel or
a failure leaves any earlier file at the target byte for byte as it was. The file gets
mode 0644 (colleagues on a shared folder read it; the temporary file is private).

The temporary files are named ``.onewindow-<random>.part``. A program killed mid-export
(task manager, power cut) cannot remove its own, so each export first removes those of
the target folder older than :data:`STALE_AFTER_S` — and nothing else: not another PC's
export still being written to a shared folder, not anyone else's ``.part`` file.

Errors are :class:`~app.errors.ValidationError` (field ``path``) in Chinese.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.errors import ValidationError
from app.oserrors import reason

EXPORT_MODE = 0o644  # the exported file: readable by all, written by its owner
PART_PREFIX, PART_SUFFIX = ".onewindow-", ".part"
STALE_AFTER_S = 10 * 60  # an export takes seconds; a .part this old was left by a killed one
CHUNK = 1 << 16
# tempfile's random part is 8 of [a-z0-9_]; the second pattern is the name exports had
# before (".~doc0w_7d.xlsx.part"), left behind by the versions that already shipped.
_LEFTOVER = re.compile(r"\.onewindow-[a-z0-9_]{8}\.part|\.~[a-z0-9_]{8}\.xlsx\.part")

# Writes the whole file at the path given; False: cancelled (nothing is saved).
Writer = Callable[[Path], bool]


def is_leftover_name(name: str) -> bool:
    """Whether ``name`` is the name of an export's temporary file."""
    return _LEFTOVER.fullmatch(name) is not None


def sweep_leftovers(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary export files in ``folder`` older than 10 minutes; the removed.

    Only regular files named as :data:`_LEFTOVER` says; anything unreadable is left alone.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not is_leftover_name(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < STALE_AFTER_S:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def save_atomically(target: Path, write: Writer) -> bool:
    """Let ``write`` fill a temporary file, then put it at ``target``; False if cancelled.

    Raises ValidationError (field ``path``): a read-only ``target``, a missing folder, a
    folder that cannot be written, a full disk … — the temporary file removed and
    ``target`` untouched.
    """
    target = Path(target)
    folder = target.parent
    if target.exists() and not target.stat().st_mode & stat.S_IWUSR:
        raise ValidationError(f"文件 {target.name} 为只读，不能覆盖，请另选文件名。", "path")
    sweep_leftovers(folder)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=PART_PREFIX, suffix=PART_SUFFIX, dir=folder)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ValidationError(f"文件夹 {folder} 不存在，请另选保存位置。", "path") from exc
    except OSError as exc:
        raise ValidationError(f"无法写入该文件夹：{reason(exc, writing=True)}", "path") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    done = False
    try:
        if not write(tmp):
            return False
        _sync(tmp)  # a full disk may only say so when the data reaches it
        # mkstemp made it private (0600); an export is for colleagues on a shared folder
        tmp.chmod(EXPORT_MODE)
        os.replace(tmp, target)
        done = True
    except OSError as exc:
        raise ValidationError(f"无法保存文件：{reason(exc, writing=True)}", "path") from exc
    finally:
        if not done:
            with contextlib.suppress(OSError):
                tmp.unlink()
    _sync_folder(folder)
    return True


def write_bytes(target: Path, data: bytes) -> None:
    """Save ``data`` at ``target`` whole or not at all (see :func:`save_atomically`)."""

    def write(tmp: Path) -> bool:
        fd = os.open(tmp, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view[:CHUNK]) :]
        finally:
            os.close(fd)
        return True

    save_atomically(target, write)


def _sync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
