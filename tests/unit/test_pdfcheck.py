"""PDF screening looks at the file's objects, not at bytes inside image streams."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from app.errors import ValidationError
from app.materials import intake as mi
from app.materials import pdfcheck
from tests.helpers import pages as tp


def _image_pdf(rng: random.Random) -> bytes:
    """One A4 page holding a JPEG of random pixels, as a scanner app's PDF export does."""
    pixels = Image.frombytes("RGB", (120, 160), rng.randbytes(120 * 160 * 3))
    jpeg = io.BytesIO()
    pixels.save(jpeg, "JPEG", quality=rng.randint(60, 95))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 40, 40, 515, 760)
    c.showPage()
    c.save()
    return out.getvalue()


def test_thirty_image_pdfs_are_all_accepted_even_with_js_bytes_in_their_images() -> None:
    rng = random.Random(1530)
    pdfs = [_image_pdf(rng) for _ in range(30)]
    # the old byte scan refused these: "/JS" occurs inside the image data
    assert any(b"/JS" in pdf or b"/Launch" in pdf for pdf in pdfs)
    for n, pdf in enumerate(pdfs):
        assert pdfcheck.active_content(pdf) is None, n
        assert len(mi.prepare_pages(pdf, f"扫描{n}.pdf")) == 1


def _objstm_pdf(hidden: bytes) -> bytes:
    """A PDF 1.5 whose catalog (opening action 4) and object 4 sit in a compressed object stream."""
    import zlib

    packed = [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", hidden]
    header = b"1 0 4 %d " % (len(packed[0]) + 1)
    body = b"\n".join(packed)
    stream = zlib.compress(header + body)
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}

    def obj(num: int, text: bytes) -> None:
        offsets[num] = len(out)
        out.extend(b"%d 0 obj\n" % num + text + b"\nendobj\n")

    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
    obj(
        5,
        b"<< /Type /ObjStm /N 2 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(stream))
        + stream
        + b"\nendstream",
    )
    rows = [(0, 0, 65535), (2, 5, 0), (1, offsets[2], 0), (1, offsets[3], 0), (2, 5, 1)]
    rows += [(1, offsets[5], 0), (1, len(out), 0)]
    table = b"".join(bytes([t]) + a.to_bytes(4, "big") + b.to_bytes(2, "big") for t, a, b in rows)
    xref_at = len(out)
    obj(
        6,
        b"<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
        + table
        + b"\nendstream",
    )
    out.extend(b"startxref\n%d\n%%%%EOF\n" % xref_at)
    return bytes(out)


def _refused(data: bytes, words: str) -> None:
    with pytest.raises(ValidationError, match=words) as err:
        mi.prepare_pages(data, "x.pdf")
    assert err.value.field == "page"


def test_a_script_hidden_in_a_compressed_object_stream_is_refused() -> None:
    plain = _objstm_pdf(b"<< /Type /Action /S /GoTo /D [3 0 R /Fit] >>")
    assert pdfcheck.active_content(plain) is None
    assert len(mi.prepare_pages(plain, "x.pdf")) == 1
    assert b"JavaScript" not in _objstm_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    _refused(_objstm_pdf(b"<< /S /JavaScript /JS (app.alert(1)) >>"), "脚本.*JavaScript")
    _refused(_objstm_pdf(b"<< /S /J#61vaScript /J#53 (x) >>"), "脚本")
    _refused(_objstm_pdf(b"<< /S /SubmitForm /F (http://x) >>"), "SubmitForm")
    _refused(_objstm_pdf(b"<< /S /GoToR /F (other.pdf) >>"), "GoToR")  # opens a file
    _refused(_objstm_pdf(b"<< /XFA (form) >>"), "XFA")  # a scripted form


def test_a_page_additional_action_running_script_is_refused() -> None:
    for kind, key, words in (("/JavaScript", "/JS", "脚本"), ("/Launch", "/F", "Launch")):
        writer = PdfWriter(clone_from=io.BytesIO(tp.form_pdf(1)))
        action = DictionaryObject(
            {NameObject("/S"): NameObject(kind), NameObject(key): TextStringObject("x")}
        )
        aa = DictionaryObject({NameObject("/O"): writer._add_object(action)})
        writer.pages[0][NameObject("/AA")] = aa  # the page's "on open" action
        _refused(_bytes(writer), words)


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdfs_are_refused_unless_the_password_is_empty() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(tp.form_pdf(1)))
    writer.encrypt(user_password="1234", owner_password="owner", algorithm="AES-128")
    _refused(_bytes(writer), "已加密")
    writer = PdfWriter(clone_from=io.BytesIO(tp.form_pdf(1)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    assert len(mi.prepare_pages(_bytes(writer), "x.pdf")) == 1


def test_deeply_nested_objects_are_refused_not_a_crash() -> None:
    deep = b"[" * 150 + b"]" * 150
    pdf = tp.form_pdf(1).replace(b"/Type /Catalog", b"/Type /Catalog /Junk " + deep)
    _refused(pdf, "异常庞大")
    # deeper than pypdf parses: checked as PDFium reads it (which drops the nesting)
    deeper = b"[" * 5000 + b"]" * 5000
    pdf = tp.form_pdf(1).replace(b"/Type /Catalog", b"/Type /Catalog /Junk " + deeper)
    assert pdfcheck.active_content(pdf) in (None, pdfcheck.TOO_DEEP, pdfcheck.BROKEN)
