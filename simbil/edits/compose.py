"""Compositing an edit: put the object's new pixels in place, then let the inpainter fill what
the edit uncovered and, when harmonising, the seam around what it placed — in one fit."""

from __future__ import annotations

from typing import Callable

import numpy as np
from PIL import Image
from scipy import ndimage

from ..clevr.properties import COLORS
from ..inpaint import InpaintError

Fill = Callable[[np.ndarray, np.ndarray], np.ndarray]
SEAM_OUT, SEAM_IN = 2, 1  # pixels re-made around a placed object: outside it, inside its edge


def fit_into_box(rgba: np.ndarray, box, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Scale an RGBA crop to the box's height (its own aspect kept), centred on the box's centre
    x and standing on its bottom; return full-size (rgb, alpha)."""
    h = max(2, int(round(box[3] - box[1])))
    w = max(2, int(round(rgba.shape[1] * h / rgba.shape[0])))
    im = Image.fromarray((np.clip(rgba, 0, 1) * 255).astype(np.uint8), "RGBA").resize((w, h), Image.BICUBIC)
    a = np.asarray(im, np.float32) / 255
    x0 = int(round((box[0] + box[2]) / 2 - w / 2))
    y0 = int(round(box[3])) - h
    rgb, alpha = np.zeros((height, width, 3), np.float32), np.zeros((height, width), np.float32)
    ys, xs = slice(max(0, y0), min(height, y0 + h)), slice(max(0, x0), min(width, x0 + w))
    part = a[ys.start - y0:ys.stop - y0, xs.start - x0:xs.stop - x0]
    rgb[ys, xs], alpha[ys, xs] = part[..., :3], part[..., 3]
    return rgb, alpha


def fit_to_outline(rgba: np.ndarray, outline: np.ndarray) -> np.ndarray:
    """An RGBA crop's look stretched onto an object's own outline (its box to the outline's box),
    full-size rgb; where the crop is not covered (a cube turned another way), its nearest
    covered pixel."""
    ys, xs = np.nonzero(outline)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    im = Image.fromarray((np.clip(rgba, 0, 1) * 255).astype(np.uint8), "RGBA").resize((x1 - x0, y1 - y0), Image.BICUBIC)
    a = np.asarray(im, np.float32) / 255
    _, (iy, ix) = ndimage.distance_transform_edt(a[..., 3] <= 0.5, return_indices=True)
    rgb = np.zeros(outline.shape + (3,), np.float32)
    rgb[y0:y1, x0:x1] = a[..., :3][iy, ix]
    return rgb


def crop_object(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The object's own pixels as an RGBA crop (for a move). Where it is transparent its colour is
    its nearest own pixel's, so that scaling it does not bleed what stood around it (an occluder's
    red) into its edge."""
    ys, xs = np.nonzero(mask)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    m = mask[y0:y1, x0:x1]
    _, (iy, ix) = ndimage.distance_transform_edt(~m, return_indices=True)
    return np.dstack([image[y0:y1, x0:x1][iy, ix], m.astype(np.float32)])


def behind(alpha: np.ndarray, nearer: list[np.ndarray]) -> np.ndarray:
    """The placed object's alpha with the pixels of nearer objects taken out: they keep theirs."""
    alpha = alpha.copy()
    for m in nearer:
        alpha[m] = 0.0
    return alpha


def chromaticity(rgb: np.ndarray) -> np.ndarray:
    """Colour without its brightness: each pixel over the sum of its channels."""
    return rgb / np.maximum(rgb.sum(axis=-1, keepdims=True), 1e-3)


def recolour(image: np.ndarray, mask: np.ndarray, old: str, new: str, spread: float = 0.08) -> np.ndarray:
    """Change the albedo under the shading: each pixel moves by (new − old colour) times its
    shading (its luminance over the old colour's) — weighted by how close the pixel's
    chromaticity is to the old colour's, so highlights, chrome and dark rubber stay as they are."""
    c_old, c_new = (np.asarray(COLORS[c], np.float32) / 255 for c in (old, new))
    lum = lambda c: c @ np.array([0.299, 0.587, 0.114], np.float32)
    px = image[mask]
    shade = lum(px) / max(float(lum(c_old)), 1e-3)
    near = np.exp(-(((chromaticity(px) - chromaticity(c_old)) ** 2).sum(axis=1)) / (2 * spread**2))
    out = image.copy()
    out[mask] = np.clip(px + (near * shade)[:, None] * (c_new - c_old), 0, 1)
    return out


def unmatte_edge(source: np.ndarray, background: np.ndarray, rgb: np.ndarray, inside: np.ndarray,
                 ring: np.ndarray) -> np.ndarray:
    """background with the object changed in place (rgb on `inside`) and the anti-aliased ring
    around its outline re-mixed: a ring pixel of the source is a mix a·old + (1−a)·background,
    `old` the nearest pixel inside; solve for the coverage a and put a·new + (1−a)·background,
    `new` rgb's nearest pixel inside. A better background gives a better a."""
    out = np.where(inside[..., None], rgb, background)
    if not ring.any() or not inside.any():
        return out
    _, (iy, ix) = ndimage.distance_transform_edt(~inside, return_indices=True)
    ys, xs = np.nonzero(ring)
    b = background[ys, xs]
    old, new = source[iy[ys, xs], ix[ys, xs]], rgb[iy[ys, xs], ix[ys, xs]]
    d = old - b
    # where object and background look alike the coverage is unknowable; 0.01 ~ (0.1 apart)^2
    a = np.clip(((source[ys, xs] - b) * d).sum(axis=1) / np.maximum((d * d).sum(axis=1), 0.01), 0, 1)
    out[ys, xs] = a[:, None] * new + (1 - a[:, None]) * b
    return out


def fill_background(source: np.ndarray, hole: np.ndarray, fill: Fill, shield: np.ndarray | None = None) -> np.ndarray:
    """source with `hole` filled from the background alone; only the hole's pixels change.
    `shield` (other objects beside the hole) is filled with it, so that the fill continues the
    floor rather than their edges, and then given its own pixels back."""
    if hole.all():
        raise InpaintError("the hole covers the whole image: there is nothing to fill it from")
    if not hole.any():
        return source.copy()
    region = background_region(hole, shield)
    out = fill(source, region)
    out[region & ~hole] = source[region & ~hole]  # the shield's own pixels back
    return out


def background_region(hole: np.ndarray, shield: np.ndarray | None) -> np.ndarray:
    """What fill_background fills: the hole, and the shield with it unless nothing would be left
    to fill from."""
    if shield is None or (hole | shield).all():
        return hole
    return hole | shield


def refills_seam(layer, harmonise: bool, in_place: bool) -> bool:
    """Whether compose re-makes a seam around what it pastes with the fill (an object changed in
    place is unmatted instead)."""
    return layer is not None and harmonise and not in_place


def seam_region(alpha: np.ndarray) -> np.ndarray:
    """The seam compose re-makes across a pasted object's edge."""
    placed = alpha > 0.5
    return ndimage.binary_dilation(placed, iterations=SEAM_OUT) & ~ndimage.binary_erosion(placed, iterations=SEAM_IN)


def compose(source: np.ndarray, hole: np.ndarray, layer: tuple[np.ndarray, np.ndarray] | None, fill: Fill,
            harmonise: bool, in_place: bool = False,
            cast: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
            shield: np.ndarray | None = None, background: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """source with `hole` filled and layer (rgb, alpha) pasted; returns (image, re-made pixels).

    The hole is filled before the paste, from the background alone (a fill next to the new
    object would otherwise draw it into the hole); with harmonise, a thin seam across the
    pasted object's edge is then re-made too, so that it blends into the background. An object
    changed `in_place` (its alpha is its own outline) keeps its anti-aliased edge instead:
    harmonise re-mixes it against the fill (unmatte_edge). `cast`, given (source, filled), is
    the shading (H, W, 0–1) the placed object's shadow lays on the filled background, under it.
    `shield`: see fill_background. `background`: fill_background's result, where another method
    that fills alike has made it already."""
    out = fill_background(source, hole, fill, shield) if background is None else background.copy()
    done = hole.copy()
    if cast is not None:
        shade = cast(source, out)
        out = out * shade[..., None]
        done |= shade < 1
    if layer is not None:
        rgb, alpha = layer
        if in_place and harmonise:
            return unmatte_edge(source, out, rgb, alpha > 0.5, hole & (alpha <= 0.5)), done
        out = out * (1 - alpha[..., None]) + rgb * alpha[..., None]
        if refills_seam(layer, harmonise, in_place):
            seam = seam_region(alpha)
            if seam.any():
                out = fill(out, seam)
                done |= seam
    return out, done
