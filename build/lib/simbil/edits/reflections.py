"""Reflections: a metal object shows its neighbours on its surface (a gray cylinder beside a red
cube wears a red patch). Moved elsewhere it would carry that patch to where no red cube stands,
so before it moves, the pixels whose colour is a neighbour's rather than its own take the colour
of its nearest own pixel."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from ..clevr.properties import COLORS
from .compose import chromaticity

NEUTRAL = "gray"  # a gray neighbour looks like the floor's and the highlights' reflections: kept
OWN = 0.08  # chromaticity this far from the object's own colour is not its own


def neighbours_shown(image: np.ndarray, own: np.ndarray, obj: dict, g: dict) -> np.ndarray:
    """Pixels of a metal object (`own`, by the graph's attributes) whose chromaticity is nearer a
    chromatic neighbour's colour than its own, and not its own; none for other materials."""
    attrs = obj.get("attributes") or {}
    colour = attrs.get("color")
    if attrs.get("material") != "metal" or colour not in COLORS:
        return np.zeros_like(own)
    others = {(o.get("attributes") or {}).get("color") for o in g["objects"] if o["id"] != obj["id"]}
    others = [c for c in others if c in COLORS and c not in (colour, NEUTRAL)]
    if not others:
        return np.zeros_like(own)
    px = chromaticity(image[own].astype(np.float64))
    d_own = np.linalg.norm(px - chromaticity(np.array(COLORS[colour]) / 255), axis=1)
    d_near = np.min([np.linalg.norm(px - chromaticity(np.array(COLORS[c]) / 255), axis=1) for c in others], axis=0)
    out = np.zeros_like(own)
    out[own] = (d_own > OWN) & (d_near < d_own)
    return out


def clear_reflections(image: np.ndarray, own: np.ndarray, obj: dict, g: dict) -> np.ndarray:
    """The image with the object's pixels that show a neighbour given its nearest own pixel's colour."""
    shown = neighbours_shown(image, own, obj, g)
    keep = own & ~shown
    if not shown.any() or not keep.any():
        return image
    _, (iy, ix) = ndimage.distance_transform_edt(~keep, return_indices=True)
    out = image.copy()
    out[shown] = image[iy[shown], ix[shown]]
    return out
