"""Build the one-folder bundle, run its self-test, and compile the installer.

    python installer/build.py            # on Windows: bundle + self-test + OneWindow-x.y.z-setup.exe
    python installer/build.py --check    # on Linux CI: bundle + self-test + compile the NSIS script

PyInstaller does not cross-compile, so the Windows installer must be built on Windows
(with NSIS's makensis on PATH). On Linux the same steps prove the spec and the script work.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
DIST = BUILD / "dist"


def _run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)


def main() -> int:
    """Build; returns 0 or raises on the first failing step."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="CI: no compression, any OS")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from app import __version__

    _run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "work"),
            str(ROOT / "installer" / "onewindow.spec"),
        ]
    )
    exe = DIST / "onewindow" / ("onewindow-cli.exe" if os.name == "nt" else "onewindow-cli")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen" if os.name != "nt" else "windows")
    _run([str(exe), "--self-test"], env=env)
    makensis = shutil.which("makensis")
    if makensis is None:
        if args.check:
            raise SystemExit("makensis not found (apt-get install nsis)")
        print("makensis not found: install NSIS to build the installer; the bundle is in", DIST)
        return 0
    out = BUILD / f"OneWindow-{__version__}-setup.exe"
    nsis = [
        makensis,
        "-V2",
        f"-DVERSION={__version__}",
        f"-DBUNDLE_DIR={DIST / 'onewindow'}",
        f"-DOUTFILE={out}",
    ]
    if args.check:
        nsis.append("-DCHECK_ONLY")
    _run([*nsis, str(ROOT / "installer" / "onewindow.nsi")])
    print(f"installer: {out} ({out.stat().st_size // 1_000_000} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
