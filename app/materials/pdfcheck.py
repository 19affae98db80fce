"""What a PDF is refused for before it is rendered: its active content, encryption, breakage.

A PDF at the counter is a scan or a downloaded certificate; it never needs to run code.
:func:`active_content` parses the file with :mod:`pypdf` and walks EVERY object of its
cross-reference tables — those in the file body and those packed in compressed object
streams (where the catalog's ``/OpenAction`` and ``/Names`` may hide) — plus the trailer.
In each object it looks at the dictionary keys and name objects (``#xx`` escapes decoded
by the parser: ``/J#61vaScript`` is ``/JavaScript``) for the names that start actions:
``/JavaScript``, ``/JS``, ``/Launch``, ``/SubmitForm``, ``/ImportData``, ``/RichMedia``,
``/GoToR`` and ``/GoToE`` (open another or an embedded file), ``/XFA`` (scripted forms).
Web links (``/URI``) are left alone: bank statements carry them, and nothing opens them
here (pages are rendered to images).
An ``/AA`` or ``/OpenAction`` is found through the action it leads to: a plain
``/OpenAction`` (open at page 1, fit width) is allowed, one that runs JavaScript names
``/S /JavaScript`` and is refused. Stream DATA (image pixels, fonts, page content) is never
searched: ``/JS`` inside an ASCII85-encoded JPEG is not an action.

Guards: objects nested deeper than :data:`MAX_DEPTH` or more than :data:`MAX_OBJECTS`
objects, and streams pypdf refuses to inflate (its own output limits, ~75 MB), give
:data:`TOO_DEEP`. A file pypdf cannot parse gives :data:`BROKEN`; one that needs a password
gives :data:`ENCRYPTED` (a file encrypted with an empty user password is decrypted and
walked). The caller checks the file's size (20 MB) before calling.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

ACTIVE_NAMES = frozenset(
    {"JavaScript", "JS", "Launch", "SubmitForm", "ImportData", "RichMedia"}
    # opening another file or an embedded one; XFA forms carry their own scripts
    | {"GoToR", "GoToE", "XFA"}
)
MAX_DEPTH = 100  # nesting of arrays / dictionaries inside one object
MAX_OBJECTS = 500_000  # objects, dictionary entries and array items visited, at most
TOO_DEEP = "(压缩内容过大)"
BROKEN = "(已损坏)"
ENCRYPTED = "(已加密)"


class _TooBig(Exception):
    pass


class _Walk:
    def __init__(self) -> None:
        self.budget = MAX_OBJECTS

    def found(self, obj: Any, depth: int = 0) -> str | None:
        """The first active name in ``obj`` (indirect references are walked by the caller)."""
        self.budget -= 1
        if self.budget < 0 or depth > MAX_DEPTH:
            raise _TooBig
        if isinstance(obj, IndirectObject):
            return None  # every object of the file is walked on its own
        if isinstance(obj, NameObject):
            name = str(obj)[1:]
            return name if name in ACTIVE_NAMES else None
        if isinstance(obj, DictionaryObject):  # incl. a stream's dictionary, not its data
            for key, value in obj.items():
                hit = self.found(NameObject(key), depth + 1) or self.found(value, depth + 1)
                if hit:
                    return hit
        elif isinstance(obj, ArrayObject):
            for item in obj:
                hit = self.found(item, depth + 1)
                if hit:
                    return hit
        return None


def _object_ids(reader: PdfReader) -> list[tuple[int, int]]:
    ids = {(num, gen) for gen, table in reader.xref.items() for num in table}
    ids |= {(num, 0) for num in reader.xref_objStm}
    return sorted(ids)


def _repaired(data: bytes) -> bytes | None:
    """``data`` as PDFium reads it, saved with a fresh cross-reference table; None if it can't."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None
    try:
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
    except pdfium.PdfiumError:
        return None
    finally:
        pdf.close()


def active_content(data: bytes) -> str | None:
    """The first action name found (``"JavaScript"``…), or None if the PDF is clean.

    Also returns :data:`TOO_DEEP` (limits exceeded), :data:`ENCRYPTED` or :data:`BROKEN`.
    A file whose cross-reference table pypdf cannot read (a damaged scan PDFium repairs) is
    checked as PDFium reads it: opened, saved with a fresh table, then walked.
    """
    found = _walked(data)
    if found != BROKEN:
        return found
    repaired = _repaired(data)
    return BROKEN if repaired is None else _walked(repaired)


def _walked(data: bytes) -> str | None:
    walk = _Walk()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns about repaired files
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    if not reader.decrypt(""):
                        return ENCRYPTED
                except (PyPdfError, NotImplementedError):
                    return ENCRYPTED
            hit = walk.found(reader.trailer)
            if hit:
                return hit
            for num, gen in _object_ids(reader):
                hit = walk.found(reader.get_object(IndirectObject(num, gen, reader)))
                if hit:
                    return hit
    except (_TooBig, LimitReachedError, RecursionError, MemoryError):
        return TOO_DEEP
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, OSError):
        return BROKEN
    return None
