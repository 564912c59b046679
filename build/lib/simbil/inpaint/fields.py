"""The background fields and the low-pass filter of bgdip's guidances (simbil/inpaint/dip.py)."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage


def background_field(img: np.ndarray, known: np.ndarray, sigma: float) -> np.ndarray:
    """The local average of known pixels: normalised Gaussian convolution, widened until it
    reaches every pixel of the hole."""
    w = known.astype(np.float32)
    out = np.zeros_like(img)
    todo = np.ones(known.shape, bool)
    s = sigma
    while todo.any():
        den = ndimage.gaussian_filter(w, s, mode="reflect", truncate=3)
        num = np.stack([ndimage.gaussian_filter(img[..., c] * w, s, mode="reflect", truncate=3)
                        for c in range(img.shape[2])], axis=-1)
        ok = todo & (den > 1e-3)
        out[ok] = num[ok] / den[ok, None]
        todo &= ~ok
        s *= 2
    return out


def gauss_kernel(sigma: float, channels: int, device) -> torch.Tensor:
    r = max(1, int(math.ceil(2.5 * sigma)))
    x = torch.arange(-r, r + 1, dtype=torch.float32, device=device)
    g = torch.exp(-(x**2) / (2 * sigma**2))
    return (g / g.sum()).expand(channels, 1, 1, -1).contiguous()


def lowpass(x: torch.Tensor, kernel: torch.Tensor) -> torch.Tensor:
    """Separable Gaussian blur with reflected borders (two 1-D passes: cheap for wide σ)."""
    r = kernel.shape[-1] // 2
    c = x.shape[1]
    r_h, r_v = min(r, x.shape[3] - 1), min(r, x.shape[2] - 1)
    kh = kernel[..., r - r_h:r + r_h + 1]
    kv = kernel[..., r - r_v:r + r_v + 1].transpose(2, 3)
    y = F.conv2d(F.pad(x, (r_h, r_h, 0, 0), mode="reflect"), kh, groups=c)
    return F.conv2d(F.pad(y, (0, 0, r_v, r_v), mode="reflect"), kv, groups=c)
