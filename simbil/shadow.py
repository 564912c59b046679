"""An object's cast shadow, estimated from the image alone: floor next to the object that is
darker than the floor around it (its local median), keeping its colour, connected to the
object, on the side the darkness itself points to (away from the light), no larger than the
object. Used where the graph knows no shadow (photos); measured against the renderer's shadows
in benchmarks/shadow.py, where the settings' defaults come from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage


@dataclass(frozen=True)
class ShadowSettings:
    reach: float = 1.0  # search this many object sizes (sqrt of area) from the object
    darker: float = 0.08  # a shadow pixel is at least this much darker than the lit floor
    chroma: float = 0.06  # and its chromaticity within this of the floor's (shadows keep colour)
    smooth: int = 3  # median window over the candidates: drops speckle from texture
    touch: int = 1  # a shadow component must come within this many pixels of the object
    one_side: bool = True  # keep the half-plane the dark mass lies in (away from the light)
    grow: int = 2  # pixels added around the estimate: penumbra
    reference: str = "local"  # the lit floor: local (a percentile nearby) or plane (one fit to a ring)
    percentile: float = 50.0  # local: this percentile of the floor's luminance within two object sizes
    max_area: float = 1.0  # at most this × the object's area, nearest first: a visible shadow on
    # CLEVR-like scenes is ≤ 0.73× its object; more is someone else's shadow or dark floor


def luma(image: np.ndarray) -> np.ndarray:
    """Rec. 709 luminance of an RGB image (any scale, float64)."""
    return np.asarray(image, np.float64) @ np.array([0.2126, 0.7152, 0.0722])


def _luma_chroma(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rgb = np.clip(image.astype(np.float64), 0, 1) + 1e-3
    return luma(rgb), rgb / rgb.sum(axis=2, keepdims=True)


def _floor_fit(values: np.ndarray, ys: np.ndarray, xs: np.ndarray, rounds: int = 3) -> np.ndarray:
    """Robust plane a + b·x + c·y through the ring's log-luminance: each round drops the pixels
    well below the fit (the shadow itself and dark clutter), so the floor is what stays."""
    A = np.stack([np.ones_like(xs), xs, ys], axis=1).astype(np.float64)
    keep = np.ones(len(values), bool)
    coef = np.zeros(3)
    for _ in range(rounds):
        coef, *_ = np.linalg.lstsq(A[keep], values[keep], rcond=None)
        resid = values - A @ coef
        spread = max(1.4826 * np.median(np.abs(resid[keep])), 0.02)
        new = resid > -2.0 * spread
        if new.sum() < 10 or (new == keep).all():
            break
        keep = new
    return coef


def _local_floor(log_l: np.ndarray, chroma: np.ndarray, floor: np.ndarray, window: float,
                 percentile: float) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel, the lit floor around it: a percentile of the log-luminance and the median
    chromaticity of the floor pixels (`floor`) within `window` pixels, on a grid coarse enough
    that the window spans about 15 cells (cheap for any image size), resized back."""
    from skimage.transform import resize

    H, W = floor.shape
    f = max(1, int(window / 15))
    h, w = -(-H // f), -(-W // f)
    pad = ((0, h * f - H), (0, w * f - W))

    def coarse(x):  # mean over the floor pixels of each f×f cell; NaN where a cell has none
        xs = np.pad(np.where(floor, x, 0.0), pad).reshape(h, f, w, f).sum(axis=(1, 3))
        n = np.pad(floor.astype(float), pad).reshape(h, f, w, f).sum(axis=(1, 3))
        return np.where(n > 0, xs / np.maximum(n, 1), np.nan)

    size = 2 * int(window / f / 2) + 1
    lum = ndimage.generic_filter(coarse(log_l), lambda v: np.nanpercentile(v, percentile) if np.isfinite(v).any()
                                 else np.nan, size=size, mode="nearest")
    chr_ = np.stack([ndimage.generic_filter(coarse(chroma[..., c]), lambda v: np.nanmedian(v) if np.isfinite(v).any()
                                            else np.nan, size=size, mode="nearest") for c in range(3)], axis=2)
    lum = np.where(np.isfinite(lum), lum, np.nanmax(lum) if np.isfinite(lum).any() else 0.0)
    chr_ = np.where(np.isfinite(chr_), chr_, 1 / 3)
    return (resize(lum, (H, W), order=1, mode="edge"), resize(chr_, (H, W, 3), order=1, mode="edge"))


def estimate_shadow(image: np.ndarray, obj: np.ndarray, others: np.ndarray | None = None,
                    settings: ShadowSettings = ShadowSettings()) -> np.ndarray:
    """Boolean mask of the shadow cast by the object `obj` (bool H×W) in a float RGB image;
    `others` marks pixels of other objects, which are never shadow and never floor."""
    H, W = obj.shape
    if settings.reference not in ("local", "plane"):
        raise ValueError(f"reference must be local or plane, got {settings.reference!r}")
    if not obj.any():
        return np.zeros((H, W), bool)
    size = float(np.sqrt(obj.sum()))
    reach = max(4.0, settings.reach * size)
    dist = ndimage.distance_transform_edt(~obj)
    blocked = obj | (others if others is not None else False)
    zone = (dist > 0) & (dist <= reach) & ~blocked
    lum, chroma = _luma_chroma(image)
    log_l = np.log(lum)
    gy, gx = np.mgrid[0:H, 0:W]
    if settings.reference == "local":
        # only the neighbourhood matters: compute there, so the cost follows the object, not the image
        ys, xs = np.nonzero(dist <= 2 * reach)
        sl = (slice(ys.min(), ys.max() + 1), slice(xs.min(), xs.max() + 1))
        floor, floor_chroma = log_l.copy(), chroma.copy()
        floor[sl], floor_chroma[sl] = _local_floor(log_l[sl], chroma[sl], ~blocked[sl], 2 * reach, settings.percentile)
    else:  # one gentle plane through a ring of floor beyond the search zone
        ring = (dist > reach) & (dist <= 2 * reach) & ~blocked
        if ring.sum() < 20:
            ring = zone
        ys, xs = np.nonzero(ring)
        coef = _floor_fit(log_l[ring], ys / H, xs / W)
        floor = coef[0] + coef[1] * gx / W + coef[2] * gy / H
        floor_chroma = np.median(chroma[ring], axis=0)
    dark = (log_l - floor) < np.log(1.0 - settings.darker)
    same_colour = np.abs(chroma - floor_chroma).max(axis=2) < settings.chroma
    cand = zone & dark & same_colour
    if settings.smooth > 1:
        cand = ndimage.median_filter(cand.astype(np.uint8), settings.smooth).astype(bool) & zone
    near = ndimage.binary_dilation(obj, iterations=settings.touch)
    labels, n = ndimage.label(cand)
    if n == 0:
        return np.zeros((H, W), bool)
    touching = np.unique(labels[near & cand])
    cand = np.isin(labels, touching[touching > 0])
    if settings.one_side and cand.any():
        cy, cx = ndimage.center_of_mass(obj)
        sy, sx = np.nonzero(cand)
        depth = np.exp(floor[sy, sx] - log_l[sy, sx]) - 1.0  # how much darker: weights the direction
        d = np.array([np.sum(depth * (sx - cx)), np.sum(depth * (sy - cy))])
        if np.linalg.norm(d) > 0:
            d /= np.linalg.norm(d)
            cand &= ((gx - cx) * d[0] + (gy - cy) * d[1]) > -0.25 * size
    limit = settings.max_area * obj.sum()
    if cand.sum() > limit:
        cand &= dist <= np.sort(dist[cand])[int(limit)]
    if settings.grow:
        cand = ndimage.binary_dilation(cand, iterations=settings.grow) & ~blocked
    return cand
