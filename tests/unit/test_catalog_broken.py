"""One broken catalog file reports its own errors only; a missing folder says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.loader import CatalogError, load_catalog
from tests.helpers.catalog_copies import catalog_copy, edit


def _problems(folder: Path) -> list[str]:
    with pytest.raises(CatalogError) as err:
        load_catalog(folder)
    return [str(p) for p in err.value.problems]


@pytest.mark.parametrize(
    "breakage",
    [
        ("promised_days: 7\n", "promised_days: soon\n"),  # a field: the file fails validation
        ("department: {code: MZ, name: 民政局}", "department: {code: MZ, name: 民政局"),  # YAML
        ("version: 1\n", "version: 0\n"),  # the file's header
    ],
)
def test_one_broken_file_gives_only_its_own_errors(
    tmp_path: Path, breakage: tuple[str, str]
) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, "minzheng.yaml", *breakage)
    problems = _problems(folder)
    # canlian.yaml, yibao.yaml … route to MZ: no "部门 MZ 未定义" on top of the real error.
    assert problems and all(p.startswith("minzheng.yaml") for p in problems), problems


def test_an_undefined_department_is_still_reported(tmp_path: Path) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, "canlian.yaml", "{department: MZ, when:", "{department: QQ, when:")
    problems = _problems(folder)
    assert any(p.startswith("canlian.yaml") and "部门 QQ 未定义" in p for p in problems)


def test_broken_file_elsewhere_keeps_real_undefined_departments(tmp_path: Path) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, "minzheng.yaml", "promised_days: 7\n", "promised_days: soon\n")
    edit(folder, "canlian.yaml", "{department: MZ, when:", "{department: QQ, when:")
    problems = _problems(folder)
    assert any("部门 QQ 未定义" in p for p in problems)
    assert not any("部门 MZ 未定义" in p for p in problems)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    assert _problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}: 目录文件夹不存在"]
