"""Cold start: OneWindow to its log-in dialog, against a bare PySide6 window, in the same run.

    .venv/bin/python bench/startup.py [--runs 5]

Each run is a fresh process (offscreen). OneWindow's time includes opening the demo SQLite
database, checking migrations and the catalog sync; the first run of a series also creates
and seeds it (reported separately). Prints medians and the ratio ours / bare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
import time; t = time.perf_counter()
from PySide6.QtWidgets import QApplication, QDialog
from PySide6.QtCore import QTimer
app = QApplication([])
d = QDialog(); d.setWindowTitle("bare")
QTimer.singleShot(0, lambda: (print(f"startup_to_login_s={time.perf_counter() - t:.3f}"), d.reject()))
d.exec()
"""


def _once(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - start
    if "startup_to_login_s=" not in out:
        raise SystemExit(f"no timing printed by {cmd}: {out}")
    return wall


def main() -> None:
    """Run both programs ``--runs`` times and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="onewindow-bench-")
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        ONEWINDOW_STARTUP_PROBE="1",
        ONEWINDOW_DATA_DIR=data,
        ONEWINDOW_CONFIG_DIR=data,
        ONEWINDOW_LOG_DIR=data,
    )
    ours = [sys.executable, "-m", "app", "--demo"]
    first = _once(ours, env)  # creates, migrates and seeds the demo database
    warm = [_once(ours, env) for _ in range(args.runs)]
    bare = [_once([sys.executable, "-c", BARE], env) for _ in range(args.runs)]
    o, b = statistics.median(warm), statistics.median(bare)
    print(f"{'what':<44}{'median s':>10}")
    print(f"{'bare PySide6 dialog (process start → shown)':<44}{b:>10.3f}")
    print(f"{'OneWindow → log-in dialog, existing database':<44}{o:>10.3f}")
    print(f"{'OneWindow → log-in dialog, first run (seed)':<44}{first:>10.3f}")
    print(f"ratio ours/bare: {o / b:.2f}")


if __name__ == "__main__":
    main()
