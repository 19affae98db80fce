"""``onewindow --self-test``: prove an installed (or frozen) build has everything it needs.

A fresh temporary SQLite database is migrated and seeded with the catalog, a service
guide with Chinese text is rendered to PDF with the embedded font, and Qt starts
offscreen (or on the PC's screen, after checking its window libraries) with the bundled
font drawing Chinese. Exit code 0 only if all pass. A missing sound system is a warning,
not a failure: the hall display then shows calls without speaking them.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path


class Degraded(Exception):
    """Something optional is missing: the program works without it (a warning line)."""


def _check(name: str, fn: Callable[[], str], failures: list[str], warnings: list[str]) -> None:
    start = time.perf_counter()
    try:
        detail = fn()
        print(f"[通过] {name}：{detail}（{(time.perf_counter() - start) * 1000:.0f} ms）")
    except Degraded as exc:
        warnings.append(name)
        print(f"[警告] {name}：{exc}")
    except Exception as exc:  # a self-test reports every failure, whatever it is
        failures.append(name)
        print(f"[失败] {name}：{type(exc).__name__}: {exc}")


def run() -> int:
    """Run every check; print one line each; 0 if all passed (warnings allowed)."""
    failures: list[str] = []
    warnings: list[str] = []
    with tempfile.TemporaryDirectory(prefix="onewindow-selftest-") as tmp:
        from app.actor import Actor
        from app.db import migrate
        from app.db.session import Database
        from app.hall import catalog, setup
        from app.roles import Role
        from forms.loader import load_catalog

        db = Database(f"sqlite:///{Path(tmp, 'selftest.sqlite3').as_posix()}")
        actor = Actor(
            user_id=None,
            username="selftest",
            full_name="自检",
            hall_id=1,
            roles=frozenset({Role.SYSADMIN}),
        )
        state: dict[str, bytes] = {}

        def database() -> str:
            report = setup.prepare(db, load_catalog(), "SELFTEST", "自检大厅")
            return f"迁移到 {migrate.current_revision(db)}，载入 {len(report.new_services)} 个事项"

        def services() -> str:
            entries = catalog.list_services(db, actor)
            if len(entries) < 40:
                raise RuntimeError(f"只有 {len(entries)} 个事项")
            return f"{len(entries)} 个事项，{len({e.department_code for e in entries})} 个部门"

        def pdf() -> str:
            from printing import service_guide

            data = service_guide.render(catalog.guide(db, actor, "MZ001", date.today()))
            if not data.startswith(b"%PDF") or b"WenQuanYi" not in data:
                raise RuntimeError("PDF 未嵌入中文字体")
            state["pdf"] = data
            return f"最低生活保障申请 办事指南 {len(data) // 1024} KB，中文字体已嵌入"

        def qt() -> str:
            if not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
                os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from ui.platform_check import require_window_libraries

            require_window_libraries()  # else Qt aborts the self-test itself
            from PySide6.QtGui import QColor, QImage, QPainter
            from PySide6.QtWidgets import QApplication

            from ui import appearance

            app = QApplication.instance() or QApplication([])
            assert isinstance(app, QApplication)
            family = appearance.install_font(app)
            if not family:
                raise RuntimeError("内置中文字体未能加载")
            image = QImage(200, 40, QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
            painter = QPainter(image)
            painter.setFont(app.font())
            painter.drawText(5, 30, "一窗通办")
            painter.end()
            dark = sum(
                1 for x in range(200) for y in range(40) if image.pixelColor(x, y).value() < 128
            )
            if dark < 50:
                raise RuntimeError("中文未能绘制")
            return f"Qt 启动，字体 {family}，绘制中文 {dark} 个像素"

        def voice() -> str:
            silent = "显示屏照常显示叫号，但不发声"
            try:
                from PySide6.QtMultimedia import QSoundEffect
                from PySide6.QtTextToSpeech import QTextToSpeech
            except ImportError as exc:
                raise Degraded(
                    f"声音系统不可用（{exc}）；{silent}。安装声音库：sudo apt-get install libpulse0"
                ) from exc
            engines = QTextToSpeech.availableEngines()
            if not engines:
                raise Degraded(f"没有语音引擎插件；{silent}（只响提示音）。")
            QSoundEffect()
            return f"语音引擎 {', '.join(engines)}，提示音模块可用"

        def slip() -> str:
            from app.queue import queueing
            from printing import escpos_ticket, ticket

            t = queueing.issue_ticket(db, queueing.kiosk_actor(1), "A")
            data, raw = ticket.render(t), escpos_ticket.render(t)
            return f"号票 {t.code}：PDF {len(data) // 1024} KB，ESC/POS {len(raw)} 字节"

        def object_store() -> str:
            # boto3 is imported only when a hall configures page_store = "s3": prove the
            # bundle has it and botocore's S3 model (no connection is made).
            from app.materials.s3store import S3Store

            store = S3Store(
                "selftest", endpoint_url="http://127.0.0.1:9", access_key="a", secret_key="b"
            )
            url = store.client.generate_presigned_url(
                "get_object", Params={"Bucket": "selftest", "Key": "k"}, ExpiresIn=60
            )
            return f"S3 客户端可用（{url.split('?')[0]}）"

        def pages() -> str:
            from PIL import Image, ImageDraw

            from app.materials.intake import prepare_pages
            from app.materials.sides import compose_sides

            base = Image.new("RGB", (900, 700), (60, 60, 66))
            ImageDraw.Draw(base).polygon(((200, 120), (690, 150), (660, 600), (170, 570)), "white")
            out = io.BytesIO()
            base.save(out, "JPEG")
            frame = out.getvalue()
            (page,) = prepare_pages(frame, "自检", straighten=True)
            if page.width >= 900:
                raise RuntimeError("自动裁边未生效")
            card = compose_sides(((frame, "人像面"), (frame, "国徽面")), "居民身份证")
            return f"材料页 WebP {len(page.data) // 1024} KB，裁边 {page.width}×{page.height}，证件合成 {card.width}×{card.height}"

        def stats() -> str:
            # Qt Charts (PySide6-Addons) and openpyxl are what the 统计 workspace needs.
            qt()  # a QApplication with the bundled font
            from PySide6.QtCharts import QChart, QChartView, QLineSeries

            from app.reports import excel
            from app.reports.tables import Column, Kind, Table

            chart = QChart()
            series = QLineSeries()
            for x, y in ((0, 1), (1, 3), (2, 2)):
                series.append(x, y)
            chart.addSeries(series)
            chart.createDefaultAxes()
            view = QChartView(chart)
            view.resize(240, 160)
            image = view.grab().toImage()
            drawn = sum(
                1 for x in range(240) for y in range(160) if image.pixelColor(x, y).value() < 200
            )
            if drawn < 50:
                raise RuntimeError("统计图表未能绘制")
            table = Table("t", "自检", (Column("项目"), Column("数量", Kind.INT)), [("号票", 1)])
            with tempfile.TemporaryDirectory() as folder:
                target = Path(folder) / "自检.xlsx"
                excel.write_workbook([table], target)
                size = target.stat().st_size
            return f"图表绘制 {drawn} 个像素，Excel {size // 1024} KB"

        for name, fn in (
            ("数据库", database),
            ("事项目录", services),
            ("中文 PDF", pdf),
            ("界面与字体", qt),
            ("叫号语音", voice),
            ("号票", slip),
            ("对象存储", object_store),
            ("材料页", pages),
            ("统计图表与 Excel", stats),
        ):
            _check(name, fn, failures, warnings)
        db.dispose()
    if failures:
        print(f"自检失败：{'、'.join(failures)}")
    elif warnings:
        print(f"自检通过，有 {len(warnings)} 项警告：{'、'.join(warnings)}。")
    else:
        print("自检通过。")
    return 0 if not failures else 1
