"""Settings: a TOML file in the platform's config folder, overridden by environment.

``config.toml`` (all keys optional)::

    database_url = "postgresql+psycopg://onewindow:secret@db.hall.local/onewindow?sslmode=require"
    hall_code = "HALL"
    hall_name = "某某区政务服务中心"
    idle_lock_minutes = 10
    ticket_printer = "ESCPOS:USB"    # or the name of a system printer
    receipt_printer = ""             # empty: ask every time
    page_store = "db"                # where materials' pages live: "db", "file" or "s3"
    page_store_dir = "D:/OneWindow/pages"     # page_store = "file": an absolute folder
    s3_endpoint = "https://minio.hall.local:9000"  # page_store = "s3" (empty: the provider's)
    s3_bucket = "onewindow"          # required for "s3"
    s3_prefix = "pages/"
    s3_region = ""                   # empty: from the AWS config (or us-east-1)
    s3_access_key = ""               # both or neither; neither: AWS_ACCESS_KEY_ID,
    s3_secret_key = ""               #   AWS_SECRET_ACCESS_KEY, ~/.aws/credentials
    reporting_database_url = "postgresql://report:secret@replica.city.local/onewindow"
                                     # statistics read a replica (empty: database_url)
    pooler = "pgbouncer"             # database_url is PgBouncer in transaction mode
    listen_url = "postgresql://onewindow:secret@db.hall.local:5432/onewindow"
                                     # with a pooler: direct, for LISTEN (empty: poll)

Environment variables ``ONEWINDOW_DATABASE_URL``, ``ONEWINDOW_HALL``,
``ONEWINDOW_IDLE_LOCK_MINUTES``, ``ONEWINDOW_TICKET_PRINTER``, ``ONEWINDOW_RECEIPT_PRINTER``
and ``ONEWINDOW_<KEY>`` for the page store's keys (``ONEWINDOW_PAGE_STORE``,
``ONEWINDOW_S3_SECRET_KEY`` …), the pooler's (``ONEWINDOW_POOLER``,
``ONEWINDOW_LISTEN_URL``) and ``ONEWINDOW_REPORTING_DATABASE_URL`` win over the file. The demo always keeps pages in its
database.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from app import glyphs, numbers, paths
from app.errors import EnvironmentProblem
from app.text import fold_fullwidth

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
    page_store: str = "db"  # "db", "file", "s3" (app.materials.stores.from_settings)
    page_store_dir: str = ""
    s3_endpoint: str = ""
    s3_bucket: str = ""
    s3_prefix: str = "pages/"
    s3_region: str = ""
    s3_access_key: str = ""
    s3_secret_key: str = field(default="", repr=False)
    reporting_database_url: str = field(default="", repr=False)  # statistics' replica
    pooler: str = ""  # "" (direct to PostgreSQL) or "pgbouncer" (transaction mode)
    listen_url: str = field(default="", repr=False)  # with a pooler: direct, for LISTEN

    @property
    def behind_pooler(self) -> bool:
        """PostgreSQL is reached through PgBouncer in transaction mode."""
        return self.pooler == "pgbouncer"


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


def _hall_code(raw: str, source: str | None) -> str:
    """The hall's code as case numbers carry it: capitals (full-width and lower case read as
    such), a capital then 1–7 capitals or digits (``JX01``); ``H`` + digits is kept for halls
    without such a code. EnvironmentProblem naming where it was set, so that a typo never
    opens a new, empty hall."""
    code = fold_fullwidth(raw).strip().upper()
    if re.fullmatch(numbers.HALL_CODE, code) and not re.fullmatch(r"H[0-9]+", code):
        return code
    where = source or "配置"
    raise EnvironmentProblem(
        f"{where} 中的大厅代码 hall_code 应为 2–8 位大写字母或数字、以字母开头（如 JX01；"
        f"“H”加数字保留给旧大厅），现为“{raw}”。"
    )


def load_settings(demo: bool = False, config_path: Path | None = None) -> Settings:
    """Read the config file and the environment. ``demo`` selects the demo database."""
    path = config_path or paths.config_dir() / CONFIG_FILE
    raw = _read_file(path)
    env = os.environ
    text: dict[str, str] = {k: str(raw[k]) for k in _TEXT_KEYS if k in raw}
    source = {k: str(path) for k in text}  # where each value came from, for its message
    for key in _TEXT_KEYS:
        name = f"ONEWINDOW_{_ENV_NAMES.get(key, key).upper()}"
        if env.get(name):
            text[key], source[key] = env[name], f"环境变量 {name}"
    minutes = Settings.idle_lock_minutes
    if "idle_lock_minutes" in raw:
        minutes = _as_int(raw["idle_lock_minutes"], "idle_lock_minutes", str(path))
    if env.get("ONEWINDOW_IDLE_LOCK_MINUTES"):
        minutes = _as_int(
            env["ONEWINDOW_IDLE_LOCK_MINUTES"], "ONEWINDOW_IDLE_LOCK_MINUTES", "环境变量"
        )
    settings = Settings(
        database_url=text.get("database_url") or default_sqlite_url(demo),
        hall_code=_hall_code(text.get("hall_code", Settings.hall_code), source.get("hall_code")),
        hall_name=text.get("hall_name", Settings.hall_name),
        idle_lock_minutes=minutes,
        ticket_printer=text.get("ticket_printer", ""),
        receipt_printer=text.get("receipt_printer", ""),
        page_store=text.get("page_store", Settings.page_store).strip().lower(),
        page_store_dir=text.get("page_store_dir", "").strip(),
        s3_endpoint=text.get("s3_endpoint", "").strip(),
        s3_bucket=text.get("s3_bucket", "").strip(),
        s3_prefix=text.get("s3_prefix", Settings.s3_prefix).strip(),
        s3_region=text.get("s3_region", "").strip(),
        s3_access_key=text.get("s3_access_key", "").strip(),
        s3_secret_key=text.get("s3_secret_key", "").strip(),
        reporting_database_url=text.get("reporting_database_url", "").strip(),
        pooler=text.get("pooler", "").strip().lower(),
        listen_url=text.get("listen_url", "").strip(),
    )
    if settings.pooler not in ("", "pgbouncer"):
        raise EnvironmentProblem(
            f'{source.get("pooler", path)} 中的 pooler 只能为空或 "pgbouncer"，'
            f"现为“{settings.pooler}”。"
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
        settings = replace(
            settings,
            database_url=url,
            demo=True,
            hall_code="DEMO",
            page_store="db",
            reporting_database_url="",
        )
    _check_page_store(settings, str(path))
    return settings


def _check_page_store(settings: Settings, source: str) -> None:
    """EnvironmentProblem naming the key when the page store's settings cannot work."""
    kind = settings.page_store
    if kind not in ("db", "file", "s3"):
        raise EnvironmentProblem(f"{source} 中的 page_store 应为 db、file 或 s3，现为“{kind}”。")
    if kind == "file" and not Path(settings.page_store_dir).is_absolute():
        raise EnvironmentProblem(
            f'{source} 中 page_store = "file" 需要 page_store_dir 设为一个绝对路径'
            f"（现为“{settings.page_store_dir}”）。"
        )
    if kind != "s3":
        return
    if not settings.s3_bucket:
        raise EnvironmentProblem(f'{source} 中 page_store = "s3" 需要设置 s3_bucket。')
    if settings.s3_endpoint and not settings.s3_endpoint.startswith(("http://", "https://")):
        raise EnvironmentProblem(
            f"{source} 中的 s3_endpoint 应以 http:// 或 https:// 开头，"
            f"现为“{settings.s3_endpoint}”。"
        )
    if bool(settings.s3_access_key) != bool(settings.s3_secret_key):
        raise EnvironmentProblem(
            f"{source} 中的 s3_access_key 与 s3_secret_key 须同时设置（或都不设，"
            "使用 AWS_ACCESS_KEY_ID 等环境变量）。"
        )
    if settings.s3_prefix.startswith("/"):
        raise EnvironmentProblem(f"{source} 中的 s3_prefix 不能以 / 开头。")


_STORE_KEYS = (
    "page_store",
    "page_store_dir",
    "s3_endpoint",
    "s3_bucket",
    "s3_prefix",
    "s3_region",
    "s3_access_key",
    "s3_secret_key",
)
_TEXT_KEYS = (
    "database_url",
    "hall_code",
    "hall_name",
    "ticket_printer",
    "receipt_printer",
    "reporting_database_url",
    "pooler",
    "listen_url",
    *_STORE_KEYS,
)
_ENV_NAMES = {"hall_code": "hall"}  # ONEWINDOW_HALL, as documented
