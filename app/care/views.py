"""What the care screens send and get back: plain, frozen data (no ORM rows leave a service)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Contact:
    """An emergency contact: name, relation (配偶, 子女 …), phone."""

    name: str
    relation: str
    phone: str


@dataclass(frozen=True)
class ProfileInput:
    """A profile as the worker filled it in (``profile_id`` None: a new one).

    ``consent_by``: "本人" or "监护人"; ``consent_name``: who agreed (the person or the
    guardian); ``version``: the profile's version when it was opened (None for a new one).
    """

    resident_id: int
    groups: tuple[str, ...]
    tier: str
    consent_by: str
    consent_name: str
    health: str = ""
    living: str = ""
    needs: str = ""
    contacts: tuple[Contact, ...] = ()
    grid: str = ""
    worker_id: int | None = None
    consent_on: date | None = None  # None: today
    profile_id: int | None = None
    version: int | None = None
    # A new profile's home-visit plan is due first on this day (None: today); earlier when
    # paper records of a person already visited are taken over (up to a year back).
    first_due: date | None = None


@dataclass(frozen=True)
class PlanView:
    """One visit plan: mode and rhythm, next due and where that stands today."""

    id: int
    mode: str  # "home" …
    mode_label: str  # 上门
    rhythm: str
    every_days: int | None
    rhythm_label: str  # 每周
    next_due: date
    last_visit_on: date | None
    active: bool
    closed_reason: str
    due_label: str  # 逾期 3 天 / 今日到期 …
    version: int
    bucket: str = ""  # "overdue", "today", "soon", "later"; "" when closed


@dataclass(frozen=True)
class EventView:
    """A major event or hazard: a visit is due within 24 hours of it until one is made."""

    id: int
    kind_label: str
    note: str
    happened_at: str  # hall-local "YYYY-MM-DD HH:MM"
    due_at: str
    met: bool


@dataclass(frozen=True)
class VisitView:
    """One visit as the profile lists it."""

    id: int
    day: date
    at: str  # hall-local time
    mode_label: str
    visitor: str
    findings: dict[str, str]
    actions: str
    promised: str
    cancelled: bool
    cancel_reason: str
    draft_case_id: int | None
    version: int


@dataclass(frozen=True)
class ProfileView:
    """A whole profile as the worker opens it (the read is audited)."""

    id: int
    resident_id: int
    name: str
    id_masked: str
    gender: str
    age: int
    phone_masked: str
    address: str
    groups: tuple[str, ...]
    group_labels: tuple[str, ...]
    tier: str
    tier_label: str
    health: str
    living: str
    needs: str
    contacts: tuple[Contact, ...]
    grid: str
    worker_id: int | None
    worker_name: str
    consent: str  # "本人 李秀兰 2026-11-30 同意"
    consent_by: str
    consent_name: str
    consent_on: date
    state: str  # "active" / "deceased" / "moved"
    state_label: str
    state_on: date | None
    plans: tuple[PlanView, ...] = ()
    events: tuple[EventView, ...] = ()
    visits: tuple[VisitView, ...] = ()
    version: int = 1
    today: date | None = None  # the hall's calendar date when it was read


@dataclass(frozen=True)
class ProfileRow:
    """A profile in a list: nothing sensitive (no health, phone masked)."""

    id: int
    resident_id: int
    name: str
    id_masked: str
    age: int
    phone_masked: str
    groups: str  # 独居老人、失能老人
    tier_label: str
    grid: str
    worker_name: str
    state_label: str


@dataclass(frozen=True)
class DueRow:
    """One obligation on the worker's list: a plan's next visit or a 24-hour event visit."""

    profile_id: int
    plan_id: int | None
    event_id: int | None
    name: str
    age: int
    phone_masked: str
    address: str
    tier: str
    tier_label: str
    what: str  # 上门（每周） / 24 小时内探访：住院
    mode: str  # the plan's mode ("home" for an event visit)
    due: date
    bucket: str  # "overdue", "today", "soon"
    due_label: str
    late_days: int
    check: str  # what to check: needs and the last visit's hazards and promises
    grid: str
    worker_name: str


@dataclass(frozen=True)
class VisitInput:
    """A visit as recorded: ``plan_id`` None lets the service pick the person's plan of
    ``mode``; ``refer`` a catalog service code (MZ003 高龄津贴) for a draft at the counter;
    ``urgent`` raises a follow-up visit due within 24 hours (a hazard)."""

    profile_id: int
    mode: str
    findings: dict[str, str] = field(default_factory=dict)
    actions: str = ""
    promised: str = ""
    plan_id: int | None = None
    visited_at: datetime | None = None  # UTC; None: now (a visit recorded on return)
    refer: str | None = None
    urgent: bool = False
    urgent_note: str = ""
