"""Image-quality measures: MAE, PSNR and two SSIMs, on the whole image and a RoI.

- `ssim`: scikit-image's `structural_similarity` with its defaults (7×7 uniform window,
  channel_axis=2, data_range=1) — the one SSIM this project quotes by default.
- `ssim_simsg`: SIMSG's variant — 3×3 Gaussian window (σ = 1.5), zero padding, C1 = 0.01²,
  C2 = 0.03², mean over pixels and channels, images in [0, 1].
Both take float images in [0, 1]; the RoI protocol is SIMSG's: the changed object's box,
widened by 2 pixels and clipped to the image.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.metrics import peak_signal_noise_ratio, structural_similarity


def roi_box(bbox, width: int, height: int, widen: int = 2) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = bbox
    return (max(0, int(x0) - widen), max(0, int(y0) - widen), min(width, int(x1) + widen), min(height, int(y1) + widen))


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    win = min(7, *a.shape[:2])
    win -= 1 - win % 2  # odd, and no larger than the region
    if win < 3:
        return float("nan")
    return float(structural_similarity(a, b, channel_axis=2, data_range=1.0, win_size=win))


def _gauss3(x: np.ndarray) -> np.ndarray:
    g = np.exp(-(np.arange(3) - 1) ** 2 / (2 * 1.5**2))
    g /= g.sum()
    y = ndimage.correlate1d(x, g, axis=0, mode="constant")
    return ndimage.correlate1d(y, g, axis=1, mode="constant")


def ssim_simsg(a: np.ndarray, b: np.ndarray) -> float:
    C1, C2 = 0.01**2, 0.03**2
    a, b = a.astype(np.float64), b.astype(np.float64)
    mu_a, mu_b = _gauss3(a), _gauss3(b)
    s_aa = _gauss3(a * a) - mu_a**2
    s_bb = _gauss3(b * b) - mu_b**2
    s_ab = _gauss3(a * b) - mu_a * mu_b
    m = ((2 * mu_a * mu_b + C1) * (2 * s_ab + C2)) / ((mu_a**2 + mu_b**2 + C1) * (s_aa + s_bb + C2))
    return float(m.mean())


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    if np.array_equal(a, b):
        return float("inf")
    return float(peak_signal_noise_ratio(b, a, data_range=1.0))


def mae255(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.float64) - b).mean() * 255)


def scores(output: np.ndarray, truth: np.ndarray, bbox=None) -> dict:
    """All measures on the whole image, and on the RoI when a box is given."""
    out = {"mae": mae255(output, truth), "psnr": psnr(output, truth),
           "ssim": ssim(output, truth), "ssim_simsg": ssim_simsg(output, truth)}
    if bbox is not None:
        H, W = truth.shape[:2]
        x0, y0, x1, y1 = roi_box(bbox, W, H)
        o, t = output[y0:y1, x0:x1], truth[y0:y1, x0:x1]
        out.update(roi_mae=mae255(o, t), roi_psnr=psnr(o, t), roi_ssim=ssim(o, t), roi_ssim_simsg=ssim_simsg(o, t))
    return out
