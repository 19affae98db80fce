"""人民调解协议书 and 司法确认申请书 read back with pdftotext: every field 人民调解法 第二十九条
asks for, one copy per party plus the archive's (each saying whose it is), IDs masked; the
application names the request, the 30-day limit and each applicant; the mediation rules
file is checked at load (a problem names the file and the field)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from app.mediation.rules import confirm_by, follow_up_due, load_rules
from app.mediation.views import AgreementDoc, ConfirmationDoc, PartyDoc
from app.states import MediationLevel
from forms.loader import CatalogError
from printing.judicial_confirmation import confirmation_pdf
from printing.mediation_agreement import agreement_pdf

DOC = AgreementDoc(
    committee="示范区政务服务中心（演示）人民调解委员会",
    number="DEMO-TJ20261029-0001",
    kind_label="邻里纠纷",
    parties=(
        PartyDoc(
            "当事人甲", "张大山", "男", 56, "110105********0013", "138****8000", "幸福路 3 号"
        ),
        PartyDoc("当事人乙", "李小河", "女", 41, "110105********0044", "", "幸福路 5 号"),
    ),
    facts="楼上卫生间防水层老化漏水，致楼下天花板受损。",
    issues="损失赔偿数额与维修责任",
    liability="楼上对漏水负主要责任，楼下未及时告知物业负次要责任。",
    terms="张大山于十日内修复防水层并赔偿李小河损失人民币二千元。",
    performance_way="现金一次性支付",
    perform_by=date(2026, 11, 8),
    signed_on=date(2026, 10, 29),
    mediators=("周建国", "陈老伯"),
    confirm_by=date(2026, 11, 28),
)


def _text(pdf: bytes, tmp_path: Path, page: int | None = None) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, check=True
    )
    return " ".join(out.stdout.decode("utf-8").split())


def _pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    return int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])


def test_the_agreement_has_every_field_in_one_copy_per_party_and_the_archive(
    tmp_path: Path,
) -> None:
    pdf = agreement_pdf(DOC)
    whole = _text(pdf, tmp_path)
    for holder in (
        "第 1 份，共 3 份 · 当事人甲 张大山 收执",
        "第 2 份，共 3 份 · 当事人乙 李小河 收执",
        "第 3 份，共 3 份 · 调解委员会存档",
    ):
        assert holder in whole
    assert whole.count("人民调解协议书 ") >= 3
    one_copy = whole.split("第 2 份，共 3 份")[0]
    for needed in (
        "当事人甲：张大山，男，56 岁，身份证号 110105********0013，电话 138****8000",
        "当事人乙：李小河，女，41 岁",
        "纠纷的主要事实：",
        DOC.facts,
        "争议事项：",
        DOC.issues,
        "各方当事人的责任：",
        DOC.liability,
        DOC.terms,
        "履行方式：",
        DOC.performance_way,
        "2026 年 11 月 8 日前履行完毕",
        "2026 年 11 月 28 日前",
        "司法确认",
        "本协议一式 3 份，当事人各执一份，人民调解委员会留存一份",
        "当事人甲 张大山（签名或盖章）",
        "调解员 周建国、陈老伯（签名或盖章）",
        "（盖章）",
        "2026 年 10 月 29 日",
    ):
        assert needed in one_copy, needed
    assert "110105199" not in whole  # no full ID on paper
    assert _pages(pdf, tmp_path) % 3 == 0  # each copy the same length, on its own pages


def test_the_confirmation_application_reads_back(tmp_path: Path) -> None:
    claims = "请求确认申请人于 2026 年 10 月 29 日经示范区政务服务中心（演示）人民调解委员会主持调解达成的人民调解协议（编号 DEMO-TJ20261029-0001）有效。"
    whole = _text(confirmation_pdf(ConfirmationDoc(DOC, claims)), tmp_path)
    for needed in (
        "司法确认申请书",
        "申请人（当事人甲）：张大山",
        "申请人（当事人乙）：李小河",
        "请求事项：",
        "编号 DEMO-TJ20261029-0001",
        "第二百零五条",
        "2026 年 11 月 28 日前",
        "申请人承诺：",
        "人民法院",
        "申请人 张大山（签名或盖章）",
        "申请人 李小河（签名或盖章）",
    ):
        assert needed in whole, needed


def test_the_day_arithmetic_is_in_calendar_days() -> None:
    signed = date(2026, 9, 30)  # the National Day holidays change nothing: calendar days
    assert confirm_by(signed) == date(2026, 10, 30)
    assert follow_up_due(signed, "week") == date(2026, 10, 7)
    assert follow_up_due(signed, "month") == date(2026, 10, 30)
    rules = load_rules()
    assert rules.limits == {
        MediationLevel.GRID: 7,
        MediationLevel.COMMUNITY: 15,
        MediationLevel.STREET: 30,
    }
    assert rules.due_on(MediationLevel.GRID, signed) == date(2026, 10, 7)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (
            "version: 1\nlimits: {grid: 7, community: 45, street: 30}\nkinds: [{code: LL, name: 邻里}]\n",
            "limits.community",
        ),
        (
            "version: 1\nlimits: {grid: 7, community: 15}\nkinds: [{code: LL, name: 邻里}]\n",
            "limits.street",
        ),
        (
            "version: 1\nlimits: {grid: 7, community: 15, street: 30}\nkinds: [{code: LL, name: 邻里}, {code: LL, name: 又一}]\n",
            "kinds.1.code",
        ),
    ],
)
def test_a_bad_rules_file_names_the_file_and_the_field(
    tmp_path: Path, body: str, where: str
) -> None:
    path = tmp_path / "mediation.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CatalogError) as bad:
        load_rules(path)
    assert next((p.file, p.path) for p in bad.value.problems) == ("mediation.yaml", where)
