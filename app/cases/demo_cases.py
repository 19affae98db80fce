"""Sample cases for a new demo database, made through the real services.

So that every workspace has something to show on first start: a 低保 case waiting for
初审, one in 复审 at three departments, one back for 补正, one in 公示 and one rejected
and ready at the pickup window. Only into a demo hall with no cases yet.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from stdnum.cn import ric

from app.cases import intake, workflow
from app.cases.intake import IntakeInput
from app.cases.workflow import Decision, Outcome
from app.checklist import MaterialTick
from app.db.models import Case, Department, Task
from app.db.session import Database
from app.errors import PermissionDenied
from app.people import residents, users
from app.states import TaskState

FORM = {
    "household_size": "2",
    "household_income": "980",
    "disability": True,
    "disability_card_no": "11010519580601011142",
    "housing": "租房",
    "bank_account": "6217000010001234567",
    "reason": "本人残疾，无固定收入。",
}
TICKS = tuple(
    MaterialTick(k, True, True, True, 1)
    for k in ("id_card", "hukou", "income_proof", "disability_card", "authorization")
)
# Who decides a department's tasks, in order: 初审 by 周海 (街道), so that 陈建国 — the
# demo's approver, in 街道 and 民政 — finds the 复审 tasks his to decide.
DEMO_APPROVERS = {
    "JD": ("jiedao", "approver"),
    "MZ": ("minzheng", "approver", "minzheng2"),
    "CL": ("canlian",),
}
# (name, born, female, what the back office has done so far)
PEOPLE = (
    ("李秀兰", date(1961, 3, 5), True, "accepted"),
    ("王建国", date(1958, 6, 1), False, "second_review"),
    ("张秀英", date(1955, 9, 12), True, "supplement"),
    ("陈志强", date(1949, 12, 30), False, "publicity"),
    ("赵丽华", date(1963, 4, 18), True, "rejected"),
)


def _id_number(born: date, seq: int, female: bool) -> str:
    order = seq * 2 + (0 if female else 1)
    body = f"110105{born:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def _decide_all(
    db: Database, case_id: int, outcome: Outcome, opinion: str, items: tuple[str, ...] = ()
) -> None:
    """Decide every live task of the case as the first of the department's demo approvers
    whom separation of duties (职责分离) lets decide it."""
    with db.read_only() as s:
        tasks = s.execute(
            select(Task.id, Task.version, Department.code)
            .join(Department, Department.id == Task.department_id)
            .where(Task.case_id == case_id, Task.state == TaskState.OPEN)
            .order_by(Task.id)
        ).all()
    for task_id, version, code in tasks:
        for name in DEMO_APPROVERS[code]:
            try:
                actor = users.demo_actor(db, name)
                workflow.decide(db, actor, Decision(task_id, version, outcome, opinion, items))
                break
            except PermissionDenied:
                continue  # decided another step of this case: a colleague decides


def seed(db: Database) -> int:
    """Make the sample cases if the demo hall has none; returns how many were made."""
    with db.read_only() as s:
        if s.scalar(select(Case.id).limit(1)) is not None:
            return 0
    clerk = users.demo_actor(db, "clerk")
    for seq, (name, born, female, stage) in enumerate(PEOPLE, start=301):
        number = _id_number(born, seq, female)
        person = residents.save(
            db, clerk, residents.ResidentInput(number, name, "13800138000", "幸福路 1 号")
        )
        case = intake.accept(db, clerk, IntakeInput("MZ001", person.id, FORM, TICKS))
        if stage == "accepted":
            continue
        if stage == "rejected":
            _decide_all(db, case.case_id, Outcome.REJECT, "家庭人均收入高于当地低保标准。")
            continue
        if stage == "supplement":
            items = ("近 6 个月银行流水", "家庭成员收入证明（盖章）")
            _decide_all(db, case.case_id, Outcome.RETURN, "收入材料不全。", items=items)
            continue
        _decide_all(db, case.case_id, Outcome.APPROVE, "情况属实，同意。")  # 初审
        if stage == "publicity":
            _decide_all(db, case.case_id, Outcome.APPROVE, "符合条件，同意。")  # 复审
    return len(PEOPLE)
