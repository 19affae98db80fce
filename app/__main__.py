"""``onewindow`` / ``python -m app``: the program's entry point and composition root.

With no command it starts the desktop program. Commands for administrators::

    onewindow [--demo]                 start the program (demo: its own demo database)
    onewindow --kiosk | --display      the self-service kiosk / the hall display (full screen)
    onewindow --rating WINDOW          the resident's rating screen (好差评) of window number WINDOW
    onewindow db upgrade               migrate the configured database to the newest schema
    onewindow db current               show the database's schema revision
    onewindow catalog check [PATH]     validate catalog files (a hall's edited copy)
    onewindow catalog sync [PATH]      the hall's catalog into the database: the files win
                                       (new versions, missing services retired); kept on
                                       later starts (see app.hall.catalog_sync)
    onewindow audit verify [--root N:HASH]
                                       check every audit chain, its head and its anchors
                                       (and the root anchor copied from a kept sheet)
    onewindow audit anchor             anchor today's chain heads; print the sheet to keep

Commands other than ``db upgrade`` never create a database: without one they say so.
    onewindow --self-test              fresh temporary database + catalog + Chinese PDF + Qt

This module is the one place allowed to reach ``ui`` and ``printing`` (lazily): it wires the
layers together; everything else in ``app`` stays free of them (a test checks that).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from app import __version__
from app.config import Settings, load_settings
from app.errors import EnvironmentProblem

if TYPE_CHECKING:
    from app.db.session import Database
    from forms.loader import Catalog

log = logging.getLogger("onewindow")


# argparse's own English, as the administrator reads it. Its texts are gettext strings
# without a shipped Chinese catalog, so they are replaced where they are printed.
_ARGPARSE_ZH: tuple[tuple[str, str], ...] = (
    (r"^usage: ", "用法："),
    (r"\npositional arguments:", "\n位置参数："),
    (r"\noptions:", "\n选项："),
    (r"show this help message and exit", "显示本帮助并退出"),
    (r"show program's version number and exit", "显示版本号并退出"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", r"无效的命令 \2（可选：\3）"),
    (r"unrecognized arguments: (.+)", r"无法识别的参数：\1"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
    (r"ambiguous option: (\S+) could match (.+)", r"选项 \1 不明确，可能是：\2"),
)
_REQUIRED = re.compile(r"the following arguments are required: (.+)")
_NAMES = {"action": "子命令", "command": "命令"}


def _in_chinese(text: str) -> str:
    for pattern, replacement in _ARGPARSE_ZH:
        text = re.sub(pattern, replacement, text, flags=re.MULTILINE)
    return _REQUIRED.sub(
        lambda m: "缺少" + "、".join(_NAMES.get(n, n) for n in m.group(1).split(", ")), text
    )


class _Parser(argparse.ArgumentParser):
    """argparse with its usage, help and errors in Chinese; a wrong command exits 2."""

    def format_usage(self) -> str:
        """The usage line, in Chinese."""
        return _in_chinese(super().format_usage())

    def format_help(self) -> str:
        """The help text, in Chinese."""
        return _in_chinese(super().format_help())

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in Chinese, then exit 2 (as argparse does)."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{_in_chinese(message)}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="onewindow", description="一窗通办 综合窗口系统")
    p.add_argument("--demo", action="store_true", help="使用演示数据库（含演示用户）")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--kiosk", action="store_true", help="自助取号机（全屏，无需登录）")
    mode.add_argument("--display", action="store_true", help="大厅叫号显示屏（全屏）")
    mode.add_argument(
        "--rating", type=int, metavar="WINDOW", help="窗口评价器：第 WINDOW 号窗口的好差评屏"
    )
    p.add_argument("--self-test", action="store_true", help="自检：建库、加载目录、生成中文 PDF")
    p.add_argument("--version", action="version", version=f"OneWindow {__version__}")
    p.add_argument("--verbose", action="store_true", help="输出调试日志")
    sub = p.add_subparsers(dest="command")
    db = sub.add_parser("db", help="数据库").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", help="升级数据库结构到最新")
    db.add_parser("current", help="显示数据库结构版本")
    cat = sub.add_parser("catalog", help="事项目录").add_subparsers(dest="action", required=True)
    check = cat.add_parser("check", help="校验目录文件")
    check.add_argument("path", nargs="?", type=Path)
    sync = cat.add_parser("sync", help="把目录文件写入数据库")
    sync.add_argument("path", nargs="?", type=Path)
    aud = sub.add_parser("audit", help="审计").add_subparsers(dest="action", required=True)
    verify = aud.add_parser("verify", help="校验审计链")
    verify.add_argument("--root", help="保存在外的锚点（锚点单上的“序号:哈希”）")
    aud.add_parser("anchor", help="记录今日审计锚点并打印锚点单")
    return p


@contextmanager
def _database(settings: Settings, create: bool = False) -> Iterator[Database]:
    """The configured database, checked reachable, closed afterwards.

    Only ``create`` (``db upgrade``) may bring a new SQLite file into being; every other
    command on a machine without the database says so (EnvironmentProblem) and creates
    nothing — not even the file's folder.
    """
    from app.db.engine import parse_url
    from app.db.session import Database

    url = parse_url(settings.database_url)
    sqlite_file = Path(url.database or "") if url.get_backend_name() == "sqlite" else None
    if not create and sqlite_file is not None and not sqlite_file.is_file():
        raise EnvironmentProblem(
            f"没有找到数据库：本机 SQLite 文件 {sqlite_file} 不存在。"
            "请先启动一次程序，或运行 onewindow db upgrade 建立数据库。"
        )
    db = Database(settings.database_url, settings.behind_pooler, settings.listen_url)
    try:
        db.check()
        yield db
    finally:
        db.dispose()


def _require_tables(db: Database) -> None:
    """Refuse a database that exists but was never set up (no tables to read), or is of
    an older version than this program (the audit tools read today's tables)."""
    from app.db import migrate

    current = migrate.current_revision(db)
    if current is None:
        raise EnvironmentProblem(
            f"数据库（{db.where}）是空库，尚未建立。请先启动一次程序，或运行 onewindow db upgrade。"
        )
    if current != migrate.head_revision():
        raise EnvironmentProblem(
            f"数据库（{db.where}）的版本为 {current}，本程序需要 {migrate.head_revision()}："
            "请先运行 onewindow db upgrade（升级前请备份）。"
        )


def _db_upgrade(settings: Settings, _: argparse.Namespace) -> int:
    from app.db import migrate

    with _database(settings, create=True) as db:
        before = migrate.current_revision(db)
        migrate.upgrade(db)
        print(f"数据库 {db.where}：{before or '空库'} → {migrate.current_revision(db)}")
    return 0


def _db_current(settings: Settings, _: argparse.Namespace) -> int:
    from app.db import migrate

    with _database(settings) as db:
        current = migrate.current_revision(db)
    head = migrate.head_revision()
    print(f"数据库 {db.where}：当前 {current or '空库'}，程序最新 {head}")
    return 0 if current == head else 3


def _load_or_report(path: Path | None) -> Catalog | None:
    """The catalog at ``path`` (shipped if None); None after printing its problems."""
    from forms.loader import CatalogError, load_catalog

    try:
        return load_catalog(path)
    except CatalogError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"目录有 {len(exc.problems)} 处错误。", file=sys.stderr)
        return None


