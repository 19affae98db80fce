"""Rendering one 受理回执 (receipt PDF): ours against a blank one-page reportlab PDF.

    .venv/bin/python bench/receipt.py [--rounds 200]

Prints the median time of rendering a receipt of one case with eight materials
(:func:`printing.receipt.render`, Chinese text, Code 128 and QR) and of a one-page PDF with
a single line of text, in the same run, and whether reportlab's C accelerators
(``rl_accel``) are installed. The counter prints a receipt on every acceptance.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.pdfgen import canvas

from app.documents import Receipt, ReceiptCase, ReceivedLine
from printing import receipt

SAMPLE = Receipt(
    hall_name="示范区政务服务中心",
    applicant_name="李秀兰",
    applicant_id_masked="110105********6024",
    applicant_phone_masked="138****0000",
    agent="",
    cases=(
        ReceiptCase(
            case_no="JX01-MZ20261130-0007",
            service_name="最低生活保障申请",
            department="民政局",
            kind_label="承诺件",
            state_label="已受理",
            due_date="2026-12-09",
            materials=tuple(
                ReceivedLine(f"材料{n}：户口簿、身份证及收入证明", "原件已核验，复印件 1 份")
                for n in range(8)
            ),
            deferred_until="",
            fee="免费",
        ),
    ),
    accepted_at="2026-11-30 10:15",
    clerk="王晓燕",
    pickup="一楼 1 号窗口（统一出件）",
)


def blank() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "receipt")
    c.showPage()
    c.save()
    return buf.getvalue()


def median_ms(fn: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rounds", type=int, default=200)
    args = p.parse_args()
    from reportlab.lib import rl_accel

    accel = "yes" if rl_accel._c_funcs else "no"  # reportlab's own test of _rl_accel
    receipt.render(SAMPLE)  # fonts loaded once, as in the program
    ours = median_ms(lambda: receipt.render(SAMPLE), args.rounds)
    bare = median_ms(blank, args.rounds)
    print(f"rl_accel installed: {accel}")
    print(f"receipt {ours:.1f} ms   blank page {bare:.1f} ms   ours/bare {ours / bare:.1f}")


if __name__ == "__main__":
    main()
