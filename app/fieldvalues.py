"""Values of service-form fields: parsing what the clerk typed, by field type.

One function per concern: :func:`parse_value` turns raw input into a stored value or
raises :class:`ValidationError` naming the field; :func:`check_form` runs it over a whole
form, adds "required" and "required when", and returns every problem at once (the
一次性告知书 must list them all, not the first).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from app import text
from app.errors import ValidationError
from app.ids import normalize_phone, parse_resident_id
from app.rules import compile_condition
from forms.schema import FieldDef, FieldType, ServiceDef

_DEFAULT_MAX = {
    FieldType.TEXT: 100,
    FieldType.NAME: 60,
    FieldType.ADDRESS: 200,
    FieldType.LONG_TEXT: 2000,
}


def is_empty(raw: Any) -> bool:
    """Nothing entered (None, blank text, no choices)."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | set):
        return len(raw) == 0
    return False


def _text(f: FieldDef, raw: Any) -> str:
    limit = f.max_length or _DEFAULT_MAX.get(f.type, 100)
    if f.type == FieldType.LONG_TEXT:
        return text.clean_long(raw, f.key, f.label, limit)
    if f.type == FieldType.NAME:
        return text.clean_name(raw, f.key, f.label)
    return text.clean_line(raw, f.key, f.label, limit)


def _bounded(f: FieldDef, value: Decimal, shown: str) -> None:
    if f.min is not None and value < f.min:
        raise ValidationError(f"{f.label}：不能小于 {f.min}。", f.key)
    if f.max is not None and value > f.max:
        raise ValidationError(f"{f.label}：不能大于 {f.max}（填的是 {shown}）。", f.key)


def parse_value(f: FieldDef, raw: Any, today: date) -> Any:
    """The stored form of ``raw`` for field ``f`` (JSON-ready), or ValidationError.

    Text goes through :mod:`app.text` (forbidden characters refused, NFC, names
    normalised); numbers, dates, IDs and phones accept ASCII and full-width digits only.
    For any ``raw`` the result is a value or a :class:`ValidationError` naming ``f.key``.
    """
    match f.type:
        case FieldType.TEXT | FieldType.ADDRESS | FieldType.LONG_TEXT | FieldType.NAME:
            return _text(f, raw)
        case FieldType.ID_NUMBER:
            try:
                return parse_resident_id(_as_text(raw), today).number
            except ValidationError as exc:
                raise ValidationError(f"{f.label}：{exc.message}", f.key) from exc
        case FieldType.PHONE:
            try:
                return normalize_phone(_as_text(raw))
            except ValidationError as exc:
                raise ValidationError(f"{f.label}：{exc.message}", f.key) from exc
        case FieldType.DATE:
            return _date(f, raw, today)
        case FieldType.INTEGER:
            return _integer(f, raw)
        case FieldType.MONEY:
            return _money(f, raw)
        case FieldType.CHOICE:
            if raw not in f.choices:
                raise ValidationError(f"{f.label}：请从列表中选择。", f.key)
            return raw
        case FieldType.MULTI_CHOICE:
            items = list(raw) if isinstance(raw, list | tuple | set) else [raw]
            wrong = [text.excerpt(str(i)) for i in items if i not in f.choices]
            if wrong:
                raise ValidationError(f"{f.label}：没有“{'、'.join(wrong)}”这一项。", f.key)
            return [c for c in f.choices if c in items]  # catalog order, no repeats
        case FieldType.BOOLEAN:
            if not isinstance(raw, bool):
                raise ValidationError(f"{f.label}：请选择“是”或“否”。", f.key)
            return raw
    raise AssertionError(f.type)  # pragma: no cover - every FieldType is matched above


def _as_text(raw: Any) -> str:
    """Numbers typed or stored as JSON numbers are read as their text."""
    return str(raw) if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool) else raw


def _digits(f: FieldDef, raw: Any) -> str:
    return text.ascii_digits(_as_text(raw), f.key, f.label).strip()


