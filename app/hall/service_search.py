"""Finding a service as the clerk types: by code, name, the common names the catalog
declares (``aliases``: 低保, 社保卡), and the pinyin initials of any of them (``dbsq``).

Pure: ranks catalog entries already read (:func:`app.hall.catalog.list_services`); no Qt
and no database, so the intake screen and the catalog browser rank alike and a test can
check every rule. How good a hit is comes first (an exact code, an exact name, a start, a
part); among equal hits the services this counter used most lead
(:func:`app.cases.service_usage.counts`), then the order the caller gave.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from app import initials, text
from app.errors import DomainError
from app.hall.catalog import CatalogEntry


class Hit(IntEnum):
    """How well a typed term matches a service (higher is better; NONE: no match)."""

    NONE = 0
    INITIALS_INSIDE = 1  # the initials of a name or common name contain the letters
    INSIDE = 2  # the name or a common name contains the term
    START = 3  # the code, a name, a common name or their initials start with the term
    EXACT = 4  # the term is a name or a common name (or their initials, whole)
    CODE = 5  # the term is the code


@dataclass(frozen=True)
class _Keys:
    code: str  # lower case
    said: tuple[str, ...]  # the name and the common names, case-folded
    read: tuple[initials.Letters, ...]  # the initials of each of them


@lru_cache(maxsize=4096)
def _keys(code: str, name: str, aliases: tuple[str, ...]) -> _Keys:
    """The match keys of a service (pypinyin reads each text once per process)."""
    said = (name, *aliases)
    return _Keys(
        code.casefold(),
        tuple(s.casefold() for s in said),
        tuple(initials.letters(s) for s in said),
    )


def _hit(keys: _Keys, term: str) -> Hit:
    """How ``term`` (case-folded, no spaces) matches the service of ``keys``."""
    if term == keys.code:
        return Hit.CODE
    if term in keys.said:
        return Hit.EXACT
    best = Hit.NONE
    if keys.code.startswith(term) or any(s.startswith(term) for s in keys.said):
        best = Hit.START
    elif any(term in s for s in keys.said):
        best = Hit.INSIDE
    if term.isascii() and term.isalpha():
        for read in keys.read:
            at = initials.find(term, read)
            if at == 0 and len(term) == len(read):
                return Hit.EXACT
            if at == 0:
                best = max(best, Hit.START)
            elif at is not None:
                best = max(best, Hit.INITIALS_INSIDE)
    return best


def terms_of(query: str) -> list[str] | None:
    """The words of a search box, cleaned and case-folded ([]: nothing typed).

    None when the query holds a character no text may (it finds nothing, and says nothing:
    the box is searched on every keystroke).
    """
    try:
        cleaned = text.clean_query(query)
    except DomainError:
        return None
    return [t.casefold() for t in cleaned.split()]


def hit(entry: CatalogEntry, query: str) -> Hit:
    """How ``query`` matches ``entry``: each word must match; the weakest word counts."""
    return _entry_hit(entry, terms_of(query))


def _entry_hit(entry: CatalogEntry, words: list[str] | None) -> Hit:
    if not words:
        return Hit.NONE
    keys = _keys(entry.code, entry.name, tuple(entry.definition.aliases))
    return min(_hit(keys, w) for w in words)


def rank(
    entries: Sequence[CatalogEntry], query: str, usage: Mapping[str, int] | None = None
) -> list[CatalogEntry]:
    """The entries ``query`` finds, best first.

    Best hit first (:class:`Hit`); among equal hits the higher ``usage`` (code → cases this
    counter took lately); then the order of ``entries``. An empty query finds every entry,
    ordered by usage then as given — the list a clerk starts from.
    """
    used = usage or {}
    words = terms_of(query)
    if words is None:
        return []
    if not words:
        order = sorted(range(len(entries)), key=lambda i: (-used.get(entries[i].code, 0), i))
        return [entries[i] for i in order]
    scored = [(_entry_hit(e, words), i) for i, e in enumerate(entries)]
    found = [(h, i) for h, i in scored if h != Hit.NONE]
    found.sort(key=lambda hi: (-hi[0], -used.get(entries[hi[1]].code, 0), hi[1]))
    return [entries[i] for _h, i in found]
