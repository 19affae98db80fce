"""Logging to a rotating file in the user's log folder (and stderr for the command line)."""

from __future__ import annotations

import logging
import logging.handlers
import sys

from app import paths

SHOWN = "onewindow_shown"  # ``extra={SHOWN: True}``: already printed for the user, file only


class _NotShown(logging.Filter):
    """Keeps a message the command line already printed from reaching stderr twice."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, SHOWN, False)


def setup_logging(verbose: bool = False, create_folder: bool = True) -> str:
    """Configure the root logger; returns the log file path (empty if none is written).

    Without ``create_folder`` (the command-line commands) the log file is written only if
    the log folder already exists — where the program has run — so a command that fails on
    a PC without the program leaves nothing behind; its messages are on the console.
    Calling it again (tests, a command run from the program) replaces the handlers an
    earlier call added instead of adding a second set.
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "onewindow", False)]:
        root.removeHandler(old)
        old.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s [%(name)s] %(message)s")
    path = ""
    folder = paths.log_dir()
    try:
        if create_folder:
            folder.mkdir(parents=True, exist_ok=True)
        if folder.is_dir():
            file_handler = logging.handlers.RotatingFileHandler(
                folder / "onewindow.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
            )
            file_handler.setFormatter(fmt)
            file_handler.onewindow = True  # type: ignore[attr-defined]
            root.addHandler(file_handler)
            path = str(folder / "onewindow.log")
    except OSError:
        pass
    if sys.stderr is not None:  # a windowed (frozen) program has no stderr
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING if not verbose else logging.DEBUG)
        stream.setFormatter(fmt)
        stream.addFilter(_NotShown())
        stream.onewindow = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    return path
