"""The scanner's output folder, watched while the capture dialog is open.

A counter's scanner saves each scan as a file in a folder of this PC. The clerk names that
folder once (it is kept for this PC in ``this_pc.ini`` beside ``config.toml``); while a
capture dialog is open, every file that appears there is added to the material, in the
order the scanner wrote them. Files that were there before the dialog opened are left
alone (yesterday's scans are not today's applicant's).

Each file is tracked by its (size, modification time). A file is taken once that pair has
stayed the same for :data:`STABLE_CHECKS` (2) consecutive checks :data:`SETTLE_MS` apart —
a scanner writes a big TIFF or PDF for a while. A file is offered AGAIN whenever its
(size, mtime) changes after it was taken: a scan whose writing paused and was taken
half-written (and refused as broken) gets its second chance once complete, and a scanner
that reuses a file name (deleted, then written again) gives a new scan. A file that
disappears is forgotten, so its name may come back as a new scan.
"""

from __future__ import annotations

import stat
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from ui.this_pc import settings as _settings

SETTLE_MS = 700
STABLE_CHECKS = 2  # checks in a row at which a file's (size, mtime) must not have changed
POLL_MS = 2000  # also look every 2 s: a network share may send no change notices
_KEY = "capture/scan_folder"


def scan_folder() -> Path | None:
    """The folder this PC's scanner writes to, if one was chosen and it still exists."""
    value = _settings().value(_KEY, "")
    folder = Path(str(value)) if value else None
    return folder if folder is not None and folder.is_dir() else None


def set_scan_folder(folder: Path | None) -> None:
    """Remember ``folder`` for this PC (None: watch none)."""
    settings = _settings()
    settings.setValue(_KEY, str(folder) if folder else "")
    settings.sync()


# A scanner's files still being written, and the system's own files in a folder.
SCRATCH_SUFFIXES = (".tmp", ".temp", ".part", ".crdownload", ".partial", ".lock")
SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})


def _scratch(name: str) -> bool:
    """A file that is no scan: hidden, a temporary file, the system's folder files."""
    low = name.lower()
    return low.startswith((".", "~", "$")) or low.endswith(SCRATCH_SUFFIXES) or low in SYSTEM_FILES


class ScanFolderWatcher(QObject):
    """Emits ``arrived(path)`` for each new file in ``folder`` once it is fully written.

    Signals:
        arrived(object): a ``Path`` of a new, settled file.
    """

    arrived = Signal(object)

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        # (size, mtime in ns) of each file as it was when taken (or when the dialog opened)
        self._taken: dict[Path, tuple[int, int]] = dict(self._files())
        # files changed since: their last (size, mtime) and for how many checks it held
        self._pending: dict[Path, tuple[tuple[int, int], int]] = {}
        self._watcher = QFileSystemWatcher([str(folder)], self)
        self._watcher.directoryChanged.connect(self._look)
        self._timer = QTimer(self)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._settle)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._look)
        self._poll.start()

    @staticmethod
    def _signature(path: Path) -> tuple[int, int] | None:
        try:
            info = path.stat()
        except OSError:  # gone again (a temporary file of the scanner)
            return None
        return (info.st_size, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else None

    def _files(self) -> list[tuple[Path, tuple[int, int]]]:
        """The folder's files and their (size, mtime), oldest first."""
        try:
            paths = [p for p in self.folder.iterdir() if not _scratch(p.name)]
        except OSError:  # the folder went away (a USB disk pulled out)
            return []
        found = [(p, sig) for p in paths if (sig := self._signature(p)) is not None]
        return sorted(found, key=lambda item: (item[1][1], item[0].name))

    def _look(self, _folder: str = "") -> None:
        current = dict(self._files())
        for path in [p for p in self._taken if p not in current]:
            del self._taken[path]  # deleted: the same name written again is a new scan
        for path, sig in current.items():
            if self._taken.get(path) != sig and path not in self._pending:
                self._pending[path] = (sig, 0)
        if self._pending and not self._timer.isActive():
            self._timer.start()

    def _settle(self) -> None:
        ready: list[tuple[Path, tuple[int, int]]] = []
        for path, (before, stable) in list(self._pending.items()):
            sig = self._signature(path)
            if sig is None or sig == self._taken.get(path):
                del self._pending[path]  # gone, or back as it was taken
                continue
            stable = stable + 1 if sig == before and sig[0] > 0 else 0
            if stable >= STABLE_CHECKS:
                del self._pending[path]
                self._taken[path] = sig
                ready.append((path, sig))
            else:
                self._pending[path] = (sig, stable)
        for path, _sig in sorted(ready, key=lambda item: (item[1][1], item[0].name)):
            self.arrived.emit(path)
        if not self._pending:
            self._timer.stop()

    def stop(self) -> None:
        """Watch no more (the dialog closes)."""
        self._timer.stop()
        self._poll.stop()
        self._watcher.removePaths(self._watcher.directories())
