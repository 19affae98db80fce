"""导出归档 PDF… in the case view: the whole case file as one PDF for the archive.

Where to save it is asked first (cancelling exports nothing, so the audit trail records
only real exports); then the service renders it off the GUI thread and records the
export, and the file is written. A refusal (the reader may not see the pages) or a
file that cannot be written is said in the view's banner.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QPushButton, QWidget

from app.actor import Actor
from app.cases import archive
from app.cases.casefile import CaseFile
from app.oserrors import reason
from printing import archive as archive_pdf
from ui.context import AppContext

Say = Callable[[str, str], None]  # (message, "ok" | "warn")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ArchiveExport", text)


class SaveAs:
    """The save dialog (a test replaces :meth:`ask`)."""

    @staticmethod
    def ask(parent: QWidget, suggested: str) -> str:
        """The path chosen, "" if cancelled; ``suggested`` is a file name."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getSaveFileName(
            parent, _tr("导出归档 PDF"), str(Path(folder) / suggested), "PDF (*.pdf)"
        )
        return path


def may_export(file: CaseFile) -> bool:
    """Whether the button shows: the reader sees the case's pages (the service checks too)."""
    return file.sees_pages


def add_export_button(
    buttons: QDialogButtonBox,
    ctx: AppContext,
    actor: Actor,
    file: Callable[[], CaseFile],
    say: Say,
) -> QPushButton | None:
    """导出归档 PDF… beside the view's 关闭 (None for a reader who may not export);
    ``file``: the case file the view shows now."""
    if not may_export(file()):
        return None
    button = buttons.addButton(_tr("导出归档 PDF…"), QDialogButtonBox.ButtonRole.ActionRole)
    button.clicked.connect(
        lambda _=False: export_archive(buttons.window(), ctx, actor, file(), say)
    )
    return button


def export_archive(
    parent: QWidget, ctx: AppContext, actor: Actor, file: CaseFile, say: Say
) -> None:
    """Ask where, export (off the GUI thread), write the file, say what happened."""
    path = SaveAs.ask(parent, f"{file.case_no}-归档.pdf")
    if not path:
        return
    if not path.lower().endswith(".pdf"):
        path += ".pdf"

    def done(pdf: bytes) -> None:
        try:
            Path(path).write_bytes(pdf)
        except OSError as exc:
            say(_tr("归档 PDF 未能保存：{e}").format(e=reason(exc, writing=True)), "warn")
            return
        size = f"{len(pdf) / 1_000_000:.1f} MB"
        say(_tr("归档 PDF 已保存：{path}（{size}）").format(path=path, size=size), "ok")

    ctx.ops.run(
        lambda: archive.export_case_file(ctx.db, actor, file.id, archive_pdf.render),
        done,
        lambda e: say(e.message, "warn"),
        parent=parent,
    )
