"""What the mediation screens send and get back, and the snapshots the 人民调解协议书 and
the 司法确认申请书 print from: plain, frozen data (no ORM rows leave a service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.mediation_papers import AgreementDoc, ConfirmationDoc, PartyDoc

__all__ = ["AgreementDoc", "ConfirmationDoc", "PartyDoc"]  # the papers' snapshots, re-exported


@dataclass(frozen=True)
class PartyInput:
    """A party as typed: name, resident ID (GB 11643), phone (optional), address, 诉求."""

    name: str
    id_number: str
    phone: str = ""
    address: str = ""
    claim: str = ""


@dataclass(frozen=True)
class DisputeInput:
    """A dispute to register: ``kind`` a code of ``forms/mediation`` (邻里纠纷 "LL"),
    ``level`` "grid" / "community" / "street", at least two parties."""

    kind: str
    facts: str
    level: str
    parties: tuple[PartyInput, ...]
    grid: str = ""


@dataclass(frozen=True)
class Mediator:
    """Someone who mediated a session: ``role`` one of 调解员, 乡贤, 律师, 心理咨询师, 其他."""

    name: str
    role: str


@dataclass(frozen=True)
class SessionInput:
    """A session held: day (not in the future), place, who mediated, what was said."""

    held_on: date
    mediators: tuple[Mediator, ...]
    record: str
    place: str = ""


@dataclass(frozen=True)
class AgreementInput:
    """人民调解协议书 (人民调解法 第二十九条): main facts, matters in dispute, each party's
    responsibility, the terms, how (``performance_way``) and by when (``perform_by``) they
    are performed; ``signed_on`` the day it takes effect (not in the future)."""

    facts: str
    issues: str
    liability: str
    terms: str
    performance_way: str
    perform_by: date
    signed_on: date


@dataclass(frozen=True)
class PartyView:
    """A party with the ID and phone masked (the full values stay in the database)."""

    position: int
    name: str
    id_masked: str
    phone_masked: str
    address: str
    claim: str


@dataclass(frozen=True)
class SessionView:
    """One session as the dispute lists it."""

    held_on: date
    place: str
    level_label: str
    mediators: tuple[Mediator, ...]
    record: str


@dataclass(frozen=True)
class StepView:
    """One line of the level history: registration or an escalation."""

    on: str  # hall-local "YYYY-MM-DD HH:MM"
    from_label: str
    to_label: str
    due_on: date
    reason: str
    by: str  # "系统" or the mediator's name


@dataclass(frozen=True)
class FollowUpView:
    """A 回访: due day, done day and the performance found."""

    kind: str  # "week" / "month"
    label: str  # 一周回访
    due_on: date
    done_on: date | None
    performance_label: str
    note: str


@dataclass(frozen=True)
class AgreementView:
    """The agreement as recorded, with the 司法确认 countdown (calendar days)."""

    facts: str
    issues: str
    liability: str
    terms: str
    performance_way: str
    perform_by: date
    signed_on: date
    confirm_by: date
    confirm_days_left: int  # negative: the window has closed
    mediators: tuple[str, ...]


@dataclass(frozen=True)
class DisputeView:
    """A whole dispute as the mediator opens it."""

    id: int
    number: str
    kind: str
    kind_label: str
    facts: str
    grid: str
    level: str
    level_label: str
    level_due_on: date
    days_left: int  # of the level's limit; negative: overdue
    state: str
    state_label: str
    registered_on: date
    repeat_of: str  # the earlier dispute's number, "" if none
    outcome_note: str
    parties: tuple[PartyView, ...]
    sessions: tuple[SessionView, ...]
    steps: tuple[StepView, ...]
    agreement: AgreementView | None
    follow_ups: tuple[FollowUpView, ...]
    version: int
    today: date
    can_escalate: bool
    allowed: tuple[str, ...]  # states reachable in one step (what the screen enables)


@dataclass(frozen=True)
class DisputeRow:
    """A dispute in the list: parties' names only."""

    id: int
    number: str
    kind_label: str
    parties: str  # 张三、李四
    level_label: str
    state: str
    state_label: str
    level_due_on: date
    days_left: int | None  # None: not running (agreed, failed, withdrawn, closed)
    repeat: bool
    registered_on: date


@dataclass(frozen=True)
class DueVisit:
    """A 回访 due (or overdue) today or within the next days."""

    dispute_id: int
    number: str
    parties: str
    kind: str
    label: str
    due_on: date
    days_left: int


@dataclass(frozen=True)
class Resolution:
    """化解率 of a period: disputes registered in it (``accepted``), of which the
    one-month 回访 found the agreement being or already performed (``resolved``)."""

    first: date
    last: date
    accepted: int
    agreed: int
    resolved: int

    @property
    def rate(self) -> float | None:
        """resolved ÷ accepted (None for no dispute)."""
        return self.resolved / self.accepted if self.accepted else None
