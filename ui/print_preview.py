"""Preview, print or save a PDF made by ``printing/``, through Qt print support.

Pages are rasterised with pypdfium2 (PDFium) at the printer's resolution (capped at
300 dpi) and painted onto the QPrinter, so the printout is exactly the PDF.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QAction, QImage, QPageLayout, QPainter, QShowEvent
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QPushButton, QToolBar, QWidget

from ui.widgets import screen_room

MAX_DPI = 300
PREFERRED_SIZE = QSize(900, 1000)


def page_images(pdf: bytes, dpi: int) -> list[QImage]:
    """Each page of ``pdf`` as an image at ``dpi``."""
    doc = pdfium.PdfDocument(pdf)
    images = []
    try:
        for page in doc:
            bitmap = page.render(scale=dpi / 72)
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes("raw", "RGB")
            image = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888)
            images.append(image.copy())  # detach from the Python buffer
            page.close()
    finally:
        doc.close()
    return images


def paint_pdf(printer: QPrinter, pdf: bytes) -> None:
    """Draw every page of ``pdf`` onto ``printer``, scaled to the printable area.

    Raises OSError when the printer (or the PDF file's folder) cannot be opened.
    """
    dpi = min(printer.resolution(), MAX_DPI)
    painter = QPainter()
    if not painter.begin(printer):  # no such folder, a printer that refuses: say so
        where = printer.outputFileName() or printer.printerName()
        raise OSError(f"无法开始打印到“{where}”")
    try:
        for i, image in enumerate(page_images(pdf, dpi)):
            if i:
                printer.newPage()
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            target = QRectF(0, 0, area.width(), area.height())
            size = image.size().toSizeF().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(target.topLeft(), size), image)
    finally:
        painter.end()


class PdfPreviewDialog(QPrintPreviewDialog):
    """Qt's print preview of a PDF, with a button to save the PDF itself in its toolbar.

    As tall as the screen allows; the page as wide as the dialog (at 1366×768 an A4 page
    shown whole would be too small to read).
    """

    def __init__(self, pdf: bytes, title: str, parent: QWidget | None = None) -> None:
        self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self._printer.setDocName(title)
        self._printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        super().__init__(self._printer, parent)
        self.pdf = pdf
        self._sized = False
        self.setWindowTitle(title)
        self.paintRequested.connect(lambda printer: paint_pdf(printer, self.pdf))
        self.save_button = QPushButton(self.tr("另存为 PDF…"), self)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(lambda: self.save_as(title))
        fit_width = self.findChild(QAction, "fitWidthAction")
        if fit_width is not None:  # readable at 1366×768; the page scrolls down, never sideways
            fit_width.trigger()  # through the toolbar, which shows it pressed
        toolbar = self.findChild(QToolBar)
        if toolbar is not None:
            toolbar.addSeparator()
            toolbar.addWidget(self.save_button)
        elif (layout := self.layout()) is not None:
            layout.addWidget(self.save_button)

    def showEvent(self, event: QShowEvent) -> None:
        """Sized on first showing, for the screen it opens on."""
        if not self._sized and not event.spontaneous():
            self._sized = True
            screen_room.resize_within(self, PREFERRED_SIZE)
        super().showEvent(event)

    def save_as(self, title: str) -> None:
        """Save the PDF bytes where the user chooses."""
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存 PDF"), f"{title}.pdf", "PDF (*.pdf)"
        )
        if path:
            with open(path, "wb") as fh:
                fh.write(self.pdf)
