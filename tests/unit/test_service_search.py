"""Finding a service as a clerk types it: common names, pinyin initials, codes, usage."""

from __future__ import annotations

import pytest

from app.hall.catalog import CatalogEntry
from app.hall.service_search import Hit, hit, rank
from forms.loader import load_catalog
from forms.schema import ServiceDef


@pytest.fixture(scope="module")
def entries() -> list[CatalogEntry]:
    """The shipped catalog as the intake screen lists it (by code)."""
    catalog = load_catalog()
    return [
        CatalogEntry(d.code, d.name, s.department.code, s.department.name, 1, d)
        for s in sorted(catalog.services.values(), key=lambda s: s.definition.code)
        for d in (s.definition,)
    ]


def codes(found: list[CatalogEntry]) -> list[str]:
    return [e.code for e in found]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("低保", "MZ001"),  # a common name the catalog declares
        ("dbsq", "MZ001"),  # pinyin initials of one (低保申请)
        ("DBSQ", "MZ001"),
        ("zdshbz", "MZ001"),  # initials of the name itself
        ("MZ001", "MZ001"),
        ("mz001", "MZ001"),
        ("ＭＺ００１", "MZ001"),  # typed with a full-width input method
        ("最低生活", "MZ001"),
        ("居住证", "GA001"),
        ("jzz", "GA001"),
        ("社保卡", "RS003"),
        ("sbk", "RS003"),
        ("医保转移", "YB002"),
        ("特困", "MZ004"),
        ("残疾证", "CL002"),
        ("户口迁移", "GA004"),
        ("出生登记", "GA003"),
        ("公积金", "ZJ003"),
    ],
)
def test_the_top_hit_is_the_service_meant(
    entries: list[CatalogEntry], query: str, first: str
) -> None:
    assert codes(rank(entries, query))[0] == first


def test_an_exact_code_beats_every_other_hit(entries: list[CatalogEntry]) -> None:
    busy = {e.code: 100 for e in entries if e.code != "MZ001"}
    assert codes(rank(entries, "MZ001", busy)) == ["MZ001"]
    by = {e.code: e for e in entries}
    assert hit(by["MZ001"], "MZ001") == Hit.CODE
    assert hit(by["MZ001"], "低保") == Hit.EXACT
    assert hit(by["MZ001"], "dbsq") == Hit.EXACT
    assert hit(by["MZ001"], "db") == Hit.EXACT  # 低保 itself
    assert hit(by["MZ001"], "dbs") == Hit.START
    assert hit(by["MZ001"], "生活") == Hit.INSIDE
    assert hit(by["MZ001"], "shbz") == Hit.INITIALS_INSIDE
    assert hit(by["MZ001"], "居住证") == Hit.NONE


def test_a_common_name_finds_all_its_services_the_exact_one_first(
    entries: list[CatalogEntry],
) -> None:
    found = codes(rank(entries, "社保卡"))
    assert found[:2] == ["RS003", "RS004"]  # 社保卡 (exact) then 社保卡挂失 (start)
    assert set(codes(rank(entries, "残疾证"))) == {"CL002", "CL003"}


def test_usage_reorders_equal_hits_only(entries: list[CatalogEntry]) -> None:
    plain = codes(rank(entries, "社保"))
    assert plain[:2] == ["RS003", "RS004"]  # equal hits (a start) keep the catalog order
    used = codes(rank(entries, "社保", {"RS004": 5, "RS003": 1}))
    assert used[:2] == ["RS004", "RS003"]
    assert set(used) == set(plain)
    # Usage never lifts a weaker hit over a better one: 社保卡 is RS003's own common name.
    assert codes(rank(entries, "社保卡", {"RS004": 50}))[0] == "RS003"


def test_an_empty_query_lists_everything_most_used_first(entries: list[CatalogEntry]) -> None:
    found = codes(rank(entries, "  ", {"GA005": 3, "MZ001": 7}))
    assert found[:2] == ["MZ001", "GA005"]
    assert sorted(found) == sorted(e.code for e in entries)


def test_words_must_all_match_and_nonsense_finds_nothing(entries: list[CatalogEntry]) -> None:
    assert codes(rank(entries, "社保卡 挂失")) == ["RS004"]
    assert rank(entries, "不存在的事项") == []
    assert rank(entries, "qqqqq") == []
    assert rank(entries, "低保\x00") == []  # a character no text may hold: no hits, no error


def test_every_shipped_service_with_a_common_name_declares_it(
    entries: list[CatalogEntry],
) -> None:
    said = {a for e in entries for a in e.definition.aliases}
    for name in ("低保", "特困", "居住证", "社保卡", "医保转移", "残疾证", "户口迁移", "出生登记"):
        assert name in said
    assert all(e.definition.aliases for e in entries)


def test_common_names_are_cleaned_and_not_repeated(entries: list[CatalogEntry]) -> None:
    raw = entries[0].definition.model_dump(mode="json")
    for aliases in (["低保", "低保"], [raw["name"]], ["低\u202e保"], ["x" * 61]):
        with pytest.raises(ValueError, match="aliases"):
            ServiceDef.model_validate({**raw, "aliases": aliases})
    ok = ServiceDef.model_validate({**raw, "aliases": [" 低保 "]})
    assert ok.aliases == ("低保",)
