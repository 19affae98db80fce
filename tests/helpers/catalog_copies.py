"""Editable copies of the shipped catalog, for tests that change or break it."""

from __future__ import annotations

import shutil
from pathlib import Path

from forms.loader import default_catalog_dir


def catalog_copy(target: Path) -> Path:
    """A copy of the shipped catalog folder at ``target`` (returned)."""
    shutil.copytree(default_catalog_dir(), target, ignore=shutil.ignore_patterns("__*"))
    return target


def rename_department(folder: Path, old: str, new: str) -> None:
    """Give department ``old`` the code ``new`` in every file (its own and every routing)."""
    for path in folder.glob("*.yaml"):
        text = path.read_text("utf-8")
        text = text.replace(f"{{code: {old},", f"{{code: {new},")
        text = text.replace(f"department: {old}}}", f"department: {new}}}")
        text = text.replace(f"department: {old},", f"department: {new},")
        path.write_text(text, "utf-8")


def edit(folder: Path, name: str, old: str, new: str) -> None:
    """Replace the first ``old`` by ``new`` in catalog file ``name`` (must be there)."""
    path = folder / name
    text = path.read_text("utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), "utf-8")
