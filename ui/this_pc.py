"""What one PC remembers about itself (``this_pc.ini`` in the config folder).

Settings of the machine, not of the hall: the scanner folder of a counter PC, the tickets a
rating screen has already offered. Nothing here is shared with other PCs or is part of a
case; losing the file costs a choice to be made again, never data.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from app import paths


def settings() -> QSettings:
    """This PC's settings file (INI format, so a technician can read and edit it)."""
    return QSettings(str(paths.config_dir() / "this_pc.ini"), QSettings.Format.IniFormat)


def remembered_list(key: str) -> list[str]:
    """The list of strings stored under ``key`` (empty when none or unreadable)."""
    value = settings().value(key, [])
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def remember_list(key: str, values: list[str], keep: int) -> None:
    """Store the last ``keep`` of ``values`` under ``key`` and write the file now."""
    store = settings()
    store.setValue(key, values[-keep:])
    store.sync()
