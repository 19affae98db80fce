"""A catalog file cannot make the loader expand it, and no error line quotes a long value.

Issue 12, kind 5: an alias bomb ("billion laughs", 8 levels) in a catalog folder made
``catalog check`` take 1.7 GB and 43 s, then print error lines megabytes long.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from forms import loader
from forms.loader import CatalogError, load_catalog
from tests.helpers.catalog_copies import catalog_copy, edit

MZ = "minzheng.yaml"


def _problems(folder: Path) -> list[str]:
    with pytest.raises(CatalogError) as err:
        load_catalog(folder)
    return [str(p) for p in err.value.problems]


def _bomb(levels: int = 8) -> str:
    """The tester's file: each level a list of nine aliases of the level before (9⁸ values)."""
    names = "abcdefghij"
    lines = [f"a: &a [{', '.join(['x'] * 9)}]"]
    for i in range(1, levels):
        lines.append(f"{names[i]}: &{names[i]} [{', '.join(['*' + names[i - 1]] * 9)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_naming_the_file(tmp_path: Path) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    (folder / MZ).write_text(_bomb(), "utf-8")
    problems = _problems(folder)
    # One short line about the file itself; nothing expanded, no follow-on errors elsewhere.
    assert problems == [
        f"{MZ}: 第 1 行: 此处内容被别名（*）引用："
        "目录文件不能使用 YAML 锚点和别名（&、*、<<），请直接写出"
    ]


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        # a single alias of a scalar
        ("    promised_days: 7\n", "    promised_days: &d 7\n    legal_days: *d\n", 9),
        # a merge key of an anchored mapping
        (
            "department: {code: MZ, name: 民政局}\n",
            "department: &dept {code: MZ, name: 民政局}\nx: {<<: *dept}\n",
            2,
        ),
        # an alias of the node that holds it (a cycle)
        ("services:\n", "loop: &loop [*loop]\nservices:\n", 3),
    ],
)
def test_every_alias_is_refused_before_it_is_built(
    tmp_path: Path, old: str, new: str, line: int
) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, MZ, old, new)
    problems = _problems(folder)
    assert problems == [
        f"{MZ}: 第 {line} 行: 此处内容被别名（*）引用："
        "目录文件不能使用 YAML 锚点和别名（&、*、<<），请直接写出"
    ]


def test_a_file_too_big_to_be_a_catalog_is_refused_unread(tmp_path: Path) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    (folder / "huge.yaml").write_text("# " + "x" * loader.FILE_MAX + "\n", "utf-8")
    assert _problems(folder) == ["huge.yaml: 文件过大（超过 1000 kB），不是目录文件"]


def test_a_long_bad_value_is_shortened_in_the_message(tmp_path: Path) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, MZ, "    promised_days: 7\n", f"    promised_days: {'七' * 5000}\n")
    (problem,) = _problems(folder)
    assert problem.startswith(f"{MZ}: services[0](MZ001).promised_days: 应为整数（现为 '七七")
    quoted = problem.split("（现为 ", 1)[1].removesuffix("）")
    assert len(quoted) == loader.QUOTE_MAX + 1 and quoted.endswith("…")


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        # a huge unknown key (written as an explicit key): the path quotes it short
        (
            "    promised_days: 7\n",
            f"    promised_days: 7\n    ? {'k' * 5000}\n    : 1\n",
            "不认识",
        ),
        # a huge nested value in a field that wants a number
        (
            "    promised_days: 7\n",
            f"    promised_days: {[[i, i] for i in range(2000)]}\n",
            "应为整数",
        ),
        # a condition that quotes its long expression
        ('when: "age >= 60"', f'when: "age >= 60 and {"x" * 400} > 1"', "条件"),
    ],
)
def test_no_error_line_is_long(tmp_path: Path, old: str, new: str, what: str) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, MZ, old, new)
    problems = _problems(folder)
    assert any(what in p for p in problems), problems
    assert all(len(p) < 400 for p in problems), [len(p) for p in problems]


def test_invisible_characters_are_not_echoed_into_the_message(tmp_path: Path) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, MZ, "    promised_days: 7\n", '    promised_days: "7\\0\\u202e天"\n')
    (problem,) = _problems(folder)
    assert "\x00" not in problem and "\u202e" not in problem and "应为整数" in problem
