"""Separation of duties (职责分离): one person decides one step of a case, for one department."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cases import casefile, inbox, workflow
from app.cases.workflow import Decision, Outcome
from app.db.session import Database
from app.errors import PermissionDenied
from app.hall import setup
from app.roles import Role
from forms.loader import load_catalog
from tests.helpers.backoffice import open_tasks
from tests.helpers.catalog_copies import catalog_copy, edit
from tests.helpers.dibao import accept_dibao
from tests.helpers.people import actor

FIRST_THEN_SECOND = "您已办理本件的“初审”，按职责分离不能再办理“复审”。"
OK = "情况属实，同意。"


def _approve(db: Database, username: str, task: tuple[int, int, str]) -> None:
    task_id, version, _code = task
    who = actor(db, username, Role.APPROVER)
    workflow.decide(db, who, Decision(task_id, version, Outcome.APPROVE, OK))


def test_the_first_reviewer_is_refused_at_second_review_and_a_colleague_decides(
    db: Database,
) -> None:
    case_id = accept_dibao(db).case_id
    [first] = open_tasks(db, case_id)
    _approve(db, "approver", first)  # 陈建国, 街道: 初审
    jd, mz, cl = open_tasks(db, case_id)  # 复审 at 街道, 民政, 残联
    chen = actor(db, "approver", Role.APPROVER)
    for task_id, version, _code in (jd, mz):
        with pytest.raises(PermissionDenied) as refused:
            workflow.decide(db, chen, Decision(task_id, version, Outcome.APPROVE, OK))
        assert refused.value.message == FIRST_THEN_SECOND
        with pytest.raises(PermissionDenied, match="职责分离"):
            workflow.claim(db, chen, task_id, version)  # nor 签收 what he may not decide
    assert open_tasks(db, case_id) == [jd, mz, cl]  # nothing changed
    # His inbox still lists both 复审 tasks, each saying why it is not his.
    rows = inbox.inbox(db, chen).rows
    assert [(r.step_name, r.barred) for r in rows] == [("复审", FIRST_THEN_SECOND)] * 2
    # So does the case view, beside the decision.
    file = casefile.open_case(db, chen, case_id)
    assert [t.barred for t in file.my_tasks] == [FIRST_THEN_SECOND] * 2
    # A colleague of each office decides; the case goes on to 公示.
    _approve(db, "jiedao", jd)
    _approve(db, "minzheng", mz)
    _approve(db, "canlian", cl)
    assert open_tasks(db, case_id) == []
    assert casefile.open_case(db, chen, case_id).step_name == "公示"


def test_one_person_decides_one_department_of_a_parallel_step(db: Database) -> None:
    case_id = accept_dibao(db).case_id
    [first] = open_tasks(db, case_id)
    _approve(db, "jiedao", first)  # 周海: 初审
    jd, mz, _cl = open_tasks(db, case_id)
    _approve(db, "approver", jd)  # 陈建国 (街道 and 民政) decides 复审 for 街道 …
    chen = actor(db, "approver", Role.APPROVER)
    with pytest.raises(PermissionDenied) as refused:  # … and may not for 民政 as well
        workflow.decide(db, chen, Decision(mz[0], mz[1], Outcome.APPROVE, OK))
    assert refused.value.message == (
        "您已为街道社会事务办办理本件的“复审”，按职责分离不能再为民政局办理同一步骤。"
    )
    [row] = inbox.inbox(db, chen).rows
    assert row.department == "民政局" and "职责分离" in row.barred


def test_claiming_alone_counts_not_and_deciding_again_after_supplement_is_allowed(
    db: Database,
) -> None:
    case_id = accept_dibao(db).case_id
    chen = actor(db, "approver", Role.APPROVER)
    [(task, version, _)] = open_tasks(db, case_id)
    # 签收 then 退回待办: he decided nothing, a colleague decides 初审.
    version = workflow.claim(db, chen, task, version)
    version = workflow.release(db, chen, task, version)
    _approve(db, "jiedao", (task, version, "JD"))
    # He may decide 复审 for 街道; he returns it for 补正 and decides it again afterwards.
    jd = open_tasks(db, case_id)[0]
    workflow.decide(db, chen, Decision(jd[0], jd[1], Outcome.RETURN, "缺材料", ("银行流水",)))
    workflow.resubmit(db, actor(db), case_id, "已补交银行流水")
    [again] = [t for t in open_tasks(db, case_id) if t[2] == "JD" and t[0] != jd[0]]
    barred = {r.task_id: r.barred for r in inbox.inbox(db, chen).rows}
    assert barred[again[0]] == ""
    _approve(db, "approver", again)


def test_a_catalog_may_turn_the_rule_off_for_a_service(db: Database, tmp_path: Path) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(
        folder,
        "minzheng.yaml",
        "    suspend_during: [supplement, publicity]\n",
        "    suspend_during: [supplement, publicity]\n    separation_of_duties: false\n",
    )
    catalog = load_catalog(folder)
    assert not catalog.services["MZ001"].definition.separation_of_duties
    assert catalog.services["MZ002"].definition.separation_of_duties  # the default: on
    setup.sync_catalog(db, catalog, "DEMO")
    case_id = accept_dibao(db).case_id
    [first] = open_tasks(db, case_id)
    _approve(db, "approver", first)
    jd, mz, cl = open_tasks(db, case_id)
    assert not any(r.barred for r in inbox.inbox(db, actor(db, "approver", Role.APPROVER)).rows)
    _approve(db, "approver", jd)  # 初审 and both 复审 tasks by one person
    _approve(db, "approver", mz)
    _approve(db, "canlian", cl)
    assert open_tasks(db, case_id) == []
