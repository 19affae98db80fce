"""The queue ticket as ESC/POS bytes for an 80 mm thermal printer.

python-escpos builds the commands; Chinese text is sent in the printer's Chinese mode
(``FS &`` … ``FS .``) encoded as GB18030, which Chinese thermal printers expect — the
library's own ``text()`` would send GBK bytes without switching mode (FACTS.md).

That mode reads two bytes per character: a GB18030 four-byte sequence (CJK Extension A/B…,
e.g. 㮾 in a hall name, 𠮷) would print as two wrong characters and shift the rest. Such a
line is printed as a raster image instead (GS v 0), drawn with the bundled fonts — the same
glyphs as the PDF slip — rather than refusing a legitimate place name at configuration.
"""

from __future__ import annotations

from escpos.printer import Dummy

from printing.raster import PAPER_DOTS, line_image
from printing.ticket import NOTICE, TicketSlip, barcode_value

FS_CHINESE_ON = b"\x1c\x26"
FS_CHINESE_OFF = b"\x1c\x2e"


def two_byte_safe(text: str) -> bool:
    """Whether every character of ``text`` is one or two bytes in GB18030 (the ROM font's)."""
    return all(len(ch.encode("gb18030")) <= 2 for ch in text)


def _zh(printer: Dummy, text: str) -> None:
    """One centred line: as text in Chinese mode, or as an image if the mode cannot take it."""
    if two_byte_safe(text):
        printer._raw(FS_CHINESE_ON + text.encode("gb18030") + b"\n" + FS_CHINESE_OFF)
    else:
        printer.image(line_image(text), impl="bitImageRaster", center=False)


def render(ticket: TicketSlip) -> bytes:
    """The slip as the bytes a thermal printer takes (ends with a partial cut)."""
    p = Dummy()
    # The generic profile knows no paper width; python-escpos then prints a notice for every
    # image and cannot check that one fits. 80 mm paper: 576 dots at 203 dpi.
    p.profile.profile_data["media"] = {"dpi": 203, "width": {"mm": 72, "pixels": PAPER_DOTS}}
    p.hw("INIT")
    p.set(align="center")
    _zh(p, ticket.hall_name)
    _zh(p, f"{ticket.category_letter} {ticket.category_name}")
    p.set(align="center", double_height=True, double_width=True, bold=True)
    p.text(f"{ticket.code}\n")
    p.set(align="center", normal_textsize=True)
    if ticket.priority_reason:
        _zh(p, f"优先：{ticket.priority_reason}")
    _zh(p, f"您前面还有 {ticket.waiting_ahead} 人等候")
    if ticket.waiting_ahead:
        _zh(p, f"预计等候约 {max(ticket.estimated_wait_min, 1)} 分钟")
    p.text(ticket.issued_at_local + "\n")
    p.barcode(
        "{B" + barcode_value(ticket), "CODE128", height=64, width=2, pos="BELOW", function_type="B"
    )
    _zh(p, NOTICE)
    p.cut(mode="PART")
    return bytes(p.output)
