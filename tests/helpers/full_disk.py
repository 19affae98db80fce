"""A disk that fills up in the middle of an export's write (``ENOSPC``).

Patches ``os.write``: writes to the exports' temporary files (``.onewindow-….part``) fail
once ``room`` bytes have gone to them; every other write in the process (the test
database, the log) goes through untouched. Linux tells which file a descriptor is from
``/proc/self/fd``; without it every ``os.write`` counts.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from app.reports import export_file

_FDS = Path("/proc/self/fd")


def _is_export_part(fd: int) -> bool:
    if not _FDS.is_dir():
        return True
    try:
        return export_file.is_leftover_name(Path(os.readlink(_FDS / str(fd))).name)
    except OSError:
        return False


def disk_fills_after(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    """From now on (until ``monkeypatch`` undoes it) only ``room`` bytes fit in .part files."""
    real = os.write
    left = [room]

    def write(fd: int, data: bytes | memoryview, /) -> int:
        if not _is_export_part(fd):
            return real(fd, data)
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = real(fd, bytes(data[: left[0]]))
        left[0] -= n
        return n

    monkeypatch.setattr(os, "write", write)
