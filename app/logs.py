"""Logging to a rotating file in the user's log folder (and stderr for the command line)."""

from __future__ import annotations

import logging
import logging.handlers
import sys

from app import paths


def setup_logging(verbose: bool = False) -> str:
    """Configure the root logger; returns the log file path (empty if it cannot be written)."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s [%(name)s] %(message)s")
    path = ""
    try:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            folder / "onewindow.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
        )
        file_handler.setFormatter(fmt)
        root.addHandler(file_handler)
        path = str(folder / "onewindow.log")
    except OSError:
        pass
    if sys.stderr is not None:  # a windowed (frozen) program has no stderr
        stream = logging.StreamHandler()
        stream.setLevel(logging.WARNING if not verbose else logging.DEBUG)
        stream.setFormatter(fmt)
        root.addHandler(stream)
    return path
