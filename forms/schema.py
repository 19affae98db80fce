"""Schema of a catalog file: one department, its services, their fields, materials and routing.

Pydantic validates every file at load; :mod:`forms.loader` turns its errors into
messages that name the file and the field path.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app import text
from app.errors import DomainError
from app.numbers import DEPARTMENT_CODE
from app.rules import APPLICANT_FACTS, compile_condition
from forms import result_text

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
Code = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,15}$")]
# A department's code starts every case number it issues (app.numbers makes and reads them).
DepartmentCode = Annotated[str, StringConstraints(pattern=rf"^{DEPARTMENT_CODE}$")]

# Every text of the catalog is one of the types below, and each passes the product's one
# text cleaner (app.text: control characters, lone surrogates and bidi controls refused,
# NFC) — a catalog text is stored (PostgreSQL refuses NUL) and shown to every clerk. Text a
# person reads is also printed (tickets, receipts, notices, the 办事指南), so every
# character of it must be drawable by a bundled font (app.glyphs; the cleaner checks that for
# every line and long text). Conditions are cleaned like any line. A test walks the models and finds no other ``str``.
TEXT_MAX = 2000


def _refuse(exc: DomainError) -> ValueError:
    return ValueError(exc.message.removesuffix("。").replace("，请删除后重新输入", "，请删除"))


def _line(value: str) -> str:
    try:
        return text.clean_line(value, "catalog", max_length=TEXT_MAX)
    except DomainError as exc:
        raise _refuse(exc) from None


def _long(value: str) -> str:
    try:
        return text.clean_long(value, "catalog", max_length=TEXT_MAX)
    except DomainError as exc:
        raise _refuse(exc) from None


def _line_of(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(min_length=min_length, max_length=max_length, strip_whitespace=True)


# A name or label (service, department, field, choice, material, step): one line, printed.
Label = Annotated[str, _line_of(60, 1), AfterValidator(_line)]
# A queue's name is printed on every ticket; its database column holds 40 characters.
QueueName = Annotated[str, _line_of(40, 1), AfterValidator(_line)]
# One printed line that may be empty (where the result is collected).
Line = Annotated[str, _line_of(200), AfterValidator(_line)]
# Prose (help, notes, legal basis, scope): several lines allowed, printed.
Prose = Annotated[str, _line_of(TEXT_MAX), AfterValidator(_long)]
# A condition expression (app.rules): one line, cleaned, never printed.
Condition = Annotated[str, _line_of(500), AfterValidator(_line)]


def _plain(value: Decimal) -> Decimal:
    """An amount written as people read it: ``1000`` for 1e3 or 1000.0, else two places."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.quantize(Decimal("0.01"))


