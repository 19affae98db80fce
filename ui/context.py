"""What every window needs: the database handle, the settings and the operation runner."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.config import Settings
from app.db.session import Database
from app.hall.catalog_sync import SyncReport
from ui.ops import OpRunner


@dataclass
class AppContext:
    """Shared by the windows of one running program. Widgets pass ``db`` to services only."""

    db: Database
    settings: Settings
    ops: OpRunner
    # The start-up catalog sync: broken files and skipped shipped changes, for the notice.
    catalog: SyncReport = field(default_factory=SyncReport)
    # A read replica for statistics and their exports (``reporting_database_url``); None:
    # they read the hall's database.
    reporting: Database | None = None

    @property
    def report_db(self) -> Database:
        """Where statistics are read: the replica if one is configured, else ``db``."""
        return self.reporting or self.db
