"""The mediation rules that are data: each level's time limit and the dispute kinds, read
from ``forms/mediation/mediation.yaml`` and checked at load (a problem names the file and
the field, like the service catalog's); and the day arithmetic on them.

Time limits are **calendar days** (自然日): 《人民调解工作若干规定》 says a dispute is
generally settled "within one month", a calendar period, so each level's limit is 1–30
days counted from the day the dispute reached that level; a dispute not settled by the end
of its level's last day is escalated by housekeeping (:func:`app.mediation.escalation.escalate_overdue`).
The 司法确认 window (人民调解法 第三十三条, 民事诉讼法 第二百零五条) is 30 calendar days from
the agreement taking effect (the day it is signed); 回访 fall 7 and 30 days after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic import ValidationError as PydanticError

import forms
from app.states import MediationLevel
from forms.loader import CatalogError, CatalogProblem, _problems_of, _read_yaml

LIMIT_MAX = 30  # one month: 《人民调解工作若干规定》
CONFIRM_DAYS = 30  # 司法确认: 人民调解法 第三十三条
FOLLOW_UPS = {"week": 7, "month": 30}  # 回访 a week and a month after the agreement
FOLLOW_UP_LABELS = {"week": "一周回访", "month": "一月回访"}
PERFORMANCE = {"performing": "履行中", "performed": "已履行完毕", "not_performed": "未履行"}
ROLES = ("调解员", "乡贤", "律师", "心理咨询师", "其他")
FILE = Path(forms.__file__).resolve().parent / "mediation" / "mediation.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Days = Annotated[int, Field(ge=1, le=LIMIT_MAX)]


class LimitsDef(_Strict):
    """Days each level may take (calendar days, 1–30)."""

    grid: Days
    community: Days
    street: Days


class KindDef(_Strict):
    """A dispute kind (邻里纠纷)."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}$")]
    name: Annotated[str, StringConstraints(min_length=1, max_length=20)]


class MediationFile(_Strict):
    """``mediation.yaml``."""

    version: int = Field(ge=1)
    limits: LimitsDef
    kinds: tuple[KindDef, ...] = Field(min_length=1)


@dataclass(frozen=True)
class MediationRules:
    """The loaded rules: ``limits`` level → days, ``kinds`` code → name (file order)."""

    limits: dict[MediationLevel, int]
    kinds: dict[str, str]

    def due_on(self, level: MediationLevel, start: date) -> date:
        """The last day of ``level``'s limit for a dispute that reached it on ``start``."""
        return start + timedelta(days=self.limits[level])


def load_rules(path: Path | None = None) -> MediationRules:
    """Read and check the file. Raises CatalogError listing each problem (file, field)."""
    path = path or FILE
    name = path.name
    raw = None
    try:
        raw = _read_yaml(path, name)
        data = MediationFile.model_validate(raw)
    except PydanticError as exc:
        raise CatalogError(_problems_of(exc, name, raw)) from exc
    codes = [k.code for k in data.kinds]
    for n, code in enumerate(codes):
        if code in codes[:n]:
            raise CatalogError([CatalogProblem(name, f"kinds.{n}.code", "纠纷类型代码重复")])
    lim = data.limits
    return MediationRules(
        limits={
            MediationLevel.GRID: lim.grid,
            MediationLevel.COMMUNITY: lim.community,
            MediationLevel.STREET: lim.street,
        },
        kinds={k.code: k.name for k in data.kinds},
    )


@cache
def rules() -> MediationRules:
    """The shipped rules, read once per process."""
    return load_rules()


def confirm_by(signed_on: date) -> date:
    """The last day to apply for 司法确认 (30 calendar days from the signing)."""
    return signed_on + timedelta(days=CONFIRM_DAYS)


def follow_up_due(signed_on: date, kind: str) -> date:
    """The day the ``kind`` ("week"/"month") 回访 falls due: 7 / 30 days after signing."""
    return signed_on + timedelta(days=FOLLOW_UPS[kind])
