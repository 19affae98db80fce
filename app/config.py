"""Settings: a TOML file in the platform's config folder, overridden by environment.

``config.toml`` (all keys optional)::

    database_url = "postgresql+psycopg://onewindow:secret@db.hall.local/onewindow?sslmode=require"
    hall_code = "HALL"
    hall_name = "某某区政务服务中心"
    idle_lock_minutes = 10
    ticket_printer = "ESCPOS:USB"    # or the name of a system printer
    receipt_printer = ""             # empty: ask every time

Environment variables ``ONEWINDOW_DATABASE_URL``, ``ONEWINDOW_HALL``,
``ONEWINDOW_IDLE_LOCK_MINUTES``, ``ONEWINDOW_TICKET_PRINTER``, ``ONEWINDOW_RECEIPT_PRINTER``
win over the file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from app import glyphs, paths
from app.errors import EnvironmentProblem

CONFIG_FILE = "config.toml"


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one run of the program."""

    database_url: str
    hall_code: str = "HALL"
    hall_name: str = "政务服务中心"
    idle_lock_minutes: int = 10
    ticket_printer: str = ""
    receipt_printer: str = ""
    demo: bool = False


def default_sqlite_url(demo: bool) -> str:
    """The embedded database in the user's data folder (a separate file for the demo)."""
    name = "onewindow-demo.sqlite3" if demo else "onewindow.sqlite3"
    return f"sqlite:///{(paths.data_dir() / name).as_posix()}"


def _read_file(path: Path) -> dict[str, object]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EnvironmentProblem(f"配置文件 {path} 无法读取：{exc}") from exc


def _as_int(value: object, key: str, source: str) -> int:
    try:
        number = int(str(value))
    except ValueError as exc:
        raise EnvironmentProblem(f"{source} 中的 {key} 应为整数，现为“{value}”。") from exc
    if number < 0:
        raise EnvironmentProblem(f"{source} 中的 {key} 不能为负数。")
    return number


def load_settings(demo: bool = False, config_path: Path | None = None) -> Settings:
    """Read the config file and the environment. ``demo`` selects the demo database."""
    path = config_path or paths.config_dir() / CONFIG_FILE
    raw = _read_file(path)
    env = os.environ
    text: dict[str, str] = {k: str(raw[k]) for k in _TEXT_KEYS if k in raw}
    for key in _TEXT_KEYS:
        if env.get(f"ONEWINDOW_{_ENV_NAMES.get(key, key).upper()}"):
            text[key] = env[f"ONEWINDOW_{_ENV_NAMES.get(key, key).upper()}"]
    minutes = Settings.idle_lock_minutes
    if "idle_lock_minutes" in raw:
        minutes = _as_int(raw["idle_lock_minutes"], "idle_lock_minutes", str(path))
    if env.get("ONEWINDOW_IDLE_LOCK_MINUTES"):
        minutes = _as_int(
            env["ONEWINDOW_IDLE_LOCK_MINUTES"], "ONEWINDOW_IDLE_LOCK_MINUTES", "环境变量"
        )
    settings = Settings(
        database_url=text.get("database_url") or default_sqlite_url(demo),
        hall_code=text.get("hall_code", Settings.hall_code),
        hall_name=text.get("hall_name", Settings.hall_name),
        idle_lock_minutes=minutes,
        ticket_printer=text.get("ticket_printer", ""),
        receipt_printer=text.get("receipt_printer", ""),
    )
    undrawable = glyphs.first_undrawable(settings.hall_name)
    if undrawable is not None:  # printed on every ticket and receipt
        raise EnvironmentProblem(
            f"配置中的大厅名称 hall_name 含有字库无法打印的{glyphs.describe(undrawable)}，请修改。"
        )
    if demo:
        # The demo never touches the configured (production) database; only an explicit
        # ONEWINDOW_DATABASE_URL can point it elsewhere, e.g. to try it on PostgreSQL.
        url = env.get("ONEWINDOW_DATABASE_URL") or default_sqlite_url(demo=True)
        settings = replace(settings, database_url=url, demo=True, hall_code="DEMO")
    return settings


_TEXT_KEYS = ("database_url", "hall_code", "hall_name", "ticket_printer", "receipt_printer")
_ENV_NAMES = {"hall_code": "hall"}  # ONEWINDOW_HALL, as documented
