"""A counter PC killed in the middle of 受理 with pages: no page row, no blob, no case.

A real process (``python -c``) accepts a 低保 case with two pages of 收入证明 on the test
database and is killed with SIGKILL after its pages were written in the transaction (in
the receipt's step, before COMMIT). The database rolls the transaction back; the file
store's files written before the kill are orphans that the sweep removes once old enough.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db.models import Case, CasePage, PageBlob
from app.db.session import Database
from app.materials import records, stores

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from app.cases import intake
    from app.cases.intake import IntakeInput
    from app.materials import intake as mi
    from app.materials import stores
    from tests.helpers import pages as tp
    from tests.helpers.dibao import ALL_DIBAO, DIBAO_FORM, applicant, ticks
    from tests.helpers.people import actor
    from tests.helpers.queue_load import open_db

    db = open_db(sys.argv[1])
    if sys.argv[2]:
        stores.use_store(db, stores.FileStore(Path(sys.argv[2])))
    pages = tuple(mi.prepare_pages(tp.form_pdf(2), "收入证明.pdf"))
    inp = IntakeInput(
        "MZ001", applicant(db), dict(DIBAO_FORM), ticks(*ALL_DIBAO),
        pages={"income_proof": pages},
    )

    def killed(*_args, **_kwargs):
        print("pages written, killed", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    intake.receipt_of = killed
    intake.accept(db, actor(db), inp)
    print("accepted: the kill did not happen", flush=True)
    """
)


def _count(db: Database, model: type[Case] | type[CasePage] | type[PageBlob]) -> int:
    with db.read_only() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("kind", ["db", "file"])
def test_a_counter_killed_during_accept_leaves_no_page(
    db: Database, tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "pages" if kind == "file" else None
    cases_before = _count(db, Case)
    url = db.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, url, str(folder or "")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert "pages written, killed" in run.stdout
    assert _count(db, CasePage) == 0 and _count(db, PageBlob) == 0
    assert _count(db, Case) == cases_before  # the case went with its pages
    if folder is not None:
        written = [p for p in folder.glob("??/*") if p.is_file()]
        assert len(written) == 4  # two pages and their thumbnails, orphans now
        store = stores.FileStore(folder)
        with db.read_only() as s:
            keep = records.referenced_keys(s)
        assert store.sweep(keep) == 0  # too young: another accept may still be running
        assert store.sweep(keep, older_than_s=0) == 4
        assert not [p for p in folder.glob("??/*") if p.is_file()]
