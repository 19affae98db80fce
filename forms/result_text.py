"""The text of a 即办件's certificate (catalog ``result.text``): its placeholders, filled in.

A text names what it prints in braces: one of :data:`WORDS` (``{applicant}``) or a field
key of the service's form (``{purpose}``). ``{{`` and ``}}`` are literal braces. Nothing
else is allowed in braces — no attributes, indexes, conversions or formats — so filling
a text is plain concatenation of strings, never ``str.format`` over objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

# The placeholders every result text may use, besides the service's own field keys.
WORDS = ("applicant", "applicant_id", "agent", "service", "department", "case_no", "date")


def placeholders(text: str) -> list[str]:
    """The placeholders ``text`` uses, in order; ValueError (in Chinese) if one is malformed."""
    try:
        parts = list(Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(f"花括号不成对（{exc}）：字面花括号请写 {{{{ 或 }}}}") from exc
    names = []
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValueError(f"占位符 {{{name}}} 只能是一个字段 key 或占位词")
        names.append(name)
    return names


def check(text: str, field_keys: list[str]) -> None:
    """ValueError unless every placeholder of ``text`` is a field key or one of :data:`WORDS`."""
    clash = sorted(set(field_keys) & set(WORDS))
    if clash:
        raise ValueError(f"字段 key 不能与占位词重名：{', '.join(clash)}")
    for name in placeholders(text):
        if name not in field_keys and name not in WORDS:
            words = "、".join(WORDS)
            raise ValueError(f"占位符 {{{name}}} 既不是本事项的字段，也不是占位词（{words}）")


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` (already checked) with each placeholder replaced by its value, "" if none."""
    out = []
    for literal, name, _spec, _conversion in Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, ""))
    return "".join(out)
