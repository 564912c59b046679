"""Hidden parts: an object that another, nearer one partly hid in the source is completed before
it moves, so that it does not arrive with a bite out of it. A bank exemplar of the same kind is
fitted to the part that shows — the scale and place at which its silhouette covers every visible
pixel and reaches beyond them only under the occluders — and lends its pixels, matched to the
object's colour, where the occluder was (and along it, where the two mix)."""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from .bank import Bank
from .masks import object_mask

MIN_HIDDEN = 0.03  # an occluder covering less than this share of the fitted silhouette is ignored
BORDER = 2  # px of the object along an occluder that are taken from the exemplar too


def occluders(g: dict, graph_path: str, obj: dict, own: np.ndarray) -> np.ndarray:
    """Pixels of the objects standing nearer the camera (floor contact lower in the image) that
    touch the object's outline: what may hide part of it."""
    touch = ndimage.binary_dilation(own, iterations=2)
    out = np.zeros_like(own)
    for o in g["objects"]:
        if o["id"] == obj["id"] or not o.get("mask") or not o.get("bbox") or o["bbox"][3] <= obj["bbox"][3]:
            continue
        m = object_mask(graph_path, g, o)
        if (m & touch).any():
            out |= m
    return out


def _corr(a: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Cross-correlation of a with kernel at every offset where kernel lies inside a."""
    from scipy.signal import fftconvolve  # here: slow to import, and most edit jobs never get here

    return fftconvolve(a, kernel[::-1, ::-1], mode="valid")


def fit_silhouette(visible: np.ndarray, hidden_ok: np.ndarray, alpha: np.ndarray, heights) -> tuple | None:
    """Best (score, height, y, x) placing the exemplar silhouette `alpha` (scaled to each height) in
    the window: covering the visible pixels, reaching beyond them only where hidden_ok."""
    best = None
    v, allowed = visible.astype(float), (visible | hidden_ok).astype(float)
    for h in heights:
        w = max(2, round(alpha.shape[1] * h / alpha.shape[0]))
        if h > visible.shape[0] or w > visible.shape[1]:
            continue
        e = np.asarray(Image.fromarray((alpha * 255).astype(np.uint8)).resize((w, h), Image.BILINEAR)) > 127
        e = e.astype(float)
        # missed visible pixels + silhouette outside what may be hidden, at every offset
        cost = (v.sum() - _corr(v, e)) + (e.sum() - _corr(allowed, e))
        y, x = np.unravel_index(np.argmin(cost), cost.shape)
        if best is None or cost[y, x] < best[0]:
            best = (float(cost[y, x]), h, int(y), int(x))
    return best


def complete(image: np.ndarray, own: np.ndarray, hidden_by: np.ndarray, bank: str, obj: dict):
    """(rgb, mask) of the object with its hidden part filled from the best-fitting exemplar of
    its kind, or None when nothing of it is hidden, the bank has nothing of its kind or no fit
    is found."""
    if not (ndimage.binary_dilation(own, iterations=2) & hidden_by).any():
        return None
    ys, xs = np.nonzero(own)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    h = y1 - y0
    H, W = own.shape
    wy0, wy1 = max(0, y0 - h // 2), min(H, y1 + h // 2)
    wx0, wx1 = max(0, x0 - h // 2), min(W, x1 + h // 2)
    # the object's own pixels along the occluder mix in its colour (anti-aliasing): redone too
    border = own & ndimage.binary_dilation(hidden_by, iterations=BORDER)
    vis = (own & ~border)[wy0:wy1, wx0:wx1]
    occ = (hidden_by | border)[wy0:wy1, wx0:wx1] & ~vis
    b = Bank(bank)
    if not b.has(obj["name"]):  # the bank holds no such thing (a rocket): nothing to lend
        return None
    entry, rgba = b.pick(obj["name"], obj.get("attributes") or {}, obj["bbox"])
    fit = fit_silhouette(vis, occ, rgba[..., 3], range(max(4, h - 2), min(wy1 - wy0, int(1.6 * h)) + 1, 2))
    if fit is None:
        return None
    _, fh, fy, fx = fit
    fw = max(2, round(rgba.shape[1] * fh / rgba.shape[0]))
    ex = np.asarray(Image.fromarray((np.clip(rgba, 0, 1) * 255).astype(np.uint8), "RGBA").resize((fw, fh), Image.BILINEAR),
                    np.float32) / 255
    sil = np.zeros(vis.shape, bool)
    sil[fy:fy + fh, fx:fx + fw] = ex[..., 3] > 0.5
    hidden = sil & occ
    if hidden.sum() < MIN_HIDDEN * sil.sum():
        return None
    ex_rgb = np.zeros(vis.shape + (3,), np.float32)
    ex_rgb[fy:fy + fh, fx:fx + fw] = ex[..., :3]
    both = sil & vis  # match the exemplar's colour to the object's where both show
    gain = image[wy0:wy1, wx0:wx1][both].mean(axis=0) / np.maximum(ex_rgb[both].mean(axis=0), 1e-3) if both.any() else 1.0
    rgb, mask = image.copy(), own.copy()
    region = (slice(wy0, wy1), slice(wx0, wx1))
    rgb[region][hidden] = np.clip(ex_rgb[hidden] * gain, 0, 1)
    mask[region] |= hidden
    return rgb, mask
