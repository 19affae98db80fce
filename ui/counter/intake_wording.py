"""What the intake workspace says: the live check's status line, an outcome's message and
its line under 本次已办, and the usual reasons offered for 不予受理.

Plain wording, no widgets; translated in the workspace's own context (``IntakePanel``) so
that the texts keep the translation context they had inside the panel.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app import checklist
from app.cases.intake import CaseResult
from app.states import CASE_FLOW, CaseState

OK_STYLE = "color: #1E7B34;"
WARN_STYLE = "color: #C0392B;"


def tr(text: str, n: int = -1) -> str:
    """``text`` translated as the intake panel's own (``%n`` replaced by ``n``)."""
    return QCoreApplication.translate("IntakePanel", text, None, n)


def check_status(result: checklist.Check) -> tuple[str, bool]:
    """The status line for a live check, and whether it reads as good news."""
    if result.complete:
        return tr("材料齐全，可以受理。"), True
    if result.acceptable_with_promise:
        names = "、".join(m.name for m in result.deferred)
        return tr("可容缺受理（承诺补交：{names}）。").format(names=names), True
    parts = []
    if result.missing:
        parts.append(tr("缺材料：") + "、".join(m.name for m in result.missing))
    if result.field_errors:
        parts.append(tr("表单待补正 %n 处", len(result.field_errors)))
    return "；".join(parts), False


def _label(res: CaseResult) -> str:
    return tr("当场办结") if res.finished_here else CASE_FLOW.label(res.state)


def visit_line(res: CaseResult, service_name: str) -> str:
    """The outcome's line under 本次已办."""
    return f"{res.case_no or tr('暂存')}  {service_name}  {_label(res)}"


def outcome_message(res: CaseResult) -> str:
    """The status line after an outcome: state, number, promised date, any warning."""
    message = tr("{label}：{no}").format(label=_label(res), no=res.case_no or tr("已暂存"))
    if res.due_date and res.state == CaseState.ACCEPTED:
        message += tr("，承诺 {due} 前办结").format(due=res.due_date.isoformat())
    if res.finished_here:
        message += tr("，结果已交{who}").format(who=res.collector)
    if res.deferred_until:
        message += tr("；容缺材料 {due} 前补交，请申请人签署承诺书").format(
            due=res.deferred_until.isoformat()
        )
    if res.warning:
        message += "。" + res.warning
    return message


def refusal_reasons() -> list[str]:
    """The reasons offered first when refusing (the clerk may type another)."""
    return [tr("不属于本事项受理范围"), tr("申请人不具备申请资格"), tr("应向其他机关提出申请")]


def field_problems(n: int) -> str:
    """受理 refused before it reached the service: ``n`` fields are marked."""
    return tr("表单有 %n 处需要更正（已标红），请更正后再受理。", n)
