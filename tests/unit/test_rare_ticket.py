"""A 生僻字 in the hall or queue name on the queue ticket: drawn on the PDF, rastered on ESC/POS.

㮾 (U+3BBE, Extension A, as in 长沙市㮾梨街道) is not in the main font and is four bytes
in GB18030; 𠮷 (Extension B) likewise.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageChops

from printing import escpos_ticket, ticket
from printing.raster import line_image
from tests.helpers.escpos import four_byte_sequences, parse
from tests.helpers.ink import ink
from tests.helpers.pdf import run, tool
from tests.unit.test_ticket_printing import TICKET

HALL = "长沙市㮾梨街道政务服务中心"
RARE_TICKET = replace(TICKET, hall_name=HALL, category_name="综合𠮷受理")


def test_ticket_pdf_draws_the_rare_hall_character_with_the_fallback_font(tmp_path: Path) -> None:
    path = tmp_path / "ticket.pdf"
    path.write_bytes(ticket.render(RARE_TICKET))
    fonts = run(tool("pdffonts"), str(path))
    assert any("HanaMinA" in line and " yes yes " in line for line in fonts.splitlines())
    text = run(tool("pdftotext"), str(path), "-")
    assert HALL in text and "综合𠮷受理" in text
    # Ink where 㮾 and 𠮷 stand (a gap has none); the Mincho fallback's strokes are thinner
    # than the main font's, so at least a third of an ordinary character's ink.
    assert ink(path, "㮾") > ink(path, "梨") / 3 > 0.03
    assert ink(path, "𠮷") > ink(path, "受") / 3 > 0.03


def test_escpos_sends_no_four_byte_sequence_in_chinese_mode_and_rasters_the_rare_lines() -> None:
    slip = parse(escpos_ticket.render(RARE_TICKET))
    assert slip.cut and slip.barcodes == [b"{BT00000042"]
    for chunk in slip.chinese:
        assert four_byte_sequences(chunk) == [], chunk.decode("gb18030")
    in_chinese_mode = [chunk.decode("gb18030") for chunk in slip.chinese]
    assert not any(HALL in t or "𠮷" in t for t in in_chinese_mode)
    assert "您前面还有 4 人等候\n" in in_chinese_mode  # ordinary lines stay text
    # The two rare lines, in order, are images of exactly those lines drawn with the fonts.
    assert len(slip.rasters) == 2
    for raster, line in zip(slip.rasters, (HALL, "A 综合𠮷受理"), strict=True):
        assert raster.width == 576  # 80 mm paper at 203 dpi
        expected = line_image(line)
        assert raster.image().convert("1").tobytes() == expected.tobytes()
        assert raster.black() > 300


def test_the_raster_shows_the_rare_character() -> None:
    # The hall line with 㮾 differs from the same line with it left out by a glyph's ink.
    with_it = line_image(HALL)
    without = line_image(HALL.replace("㮾", "\u3000"))
    changed = ImageChops.difference(with_it.convert("L"), without.convert("L")).getbbox()
    assert changed is not None
    x0, _y0, x1, _y1 = changed
    assert 10 < x1 - x0 < 40  # one character wide at 24 dots, not the whole line


def test_an_ordinary_ticket_has_no_raster() -> None:
    slip = parse(escpos_ticket.render(TICKET))
    assert slip.rasters == []
    assert "示范区政务服务中心\n" in [c.decode("gb18030") for c in slip.chinese]


NAMES = st.text(
    st.sampled_from("政务服务中心街道社区㮾梨𠮷䶮\U00030000龘乂ABC 12·（）"),
    min_size=1,
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(NAMES, NAMES)
def test_any_hall_and_queue_name_keeps_chinese_mode_two_byte(hall: str, queue: str) -> None:
    slip = parse(escpos_ticket.render(replace(TICKET, hall_name=hall, category_name=queue)))
    for chunk in slip.chinese:
        assert four_byte_sequences(chunk) == []
    rare = [line for line in (hall, f"A {queue}") if not escpos_ticket.two_byte_safe(line)]
    assert len(slip.rasters) == len(rare)
