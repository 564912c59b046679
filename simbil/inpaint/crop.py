"""Work on a crop around the hole at a bounded resolution; paste back only the hole.

The cost of fitting a network then depends on the hole's size and the resolution bound, not on
the image's size.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy import ndimage


@dataclass(frozen=True)
class Crop:
    y0: int
    y1: int
    x0: int
    x1: int
    scale: float  # working resolution / full resolution (≤ 1)
    height: int  # working size
    width: int


def plan_crop(mask: np.ndarray, margin: float, max_side: int, min_margin: int = 8) -> Crop:
    """The hole's box widened by `margin` × its longer side (at least min_margin pixels) and
    clipped to the image; scaled down so that its longer side is at most max_side."""
    ys, xs = np.nonzero(mask)
    H, W = mask.shape
    side = max(ys.max() - ys.min() + 1, xs.max() - xs.min() + 1)
    m = max(min_margin, int(round(margin * side)))
    y0, y1 = max(0, ys.min() - m), min(H, ys.max() + 1 + m)
    x0, x1 = max(0, xs.min() - m), min(W, xs.max() + 1 + m)
    scale = min(1.0, max_side / max(y1 - y0, x1 - x0))
    return Crop(int(y0), int(y1), int(x0), int(x1), scale,
                max(1, int(round((y1 - y0) * scale))), max(1, int(round((x1 - x0) * scale))))


def take(image: np.ndarray, mask: np.ndarray, c: Crop) -> tuple[np.ndarray, np.ndarray]:
    """The crop at working resolution; a working pixel is hole if any of its pixels is."""
    img = image[c.y0:c.y1, c.x0:c.x1]
    hole = mask[c.y0:c.y1, c.x0:c.x1].astype(np.float32)
    if c.scale < 1:
        img = cv2.resize(img, (c.width, c.height), interpolation=cv2.INTER_AREA)
        hole = cv2.resize(hole, (c.width, c.height), interpolation=cv2.INTER_AREA)
    return img, hole > 0


def upsample(a: np.ndarray, c: Crop) -> np.ndarray:
    """An array at working resolution brought to the crop's full resolution (bicubic)."""
    if c.scale < 1:
        return cv2.resize(a, (c.x1 - c.x0, c.y1 - c.y0), interpolation=cv2.INTER_CUBIC)
    return a


def paste(image: np.ndarray, mask: np.ndarray, c: Crop, result: np.ndarray, seam: int = 2) -> np.ndarray:
    """Put the hole's pixels of `result` (working resolution) back into a copy of image.

    Pixels outside the hole are never changed. Within `seam` pixels of the hole's edge the
    result is blended with a Telea fill from the full-resolution edge, which hides the blur of
    upsampling."""
    out = image.copy()
    hole = mask[c.y0:c.y1, c.x0:c.x1]
    full = np.clip(upsample(result, c), 0, 1)
    if seam > 0:
        crop = image[c.y0:c.y1, c.x0:c.x1]
        edge = cv2.inpaint((np.clip(crop, 0, 1) * 255).astype(np.uint8), hole.astype(np.uint8), 3,
                           cv2.INPAINT_TELEA).astype(np.float32) / 255
        depth = ndimage.distance_transform_edt(hole)  # 1 on the hole's edge
        alpha = np.clip(depth / (seam + 1), 0, 1)[..., None]
        full = alpha * full + (1 - alpha) * edge
    region = out[c.y0:c.y1, c.x0:c.x1]
    region[hole] = full[hole]
    return out
