"""Services of the catalog as synced to the database, with their versions, and queues."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.models.base import Base, JsonType


class QueueCategory(Base):
    """A queue of a hall with its ticket letter (A 综合受理, B 社保 …)."""

    __tablename__ = "queue_category"
    __table_args__ = (UniqueConstraint("hall_id", "letter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"))
    letter: Mapped[str] = mapped_column(String(1))
    name: Mapped[str] = mapped_column(String(40))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ServiceType(Base):
    """A service (事项). Its definition lives in versions; ``current_version`` is the newest."""

    __tablename__ = "service_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    queue_letter: Mapped[str] = mapped_column(String(1))
    kind: Mapped[str] = mapped_column(String(16))
    promised_days: Mapped[int] = mapped_column(Integer)
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    versions: Mapped[list[ServiceVersion]] = relationship(
        back_populates="service_type", order_by="ServiceVersion.version"
    )


class ServiceVersion(Base):
    """One frozen definition of a service. Cases point here, so catalog edits never change them."""

    __tablename__ = "service_version"
    __table_args__ = (UniqueConstraint("service_type_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_type_id: Mapped[int] = mapped_column(ForeignKey("service_type.id"))
    version: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column(JsonType)
    source_file: Mapped[str] = mapped_column(String(100))
    file_version: Mapped[int] = mapped_column(Integer)
    synced_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())

    service_type: Mapped[ServiceType] = relationship(back_populates="versions")


class CatalogApplied(Base):
    """The shipped catalog as last applied to a hall's database, for the start-up sync.

    ``services`` maps each service code to the digest the shipped files gave it, and
    ``departments`` each department code to its name: a service whose current version
    still has that digest was not changed by the hall since, so a newer shipped version
    may replace it; any other was synced by the hall and is left alone.
    """

    __tablename__ = "catalog_applied"

    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    services: Mapped[dict[str, Any]] = mapped_column(JsonType)
    departments: Mapped[dict[str, Any]] = mapped_column(JsonType)
    applied_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
