"""Identity numbers: resident ID (GB 11643), phone numbers, unified social credit code (GB 32100).

Check digits and the region table come from python-stdnum; what the counter needs on top
(15→18 upgrade, future birth dates, unknown region as a warning only, gender, masking,
Chinese messages) lives here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from app.errors import ValidationError
from app.text import ascii_digits


@dataclass(frozen=True)
class ResidentId:
    """A validated 18-digit resident ID and what it says about its holder."""

    number: str
    birth_date: date
    gender: str  # "男" or "女"
    region: str  # e.g. "北京市朝阳区"; empty when the code is unknown
    warning: str = ""

    def age_on(self, day: date) -> int:
        """Whole years of age on ``day``."""
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _region_name(number: str) -> str:
    try:
        info = ric.get_birth_place(number)
    except (stdnum_errors.ValidationError, ValueError, KeyError):
        return ""
    return "".join(info.get(k, "") for k in ("province", "prefecture", "county"))


_DIGITS = re.compile("[0-9]+")
_ID_18 = re.compile("[0-9]{17}[0-9X]")


def upgrade_15(number: str) -> str:
    """Turn a first-generation 15-digit ID into its 18-digit form (century 19, check digit)."""
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")


def parse_resident_id(text: str, today: date | None = None, field: str = "id_number") -> ResidentId:
    """Validate a resident ID number and derive birth date, gender and region.

    Full-width digits and ``Ｘ`` are read as ASCII, and the returned ``number`` is the
    one stored and looked up (so ``１１０…`` and ``110…`` are one person). Raises
    :class:`ValidationError` with a Chinese message naming what is wrong, for any text.
    A region code not in the table is accepted with a warning: new codes appear
    faster than any table is updated.
    """
    number = re.sub(r"\s", "", ascii_digits(text, field)).upper()
    if not number:
        raise ValidationError("请输入身份证号码。", field)
    if len(number) == 15:
        if not _DIGITS.fullmatch(number):
            raise ValidationError("15 位身份证号码应全部为数字。", field)
        number = upgrade_15(number)
    if len(number) != 18:
        raise ValidationError(f"身份证号码应为 18 位，现为 {len(number)} 位。", field)
    if not _ID_18.fullmatch(number):
        raise ValidationError("身份证号码前 17 位应为数字，最后一位为数字或 X。", field)
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError as exc:
        raise ValidationError("身份证号码中的出生日期不存在。", field) from exc
    if born > (today or date.today()):
        raise ValidationError("身份证号码中的出生日期晚于今天。", field)
    if born.year < 1880:
        raise ValidationError("身份证号码中的出生年份不合理。", field)
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError("身份证号码校验位不正确，请核对后重新输入。", field)
    region = _region_name(number)
    warning = "" if region else f"地区代码 {number[:6]} 不在行政区划表中，请核对证件。"
    gender = "男" if int(number[16]) % 2 else "女"
    return ResidentId(number=number, birth_date=born, gender=gender, region=region, warning=warning)


_MOBILE = re.compile("1[3-9][0-9]{9}")
_LANDLINE = re.compile("0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?")


def normalize_phone(text: str, field: str = "phone") -> str:
    """Validate a mainland mobile (11 digits) or landline (area code + number) number.

    Full-width digits are read as ASCII; returns the digits as stored (``13800138000``,
    ``010-12345678``). Raises :class:`ValidationError` for anything else.
    """
    phone = re.sub(r"[\s()]", "", ascii_digits(text, field))
    phone = phone.removeprefix("+86").removeprefix("0086")
    if _MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone):
        return phone
    raise ValidationError(
        "电话号码格式不正确：手机为 11 位，固话为区号加号码（如 010-12345678）。", field
    )


def validate_credit_code(text: str, field: str = "credit_code") -> str:
    """Validate an 18-character unified social credit code (GB 32100).

    Full-width forms are read as ASCII; returns the code in capitals. Raises
    :class:`ValidationError` for anything else.
    """
    code = re.sub(r"\s", "", ascii_digits(text, field)).upper()
    if not code.isascii():
        raise ValidationError("统一社会信用代码含有不允许的字符。", field)
    try:
        return str(uscc.validate(code))
    except stdnum_errors.InvalidLength as exc:
        raise ValidationError("统一社会信用代码应为 18 位。", field) from exc
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError("统一社会信用代码校验位不正确。", field) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError("统一社会信用代码含有不允许的字符。", field) from exc


def mask_id(number: str) -> str:
    """``110105********002X``: region and the last four stay visible."""
    if len(number) <= 10:
        return number[:2] + "*" * max(len(number) - 2, 0)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """``138****1234`` for mobiles; landlines keep area code and last four."""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """``王*明`` / ``李*`` for public lists (公示): the surname and last character stay."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


_LONG_NUMBER = re.compile(r"\d{12,}[\dXx]?")


def mask_numbers(text: str) -> str:
    """Mask long numbers inside free text (ID numbers in a card number, bank accounts).

    ``残疾人证 11010519580601011142`` → ``残疾人证 110105**********1142``: like :func:`mask_id`,
    the first six and last four stay.
    """
    return _LONG_NUMBER.sub(lambda m: mask_id(m.group(0)), text)
