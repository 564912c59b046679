"""The biharmonic fill, solved in double precision.

scikit-image solves in its input's precision. The biharmonic system's conditioning worsens
with the hole's size as the fourth power, so in float32 a large hole comes out wrong (a dark
blob the hole's edge does not hold: docs/benchmarks.md, the biharmonic fill's precision).
Every fill and refill of the package goes through here.
"""

from __future__ import annotations

import numpy as np
from skimage.restoration import inpaint_biharmonic


def biharmonic_fill(img: np.ndarray, hole: np.ndarray) -> np.ndarray:
    """img (H, W, C) with its `hole` pixels filled biharmonically, as float32."""
    return inpaint_biharmonic(np.asarray(img, np.float64), hole, channel_axis=-1).astype(np.float32)
