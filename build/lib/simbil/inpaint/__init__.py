"""One entry point for every inpainter: `inpaint(image, mask, method=..., **settings)`.

image: float (H, W, 3) in [0, 1]; mask: bool (H, W), True where pixels are missing.
Returns a new image; pixels outside the mask are never changed. The methods are registered in
their own modules (simbil.inpaint.registry); importing those modules here is the registry.
"""

from __future__ import annotations

import numpy as np

from . import classical, deep  # noqa: F401  (each registers its methods)
from .registry import INPAINTERS, InpaintError, Inpainter, get_inpainter, register  # noqa: F401

METHODS = INPAINTERS


def check_inputs(image: np.ndarray, mask: np.ndarray) -> None:
    if image.ndim != 3 or image.shape[2] != 3:
        raise InpaintError(f"image must be H×W×3, got shape {image.shape}")
    if mask.shape != image.shape[:2]:
        raise InpaintError(f"mask is {mask.shape[1]}x{mask.shape[0]} but the image is {image.shape[1]}x{image.shape[0]}")
    n = int(mask.sum())
    if n == 0:
        raise InpaintError("mask is empty: there is nothing to inpaint")
    if n == mask.size:
        raise InpaintError("mask covers the whole image: there is nothing to inpaint from")


def inpaint(image: np.ndarray, mask: np.ndarray, method: str = "bgdip", progress=None, **settings) -> np.ndarray:
    """Fill the hole with a registered method; `settings` on top of its defaults (checked)."""
    return fill(image, mask, get_inpainter(method), get_inpainter(method).settings(settings), progress)


def fill(image: np.ndarray, mask: np.ndarray, inpainter: Inpainter, settings, progress=None) -> np.ndarray:
    """Fill with already-checked settings (simbil.inpaint.registry.Inpainter.settings)."""
    image = np.asarray(image, np.float32)
    mask = np.asarray(mask, bool)
    check_inputs(image, mask)
    try:
        return inpainter.fill(image, mask, settings, progress)
    except ValueError as e:  # e.g. a CUDA device asked for where torch sees none
        raise InpaintError(f"method {inpainter.name!r}: {e}") from None
