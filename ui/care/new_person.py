"""新建档案, step one: find or register the resident — the counter's applicant box
(:class:`~ui.counter.applicant_panel.ApplicantPanel`: swipe or type the ID, 查找…, 生僻字…,
Enter registers), then 下一步 checks the person has no profile yet in this hall.

``resident`` is set when a new profile may be made; ``existing_id`` when the person
already has one (the worker opens it instead).
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.care import profiles
from app.people.residents import ResidentView
from ui.care.common import call
from ui.context import AppContext
from ui.counter.applicant_panel import ApplicantPanel
from ui.widgets import screen_room
from ui.widgets.field_errors import FieldErrors


class NewPersonDialog(QDialog):
    """Who the new profile is for."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.resident: ResidentView | None = None
        self.existing_id: int | None = None
        self._found: int | None = None
        self.setWindowTitle(self.tr("新建档案：选择服务对象"))
        intro = QLabel(
            self.tr(
                "先刷身份证或输入身份证号：已登记的居民自动带出；新居民填写姓名、电话、"
                "住址后按 Enter 登记。也可用“查找…”按姓名查找。"
            )
        )
        intro.setWordWrap(True)
        self.person = ApplicantPanel(ctx, actor, self.tr("服务对象"))
        self.person.resident_changed.connect(self._changed)
        self.person.settled.connect(lambda _r: self.next_step())
        self.person.looked_up.connect(self._looked_up)
        general = QLabel()
        self.errors = FieldErrors(general)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.next_button = self.buttons.addButton(
            self.tr("下一步：填写档案"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.next_button.clicked.connect(self.next_step)
        self.open_button = self.buttons.addButton(
            self.tr("打开原档案"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.clicked.connect(self._open_existing)
        self.open_button.hide()
        cancel = self.buttons.addButton(
            self.tr("取消 (Esc)"), QDialogButtonBox.ButtonRole.RejectRole
        )
        cancel.clicked.connect(self.reject)
        for b in (self.next_button, self.open_button, cancel):
            b.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.person)
        layout.addWidget(self.message)
        layout.addWidget(general)
        layout.addWidget(self.buttons)
        self._changed(None)
        screen_room.resize_within(self, QSize(640, 420))
        self.person.id_edit.setFocus()

    def _changed(self, r: object) -> None:
        self.next_button.setEnabled(r is not None)
        self.open_button.hide()
        self.message.clear()

    def _looked_up(self, r: ResidentView | None) -> None:
        """A known resident: Enter on 下一步 goes on (the record may be updated first);
        a new one: the cursor in 姓名 (then Tab 电话, Tab 住址, Enter registers)."""
        if r is not None:
            self.next_button.setAutoDefault(True)
            self.next_button.setFocus()
        else:
            self.person.name_edit.setFocus()

    def next_step(self) -> None:
        """Whether this person has a profile already; if not, go on to the form."""
        r = self.person.resident
        if r is None:
            return
        db, actor = self.ctx.db, self.actor
        call(
            self.ctx,
            self,
            lambda: profiles.profile_of_resident(db, actor, r.id),
            lambda found: self._checked(r, found),
            self.errors,
            (self.next_button,),
        )

    def _checked(self, r: ResidentView, found: int | None) -> None:
        if found is None:
            self.resident = r
            self.accept()
            return
        self._found = found
        self.message.setText(self.tr("%1已有关爱档案，请打开原档案修改。").replace("%1", r.name))
        self.open_button.show()
        self.open_button.setAutoDefault(True)
        self.open_button.setFocus()

    def _open_existing(self) -> None:
        self.existing_id = self._found
        self.accept()
