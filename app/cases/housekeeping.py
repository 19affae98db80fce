"""What the back office does by itself while any PC of the hall is running.

Every few minutes (and at log-in) the main window calls :func:`tick`: tickets an earlier
service day left open are closed (the day's rollover), cases whose 公示 period has ended
advance to their next step, prepared "ready for pickup" messages go out through the
hall's sender, the audit chains' heads are anchored once a day (:mod:`app.audit.anchors`),
and (at most hourly per PC) a file or S3 page store's orphans — pages of
outcomes that rolled back or were killed, older than an hour — are swept. All are
idempotent, so several PCs doing it at once is harmless (each ticket or case is locked
while it moves; a page key is deleted only if no page row refers to it).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from dataclasses import dataclass

from app.actor import Actor
from app.audit import anchors
from app.cases import pickup, workflow
from app.cases.pickup import FileSender, Sender
from app.db.session import Database
from app.errors import EnvironmentProblem
from app.materials import records, stores
from app.paths import data_dir
from app.queue import calling

log = logging.getLogger(__name__)
SWEEP_EVERY_S = 3600.0  # listing a whole bucket every few minutes would be waste
_swept_at: weakref.WeakKeyDictionary[Database, float] = weakref.WeakKeyDictionary()
_sweep_lock = threading.Lock()


@dataclass(frozen=True)
class TickReport:
    """What one round did."""

    advanced: int  # cases whose 公示 ended
    sent: int
    failed: int
    expired: int = 0  # tickets of earlier days closed by the rollover
    swept: int = 0  # orphan page files/objects deleted
    anchored: int = 0  # audit chain heads anchored (once a day, by the first PC)


def default_sender() -> Sender:
    """Messages written to ``<data dir>/messages/sms.log`` for the hall to forward."""
    return FileSender(data_dir() / "messages" / "sms.log")


def tick(db: Database, actor: Actor, sender: Sender | None = None) -> TickReport:
    """Close earlier days' open tickets, end finished 公示 periods, send pending messages,
    anchor the audit chains (daily), sweep the page store's orphans (when due)."""
    expired = calling.close_past_days(db, actor)
    moved = workflow.end_publicity(db, actor)
    sent, failed = pickup.send_pending(db, sender or default_sender(), actor.hall_id)
    anchored = anchors.anchor_due(db)
    return TickReport(len(moved), sent, failed, len(expired), sweep_pages(db), anchored)


def sweep_pages(db: Database, force: bool = False) -> int:
    """Delete the page store's orphans older than the grace; how many (0 for the db store).

    Runs at most every :data:`SWEEP_EVERY_S` per database in this process unless
    ``force``. A store that cannot be reached is logged (a warning) and counts 0: the
    next due round tries again.
    """
    sweep = getattr(stores.store_of(db), "sweep", None)
    if sweep is None:  # the database store: its blobs go with their rows
        return 0
    with _sweep_lock:
        now = time.monotonic()
        last = _swept_at.get(db)
        if not force and last is not None and now - last < SWEEP_EVERY_S:
            return 0
        _swept_at[db] = now
    with db.read_only() as session:
        keep = records.referenced_keys(session)
    try:
        removed = int(sweep(keep))
    except EnvironmentProblem as exc:
        log.warning("page store sweep failed: %s (%s)", exc.message, exc.detail)
        return 0
    if removed:
        log.info("page store sweep: %d orphan page blobs deleted", removed)
    return removed
