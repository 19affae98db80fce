"""Declarative base with one naming convention, and column helpers shared by the models."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, MetaData
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; its metadata carries the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# JSON everywhere, JSONB on PostgreSQL (indexable, compact).
JsonType = JSON().with_variant(JSONB(), "postgresql")


def enum_type(enum: type[StrEnum], length: int = 24) -> Enum:
    """A StrEnum stored as its value in a VARCHAR (no native enum: migrations stay simple)."""

    def values(e: Any) -> list[str]:
        return [m.value for m in e]

    return Enum(
        enum,
        native_enum=False,
        length=length,
        values_callable=values,
        validate_strings=True,
        create_constraint=False,
    )
