"""What the back office does by itself while any PC of the hall is running.

Every few minutes (and at log-in) the main window calls :func:`tick`: cases whose 公示
period has ended advance to their next step, and prepared "ready for pickup" messages
go out through the hall's sender. Both are idempotent, so several PCs doing it at once
is harmless (each case is locked while it moves).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.db.session import Database
from app.paths import data_dir
from app.services import pickup, workflow
from app.services.actor import Actor
from app.services.pickup import FileSender, Sender


@dataclass(frozen=True)
class TickReport:
    """What one round did."""

    advanced: int  # cases whose 公示 ended
    sent: int
    failed: int


def default_sender() -> Sender:
    """Messages written to ``<data dir>/messages/sms.log`` for the hall to forward."""
    return FileSender(data_dir() / "messages" / "sms.log")


def tick(db: Database, actor: Actor, sender: Sender | None = None) -> TickReport:
    """End finished 公示 periods and send pending messages."""
    moved = workflow.end_publicity(db, actor)
    sent, failed = pickup.send_pending(db, sender or default_sender(), actor.hall_id)
    return TickReport(len(moved), sent, failed)
