"""Auto-crop and deskew of captures, and an ID card's two sides on one page."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from app.errors import ValidationError
from app.materials.intake import PAGE_BOX, prepare_pages
from app.materials.sides import compose_sides
from app.materials.straighten import straightened, text_skew
from tests.helpers import pages as tp


def _gray(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("L"))


@pytest.mark.parametrize("angle", [6.0, -4.0, 0.0])
def test_a_sheet_on_the_camera_base_is_cut_out_and_made_upright(angle: float) -> None:
    sheet = tp.scan(150)  # 1241 × 1754
    picture = tp.on_base(sheet, angle)
    result = straightened(picture)
    assert result.done == "cropped"
    # the sheet as it lay, scaled by on_base: the aspect of the A4 sheet, no base left
    ratio = result.image.height / result.image.width
    assert ratio == pytest.approx(sheet.height / sheet.width, rel=0.03)
    border = np.concatenate([_gray(result.image)[:8].ravel(), _gray(result.image)[-8:].ravel()])
    assert border.mean() > 200  # paper at the edges, not the dark base
    assert text_skew(_gray(result.image)) is None  # level


@pytest.mark.parametrize("angle", [4.0, -3.0])
def test_a_turned_page_without_a_base_is_deskewed(angle: float) -> None:
    page = tp.scan(150).rotate(angle, expand=True, fillcolor="white")
    found = text_skew(_gray(page))
    assert found == pytest.approx(-angle, abs=0.4)
    result = straightened(page)
    assert result.done == "deskewed" and text_skew(_gray(result.image)) is None


def test_a_straight_scan_and_a_picture_are_left_as_they_are() -> None:
    scan = tp.scan(150)
    assert straightened(scan).done == ""
    assert straightened(scan).image is scan
    drawing = tp.draw((900, 700))
    assert straightened(drawing).done == ""


def test_prepare_pages_straightens_only_when_asked() -> None:
    data = tp.encoded(tp.on_base(tp.scan(150), 5, frame=(2000, 1500)))
    plain = prepare_pages(data, "frame.jpg")[0]
    cut = prepare_pages(data, "frame.jpg", straighten=True)[0]
    assert (plain.width, plain.height) == (2000, 1500)
    assert cut.height > cut.width  # the portrait sheet, no longer the landscape frame
    assert len(cut.data) <= 300 * 1024


def test_two_sides_of_an_id_card_become_one_a4_page() -> None:
    front = tp.encoded(tp.on_base(tp.id_card_side(True), 8))
    back = tp.encoded(tp.on_base(tp.id_card_side(False), -5).rotate(90, expand=True))
    page = compose_sides(((front, "人像面"), (back, "国徽面")), "居民身份证")
    assert (page.width, page.height) == PAGE_BOX
    assert page.source == "居民身份证（人像面、国徽面）"
    img = Image.open(io.BytesIO(page.data)).convert("L")
    gray = np.asarray(img)
    top, bottom = gray[: gray.shape[0] // 2], gray[gray.shape[0] // 2 :]
    for half in (top, bottom):  # a card in each half: print, not a blank half
        assert (half < 100).sum() > 2000
    assert len(page.data) <= 300 * 1024


def test_a_side_that_is_not_one_picture_is_refused_with_a_message() -> None:
    front = tp.encoded(tp.id_card_side(True))
    with pytest.raises(ValidationError) as caught:
        compose_sides(((front, "人像面"), (b"not an image", "国徽面")), "居民身份证")
    assert caught.value.field == "page" and "居民身份证国徽面" in caught.value.message
    with pytest.raises(ValidationError):
        compose_sides(((front, "人像面"), (tp.form_pdf(), "国徽面")), "居民身份证")


@pytest.mark.parametrize("size", [(1, 5000), (60, 40000), (5000, 2), (64, 64)])
def test_slivers_and_tiny_pictures_are_left_as_they_are(size: tuple[int, int]) -> None:
    picture = Image.new("RGB", size, (30, 30, 30))
    assert straightened(picture).image.size == size  # never an OpenCV error