def _catalog_check(_: Settings, args: argparse.Namespace) -> int:
    catalog = _load_or_report(args.path)
    if catalog is None:
        return 1
    groups = catalog.by_department()
    print(f"目录正确：{len(catalog.services)} 个事项，{len(groups)} 个部门。")
    for code, services in groups.items():
        if services:
            print(f"  {catalog.departments[code].name}：{len(services)} 项")
    return 0


def _catalog_sync(settings: Settings, args: argparse.Namespace) -> int:
    """The hall's sync: the files win over the database (see app.hall.catalog_sync)."""
    from app.hall import setup

    catalog = _load_or_report(args.path)
    if catalog is None:
        print("目录未写入数据库。", file=sys.stderr)
        return 1
    name = setup.DEMO_HALL[1] if settings.demo else settings.hall_name
    with _database(settings) as db:
        setup.prepare(db, None, settings.hall_code, name, demo=settings.demo)
        report = setup.sync_catalog(db, catalog, settings.hall_code, shipped=args.path is None)
    print(
        f"新事项 {len(report.new_services)}，新版本 {len(report.new_versions)}，"
        f"停用 {len(report.retired)}。"
    )
    return 0


def _audit_verify(settings: Settings, args: argparse.Namespace) -> int:
    from app.audit import anchors, verify_chain
    from app.errors import ValidationError

    try:
        root = anchors.parse_root(args.root) if args.root is not None else None
    except ValidationError as exc:
        print(f"--root：{exc.message}", file=sys.stderr)
        return 2
    with _database(settings) as db:
        _require_tables(db)
        report = verify_chain(db)
        if root is not None:
            report.problems += anchors.check_root(db, *root)
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(
        f"审计链 {report.chains} 条，审计记录 {report.events} 条："
        + ("完整，未被篡改。" if report.ok else "发现问题！")
    )
    return 0 if report.ok else 1


