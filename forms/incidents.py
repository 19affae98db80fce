"""The event catalog of 群众诉求 / 网格事件 (``forms/incidents/*.yaml``): types and sub-types
with their handling time in working hours, the departments that handle events, and the
dispatch catalog (派单目录) — event type × grid → 主办 and 抄送 departments.

Checked at load like the service catalog: every problem names the file and the field. A
rule's department must be one the catalog or the service catalog declares; a sub-type must
belong to its rule's type. :meth:`IncidentCatalog.dispatch` decides an event's departments:
the most specific matching rule wins (sub-type and grid, then sub-type, then type and grid,
then type); where equally specific rules name different 主办 departments, or none matches,
it returns None and the event waits for a dispatcher (人机协同).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic import ValidationError as PydanticError

from forms.loader import CatalogError, CatalogProblem, _problems_of, _read_yaml

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,7}$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=30)]
GRID_MAX = 40
HANDLE_HOURS_MAX = 720  # 90 working days of 8 hours


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SubtypeDef(_Strict):
    """A sub-type (井盖缺失破损) and the working hours its handling may take."""

    code: Code
    name: Name
    handle_hours: int = Field(ge=1, le=HANDLE_HOURS_MAX)


class TypeDef(_Strict):
    """An event type (市政设施) and its sub-types."""

    code: Code
    name: Name
    subtypes: tuple[SubtypeDef, ...] = Field(min_length=1)


class DepartmentRef(_Strict):
    """A department that handles events (城市管理局)."""

    code: Code
    name: Name


class RuleDef(_Strict):
    """One line of the dispatch catalog; ``grids``: exact names or ``prefix*``."""

    type: Code
    subtype: Code | None = None
    grids: tuple[Annotated[str, StringConstraints(min_length=1, max_length=GRID_MAX)], ...] = ()
    lead: Code
    cc: tuple[Code, ...] = ()


class IncidentFile(_Strict):
    """One file of the event catalog."""

    version: int = Field(ge=1)
    departments: tuple[DepartmentRef, ...] = ()
    types: tuple[TypeDef, ...] = ()
    dispatch: tuple[RuleDef, ...] = ()


@dataclass(frozen=True)
class Dispatch:
    """Who handles an event: the 主办 department and the 抄送 ones (codes)."""

    lead: str
    cc: tuple[str, ...]


def _grid_matches(patterns: tuple[str, ...], grid: str) -> bool:
    if not patterns:
        return True
    return any(grid.startswith(p[:-1]) if p.endswith("*") else grid == p for p in patterns)


@dataclass(frozen=True)
class IncidentCatalog:
    """Types (code → definition), sub-types (code → (type code, definition)), departments
    (code → name, the service catalog's included), the dispatch rules in file order, and
    ``handling``: the departments events go to (code → name; those the rules name, then
    those the event files declare) — what a dispatcher chooses from."""

    types: dict[str, TypeDef]
    subtypes: dict[str, tuple[str, SubtypeDef]]
    departments: dict[str, str]
    rules: tuple[RuleDef, ...]
    handling: dict[str, str] = field(default_factory=dict)  # where events go (see below)

    def dispatch(self, subtype: str, grid: str) -> Dispatch | None:
        """The departments of an event of ``subtype`` in ``grid``, or None: a dispatcher
        decides (no rule, or equally specific rules disagreeing on the 主办)."""
        found = self.subtypes.get(subtype)
        if found is None:
            return None
        type_code = found[0]
        best: list[RuleDef] = []
        best_rank = -1
        for rule in self.rules:
            if rule.type != type_code or (rule.subtype not in (None, subtype)):
                continue
            if not _grid_matches(rule.grids, grid):
                continue
            rank = (2 if rule.subtype else 0) + (1 if rule.grids else 0)
            if rank > best_rank:
                best, best_rank = [rule], rank
            elif rank == best_rank:
                best.append(rule)
        if not best or len({r.lead for r in best}) > 1:
            return None
        cc = tuple(dict.fromkeys(c for r in best for c in r.cc if c != best[0].lead))
        return Dispatch(best[0].lead, cc)


def default_incident_dir() -> Path:
    """The shipped event catalog's folder."""
    return Path(__file__).resolve().parent / "incidents"


def load_incidents(
    known_departments: dict[str, str], directory: Path | None = None
) -> IncidentCatalog:
    """Read and check every ``*.yaml`` of ``directory``; ``known_departments``: the service
    catalog's (code → name). Raises CatalogError listing every problem with file and field."""
    folder = directory or default_incident_dir()
    problems: list[CatalogProblem] = []
    files: list[tuple[str, IncidentFile]] = []
    for path in sorted(folder.glob("*.yaml")):
        name = path.name
        try:
            raw = _read_yaml(path, name)
            files.append((name, IncidentFile.model_validate(raw)))
        except CatalogError as exc:
            problems += exc.problems
        except PydanticError as exc:
            problems += _problems_of(exc, name, raw)
    departments = dict(known_departments)
    types: dict[str, TypeDef] = {}
    subtypes: dict[str, tuple[str, SubtypeDef]] = {}
    rules: list[tuple[str, int, RuleDef]] = []
    for name, f in files:
        for d in f.departments:
            departments.setdefault(d.code, d.name)
        for t in f.types:
            if t.code in types:
                problems.append(CatalogProblem(name, f"types.{t.code}", "事件类型代码重复"))
            types[t.code] = t
            for s in t.subtypes:
                if s.code in subtypes:
                    problems.append(
                        CatalogProblem(name, f"types.{t.code}.{s.code}", "小类代码重复")
                    )
                subtypes[s.code] = (t.code, s)
        rules += [(name, n, r) for n, r in enumerate(f.dispatch)]
    for name, n, rule in rules:
        where = f"dispatch.{n}"
        if rule.type not in types:
            problems.append(CatalogProblem(name, f"{where}.type", f"没有事件类型 {rule.type}"))
        if rule.subtype is not None and subtypes.get(rule.subtype, ("",))[0] != rule.type:
            message = f"小类 {rule.subtype} 不属于事件类型 {rule.type}"
            problems.append(CatalogProblem(name, f"{where}.subtype", message))
        for key, code in (("lead", rule.lead), *(("cc", c) for c in rule.cc)):
            if code not in departments:
                problems.append(CatalogProblem(name, f"{where}.{key}", f"没有部门 {code}"))
    if problems:
        raise CatalogError(problems)
    # The departments events go to: those the rules name, then those the files declare.
    named = [code for _n, _i, r in rules for code in (r.lead, *r.cc)]
    declared = [d.code for _name, f in files for d in f.departments]
    handling = {code: departments[code] for code in dict.fromkeys([*named, *declared])}
    return IncidentCatalog(types, subtypes, departments, tuple(r for _n, _i, r in rules), handling)
