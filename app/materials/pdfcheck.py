"""What a PDF is refused for before it is rendered: its size and active content.

A PDF at the counter is a scan or a downloaded certificate; it never needs to run code.
:func:`active_content` looks for the names that start actions — ``/JavaScript``, ``/JS``,
``/Launch``, ``/SubmitForm``, ``/ImportData``, ``/RichMedia`` — in the file's bytes and in
every Flate-compressed stream (object streams hide the catalog's ``/OpenAction`` and
``/Names`` there), with ``#xx`` escapes in names decoded (``/J#61vaScript``). A plain
``/OpenAction`` (open at page 1, fit width) is allowed; one that runs JavaScript names
``/JS`` and is refused. This is a conservative byte-level scan: it may refuse a harmless file
that merely names such an action, never the other way round within the decompression budget
(a file whose streams expand past it is refused as well).
"""

from __future__ import annotations

import re
import zlib

ACTIVE_NAMES = frozenset({"JavaScript", "JS", "Launch", "SubmitForm", "ImportData", "RichMedia"})
INFLATE_BUDGET = 64 * 1024 * 1024  # bytes of decompressed streams scanned, at most
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_STREAM = re.compile(rb"stream\r?\n")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
TOO_DEEP = "(压缩内容过大)"


def _names(chunk: bytes) -> str | None:
    for match in _NAME.finditer(chunk):
        raw = match.group(1)
        if b"#" in raw:
            raw = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        name = raw.decode("latin-1")
        if name in ACTIVE_NAMES:
            return name
    return None


def active_content(data: bytes) -> str | None:
    """The first action name found (``"JavaScript"``…), :data:`TOO_DEEP`, or None if clean."""
    found = _names(data)
    if found:
        return found
    budget = INFLATE_BUDGET
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        body = data[start : end if end >= 0 else len(data)]
        inflater = zlib.decompressobj()
        try:
            plain = inflater.decompress(body, budget + 1)
        except zlib.error:
            continue  # not Flate (images, fonts in other filters)
        if len(plain) > budget or inflater.unconsumed_tail:
            return TOO_DEEP
        budget -= len(plain)
        found = _names(plain)
        if found:
            return found
    return None
