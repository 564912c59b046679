"""Image and mask files: clear errors on bad input, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError


class ImageError(ValueError):
    """An image or mask file that cannot be used; the message names the file."""


def read_image(path) -> np.ndarray:
    """RGB float32 in [0, 1], shape (H, W, 3); alpha is dropped, gray is expanded."""
    try:
        with Image.open(path) as im:
            im.load()
            return np.asarray(im.convert("RGB"), np.float32) / 255.0
    except FileNotFoundError:
        raise ImageError(f"{path}: no such file") from None
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        raise ImageError(f"{path}: not a readable image ({e.__class__.__name__}: {e})") from None


def read_mask(path) -> np.ndarray:
    """Boolean (H, W): True where any channel is nonzero."""
    try:
        with Image.open(path) as im:
            im.load()
            a = np.asarray(im)
    except FileNotFoundError:
        raise ImageError(f"{path}: no such file") from None
    except (UnidentifiedImageError, OSError, SyntaxError) as e:
        raise ImageError(f"{path}: not a readable mask image ({e.__class__.__name__}: {e})") from None
    return a.any(axis=2) if a.ndim == 3 else a != 0


def skimage_photo(name: str) -> np.ndarray:
    """One of the photographs scikit-image ships, as uint8 RGB (the motorcycle is the left view
    of its stereo pair; gray photos are expanded)."""
    from skimage import data as skdata

    a = skdata.stereo_motorcycle()[0] if name == "motorcycle" else getattr(skdata, name)()
    if a.ndim == 2:
        a = np.stack([a] * 3, axis=-1)
    return a[..., :3].astype(np.uint8)


def write_atomic(path, write) -> None:
    """Call write(tmp) on a temporary name beside path, then rename: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{os.getpid()}{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def to_uint8(image: np.ndarray) -> np.ndarray:
    return (np.clip(image, 0, 1) * 255 + 0.5).astype(np.uint8)


def write_image(path, image: np.ndarray) -> None:
    """Write a float [0, 1] or uint8 image atomically: a temporary name, then a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arr = image if image.dtype == np.uint8 else to_uint8(image)
    if arr.dtype == bool:
        arr = arr.astype(np.uint8) * 255
    tmp = path.with_name(f".{path.stem}.tmp{os.getpid()}{path.suffix}")
    try:
        Image.fromarray(arr).save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
