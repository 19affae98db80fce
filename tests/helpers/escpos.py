"""Reading ESC/POS bytes back: the commands our slips use, parsed strictly.

No ESC/POS verifier exists in the registries (FACTS.md), so the tests parse the stream
themselves. An unknown command fails the parse: a test then sees bytes it did not expect.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

ESC, GS, FS = 0x1B, 0x1D, 0x1C
# (prefix, command byte) → number of parameter bytes that follow
_FIXED = {
    (ESC, ord("@")): 0,  # initialise
    (ESC, ord("a")): 1,  # justification
    (ESC, ord("!")): 1,  # print mode
    (ESC, ord("E")): 1,  # bold
    (ESC, ord("t")): 1,  # code table
    (ESC, ord("d")): 1,  # feed n lines
    (ESC, ord("-")): 1,  # underline
    (ESC, ord("M")): 1,  # font
    (ESC, ord("G")): 1,  # double strike
    (ESC, ord("{")): 1,  # upside down
    (GS, ord("!")): 1,  # character size
    (GS, ord("B")): 1,  # reverse
    (GS, ord("h")): 1,  # barcode height
    (GS, ord("w")): 1,  # barcode width
    (GS, ord("f")): 1,  # HRI font
    (GS, ord("H")): 1,  # HRI position
    (GS, ord("V")): 1,  # cut
}


@dataclass(frozen=True)
class Raster:
    """A GS v 0 image: ``width`` dots × ``height`` rows, 1 = black."""

    width: int
    height: int
    data: bytes

    def image(self) -> Image.Image:
        """As a Pillow image, white background, black dots."""
        img = Image.frombytes("1", (self.width, self.height), self.data)
        return Image.eval(img.convert("L"), lambda v: 255 - v)

    def black(self) -> int:
        """How many dots are black."""
        return sum(bin(b).count("1") for b in self.data)


@dataclass(frozen=True)
class Slip:
    """What a slip's bytes hold, in order of appearance."""

    chinese: list[bytes]  # the bytes between each FS & and its FS .
    rasters: list[Raster]
    text: list[bytes]  # bytes printed outside Chinese mode
    barcodes: list[bytes]
    cut: bool


def parse(data: bytes) -> Slip:
    """Split ``data`` into its parts; AssertionError on anything not understood."""
    chinese: list[bytes] = []
    rasters: list[Raster] = []
    text: list[bytes] = []
    barcodes: list[bytes] = []
    cut = False
    i = 0
    while i < len(data):
        b = data[i]
        if b == FS and data[i + 1] == ord("&"):
            end = data.index(bytes([FS, ord(".")]), i + 2)
            chinese.append(data[i + 2 : end])
            i = end + 2
        elif b == FS:
            raise AssertionError(f"unexpected FS command at {i}: {data[i : i + 4]!r}")
        elif b == GS and data[i + 1] == ord("v") and data[i + 2] == ord("0"):
            x_bytes = data[i + 4] + 256 * data[i + 5]
            rows = data[i + 6] + 256 * data[i + 7]
            start = i + 8
            rasters.append(Raster(8 * x_bytes, rows, data[start : start + x_bytes * rows]))
            i = start + x_bytes * rows
        elif b == GS and data[i + 1] == ord("k"):
            assert data[i + 2] >= 65, "only GS k m n d1…dn (m ≥ 65) is used"
            n = data[i + 3]
            barcodes.append(data[i + 4 : i + 4 + n])
            i += 4 + n
        elif b in (ESC, GS):
            key = (b, data[i + 1])
            assert key in _FIXED, f"unknown command at {i}: {data[i : i + 4]!r}"
            if key == (GS, ord("V")):
                cut = True
            i += 2 + _FIXED[key]
        else:
            end = i
            while end < len(data) and data[end] not in (ESC, GS, FS):
                end += 1
            text.append(data[i:end])
            i = end
    return Slip(chinese, rasters, text, barcodes, cut)


def four_byte_sequences(chinese: bytes) -> list[bytes]:
    """GB18030 four-byte sequences in bytes a two-byte Chinese mode would read.

    Such a mode takes a byte ≥ 0x81 with the next byte as one character; a four-byte
    sequence is a lead byte followed by a digit byte (0x30–0x39).
    """
    found = []
    i = 0
    while i < len(chinese):
        if chinese[i] < 0x81:
            i += 1
        elif 0x30 <= chinese[i + 1] <= 0x39:
            found.append(chinese[i : i + 4])
            i += 4
        else:
            i += 2
    return found
