"""Where OneWindow keeps its configuration, data and logs on this machine."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

_DIRS = PlatformDirs(appname="OneWindow", appauthor=False)


def _from_env(var: str, default: str) -> Path:
    value = os.environ.get(var)
    return Path(value) if value else Path(default)


def config_dir() -> Path:
    """Folder of ``config.toml`` (``ONEWINDOW_CONFIG_DIR`` overrides)."""
    return _from_env("ONEWINDOW_CONFIG_DIR", _DIRS.user_config_dir)


def data_dir() -> Path:
    """Folder of the embedded SQLite databases (``ONEWINDOW_DATA_DIR`` overrides)."""
    return _from_env("ONEWINDOW_DATA_DIR", _DIRS.user_data_dir)


def log_dir() -> Path:
    """Folder of the log files (``ONEWINDOW_LOG_DIR`` overrides)."""
    return _from_env("ONEWINDOW_LOG_DIR", _DIRS.user_log_dir)
