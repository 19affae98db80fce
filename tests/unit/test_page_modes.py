"""Every Pillow mode a supported file opens as becomes a gray (L) or RGB page, or a message."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.errors import ValidationError
from app.materials import intake as mi

SIZE = (240, 320)
GRAY = {"1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F", "F01"}


def _half_white(mode: str) -> Image.Image:
    """Left half black, right half white, in ``mode`` (F01: floats 0.0–1.0)."""
    box = (SIZE[0] // 2, 0, SIZE[0], SIZE[1])
    if mode.startswith("I;16") or mode in ("I", "F", "F01"):
        img = Image.new("F" if mode == "F01" else mode, SIZE, 0)
        img.paste({"F": 255.0, "F01": 1.0}.get(mode, 65535), box)
        return img
    gray = Image.new("L", SIZE, 0)
    gray.paste(255, box)
    if mode in ("1", "L", "LA"):
        return gray.convert(mode)
    if mode == "PA":
        return gray.convert("RGBA").convert("PA")
    return gray.convert("RGB").convert(mode)


def _file(img: Image.Image) -> bytes | None:
    """``img`` saved as PNG or TIFF (whichever keeps the mode), or None."""
    for fmt in ("PNG", "TIFF"):
        out = io.BytesIO()
        try:
            img.save(out, fmt)
        except (OSError, ValueError, KeyError):
            continue
        if Image.open(io.BytesIO(out.getvalue())).mode == img.mode:
            return out.getvalue()
    return None


MODES = ["1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr", "LAB"]
MODES += ["HSV", "I", "I;16", "I;16B", "I;16L", "F", "F01"]


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_becomes_gray_or_rgb_with_black_and_white_kept(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    normal = mi._normal
    made: list[str] = []

    def spy(img: Image.Image, source: str = "") -> Image.Image:
        made.append(normal(img, source).mode)
        return normal(img, source)

    monkeypatch.setattr(mi, "_normal", spy)
    img = _half_white(mode)
    data = _file(img)
    if data is not None:  # through a real file, as the clerk adds it
        (page,) = mi.prepare_pages(data, f"{mode}.img")
    else:  # a mode no file format here writes: the same finishing step
        page = mi.finish(img, f"{mode}.img")
    out = Image.open(io.BytesIO(page.data))
    assert made == ["L" if mode in GRAY else "RGB"]  # WebP itself decodes as RGB
    left = out.convert("L").getpixel((SIZE[0] // 4, SIZE[1] // 2))
    right = out.convert("L").getpixel((SIZE[0] * 3 // 4, SIZE[1] // 2))
    assert isinstance(left, int) and isinstance(right, int)
    assert left < 40 and right > 215, (left, right)


def test_the_testers_16_bit_gray_png_is_a_page() -> None:
    out = io.BytesIO()
    Image.new("I;16", (1200, 1600)).save(out, "PNG")
    (page,) = mi.prepare_pages(out.getvalue(), "g.png")
    assert (page.width, page.height) == (1200, 1600)


def test_a_mode_that_cannot_be_converted_is_a_message_not_a_bug() -> None:
    with pytest.raises(ValidationError, match="颜色模式（La）无法处理") as err:
        mi.finish(Image.new("La", SIZE), "奇怪.tif")
    assert err.value.field == "page"
