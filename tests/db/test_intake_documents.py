"""The printed intake documents, rendered for real from a stored case on both backends.

The receipt scans back to its case number (Code 128 and QR, with ``zbarimg``), shows the ID
and the phone masked, and carries a 生僻字 name in the embedded fallback fonts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.cases import cases, intake
from app.cases.intake import IntakeInput
from app.checklist import MaterialTick
from app.db.session import Database
from app.people import residents
from printing import notices, receipt
from tests.helpers.pdf import run, stored_pdf, tool
from tests.helpers.people import actor, id_number

RARE = "吉\U00020bb7䶮"  # 𠮷 is in CJK extension B, 䶮 in extension A
FORM = {"proof_type": "亲属关系证明", "purpose": "办理继承公证"}


def test_receipt_scans_back_masks_and_prints_rare_characters(db: Database, tmp_path: Path) -> None:
    clerk = actor(db)
    number = id_number(date(1990, 5, 6), 9)
    person = residents.save(db, clerk, residents.ResidentInput(number, RARE, "13912345678"))
    ticks = (MaterialTick("id_card", True, True, True, 1), MaterialTick("hukou", True, True))
    result = intake.accept(db, clerk, IntakeInput("GA005", person.id, FORM, ticks), receipt.render)
    assert result.case_no
    pdf = stored_pdf(db, result.case_id, "receipt")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)

    run(tool("pdftoppm"), "-r", "200", "-png", str(path), str(tmp_path / "page"))
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 1
    scanned = run(tool("zbarimg"), "-q", str(pages[0])).split()
    assert sorted(scanned) == sorted([f"CODE-128:{result.case_no}", f"QR-Code:{result.case_no}"])
    # What is scanned opens the case.
    assert cases.find_case(db, clerk, scanned[0].split(":", 1)[1]).id == result.case_id

    text = run(tool("pdftotext"), "-layout", str(path), "-")
    assert number not in text and "13912345678" not in text
    assert f"{number[:6]}********{number[-4:]}" in text and "139****5678" in text
    assert RARE in text and result.case_no in text

    fonts = run(tool("pdffonts"), str(path))
    embedded = [line for line in fonts.splitlines() if "HanaMin" in line]
    # 䶮 comes from the extension-A subset, 𠮷 from HanaMinB; both embedded as subsets.
    assert any("HanaMinA" in line for line in embedded)
    assert any("HanaMinB" in line for line in embedded)
    assert all(" yes yes " in line for line in embedded)


def test_notice_and_refusal_render_with_the_rare_name(db: Database, tmp_path: Path) -> None:
    clerk = actor(db)
    person = residents.save(
        db, clerk, residents.ResidentInput(id_number(date(1970, 1, 2), 4), RARE)
    )
    inp = IntakeInput("GA005", person.id, {"purpose": "办理继承公证"})
    told = intake.tell_missing(db, clerk, inp, notices.render_missing)
    refused = intake.refuse(
        db,
        clerk,
        IntakeInput("GA005", person.id, FORM),
        "不属于本中心受理范围。",
        notices.render_refusal,
    )
    for case_id, kind, words in (
        (told.case_id, "notice", ["一次性告知书", "居民身份证", "户口本", "证明类型"]),
        (refused.case_id, "refusal", ["不予受理通知书", "不属于本中心受理范围", "行政复议"]),
    ):
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(stored_pdf(db, case_id, kind))
        text = run(tool("pdftotext"), str(path), "-").replace("\n", "")
        for word in [RARE, *words]:
            assert word in text, (kind, word)
