"""The scanner's output folder, watched while the capture dialog is open.

A counter's scanner saves each scan as a file in a folder of this PC. The clerk names that
folder once (it is kept for this PC in ``this_pc.ini`` beside ``config.toml``); while a
capture dialog is open, every file that appears there is added to the material, in the
order the scanner wrote them. Files that were there before the dialog opened are left
alone (yesterday's scans are not today's applicant's). A file is taken only once its size
has stopped changing for :data:`SETTLE_MS` — a scanner writes a big TIFF or PDF for a
while.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QSettings, QTimer, Signal

from app import paths

SETTLE_MS = 700
POLL_MS = 2000  # also look every 2 s: a network share may send no change notices
_KEY = "capture/scan_folder"


def _settings() -> QSettings:
    return QSettings(str(paths.config_dir() / "this_pc.ini"), QSettings.Format.IniFormat)


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


class ScanFolderWatcher(QObject):
    """Emits ``arrived(path)`` for each new file in ``folder`` once it is fully written.

    Signals:
        arrived(object): a ``Path`` of a new, settled file.
    """

    arrived = Signal(object)

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self._seen = set(self._files())
        self._sizes: dict[Path, int] = {}  # new files not yet settled: their last size
        self._watcher = QFileSystemWatcher([str(folder)], self)
        self._watcher.directoryChanged.connect(self._look)
        self._timer = QTimer(self)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self._settle)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._look)
        self._poll.start()

    def _files(self) -> list[Path]:
        try:
            return sorted(
                (p for p in self.folder.iterdir() if p.is_file() and not p.name.startswith(".")),
                key=lambda p: (p.stat().st_mtime, p.name),
            )
        except OSError:  # the folder went away (a USB disk pulled out)
            return []

    def _look(self, _folder: str = "") -> None:
        for path in self._files():
            if path not in self._seen and path not in self._sizes:
                self._sizes[path] = -1
        if self._sizes and not self._timer.isActive():
            self._timer.start()

    def _settle(self) -> None:
        for path, before in list(self._sizes.items()):
            try:
                size = path.stat().st_size
            except OSError:  # gone again (a temporary file of the scanner)
                del self._sizes[path]
                continue
            if size == before and size > 0:
                del self._sizes[path]
                self._seen.add(path)
                self.arrived.emit(path)
            else:
                self._sizes[path] = size
        if not self._sizes:
            self._timer.stop()

    def stop(self) -> None:
        """Watch no more (the dialog closes)."""
        self._timer.stop()
        self._poll.stop()
        self._watcher.removePaths(self._watcher.directories())
