"""Pinyin initials: how clerks type Chinese names without an input method (``zs`` → 张三).

One home for the reading of a text's initials, used by resident search (stored variants,
matched in SQL) and by the service search (matched in memory). pypinyin knows several
readings of a heteronym (单 = dan/shan/chan); every reading's initial counts.
"""

from __future__ import annotations

import itertools

from pypinyin import Style, pinyin

_MAX_VARIANTS = 4  # heteronyms multiply; a stored column keeps the first few spellings

Letters = tuple[frozenset[str], ...]


def letters(text: str) -> Letters:
    """The possible initial of each Chinese character of ``text``, in order.

    Characters pypinyin cannot read (Latin, digits, punctuation) are left out, so
    ``户口迁移（市内）`` reads as h-k-q-y-s-n.
    """
    groups = pinyin(text, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
    found = (frozenset(x.lower() for x in group if x.isascii() and x.isalpha()) for group in groups)
    return tuple(g for g in found if g)


def initials(name: str) -> str:
    """Pinyin initials of a name, alternatives for heteronyms, space separated."""
    options = [sorted(group) for group in letters(name)]
    variants = ("".join(combo) for combo in itertools.product(*options))
    return " ".join(itertools.islice(variants, _MAX_VARIANTS))


def find(typed: str, read: Letters) -> int | None:
    """Where the lower-case ASCII letters ``typed`` match ``read`` first (None: nowhere).

    ``find("dbsq", letters("低保申请")) == 0``; a match at 0 is a prefix match.
    """
    n = len(typed)
    if n == 0 or n > len(read):
        return None
    for start in range(len(read) - n + 1):
        if all(typed[i] in read[start + i] for i in range(n)):
            return start
    return None
