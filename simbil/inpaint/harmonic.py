"""The biharmonic fill, solved in double precision.

scikit-image solves in its input's precision. The biharmonic system's conditioning worsens
with the hole's size as the fourth power, so in float32 a large hole comes out wrong (a dark
blob the hole's edge does not hold: docs/benchmarks.md, the biharmonic fill's precision).
Every fill and refill of the package goes through here.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.restoration import inpaint_biharmonic


def biharmonic_fill(img: np.ndarray, hole: np.ndarray, smooth: float = 0.0) -> np.ndarray:
    """img (H, W, C) with its `hole` pixels filled biharmonically, as float32. smooth > 0: the fill
    is solved from the known pixels averaged by a Gaussian of that σ (px) over known pixels only,
    so that their pixel noise is not carried into the hole; the known pixels are returned as given."""
    img = np.asarray(img, np.float64)
    src = img
    if smooth:
        known = (~hole).astype(np.float64)
        weight = ndimage.gaussian_filter(known, smooth)[..., None]
        src = ndimage.gaussian_filter(img * known[..., None], (smooth, smooth, 0)) / np.maximum(weight, 1e-12)
        src[hole] = 0.0
    out = inpaint_biharmonic(src, hole, channel_axis=-1)
    if smooth:
        out[~hole] = img[~hole]
    return out.astype(np.float32)
