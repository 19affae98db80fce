"""One event's file beside the list: what, where, who reported it, the departments, the
timeline with each stage's working time and deadline (late stages in red), 延期申请, the
photos (thumbnails; Enter or a double-click on one shows it large), and the buttons of the
steps its viewer may take now (:mod:`ui.incidents.steps`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import DomainError
from app.incidents import pictures
from app.incidents.lists import File
from app.incidents.progress import LEVELS
from app.incidents.reporting import CHANNELS
from app.states import EXTENSION_FLOW, ExtensionState
from ui.care.common import OVERDUE_BACK, OVERDUE_TEXT, TODAY_BACK, cell, table
from ui.context import AppContext

TIMELINE = ("时间", "环节", "说明", "用时", "期限")
PHOTO_STAGES = {"report": "现场", "feedback": "处置"}
THUMB = 96


def minutes_text(minutes: int | None) -> str:
    """Working minutes as people say them: "45 分钟", "2 小时 5 分钟"."""
    if minutes is None:
        return ""
    hours, rest = divmod(abs(minutes), 60)
    if hours and rest:
        return f"{hours} 小时 {rest} 分钟"
    return f"{hours} 小时" if hours else f"{rest} 分钟"


def left_text(minutes: int | None) -> str:
    """What is left of a stage's clock: "剩 25 分钟" or "超时 1 小时"."""
    if minutes is None:
        return "—"
    return f"超时 {minutes_text(minutes)}" if minutes < 0 else f"剩 {minutes_text(minutes)}"


