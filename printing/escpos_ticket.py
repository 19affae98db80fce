"""The queue ticket as ESC/POS bytes for an 80 mm thermal printer.

python-escpos builds the commands; Chinese text is sent in the printer's Chinese mode
(``FS &`` … ``FS .``) encoded as GB18030, which Chinese thermal printers expect — the
library's own ``text()`` would send GBK bytes without switching mode (FACTS.md).
"""

from __future__ import annotations

from escpos.printer import Dummy

from app.services.queueing import TicketView
from printing.ticket import NOTICE, barcode_value

FS_CHINESE_ON = b"\x1c\x26"
FS_CHINESE_OFF = b"\x1c\x2e"


def _zh(printer: Dummy, text: str) -> None:
    printer._raw(FS_CHINESE_ON + text.encode("gb18030") + FS_CHINESE_OFF)


def render(ticket: TicketView) -> bytes:
    """The slip as the bytes a thermal printer takes (ends with a partial cut)."""
    p = Dummy()
    p.hw("INIT")
    p.set(align="center")
    _zh(p, ticket.hall_name + "\n")
    _zh(p, f"{ticket.category_letter} {ticket.category_name}\n")
    p.set(align="center", double_height=True, double_width=True, bold=True)
    p.text(f"{ticket.code}\n")
    p.set(align="center", normal_textsize=True)
    if ticket.priority_reason:
        _zh(p, f"优先：{ticket.priority_reason}\n")
    _zh(p, f"您前面还有 {ticket.waiting_ahead} 人等候\n")
    if ticket.waiting_ahead:
        _zh(p, f"预计等候约 {max(ticket.estimated_wait_min, 1)} 分钟\n")
    p.text(ticket.issued_at_local + "\n")
    p.barcode(
        "{B" + barcode_value(ticket), "CODE128", height=64, width=2, pos="BELOW", function_type="B"
    )
    _zh(p, NOTICE + "\n")
    p.cut(mode="PART")
    return bytes(p.output)
