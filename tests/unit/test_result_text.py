"""A 即办件's certificate in the catalog (``result``): placeholders checked at load, filled."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from forms import result_text
from forms.loader import Catalog
from forms.schema import ServiceDef, ServiceKind

INSTANT: dict[str, Any] = {
    "code": "GA099",
    "name": "户籍证明开具（测试）",
    "queue_category": "E",
    "kind": "instant",
    "promised_days": 0,
    "fields": [{"key": "purpose", "label": "用途", "type": "text"}],
    "materials": [{"key": "id_card", "name": "居民身份证", "form": "原件"}],
}


def _service(text: str, **more: Any) -> ServiceDef:
    return ServiceDef.model_validate(
        INSTANT | more | {"result": {"title": "户籍证明", "text": text}}
    )


def test_placeholders_are_field_keys_or_words_and_fill_in() -> None:
    service = _service("兹证明 {applicant}（{applicant_id}）用于{purpose}。{{原样}}")
    assert service.result is not None
    text = service.result.text
    assert result_text.placeholders(text) == ["applicant", "applicant_id", "purpose"]
    values = {"applicant": "张三", "applicant_id": "110105********002X", "purpose": "继承公证"}
    assert result_text.fill(text, values) == "兹证明 张三（110105********002X）用于继承公证。{原样}"
    assert result_text.fill(text, {}) == "兹证明 （）用于。{原样}"  # a missing value is blank


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("兹证明 {nobody}", "{nobody} 既不是本事项的字段，也不是占位词"),
        ("兹证明 {applicant", "花括号不成对"),
        ("兹证明 applicant}", "花括号不成对"),
        ("{applicant.__class__}", "只能是一个字段 key 或占位词"),
        ("{applicant!r}", "只能是一个字段 key 或占位词"),
        ("{applicant:>40}", "只能是一个字段 key 或占位词"),
        ("{0}", "只能是一个字段 key 或占位词"),
        ("", "at least 1 character"),
    ],
)
def test_a_wrong_result_text_is_refused_at_load(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("{", r"\{").replace(".", r"\.")):
        _service(text)


def test_result_is_for_instant_services_and_words_are_not_field_keys() -> None:
    with pytest.raises(ValidationError, match="只用于即办件"):
        _service(
            "{applicant}",
            kind="promised",
            promised_days=5,
            routing=[{"key": "review", "name": "审核", "departments": [{"department": "GA"}]}],
        )
    clash = [{"key": "date", "label": "日期", "type": "date"}]
    with pytest.raises(ValidationError, match="不能与占位词重名：date"):
        _service("{date}", fields=clash)
    ServiceDef.model_validate(INSTANT | {"fields": clash})  # without a result: allowed


def test_every_shipped_instant_service_declares_its_certificate(catalog: Catalog) -> None:
    instant = [s.definition for s in catalog.services.values()]
    instant = [d for d in instant if d.kind == ServiceKind.INSTANT]
    assert len(instant) >= 15
    for service in instant:
        assert service.result is not None, service.code
        keys = [f.key for f in service.fields]
        names = result_text.placeholders(service.result.text)
        assert names and set(names) <= set(keys) | set(result_text.WORDS), service.code
        filled = result_text.fill(service.result.text, dict.fromkeys([*keys, *names], "值"))
        assert "{" not in filled and "}" not in filled
