"""Fields asked only 视情况 are skipped when their condition is known to be false."""

from __future__ import annotations

from datetime import date

from app import checklist
from forms.loader import Catalog

TODAY = date(2026, 11, 30)


def test_a_conditional_field_sleeps_only_while_its_condition_is_known_false(
    catalog: Catalog,
) -> None:
    dibao = catalog.services["MZ001"].definition
    facts = checklist.facts(40, "男", False)

    def dormant(form: dict[str, object]) -> frozenset[str]:
        return checklist.evaluate(dibao, facts, form, (), TODAY).dormant

    assert dormant({}) == frozenset()  # not known yet: asked
    assert dormant({"disability": False}) == {"disability_card_no"}
    assert dormant({"disability": True}) == frozenset()
    required = checklist.evaluate(dibao, facts, {"disability": True}, (), TODAY)
    assert "disability_card_no" in required.field_errors  # then it must be filled
