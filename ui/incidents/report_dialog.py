"""上报事件: the counter (walk-in, phone) or a community worker for a grid worker reports an
event — type and sub-type from the event catalog, grid, place, description, photos, the
reporter (or 匿名). Enter submits, Esc cancels; a refusal shows under its field and what
was typed stays. At the counter the event is 受理 at once and dispatched where the 派单目录
decides; the receipt (回执) is printed after."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.actor import Actor
from app.incidents import reporting
from app.incidents.lifecycle import Moved, catalog
from app.incidents.reporting import CHANNELS, IncidentInput
from app.roles import Permission
from ui.care.common import CareForm
from ui.context import AppContext
from ui.incidents.photos_row import PhotosRow, prepared


class ReportDialog(CareForm):
    """The report form; :attr:`moved` is the reported event once it was saved."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("上报群众诉求 / 网格事件"), parent)
        self.actor = actor
        self.moved: Moved | None = None
        self.kind = QComboBox()
        for t in catalog().types.values():
            for sub in t.subtypes:
                self.kind.addItem(f"{t.name} · {sub.name}", sub.code)
        self.kind.setMaxVisibleItems(20)
        # Typing part of a name ("井盖") offers the matching types.
        self.kind.setEditable(True)
        self.kind.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        typing = self.kind.lineEdit()
        finder = self.kind.completer()
        assert typing is not None and finder is not None  # an editable combo has both
        typing.setPlaceholderText(self.tr("输入关键字筛选，如“井盖”"))
        self.kind.setCurrentIndex(-1)
        finder.setFilterMode(Qt.MatchFlag.MatchContains)
        finder.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.grid = QLineEdit()
        self.grid.setPlaceholderText(self.tr("如：幸福社区第一网格"))
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("如：幸福路 3 号门口"))
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(90)
        self.channel = QComboBox()
        for code, label in CHANNELS.items():
            if code == "counter" and not actor.can(Permission.INTAKE):
                continue
            self.channel.addItem(label, code)
        self.name = QLineEdit()
        self.phone = QLineEdit()
        self.anonymous = QCheckBox(self.tr("匿名反映（不记录姓名和电话）"))
        self.anonymous.toggled.connect(self._anonymous)
        self.photos = PhotosRow()
        self.add_row(self.tr("事件类型"), "subtype", self.kind)
        self.add_row(self.tr("所属网格"), "grid", self.grid)
        self.add_row(self.tr("地点"), "address", self.address)
        self.add_row(self.tr("问题描述"), "description", self.description)
        self.add_row(self.tr("反映渠道"), "channel", self.channel)
        self.add_row(self.tr("反映人姓名"), "reporter_name", self.name)
        self.add_row(self.tr("联系电话"), "reporter_phone", self.phone)
        self.add_row("", "anonymous", self.anonymous)
        self.add_row(self.tr("现场照片"), "photos", self.photos)
        note = QLabel(
            self.tr("窗口受理的事件当即受理，派单目录能确定部门的即时派遣；其余等待派单员派单。")
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self._layout.insertWidget(0, note)
        self.ok_text(self.tr("上报"))

    def _anonymous(self, on: bool) -> None:
        for edit in (self.name, self.phone):
            edit.setEnabled(not on)

    def subtype(self) -> str:
        """The sub-type whose name the type field holds ("" when it names none)."""
        found = self.kind.findText(self.kind.currentText().strip())
        return str(self.kind.itemData(found) or "") if found >= 0 else ""

    def entered(self) -> IncidentInput:
        """What the form holds."""
        return IncidentInput(
            subtype=self.subtype(),
            grid=self.grid.text(),
            address=self.address.text(),
            description=self.description.toPlainText(),
            channel=str(self.channel.currentData() or ""),
            reporter_name=self.name.text(),
            reporter_phone=self.phone.text(),
            anonymous=self.anonymous.isChecked(),
        )

    def submit(self) -> None:
        """Report it (the photos read and normalised in the same call)."""
        db, actor, inp, paths = self.ctx.db, self.actor, self.entered(), list(self.photos.paths)

        def op() -> Moved:
            reporting.check(actor, inp)  # the fields first: a wrong one before a slow file
            return reporting.report(db, actor, replace(inp, photos=prepared(paths)))

        def done(moved: Moved) -> None:
            self.moved = moved
            self.accept()

        self._call(op, done)
