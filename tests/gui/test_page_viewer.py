"""The approver sees a case's pages in its view: thumbnails, the viewer (page through, zoom,
rotate), 标记无法辨认 with a reason, 退回补正 — and the 补正通知书 names the page. A reader
who may not see the pages is told so."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.cases import casefile, intake
from app.cases.intake import IntakeInput
from app.cases.workflow import Outcome
from app.db.models import AuditEvent
from app.errors import DomainError
from app.materials import intake as mi
from app.materials import marking, viewing
from app.people import users
from app.states import CaseState
from tests.gui import screen_fit
from tests.gui.screen_fit import Kind
from tests.helpers import pages as tp
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
from tests.helpers.pdf import pdf_text
from tests.helpers.people import actor
from ui.casefile import page_viewer
from ui.casefile import view as view_module
from ui.casefile.actions import DecisionBox
from ui.casefile.view import CaseView
from ui.context import AppContext

ITEM = "收入证明 第 2 页 无法辨认：字迹模糊，请重新提供"


@pytest.fixture(scope="module")
def scans() -> dict[str, tuple[mi.PreparedPage, ...]]:
    income = tuple(mi.prepare_pages(tp.form_pdf(2), "收入证明.pdf"))
    card = (mi.prepare_page(tp.encoded(tp.draw((856, 540)), "PNG"), "身份证.png"),)
    return {"income_proof": income, "id_card": card}


def _case(ctx: AppContext, scans: dict[str, tuple[mi.PreparedPage, ...]]) -> int:
    inp = IntakeInput("MZ001", applicant(ctx.db), dict(DIBAO_FORM), ticks(*ALL_DIBAO), pages=scans)
    return intake.accept(ctx.db, actor(ctx.db), inp).case_id


def _view(qtbot: QtBot, ctx: AppContext, username: str, case_id: int) -> CaseView:
    reader = users.demo_actor(ctx.db, username)
    view = CaseView(ctx, reader, casefile.open_case(ctx.db, reader, case_id))
    qtbot.addWidget(view)
    view.show()
    view.tabs.setCurrentWidget(view.pages)
    return view


def test_approver_pages_through_marks_one_and_the_notice_names_it(
    qtbot: QtBot,
    ctx: AppContext,
    scans: dict[str, tuple[mi.PreparedPage, ...]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    case_id = _case(ctx, scans)
    view = _view(qtbot, ctx, "approver", case_id)
    panel = view.pages
    qtbot.waitUntil(lambda: panel.thumbnails_shown() == 3)
    assert sorted(panel.lists) == ["id_card", "income_proof"]
    assert panel.lists["income_proof"].count() == 2
    with ctx.db.read_only() as s:  # thumbnails are not page views
        assert s.scalar(select(func.count()).where(AuditEvent.action == "page_viewed")) == 0

    viewer = panel.open_page(0)  # 身份证 first (materials by key), then 收入证明 1, 2
    qtbot.waitUntil(viewer.image_shown)
    assert viewer.where() == "居民身份证 第 1 页" and not viewer.buttons["previous"].isEnabled()
    viewer.next_page()
    viewer.next_page()
    qtbot.waitUntil(viewer.image_shown)
    assert viewer.where() == "收入证明 第 2 页" and not viewer.buttons["next"].isEnabled()
    fitted = viewer.image.pixmap().width()
    viewer.zoom_in()
    assert viewer.image.pixmap().width() > fitted
    viewer.fit()
    assert viewer.image.pixmap().width() == fitted
    viewer.rotate(1)
    qtbot.waitUntil(lambda: viewer.page.rotation == 90)
    assert viewer.image.pixmap().width() > viewer.image.pixmap().height()  # a portrait page, turned

    asked: list[tuple[str, DomainError | None]] = []
    answers = iter(["", "字迹模糊"])  # nothing typed first: refused, asked again with why

    def ask(_cls: object, _parent: object, where: str, note: str = "", error=None) -> str:  # type: ignore[no-untyped-def]
        asked.append((where, error))
        return next(answers)

    monkeypatch.setattr(page_viewer.UnreadableDialog, "ask", classmethod(ask))
    viewer.mark()
    qtbot.waitUntil(lambda: viewer.page.unreadable)
    assert [w for w, _e in asked] == ["收入证明 第 2 页"] * 2
    assert asked[1][1] is not None and asked[1][1].field == "note"
    assert viewer.mark_label.isVisible() and "字迹模糊" in viewer.mark_label.text()
    thumb = panel.lists["income_proof"].item(1)
    assert thumb.toolTip() == "无法辨认：字迹模糊"
    assert view.decision.items.toPlainText() == ITEM  # proposed for 退回补正
    viewer.close()

    shown: list[bytes] = []
    monkeypatch.setattr(view_module, "show_pdf", lambda _p, pdf, _title: shown.append(pdf))
    view.decision.set_outcome(Outcome.RETURN)
    view.decision.opinion.setPlainText("收入证明第二页看不清")
    view.decision.submit_button.click()
    qtbot.waitUntil(lambda: view.file.state == CaseState.AWAITING_SUPPLEMENT)
    assert view.file.supplement_items == (ITEM,)
    view.print_supplement()
    qtbot.waitUntil(lambda: bool(shown))
    assert ITEM in pdf_text(shown[0], tmp_path, "supplement")


def test_a_reader_who_may_not_see_the_pages_is_told_so(
    qtbot: QtBot, ctx: AppContext, scans: dict[str, tuple[mi.PreparedPage, ...]]
) -> None:
    case_id = _case(ctx, scans)
    view = _view(qtbot, ctx, "canlian", case_id)  # 残联: no task on this case
    qtbot.waitUntil(lambda: view.pages.refusal() != "")
    assert view.pages.refusal() == "您没有查看该办件材料的权限。"
    assert view.pages.thumbnails_shown() == 0 and not view.pages.lists


@pytest.mark.parametrize("desk_name", list(screen_fit.DESKS))
def test_materials_tab_and_viewer_fit_the_desk(
    desk_name: str,
    qtbot: QtBot,
    ctx: AppContext,
    app_style: None,
    scans: dict[str, tuple[mi.PreparedPage, ...]],
    tmp_path: Path,
) -> None:
    on = screen_fit.desk(desk_name)
    if on is None:
        pytest.skip(f"the platform has no {desk_name} screen (QT_QPA_PLATFORM not offscreen)")
    case_id = _case(ctx, scans)
    approver = users.demo_actor(ctx.db, "approver")
    marking.mark_unreadable(
        ctx.db, approver, viewing.case_pages(ctx.db, approver, case_id)[2].id, "字迹模糊"
    )
    reader = users.demo_actor(ctx.db, "approver")
    view = CaseView(ctx, reader, casefile.open_case(ctx.db, reader, case_id))
    qtbot.addWidget(view)
    screen_fit.place(view, on, Kind.DIALOG)
    view.tabs.setCurrentWidget(view.pages)
    qtbot.waitUntil(lambda: view.pages.thumbnails_shown() == 3)
    shot = screen_fit.screenshot(view, f"case-pages-{desk_name}", tmp_path)
    found = screen_fit.misfits(view, on.room(Kind.DIALOG))
    assert not found, f"case view's 电子材料 on {desk_name} ({shot}):\n  " + "\n  ".join(found)
    viewer = view.pages.open_page(2)
    viewer.move(on.origin + QPoint(0, screen_fit.TITLE_BAR))
    qtbot.waitUntil(viewer.image_shown)
    shot = screen_fit.screenshot(viewer, f"page-viewer-{desk_name}", tmp_path)
    found = screen_fit.misfits(viewer, on.room(Kind.DIALOG))
    assert not found, f"page viewer on {desk_name} ({shot}):\n  " + "\n  ".join(found)
    viewer.close()


def test_proposed_items_follow_the_marks(qtbot: QtBot) -> None:
    box = DecisionBox()
    qtbot.addWidget(box)
    box.items.setPlainText("银行流水")
    box.propose_items((ITEM,))
    box.propose_items((ITEM,))  # proposed again (a reload): not twice
    assert box.items.toPlainText().splitlines() == ["银行流水", ITEM]
    box.items.setPlainText("银行流水\n收入证明 第 2 页 右半页看不清")  # the approver's wording
    other = "居民身份证 第 1 页 无法辨认：反光，请重新提供"
    box.propose_items((ITEM, other))
    edited = ["银行流水", "收入证明 第 2 页 右半页看不清"]
    assert box.items.toPlainText().splitlines() == [*edited, other]
    box.propose_items(())  # both marks cleared: the proposal goes, the typed lines stay
    assert box.items.toPlainText().splitlines() == edited