# Money and the bounds of number fields: finite, not negative, at most two decimals,
# and below a ceiling no form of a service hall reaches (fee ≤ 1,000,000 元).
FEE_MAX = Decimal(1_000_000)
NUMBER_MAX = Decimal(1_000_000_000)
Fee = Annotated[
    Decimal, Field(ge=0, le=FEE_MAX, decimal_places=2, allow_inf_nan=False), AfterValidator(_plain)
]
Bound = Annotated[
    Decimal,
    Field(ge=0, le=NUMBER_MAX, decimal_places=2, allow_inf_nan=False),
    AfterValidator(_plain),
]
FileVersion = Annotated[int, Field(ge=1, le=1_000_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldType(StrEnum):
    """Kinds of input the generic form renderer knows."""

    TEXT = "text"
    NAME = "name"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    DATE = "date"
    INTEGER = "integer"
    MONEY = "money"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    BOOLEAN = "boolean"
    ADDRESS = "address"
    LONG_TEXT = "long_text"


FIELD_TYPE_LABELS = {
    FieldType.TEXT: "文本",
    FieldType.NAME: "姓名",
    FieldType.ID_NUMBER: "身份证号",
    FieldType.PHONE: "电话",
    FieldType.DATE: "日期",
    FieldType.INTEGER: "整数",
    FieldType.MONEY: "金额",
    FieldType.CHOICE: "单选",
    FieldType.MULTI_CHOICE: "多选",
    FieldType.BOOLEAN: "是/否",
    FieldType.ADDRESS: "地址",
    FieldType.LONG_TEXT: "长文本",
}


class FieldDef(_Strict):
    """One input of a service form."""

    key: Key
    label: Label
    type: FieldType
    required: bool = True
    required_when: Condition | None = None
    help: Prose = ""
    choices: tuple[Label, ...] = ()
    min: Bound | None = None
    max: Bound | None = None
    max_length: int | None = Field(default=None, gt=0, le=2000)

    @model_validator(mode="after")
    def _choices_fit_type(self) -> FieldDef:
        has_choices = self.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE)
        if has_choices and not self.choices:
            raise ValueError("单选/多选字段必须列出 choices")
        if not has_choices and self.choices:
            raise ValueError("只有单选/多选字段可以有 choices")
        bounded = self.min is not None or self.max is not None
        if bounded and self.type not in (FieldType.INTEGER, FieldType.MONEY):
            raise ValueError("只有整数/金额字段可以有 min/max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min 不能大于 max")
        return self

    def sample(self) -> Any:
        """A value of this field's kind, used to type-check conditions at load."""
        match self.type:
            case FieldType.INTEGER:
                return 1
            case FieldType.MONEY:
                return Decimal("1")
            case FieldType.BOOLEAN:
                return False
            case FieldType.DATE:
                return dt.date(2000, 1, 1)
            case FieldType.CHOICE:
                return self.choices[0]
            case FieldType.MULTI_CHOICE:
                return [self.choices[0]]
            case _:
                return "样例"


class MaterialForm(StrEnum):
    """What the counter keeps or sees of a document."""

    ORIGINAL = "原件"
    COPY = "复印件"
    BOTH = "原件及复印件"


class MaterialDef(_Strict):
    """One document the applicant brings (申请材料)."""

    key: Key
    name: Label
    form: MaterialForm = MaterialForm.BOTH
    copies: int = Field(default=1, ge=0, le=20)
    required: bool = True
    required_when: Condition | None = None
    deferrable: bool = False  # 容缺: may be brought later under a written promise
    note: Prose = ""
    # An identity document's sides, captured in turn and kept as one page (人像面, 国徽面):
    # app.materials.sides. Empty: pages as they come.
    sides: tuple[Label, ...] = ()

    @model_validator(mode="after")
    def _two_or_more_distinct_sides(self) -> MaterialDef:
        if self.sides and (len(self.sides) < 2 or len(set(self.sides)) != len(self.sides)):
            raise ValueError("sides 应列出至少两个互不相同的证件面（如 人像面、国徽面）")
        return self


class StepKind(StrEnum):
    """What a routing step does."""

    REVIEW = "review"  # 初审 / 复审 / 审定: departments decide
    PUBLICITY = "publicity"  # 公示: a notice period of N working days
    ISSUE = "issue"  # 发放 / 办结: the result is produced


class Branch(_Strict):
    """A department that joins a step when its condition holds (parallel fan-out)."""

    department: DepartmentCode
    when: Condition | None = None


class StepDef(_Strict):
    """One ordered step of the back-office routing."""

    key: Key
    name: Label
    kind: StepKind = StepKind.REVIEW
    departments: tuple[Branch, ...] = ()
    days: int = Field(default=0, ge=0, le=60)
    any_rejection_rejects: bool = True

    @model_validator(mode="after")
    def _shape(self) -> StepDef:
        if self.kind == StepKind.PUBLICITY and self.days <= 0:
            raise ValueError("公示步骤必须给出 days（公示的工作日数）")
        if self.kind != StepKind.PUBLICITY and not self.departments:
            raise ValueError("审批或发放步骤必须指定 departments")
        if not any(b.when is None for b in self.departments) and self.kind != StepKind.PUBLICITY:
            raise ValueError("每个步骤至少要有一个无条件参与的部门")
        return self


class ServiceKind(StrEnum):
    """即办件 done at the counter, 承诺件 decided in the back office."""

    INSTANT = "instant"
    PROMISED = "promised"


class ResultDef(_Strict):
    """What a 即办件 hands over at the counter: its certificate's title and text.

    ``text`` may name :data:`forms.result_text.WORDS` and the service's field keys in
    braces (``{applicant}``, ``{purpose}``), filled in by :func:`forms.result_text.fill`.
    """

    title: Label
    text: Annotated[str, _line_of(TEXT_MAX, 1), AfterValidator(_long)]


class ServiceDef(_Strict):
    """One service (事项) of the catalog."""

    code: Code
    name: Label
    # The names people say for it (低保, 社保卡): what the counter's service search finds.
    aliases: tuple[Label, ...] = Field(default=(), max_length=20)
    queue_category: Annotated[str, StringConstraints(pattern=r"^[A-Z]$")]
    kind: ServiceKind
    promised_days: int = Field(ge=0, le=365)
    legal_days: int | None = Field(default=None, ge=0, le=365)
    fee: Fee = Decimal("0")
    legal_basis: Prose = ""
    scope: Prose = ""
    pickup: Line = "综合窗口统一出件"
    suspend_during: tuple[Key, ...] = ()
    fields: tuple[FieldDef, ...]
    materials: tuple[MaterialDef, ...]
    routing: tuple[StepDef, ...] = ()
    # 职责分离: one person decides at most one step of a case, for one department.
    separation_of_duties: bool = True
    # 即办件: the certificate handed over at the counter (None: a plain 办结通知书).
    result: ResultDef | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ServiceDef:
        keys = [f.key for f in self.fields]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise ValueError(f"字段 key 重复：{', '.join(sorted(dupes))}")
        said = [a.casefold() for a in self.aliases]
        if len(set(said)) != len(said) or self.name.casefold() in said:
            raise ValueError("aliases 不能重复，也不能与事项名称相同")
        mkeys = [m.key for m in self.materials]
        if len(set(mkeys)) != len(mkeys):
            raise ValueError("材料 key 重复")
        if self.kind == ServiceKind.PROMISED and not self.routing:
            raise ValueError("承诺件必须有 routing（后台审批步骤）")
        if self.kind == ServiceKind.INSTANT and self.routing:
            raise ValueError("即办件不经后台审批，不能有 routing")
        if self.result is not None and self.kind != ServiceKind.INSTANT:
            raise ValueError("result（当场出具的结果）只用于即办件")
        if self.result is not None:
            try:
                result_text.check(self.result.text, keys)
            except ValueError as exc:
                raise ValueError(f"result.text：{exc}") from exc
        if self.legal_days is not None and self.promised_days > self.legal_days:
            raise ValueError("承诺时限不能长于法定时限")
        bad = set(self.suspend_during) - {"supplement", "publicity"}
        if bad:
            raise ValueError(f"suspend_during 只能是 supplement 或 publicity，不能是 {bad}")
        samples = {**APPLICANT_FACTS, **{f.key: f.sample() for f in self.fields}}
        for where, expr in self.condition_sources():
            try:
                compile_condition(expr, samples)
            except ValueError as exc:
                raise ValueError(f"{where}：{exc}") from exc
        return self

    def condition_sources(self) -> list[tuple[str, str]]:
        """Every condition expression of the service, with where it stands."""
        found: list[tuple[str, str]] = []
        for i, f in enumerate(self.fields):
            if f.required_when:
                found.append((f"fields[{i}].required_when", f.required_when))
        for i, m in enumerate(self.materials):
            if m.required_when:
                found.append((f"materials[{i}].required_when", m.required_when))
        for i, s in enumerate(self.routing):
            for j, b in enumerate(s.departments):
                if b.when:
                    found.append((f"routing[{i}].departments[{j}].when", b.when))
        return found

    def departments(self) -> set[str]:
        """Department codes this service's routing names."""
        return {b.department for s in self.routing for b in s.departments}


class DepartmentDef(_Strict):
    """The department a catalog file belongs to."""

    code: DepartmentCode
    name: Label


class QueueCategoryDef(_Strict):
    """A queue (取号类别) with its ticket letter."""

    letter: Annotated[str, StringConstraints(pattern=r"^[A-Z]$")]
    name: QueueName


class CatalogFile(_Strict):
    """One file of ``forms/catalog/``: a department's services."""

    version: FileVersion
    department: DepartmentDef
    services: tuple[ServiceDef, ...] = ()


class HallFile(_Strict):
    """``_hall.yaml``: queue categories and departments without services of their own."""

    version: FileVersion
    queue_categories: tuple[QueueCategoryDef, ...]
    departments: tuple[DepartmentDef, ...] = ()
