"""Image-quality measures: MAE, PSNR, two SSIMs and GMSD, on the whole image and a RoI; and the
sharpness of a fill against its surroundings.

- `ssim`: scikit-image's `structural_similarity` with its defaults (7×7 uniform window,
  channel_axis=2, data_range=1) — the one SSIM this project quotes by default.
- `ssim_simsg`: SIMSG's variant — 3×3 Gaussian window (σ = 1.5), zero padding, C1 = 0.01²,
  C2 = 0.03², mean over pixels and channels, images in [0, 1].
- `gmsd`: Gradient Magnitude Similarity Deviation (Xue, Zhang, Mou, Bovik, IEEE TIP 2014), lower
  is better, 0 for identical images. SSIM on a filled hole rewards blur (a smooth guess is "close
  on average"); GMSD compares gradient magnitudes, so a fill that lost the truth's edges scores
  badly. As the authors' MATLAB code: luminance Y = 0.299R + 0.587G + 0.114B on [0, 255]; 2×2
  mean, keep every second pixel; Prewitt gradients (/3); GMS = (2·m1·m2 + c)/(m1² + m2² + c),
  c = 170; GMSD = the GMS map's standard deviation (MATLAB's std2: N − 1). On the whole image with
  the code's zero padding (conv2 'same'); on a RoI crop only where every filter sees real pixels
  (no padding), since the crop's borders are not image borders.
- `grad_ratio`: mean squared Sobel gradient magnitude of the output's luminance inside a hole over
  that in a ring around it (the hole dilated by max(3, half its equivalent radius) px, minus the
  hole). 1: as sharp as its surroundings; near 0: a flat or blurred fill; well above 1: busier
  (streaks, noise). No ground truth needed; the truth's own ratio (`truth_grad_ratio`) is the
  reference, since a hole may lie on an edge or a flat patch. The ring's pixels next to the hole,
  and the hole's next to the ring, see the seam.
All take float images in [0, 1]; the RoI protocol is SIMSG's: the changed object's box,
widened by 2 pixels and clipped to the image.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

# scikit-image's measures are imported where they are used: they are slow to import, and most
# pipeline jobs import this module only for roi_box (docs/benchmarks.md, make run's time).


def roi_box(bbox, width: int, height: int, widen: int = 2) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = bbox
    return (max(0, int(x0) - widen), max(0, int(y0) - widen), min(width, int(x1) + widen), min(height, int(y1) + widen))


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    win = min(7, *a.shape[:2])
    win -= 1 - win % 2  # odd, and no larger than the region
    if win < 3:
        return float("nan")
    from skimage.metrics import structural_similarity

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
    from skimage.metrics import peak_signal_noise_ratio

    return float(peak_signal_noise_ratio(b, a, data_range=1.0))


def mae255(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.float64) - b).mean() * 255)


def _luma(x: np.ndarray) -> np.ndarray:
    """Rec. 601 luminance, as float64 on the input's scale; a 2-D image is taken as grey already."""
    x = np.asarray(x, dtype=np.float64)
    return x[..., :3] @ np.array([0.299, 0.587, 0.114]) if x.ndim == 3 else x


GMSD_C = 170.0  # the paper's T, for images on [0, 255]


def _half(y: np.ndarray, valid: bool) -> np.ndarray:
    """MATLAB's conv2(Y, ones(2)/4, 'same')(1:2:end, 1:2:end): means of 2×2 blocks; an odd last
    row or column is zero-padded (official) or dropped (valid)."""
    h, w = y.shape
    y = y[:h - h % 2, :w - w % 2] if valid else np.pad(y, ((0, h % 2), (0, w % 2)))
    return y.reshape(y.shape[0] // 2, 2, y.shape[1] // 2, 2).mean(axis=(1, 3))


def _prewitt_magnitude(y: np.ndarray, valid: bool) -> np.ndarray:
    p = y if valid else np.pad(y, 1)
    gx = (p[:-2, :-2] + p[1:-1, :-2] + p[2:, :-2] - p[:-2, 2:] - p[1:-1, 2:] - p[2:, 2:]) / 3
    gy = (p[:-2, :-2] + p[:-2, 1:-1] + p[:-2, 2:] - p[2:, :-2] - p[2:, 1:-1] - p[2:, 2:]) / 3
    return np.hypot(gx, gy)


def gms_magnitude(x: np.ndarray, valid: bool = False) -> np.ndarray:
    """The gradient magnitude GMSD compares: Prewitt, on the 0–255 luminance at half resolution."""
    return _prewitt_magnitude(_half(_luma(x) * 255, valid), valid)


def gms_map(a: np.ndarray, b: np.ndarray, valid: bool = False) -> np.ndarray:
    """The gradient magnitude similarity map (half resolution) of two images in [0, 1]."""
    m1, m2 = gms_magnitude(a, valid), gms_magnitude(b, valid)
    return (2 * m1 * m2 + GMSD_C) / (m1**2 + m2**2 + GMSD_C)


def gmsd(a: np.ndarray, b: np.ndarray, valid: bool = False) -> float:
    """GMSD (lower is better); NaN when the region gives fewer than 3×3 GMS values."""
    g = gms_map(a, b, valid)
    if min(g.shape) < 3:
        return float("nan")
    return float(g.std(ddof=1))


def grad_ratio(image: np.ndarray, mask: np.ndarray) -> float:
    """Gradient energy inside the hole `mask` over that in a ring around it (module docstring);
    NaN for an empty hole, an empty ring, or a ring with no gradient."""
    m = np.asarray(mask)
    m = (m.any(axis=2) if m.ndim == 3 else m).astype(bool)
    if not m.any():
        return float("nan")
    r = max(3.0, 0.5 * np.sqrt(m.sum() / np.pi))
    ring = (ndimage.distance_transform_edt(~m) <= r) & ~m
    y = _luma(image)
    energy = ndimage.sobel(y, axis=0) ** 2 + ndimage.sobel(y, axis=1) ** 2
    around = energy[ring].mean() if ring.any() else 0.0
    return float(energy[m].mean() / around) if around > 0 else float("nan")


def scores(output: np.ndarray, truth: np.ndarray, bbox=None, mask=None) -> dict:
    """All measures on the whole image, on the RoI when a box is given, and the gradient ratio of
    the output and of the truth when the hole's mask is given."""
    out = {"mae": mae255(output, truth), "psnr": psnr(output, truth),
           "ssim": ssim(output, truth), "ssim_simsg": ssim_simsg(output, truth), "gmsd": gmsd(output, truth)}
    if bbox is not None:
        H, W = truth.shape[:2]
        x0, y0, x1, y1 = roi_box(bbox, W, H)
        o, t = output[y0:y1, x0:x1], truth[y0:y1, x0:x1]
        out.update(roi_mae=mae255(o, t), roi_psnr=psnr(o, t), roi_ssim=ssim(o, t), roi_ssim_simsg=ssim_simsg(o, t),
                   roi_gmsd=gmsd(o, t, valid=True))
    if mask is not None:  # the truth's own ratio is the reference: a hole may lie on an edge or a flat patch
        out.update(grad_ratio=grad_ratio(output, mask), truth_grad_ratio=grad_ratio(truth, mask))
    return out
