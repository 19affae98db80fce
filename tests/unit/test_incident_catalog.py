"""The event catalog of 群众诉求 / 网格事件 (issue 19, first part): the shipped file loads, the
dispatch catalog sends ≥ 90 % of a sample of typed events to the right departments by
itself and leaves the rest to a dispatcher, and a wrong file is refused line by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.incidents import Dispatch, load_incidents
from forms.loader import CatalogError, load_catalog
from tests.helpers.incidents import SAMPLE


@pytest.fixture(scope="module")
def departments() -> dict[str, str]:
    catalog = load_catalog()
    return {code: d.name for code, d in catalog.departments.items()}


def test_the_sample_is_dispatched_by_the_catalog_and_the_rest_waits(
    departments: dict[str, str],
) -> None:
    catalog = load_incidents(departments)
    decided = [(s, g, catalog.dispatch(s, g)) for s, g, _lead, _cc in SAMPLE]
    expected = [(s, g, Dispatch(lead, cc) if lead else None) for s, g, lead, cc in SAMPLE]
    assert decided == expected
    automatic = sum(1 for _s, _g, d in decided if d is not None)
    assert len(SAMPLE) >= 30 and automatic / len(SAMPLE) >= 0.9
    assert catalog.subtypes["SZSS01"][1].handle_hours == 2 and catalog.departments["ZJ"]


def test_a_wrong_catalog_file_is_refused_naming_file_and_field(
    tmp_path: Path, departments: dict[str, str]
) -> None:
    (tmp_path / "bad.yaml").write_text(
        """version: 1
types:
  - code: SRHW
    name: 市容环卫
    subtypes:
      - {code: SRHW01, name: 垃圾堆放, handle_hours: 8}
  - code: SZSS
    name: 市政设施
    subtypes:
      - {code: SRHW01, name: 重复, handle_hours: 0}
dispatch:
  - {type: SRHW, subtype: SZSS01, lead: XX}
  - {type: NONE, lead: CG, colour: red}
""",
        "utf-8",
    )
    with pytest.raises(CatalogError) as refused:
        load_incidents(departments, tmp_path)
    lines = [str(p) for p in refused.value.problems]
    assert any("bad.yaml" in line and "handle_hours" in line for line in lines), lines
    assert any("colour" in line for line in lines), lines
    (tmp_path / "bad.yaml").write_text(
        """version: 1
types:
  - code: SRHW
    name: 市容环卫
    subtypes:
      - {code: SRHW01, name: 垃圾堆放, handle_hours: 8}
      - {code: SRHW01, name: 重复, handle_hours: 8}
dispatch:
  - {type: SRHW, subtype: SZSS01, lead: XX}
  - {type: NONE, lead: CG}
""",
        "utf-8",
    )
    with pytest.raises(CatalogError) as refused:
        load_incidents(departments, tmp_path)
    lines = [str(p) for p in refused.value.problems]
    assert "bad.yaml: types.SRHW.SRHW01: 小类代码重复" in lines
    assert "bad.yaml: dispatch.0.subtype: 小类 SZSS01 不属于事件类型 SRHW" in lines
    assert "bad.yaml: dispatch.0.lead: 没有部门 XX" in lines
    assert "bad.yaml: dispatch.1.type: 没有事件类型 NONE" in lines


def test_an_event_number_scanned_where_cases_are_looked_up_is_named_as_one() -> None:
    from app.numbers import is_case_no, is_event_no, missing_case

    assert is_case_no("DEMO-SQ20261201-0003") and is_event_no("DEMO-SQ20261201-0003")
    assert is_event_no("SQ20261201-0003")
    assert not is_event_no("DEMO-MZ20261201-0003") and not is_event_no("SQ-20261201")
    assert missing_case("DEMO-SQ20261201-0003") == (
        "DEMO-SQ20261201-0003 是群众诉求事件的编号，请在“诉求事件”中查看。"
    )
    assert missing_case("DEMO-MZ20261201-0003") == "没有找到办件 DEMO-MZ20261201-0003。"
