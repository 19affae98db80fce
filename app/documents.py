"""Plain data snapshots that ``printing/`` turns into documents (no ORM objects, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GuideMaterial:
    """One line of the materials list of a service guide."""

    name: str
    form: str
    copies: int
    condition: str  # empty when always required; else a plain-language condition
    deferrable: bool
    note: str


@dataclass(frozen=True)
class ServiceGuide:
    """办事指南: what a resident needs to know before coming to the counter."""

    hall_name: str
    code: str
    name: str
    department: str
    kind_label: str
    promised_days: int
    legal_days: int | None
    fee: str
    legal_basis: str
    scope: str
    pickup: str
    materials: tuple[GuideMaterial, ...]
    steps: tuple[str, ...]
    version: int
    printed_on: str


@dataclass(frozen=True)
class ReceivedLine:
    """A material on a receipt: how it was received, or the promise to bring it."""

    name: str
    detail: str  # e.g. "原件已核验，复印件 1 份" or "容缺，承诺 2026-12-01 前补交"


@dataclass(frozen=True)
class ReceiptCase:
    """One accepted case on a 受理回执 (a combined receipt lists several)."""

    case_no: str
    service_name: str
    department: str
    kind_label: str
    state_label: str  # "已受理", or for a 即办件 "当场办结，结果已当场交付"
    due_date: str  # "" for 即办件 completed at once
    materials: tuple[ReceivedLine, ...]
    deferred_until: str  # "" unless 容缺受理
    fee: str


@dataclass(frozen=True)
class Receipt:
    """受理回执: what the applicant takes home after acceptance."""

    hall_name: str
    applicant_name: str
    applicant_id_masked: str
    applicant_phone_masked: str
    agent: str  # "李四（110105********1234）" or ""
    cases: tuple[ReceiptCase, ...]
    accepted_at: str
    clerk: str
    pickup: str  # where results are collected; "" when every case was finished at once
    hall_phone: str = ""


@dataclass(frozen=True)
class MissingNotice:
    """一次性告知书: everything still missing, in one go."""

    hall_name: str
    reference: str  # the draft's reference, so the next visit resumes it
    applicant_name: str
    applicant_id_masked: str
    service_name: str
    department: str
    missing_materials: tuple[ReceivedLine, ...]
    field_problems: tuple[str, ...]
    legal_basis: str
    where: str
    issued_at: str
    clerk: str


@dataclass(frozen=True)
class RefusalNotice:
    """不予受理通知书: the application is outside the service's scope."""

    hall_name: str
    case_no: str
    applicant_name: str
    applicant_id_masked: str
    service_name: str
    department: str
    reason: str
    legal_basis: str
    remedy: str
    issued_at: str
    clerk: str


@dataclass(frozen=True)
class SupplementNotice:
    """补正通知书: what the back office needs before it can decide."""

    hall_name: str
    case_no: str
    applicant_name: str
    applicant_id_masked: str
    service_name: str
    department: str
    items: tuple[str, ...]
    opinion: str
    clock_stopped: bool  # the service stops its deadline while waiting (suspend_during)
    where: str
    issued_at: str
    issuer: str


@dataclass(frozen=True)
class StepResult:
    """One department's decision on one step, as a decision notice lists it."""

    step: str
    department: str
    result: str
    opinion: str


@dataclass(frozen=True)
class DecisionNotice:
    """办结通知书 (approved) or 不予批准决定书 (rejected).

    With ``collector`` filled in it is the 出件回执 the pickup window prints at handover.
    """

    hall_name: str
    case_no: str
    applicant_name: str
    applicant_id_masked: str
    service_name: str
    department: str
    approved: bool
    accepted_on: str
    decided_on: str
    reason: str  # the rejection's reason; "" when approved
    steps: tuple[StepResult, ...]
    legal_basis: str
    pickup: str
    issued_at: str
    issuer: str
    collector: str = ""
    collected_at: str = ""


@dataclass(frozen=True)
class CounterResult:
    """A 即办件's result, made and handed over at the counter when it is accepted.

    The certificate the catalog declares for the service (its ``result``: title and text
    filled in), or a plain 办结通知书; with the handover (出件) recorded on it.
    """

    hall_name: str
    case_no: str
    title: str  # "户籍证明", or "办结通知书" when the catalog declares no certificate
    salutation: str  # "张三（身份证号 …）：" before a notice's text; "" for a certificate
    text: str
    service_name: str
    department: str
    accepted_at: str  # local time; the case was accepted, completed and handed over then
    deferred: tuple[ReceivedLine, ...]  # 容缺 materials still to bring, with their date
    legal_basis: str
    collector: str  # "张三（本人，110105********002X）" or the agent
    issuer: str


@dataclass(frozen=True)
class DeferralPromise:
    """容缺受理承诺书: the materials the applicant promises to bring, by when; signed."""

    hall_name: str
    case_no: str
    applicant_name: str
    applicant_id_masked: str
    agent: str  # "李四（110105********1234）" or ""
    service_name: str
    department: str
    materials: tuple[ReceivedLine, ...]  # name, and the form and copies to bring
    promised_date: str  # ISO date: the materials are due on or before it
    finished_here: bool  # a 即办件 whose result was handed over at the counter already
    where: str
    accepted_at: str
    clerk: str


@dataclass(frozen=True)
class PublicityLine:
    """A case in 公示, as the public list shows it (name and ID masked)."""

    case_no: str
    applicant: str
    id_masked: str
    service_name: str
    since: str
    until: str


