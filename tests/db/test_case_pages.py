"""Pages with the case, on both backends and every page store (db, file, S3 on a moto
server): stored in the outcome's transaction, listed with their SHA-256 in its audit event,
verified, shown to handlers only. Tests whose subject is not the store run on the db store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app import audit
from app.cases import intake
from app.cases.intake import IntakeInput
from app.db.models import AuditEvent, CasePage, PageBlob
from app.db.session import Database
from app.errors import EnvironmentProblem, PermissionDenied, ValidationError
from app.materials import intake as mi
from app.materials import records, stores, viewing
from app.materials.s3store import S3Store
from app.roles import Role
from tests.helpers import pages as tp
from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
from tests.helpers.people import actor
from tests.helpers.s3 import make_store, put_raw

STORES = ["db", "file", "s3"]
DB_STORE_ONLY = pytest.mark.parametrize("store", ["db"], indirect=True)


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, db: Database, tmp_path: Path) -> stores.PageStore:
    endpoint = request.getfixturevalue("s3_endpoint") if request.param == "s3" else None
    chosen = make_store(str(request.param), tmp_path / "p", endpoint)
    stores.use_store(db, chosen)
    return chosen


@pytest.fixture(scope="module")
def income() -> tuple[mi.PreparedPage, ...]:
    """收入证明, two pages (a camera capture and a scanned PDF page)."""
    camera = mi.prepare_page(tp.encoded(tp.camera(), "JPEG", quality=90), "高拍仪.jpg")
    return (camera, mi.prepare_pages(tp.form_pdf(1), "收入证明.pdf")[0])


def _inp(db: Database, pages: dict[str, tuple[mi.PreparedPage, ...]], **kw: object) -> IntakeInput:
    return IntakeInput(
        "MZ001", applicant(db), dict(DIBAO_FORM), ticks(*ALL_DIBAO), pages=pages, **kw
    )  # type: ignore[arg-type]


def _count(db: Database, model: type[CasePage] | type[PageBlob]) -> int:
    with db.read_only() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _event_pages(db: Database, case_id: int, action: str) -> list[list[object]]:
    with db.read_only() as s:
        after = s.scalar(
            select(AuditEvent.after).where(
                AuditEvent.action == action, AuditEvent.entity_id == str(case_id)
            )
        )
    assert after is not None
    return list(after["pages"])


def test_accepted_pages_are_stored_listed_in_the_audit_and_shown(
    db: Database, store: stores.PageStore, income: tuple[mi.PreparedPage, ...]
) -> None:
    clerk = actor(db)
    id_card = mi.prepare_page(tp.encoded(tp.draw(), "PNG"), "身份证.png")
    result = intake.accept(db, clerk, _inp(db, {"income_proof": income, "id_card": (id_card,)}))
    listed = _event_pages(db, result.case_id, "case_accepted")
    assert listed == [
        ["id_card", 1, id_card.sha256],
        ["income_proof", 1, income[0].sha256],
        ["income_proof", 2, income[1].sha256],
    ]
    pages = viewing.case_pages(db, clerk, result.case_id)
    assert [(p.material_key, p.position) for p in pages] == [(k, n) for k, n, _ in listed]
    second = pages[2]
    assert (second.width, second.height) == (income[1].width, income[1].height)
    with db.read_only() as s:
        assert s.scalar(select(CasePage.storage).where(CasePage.id == second.id)) == store.kind
    assert viewing.page_thumbnail(db, clerk, second.id) == income[1].thumbnail
    approver = actor(db, "approver", Role.APPROVER)  # 街道: 初审 is theirs
    assert viewing.page_image(db, approver, second.id) == income[1].data
    with db.read_only() as s:
        seen = s.scalars(select(AuditEvent).where(AuditEvent.action == "page_viewed")).all()
    assert [(e.actor_name, e.after) for e in seen] == [
        (approver.full_name, {"page": second.id, "material": "income_proof", "position": 2})
    ]
    check = records.verify_pages(db, actor(db, "supervisor", Role.SUPERVISOR), result.case_id)
    assert check.ok and check.pages == 3
    assert audit.verify_chain(db).ok
    assert _count(db, PageBlob) == (6 if store.kind == "db" else 0)


def test_a_swapped_or_edited_page_is_detected(
    db: Database, store: stores.PageStore, income: tuple[mi.PreparedPage, ...]
) -> None:
    clerk, supervisor = actor(db), actor(db, "supervisor", Role.SUPERVISOR)
    result = intake.accept(db, clerk, _inp(db, {"income_proof": income}))
    first, second = viewing.case_pages(db, clerk, result.case_id)
    forged = mi.prepare_page(tp.encoded(tp.draw(), "PNG"), "forged.png").data
    if store.kind != "db":
        put_raw(store, income[0].sha256, forged)
    else:
        with db.unit_of_work() as s:
            s.execute(
                update(PageBlob).where(PageBlob.sha256 == income[0].sha256).values(data=forged)
            )
            s.commit()
    check = records.verify_pages(db, supervisor, result.case_id)
    assert check.problems == ["材料 income_proof 第 1 页的图像内容被修改"]
    with pytest.raises(EnvironmentProblem, match="校验值不符"):
        viewing.page_image(db, clerk, first.id)
    # The page row pointed at other bytes (whose hash matches them): the trail still knows.
    with db.unit_of_work() as s:
        s.execute(update(CasePage).where(CasePage.id == second.id).values(sha256=income[0].sha256))
        s.commit()
    problems = records.verify_pages(db, supervisor, result.case_id).problems
    assert "材料 income_proof 第 2 页的校验值与审计记录不符（页面被替换）" in problems


def test_a_failed_accept_leaves_no_page_rows(
    db: Database,
    store: stores.PageStore,
    income: tuple[mi.PreparedPage, ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crash(*args: object, **kw: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(intake, "receipt_of", crash)  # after the pages were written
    with pytest.raises(RuntimeError):
        intake.accept(db, actor(db), _inp(db, {"income_proof": income}))
    assert _count(db, CasePage) == 0 and _count(db, PageBlob) == 0
    if isinstance(store, stores.FileStore | S3Store):  # orphans: tolerated, then swept
        with db.read_only() as s:
            keep = records.referenced_keys(s)
        assert store.sweep(keep) == 0  # too young: an outcome may still be running
        assert store.sweep(keep, older_than_s=0) == 4
        with db.read_only() as s, pytest.raises(EnvironmentProblem, match="缺失"):
            store.get(s, income[0].sha256)


def test_draft_pages_carry_into_the_acceptance(
    db: Database, store: stores.PageStore, income: tuple[mi.PreparedPage, ...]
) -> None:
    clerk = actor(db)
    draft = intake.save_draft(db, clerk, _inp(db, {"income_proof": income[:1]}))
    assert _event_pages(db, draft.case_id, "case_draft_saved") == [
        ["income_proof", 1, income[0].sha256]
    ]
    done = intake.accept(db, clerk, _inp(db, {"income_proof": income[1:]}, draft_id=draft.case_id))
    assert [p[1:] for p in _event_pages(db, done.case_id, "case_accepted")] == [
        [1, income[0].sha256],
        [2, income[1].sha256],
    ]
    assert records.verify_pages(db, actor(db, "auditor", Role.AUDITOR), done.case_id).ok


@DB_STORE_ONLY
def test_pages_of_a_material_the_service_lacks_are_refused(
    db: Database, store: stores.PageStore, income: tuple[mi.PreparedPage, ...]
) -> None:
    with pytest.raises(ValidationError, match="不属于本事项"):
        intake.accept(db, actor(db), _inp(db, {"marriage_cert": income}))
    assert _count(db, CasePage) == 0


@DB_STORE_ONLY
def test_only_the_cases_handlers_see_its_pages(
    db: Database, store: stores.PageStore, income: tuple[mi.PreparedPage, ...]
) -> None:
    result = intake.accept(db, actor(db), _inp(db, {"income_proof": income}))
    page = viewing.case_pages(db, actor(db), result.case_id)[0]
    supervisor = actor(db, "supervisor", Role.SUPERVISOR)
    assert viewing.page_thumbnail(db, supervisor, page.id) == income[0].thumbnail
    for outsider in (
        actor(db, "auditor", Role.AUDITOR),
        actor(db, "canlian", Role.APPROVER),  # 残联: no task on the case (yet)
    ):
        with pytest.raises(PermissionDenied):
            viewing.case_pages(db, outsider, result.case_id)
        with pytest.raises(PermissionDenied):
            viewing.page_image(db, outsider, page.id)
    with db.read_only() as s:
        assert s.scalar(select(func.count()).where(AuditEvent.action == "page_viewed")) == 0


@pytest.fixture(params=STORES)
def bare_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[stores.PageStore]:
    endpoint = request.getfixturevalue("s3_endpoint") if request.param == "s3" else None
    yield make_store(str(request.param), tmp_path, endpoint)


def test_every_store_keeps_gets_and_deletes(db: Database, bare_store: stores.PageStore) -> None:
    import hashlib

    data = b"page bytes"
    key = hashlib.sha256(data).hexdigest()
    with db.unit_of_work() as s:
        bare_store.put(s, key, data)
        bare_store.put(s, key, data)  # the same content again: kept once
        s.commit()
    with db.unit_of_work() as s:
        assert bare_store.get(s, key) == data
        bare_store.delete(s, key)
        bare_store.delete(s, key)
        s.commit()
    with db.read_only() as s, pytest.raises(EnvironmentProblem, match="缺失"):
        bare_store.get(s, key)
    with db.read_only() as s, pytest.raises(ValueError):
        bare_store.get(s, "../../etc/passwd")
