"""Log-in, first administrator, user management, catalog browser, idle lock — offscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.db.session import Database
from app.hall import setup
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.roles import Role
from forms.loader import Catalog
from ui.admin.catalog_browser import CatalogBrowser
from ui.admin.users_panel import UserDialog, UsersPanel
from ui.audit_panel import AuditPanel
from ui.context import AppContext
from ui.idle_lock import IdleWatcher, LockDialog
from ui.login import FirstAdminDialog, LoginDialog
from ui.main_window import MainWindow
from ui.ops import OpRunner
from ui.print_preview import paint_pdf


def _login(qtbot: QtBot, ctx: AppContext, name: str, pw: str) -> LoginDialog:
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText(name)
    dialog.password.setText(pw)
    dialog.buttons.accepted.emit()
    return dialog


def test_login_failure_shows_message_next_to_password(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = _login(qtbot, ctx, "admin", "Wrong#2026")
    qtbot.waitUntil(lambda: dialog.errors.message_for("password") != "")
    assert "用户名或密码不正确" in dialog.errors.message_for("password")
    assert dialog.password.text() == "" and dialog.username.text() == "admin"  # name kept
    assert dialog.isVisible() and dialog.actor is None


def test_empty_username_is_caught_before_the_database(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = _login(qtbot, ctx, "", "x")
    assert dialog.errors.message_for("username") == "请输入用户名。"


def test_login_success_opens_admin_workspace(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = _login(qtbot, ctx, "admin", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: dialog.actor is not None)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None
    window = MainWindow(ctx, dialog.actor)
    qtbot.addWidget(window)
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["用户管理", "事项目录"]
    assert "示范区政务服务中心" in window.hall_label.text()
    assert "系统管理员" in window.user_label.text()


def test_workspaces_follow_roles(qtbot: QtBot, ctx: AppContext) -> None:
    for name, expected in (
        ("auditor", ["审计日志", "事项目录"]),
        ("clerk", ["窗口服务", "诉求事件", "事项目录（办事指南）"]),
        ("approver", ["审批待办", "统计", "事项目录"]),
        (
            "supervisor",
            [
                "大厅监控",
                "办件监控",
                "工作日历",
                "统计",
                "探访关爱",
                "诉求事件",
                "调解",
                "事项目录",
            ],
        ),
        ("care", ["探访关爱", "诉求事件", "事项目录"]),
        ("paidan", ["诉求事件", "事项目录"]),
        ("shizheng", ["审批待办", "统计", "诉求事件", "事项目录"]),
        ("mediator", ["调解", "事项目录"]),
    ):
        window = MainWindow(ctx, users.login(ctx.db, name, DEMO_PASSWORD))
        qtbot.addWidget(window)
        assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == expected
        if name == "clerk":  # one workspace: the queue bar over the counter's tabs
            assert window.counter is not None and window.counter.queue_panel is not None
            inner = window.counter.tabs
            assert [inner.tabText(i) for i in range(inner.count())] == [
                "综合受理 (Alt+1)",
                "出件 (Alt+2)",
                "等候队列 (Alt+3)",
            ]
        window.close()


def test_admin_creates_user_who_can_then_log_in(qtbot: QtBot, ctx: AppContext) -> None:
    admin = users.login(ctx.db, "admin", DEMO_PASSWORD)
    panel = UsersPanel(ctx, admin)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.model.rowCount() == len(setup.DEMO_USERS))
    dialog = UserDialog(ctx, admin, panel.departments)
    qtbot.addWidget(dialog)
    dialog.username.setText("liuyang")
    dialog.full_name.setText("刘洋")
    dialog.password.setText("weak")
    dialog.role_checks[Role.APPROVER].setChecked(True)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors.message_for("departments") != "")
    assert "必须指定所属部门" in dialog.errors.message_for("departments")
    dialog.dept_checks["CL"].setChecked(True)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors.message_for("password") != "")
    assert dialog.username.text() == "liuyang"  # nothing typed is lost
    dialog.password.setText("Approver#2026")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result_user is not None)
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.rowCount() == len(setup.DEMO_USERS) + 1)
    row = next(i for i, u in enumerate(panel.model.users) if u.username == "liuyang")
    index = panel.model.index(row, 3)
    assert panel.model.data(index) == "残疾人联合会"
    login = _login(qtbot, ctx, "liuyang", "Approver#2026")
    qtbot.waitUntil(lambda: login.actor is not None)
    assert login.actor is not None and login.actor.must_change_password


def test_disable_and_unlock_from_the_panel(qtbot: QtBot, ctx: AppContext) -> None:
    admin = users.login(ctx.db, "admin", DEMO_PASSWORD)
    panel = UsersPanel(ctx, admin)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.model.rowCount() == len(setup.DEMO_USERS))
    row = next(i for i, u in enumerate(panel.model.users) if u.username == "clerk2")
    panel.view.selectRow(row)
    assert panel.buttons["toggle"].text() == "停用"
    panel.buttons["toggle"].click()
    qtbot.waitUntil(lambda: "已停用" in panel.message.text())
    qtbot.waitUntil(
        lambda: panel.selected() is not None and panel.buttons["toggle"].text() == "启用"
    )
    status = panel.model.data(panel.model.index(panel.view.currentIndex().row(), 4))
    assert status == "已停用"


def test_first_admin_dialog(qtbot: QtBot, empty_db: Database, catalog: Catalog) -> None:
    from app.config import Settings

    setup.prepare(empty_db, catalog, "HALL", "测试大厅")
    assert users.needs_first_admin(empty_db)
    ctx = AppContext(empty_db, Settings(database_url="sqlite:///x", hall_code="HALL"), OpRunner())
    dialog = FirstAdminDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.username.setText("boss")
    dialog.full_name.setText("大厅负责人")
    dialog.password.setText("Boss#2026x")
    dialog.password2.setText("Boss#2026y")
    dialog.submit()
    assert dialog.errors.message_for("password2") == "两次输入的密码不一致。"
    dialog.password2.setText("Boss#2026x")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors.message_for("password") != "")
    assert dialog.errors.message_for("password") == "密码不能包含用户名。"
    dialog.password.setText("Hall#2026x")
    dialog.password2.setText("Hall#2026x")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.actor is not None, timeout=10_000)
    assert dialog.actor is not None and Role.SYSADMIN in dialog.actor.roles
    assert not users.needs_first_admin(empty_db)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    ctx.ops.shutdown()


def test_catalog_browser_shows_all_services(qtbot: QtBot, ctx: AppContext) -> None:
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    browser = CatalogBrowser(ctx, clerk)
    qtbot.addWidget(browser)
    qtbot.waitUntil(lambda: len(browser.entries) >= 40)
    assert browser.tree.topLevelItemCount() >= 8
    assert browser.count.text() == "共 45 个事项，10 个部门"
    browser.select("MZ001")
    assert browser.title.text() == "最低生活保障申请"
    assert browser.materials.rowCount() == 5
    assert browser.materials.item(3, 3).text() == "当 申请人是否残疾 = 是 时"
    routing = [browser.routing.item(r, 2).text() for r in range(browser.routing.rowCount())]
    assert (
        "民政局（年龄 ≥ 60）" in routing[1] and "残疾人联合会（申请人是否残疾 = 是）" in routing[1]
    )
    browser.search.setText("低保")
    browser.search.setText("居住证")
    visible = [
        browser.tree.topLevelItem(i)
        for i in range(browser.tree.topLevelItemCount())
        if not browser.tree.topLevelItem(i).isHidden()
    ]
    assert len(visible) == 1 and "公安" in visible[0].text(0)


def test_service_guide_prints_through_qt(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    from datetime import date

    from app.hall import catalog
    from printing import service_guide

    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    pdf = service_guide.render(catalog.guide(ctx.db, clerk, "MZ001", date(2026, 11, 23)))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    printer.setResolution(150)
    paint_pdf(printer, pdf)
    assert out.stat().st_size > 20_000  # a page image, not an empty page


def test_auditor_verifies_the_chain(qtbot: QtBot, ctx: AppContext) -> None:
    panel = AuditPanel(ctx, users.login(ctx.db, "auditor", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.table.rowCount() > 0)
    assert panel.table.item(0, 3).text() == "登录"
    panel.verify()
    qtbot.waitUntil(lambda: "审计链完整" in panel.result.text())


def test_idle_watcher_locks_once_after_the_limit(qtbot: QtBot) -> None:
    now = [1000.0]
    fired: list[int] = []
    watcher = IdleWatcher(clock=lambda: now[0])
    watcher.arm(10, lambda: fired.append(1))
    now[0] += 599
    watcher.check()
    assert fired == []
    now[0] += 2
    watcher.check()
    watcher.check()
    assert fired == [1] and watcher.locked
    watcher.unlocked()
    assert not watcher.locked
    watcher.disarm()
    now[0] += 10_000
    watcher.check()
    assert fired == [1]  # a closed window is never locked again


def test_lock_dialog_needs_the_same_users_password(qtbot: QtBot, ctx: AppContext) -> None:
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    dialog = LockDialog(ctx, clerk)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()  # Escape does not unlock
    assert dialog.isVisible()
    dialog.password.setText("Wrong#2026")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors.message_for("password") != "")
    dialog.password.setText(DEMO_PASSWORD)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
