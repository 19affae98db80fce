"""The case file for the archive (归档案卷), A4: summary, form, every material's pages, opinions.

Laid out in two passes: pages are planned first (what goes on which page, where the
bookmarks point), then drawn, so each page's footer can say 第 x / y 页. Every page carries
the exporter's watermark ("归档导出 <who> <when> <hall>", diagonal, light grey, over the
images too — a copy that leaves the hall shows whose it was) and the same line in its
footer. The outline has one entry per section and, under 申请材料, one per material with
one per page beneath it.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import ArchiveFile, ArchiveMaterial, ArchivePage
from printing.drawing import text, width, wrap

LEFT, RIGHT = 18 * mm, A4[0] - 18 * mm
BODY = RIGHT - LEFT
TOP = A4[1] - 18 * mm
BOTTOM = 20 * mm  # the footer lives below this
FOOTER_Y = 10 * mm
RED = (0.78, 0.16, 0.16)
GREY = (0.35, 0.35, 0.35)

Draw = Callable[[Canvas], None]


@dataclass
class _Page:
    ops: list[Draw] = field(default_factory=list)
    marks: list[tuple[str, str, int]] = field(default_factory=list)  # key, title, level


class _Plan:
    """Pages being laid out top to bottom: a cursor ``y`` and a new page when it runs out."""

    def __init__(self) -> None:
        self.pages: list[_Page] = []
        self.y = TOP
        self._keys = 0

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = TOP

    def need(self, height: float) -> None:
        if not self.pages or self.y - height < BOTTOM:
            self.new_page()

    def mark(self, title: str, level: int) -> None:
        """An outline entry pointing at the current page."""
        self._keys += 1
        self.pages[-1].marks.append((f"m{self._keys}", title, level))

    def draw(self, op: Draw) -> None:
        self.pages[-1].ops.append(op)

    def line(
        self,
        s: str,
        size: float = 10.5,
        indent: float = 0.0,
        leading: float | None = None,
        color: tuple[float, float, float] = (0, 0, 0),
    ) -> None:
        """A text wrapped to the body's width, breaking pages between its lines."""
        step = leading or size * 1.6
        for piece in wrap(s, BODY - indent, size):
            self.need(step)
            self.y -= step
            self.draw(partial(_text, LEFT + indent, self.y, piece, size, color))

    def heading(self, title: str) -> None:
        """A section's title (and its top-level outline entry) at the top of a new page."""
        self.new_page()
        self.mark(title, 0)
        self.y -= 8 * mm
        self.draw(partial(_text, LEFT, self.y, title, 16, (0, 0, 0)))
        self.y -= 4 * mm
        self.draw(partial(_rule, self.y))

    def labelled(self, label: str, value: str, label_width: float = 28 * mm) -> None:
        """``label`` in a column, ``value`` wrapped beside it."""
        size, step = 10.5, 6.5 * mm
        lines = wrap(value, BODY - label_width, size) or [""]
        for i, piece in enumerate(lines):
            self.need(step)
            self.y -= step
            if i == 0:
                self.draw(partial(_text, LEFT, self.y, label, size, GREY))
            self.draw(partial(_text, LEFT + label_width, self.y, piece, size, (0, 0, 0)))


def _text(x: float, y: float, s: str, size: float, color: tuple[float, ...], c: Canvas) -> None:
    c.setFillColorRGB(*color)
    text(c, x, y, s, size)
    c.setFillColorRGB(0, 0, 0)


def _rule(y: float, c: Canvas) -> None:
    c.setStrokeColorRGB(0.6, 0.6, 0.6)
    c.setLineWidth(0.6)
    c.line(LEFT, y, RIGHT, y)


def render(doc: ArchiveFile) -> bytes:
    """The archive PDF of ``doc`` (A4, embedded fonts, JPEG pages as given) as bytes."""
    plan = _Plan()
    _summary(plan, doc)
    if doc.fields:
        plan.heading("申请表")
        for label, value in doc.fields:
            plan.labelled(label, value, 40 * mm)
    if any(m.pages for m in doc.materials):
        _materials(plan, doc.materials)
    _opinions(plan, doc)
    return _draw(plan, doc)


def _summary(plan: _Plan, doc: ArchiveFile) -> None:
    plan.new_page()
    plan.mark("案卷概要", 0)
    plan.y -= 6 * mm
    plan.draw(partial(_centred, plan.y, doc.hall_name, 12))
    plan.y -= 12 * mm
    plan.draw(partial(_centred, plan.y, "办件归档案卷", 22))
    plan.y -= 8 * mm
    plan.draw(partial(_centred, plan.y, f"{doc.case_no}  {doc.service_name}", 11))
    plan.y -= 6 * mm
    plan.draw(partial(_rule, plan.y))
    plan.y -= 2 * mm
    for label, value in doc.facts:
        plan.labelled(label, value)
    plan.y -= 4 * mm
    plan.line("申请材料", 12.5)
    for m in doc.materials:
        pages = f"，电子材料 {len(m.pages)} 页" if m.pages else "，无电子材料"
        plan.line(f"· {m.name}：{m.received}{pages}", 10.5, 4 * mm)
    if doc.documents:
        plan.y -= 3 * mm
        plan.line("已出具文书", 12.5)
        for d in doc.documents:
            plan.line(f"· {d}", 10.5, 4 * mm)


def _centred(y: float, s: str, size: float, c: Canvas) -> None:
    text(c, A4[0] / 2, y, s, size, "center")


def _materials(plan: _Plan, materials: tuple[ArchiveMaterial, ...]) -> None:
    first = True
    for m in materials:
        if not m.pages:
            continue
        plan.new_page()
        if first:
            plan.mark("申请材料", 0)
            first = False
        plan.mark(f"{m.name}（{len(m.pages)} 页）", 1)
        for i, page in enumerate(m.pages):
            if i:
                plan.new_page()
            plan.mark(f"第 {page.position} 页", 2)
            _page(plan, m.name, page)


