"""Turning a prepared page: the image turns clockwise, a new hash, the source kept."""

from __future__ import annotations

import io

from PIL import Image

from app.materials import intake as mi
from tests.helpers import pages as tp


def _marked() -> bytes:
    """A landscape picture, white with a black block in its top-left corner."""
    img = Image.new("RGB", (600, 400), "white")
    img.paste((0, 0, 0), (0, 0, 120, 80))
    return tp.encoded(img, "PNG")


def _dark(img: Image.Image, x: int, y: int) -> bool:
    r, g, b = img.convert("RGB").getpixel((x, y))  # type: ignore[misc]
    return r + g + b < 150


def test_a_quarter_turn_clockwise_puts_the_top_left_corner_top_right() -> None:
    page = mi.prepare_page(_marked(), "证明.png")
    turned = mi.rotated(page, 1)
    img = Image.open(io.BytesIO(turned.data))
    assert (turned.width, turned.height) == (400, 600) == img.size
    assert _dark(img, 380, 20) and not _dark(img, 20, 20)
    assert turned.sha256 != page.sha256 and turned.source == "证明.png"
    assert Image.open(io.BytesIO(turned.thumbnail)).width == mi.THUMB_WIDTH


def test_anticlockwise_half_and_whole_turns() -> None:
    page = mi.prepare_page(_marked(), "证明.png")
    left = Image.open(io.BytesIO(mi.rotated(page, -1).data))
    assert left.size == (400, 600) and _dark(left, 20, 580)
    half = Image.open(io.BytesIO(mi.rotated(page, 2).data))
    assert half.size == (600, 400) and _dark(half, 580, 380)
    assert mi.rotated(page, 4) is page and mi.rotated(page, 0) is page
