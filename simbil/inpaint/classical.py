"""Classical peers: OpenCV's Telea and Navier–Stokes, scikit-image's biharmonic.

Each works on a crop around the hole with context (the same planning as the networks), since
the hole's surroundings are all any of them reads; this keeps large images cheap.
"""

from __future__ import annotations

import cv2
import numpy as np
from skimage.restoration import inpaint_biharmonic

from . import crop as cropping

CONTEXT = 1.0  # crop margin, × the hole's longer side


def _cropped(fill):
    def run(image: np.ndarray, mask: np.ndarray, **settings) -> np.ndarray:
        c = cropping.plan_crop(mask, settings.pop("crop_margin", CONTEXT), max_side=10**9)
        img, hole = cropping.take(image, mask, c)
        result = fill(img, hole, **settings)
        return cropping.paste(image, mask, c, result, seam=0)
    return run


def _opencv(flag):
    def fill(img, hole, radius: int = 3):
        u8 = (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
        return cv2.inpaint(u8, hole.astype(np.uint8), radius, flag).astype(np.float32) / 255
    return fill


def _biharmonic(img, hole):
    return inpaint_biharmonic(img, hole, channel_axis=-1).astype(np.float32)


telea = _cropped(_opencv(cv2.INPAINT_TELEA))
ns = _cropped(_opencv(cv2.INPAINT_NS))
biharmonic = _cropped(_biharmonic)

