"""The back office's printed documents, rendered for real on both backends and read back.

补正通知书, 不予批准决定书, 办结通知书 with the 出件回执 filled in at the pickup window, and a
department's 公示名单: each names the case, scans back to its number, and shows the
applicant's ID masked (names masked too on the public list).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.cases import casefile, cases, outcomes, pickup, workflow
from app.cases.workflow import Decision, Outcome
from app.db.session import Database
from app.errors import Conflict
from app.states import CaseState
from printing import decisions
from tests.helpers.backoffice import Clock, approve_all, open_tasks, people
from tests.helpers.dibao import accept_dibao, applicant
from tests.helpers.pdf import barcodes, pdf_text, stored_pdf
from tests.helpers.people import actor, id_number

BORN = date(1961, 3, 5)


def test_supplement_notice_lists_the_items_and_scans_back(db: Database, tmp_path: Path) -> None:
    person = applicant(db, "欧阳秀兰", BORN, seq=51)
    case = accept_dibao(db, person)
    [(task, version, _)] = open_tasks(db, case.case_id)
    clerk, jd = actor(db), people(db)["JD"]
    with pytest.raises(Conflict):  # nothing to supplement yet
        outcomes.supplement_notice(db, clerk, case.case_id, decisions.render_supplement)
    items = ("近 6 个月银行流水", "家庭成员收入证明（盖章）")
    workflow.decide(db, jd, Decision(task, version, Outcome.RETURN, "收入材料不全。", items))
    pdf = outcomes.supplement_notice(db, jd, case.case_id, decisions.render_supplement)
    assert pdf == stored_pdf(db, case.case_id, "supplement")
    text = pdf_text(pdf, tmp_path)
    own = id_number(BORN, 51, female=True)
    for word in ("补正通知书", "欧阳秀兰", *items, "收入材料不全", "不计入承诺办结时限"):
        assert word in text, word
    assert own not in text and f"{own[:6]}********{own[-4:]}" in text
    assert barcodes(pdf, tmp_path) == [f"CODE-128:{case.case_no}"]
    # The issue is in the case's history and among its documents for reprinting.
    file = casefile.open_case(db, clerk, case.case_id)
    assert file.history[-1].action == "出具文书" and file.history[-1].note == "补正通知书"
    assert "supplement" in [kind for _id, kind in file.documents]


def test_rejection_decision_and_its_handover_receipt(db: Database, tmp_path: Path) -> None:
    person = applicant(db, "王建国", BORN, seq=52)
    case = accept_dibao(db, person)
    [(task, version, _)] = open_tasks(db, case.case_id)
    reason = "家庭人均收入高于当地低保标准。"
    workflow.decide(db, people(db)["JD"], Decision(task, version, Outcome.REJECT, reason))
    clerk = actor(db)
    pdf = outcomes.decision_notice(db, clerk, case.case_id, decisions.render_decision)
    text = pdf_text(pdf, tmp_path, "decision")
    for word in ("不予批准决定书", reason, "行政复议", "初审｜街道社会事务办｜不同意"):
        assert word in text, word
    assert barcodes(pdf, tmp_path, "decision") == [f"CODE-128:{case.case_no}"]
    own = id_number(BORN, 52, female=True)
    handed = pickup.hand_over(db, clerk, case.case_id, own, render=decisions.render_decision)
    assert handed.pdf is not None and handed.pdf == stored_pdf(db, case.case_id, "delivery")
    text = pdf_text(handed.pdf, tmp_path, "delivery")
    for word in ("不予批准决定书", "出件回执", "王建国（本人", "领取人签名"):
        assert word in text, word
    assert own not in text
    # The receipt is reprinted from what was saved (补打), audited.
    [(doc_id, _)] = [
        d for d in casefile.open_case(db, clerk, case.case_id).documents if d[1] == "delivery"
    ]
    assert cases.document_pdf(db, clerk, doc_id) == handed.pdf
    with pytest.raises(Conflict):  # delivered: no new decision notice
        outcomes.decision_notice(db, clerk, case.case_id, decisions.render_decision)


def test_publicity_list_and_completion_notice(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    clock.to(db, date(2026, 11, 2))
    case = accept_dibao(db, applicant(db, "张三丰", BORN, seq=53))
    approve_all(db, case.case_id)  # 初审
    approve_all(db, case.case_id)  # 复审, three departments
    jd = people(db)["JD"]
    pdf = outcomes.publicity_list(db, jd, "MZ", decisions.render_publicity)
    text = pdf_text(pdf, tmp_path, "list")
    own = id_number(BORN, 53, female=True)
    for word in ("民政局公示名单", "张*丰", case.case_no or "", "2026-11-02 至", "2026-11-11"):
        assert word in text, word
    assert "张三丰" not in text and own not in text
    other = outcomes.publicity_list(db, jd, "GA", decisions.render_publicity)
    assert "目前没有处于公示期的办件" in pdf_text(other, tmp_path, "empty")
    # 公示 ends, 发放 approves: the 办结通知书.
    clock.to(db, date(2026, 11, 12))
    workflow.end_publicity(db, jd)
    approve_all(db, case.case_id)
    file = casefile.open_case(db, actor(db), case.case_id)
    assert file.state == CaseState.COMPLETED
    notice = outcomes.decision_notice(db, actor(db), case.case_id, decisions.render_decision)
    text = pdf_text(notice, tmp_path, "done")
    for word in ("办结通知书", "准予批准", "复审", "综合窗口"):
        assert word in text, word
