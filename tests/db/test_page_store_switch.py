"""A hall that changes its page store keeps reading its earlier pages where they were written."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cases import intake
from app.cases.intake import IntakeInput
from app.db.session import Database
from app.errors import EnvironmentProblem
from app.materials import intake as mi
from app.materials import records, stores, viewing
from app.roles import Role
from tests.helpers import pages as tp
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
from tests.helpers.people import actor


def _accept(db: Database) -> int:
    pages = (mi.prepare_page(tp.encoded(tp.draw((800, 1100)), "PNG"), "收入证明.png"),)
    inp = IntakeInput(
        "MZ001", applicant(db), dict(DIBAO_FORM), ticks(*ALL_DIBAO), pages={"income_proof": pages}
    )
    return intake.accept(db, actor(db), inp).case_id


def test_pages_written_to_the_database_are_read_there_after_a_move_to_files(
    db: Database, tmp_path: Path
) -> None:
    before = _accept(db)  # the database store (default)
    stores.use_store(db, stores.FileStore(tmp_path / "pages"))
    after = _accept(db)
    approver = actor(db, "approver", Role.APPROVER)
    for case_id, kind in ((before, "db"), (after, "file")):
        (page,) = viewing.case_pages(db, approver, case_id)
        assert viewing.page_thumbnail(db, approver, page.id)
        assert viewing.page_image(db, approver, page.id)
        assert records.verify_pages(db, approver, case_id).ok, kind


def test_a_page_in_a_store_this_pc_lacks_is_explained(db: Database, tmp_path: Path) -> None:
    stores.use_store(db, stores.FileStore(tmp_path / "pages"))
    case_id = _accept(db)
    stores.use_store(db, stores.DatabasePageStore())  # this PC was set up without the folder
    approver = actor(db, "approver", Role.APPROVER)
    (page,) = viewing.case_pages(db, approver, case_id)
    with pytest.raises(EnvironmentProblem) as caught:
        viewing.page_image(db, approver, page.id)
    assert "材料页保存在文件目录中" in caught.value.message
    assert "page_store" in caught.value.message
