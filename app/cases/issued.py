"""Documents rendered after their case is committed, then kept with it.

Rendering a receipt takes several milliseconds (fonts, barcode, QR code). Done inside the
unit of work it held SQLite's write lock — every kiosk and counter of the PC waits — and
PostgreSQL's row locks for that long. So a service commits the case with the document's
snapshot built inside its transaction, and only then renders and stores the PDF in a
second, short transaction. A receipt therefore never exists for a case the database does
not have. If storing the copy fails (database busy or lost), the case stands and the PDF
is still handed back to print; the clerk is told the archive copy is missing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from app.actor import Actor
from app.db import clock
from app.db.models import CaseDocument
from app.db.session import Database
from app.errors import EnvironmentProblem

log = logging.getLogger(__name__)
Render = Callable[[Any], bytes]


def render_and_keep(
    db: Database,
    actor: Actor,
    case_id: int,
    kind: str,
    render: Render | None,
    doc: object,
    at: datetime | None = None,
) -> tuple[bytes | None, str]:
    """Render ``doc`` (outside any transaction) and store it as the case's ``kind`` document.

    ``at``: the document's time (default: the database clock when stored). Returns
    (PDF bytes or None without a renderer, a warning for the clerk or ""). Never raises
    for the database: the case is already committed.
    """
    if render is None:
        return None, ""
    pdfs, warning = render_and_keep_all(db, actor, case_id, render, [(kind, doc)], at)
    return pdfs[0], warning


def render_and_keep_all(
    db: Database,
    actor: Actor,
    case_id: int,
    render: Render,
    docs: Sequence[tuple[str, object]],
    at: datetime | None = None,
) -> tuple[list[bytes], str]:
    """Render several documents of one case (kind, snapshot) and store them in one go.

    Returns their PDF bytes in the order given and a warning ("" if all were stored), like
    :func:`render_and_keep`: one short transaction for all of them, never raising for the
    database.
    """
    pdfs = [render(doc) for _kind, doc in docs]
    try:
        with db.unit_of_work() as session:
            when = at or clock.now(session)
            for (kind, _doc), pdf in zip(docs, pdfs, strict=True):
                session.add(
                    CaseDocument(
                        case_id=case_id,
                        kind=kind,
                        pdf=pdf,
                        created_at=when,
                        created_by_id=actor.user_id,
                    )
                )
            session.commit()
    except EnvironmentProblem as exc:
        kinds = ",".join(kind for kind, _doc in docs)
        log.error(
            "documents %s of case %s not stored: %s (%s)", kinds, case_id, exc.message, exc.detail
        )
        return pdfs, f"文书已生成，但未能存档（{exc.message}）：请打印后留存。"
    return pdfs, ""
