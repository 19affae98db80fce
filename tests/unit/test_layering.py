"""The dependency rule: no Qt below ``ui/``, and no capability importing one above it.

Layers, lowest first (README "Architecture"); a module may import its own layer and any
below it, never one above:

0. foundation — ``app``'s plain modules: errors, text, glyphs, ids, numbers, rules, states,
   roles, workdays, documents (the printable snapshots), actor, config, paths, logs, initials,
   oserrors, chartaxis (which axis labels a chart shows, on screen and in print)
1. ``forms`` — the catalog schema and loader (uses the foundation's cleaner and conditions)
2. form rules — ``app.fieldvalues``, ``app.checklist`` (a service's form evaluated)
3. ``app.db`` and ``app.events`` — engine, models, migrations, the clock, the change feed
4. ``app.audit`` · 5. ``app.materials`` · 6. ``app.people`` · 7. ``app.hall`` · 8. ``app.queue``
   · 9. ``app.cases`` · 10. ``app.ratings`` · 11. ``app.stats`` · 12. ``app.reports``

``printing`` takes plain snapshots only: it may import the foundation and itself.
``ui`` and ``app.__main__`` (the composition root) may import anything.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FOUNDATION = (
    *("app.errors", "app.text", "app.glyphs", "app.ids", "app.numbers", "app.rules"),
    *("app.states", "app.roles", "app.workdays", "app.workhours", "app.documents", "app.actor"),
    *("app.config", "app.paths", "app.logs", "app.initials", "app.oserrors", "app.chartaxis"),
    *("app.statemachine", "app.states_community", "app.mediation_papers"),
)
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", FOUNDATION),
    ("forms", ("forms",)),
    ("form rules", ("app.fieldvalues", "app.checklist")),
    ("db", ("app.db", "app.events")),
    ("audit", ("app.audit",)),
    ("materials", ("app.materials",)),
    ("people", ("app.people",)),
    ("hall", ("app.hall",)),
    ("queue", ("app.queue",)),
    ("cases", ("app.cases",)),
    ("care", ("app.care",)),
    ("incidents", ("app.incidents",)),
    ("mediation", ("app.mediation",)),
    ("ratings", ("app.ratings",)),
    ("stats", ("app.stats",)),
    ("reports", ("app.reports",)),
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


def imports_of(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module ``source`` (of ``module``) imports, at the top or in a function.

    Relative imports are resolved against ``module``'s package.
    """
    tree = ast.parse(source)
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            # ``from app.cases import intake`` imports the module app.cases.intake
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def sources(package: str) -> dict[str, tuple[str, bool]]:
    """Module name → (source, is a package) for every module of ``package``."""
    return {
        module_name(path): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
        for path in sorted((ROOT / package).rglob("*.py"))
    }


# forms/ reaches into app/ for these only: its errors, the text cleaner and the glyphs it
# checks catalog texts with, the number formats its department codes must fit, and the
# condition compiler.
FORMS_MAY_IMPORT = ("app.errors", "app.text", "app.glyphs", "app.numbers", "app.rules")


def violations(package: str, modules: dict[str, tuple[str, bool]] | None = None) -> list[str]:
    """``module imports X (layer)`` for each import of a higher layer (or a forbidden edge)."""
    found = []
    for name, (source, is_package) in sorted((modules or sources(package)).items()):
        if name in ("app", "app.__main__") or ".migrations" in name:
            continue  # the version string; the composition root; history
        allowed = 0 if package == "printing" else layer_of(name)
        assert allowed is not None, f"{name} is in no layer: add it to LAYERS"
        targets = imports_of(source, name, is_package)
        wrong = {
            target: LAYERS[layer][0]
            for target in targets
            if (layer := layer_of(target)) is not None and layer > allowed
        }
        for target in targets:
            top = target.split(".")[0]
            if top == "ui" or (top == "printing" and package != "printing"):
                wrong[target] = top  # nothing below the screens imports them
            elif (
                package == "forms"
                and layer_of(target) == 0
                and not any(target == m or target.startswith(m + ".") for m in FORMS_MAY_IMPORT)
            ):
                wrong[target] = "not an edge forms may use"
        for target in sorted(wrong):
            if not any(other.startswith(target + ".") for other in wrong):  # most specific
                found.append(f"{name} imports {target} ({wrong[target]})")
    return found


def test_no_capability_imports_one_above_it() -> None:
    assert violations("app") + violations("forms") == []


def test_printing_takes_plain_snapshots_only() -> None:
    assert violations("printing") == []


PROBES = [
    ("app", "app.queue._probe", "from app.cases import intake\n", "app.cases.intake (cases)"),
    (
        "app",
        "app.queue._probe",
        "def f():\n    from ..cases import intake\n",
        "app.cases.intake (cases)",
    ),
    ("app", "app.db._probe", "from app.people import users\n", "app.people.users (people)"),
    ("app", "app.rules", "import printing.receipt\n", "printing.receipt (printing)"),
    ("forms", "forms._probe", "import app.config\n", "app.config (not an edge forms may use)"),
    ("forms", "forms._probe", "from ui import ops\n", "ui.ops (ui)"),
    (
        "printing",
        "printing._probe",
        "from app.queue import queueing\n",
        "app.queue.queueing (queue)",
    ),
    ("printing", "printing._probe", "from ui import ops\n", "ui.ops (ui)"),
]


@pytest.mark.parametrize(("package", "module", "source", "expected"), PROBES)
def test_a_wrong_import_is_caught(package: str, module: str, source: str, expected: str) -> None:
    """The check itself: a probe module put among the package's real ones (in memory)."""
    modules = {**sources(package), module: (source, False)}
    assert violations(package, modules) == [f"{module} imports {expected}"]


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
        f"{name} imports {target}"
        for name, (source, is_package) in sources("app").items()
        if name != "app.__main__"
        for target in imports_of(source, name, is_package)
        if target.split(".")[0] in ("ui", "printing")
    ]
    assert offenders == []
