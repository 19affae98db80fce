"""Every catalog text passes the text cleaner and is printable; every number is bounded.

The tester's broken catalogs (issue 12, kind 1: ``catalog check`` said 目录正确 and
``catalog sync`` then crashed on PostgreSQL) are rebuilt here from the shipped files.
"""

from __future__ import annotations

import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import AfterValidator, BaseModel

from forms import schema
from forms.loader import CatalogError, load_catalog
from tests.helpers.catalog_copies import catalog_copy, edit

MZ = "minzheng.yaml"
MZ001 = "services[0](MZ001)"
NAME = "    name: 最低生活保障申请\n"
BASIS = "    legal_basis: 《社会救助暂行办法》第九条至第十二条\n"
CHOICES = "choices: [自有住房, 租房, 借住, 无固定住所]"
PROMISED = "    promised_days: 7\n"


def _problems(folder: Path) -> list[str]:
    with pytest.raises(CatalogError) as err:
        load_catalog(folder)
    return [str(p) for p in err.value.problems]


def _broken(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, file, old, new)
    return _problems(folder)


# (case, file, old, new, [(where, what) expected, one per problem])
TESTER_CASES = [
    (
        "nul",
        MZ,
        NAME,
        '    name: "最低生活保障\\0申请"\n',
        [(f"{MZ}: {MZ001}.name", "U+0000")],
    ),
    (
        "choicenul",
        MZ,
        CHOICES,
        'choices: ["自有\\0住房", "租\\u202e房", 借住, 无固定住所]',
        [
            (f"{MZ}: {MZ001}.fields[4].choices[0]", "U+0000"),
            (f"{MZ}: {MZ001}.fields[4].choices[1]", "改变文字方向的隐藏字符（U+202E）"),
        ],
    ),
    (
        "basis",
        MZ,
        BASIS,
        '    legal_basis: "依据\\0\\u202e😀"\n',
        [(f"{MZ}: {MZ001}.legal_basis", "U+0000")],
    ),
    (
        "halldept",
        "_hall.yaml",
        "{code: JD, name: 街道社会事务办}",
        '{code: JD, name: "街道\\0"}',
        [("_hall.yaml: departments[0].name", "U+0000")],
    ),
    (
        "emoji",
        MZ,
        NAME,
        '    name: "最低生活😀保障申请"\n',
        [(f"{MZ}: {MZ001}.name", "字库无法打印的“😀”（U+1F600）")],
    ),
    (
        "bidi",
        MZ,
        NAME,
        '    name: "最低\\u202e生活保障申请"\n',
        [(f"{MZ}: {MZ001}.name", "改变文字方向的隐藏字符（U+202E）")],
    ),
    (
        "feebig",
        MZ,
        PROMISED,
        PROMISED + "    fee: 1e400\n",
        [(f"{MZ}: {MZ001}.fee", "数值过大")],
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [case[1:] for case in TESTER_CASES],
    ids=[case[0] for case in TESTER_CASES],
)
def test_the_testers_broken_catalogs_are_refused_by_file_and_field(
    tmp_path: Path, file: str, old: str, new: str, expected: list[tuple[str, str]]
) -> None:
    problems = _broken(tmp_path, file, old, new)
    assert len(problems) == len(expected), problems
    for problem, (where, what) in zip(problems, expected, strict=True):
        assert problem.startswith(where + ": ") and what in problem, problem


@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        # the rest of the cleaner's kind, in other texts of the catalog
        (MZ, "name: 居民身份证,", 'name: "居民\\u2066身份证",', "materials[0].name"),
        (MZ, "note: 家庭成员近 6", 'note: "\\x07", x: 家庭成员近 6', "materials[2].note"),
        (MZ, "        name: 初审\n", '        name: "初\\x1b审"\n', "routing[0].name"),
        (MZ, "label: 住房情况,", 'label: "住房\\u200f情况",', "fields[4].label"),
        (MZ, "label: 住房情况,", 'label: "住房情况", help: "\\0",', "fields[4].help"),
        (MZ, "    scope: 共同", '    scope: "共\\v同"  # 共同', "scope"),
        (MZ, PROMISED, PROMISED + '    pickup: "窗口\\n出件"\n', "pickup"),
        (MZ, "{code: MZ, name: 民政局}", '{code: MZ, name: "民政\\u202d局"}', "department.name"),
        (MZ, 'when: "age >= 60"', 'when: "age >= 60\\0"', "departments[1].when"),
        ("_hall.yaml", "{letter: A, name: 综合受理}", '{letter: A, name: "综合\\0"}', "[0].name"),
    ],
)
def test_every_catalog_text_goes_through_the_cleaner(
    tmp_path: Path, file: str, old: str, new: str, where: str
) -> None:
    problems = _broken(tmp_path, file, old, new)
    assert problems and where in problems[0], problems