def _date(f: FieldDef, raw: Any, today: date) -> str:
    if isinstance(raw, date):
        value = raw
    else:
        typed = _digits(f, raw)
        m = re.fullmatch("([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?", typed)
        try:
            if m is None:
                raise ValueError(typed)
            value = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise ValidationError(f"{f.label}：日期格式应为 2026-11-23。", f.key) from exc
    if value.year < 1900:
        raise ValidationError(f"{f.label}：日期早于 1900 年，请核对。", f.key)
    if value.year > today.year + 100:
        raise ValidationError(f"{f.label}：日期过远，请核对。", f.key)
    return value.isoformat()


def _integer(f: FieldDef, raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValidationError(f"{f.label}：应为整数。", f.key)
    typed = _digits(f, raw)
    if not re.fullmatch("[+-]?[0-9]{1,12}", typed):
        raise ValidationError(f"{f.label}：应为整数（如 3）。", f.key)
    value = int(typed)
    _bounded(f, Decimal(value), typed)
    return value


def _money(f: FieldDef, raw: Any) -> str:
    if isinstance(raw, bool):
        raise ValidationError(f"{f.label}：金额应为数字。", f.key)
    typed = _digits(f, raw).replace(",", "").replace("，", "").removesuffix("元").strip()
    if not re.fullmatch("[+-]?[0-9]{1,12}([.][0-9]{1,2})?", typed):
        raise ValidationError(f"{f.label}：金额应为数字，最多两位小数（如 1280.50）。", f.key)
    try:
        value = Decimal(typed)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules it out
        raise ValidationError(f"{f.label}：金额无法识别。", f.key) from exc
    _bounded(f, value, typed)
    return str(value.quantize(Decimal("0.01")))


def raw_form(service: ServiceDef, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The form as typed, kept with a draft: every string checked by :func:`app.text.clean_json`.

    Values stay as typed (a draft may hold what does not parse yet); a forbidden character
    raises :class:`ValidationError` naming the field it was typed into.
    """
    labels = {f.key: f.label for f in service.fields}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = text.clean_json(key, "form")
        out[name] = text.clean_json(value, name, labels.get(name, ""))
    return out


def condition_values(service: ServiceDef, values: Mapping[str, Any]) -> dict[str, Any]:
    """Stored values turned back into what conditions compare (money as Decimal…)."""
    out: dict[str, Any] = {}
    for f in service.fields:
        v = values.get(f.key)
        if v is None:
            continue
        if f.type == FieldType.MONEY:
            out[f.key] = Decimal(str(v))
        elif f.type == FieldType.DATE:
            out[f.key] = date.fromisoformat(str(v))
        else:
            out[f.key] = v
    return out


def required(
    cond_src: str | None,
    base: bool,
    samples: Mapping[str, Any],
    facts: Any,
    unknown_needed: bool = True,
) -> bool:
    """Whether a field or material is needed: required, or its condition holds.

    An unknown condition (a value it reads is still empty) counts as needed by default, so
    the clerk is never told "complete" too early (materials). A form field asks
    ``unknown_needed=False``: 残疾人证号 is not 必填 while 是否残疾 is unanswered — that
    field's own message stands, and once it says 是 the number is asked.
    """
    if base:
        return True
    if not cond_src:
        return False
    outcome = compile_condition(cond_src, samples).evaluate(facts)
    return unknown_needed if outcome is None else bool(outcome)


def check_form(
    service: ServiceDef, raw: Mapping[str, Any], facts: Mapping[str, Any], today: date
) -> tuple[dict[str, Any], dict[str, str]]:
    """(clean values, {field key: message}) for the whole form; never raises on input."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in service.fields:
        value = raw.get(f.key)
        if is_empty(value):
            continue
        try:
            clean[f.key] = parse_value(f, value, today)
        except ValidationError as exc:
            errors[f.key] = exc.message
    samples = {**{f.key: f.sample() for f in service.fields}, **facts}
    known = {**condition_values(service, clean), **facts}
    for f in service.fields:
        if f.key in clean or f.key in errors:
            continue
        if required(f.required_when, f.required, samples, known, unknown_needed=False):
            errors[f.key] = f"{f.label}：必填。"
    return clean, errors
