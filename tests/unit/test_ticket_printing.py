"""The printed queue ticket: the PDF renders and scans back; the ESC/POS bytes are right."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path

from app.queue.queueing import TicketView
from app.states import TicketState
from printing import escpos_ticket, ticket
from tests.helpers.pdf import tool

TICKET = TicketView(
    id=42,
    code="A015",
    category_letter="A",
    category_name="综合受理",
    state=TicketState.WAITING,
    priority_reason="老年人",
    window_number=None,
    issued_at=datetime(2026, 11, 23, 1, 30),
    called_at=None,
    service_day=date(2026, 11, 23),
    hall_name="示范区政务服务中心",
    waiting_ahead=4,
    estimated_wait_min=12,
)


def test_ticket_pdf_renders_and_its_barcode_scans_back(tmp_path: Path) -> None:
    pdf = ticket.render(TICKET)
    assert pdf.startswith(b"%PDF") and b"WenQuanYi" in pdf
    (tmp_path / "t.pdf").write_bytes(pdf)
    subprocess.run(
        [tool("pdftoppm"), "-r", "200", "-png", str(tmp_path / "t.pdf"), str(tmp_path / "t")],
        check=True,
    )
    pages = sorted(tmp_path.glob("t-*.png"))
    assert len(pages) == 1
    out = subprocess.run(
        [tool("zbarimg"), "-q", str(pages[0])], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "CODE-128:T00000042"


def test_issue_time_is_printed_in_the_hall_time_zone() -> None:
    assert TICKET.issued_at_local == "2026-11-23 09:30"  # 01:30 UTC in Beijing


def test_escpos_bytes() -> None:
    data = escpos_ticket.render(TICKET)
    assert data.startswith(b"\x1b@")  # ESC @ initialise
    for text in (
        "示范区政务服务中心",
        "A 综合受理",
        "优先：老年人",
        "您前面还有 4 人等候",
        "预计等候约 12 分钟",
    ):
        assert b"\x1c&" + text.encode("gb18030") in data, text  # FS & … in Chinese mode
    assert data.count(b"\x1c&") == data.count(b"\x1c.")  # every FS & closed by FS .
    assert b"A015\n" in data
    assert b"\x1dk" in data and b"{BT00000042" in data  # GS k: CODE128 of the ticket id
    assert data.endswith(b"\x1dV\x01")  # GS V 1: partial cut
