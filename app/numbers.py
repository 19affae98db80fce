"""The numbers the product prints and reads back, each defined once: made and matched here.

* Case number (办件编号) ``JX01-MZ20261130-0007``: the hall's code, the department's code,
  the service day, and the hall's gapless number of that department and day, zero-padded
  to 4 digits and longer past 9999 (``JX01-MZ20261130-10000``). Halls of a city database
  never share a number or its counter. Printed on every receipt as Code 128 and QR; the
  counter's scanner and the inbox search recognise it with :data:`CASE_NO`, which also
  matches the numbers of earlier versions without the hall (``MZ20261130-0007``).
* Ticket code (号票号码) ``A015``: the queue's letter and the day's number, padded to 3
  digits and longer past 999 (``A1000``). Shown, announced and printed.
* Ticket barcode ``T00001234``: the ticket's id, padded to 8 digits and longer past that.

A department code is what the catalog schema allows (:data:`DEPARTMENT_CODE`, used by
``forms.schema``): a capital letter and 1–5 capitals or digits. A hall's part is its code
where that is :data:`HALL_CODE` (a capital and 1–7 capitals or digits, as ``JX01``), else
``H`` and the hall's id. The longest case number (8 + 1 + 6 + 8 + 1 + 9 = 33 characters)
fits the ``case.case_no`` column.
"""

from __future__ import annotations

import re
from datetime import date

DEPARTMENT_CODE = r"[A-Z][A-Z0-9]{1,5}"
HALL_CODE = r"[A-Z][A-Z0-9]{1,7}"
CASE_SEQ_MIN_DIGITS = 4
CASE_SEQ_MAX = 999_999_999  # 9 digits: a department's cases of one day, more than ever happen
CASE_NO_MAX_LEN = 40  # app.db.models.cases.Case.case_no (33 used at most)
CASE_NO = re.compile(
    rf"(?:{HALL_CODE}-)?{DEPARTMENT_CODE}[0-9]{{8}}"
    rf"-[0-9]{{{CASE_SEQ_MIN_DIGITS},{len(str(CASE_SEQ_MAX))}}}"
)

QUEUE_LETTER = r"[A-Z]"
TICKET_MIN_DIGITS = 3
TICKET_CODE = re.compile(rf"{QUEUE_LETTER}[0-9]{{{TICKET_MIN_DIGITS},}}")
TICKET_BARCODE_MIN_DIGITS = 8
TICKET_BARCODE = re.compile(rf"T[0-9]{{{TICKET_BARCODE_MIN_DIGITS},}}")

_DEPARTMENT = re.compile(DEPARTMENT_CODE)
_HALL = re.compile(HALL_CODE)


def hall_part(code: str, hall_id: int) -> str:
    """The hall's part of its case numbers: its code (``JX01``) where that is
    :data:`HALL_CODE`, else ``H`` and its id (``H12``)."""
    return code if _HALL.fullmatch(code) else f"H{hall_id}"


def case_no(hall: str, department: str, day: date, n: int) -> str:
    """``JX01-MZ20261130-0007`` for hall JX01's 7th case of department MZ on 2026-11-30.

    ``hall`` is :func:`hall_part`'s. Raises ValueError for a hall or department code that
    does not fit or ``n`` outside 1…:data:`CASE_SEQ_MAX` (a bug, never the clerk's input).
    """
    if not _HALL.fullmatch(hall):
        raise ValueError(f"hall part {hall!r} is not {HALL_CODE}")
    if not _DEPARTMENT.fullmatch(department):
        raise ValueError(f"department code {department!r} is not {DEPARTMENT_CODE}")
    if not 1 <= n <= CASE_SEQ_MAX:
        raise ValueError(f"case sequence {n} outside 1…{CASE_SEQ_MAX}")
    return f"{hall}-{department}{day:%Y%m%d}-{n:0{CASE_SEQ_MIN_DIGITS}d}"


def is_case_no(text: str) -> bool:
    """Whether ``text`` (already upper-cased and stripped) is a case number."""
    return CASE_NO.fullmatch(text) is not None


EVENT_PART = "SQ"  # 诉求: the case counter's department part of an event's number


def is_event_no(text: str) -> bool:
    """Whether ``text`` (upper-cased, stripped) is a 群众诉求 event's number
    (``DEMO-SQ20261201-0003``): numbered by the case counter, with department part SQ."""
    return is_case_no(text) and re.search(rf"(?:^|-){EVENT_PART}[0-9]{{8}}-", text) is not None


def missing_case(number: str) -> str:
    """What to say when no case has ``number``: an event's number is sent to 诉求事件."""
    shown = number if len(number) <= 30 else number[:29] + "…"
    if is_event_no(number):
        return f"{shown} 是群众诉求事件的编号，请在“诉求事件”中查看。"
    return f"没有找到办件 {shown}。"


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


ROW_ID_MAX = 2**31 - 1  # the largest id an INTEGER key column holds (PostgreSQL, and ours)


def ticket_id_of(barcode: str) -> int | None:
    """The ticket id a ticket barcode carries; None where no ticket can have it (beyond
    :data:`ROW_ID_MAX`, or zero), so a look-up says "not found" instead of overflowing."""
    if not is_ticket_barcode(barcode):
        return None
    n = int(barcode[1:])
    return n if 1 <= n <= ROW_ID_MAX else None


def row_id(n: int) -> bool:
    """Whether ``n`` can be the id (or a number such as a window's) of a stored row."""
    return 1 <= n <= ROW_ID_MAX
