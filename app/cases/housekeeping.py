"""What the back office does by itself while any PC of the hall is running.

Every few minutes (and at log-in) the main window calls :func:`tick`: tickets an earlier
service day left open are closed (the day's rollover), cases whose 公示 period has ended
advance to their next step, and prepared "ready for pickup" messages go out through the
hall's sender. All are idempotent, so several PCs doing it at once is harmless (each
ticket or case is locked while it moves).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.actor import Actor
from app.cases import pickup, workflow
from app.cases.pickup import FileSender, Sender
from app.db.session import Database
from app.paths import data_dir
from app.queue import calling


@dataclass(frozen=True)
class TickReport:
    """What one round did."""

    advanced: int  # cases whose 公示 ended
    sent: int
    failed: int
    expired: int = 0  # tickets of earlier days closed by the rollover


def default_sender() -> Sender:
    """Messages written to ``<data dir>/messages/sms.log`` for the hall to forward."""
    return FileSender(data_dir() / "messages" / "sms.log")


def tick(db: Database, actor: Actor, sender: Sender | None = None) -> TickReport:
    """Close earlier days' open tickets, end finished 公示 periods, send pending messages."""
    expired = calling.close_past_days(db, actor)
    moved = workflow.end_publicity(db, actor)
    sent, failed = pickup.send_pending(db, sender or default_sender(), actor.hall_id)
    return TickReport(len(moved), sent, failed, len(expired))
