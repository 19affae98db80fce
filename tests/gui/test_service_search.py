"""Finding a service in two keys: the intake screen's search box and the catalog browser."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app.hall.setup import DEMO_PASSWORD
from app.people import users
from ui.admin.catalog_browser import CatalogBrowser
from ui.context import AppContext
from ui.counter.intake_panel import IntakePanel


class Keys:
    """Navigation keys pressed into whatever has focus, counted."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot, self.count = qtbot, 0

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        widget = QApplication.focusWidget()
        assert widget is not None
        self.qtbot.keyClick(widget, key, modifier)
        self.count += 1


def _ime(text: str) -> None:
    """Chinese arrives from the input method as committed text, not as key presses."""
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit)
    widget.insert(text)


def _panel(qtbot: QtBot, ctx: AppContext) -> IntakePanel:
    actor = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    panel = IntakePanel(ctx, actor)
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    qtbot.waitUntil(lambda: len(panel.services) > 40)
    panel.start(None)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    panel.activateWindow()
    qtbot.waitUntil(lambda: panel.applicant.id_edit.hasFocus())
    return panel


def test_dibao_typed_and_enter_opens_its_form_with_the_cursor_in_it(
    qtbot: QtBot, ctx: AppContext
) -> None:
    panel = _panel(qtbot, ctx)
    keys = Keys(qtbot)
    keys.press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert panel.service_search.hasFocus()
    _ime("低保")
    hits = panel.service_form.hits
    assert hits.isVisible() and hits.item(0).text().startswith("MZ001 最低生活保障申请")
    keys.press(Qt.Key.Key_Return)
    print(f"service search keys: {keys.count}")
    assert keys.count == 2
    assert panel.service is not None and panel.service.code == "MZ001"
    assert panel.form is not None and panel.form.inputs["household_size"].hasFocus()
    assert panel.service_search.text() == "" and not hits.isVisible()  # the form has the room
    assert "MZ001 最低生活保障申请" in panel.service_form.label.text()


def test_initials_arrows_and_enter_take_the_hit_chosen(qtbot: QtBot, ctx: AppContext) -> None:
    panel = _panel(qtbot, ctx)
    panel.service_form.focus_search()
    qtbot.keyClicks(panel.service_search, "dbsq")
    assert panel.service_form.hits.item(0).text().startswith("MZ001")
    qtbot.keyClicks(panel.service_search, "\b\b\b\b")
    qtbot.keyClicks(panel.service_search, "sbk")
    hits = panel.service_form.hits
    assert [hits.item(i).text()[:5] for i in range(2)] == ["RS003", "RS004"]
    qtbot.keyClick(panel.service_search, Qt.Key.Key_Down)
    qtbot.keyClick(panel.service_search, Qt.Key.Key_Return)
    assert panel.service is not None and panel.service.code == "RS004"
    # What was typed for a service is kept when another is taken and this one again.
    panel.service_form.focus_search()
    qtbot.keyClicks(panel.service_search, "MZ001")
    qtbot.keyClick(panel.service_search, Qt.Key.Key_Return)
    assert panel.form is not None
    size = panel.form.inputs["household_size"]
    assert isinstance(size, QLineEdit)
    size.setText("3")
    panel.choose_service("GA005")
    panel.choose_service("MZ001")
    size = panel.form.inputs["household_size"]
    assert isinstance(size, QLineEdit) and size.text() == "3"


def test_the_next_applicant_starts_with_no_service_chosen(qtbot: QtBot, ctx: AppContext) -> None:
    panel = _panel(qtbot, ctx)
    panel.choose_service("MZ001")
    assert panel.form is not None
    size = panel.form.inputs["household_size"]
    assert isinstance(size, QLineEdit)
    size.setText("3")
    panel.next_applicant()
    assert panel.service is None and panel.form is None
    assert panel.service_form.hits.isVisibleTo(panel)  # nothing chosen: the list is offered
    # What the last person's form held is not the next person's.
    panel.choose_service("MZ001")
    size = panel.form.inputs["household_size"]
    assert isinstance(size, QLineEdit) and size.text() == ""


def test_the_catalog_browser_finds_dibao_and_initials(qtbot: QtBot, ctx: AppContext) -> None:
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    browser = CatalogBrowser(ctx, clerk)
    qtbot.addWidget(browser)
    qtbot.waitUntil(lambda: len(browser.entries) >= 40)
    browser.search.setText("低保")
    assert browser.found[0] == "MZ001"
    assert browser.title.text() == "最低生活保障申请"
    assert [d for d in browser.visible_departments() if d.startswith("民政局")]
    browser.search.setText("dbsq")
    assert browser.found == ["MZ001"]
    browser.search.setText("医保转移")
    assert browser.found[0] == "YB002" and browser.title.text() == "基本医疗保险关系转移接续"
    browser.search.setText("")
    assert len(browser.found) == len(browser.entries)
