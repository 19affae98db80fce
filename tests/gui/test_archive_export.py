"""导出归档 PDF… in the case view: the supervisor saves the case file as one PDF (the save
dialog replaced); cancelling exports nothing; the auditor's refusal is said in the view."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.actor import Actor
from app.cases import casefile, intake
from app.cases.intake import IntakeInput
from app.db.models import AuditEvent
from app.materials import intake as mi
from app.people import users
from tests.helpers import pages as tp
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
from tests.helpers.people import actor
from ui.casefile import archive_export
from ui.casefile.view import CaseView
from ui.context import AppContext


@pytest.fixture(scope="module")
def scans() -> dict[str, tuple[mi.PreparedPage, ...]]:
    income = tuple(mi.prepare_pages(tp.form_pdf(2), "收入证明.pdf"))
    card = (mi.prepare_page(tp.encoded(tp.draw((856, 540)), "PNG"), "身份证.png"),)
    return {"income_proof": income, "id_card": card}


def _view(qtbot: QtBot, ctx: AppContext, reader: Actor, case_id: int) -> CaseView:
    view = CaseView(ctx, reader, casefile.open_case(ctx.db, reader, case_id))
    qtbot.addWidget(view)
    view.show()
    return view


def _exports(ctx: AppContext) -> list[AuditEvent]:
    with ctx.db.read_only() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "case_file_exported")))


def test_the_supervisor_saves_the_case_file_as_one_pdf(
    qtbot: QtBot,
    ctx: AppContext,
    scans: dict[str, tuple[mi.PreparedPage, ...]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    inp = IntakeInput("MZ001", applicant(ctx.db), dict(DIBAO_FORM), ticks(*ALL_DIBAO), pages=scans)
    case_id = intake.accept(ctx.db, actor(ctx.db), inp).case_id
    supervisor = users.demo_actor(ctx.db, "supervisor")
    view = _view(qtbot, ctx, supervisor, case_id)
    asked: list[str] = []
    answers = iter(["", str(tmp_path / "案卷")])  # cancelled once, then a name without .pdf
    monkeypatch.setattr(
        archive_export.SaveAs, "ask", lambda _p, name: asked.append(name) or next(answers)
    )
    assert view.export_button is not None and view.export_button.text() == "导出归档 PDF…"
    view.export_button.click()
    assert _exports(ctx) == [] and view.banner_text() == ""
    view.export_button.click()
    qtbot.waitUntil(lambda: "归档 PDF 已保存" in view.banner_text())
    assert asked == [f"{view.file.case_no}-归档.pdf"] * 2
    reader = PdfReader(io.BytesIO((tmp_path / "案卷.pdf").read_bytes()))
    assert len([p for p in reader.pages if p.images]) == 3
    assert f"归档导出 {supervisor.full_name}" in reader.pages[0].extract_text()
    (event,) = _exports(ctx)
    assert event.actor_name == supervisor.full_name


def test_the_auditor_is_told_why_not(
    qtbot: QtBot,
    ctx: AppContext,
    scans: dict[str, tuple[mi.PreparedPage, ...]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    inp = IntakeInput("MZ001", applicant(ctx.db), dict(DIBAO_FORM), ticks(*ALL_DIBAO), pages=scans)
    case_id = intake.accept(ctx.db, actor(ctx.db), inp).case_id
    supervisor = users.demo_actor(ctx.db, "supervisor")
    view = _view(qtbot, ctx, supervisor, case_id)
    # The button shows for the roles that may read cases; the service has the last word.
    view.actor = users.demo_actor(ctx.db, "auditor")
    monkeypatch.setattr(archive_export.SaveAs, "ask", lambda _p, _n: str(tmp_path / "x.pdf"))
    refused = archive_export.add_export_button(
        view.findChild(archive_export.QDialogButtonBox),  # type: ignore[arg-type]
        ctx,
        view.actor,
        lambda: dataclasses.replace(view.file, sees_pages=False),  # as the auditor reads it
        view.say,
    )
    assert refused is None  # no button for a reader who may not see the pages
    archive_export.export_archive(view, ctx, view.actor, view.file, view.say)
    qtbot.waitUntil(lambda: "没有查看该办件材料的权限" in view.banner_text())
    assert not (tmp_path / "x.pdf").exists() and _exports(ctx) == []


def test_an_approver_without_a_task_on_the_case_gets_no_export_button(
    qtbot: QtBot, ctx: AppContext, scans: dict[str, tuple[mi.PreparedPage, ...]]
) -> None:
    """残联 has no task on a 低保 case at 初审: no pages, no export offered."""
    inp = IntakeInput("MZ001", applicant(ctx.db), dict(DIBAO_FORM), ticks(*ALL_DIBAO), pages=scans)
    case_id = intake.accept(ctx.db, actor(ctx.db), inp).case_id
    view = _view(qtbot, ctx, users.demo_actor(ctx.db, "canlian"), case_id)
    assert not view.file.sees_pages
    labels = [b.text() for b in view.findChildren(archive_export.QPushButton)]
    assert "导出归档 PDF…" not in labels