def _page(plan: _Plan, name: str, page: ArchivePage) -> None:
    plan.y -= 6 * mm
    plan.draw(
        partial(_text, LEFT, plan.y, f"{name}  第 {page.position}/{page.count} 页", 12, (0, 0, 0))
    )
    if page.unreadable_note is not None:
        plan.y -= 6 * mm
        plan.draw(
            partial(_text, LEFT, plan.y, f"已标记无法辨认：{page.unreadable_note}", 10.5, RED)
        )
    elif page.replaced_note:
        plan.y -= 6 * mm
        plan.draw(partial(_text, LEFT, plan.y, page.replaced_note, 10.5, GREY))
    plan.y -= 4 * mm
    box = (LEFT, BOTTOM, BODY, plan.y - BOTTOM)  # x, y, width, height
    if page.jpeg is None:
        plan.draw(partial(_missing, box, f"第 {page.position} 页 {page.problem}"))
    else:
        plan.draw(partial(_image, box, page))
    plan.y = BOTTOM


def _image(box: tuple[float, float, float, float], page: ArchivePage, c: Canvas) -> None:
    x, y, w, h = box
    scale = min(w / page.width, h / page.height)
    iw, ih = page.width * scale, page.height * scale
    left, bottom = x + (w - iw) / 2, y + h - ih  # top-aligned under the caption
    assert page.jpeg is not None
    # The JPEG goes in as is. Binary, not ASCII85: reportlab's pure-Python encoder took
    # ~75 ms a page (and made the file a quarter bigger). Only this image object is made
    # with the setting; the canvas is ours and drawn on one thread.
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        c.drawImage(_Jpeg(page.jpeg), left, bottom, iw, ih)
    finally:
        rl_config.useA85 = saved
    c.setStrokeColorRGB(0.75, 0.75, 0.75)
    c.setLineWidth(0.5)
    c.rect(left, bottom, iw, ih, stroke=1, fill=0)


class _Jpeg:
    """JPEG bytes as reportlab's ``drawImage`` takes a file: named by their SHA-256 (not by
    decoding every pixel to hash them, as it does for an ImageReader), read as they are."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.key = hashlib.sha256(data).hexdigest()

    def __str__(self) -> str:
        return self.key

    def jpeg_fh(self) -> io.BytesIO:
        return io.BytesIO(self.data)


def _missing(box: tuple[float, float, float, float], message: str, c: Canvas) -> None:
    x, y, w, h = box
    c.setStrokeColorRGB(*RED)
    c.setDash(4, 3)
    c.rect(x, y + h - 60 * mm, w, 60 * mm, stroke=1, fill=0)
    c.setDash()
    _text(x + w / 2 - width(message, 14) / 2, y + h - 32 * mm, message, 14, RED, c)


def _opinions(plan: _Plan, doc: ArchiveFile) -> None:
    plan.heading("审批意见")
    if not doc.tasks:
        plan.line("尚无审批记录。", 10.5, 0, None, GREY)
    for t in doc.tasks:
        plan.need(24 * mm)  # a task's head never alone at a page's foot
        plan.y -= 2 * mm
        plan.line(f"{t.step} · {t.department} · {t.outcome}", 12)
        when = f"，办结 {t.decided_at}" if t.decided_at else ""
        plan.line(f"办理人：{t.who or '—'}　收到 {t.created_at}{when}", 9.5, 4 * mm, None, GREY)
        plan.line(f"意见：{t.opinion or '—'}", 10.5, 4 * mm)
        if t.note:
            plan.line(f"说明：{t.note}", 10.5, 4 * mm)
    if doc.history:
        plan.heading("办理过程")
        for at, who, action, note in doc.history:
            tail = f"：{note}" if note else ""
            plan.line(f"{at}  {who}  {action}{tail}", 9.5, 0, 5.5 * mm)


def _watermark(doc: ArchiveFile) -> str:
    return f"归档导出 {doc.exported_by} {doc.exported_at} {doc.hall_name}"


def _draw(plan: _Plan, doc: ArchiveFile) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=1, invariant=1)
    c.setTitle(f"{doc.case_no} 归档案卷")
    c.setAuthor(doc.exported_by)
    # The file's creation date is the export (hall time), not reportlab's invariant 2000-01-01.
    if doc.created:
        c.setDateFormatter(lambda *_ymdhms: doc.created)
    c.showOutline()
    mark = _watermark(doc)
    total = len(plan.pages)
    for n, page in enumerate(plan.pages, start=1):
        for key, title, level in page.marks:
            c.bookmarkPage(key)
            c.addOutlineEntry(title, key, level, closed=level >= 1)
        for op in page.ops:
            op(c)
        _stamp(c, mark)
        c.setFillColorRGB(*GREY)
        text(c, LEFT, FOOTER_Y, mark, 8)
        text(c, RIGHT, FOOTER_Y, f"第 {n} / {total} 页", 8, "right")
        c.showPage()
    c.save()
    return buf.getvalue()


def _stamp(c: Canvas, mark: str) -> None:
    """The watermark, three times across the page, on top of everything (translucent)."""
    c.saveState()
    c.setFillColorRGB(0.5, 0.5, 0.5)
    c.setFillAlpha(0.16)
    c.translate(A4[0] / 2, A4[1] / 2)
    c.rotate(35)
    # The outer lines slide along the diagonal so that neither runs off the page's edge.
    for dx, dy in ((-25 * mm, -85 * mm), (0, 0), (25 * mm, 85 * mm)):
        text(c, dx, dy, mark, 17, "center")
    c.restoreState()
