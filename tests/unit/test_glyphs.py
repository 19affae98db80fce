"""What can be printed: the bundled fonts' coverage, names refused, the 生僻字 picker's rule."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFontFile

import forms
from app import config, glyphs
from app.errors import EnvironmentProblem, ValidationError
from app.fieldvalues import parse_value
from app.people.residents import clean_name
from forms.loader import CatalogError, load_catalog
from forms.schema import FieldDef, FieldType, QueueCategoryDef

EXT_G = "\U00030000"  # 𰀀, the first character of CJK Extension G


@pytest.mark.parametrize(("name", "file", "subfont"), glyphs.FONT_FILES)
def test_coverage_read_from_the_cmap_is_what_reportlab_maps(
    name: str, file: str, subfont: int
) -> None:
    mine = glyphs.coverage(name)
    face = TTFontFile(str(glyphs.font_path(file)), subfontIndex=subfont)
    theirs = {code for code, glyph in face.charToGlyph.items() if glyph}
    # reportlab adds U+00A0 as an alias of the space when a font lacks it.
    assert mine <= theirs and theirs - mine <= {0xA0}


def test_the_chain_covers_extension_g_and_the_fallback_font_is_truetype() -> None:
    assert EXT_G in {chr(c) for c in glyphs.coverage("BabelStoneHanRare")}
    ext_g = [c for c in range(0x30000, 0x3134B) if glyphs.can_draw(chr(c))]
    assert len(ext_g) == 3045
    with glyphs.font_path("BabelStoneHan-rare.ttf").open("rb") as fh:
        head = fh.read(12 + 16 * 30)
    assert head[:4] == b"\x00\x01\x00\x00" and b"glyf" in head and b"CFF " not in head
    licence = glyphs.font_path("babelstone.LICENSE.txt").read_text(encoding="utf-8")
    assert "ARPHIC PUBLIC LICENSE" in licence and "subset_fallback_font.py" in licence


@pytest.mark.parametrize("name", ["张三", "吉\U00020bb7䶮" + EXT_G, "阿卜杜·热合曼", "Mary Ann"])
def test_drawable_names_pass(name: str) -> None:
    assert clean_name(name) == name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("王😀", "姓名中的“😀”（U+1F600）无法打印，请核对。"),
        ("李\U000f0000", "姓名中的字符（U+F0000）无法打印，请核对。"),  # private use: 造字
        ("\U0001f468\u200d\U0001f469", "姓名中的“\U0001f468”（U+1F468）无法打印，请核对。"),
    ],
)
def test_undrawable_names_are_refused_naming_the_character(name: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        clean_name(name, field="agent_name")
    assert info.value.field == "agent_name"
    # The free-text cleaner may refuse a format character (U+200D) first, in its own words.
    assert info.value.message == message or "U+200D" in info.value.message


def test_invisible_characters_are_named_by_code_only() -> None:
    with pytest.raises(ValidationError) as info:
        glyphs.check_printable("赵\u200d钱", "姓名", "name")
    assert info.value.message == "姓名中的字符（U+200D）无法打印，请核对。"


def test_a_name_form_field_refuses_what_cannot_be_printed() -> None:
    spouse = FieldDef(key="spouse", label="配偶姓名", type=FieldType.NAME)
    assert parse_value(spouse, "吉\U00020bb7" + EXT_G, date(2026, 11, 30)) == "吉\U00020bb7" + EXT_G
    with pytest.raises(ValidationError) as info:
        parse_value(spouse, "王🙂", date(2026, 11, 30))
    assert info.value.message == "配偶姓名中的“🙂”（U+1F642）无法打印，请核对。"
    assert info.value.field == "spouse"


def test_hall_and_queue_names_are_refused_where_configured(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('hall_name = "长沙市㮾梨街道政务服务中心"\n', encoding="utf-8")
    assert config.load_settings(config_path=path).hall_name == "长沙市㮾梨街道政务服务中心"
    path.write_text('hall_name = "阳光大厅🌞"\n', encoding="utf-8")
    with pytest.raises(EnvironmentProblem, match=r"hall_name.*“🌞”（U\+1F31E）"):
        config.load_settings(config_path=path)
    assert QueueCategoryDef(letter="A", name="㮾梨综合").name == "㮾梨综合"
    with pytest.raises(ValueError, match=r"“⭐”（U\+2B50）"):
        QueueCategoryDef(letter="A", name="综合⭐")


@pytest.mark.parametrize(
    ("entered", "char"),
    [("20BB7", "\U00020bb7"), ("U+30000", EXT_G), ("u+4dae", "䶮"), ("0x3BBE", "㮾"), ("龘", "龘")],
)
def test_picker_accepts_assigned_printable_drawable_code_points(entered: str, char: str) -> None:
    assert glyphs.parse_code_point(entered) == char


@pytest.mark.parametrize(
    ("entered", "says"),
    [
        ("2FFFF", "未分配"),  # unassigned (Cn)
        ("E000", "私用区"),  # private use (Co)
        ("D800", "代理"),  # surrogate (Cs)
        ("0007", "不是可单独显示的文字"),  # control
        ("200B", "不是可单独显示的文字"),  # format: zero-width space
        ("3000", "不是可单独显示的文字"),  # ideographic space
        ("0301", "不是可单独显示的文字"),  # combining accent
        ("1F600", "字库没有“😀”"),  # assigned, printable, but no bundled font has it
        ("110000", "超出 Unicode 范围"),
        ("吉祥", "请输入 Unicode 编码"),
        ("U+", "请输入 Unicode 编码"),
    ],
)
def test_picker_refuses_with_a_reason(entered: str, says: str) -> None:
    with pytest.raises(ValidationError) as info:
        glyphs.parse_code_point(entered)
    assert says in info.value.message and info.value.field == "code"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12) | st.integers(0, 0x10FFFF).map(lambda c: f"U+{c:X}"))
def test_picker_returns_a_printable_character_or_a_validation_error(entered: str) -> None:
    try:
        ch = glyphs.parse_code_point(entered)
    except ValidationError as exc:
        assert exc.field == "code" and exc.message
        return
    assert len(ch) == 1 and unicodedata.category(ch) not in ("Cn", "Co", "Cs")
    assert ch.isprintable() and glyphs.first_undrawable(ch) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_check_printable_names_the_first_undrawable_character_or_passes(text: str) -> None:
    bad = [ch for ch in text if not glyphs.can_draw(ch)]
    try:
        glyphs.check_printable(text, "姓名", "name")
    except ValidationError as exc:
        assert bad and f"U+{ord(bad[0]):04X}" in exc.message
    else:
        assert not bad


def test_a_catalog_queue_name_that_cannot_be_printed_is_named_with_file_and_field(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(Path(forms.__file__).parent / "catalog", folder)
    hall = folder / "_hall.yaml"
    hall.write_text(hall.read_text(encoding="utf-8").replace("综合受理", "综合受理⭐"), "utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(folder)
    expected = "_hall.yaml: queue_categories[0].name: 含有字库无法打印的“⭐”（U+2B50）"
    assert any(str(p).startswith(expected) for p in info.value.problems)
