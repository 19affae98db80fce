"""Where the counter's documents go: Qt's print preview (print or save as PDF)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.print_preview import PdfPreviewDialog


def show_pdf(parent: QWidget, pdf: bytes, title: str) -> None:
    """Open the print preview without blocking the counter (tests replace this)."""
    dialog = PdfPreviewDialog(pdf, title, parent)
    dialog.open()
