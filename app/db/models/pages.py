"""Page images of a case's materials (电子材料): one row per page, bytes kept apart.

``case_page`` holds what a case view lists (material, order, size, hash, the unreadable
mark) and never the bytes; the bytes live in a page store (``app.materials.stores``): the
database's ``case_page_blob`` table by default, or a file store. Blobs are content-addressed
by the SHA-256 of their bytes, so a page and its thumbnail are two blobs and a case view
that lists pages reads no image bytes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class CasePage(Base):
    """One page of one material of a case, in the order the clerk captured it."""

    __tablename__ = "case_page"
    __table_args__ = (UniqueConstraint("case_id", "material_key", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("service_case.id", ondelete="CASCADE"))
    material_key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, … within the material
    sha256: Mapped[str] = mapped_column(String(64))  # of the stored page bytes (JPEG)
    byte_size: Mapped[int] = mapped_column(Integer)
    thumb_sha256: Mapped[str] = mapped_column(String(64))
    thumb_size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)  # pixels
    height: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(24))
    storage: Mapped[str] = mapped_column(
        String(8)
    )  # "db", "file", "s3": where the bytes were written (read there)
    rotation: Mapped[int] = mapped_column(Integer, default=0)  # degrees clockwise, to show
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # 补正: the approver marks a page unreadable, with a note, and that becomes an item.
    unreadable: Mapped[bool] = mapped_column(Boolean, default=False)
    unreadable_note: Mapped[str] = mapped_column(String(200), default="")
    unreadable_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    unreadable_at: Mapped[datetime | None] = mapped_column(DateTime)
    # 补正 brought new pages for the material: this unreadable page was replaced (kept as
    # received; the note says why it was unreadable and which pages replaced it).
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime)
    replaced_note: Mapped[str] = mapped_column(String(200), default="")


class PageBlob(Base):
    """Bytes of a page or a thumbnail, under the SHA-256 of the bytes (database store)."""

    __tablename__ = "case_page_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
