"""Several documents of one visit as one PDF, so the counter previews and prints once."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pypdfium2 as pdfium


def join(pdfs: Sequence[bytes]) -> bytes:
    """The pages of ``pdfs`` one after another, as one PDF (one document: returned as is)."""
    if len(pdfs) == 1:
        return pdfs[0]
    out = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(pdf) for pdf in pdfs]
    try:
        for source in sources:
            out.import_pages(source)
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        for source in sources:
            source.close()
        out.close()
