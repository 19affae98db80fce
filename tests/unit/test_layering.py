"""app/, forms/ and printing/ never import Qt (DESIGN.md's dependency rule)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_core_packages_import_without_pyside6() -> None:
    script = textwrap.dedent("""
        import importlib, pkgutil, sys
        import app, forms, printing
        for pkg in (app, forms, printing):
            for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
                if info.name == "app.__main__" or ".migrations" in info.name:
                    continue  # the composition root may reach ui (lazily)
                importlib.import_module(info.name)
        qt = sorted(m for m in sys.modules if m.startswith("PySide6"))
        print("QT:" + ",".join(qt))
        print("COUNT:" + str(sum(1 for m in sys.modules if m.startswith(("app.", "forms.", "printing.")))))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    lines = dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)
    assert lines["QT"] == "", f"Qt imported by the core: {lines['QT']}"
    assert int(lines["COUNT"]) > 20  # the walk really imported the modules


def test_core_never_imports_ui_or_printing_from_app() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "app"
    offenders = []
    for path in root.rglob("*.py"):
        if path.name == "__main__.py":
            continue
        text = path.read_text(encoding="utf-8")
        if any(s in text for s in ("import ui", "from ui", "from printing", "import printing")):
            offenders.append(str(path))
    assert offenders == []
