"""Counter intake journeys on both backends: accept, tell what is missing, refuse, 即办件."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app import audit
from app.cases import cases, intake
from app.cases.intake import IntakeInput
from app.db.models import AuditEvent, Case, CaseDocument, CaseMaterial, Department, Task
from app.db.session import Database
from app.errors import NotFound, ValidationError
from app.people import residents
from app.states import CaseState
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
from tests.helpers.people import actor, id_number

_ticks, _applicant = ticks, applicant


def _events(db: Database, action: str) -> int:
    with db.read_only() as s:
        return int(s.scalar(select(func.count()).where(AuditEvent.action == action)) or 0)


def test_dibao_for_a_disabled_65_year_old_is_accepted_and_routed(db: Database) -> None:
    clerk, applicant = actor(db), _applicant(db)
    inp = IntakeInput("MZ001", applicant, dict(DIBAO_FORM), _ticks(*ALL_DIBAO))
    result = intake.accept(db, clerk, inp, render=lambda doc: b"%PDF-receipt")
    assert result.state == CaseState.ACCEPTED
    assert result.case_no is not None and result.case_no.startswith("DEMO-MZ")
    assert result.case_no.endswith("-0001") and len(result.case_no) == len("DEMO-MZ20261123-0001")
    assert result.due_date is not None and result.due_date > date(2026, 1, 1)
    with db.read_only() as s:
        case = s.get(Case, result.case_id)
        assert case is not None
        assert case.form_data["household_income"] == "1200.50"
        assert case.form_data["household_size"] == 3
        tasks = (
            s.execute(
                select(Department.code)
                .join(Task, Task.department_id == Department.id)
                .where(Task.case_id == case.id)
            )
            .scalars()
            .all()
        )
        assert tasks == ["JD"]  # 初审 at the street office
        assert (
            s.scalar(select(CaseDocument.pdf).where(CaseDocument.case_id == case.id))
            == b"%PDF-receipt"
        )
        mats = s.scalars(select(CaseMaterial.material_key).where(CaseMaterial.case_id == case.id))
        assert sorted(mats) == sorted(ALL_DIBAO)
    # The second review fans out to 民政 (age ≥ 60) and 残联 (disability) besides 街道.
    service = intake.service_definition(db, clerk, "MZ001")
    plan = intake.route_plan(
        service, {"age": 65, "gender": "女", "is_agent": False}, case.form_data
    )
    assert plan[1] == ("复审", ["JD", "MZ", "CL"])
    assert _events(db, "case_accepted") == 1
    assert audit.verify_chain(db).ok
    # The receipt lists what was received, masked.
    doc = result.document
    assert doc.applicant_id_masked.count("*") == 8 and doc.cases[0].case_no == result.case_no


def test_incomplete_dibao_gets_one_notice_listing_exactly_what_is_missing(db: Database) -> None:
    clerk, applicant = actor(db), _applicant(db)
    form = dict(DIBAO_FORM, household_size="三口", bank_account="")
    inp = IntakeInput("MZ001", applicant, form, _ticks("id_card", "hukou"))
    with pytest.raises(ValidationError):
        intake.accept(db, clerk, inp)
    result = intake.tell_missing(db, clerk, inp)
    notice = result.document
    assert [m.name for m in notice.missing_materials] == [
        "收入证明",
        "残疾人证",
        "家庭经济状况核对授权书",
    ]
    assert len(notice.field_problems) == 2
    assert any("共同生活家庭人口" in p for p in notice.field_problems)
    assert any("补助金发放账户" in p and "必填" in p for p in notice.field_problems)
    assert result.state == CaseState.DRAFT and result.case_no is None
    # Next visit: the draft comes back as typed and is accepted.
    drafts = cases.drafts_of(db, clerk, applicant)
    assert [d.id for d in drafts] == [result.case_id]
    again = intake.load_draft(db, clerk, result.case_id)
    assert again.form["household_size"] == "三口"
    fixed = IntakeInput(
        "MZ001", applicant, dict(DIBAO_FORM), _ticks(*ALL_DIBAO), draft_id=result.case_id
    )
    done = intake.accept(db, clerk, fixed)
    assert done.case_id == result.case_id and done.state == CaseState.ACCEPTED
    assert cases.drafts_of(db, clerk, applicant) == []
    assert _events(db, "case_notice_issued") == 1


def test_deferrable_material_may_be_promised(db: Database) -> None:
    clerk, applicant = actor(db), _applicant(db)
    ticks = _ticks(
        "id_card", "hukou", "income_proof", "disability_card", deferred=("authorization",)
    )
    result = intake.accept(db, clerk, IntakeInput("MZ001", applicant, dict(DIBAO_FORM), ticks))
    line = next(m for m in result.document.cases[0].materials if m.name == "家庭经济状况核对授权书")
    assert "容缺" in line.detail
    assert result.document.cases[0].deferred_until
    assert _events(db, "case_accepted_with_promise") == 1
    # A material that is not deferrable cannot be promised.
    ticks = _ticks(
        "id_card", "hukou", "disability_card", "authorization", deferred=("income_proof",)
    )
    with pytest.raises(ValidationError, match="收入证明"):
        intake.accept(db, clerk, IntakeInput("MZ001", applicant, dict(DIBAO_FORM), ticks))


def test_refusal_is_numbered_with_reason_and_notice(db: Database) -> None:
    clerk, applicant = actor(db), _applicant(db)
    inp = IntakeInput("MZ001", applicant, {"household_size": "2"})
    with pytest.raises(ValidationError) as err:
        intake.refuse(db, clerk, inp, "不")
    assert err.value.field == "reason"
    result = intake.refuse(db, clerk, inp, "申请人非本地户籍，不属于本中心受理范围。")
    assert result.state == CaseState.REFUSED and result.case_no
    assert "行政复议" in result.document.remedy
    assert cases.find_case(db, clerk, result.case_no.lower()).state == CaseState.REFUSED


def test_instant_service_is_completed_at_the_counter(db: Database) -> None:
    clerk, applicant = actor(db), _applicant(db)
    form = {"proof_type": "亲属关系证明", "purpose": "办理继承公证"}
    result = intake.accept(
        db, clerk, IntakeInput("GA005", applicant, form, _ticks("id_card", "hukou"))
    )
    assert result.state == CaseState.DELIVERED  # and handed over (tests/db/test_instant_*)
    assert result.case_no is not None and result.case_no.startswith("DEMO-GA")
    assert result.document.cases[0].kind_label == "即办件"
    with db.read_only() as s:
        assert s.scalar(select(func.count()).select_from(Task)) == 0


def test_returning_resident_is_found_and_updated(db: Database) -> None:
    clerk = actor(db)
    number = id_number(date(1950, 1, 2), 3)
    first = residents.save(db, clerk, residents.ResidentInput(number, "张三", "13900001111"))
    found = residents.find_by_id_number(db, clerk, number)
    assert found is not None and found.id == first.id and found.name == "张三"
    assert found.gender == "男" and found.birth_date == date(1950, 1, 2)
    assert found.phone_masked == "139****1111" and "*" in found.id_masked
    again = residents.save(db, clerk, residents.ResidentInput(number, "张三", "13900002222"))
    assert again.id == first.id
    assert [r.id for r in residents.search(db, clerk, "zs")] == [first.id]
    assert [r.id for r in residents.search(db, clerk, "1390000")] == [first.id]
    assert residents.reveal(db, clerk, first.id, "phone") == "13900002222"
    assert _events(db, "personal_data_revealed") == 1
    assert _events(db, "resident_updated") == 1


def test_rare_character_name_is_stored_and_searched(db: Database) -> None:
    clerk = actor(db)
    name = "吉\U00020bb7䶮"  # 𠮷 (extension B) and 䶮 (extension A)
    saved = residents.save(db, clerk, residents.ResidentInput(id_number(date(1990, 5, 6), 9), name))
    assert residents.get(db, clerk, saved.id).name == name
    assert [r.id for r in residents.search(db, clerk, "\U00020bb7")] == [saved.id]
    assert [r.id for r in residents.search(db, clerk, "jy")] == [saved.id]


def test_bad_applicant_input_names_the_field(db: Database) -> None:
    clerk = actor(db)
    with pytest.raises(ValidationError) as err:
        residents.save(db, clerk, residents.ResidentInput("110105196103050158", "王五"))
    assert err.value.field == "id_number"
    with pytest.raises(ValidationError) as err:
        residents.save(db, clerk, residents.ResidentInput(id_number(date(1980, 1, 1)), "王5"))
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        residents.save(
            db, clerk, residents.ResidentInput(id_number(date(1980, 1, 1)), "王五", "123")
        )
    assert err.value.field == "phone"
    with pytest.raises(NotFound):
        cases.find_case(db, clerk, "MZ20990101-0001")


def test_case_numbers_are_per_department_and_day(db: Database) -> None:
    clerk, applicant = actor(db), _applicant(db)
    form = {"proof_type": "曾用名证明", "purpose": "更正档案"}
    nos = [
        intake.accept(
            db, clerk, IntakeInput("GA005", applicant, form, _ticks("id_card", "hukou"))
        ).case_no
        for _ in range(3)
    ]
    assert [n[-4:] for n in nos if n] == ["0001", "0002", "0003"]
    receipt = cases.combined_receipt(
        db, clerk, [cases.find_case(db, clerk, n).id for n in nos if n]
    )
    assert [c.case_no for c in receipt.cases] == nos
