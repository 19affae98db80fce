"""The dependency rule: no Qt below ``ui/``, and no capability importing one above it.

Layers, lowest first (README "Architecture"); a module may import its own layer and any
below it, never one above:

0. foundation — ``app``'s plain modules: errors, text, glyphs, ids, numbers, rules, states,
   roles, workdays, documents (the printable snapshots), actor, config, paths, logs
1. ``forms`` — the catalog schema and loader (uses the foundation's cleaner and conditions)
2. form rules — ``app.fieldvalues``, ``app.checklist`` (a service's form evaluated)
3. ``app.db`` and ``app.events`` — engine, models, migrations, the clock, the change feed
4. ``app.audit`` · 5. ``app.people`` · 6. ``app.hall`` · 7. ``app.queue`` · 8. ``app.cases``

``printing`` takes plain snapshots only: it may import the foundation and itself.
``ui`` and ``app.__main__`` (the composition root) may import anything.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FOUNDATION = (
    *("app.errors", "app.text", "app.glyphs", "app.ids", "app.numbers", "app.rules"),
    *("app.states", "app.roles", "app.workdays", "app.documents", "app.actor"),
    *("app.config", "app.paths", "app.logs"),
)
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", FOUNDATION),
    ("forms", ("forms",)),
    ("form rules", ("app.fieldvalues", "app.checklist")),
    ("db", ("app.db", "app.events")),
    ("audit", ("app.audit",)),
    ("people", ("app.people",)),
    ("hall", ("app.hall",)),
    ("queue", ("app.queue",)),
    ("cases", ("app.cases",)),
]


def layer_of(module: str) -> int | None:
    """Index in :data:`LAYERS` of ``module`` (longest prefix wins), None outside them."""
    best: tuple[int, int] | None = None
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            inside = module == prefix or module.startswith(prefix + ".")
            if inside and (best is None or len(prefix) > best[1]):
                best = (index, len(prefix))
    return None if best is None else best[0]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function (lazily)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # ``from app.cases import intake`` imports the module app.cases.intake
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def violations(package: str) -> list[str]:
    """``file: imports X (layer) above its own layer (layer)`` for each wrong import."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        name = module_name(path)
        if name in ("app", "app.__main__") or ".migrations" in name:
            continue  # the version string; the composition root; history
        allowed = 0 if package == "printing" else layer_of(name)
        assert allowed is not None, f"{name} is in no layer: add it to LAYERS"
        wrong = {
            target: layer
            for target in imports_of(path)
            if (layer := layer_of(target)) is not None and layer > allowed
        }
        for target in sorted(wrong):
            if not any(other.startswith(target + ".") for other in wrong):  # most specific
                found.append(f"{name} imports {target} ({LAYERS[wrong[target]][0]})")
    return found


def test_no_capability_imports_one_above_it() -> None:
    assert violations("app") + violations("forms") == []


def test_printing_takes_plain_snapshots_only() -> None:
    assert violations("printing") == []


def test_a_wrong_import_is_caught(tmp_path: Path) -> None:
    """The check itself: a queue module reaching into cases is reported."""
    bad = ROOT / "app" / "queue" / "_layering_probe.py"
    bad.write_text("from app.cases import intake\n", encoding="utf-8")
    try:
        assert violations("app") == [
            "app.queue._layering_probe imports app.cases.intake (cases)",
        ]
    finally:
        bad.unlink()


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
    offenders = [
        f"{module_name(path)} imports {target}"
        for path in (ROOT / "app").rglob("*.py")
        if path.name != "__main__.py"
        for target in imports_of(path)
        if target.split(".")[0] in ("ui", "printing")
    ]
    assert offenders == []