@dataclass(frozen=True)
class PublicityList:
    """公示名单 of a department: the cases now in public notice, masked."""

    hall_name: str
    department: str
    lines: tuple[PublicityLine, ...]
    objection_contact: str
    printed_on: str


@dataclass(frozen=True)
class ArchivePage:
    """One page image of a material in the archive PDF.

    ``jpeg``: the page turned as the back office shows it, re-encoded as JPEG (quality 75);
    None when the stored image is missing or no longer matches its SHA-256, ``problem``
    then says which ("图像缺失"). Sizes in pixels.
    """

    position: int
    count: int  # pages of the material
    jpeg: bytes | None
    width: int
    height: int
    unreadable_note: str | None  # None: not marked unreadable
    problem: str = ""
    replaced_note: str = ""  # 补正 replaced this unreadable page (why, by which pages)


@dataclass(frozen=True)
class ArchiveMaterial:
    """A material of the case's checklist: how it was received, and its pages (maybe none)."""

    name: str
    received: str  # "原件已核验，复印件 1 份", "容缺，承诺 … 前补交", "未收"
    pages: tuple[ArchivePage, ...]


@dataclass(frozen=True)
class ArchiveTask:
    """One department's task on one step, with its opinion."""

    step: str
    department: str
    outcome: str  # the task's state label: 已同意, 不同意, 退回补正 …
    who: str
    created_at: str
    decided_at: str
    opinion: str
    note: str


@dataclass(frozen=True)
class ArchiveFile:
    """A whole case file (案卷) for the archive PDF: facts, form, materials, opinions.

    ``facts`` and ``fields`` are (label, value) as the case view shows them (ID and phone
    numbers masked, like every printout); ``history`` is (time, who, action, note).
    ``exported_by``/``exported_at`` (hall time, ``YYYY-MM-DD HH:MM``) go in the watermark.
    """

    hall_name: str
    case_no: str
    service_name: str
    facts: tuple[tuple[str, str], ...]
    fields: tuple[tuple[str, str], ...]
    materials: tuple[ArchiveMaterial, ...]
    tasks: tuple[ArchiveTask, ...]
    documents: tuple[str, ...]  # labels of the documents issued, oldest first
    history: tuple[tuple[str, str, str, str], ...]
    exported_by: str
    exported_at: str
    created: str = ""  # the PDF's creation date (``D:YYYYMMDDHHMMSS+08'00'``), "" none


@dataclass(frozen=True)
class HallReport:
    """月度大厅报告 (or, for any other range, 大厅统计报告): headline figures, chart
    series, bad-rating reasons, department scores.

    ``title``: e.g. "某大厅 2026年11月 月度大厅报告"; ``only``: "" for the whole hall, else
    who the figures are limited to ("仅含：民政局、残联" for an approver's departments);
    ``headline``: (label, value as printed); ``queue_length``: ("08:15", average waiting);
    ``waits_per_hour``: (local hour, mean wait in minutes); ``weekly_satisfaction``:
    ("2026-W45", 满意率 in per cent); ``bad_reasons``: (reason, count); ``departments``:
    rows of printed texts (部门, 办结, 响应率, 按期办结率, 返工率, 满意率, 得分 or 样本不足).
    """

    hall_name: str
    period: str
    printed_on: str
    headline: tuple[tuple[str, str], ...]
    queue_length: tuple[tuple[str, float], ...]
    waits_per_hour: tuple[tuple[int, float], ...]
    weekly_satisfaction: tuple[tuple[str, float], ...]
    bad_reasons: tuple[tuple[str, int], ...]
    bad_total: int
    departments: tuple[tuple[str, ...], ...]
    weights: str
    title: str
    only: str = ""
    # 群众诉求: a summary line and rows of printed texts (部门, 派遣, 响应率, 处置,
    # 按期处置率, 返工率, 满意率); empty when the period had no events or the reader sees none.
    event_line: str = ""
    event_departments: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class AnchorSheet:
    """审计锚点单: the audit chains' heads, to keep outside the database.

    ``root_code``: ``N:HASH`` of the root chain, as ``onewindow audit verify --root`` takes
    it; ``chains``: (chain's name as people say it, last sequence number, its hash).
    """

    hall_name: str
    printed_at: str  # hall-local "YYYY-MM-DD HH:MM"
    printed_by: str
    root_code: str
    chains: tuple[tuple[str, int, str], ...]


@dataclass(frozen=True)
class CareMonthReport:
    """探访关爱月报 (A4 landscape): headline, rows by grid and worker, groups, overdue people.

    Every cell is already the printed text. ``head``/``rows``: the grid-and-worker table
    (the last row is the hall's total); ``groups``: (人群类别, 人数); ``overdue``: the names
    of people overdue at the period's end, "张三（第一网格）".
    """

    title: str  # "某中心 2026年11月 探访关爱月报"
    period: str  # "2026-11-01 至 2026-11-27（本月截至今日）"
    printed_on: str
    hall_name: str
    headline: tuple[tuple[str, str], ...]
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    groups: tuple[tuple[str, str], ...]
    overdue: tuple[str, ...]


@dataclass(frozen=True)
class IncidentReceipt:
    """群众诉求回执 (no staff names; the reporter's name and phone masked)."""

    hall_name: str
    hall_phone: str
    number: str
    what: str
    grid: str
    address: str
    description: str
    channel: str
    reporter: str  # "匿名" or "张* 138****8000"
    reported_at: str  # hall time, "2026-10-29 10:00"
    state: str
    lead: str  # the 主办 department, "" while it waits for dispatch
