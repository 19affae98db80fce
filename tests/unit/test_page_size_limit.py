"""A page over the 300 KB target is scaled down step by step, never below 150 dpi A4."""

from __future__ import annotations

import io

from PIL import Image

from app.materials import intake as mi
from tests.helpers import pages as tp


def _noisy_colour_page() -> Image.Image:
    """A 200 dpi A4 colour page of pure noise: the worst a photo page can be."""
    size = mi.PAGE_BOX
    bands = [Image.effect_noise(size, sigma) for sigma in (90, 60, 120)]
    return Image.merge("RGB", bands)


def test_a_noisy_colour_page_is_scaled_down_to_the_target_or_the_floor() -> None:
    img = _noisy_colour_page()
    unscaled = io.BytesIO()
    img.save(unscaled, "WEBP", quality=mi.FALLBACK_QUALITIES[-1], method=4)
    assert len(unscaled.getvalue()) > mi.TARGET_BYTES  # the qualities alone do not fit it
    (page,) = mi.prepare_pages(tp.encoded(img, "PNG"), "照片.png")
    assert len(page.data) <= mi.TARGET_BYTES or min(page.width, page.height) == mi.MIN_SHORT_SIDE
    assert len(page.data) < len(unscaled.getvalue())
    stored = Image.open(io.BytesIO(page.data))
    assert stored.size == (page.width, page.height)
    assert abs(page.width / page.height - img.width / img.height) < 0.01  # not distorted


def test_a_page_that_fits_once_scaled_down_is_within_the_target() -> None:
    img = _noisy_colour_page().resize((600, 848)).resize(mi.PAGE_BOX)  # softer noise
    (page,) = mi.prepare_pages(tp.encoded(img, "PNG"), "照片.png")
    assert len(page.data) <= mi.TARGET_BYTES
    assert page.width < mi.PAGE_BOX[0]  # 397 KB at quality 45 unscaled: it was scaled
    assert min(page.width, page.height) >= mi.MIN_SHORT_SIDE


def test_an_ordinary_scan_is_not_scaled() -> None:
    page = mi.prepare_page(tp.encoded(tp.scan(), "PNG"), "扫描.png")
    assert (page.width, page.height) == mi.PAGE_BOX and len(page.data) <= mi.TARGET_BYTES