def test_a_lone_surrogate_is_refused(tmp_path: Path) -> None:
    # YAML refuses a lone surrogate escape itself; a surrogate pair written as one is fine,
    # so the cleaner's own refusal is shown on a value the YAML reader lets through.
    with pytest.raises(ValueError, match="无法识别（U\\+D800）"):
        schema._line("最低\ud800")


def test_text_is_nfc_and_long_text_keeps_its_lines(tmp_path: Path) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, MZ, NAME, '    name: "最低生活保障申请Cafe\\u0301"\n')
    edit(folder, MZ, BASIS, "    legal_basis: |\n      第一条\n      第二条\n")
    svc = load_catalog(folder).services["MZ001"].definition
    assert svc.name == "最低生活保障申请Caf\u00e9"
    assert svc.legal_basis == "第一条\n第二条"


def test_a_queue_name_fits_its_column_and_a_file_name_its_column(tmp_path: Path) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(
        folder, "_hall.yaml", "{letter: A, name: 综合受理}", "{letter: A, name: " + "综" * 41 + "}"
    )
    (folder / ("x" * 101 + ".yaml")).write_text("version: 1\n", "utf-8")
    problems = _problems(folder)
    assert any(p.startswith("_hall.yaml: queue_categories[0].name: 过长") for p in problems)
    assert any("文件名过长" in p for p in problems)


@pytest.mark.parametrize(
    ("old", "new", "where", "what"),
    [
        (PROMISED, PROMISED + "    fee: 1000000.01\n", "fee", "数值过大"),
        (PROMISED, PROMISED + "    fee: -1\n", "fee", "数值过小"),
        (PROMISED, PROMISED + "    fee: .nan\n", "fee", "有限的数字"),
        (PROMISED, PROMISED + "    fee: 0.001\n", "fee", "两位小数"),
        (PROMISED, "    promised_days: 366\n", "promised_days", "数值过大"),
        ("max: 20}", "max: .inf}", "fields[0].max", "有限的数字"),
        ("min: 1, max: 20}", "min: -1, max: 20}", "fields[0].min", "数值过小"),
        ("max: 20}", "max: 1e30}", "fields[0].max", "数值过大"),
        ("type: boolean}", "type: boolean, max: 3}", "fields[2]", "只有整数/金额字段"),
        ("max_length: 20}", "max_length: 2001}", "fields[3].max_length", "数值过大"),
        ("copies: 1}", "copies: 21}", "materials[0].copies", "数值过大"),
        ("kind: publicity, days: 7}", "kind: publicity, days: 61}", "routing[2].days", "数值过大"),
    ],
)
def test_numbers_are_finite_and_bounded(
    tmp_path: Path, old: str, new: str, where: str, what: str
) -> None:
    problems = _broken(tmp_path, MZ, old, new)
    assert len(problems) == 1 and f"{MZ001}.{where}" in problems[0], problems
    assert what in problems[0], problems


def test_a_files_version_fits_its_column(tmp_path: Path) -> None:
    problems = _broken(tmp_path, MZ, "version: 1\n", "version: 99999999999\n")
    assert problems == [f"{MZ}: version: 数值过大（现为 99999999999）"]


@pytest.mark.parametrize(("written", "printed"), [("1e3", "1000"), ("12.5", "12.50"), ("7", "7")])
def test_a_fee_is_kept_as_people_read_it(tmp_path: Path, written: str, printed: str) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, MZ, PROMISED, PROMISED + f"    fee: {written}\n")
    fee = load_catalog(folder).services["MZ001"].definition.fee
    assert f"{fee} 元" == f"{printed} 元" and fee == Decimal(printed)


def _str_leaves(tp: Any, metadata: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The metadata of every ``str`` inside an annotation (through tuples, unions, Annotated)."""
    if typing.get_origin(tp) is typing.Annotated:
        inner, *more = typing.get_args(tp)
        return _str_leaves(inner, metadata + tuple(more))
    if tp is str:
        return [metadata]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return []  # checked on its own
    leaves = []
    for arg in typing.get_args(tp):
        if arg is not Ellipsis and arg is not type(None):
            leaves += _str_leaves(arg, metadata)
    return leaves


def test_no_catalog_text_escapes_the_cleaner() -> None:
    models = [
        m
        for m in vars(schema).values()
        if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == schema.__name__
    ]
    assert schema.ServiceDef in models and schema.HallFile in models
    cleaners = {schema._line, schema._long}
    checked = 0
    for model in models:
        for name, info in model.model_fields.items():
            annotation: Any = info.annotation
            if isinstance(annotation, types.UnionType):
                annotation = typing.Union[annotation.__args__]  # noqa: UP007
            for meta in _str_leaves(annotation, tuple(info.metadata)):
                checked += 1
                patterned = any(getattr(m, "pattern", None) for m in meta)
                cleaned = any(isinstance(m, AfterValidator) and m.func in cleaners for m in meta)
                # The cleaner (app.text.clean_line / clean_long) also refuses what no font draws.
                assert patterned or cleaned, f"{model.__name__}.{name} is a str no cleaner sees"
    assert checked >= 20
