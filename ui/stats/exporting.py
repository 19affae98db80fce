"""导出 Excel… and 月度报告 PDF… of the 统计 workspace.

Where to save is asked first (:class:`SaveAs`, a test replaces it). The workbook is
written on the program's worker thread (:mod:`ui.ops`) from the tables already on
screen; a :class:`QProgressDialog` shows each sheet and its 取消 stops the export between
sheets — :func:`app.reports.excel.write_workbook` then removes its temporary file, so a
cancelled export leaves no file. The hall report is rendered and saved off the GUI thread
too, as atomically as the workbook (:mod:`app.reports.export_file`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from app.reports import excel, export_file, monthly
from app.reports.bundle import StatsBundle
from app.reports.tables import Table
from printing.stats_report import hall_report_pdf
from ui.context import AppContext

Say = Callable[[str, str], None]  # (message, "ok" | "warn")


class SaveAs:
    """The save dialog (a test replaces :meth:`ask`).

    It opens in the folder last saved to this session, else in the user's Documents
    (else the home folder) — never in the program's working folder.
    """

    last_folder: Path | None = None

    @staticmethod
    def start_folder() -> Path:
        """Where the dialog opens: the last folder used this session, Documents or home."""
        last = SaveAs.last_folder
        if last is not None and last.is_dir():
            return last
        for where in (
            QStandardPaths.StandardLocation.DocumentsLocation,
            QStandardPaths.StandardLocation.HomeLocation,
        ):
            folder = QStandardPaths.writableLocation(where)
            if folder and Path(folder).is_dir():
                return Path(folder)
        return Path.home()

    @staticmethod
    def ask(parent: QWidget, title: str, suggested: str, filters: str) -> str:
        """The path chosen, "" if cancelled; ``suggested`` is a file name."""
        start = SaveAs.start_folder() / suggested
        path, _ = QFileDialog.getSaveFileName(parent, title, str(start), filters)
        if path:
            SaveAs.last_folder = Path(path).parent
        return path


def _with_suffix(path: str, suffix: str) -> str:
    return path if path.lower().endswith(suffix) else path + suffix


class ExcelExport(QObject):
    """One workbook export with its progress dialog.

    Signals:
        step(int, int, str): from the worker — sheets done, all sheets, next sheet.
        finished(bool): on the GUI thread — written (True) or cancelled / refused (False).
    """

    step = Signal(int, int, str)
    finished = Signal(bool)

    def __init__(
        self, ctx: AppContext, parent: QWidget, tables: Sequence[Table], path: str, say: Say
    ) -> None:
        super().__init__(parent)
        self.ctx, self.tables, self.path, self.say = ctx, list(tables), path, say
        self.cancelled = threading.Event()
        self.progress = QProgressDialog(
            self.tr("正在导出…"), self.tr("取消"), 0, len(self.tables) + 1, parent
        )
        self.progress.setWindowTitle(self.tr("导出 Excel"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(400)  # a quick export shows no dialog at all
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self.step.connect(self._stepped, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        """Write the workbook off the GUI thread."""
        tables, path = self.tables, Path(self.path)
        self.progress.setValue(0)
        self.ctx.ops.run(
            lambda: excel.write_workbook(tables, path, self._report),
            self._done,
            self._refused,
            parent=self.progress.parentWidget(),
            on_settled=self._settled,
        )

    def cancel(self) -> None:
        """Stop before the next sheet (the GUI thread; 取消 in the dialog)."""
        self.cancelled.set()

    def _report(self, done: int, total: int, title: str) -> bool:
        """On the worker: pass the step on; False once cancelled."""
        if self.cancelled.is_set():
            return False
        self.step.emit(done, total, title)
        return True

    def _stepped(self, done: int, total: int, title: str) -> None:
        if self.cancelled.is_set():
            return
        self.progress.setMaximum(total + 1)
        self.progress.setValue(done)
        text = self.tr("正在导出“{t}”（{i}/{n}）…").format(t=title, i=done + 1, n=total)
        self.progress.setLabelText(text if title else self.tr("正在保存文件…"))

    def _done(self, written: bool) -> None:
        if written:
            self.say(self.tr("已导出 Excel：{p}").format(p=self.path), "ok")
        else:
            self.say(self.tr("导出已取消，未保存文件。"), "warn")
        self.finished.emit(written)

    def _refused(self, error: Exception) -> None:
        self.say(self.tr("Excel 未能导出：{e}").format(e=getattr(error, "message", error)), "warn")
        self.finished.emit(False)

    def _settled(self) -> None:
        self.progress.reset()
        self.progress.hide()
        self.progress.deleteLater()
        self.deleteLater()


def export_excel(
    ctx: AppContext, parent: QWidget, tables: Sequence[Table], name: str, say: Say
) -> ExcelExport | None:
    """Ask where, then export ``tables``; the running export (None if not asked)."""
    path = SaveAs.ask(parent, parent.tr("导出 Excel"), f"{name}.xlsx", "Excel (*.xlsx)")
    if not path:
        return None
    job = ExcelExport(ctx, parent, tables, _with_suffix(path, ".xlsx"), say)
    job.start()
    return job


def export_report(ctx: AppContext, parent: QWidget, bundle: StatsBundle, say: Say) -> bool:
    """Ask where, render the hall report and save it off the GUI thread; False if not asked."""
    name = monthly.file_stem(bundle)
    path = SaveAs.ask(parent, parent.tr("月度报告 PDF"), f"{name}.pdf", "PDF (*.pdf)")
    if not path:
        return False
    target = Path(_with_suffix(path, ".pdf"))
    printed = datetime.now()

    def save() -> None:
        export_file.write_bytes(target, hall_report_pdf(monthly.hall_report(bundle, printed)))

    ctx.ops.run(
        save,
        lambda _none: say(parent.tr("已保存月度报告：{p}").format(p=target), "ok"),
        lambda e: say(parent.tr("月度报告未能保存：{e}").format(e=e.message), "warn"),
        parent=parent,
    )
    return True
