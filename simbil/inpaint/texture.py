"""How textured a hole's surroundings are: known pixels alone tell a photograph's hole from a
floor's (docs/benchmarks.md, a texture gate), and bgdip's confidence gate acts on the former only."""

from __future__ import annotations

import numpy as np
from scipy import ndimage


def ring_texture(image: np.ndarray, mask: np.ndarray, width: int = 8, sigma: float = 2.0) -> float:
    """Median, over the known pixels within `width` px of the hole, of |luma − its Gaussian blur
    (σ px)|, the blur taken over known pixels only."""
    y = image @ np.array([0.299, 0.587, 0.114], np.float32)
    known = (~mask).astype(np.float32)
    blur = ndimage.gaussian_filter(y * known, sigma) / np.maximum(ndimage.gaussian_filter(known, sigma), 1e-6)
    ring = ndimage.binary_dilation(mask, iterations=width) & ~mask
    return float(np.median(np.abs(y - blur)[ring])) if ring.any() else 0.0
