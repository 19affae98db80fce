"""The shipped catalog and the errors a broken file gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.__main__ import main
from forms.loader import CatalogError, default_catalog_dir, load_catalog
from forms.schema import ServiceKind, StepKind


def test_shipped_catalog_has_40_services_in_8_departments() -> None:
    catalog = load_catalog()
    assert len(catalog.services) >= 40
    with_services = [d for d, s in catalog.by_department().items() if s]
    assert len(with_services) >= 8


def test_dibao_is_defined_as_the_issue_requires() -> None:
    dibao = next(
        s.definition
        for s in load_catalog().services.values()
        if s.definition.name == "最低生活保障申请"
    )
    names = [m.name for m in dibao.materials if m.required]
    assert {"居民身份证", "户口本", "收入证明"} <= set(names)
    assert [s.name for s in dibao.routing] == ["初审", "复审", "公示", "发放"]
    publicity = dibao.routing[2]
    assert publicity.kind == StepKind.PUBLICITY and publicity.days == 7
    branches = {b.department: b.when for b in dibao.routing[1].departments}
    assert branches["MZ"] == "age >= 60"
    assert branches["CL"] == "disability == true"
    assert dibao.promised_days == 7 and dibao.kind == ServiceKind.PROMISED


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(default_catalog_dir(), target, ignore=shutil.ignore_patterns("__*"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "old,new,where,message",
    [
        (
            "promised_days: 7\n    legal_days: 30",
            "promised_days: 七\n    legal_days: 30",
            "services[0](MZ001).promised_days",
            "整数",
        ),
        ('when: "age >= 60"', 'when: "age >= sixty"', "services[0](MZ001)", "未定义的字段：sixty"),
        ('when: "age >= 60"', 'when: "age >="', "services[0](MZ001)", "语法错误"),
        (
            "copies: 1, note: 家庭成员",
            "copies: -1, note: 家庭成员",
            "services[0](MZ001).materials[2].copies",
            "数值过小",
        ),
        (
            "kind: promised\n    promised_days: 7",
            "kind: sometimes\n    promised_days: 7",
            "services[0](MZ001).kind",
            "取值不在允许范围内",
        ),
        (
            "{department: JD}]",
            "{department: XX}]",
            "services[0](MZ001).routing[0].departments[0]",
            "部门 XX 未定义",
        ),
        (
            "queue_category: D\n    kind: promised\n    promised_days: 7",
            "queue_category: Z\n    kind: promised\n    promised_days: 7",
            "services[0](MZ001).queue_category",
            "取号类别 Z",
        ),
        (
            "    legal_basis: 《社会救助暂行办法》第九条至第十二条",
            "    legal_bases: x",
            "services[0](MZ001).legal_bases",
            "不认识的字段",
        ),
    ],
)
def test_broken_file_names_file_and_field(
    catalog_copy: Path, old: str, new: str, where: str, message: str
) -> None:
    _edit(catalog_copy / "minzheng.yaml", old, new)
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    texts = [str(p) for p in err.value.problems]
    assert any(
        p.file == "minzheng.yaml" and p.path.startswith(where) and message in p.message
        for p in err.value.problems
    ), texts


def test_yaml_syntax_error_names_the_line(catalog_copy: Path) -> None:
    (catalog_copy / "renshe.yaml").write_text("version: 1\ndepartment: {code: RS\n", "utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    assert err.value.problems[0].file == "renshe.yaml"
    assert "行" in err.value.problems[0].path


def test_duplicate_service_code_across_files(catalog_copy: Path) -> None:
    _edit(catalog_copy / "renshe.yaml", "code: RS001", "code: MZ001")
    with pytest.raises(CatalogError, match=r"事项编码与 minzheng\.yaml 重复"):
        load_catalog(catalog_copy)


def test_catalog_check_command(catalog_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "check", str(catalog_copy)]) == 0
    assert "目录正确" in capsys.readouterr().out
    _edit(
        catalog_copy / "yibao.yaml",
        "promised_days: 15\n    legal_days: 45",
        "promised_days: 50\n    legal_days: 45",
    )
    assert main(["catalog", "check", str(catalog_copy)]) == 1
    err = capsys.readouterr().err
    assert "yibao.yaml: services[1](YB002)" in err and "承诺时限不能长于法定时限" in err
