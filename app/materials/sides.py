"""An identity document's two sides as one page (身份证正反面), like a photocopy of both.

A 居民身份证 has a 人像面 and a 国徽面; a hall keeps them as ONE material page, both sides
on one A4 sheet, one above the other — what a clerk's photocopy of a card always was, and
what an approver expects to find under 居民身份证. The catalog names a material's sides
(``sides: [人像面, 国徽面]``, :class:`forms.schema.MaterialDef`); the counter captures them
in turn and :func:`compose_sides` makes the page.

Each side is cropped to the card and made upright (:mod:`app.materials.straighten`; a
capture on the document camera's base) and scaled to :data:`SIDE_WIDTH` px wide — 157 mm
at 200 dpi, 1.8 × the card's 85.6 mm, so the small print stays legible on screen — then
placed on a white A4 page at 200 dpi (:data:`app.materials.intake.PAGE_BOX`). The page is
encoded like every other (:func:`app.materials.intake.finish`).
"""

from __future__ import annotations

from PIL import Image

from app.materials.intake import PAGE_BOX, PreparedPage, finish, image_frames, refuse
from app.materials.straighten import straightened

SIDE_WIDTH = 1240  # px at 200 dpi
MARGIN = 120  # px: top, bottom and between the sides


def compose_sides(sides: tuple[tuple[bytes, str], ...], material: str) -> PreparedPage:
    """One A4 page holding each side in order, top to bottom.

    ``sides``: (image file bytes, the side's name) per side, 2 for an ID card.
    ``material``: the material's name, for messages and the page's source.
    Raises ValidationError (field ``page``) for a side that is not a readable image (a PDF
    or a multi-page file included: a side is one picture).
    """
    if not sides:
        raise refuse(f"{material}：没有可合成的证件面。")
    width, height = PAGE_BOX
    slot = (height - MARGIN * (len(sides) + 1)) // len(sides)
    page = Image.new("RGB", (width, height), "white")
    y = MARGIN
    for data, name in sides:
        frames = image_frames(data, f"{material}{name}")
        if len(frames) != 1:
            raise refuse(f"{material}{name}应为一张图片。")
        side = _card(straightened(frames[0]).image.convert("RGB"))
        scale = min(SIDE_WIDTH / side.width, slot / side.height)
        side = side.resize(
            (max(1, round(side.width * scale)), max(1, round(side.height * scale))),
            Image.Resampling.LANCZOS,
        )
        page.paste(side, ((width - side.width) // 2, y + (slot - side.height) // 2))
        y += slot + MARGIN
    return finish(page, f"{material}（{'、'.join(name for _d, name in sides)}）")


def _card(img: Image.Image) -> Image.Image:
    """A card captured upright on its long side: landscape, as a card is read."""
    if img.height > img.width * 1.2:  # the card was lying turned by a quarter
        return img.transpose(Image.Transpose.ROTATE_90)
    return img
