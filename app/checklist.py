"""What an application still lacks: the live check behind the counter's checklist.

Pure functions over a service definition, the applicant's facts, the form as typed and
the materials ticked. The intake screen calls :func:`evaluate` on every change; the
intake service calls it again inside the transaction, so the screen can never accept
what the rules refuse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.fieldvalues import check_form, condition_values, required
from app.rules import APPLICANT_FACTS, compile_condition
from forms.schema import MaterialDef, ServiceDef, StepDef


@dataclass(frozen=True)
class MaterialTick:
    """What the clerk recorded about one material."""

    key: str
    received: bool = False
    original_seen: bool = False
    copy_kept: bool = False
    copies: int = 0
    deferred: bool = False  # 容缺: the applicant promises to bring it later
    note: str = ""


@dataclass(frozen=True)
class NeededMaterial:
    """A material this applicant must bring, and why."""

    key: str
    name: str
    form: str
    copies: int
    deferrable: bool
    note: str
    conditional: bool  # needed because a condition holds (not for everyone)
    sides: tuple[str, ...] = ()  # an ID card's sides, kept as one page (app.materials.sides)


@dataclass
class Check:
    """The outcome of :func:`evaluate`."""

    clean: dict[str, Any] = field(default_factory=dict)
    field_errors: dict[str, str] = field(default_factory=dict)
    needed: list[NeededMaterial] = field(default_factory=list)
    missing: list[NeededMaterial] = field(default_factory=list)
    deferred: list[NeededMaterial] = field(default_factory=list)
    # Fields asked only "视情况" (``required_when``) whose condition is known to be false
    # for this application (e.g. 残疾人证号 when 是否残疾 is 否): the form skips them.
    dormant: frozenset[str] = frozenset()

    @property
    def complete(self) -> bool:
        """Everything needed is here: the case can be accepted (受理)."""
        return not self.field_errors and not self.missing and not self.deferred

    @property
    def acceptable_with_promise(self) -> bool:
        """Only deferrable materials are missing and each is promised (容缺受理)."""
        return not self.field_errors and not self.missing and bool(self.deferred)


def facts(age: int, gender: str, is_agent: bool) -> dict[str, Any]:
    """The applicant facts conditions may read (see :data:`app.rules.APPLICANT_FACTS`)."""
    out = {"age": age, "gender": gender, "is_agent": is_agent}
    assert out.keys() == APPLICANT_FACTS.keys()
    return out


def _samples(service: ServiceDef) -> dict[str, Any]:
    return {**{f.key: f.sample() for f in service.fields}, **APPLICANT_FACTS}


def _needed(m: MaterialDef, samples: Mapping[str, Any], known: Mapping[str, Any]) -> bool:
    return required(m.required_when, m.required, samples, known)


def evaluate(
    service: ServiceDef,
    applicant: Mapping[str, Any],
    form: Mapping[str, Any],
    ticks: Sequence[MaterialTick],
    today: date,
) -> Check:
    """Field problems, and which needed materials are received, missing or promised."""
    clean, errors = check_form(service, form, applicant, today)
    samples = _samples(service)
    known = {**condition_values(service, clean), **applicant}
    by_key = {t.key: t for t in ticks}
    dormant = frozenset(
        f.key
        for f in service.fields
        if f.required_when and not required(f.required_when, False, samples, known)
    )
    out = Check(clean=clean, field_errors=errors, dormant=dormant)
    for m in service.materials:
        if not _needed(m, samples, known):
            continue
        need = NeededMaterial(
            m.key,
            m.name,
            m.form.value,
            m.copies,
            m.deferrable,
            m.note,
            not m.required,
            tuple(m.sides),
        )
        out.needed.append(need)
        tick = by_key.get(m.key)
        if tick is not None and tick.received:
            continue
        if tick is not None and tick.deferred and m.deferrable:
            out.deferred.append(need)
        else:
            out.missing.append(need)
    return out


def branches(
    service: ServiceDef, step: StepDef, applicant: Mapping[str, Any], clean: Mapping[str, Any]
) -> list[str]:
    """Department codes that take part in ``step`` for this application (fan-out).

    A branch whose condition cannot be decided is included: a department asked once
    too often costs less than one that never saw the case.
    """
    samples = _samples(service)
    known = {**condition_values(service, clean), **applicant}
    out = []
    for b in step.departments:
        if b.when is None or compile_condition(b.when, samples).evaluate(known) is not False:
            out.append(b.department)
    return out


def route_plan(
    service: ServiceDef, applicant: Mapping[str, Any], clean: Mapping[str, Any]
) -> list[tuple[str, list[str]]]:
    """Every step of the routing with the departments it will involve (公示 has none)."""
    return [(s.name, branches(service, s, applicant, clean)) for s in service.routing]
