"""Classical peers: OpenCV's Telea and Navier–Stokes, scikit-image's biharmonic.

Each works on a crop around the hole with context (the same planning as the networks), since
the hole's surroundings are all any of them reads; this keeps large images cheap.
"""

from __future__ import annotations

import cv2
import numpy as np

from . import crop as cropping
from .harmonic import biharmonic_fill
from .registry import register
from .settings import BiharmonicSettings, OpenCVSettings


def _cropped(image: np.ndarray, mask: np.ndarray, margin: float, fill) -> np.ndarray:
    c = cropping.plan_crop(mask, margin, max_side=10**9)
    img, hole = cropping.take(image, mask, c)
    return cropping.paste(image, mask, c, fill(img, hole), seam=0)


def _opencv(flag):
    def run(image, mask, s: OpenCVSettings, progress=None):
        def fill(img, hole):
            u8 = (np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8)
            return cv2.inpaint(u8, hole.astype(np.uint8), s.radius, flag).astype(np.float32) / 255
        return _cropped(image, mask, s.crop_margin, fill)
    return run


def biharmonic(image, mask, s: BiharmonicSettings, progress=None):
    return _cropped(image, mask, s.crop_margin, biharmonic_fill)


telea = register("telea", OpenCVSettings())(_opencv(cv2.INPAINT_TELEA))
ns = register("ns", OpenCVSettings())(_opencv(cv2.INPAINT_NS))
register("biharmonic", BiharmonicSettings())(biharmonic)
