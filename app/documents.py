"""Plain data snapshots that ``printing/`` turns into documents (no ORM objects, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GuideMaterial:
    """One line of the materials list of a service guide."""

    name: str
    form: str
    copies: int
    condition: str  # empty when always required; else a plain-language condition
    deferrable: bool
    note: str


@dataclass(frozen=True)
class ServiceGuide:
    """办事指南: what a resident needs to know before coming to the counter."""

    hall_name: str
    code: str
    name: str
    department: str
    kind_label: str
    promised_days: int
    legal_days: int | None
    fee: str
    legal_basis: str
    scope: str
    pickup: str
    materials: tuple[GuideMaterial, ...]
    steps: tuple[str, ...]
    version: int
    printed_on: str
