"""The numbers the product prints and reads back, each defined once: made and matched here.

* Case number (办件编号) ``MZ20261130-0007``: the department's code, the service day, and
  the department's gapless number of that day, zero-padded to 4 digits and longer past
  9999 (``MZ20261130-10000``). Printed on every receipt as Code 128 and QR; the counter's
  scanner and the inbox search recognise it with :data:`CASE_NO`.
* Ticket code (号票号码) ``A015``: the queue's letter and the day's number, padded to 3
  digits and longer past 999 (``A1000``). Shown, announced and printed.
* Ticket barcode ``T00001234``: the ticket's id, padded to 8 digits and longer past that.

A department code is what the catalog schema allows (:data:`DEPARTMENT_CODE`, used by
``forms.schema``): a capital letter and 1–5 capitals or digits. Six characters at most, so
the longest case number (6 + 8 + 1 + 9 = 24 characters) fits the ``case.case_no`` column.
"""

from __future__ import annotations

import re
from datetime import date

DEPARTMENT_CODE = r"[A-Z][A-Z0-9]{1,5}"
CASE_SEQ_MIN_DIGITS = 4
CASE_SEQ_MAX = 999_999_999  # 9 digits: a department's cases of one day, more than ever happen
CASE_NO_MAX_LEN = 24  # app.db.models.cases.Case.case_no
CASE_NO = re.compile(
    rf"{DEPARTMENT_CODE}[0-9]{{8}}-[0-9]{{{CASE_SEQ_MIN_DIGITS},{len(str(CASE_SEQ_MAX))}}}"
)

QUEUE_LETTER = r"[A-Z]"
TICKET_MIN_DIGITS = 3
TICKET_CODE = re.compile(rf"{QUEUE_LETTER}[0-9]{{{TICKET_MIN_DIGITS},}}")
TICKET_BARCODE_MIN_DIGITS = 8
TICKET_BARCODE = re.compile(rf"T[0-9]{{{TICKET_BARCODE_MIN_DIGITS},}}")

_DEPARTMENT = re.compile(DEPARTMENT_CODE)


def case_no(department: str, day: date, n: int) -> str:
    """``MZ20261130-0007`` for department ``MZ``'s 7th case of 2026-11-30.

    Raises ValueError for a department code the catalog cannot hold or ``n`` outside
    1…:data:`CASE_SEQ_MAX` (a bug, never the clerk's input).
    """
    if not _DEPARTMENT.fullmatch(department):
        raise ValueError(f"department code {department!r} is not {DEPARTMENT_CODE}")
    if not 1 <= n <= CASE_SEQ_MAX:
        raise ValueError(f"case sequence {n} outside 1…{CASE_SEQ_MAX}")
    return f"{department}{day:%Y%m%d}-{n:0{CASE_SEQ_MIN_DIGITS}d}"


def is_case_no(text: str) -> bool:
    """Whether ``text`` (already upper-cased and stripped) is a case number."""
    return CASE_NO.fullmatch(text) is not None


def ticket_code(letter: str, n: int) -> str:
    """``A015`` for queue A's 15th ticket of the day; ``A1000`` past 999."""
    return f"{letter}{n:0{TICKET_MIN_DIGITS}d}"


def is_ticket_code(text: str) -> bool:
    """Whether ``text`` is a ticket code (``A015``, ``B1000``)."""
    return TICKET_CODE.fullmatch(text) is not None


def ticket_barcode(ticket_id: int) -> str:
    """What a ticket slip's barcode carries: ``T`` and the ticket's id (``T00001234``)."""
    return f"T{ticket_id:0{TICKET_BARCODE_MIN_DIGITS}d}"


def is_ticket_barcode(text: str) -> bool:
    """Whether ``text`` is a ticket slip's barcode."""
    return TICKET_BARCODE.fullmatch(text) is not None
