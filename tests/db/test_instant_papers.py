"""The papers of 受理 printed for real and read back (pdftotext, zbarimg), both backends.

A 即办件's certificate and its 当场出件 record, its receipt that says 当场办结 (no date, no
pickup), the 容缺受理承诺书 with the promised date and materials; each scans back to its
case number. A 承诺件's receipt keeps its promised date and pickup text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cases import cases, intake
from app.cases.intake import IntakeInput
from app.db.session import Database
from app.documents import CounterResult, ReceivedLine
from printing import bundle, counter_papers, receipt
from tests.helpers.backoffice import Clock
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
from tests.helpers.pdf import barcodes, pdf_text, stored_pdf
from tests.helpers.people import actor

PROOF = {"proof_type": "亲属关系证明", "purpose": "办理继承公证"}


def test_an_instant_certificate_and_its_receipt_read_back(db: Database, tmp_path: Path) -> None:
    clerk = actor(db)
    inp = IntakeInput("GA005", applicant(db), dict(PROOF), ticks("id_card", "hukou"))
    result = intake.accept(db, clerk, inp, receipt.render)
    assert result.case_no is not None
    (paper,) = result.handout
    assert paper.pdf == stored_pdf(db, result.case_id, "result")

    text = pdf_text(paper.pdf, tmp_path, "result")
    for words in (
        "户籍证明",
        "兹证明 李秀兰（身份证号 ",
        "出具亲属关系证明，用于办理继承公证",
        "户籍证明开具（即办件）",
        "当场办结",
        "当场出件",
        f"领取人：{result.collector}",
        "领取人签名",
        f"编号：{result.case_no}",
    ):
        assert words in text, words
    assert "19610305" not in text  # the ID number is masked
    assert barcodes(paper.pdf, tmp_path, "result") == [f"CODE-128:{result.case_no}"]
    assert cases.find_case(db, clerk, result.case_no).id == result.case_id

    kept = stored_pdf(db, result.case_id, "receipt")
    text = pdf_text(kept, tmp_path, "receipt")
    assert "当场办结，结果已当场交付" in text and "无需另行取件" in text
    assert "承诺办结日期" not in text and "取件方式" not in text
    assert sorted(barcodes(kept, tmp_path, "receipt")) == sorted(
        [f"CODE-128:{result.case_no}", f"QR-Code:{result.case_no}"]
    )


def test_the_promise_names_materials_and_date_and_prints_after_the_result(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Clock(monkeypatch).to(db, date(2026, 11, 27))  # a Friday: due five working days later
    clerk = actor(db)
    inp = IntakeInput(
        "RS003",
        applicant(db),
        {"phone": "13912345678", "bank": "工商银行"},
        ticks("id_card", deferred=("photo",)),
    )
    result = intake.accept(db, clerk, inp, receipt.render)
    result_paper, promise = result.handout
    text = pdf_text(promise.pdf, tmp_path, "promise")
    for words in (
        "容缺受理承诺书",
        "本人 李秀兰（身份证号 ",
        "“社会保障卡申领”",
        "1. 近期一寸免冠照片（原件）",
        "本人将于 2026-12-04 前（含当日）",
        f"报办件编号 {result.case_no}",
        "同意由行政机关依法撤销已当场作出的办理结果",
        "承诺人（签字）",
        "受理人：",
    ):
        assert words in text, words
    assert promise.pdf == stored_pdf(db, result.case_id, "promise")
    assert barcodes(promise.pdf, tmp_path, "promise") == [f"CODE-128:{result.case_no}"]
    certificate = pdf_text(result_paper.pdf, tmp_path, "card")
    assert "社会保障卡领卡凭证" in certificate and "合作银行：工商银行" in certificate
    assert "1. 近期一寸免冠照片：原件，2026-12-04 前补交" in certificate
    # The counter prints both at once: one PDF, the certificate first.
    both = bundle.join([p.pdf for p in result.handout])
    pages = PdfReader(_file(both, tmp_path, "both")).pages
    assert len(pages) == 2
    assert "社会保障卡领卡凭证" in pages[0].extract_text()
    assert "容缺受理承诺书" in pages[1].extract_text()


def test_a_promised_case_keeps_its_date_and_pickup(db: Database, tmp_path: Path) -> None:
    clerk = actor(db)
    inp = IntakeInput("MZ001", applicant(db), dict(DIBAO_FORM), ticks(*ALL_DIBAO))
    result = intake.accept(db, clerk, inp, receipt.render)
    assert result.due_date is not None
    (paper,) = result.handout
    text = pdf_text(paper.pdf, tmp_path, "receipt")
    assert f"承诺办结日期：{result.due_date.isoformat()}" in text
    assert "取件方式：综合窗口统一出件" in text
    assert "当场办结" not in text and "容缺" not in text


def test_a_service_without_a_declared_certificate_gets_a_notice(tmp_path: Path) -> None:
    doc = CounterResult(
        hall_name="示范区政务服务中心",
        case_no="GA20261127-0003",
        title="办结通知书",
        salutation="张三（身份证号 110105********0013）：",
        text="您于 2026年11月27日 申请办理的“户籍证明开具”（公安分局户政科），"
        "经审查，符合规定，已当场办结。",
        service_name="户籍证明开具",
        department="公安分局户政科",
        accepted_at="2026-11-27 10:05",
        deferred=(ReceivedLine("户口本", "原件，2026-12-04 前补交"),),
        legal_basis="《中华人民共和国户口登记条例》",
        collector="张三（本人，110105********0013）",
        issuer="王晓燕",
    )
    pdf = counter_papers.render_result(doc)
    text = pdf_text(pdf, tmp_path, "notice")
    for words in (
        "办结通知书",
        "张三（身份证号",
        "已当场办结",
        "依据：《中华人民共和国户口登记条例》",
    ):
        assert words in text, words
    assert "1. 户口本：原件，2026-12-04 前补交" in text
    assert barcodes(pdf, tmp_path, "notice") == ["CODE-128:GA20261127-0003"]
    assert bundle.join([pdf]) is pdf


def _file(pdf: bytes, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return path
