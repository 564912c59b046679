"""One entry point for every inpainter: `inpaint(image, mask, method=..., **settings)`.

image: float (H, W, 3) in [0, 1]; mask: bool (H, W), True where pixels are missing.
Returns a new image; pixels outside the mask are never changed.
"""

from __future__ import annotations

import numpy as np

from . import classical


class InpaintError(ValueError):
    """Input an inpainter cannot work with; the message says what is wrong."""


def _dip(base: str):
    """A DIP method; torch is imported on first use, so the classical peers start fast."""
    def run(image, mask, progress=None, **settings):
        from . import dip

        try:
            s = dip.DIPSettings.make(getattr(dip, base), **settings)
        except ValueError as e:
            raise InpaintError(str(e)) from None
        return dip.inpaint_dip(image, mask, s, progress)
    return run


METHODS = {
    "bgdip": _dip("BGDIP"),
    "dip": _dip("PAPER"),
    "telea": classical.telea,
    "ns": classical.ns,
    "biharmonic": classical.biharmonic,
}


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


def inpaint(image: np.ndarray, mask: np.ndarray, method: str = "bgdip", **settings) -> np.ndarray:
    if method not in METHODS:
        raise InpaintError(f"unknown method {method!r} (one of {', '.join(METHODS)})")
    image = np.asarray(image, np.float32)
    mask = np.asarray(mask, bool)
    check_inputs(image, mask)
    progress = settings.pop("progress", None)
    if method in ("bgdip", "dip"):
        return METHODS[method](image, mask, progress=progress, **settings)
    try:
        return METHODS[method](image, mask, **settings)
    except TypeError as e:
        raise InpaintError(f"method {method!r}: {e}") from None