class PhotoDialog(QDialog):
    """One photo, large."""

    def __init__(self, data: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        screen = self.screen().availableGeometry()
        shown = pixmap.scaled(
            int(screen.width() * 0.8),
            int(screen.height() * 0.8),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        label = QLabel()
        label.setPixmap(shown)
        layout = QVBoxLayout(self)
        layout.addWidget(label)


class FilePane(QWidget):
    """The file of the event chosen in the list (empty until one is)."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.file: File | None = None
        self.generation = 0
        self.title = QLabel(self.tr("请在左侧选择一个事件。"))
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.fields = QFormLayout()
        self.fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.values: dict[str, QLabel] = {}
        for key, label in (
            ("what", "事件类型"),
            ("place", "网格 / 地点"),
            ("description", "问题描述"),
            ("reporter", "反映人"),
            ("depts", "主办 / 抄送"),
            ("result", "处置结果"),
            ("reason", "退单 / 返工理由"),
            ("extensions", "延期申请"),
            ("other", "其他"),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self.fields.addRow(self.tr(label), value)
        self.timeline = table([self.tr(h) for h in TIMELINE], wide=(2,))
        self.timeline.setMinimumHeight(150)
        self.photos = QListWidget()
        self.photos.setViewMode(QListWidget.ViewMode.IconMode)
        self.photos.setFlow(QListWidget.Flow.LeftToRight)
        self.photos.setWrapping(False)
        self.photos.setFixedHeight(THUMB + 36)
        self.photos.setIconSize(QPixmap(THUMB, THUMB).size())
        self.photos.itemActivated.connect(self._open_photo)
        self.photos_label = QLabel(self.tr("照片"))
        self.buttons_row = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)

        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.title)
        inner.addLayout(self.fields)
        inner.addWidget(QLabel(self.tr("办理过程（用时按工作时间计）")))
        inner.addWidget(self.timeline, 1)
        inner.addWidget(self.photos_label)
        inner.addWidget(self.photos)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(self.buttons_row)
        layout.addWidget(self.status)
        self.show_file(None)

    def show_file(self, file: File | None) -> None:
        """Show ``file`` (None: nothing chosen)."""
        self.file = file
        self.generation += 1  # thumbnails still coming for an earlier file are dropped
        for value in self.values.values():
            value.clear()
        self.timeline.setRowCount(0)
        self.photos.clear()
        if file is None:
            self.title.setText(self.tr("请在左侧选择一个事件。"))
            self.photos_label.setVisible(False)
            self.photos.setVisible(False)
            return
        row = file.row
        clock = f" · {left_text(row.left_min)}" if row.left_min is not None else ""
        self.title.setText(f"{row.number} · {row.state_label}{clock}")
        v = self.values
        v["what"].setText(row.what)
        v["place"].setText(f"{row.grid} · {row.address}")
        v["description"].setText(file.description)
        channel = CHANNELS.get(file.channel, file.channel)
        v["reporter"].setText(f"{file.reporter}（{channel}，{file.reported_local}）")
        v["depts"].setText((row.lead or self.tr("（待派遣）")) + (f" / {row.cc}" if row.cc else ""))
        v["result"].setText(file.result)
        v["reason"].setText(file.reason)
        v["extensions"].setText(
            "；".join(
                f"{hours} 工作小时，{reason}（{EXTENSION_FLOW.label(ExtensionState(state))}"
                + (f"：{note}" if note else "")
                + "）"
                for _id, hours, reason, state, note in file.extensions
            )
        )
        other = []
        if file.review_on:
            other.append(f"挂账，{file.review_on} 复查")
        if file.merged_into:
            other.append(f"已并入 {file.merged_into}")
        if file.rating is not None:
            other.append(f"回访评价：{LEVELS.get(file.rating, '')}")
        if row.escalated:
            other.append("本环节已超时，已升级至大厅管理员")
        v["other"].setText("；".join(other))
        for value in v.values():  # empty rows hidden (a new event has no result yet)
            self.fields.setRowVisible(value, bool(value.text()))
        for stage in file.stages:
            r = self.timeline.rowCount()
            self.timeline.insertRow(r)
            values = (
                stage.at_local,
                stage.state_label,
                stage.text,
                minutes_text(stage.took_min)
                or (self.tr("进行中") if stage.due_at is not None else ""),
                stage.due_local,
            )
            for c, text in enumerate(values):
                item = cell(text)
                if stage.late and c in (3, 4):
                    item.setForeground(QBrush(OVERDUE_TEXT))
                    item.setBackground(QBrush(OVERDUE_BACK))
                elif stage.took_min is None and row.light == "amber" and c in (3, 4):
                    item.setBackground(QBrush(TODAY_BACK))
                self.timeline.setItem(r, c, item)
        self.photos_label.setVisible(bool(file.photos))
        self.photos.setVisible(bool(file.photos))
        for page_id, taken in file.photos:
            photo = QListWidgetItem(self.tr(PHOTO_STAGES.get(taken, taken)))
            photo.setData(Qt.ItemDataRole.UserRole, page_id)
            self.photos.addItem(photo)
            self._load_thumbnail(photo, page_id)

    def _load_thumbnail(self, item: QListWidgetItem, page_id: int) -> None:
        db, actor, generation = self.ctx.db, self.actor, self.generation

        def shown(data: bytes) -> None:
            if generation != self.generation:  # the list was shown again meanwhile
                return
            pixmap = QPixmap()
            if pixmap.loadFromData(data):
                item.setIcon(QIcon(pixmap))

        self.ctx.ops.run(
            lambda: pictures.photo(db, actor, page_id, thumbnail=True),
            shown,
            lambda _e: None,  # the item keeps its name; opening it says why
            self,
            on_trouble=lambda _e: None,
        )

    def _open_photo(self, item: QListWidgetItem) -> None:
        page_id = int(item.data(Qt.ItemDataRole.UserRole))
        db, actor = self.ctx.db, self.actor
        title = item.text()
        self.ctx.ops.run(
            lambda: pictures.photo(db, actor, page_id),
            lambda data: PhotoDialog(data, title, self).open(),
            self.show_error,
            self,
            on_trouble=lambda e: self.show_error(DomainError(e.message)),
        )

    def show_error(self, error: DomainError) -> None:
        """A refusal or a problem, under the buttons."""
        self.status.setStyleSheet("color: #C0392B;")
        self.status.setText(error.message)

    def show_done(self, text: str) -> None:
        """What the last step did."""
        self.status.setStyleSheet("color: #1E7B34;")
        self.status.setText(text)
