"""Send a ticket slip to the configured printer.

``ticket_printer`` setting:
* ``escpos:tcp:HOST[:PORT]`` — a networked thermal printer (raw port 9100);
* ``escpos:file:/dev/usb/lp0`` — a thermal printer as a device file;
* the name of a system printer — the PDF through Qt print support;
* empty — no printer: the slip is saved as PDF in the data folder (demo, or a broken printer).

Callers print only after the ticket is committed; a failure raises :class:`PrintFailed`
and never affects the ticket (it can be reprinted, 补打).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app import paths
from app.errors import EnvironmentProblem
from app.queue.queueing import TicketView

# python-escpos, reportlab and PDFium load on the first slip, not when a screen opens
# (python-escpos alone costs 0.4 s of start-up).


class PrintFailed(EnvironmentProblem):
    """The slip could not be printed (the ticket is safe in the database)."""


def print_ticket(view: TicketView, setting: str) -> str:
    """Print ``view``; returns where it went, for the status line."""
    setting = setting.strip()
    try:
        if setting.lower().startswith("escpos:"):
            return _escpos(view, setting[len("escpos:") :])
        if setting:
            return _system(view, setting)
        return _save(view)
    except PrintFailed:
        raise
    except Exception as exc:  # any driver error: the slip failed, the ticket did not
        raise PrintFailed(f"号票 {view.code} 打印失败：{exc}", repr(exc)) from exc


def _escpos(view: TicketView, target: str) -> str:
    from escpos.printer import File, Network

    from printing import escpos_ticket

    kind, _, rest = target.partition(":")
    data = escpos_ticket.render(view)
    if kind == "tcp":
        host, _, port = rest.partition(":")
        printer = Network(host, int(port or 9100), timeout=5)
    elif kind == "file":
        printer = File(rest)
    else:
        raise PrintFailed(
            f"热敏打印机设置不正确：{target}（应为 escpos:tcp:地址 或 escpos:file:路径）"
        )
    printer.open()
    try:
        printer._raw(data)
    finally:
        printer.close()
    return f"热敏打印机 {target}"


def _system(view: TicketView, name: str) -> str:
    from printing import ticket
    from ui.print_preview import paint_pdf

    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        raise PrintFailed(f"找不到打印机“{name}”，请在设置中检查 ticket_printer。")
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setDocName(f"号票 {view.code}")
    paint_pdf(printer, ticket.render(view))
    return f"打印机 {name}"


def _save(view: TicketView) -> str:
    from printing import ticket

    folder = paths.data_dir() / "tickets" / view.service_day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    path = Path(folder, f"{view.code}-{view.id}.pdf")
    path.write_bytes(ticket.render(view))
    return f"未配置打印机，号票已保存为 {path}"
