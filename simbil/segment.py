"""Box-prompted segmentation for images without masks: OpenCV's GrabCut inside the box, then the
clean-up measured in benchmarks/segment.py (largest component, holes filled)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy import ndimage

from .errors import UserError
from .settings import Settings, setting


class SegmentError(UserError, ValueError):
    """A box or image that cannot be segmented; the message says what is wrong."""


@dataclass(frozen=True)
class SegmentSettings(Settings):
    iterations: int = setting(5, low=1, high=100)  # GrabCut's EM rounds
    # pixels added around the box: a user's box often clips the object's edge
    pad: int = setting(2, low=0, high=10_000)
    # keep components of at least this share of the largest one's area: drops the specks GrabCut
    # keeps in a box's corners (1: the largest alone; 0: all)
    component_share: float = setting(0.1, low=0, high=1)
    fill_holes: bool = setting(True)  # highlights and dark stripes inside the object belong to it


def check_box(box, width: int, height: int) -> tuple[int, int, int, int]:
    try:
        x0, y0, x1, y1 = (int(round(float(v))) for v in box)
    except (TypeError, ValueError, OverflowError):  # OverflowError: inf or 1e400
        raise SegmentError(f"box must be four numbers x0,y0,x1,y1, finite, got {box!r}") from None
    if x1 <= x0 or y1 <= y0:
        raise SegmentError(f"box {[x0, y0, x1, y1]} has zero or negative size")
    if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
        raise SegmentError(f"box {[x0, y0, x1, y1]} lies outside the {width}x{height} image")
    if x1 - x0 < 3 or y1 - y0 < 3:
        raise SegmentError(f"box {[x0, y0, x1, y1]} is too small to segment (under 3 px)")
    return x0, y0, x1, y1


def segment(image: np.ndarray, box, settings: SegmentSettings = SegmentSettings(), seed: int = 0) -> np.ndarray:
    """Boolean mask of the object inside box (xyxy pixels, x1/y1 exclusive) of a float RGB image."""
    H, W = image.shape[:2]
    x0, y0, x1, y1 = check_box(box, W, H)
    x0, y0 = max(0, x0 - settings.pad), max(0, y0 - settings.pad)
    x1, y1 = min(W, x1 + settings.pad), min(H, y1 + settings.pad)
    if (x1 - x0) * (y1 - y0) >= 0.98 * W * H:
        raise SegmentError("the box covers the whole image: GrabCut needs background outside it")
    bgr = cv2.cvtColor((np.clip(image, 0, 1) * 255).astype(np.uint8), cv2.COLOR_RGB2BGR)
    mask = np.zeros((H, W), np.uint8)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(seed)
    cv2.grabCut(bgr, mask, (x0, y0, x1 - x0, y1 - y0), bgd, fgd, settings.iterations, cv2.GC_INIT_WITH_RECT)
    fg = (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)
    if settings.component_share > 0 and fg.any():
        labels, n = ndimage.label(fg)
        if n > 1:
            areas = np.bincount(labels.ravel())[1:]
            fg = np.isin(labels, 1 + np.nonzero(areas >= settings.component_share * areas.max())[0])
    if settings.fill_holes:
        fg = ndimage.binary_fill_holes(fg)
    return fg
