"""A page from a file: checked, normalised and compressed before it is stored.

:func:`prepare_pages` takes the bytes of a file the clerk chose, dropped or a scanner wrote
— an image (JPEG, PNG, TIFF incl. multi-page, WebP, BMP) or a PDF — and returns one
:class:`PreparedPage` per page. The content decides what the file is (its first bytes),
never the name: a text file renamed ``.jpg`` is refused, a PNG named ``.jpg`` is read.

Refused, with a Chinese :class:`ValidationError` on field ``"page"`` and nothing kept:
unknown or corrupt content; empty (0-byte) files; GIF (animations: save as JPG or PNG);
files that cannot be read (the reason in Chinese by errno); images over :data:`MAX_IMAGE_BYTES` or :data:`MAX_PIXELS`
(decompression bombs: the size is read from the header before any pixel is decoded);
PDFs over :data:`MAX_PDF_BYTES` (checked before parsing; :func:`read_upload` checks a
file's size before reading it), encrypted or broken PDFs, PDFs with active content
(:mod:`app.materials.pdfcheck`), more than :data:`MAX_PAGES` pages.

Normalised: EXIF orientation applied; grayscale (incl. 16-bit and float) stays gray (no
colour), everything else becomes RGB (transparency on white; every Pillow mode is mapped,
one that cannot be converted is refused with a message: :func:`_normal`); scaled down to fit 200 dpi A4 (:data:`PAGE_BOX`,
1654 × 2339 px, either orientation; never scaled up); PDFs rendered at 200 dpi (less if
the page is larger than A4). Stored as WebP, quality :data:`QUALITY` (75), measured on a
dense 34-row Chinese A4 form (tests/helpers/pages.py): clean 200 dpi scan 282 KB, 12 MP
document-camera capture scaled to 200 dpi 174 KB. JPEG did not fit: the same scan was
537 KB at quality 75 and still 452 KB at 60 (WebP keeps text edges at half the bytes; Qt
and Pillow read it; an archive PDF re-encodes). A page still over :data:`TARGET_BYTES`
(300 KB; dense colour photos) is encoded again at 60, then 45; still over, it is scaled
down step by step (× :data:`SHRINK_STEP`, 0.85) and encoded at 45 until it fits or its
short side reaches :data:`MIN_SHORT_SIDE` (1240 px, A4 at 150 dpi — text stays legible);
the smallest encoding is kept (a noisy colour photo page may stay over 300 KB at that
floor: pure colour noise 1.8 MB → 0.8 MB at 1240 × 1753 px). The thumbnail is
:data:`THUMB_WIDTH` (240) px wide, WebP quality 70, 10–20 KB.
"""

from __future__ import annotations

import hashlib
import io
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pypdfium2 as pdfium
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from app.errors import ValidationError
from app.materials.pdfcheck import BROKEN, ENCRYPTED, TOO_DEEP, active_content
from app.materials.straighten import straightened
from app.oserrors import reason

MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_IMAGE_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 80_000_000  # a 50-megapixel phone photo passes; Pillow warns at 89 M
MAX_PAGES = 50
DPI = 200
PAGE_BOX = (1654, 2339)  # A4 at 200 dpi, pixels (short side, long side)
QUALITY = 75
FALLBACK_QUALITIES = (60, 45)
SHRINK_STEP = 0.85  # each scaling step of a page still over TARGET_BYTES
MIN_SHORT_SIDE = 1240  # A4 at 150 dpi: pages are not scaled below this to fit the target
TARGET_BYTES = 300 * 1024
THUMB_WIDTH = 240
THUMB_QUALITY = 70
FIELD = "page"
_IMAGE_FORMATS = {"JPEG", "PNG", "TIFF", "WEBP", "BMP"}
_SIGNATURES = (
    (b"\xff\xd8\xff", "image"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"BM", "image"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


@dataclass(frozen=True)
class PreparedPage:
    """One page ready to store: WebP bytes, their SHA-256 (hex), size in pixels, thumbnail."""

    data: bytes
    sha256: str
    width: int
    height: int
    thumbnail: bytes
    thumb_sha256: str
    mime: str = "image/webp"
    source: str = ""  # the file it came from, for messages ("扫描件.pdf 第 2 页")


def refuse(message: str) -> ValidationError:
    """The refusal of a page (shown next to the material's pages)."""
    return ValidationError(message, FIELD)


def kind_of(data: bytes) -> str | None:
    """``"image"``, ``"pdf"``, ``"gif"`` (refused) or None, from the content's first bytes."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return next((kind for sig, kind in _SIGNATURES if data.startswith(sig)), None)


def read_upload(path: Path) -> bytes:
    """A chosen file's bytes; refused by its size before a byte is read.

    Raises ValidationError (field ``page``) for a file that cannot be read (the reason in
    Chinese by errno: a folder, missing, no permission — :mod:`app.oserrors`),
    is empty (0 bytes) or is too big.
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise refuse(f"无法读取文件 {path.name}：{reason(exc)}。") from exc
    if stat.S_ISDIR(info.st_mode):
        raise refuse(f"无法读取文件 {path.name}：{reason(IsADirectoryError())}。")
    size = info.st_size
    if size > max(MAX_PDF_BYTES, MAX_IMAGE_BYTES):
        raise refuse(
            f"文件 {path.name} 过大（{size / 1048576:.0f} MB），请重新扫描或拆分后再上传。"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:  # no permission, a file the scanner still holds
        raise refuse(f"无法读取文件 {path.name}：{reason(exc)}。") from exc
    if not data:
        raise refuse(empty(path.name))
    return data


def empty(name: str) -> str:
    """The message for a file of 0 bytes (a scan that failed, a copy that was cut short)."""
    return f"文件 {name} 是空文件（0 字节），请重新扫描或选择其他文件。"


def prepare_page(data: bytes, filename: str = "") -> PreparedPage:
    """The one page in ``data``; refused if the file has several (use :func:`prepare_pages`)."""
    pages = prepare_pages(data, filename)
    if len(pages) != 1:
        raise refuse(f"文件 {filename} 有 {len(pages)} 页，请按多页文件添加。")
    return pages[0]


def prepare_pages(
    data: bytes, filename: str = "", straighten: bool = False
) -> tuple[PreparedPage, ...]:
    """Every page of an image or PDF file, normalised (module docstring); or ValidationError.

    ``straighten``: crop each image to the sheet and make it upright
    (:func:`app.materials.straighten.straightened`) — for document-camera captures.
    """
    name = filename or "文件"
    if not data:
        raise refuse(empty(name))
    kind = kind_of(data)
    if kind == "gif":
        raise refuse(f"{name} 是 GIF 图片，不受支持，请另存为 JPG 或 PNG。")
    if kind == "pdf":
        return tuple(finish(img, f"{name} 第 {n} 页") for n, img in _pdf_pages(data, name))
    if kind == "image":
        frames = image_frames(data, name)
        if straighten:
            frames = [straightened(img).image for img in frames]
        return tuple(finish(img, name) for img in frames)
    raise refuse(f"{name} 不是图片或 PDF 文件（支持 JPG、PNG、TIFF、WebP、BMP、PDF）。")


def image_frames(data: bytes, name: str) -> list[Image.Image]:
    """The frames of an image file, EXIF-upright; ValidationError as :func:`prepare_pages`."""
    if len(data) > MAX_IMAGE_BYTES:
        raise refuse(f"图片 {name} 过大（超过 {MAX_IMAGE_BYTES // 1048576} MB）。")
    broken = refuse(f"图片 {name} 已损坏，无法打开，请重新拍摄或扫描。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.format not in _IMAGE_FORMATS:
                raise refuse(f"{name} 的图片格式不受支持（{img.format}）。")
            frames: list[Image.Image] = []
            for frame in ImageSequence.Iterator(img):
                if frame.width * frame.height > MAX_PIXELS:
                    raise refuse(
                        f"图片 {name} 像素过多（{frame.width}×{frame.height}），无法处理。"
                    )
                if len(frames) >= MAX_PAGES:
                    raise refuse(f"{name} 超过 {MAX_PAGES} 页，请拆分后再添加。")
                frame.load()
                frames.append(ImageOps.exif_transpose(frame.copy()))
            return frames
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise refuse(f"图片 {name} 像素过多，无法处理。") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise broken from exc


def _pdf_pages(data: bytes, name: str) -> list[tuple[int, Image.Image]]:
    if len(data) > MAX_PDF_BYTES:
        raise refuse(f"PDF {name} 过大（超过 {MAX_PDF_BYTES // 1048576} MB），请拆分后再上传。")
    found = active_content(data)
    if found == TOO_DEEP:
        raise refuse(f"PDF {name} 的内容异常庞大或嵌套过深，拒绝处理。")
    if found == ENCRYPTED:
        raise refuse(f"PDF {name} 已加密，请提供未加密的文件。")
    if found == BROKEN:
        raise refuse(f"PDF {name} 已损坏，无法打开。")
    if found:
        raise refuse(f"PDF {name} 含有脚本或自动操作（/{found}），为安全起见不予接收。")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise refuse(f"PDF {name} 已加密，请提供未加密的文件。") from exc
        raise refuse(f"PDF {name} 已损坏，无法打开。") from exc
    try:
        if len(pdf) == 0:
            raise refuse(f"PDF {name} 没有页面。")
        if len(pdf) > MAX_PAGES:
            raise refuse(f"PDF {name} 有 {len(pdf)} 页，超过 {MAX_PAGES} 页，请拆分后再上传。")
        out = []
        for index in range(len(pdf)):
            page = pdf[index]
            w_pt, h_pt = page.get_size()
            short, long_ = sorted((max(w_pt, 1.0), max(h_pt, 1.0)))
            scale = min(DPI / 72, PAGE_BOX[0] / short, PAGE_BOX[1] / long_)
            out.append((index + 1, page.render(scale=scale).to_pil()))
        return out
    except pdfium.PdfiumError as exc:
        raise refuse(f"PDF {name} 已损坏，无法读取页面。") from exc
    finally:
        pdf.close()


def _gray8(img: Image.Image) -> Image.Image:
    """A deep grayscale image (``I;16*``, ``I``, ``F``) mapped linearly onto 8-bit ``L``.

    16-bit modes span 0–65535; ``I`` and ``F`` are taken as 8-bit when all values fit
    0–255, as 16-bit when they fit 0–65535, else stretched from their darkest to their
    lightest value; ``F`` within 0–1 is taken as normalised (1.0 is white).
    """
    flt = img.convert("F")
    lo, hi = cast(tuple[float, float], flt.getextrema())  # mode F: one band
    if img.mode.startswith("I;16") or (lo >= 0 and 255 < hi <= 65535):
        scale, offset = 255 / 65535, 0.0
    elif img.mode == "F" and lo >= 0 and hi <= 1:
        scale, offset = 255.0, 0.0
    elif lo >= 0 and hi <= 255:
        scale, offset = 1.0, 0.0
    else:
        scale = 255 / (hi - lo) if hi > lo else 0.0
        offset = -lo * scale
    return flt.point(lambda v: v * scale + offset).convert("L")


def _on_white(img: Image.Image, mode: str) -> Image.Image:
    rgba = img.convert("RGBA")
    white = Image.new("RGB", rgba.size, "white")
    white.paste(rgba, mask=rgba.getchannel("A"))
    return white.convert(mode) if mode != "RGB" else white


def _normal(img: Image.Image, source: str = "") -> Image.Image:
    """Grayscale (``L``) or RGB on white, within :data:`PAGE_BOX` in its own orientation.

    Every Pillow mode is mapped: ``1``/``L`` → L; ``I;16*``/``I``/``F`` → L
    (:func:`_gray8`); ``LA`` → L on white; ``P``/``PA``/``RGBA``/``RGBa`` → RGB on white
    (a palette's transparency included); ``RGBX``/``CMYK``/``YCbCr``/``LAB``/``HSV`` → RGB.
    A mode Pillow cannot convert is refused: ValidationError (field ``page``).
    """
    mode = img.mode
    try:
        if mode in ("1", "L"):
            img = img.convert("L")
        elif mode == "F" or mode == "I" or mode.startswith("I;"):
            img = _gray8(img)
        elif mode == "LA":
            img = _on_white(img, "L")
        elif mode in ("P", "PA", "RGBA", "RGBa"):
            img = _on_white(img, "RGB")
        elif mode != "RGB":
            img = img.convert("RGB")
    except (ValueError, OSError) as exc:
        raise refuse(
            f"图片 {source or '文件'} 的颜色模式（{mode}）无法处理，请另存为 JPG 或 PNG 后再添加。"
        ) from exc
    short, long_ = PAGE_BOX
    box = (short, long_) if img.height >= img.width else (long_, short)
    if img.width > box[0] or img.height > box[1]:
        img = img.copy()
        img.thumbnail(box, Image.Resampling.LANCZOS)
    return img


def _encode(img: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    img.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()


def _fitted(img: Image.Image) -> tuple[Image.Image, bytes]:
    """``img`` (possibly scaled down) and its smallest encoding (module docstring's rule)."""
    data = _encode(img, QUALITY)
    for quality in FALLBACK_QUALITIES:
        if len(data) <= TARGET_BYTES:
            return img, data
        data = _encode(img, quality)
    best = (img, data)
    page = img
    while len(best[1]) > TARGET_BYTES and min(page.size) > MIN_SHORT_SIDE:
        factor = max(SHRINK_STEP, MIN_SHORT_SIDE / min(page.size))
        size = (max(1, round(page.width * factor)), max(1, round(page.height * factor)))
        page = img.resize(size, Image.Resampling.LANCZOS)  # from the original: one resampling
        data = _encode(page, FALLBACK_QUALITIES[-1])
        if len(data) < len(best[1]):
            best = (page, data)
    return best


def finish(raw: Image.Image, source: str) -> PreparedPage:
    """``raw`` normalised and encoded as a page (module docstring)."""
    img, data = _fitted(_normal(raw, source))
    thumb = img.copy()
    thumb.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 4), Image.Resampling.LANCZOS)
    small = _encode(thumb, THUMB_QUALITY)
    return PreparedPage(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        width=img.width,
        height=img.height,
        thumbnail=small,
        thumb_sha256=hashlib.sha256(small).hexdigest(),
        source=source,
    )


_TURNS = {
    1: Image.Transpose.ROTATE_270,
    2: Image.Transpose.ROTATE_180,
    3: Image.Transpose.ROTATE_90,
}


def rotated(page: PreparedPage, quarter_turns: int) -> PreparedPage:
    """``page`` turned clockwise by 90° × ``quarter_turns`` (negative: anticlockwise).

    Re-encoded as :func:`prepare_pages` does (new SHA-256 and thumbnail, same ``source``).
    Turn the page as it was prepared by the total wanted, not step by step: each
    re-encoding loses a little.
    """
    turns = quarter_turns % 4
    if not turns:
        return page
    with Image.open(io.BytesIO(page.data)) as img:
        img.load()
        turned = img.transpose(_TURNS[turns])
    return finish(turned, page.source)
