"""Names at the edge of the fonts, through the services, on both backends.

An Extension G name (U+30000) is saved, accepted and printed on the receipt in the
embedded fallback font; an emoji name is refused at save, naming the character.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cases import intake
from app.cases.intake import IntakeInput
from app.checklist import MaterialTick
from app.db.session import Database
from app.errors import ValidationError
from app.people import residents
from printing import receipt
from tests.helpers.ink import ink
from tests.helpers.pdf import run, stored_pdf, tool
from tests.helpers.people import actor, id_number

EXT_G = "\U00030000"
NAME = "王\U00020bb7䶮" + EXT_G  # 𠮷 (Extension B), 䶮 (A), 𰀀 (G)
FORM = {"proof_type": "亲属关系证明", "purpose": "办理继承公证"}


def _fonts_mapping(pdf: Path, utf16: str) -> list[str]:
    """Base names of the PDF's fonts whose ToUnicode map sends a code to ``utf16`` (hex)."""
    found = []
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            to_unicode = font.get("/ToUnicode")
            if to_unicode is not None and f"<{utf16}>" in to_unicode.get_data().decode():
                found.append(str(font["/BaseFont"]))
    return found


def test_extension_g_name_prints_on_the_receipt(db: Database, tmp_path: Path) -> None:
    clerk = actor(db)
    person = residents.save(
        db, clerk, residents.ResidentInput(id_number(date(1988, 3, 4), 7), NAME, "13912345678")
    )
    assert person.name == NAME
    ticks = (MaterialTick("id_card", True, True, True, 1), MaterialTick("hukou", True, True))
    result = intake.accept(db, clerk, IntakeInput("GA005", person.id, FORM, ticks), receipt.render)
    path = tmp_path / "receipt.pdf"
    path.write_bytes(stored_pdf(db, result.case_id, "receipt"))

    fonts = run(tool("pdffonts"), str(path))
    rare = [line for line in fonts.splitlines() if "BabelStoneHanRare" in line]
    assert rare and all(" yes yes " in line for line in rare)  # embedded, as a subset
    # The embedded font that draws U+30000 is that one (its ToUnicode: UTF-16 D880 DC00).
    holders = _fonts_mapping(path, "D880DC00")
    assert holders and all("BabelStoneHanRare" in name for name in holders)
    assert NAME in run(tool("pdftotext"), str(path), "-")
    # Rendered, each rare character has ink in its box (a gap would have none).
    for ch in ("\U00020bb7", "䶮", EXT_G):
        assert ink(path, ch) > 0.03, ch


def test_emoji_name_is_refused_naming_the_character(db: Database) -> None:
    # Applicants and agents (代办人) are both saved as residents by this one service.
    clerk = actor(db)
    number = id_number(date(1990, 1, 2), 11)
    with pytest.raises(ValidationError) as info:
        residents.save(db, clerk, residents.ResidentInput(number, "张😀"))
    assert info.value.field == "name"
    assert info.value.message == "姓名中的“😀”（U+1F600）无法打印，请核对。"
    # Nothing was saved: the same person with a printable name is a new record.
    assert residents.find_by_id_number(db, clerk, number) is None
    assert residents.save(db, clerk, residents.ResidentInput(number, "张乐")).name == "张乐"
