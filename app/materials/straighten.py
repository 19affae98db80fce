"""Auto-crop and deskew of a document-camera capture (自动裁边纠偏), with OpenCV.

A document camera (高拍仪) sees the paper on its base, a little turned, with the base
around it. :func:`straightened` finds the sheet's four corners and maps them to an upright
rectangle (a perspective warp), so the page stored is the paper alone; where no sheet
stands out from the base (a white page on a white base, a photo that fills the frame) it
straightens the text lines instead, by at most :data:`MAX_SKEW_DEG`; where neither is
found, it returns the picture unchanged — never worse than the capture.

Library: OpenCV (``opencv-python-headless``, the maintained imaging library halls' capture
software is built on): edges (Canny), contours, polygon approximation, perspective and
affine warps. Detection runs on a copy scaled to :data:`DETECT_SIDE` px; the warp on the
full picture. Applied to camera captures (and ID card sides), not to files: a scanner's
output is straight already.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

DETECT_SIDE = 1000  # px: the long side of the copy the corners are looked for on
MIN_SIDE = 64  # px: a picture narrower than this is left as it is
MIN_SHEET_SHARE = 0.12  # a sheet covers at least this share of the frame …
MAX_SHEET_SHARE = 0.97  # … and less than this (more: the picture is the sheet already)
MIN_CONTRAST = 40.0  # grey levels between the sheet and the base around it
MAX_SKEW_DEG = 10.0  # text lines straightened by at most this much
MIN_SKEW_DEG = 0.3  # below this, leave the picture alone (re-sampling costs sharpness)

Points = NDArray[np.float32]
Pixels = NDArray[Any]  # cv2 images: uint8, H×W or H×W×3


@dataclass(frozen=True)
class Straightened:
    """The picture to keep and what was done: ``"cropped"``, ``"deskewed"`` or ``""``."""

    image: Image.Image
    done: str


def straightened(img: Image.Image) -> Straightened:
    """``img`` cropped to the sheet and made upright, or deskewed, or as it was.

    ``img``: any Pillow image (converted to RGB or kept as L). Never raises for a picture
    it cannot make sense of; returns it unchanged (``done == ""``).
    """
    if min(img.size) < MIN_SIDE:  # a sliver: nothing to find on it
        return Straightened(img, "")
    pixels = np.asarray(img.convert("RGB") if img.mode not in ("RGB", "L") else img)
    gray = pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    try:
        corners = sheet_corners(gray)
        if corners is not None:
            return Straightened(Image.fromarray(_warp(pixels, corners)), "cropped")
        angle = text_skew(gray)
        if angle is not None:
            return Straightened(Image.fromarray(_rotate(pixels, angle)), "deskewed")
    except cv2.error:  # a shape OpenCV cannot work on: keep the picture as it came
        pass
    return Straightened(img, "")


def sheet_corners(gray: Pixels) -> Points | None:
    """The sheet's corners in ``gray`` (top-left, top-right, bottom-right, bottom-left;
    pixels, float32 4×2), or None when no four-sided sheet stands out."""
    scale = DETECT_SIDE / max(gray.shape)
    small = cv2.resize(
        gray, None, fx=min(scale, 1.0), fy=min(scale, 1.0), interpolation=cv2.INTER_AREA
    )
    area = float(small.shape[0] * small.shape[1])
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _t, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    edges = cv2.dilate(cv2.Canny(blurred, 40, 120), np.ones((3, 3), np.uint8))
    for mask in (bright, edges):
        contours, _h = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        if not contours:
            continue
        # The sheet is the largest thing in the picture; a table drawn on it is not.
        hull = cv2.convexHull(max(contours, key=cv2.contourArea))
        share = cv2.contourArea(hull) / area
        if share >= MAX_SHEET_SHARE:
            return None  # the picture is the sheet already
        if share < MIN_SHEET_SHARE:
            continue
        quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(quad) == 4 and _stands_out(small, quad):
            return _ordered(quad.reshape(4, 2).astype(np.float32) / min(scale, 1.0))
    return None


def _stands_out(small: Pixels, quad: Pixels) -> bool:
    """The sheet is clearly lighter than what lies around it (a base, not more paper)."""
    inside = np.zeros(small.shape, np.uint8)
    cv2.fillConvexPoly(inside, quad.reshape(-1, 2).astype(np.int32), 255)
    outside = cv2.erode(cv2.bitwise_not(inside), np.ones((9, 9), np.uint8))
    if not outside.any():
        return False
    return float(cv2.mean(small, inside)[0]) - float(cv2.mean(small, outside)[0]) >= MIN_CONTRAST


def text_skew(gray: Pixels) -> float | None:
    """The angle (degrees, anticlockwise positive) that makes the text lines level, if it
    is between :data:`MIN_SKEW_DEG` and :data:`MAX_SKEW_DEG`; else None."""
    scale = DETECT_SIDE / max(gray.shape)
    small = cv2.resize(
        gray, None, fx=min(scale, 1.0), fy=min(scale, 1.0), interpolation=cv2.INTER_AREA
    )
    if float(np.median(small)) < 150:  # not a light page with dark print
        return None
    _t, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    # Smear the characters into lines; with the table rules of a form, every long thin
    # shape is a line whose slant is the page's.
    lines = cv2.morphologyEx(
        ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 1))
    )
    contours, _h = cv2.findContours(lines, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    angles: list[float] = []
    weights: list[float] = []
    for contour in contours:
        angle, length, thickness = _long_side(contour)
        if length < small.shape[1] * 0.15 or thickness > length / 4:
            continue  # not a line
        if abs(angle) <= MAX_SKEW_DEG:
            angles.append(angle)
            weights.append(length)
    if len(angles) < 3:
        return None
    skew = float(np.average(angles, weights=weights))
    return skew if MIN_SKEW_DEG <= abs(skew) <= MAX_SKEW_DEG else None


def _long_side(contour: Pixels) -> tuple[float, float, float]:
    """The slant of a shape's long side (degrees, image coordinates: y down, so a line
    rising to the right is negative — the angle :func:`_rotate` takes to level it), its
    length and the short side's length."""
    box = cv2.boxPoints(cv2.minAreaRect(contour))
    a, b, c = box[0], box[1], box[2]
    first, second = b - a, c - b
    side, other = (first, second) if np.hypot(*first) >= np.hypot(*second) else (second, first)
    angle = float(np.degrees(np.arctan2(side[1], side[0])))
    angle = (angle + 90.0) % 180.0 - 90.0  # a line has no direction: (-90, 90]
    return angle, float(np.hypot(*side)), float(np.hypot(*other))


def _ordered(quad: Points) -> Points:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    sums, diffs = quad.sum(axis=1), np.diff(quad, axis=1).ravel()
    return np.array(
        [
            quad[np.argmin(sums)],
            quad[np.argmin(diffs)],
            quad[np.argmax(sums)],
            quad[np.argmax(diffs)],
        ],
        dtype=np.float32,
    )


def _warp(pixels: Pixels, corners: Points) -> Pixels:
    tl, tr, br, bl = corners
    width = round(float(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = round(float(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    target = np.array(
        [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32
    )
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(pixels, matrix, (width, height), flags=cv2.INTER_LINEAR)


def _rotate(pixels: Pixels, angle: float) -> Pixels:
    height, width = pixels.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    white = 255 if pixels.ndim == 2 else (255, 255, 255)
    return cv2.warpAffine(
        pixels, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=white
    )