def _audit_anchor(settings: Settings, _: argparse.Namespace) -> int:
    from app.audit import anchors

    with _database(settings) as db:
        _require_tables(db)
        written = anchors.anchor_due(db, force=True)
        sheet = anchors.anchor_sheet(db)
    print(
        f"审计锚点单（服务器时间 {sheet.at:%Y-%m-%d %H:%M} UTC）："
        f"新记锚点 {written} 条（自上次锚点以来有新记录的审计链）。"
    )
    for end in sheet.chains:
        print(f"  {end.label}：第 {end.seq} 条  {end.hash}")
    print(f"锚点链：{sheet.root_code}")
    print(
        "请把“锚点链”一行打印或抄录，保存在数据库之外（纸质或另一台电脑）；"
        f"日后运行 onewindow audit verify --root {sheet.root_code} 即可核对审计记录未被截去或改写。"
    )
    return 0


COMMANDS: dict[tuple[str, str], Callable[[Settings, argparse.Namespace], int]] = {
    ("db", "upgrade"): _db_upgrade,
    ("db", "current"): _db_current,
    ("catalog", "check"): _catalog_check,
    ("catalog", "sync"): _catalog_sync,
    ("audit", "verify"): _audit_verify,
    ("audit", "anchor"): _audit_anchor,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the program or a command; returns the exit code."""
    from app.logs import SHOWN, setup_logging

    args = _parser().parse_args(argv)
    # A command writes the log file only where the program has made its log folder.
    setup_logging(args.verbose, create_folder=not args.command)
    try:
        if args.self_test:
            selftest = importlib.import_module("ui.selftest")
            return int(selftest.run())
        settings = load_settings(demo=args.demo)
        if args.command:
            return COMMANDS[(args.command, args.action)](settings, args)
        launch = importlib.import_module("ui.launch")
        screen = "kiosk" if args.kiosk else "display" if args.display else "desk"
        if args.rating is not None:
            return int(launch.run(settings, "rating", window_number=args.rating))
        return int(launch.run(settings, screen))
    except EnvironmentProblem as exc:
        log.error("%s %s", exc.message, exc.detail, extra={SHOWN: True})
        print(exc.message, file=sys.stderr)
        return 2
    except Exception:  # a bug: the traceback to the log, a sentence to the person
        log.exception("internal error", extra={SHOWN: True})
        print("程序内部错误，操作未完成。详细信息已写入日志，请联系系统管理员。", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
