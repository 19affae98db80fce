"""Where the counter's documents go: a print sheet that prints with one key.

:class:`PrintSheet` shows the PDF's pages fitted to the screen (a 1366×768 counter PC
included) with 打印 as its default button: Enter prints, Esc closes, 另存为 PDF keeps a
copy. Where it prints is the ``receipt_printer`` setting (:func:`configure`): a system
printer's name prints there at once; ``PDF:<path>`` writes a PDF file (a hall without a
printer, and the tests); empty asks every time with the system's print dialog.
"""

from __future__ import annotations

import os
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPageLayout, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.oserrors import reason
from ui.print_preview import page_images, paint_pdf

PDF_PREFIX = "PDF:"
PREVIEW_DPI = 72
_printer_name = ""


def configure(receipt_printer: str) -> None:
    """Where printing goes for this program run (the ``receipt_printer`` setting)."""
    global _printer_name
    _printer_name = receipt_printer.strip()


def printer_name() -> str:
    """The configured ``receipt_printer`` (empty: ask every time)."""
    return _printer_name


class PrintSheet(QDialog):
    """A document ready to print: its pages, 打印 (Enter), 另存为 PDF, 关闭 (Esc)."""

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf, self.title = pdf, title
        self.setWindowTitle(title)
        self.printed_to = ""  # where the last print went (a printer's name or a file)
        pages = QWidget()
        column = QVBoxLayout(pages)
        for image in page_images(pdf, PREVIEW_DPI):
            page = QLabel()
            page.setPixmap(QPixmap.fromImage(image))
            page.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            page.setStyleSheet("background: white; border: 1px solid #BBB;")
            column.addWidget(page)
        self.pages_area = QScrollArea()
        self.pages_area.setWidget(pages)
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton(
            self.tr("打印 (Enter)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button = buttons.addButton(
            self.tr("另存为 PDF…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        close = buttons.addButton(self.tr("关闭 (Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        self.save_button.setAutoDefault(False)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_now)
        self.save_button.clicked.connect(self.save_as)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages_area, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._fit(pages.sizeHint().width())
        self.print_button.setFocus()

    def _fit(self, page_width: int) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry()
        width = min(page_width + 60, room.width() - 40)
        self.resize(width, min(int(room.height() * 0.9), 1000))

    def print_now(self) -> None:
        """Print to the configured printer (asking for one when none is set); close if done."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        name = printer_name()
        if name.startswith(PDF_PREFIX):
            target = Path(name.removeprefix(PDF_PREFIX)).expanduser()
            if not target.parent.is_dir() or not os.access(target.parent, os.W_OK):
                self._say(
                    self.tr(
                        "无法写入“{folder}”：请检查设置中的 receipt_printer，或另存为 PDF。"
                    ).format(folder=target.parent)
                )
                return
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(target))
        elif name:
            if name not in QPrinterInfo.availablePrinterNames():
                self._say(
                    self.tr(
                        "找不到打印机“{name}”：请检查设置中的 receipt_printer，或另存为 PDF。"
                    ).format(name=name)
                )
                return
            printer.setPrinterName(name)
        elif not self.ask_printer(printer):
            return
        try:
            paint_pdf(printer, self.pdf)
        except (OSError, RuntimeError) as exc:
            self._say(self.tr("打印失败：{e}。文书已保存在办件中，可稍后补打。").format(e=exc))
            return
        self.printed_to = printer.outputFileName() or printer.printerName()
        self.accept()

    def ask_printer(self, printer: QPrinter) -> bool:
        """The system's print dialog (no printer configured); False if cancelled."""
        return QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted

    def save_as(self) -> None:
        """Save the PDF bytes where the user chooses."""
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存 PDF"), f"{self.title}.pdf", "PDF (*.pdf)"
        )
        if path:
            try:
                with open(path, "wb") as fh:
                    fh.write(self.pdf)
            except OSError as exc:
                self._say(self.tr("未能保存：{e}").format(e=reason(exc, writing=True)))
                return
            self._say(self.tr("已保存：{path}").format(path=path))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #C0392B;")


def show_pdf(parent: QWidget, pdf: bytes, title: str) -> None:
    """Open the print sheet without blocking the counter (tests replace this).

    When it closes, the cursor goes back where it was (the clerk types on at once).
    """
    back = QApplication.focusWidget()
    sheet = PrintSheet(pdf, title, parent)
    sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # After the sheet is gone (``finished`` comes while it is still on screen).
    sheet.finished.connect(
        lambda _r: QTimer.singleShot(0, parent, lambda: _focus_back(parent, back))
    )
    sheet.open()


def _focus_back(parent: QWidget, back: QWidget | None) -> None:
    if not shiboken6.isValid(parent):
        return
    parent.window().activateWindow()
    target = back if back is not None and shiboken6.isValid(back) else None
    if target is not None and target.isVisible() and target.isEnabled():
        target.setFocus()
    else:
        parent.setFocus()
