"""The declared state table and the one guard that enforces it (:class:`StateMachine`).

The tables themselves live in :mod:`app.states` (tickets, cases, tasks, users, care) and
:mod:`app.states_community` (events, mediation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from app.errors import Conflict

S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class StateMachine(Generic[S]):
    """A declared set of allowed transitions over one enum."""

    name: str
    states: type[S]
    initial: tuple[S, ...]
    transitions: Mapping[S, frozenset[S]]
    labels: Mapping[S, str]

    def label(self, state: S) -> str:
        """The Chinese name of ``state`` (its value if none is declared)."""
        return self.labels.get(state, str(state))

    def allowed(self, current: S) -> frozenset[S]:
        """States reachable from ``current`` in one step."""
        return self.transitions.get(current, frozenset())

    def check(self, current: S, target: S) -> None:
        """Raise :class:`Conflict` unless ``current → target`` is declared."""
        if target not in self.allowed(current):
            raise Conflict(
                f"{self.name}当前状态为“{self.label(current)}”，不能变为“{self.label(target)}”。"
            )

    def terminal(self) -> frozenset[S]:
        """States with no way out."""
        return frozenset(s for s in self.states if not self.allowed(s))


def table(pairs: Mapping[S, tuple[S, ...]]) -> dict[S, frozenset[S]]:
    return {k: frozenset(v) for k, v in pairs.items()}
