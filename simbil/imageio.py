"""Image and mask files: clear errors on bad input, atomic writes."""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import UserError, check_output


class ImageError(UserError, ValueError):
    """An image or mask file that cannot be used; the message names the file."""


MAX_PIXELS = 89_478_485  # Pillow's decompression-bomb limit; SIMBIL_MAX_PIXELS raises it
MASK_RULE = ("a mask is a lossless image the size of the picture whose non-black pixels are the hole "
             "(palette masks by their colours, transparent pixels never)")


def _pixel_limit() -> int:
    text = os.environ.get("SIMBIL_MAX_PIXELS")
    if text is None:
        return MAX_PIXELS
    try:
        limit = float(text)
    except ValueError:
        limit = float("nan")
    if not limit >= 1 or limit == float("inf"):
        raise ImageError(f"SIMBIL_MAX_PIXELS must be a number of pixels, at least 1, got {text!r}")
    return int(limit)


def _open(path, what: str) -> Image.Image:
    """The decoded image, or an ImageError naming the file and what is wrong with it."""
    limit = _pixel_limit()
    try:
        Image.MAX_IMAGE_PIXELS = None  # checked below, with a message that says how to allow it
        im = Image.open(path)
        w, h = im.size
        if w * h > limit:
            im.close()
            raise ImageError(f"{path}: {what} is {w}x{h} = {w * h / 1e6:.3g} Mpx, over the limit of "
                             f"{limit / 1e6:.3g} Mpx; set SIMBIL_MAX_PIXELS={w * h} to allow it")
        im.load()
        return _upright(im)
    except ImageError:  # the size check's own, above: a ValueError, not to be wrapped again
        raise
    except FileNotFoundError:
        raise ImageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImageError(f"{path}: is a folder, not an image file") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise ImageError(f"{path}: not a readable {what} ({e.__class__.__name__}: {e})") from None


SIDEWAYS = (5, 6, 7, 8)  # EXIF orientations that turn the picture a quarter


def _orientation(im: Image.Image) -> int:
    """The EXIF orientation still to apply: 1 for none, for TIFF (Pillow turns a TIFF itself as it
    opens it) and for EXIF it cannot parse (the picture is read as stored, as before)."""
    if im.format == "TIFF" or (im.format == "PNG" and "exif" not in im.info):  # a PNG without it in
        return 1  # its header would be decoded whole to look further
    try:
        value = im.getexif().get(ImageOps.ExifTags.Base.Orientation)
    except Exception:  # malformed EXIF raises whatever its parser meets
        return 1
    return value if value in range(1, 9) else 1


def image_size(im: Image.Image) -> tuple[int, int]:
    """(width, height) of an opened image as a viewer shows it, without decoding its pixels."""
    w, h = im.size
    return (h, w) if _orientation(im) in SIDEWAYS else (w, h)


def _upright(im: Image.Image) -> Image.Image:
    """The picture as a viewer shows it: a phone photo's EXIF orientation applied (its pixels are
    stored sideways), keeping the file's format, which the mask reader asks for."""
    if _orientation(im) == 1:
        return im
    fmt = im.format
    up = ImageOps.exif_transpose(im)
    im.close()
    up.format = fmt
    return up


def _scaled(im: Image.Image) -> np.ndarray:
    """Float [0, 1] channels of any mode: 16- and 32-bit by their bit depth, palettes by colour."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        return np.asarray(im, np.float32) / 65535.0
    if im.mode == "I":
        a = np.asarray(im, np.float64)
        return (a / (65535.0 if a.max() <= 65535 else 2.0**32 - 1)).clip(0, 1).astype(np.float32)
    if im.mode == "F":
        return np.asarray(im, np.float32).clip(0, 1)
    keep = "RGBA" if im.mode in ("P", "PA", "RGBA", "LA", "La", "RGBa") else "RGB"
    return np.asarray(im.convert(keep), np.float32) / 255.0


def read_image(path) -> np.ndarray:
    """RGB float32 in [0, 1], shape (H, W, 3); alpha is dropped, gray is expanded, 16-bit
    images keep their range."""
    with _open(path, "image") as im:
        a = _scaled(im)
    if a.ndim == 2:
        a = np.stack([a] * 3, axis=-1)
    return np.ascontiguousarray(a[..., :3], np.float32)


def read_mask(path) -> np.ndarray:
    """Boolean (H, W): MASK_RULE."""
    with _open(path, "mask image") as im:
        if im.format == "JPEG":
            raise ImageError(f"{path}: a JPEG mask would make its compression noise part of the hole; "
                             f"save it as PNG ({MASK_RULE})")
        a = _scaled(im)
    if a.ndim == 2:
        return a > 0
    hole = a[..., :3].max(axis=2) > 0
    return hole & (a[..., 3] > 0) if a.shape[2] == 4 else hole


def skimage_photo(name: str) -> np.ndarray:
    """One of the photographs scikit-image ships, as uint8 RGB (the motorcycle is the left view
    of its stereo pair; gray photos are expanded)."""
    from skimage import data as skdata

    a = skdata.stereo_motorcycle()[0] if name == "motorcycle" else getattr(skdata, name)()
    if a.ndim == 2:
        a = np.stack([a] * 3, axis=-1)
    return a[..., :3].astype(np.uint8)


def _writable(path) -> Path:
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder, not a file name", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def write_atomic(path, write) -> None:
    """Call write(tmp) on a temporary name beside path, then rename: readers never see half a file."""
    path = _writable(path)
    tmp = path.with_name(f".{path.stem}.tmp{os.getpid()}{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def to_uint8(image: np.ndarray) -> np.ndarray:
    return (np.clip(image, 0, 1) * 255 + 0.5).astype(np.uint8)


def output_format(path, what: str = "--output") -> str:
    """Pillow's format for an output file name, checked before any work is done."""
    check_output(path, what)
    ext = Path(path).suffix.lower()
    fmt = Image.registered_extensions().get(ext)
    if fmt not in Image.SAVE or not _writes_rgb(fmt):
        raise ImageError(f"{path}: {what} needs an image file name Pillow can write (.png, .tif, .jpg, ...), "
                         + (f"not {ext}" if ext else "and this one has no extension"))
    return fmt


@functools.cache
def _writes_rgb(fmt: str) -> bool:
    """Whether Pillow writes an RGB picture in this format: some it registers only read, hold no
    RGB (BLP), or leave their writer to a plug-in not installed (HDF5, GRIB)."""
    try:
        Image.new("RGB", (2, 2)).save(io.BytesIO(), format=fmt)
    except Exception:  # each plug-in fails in its own way; any failure means no
        return False
    return True


LOSSY = {"JPEG", "WEBP", "JPEG2000"}  # outside the hole their pixels change on every save
FEW_COLOURS = {"GIF"}  # 256 colours at most: a picture's pixels change, a two-valued mask's do not


def write_filled(path, original, image: np.ndarray, mask: np.ndarray) -> None:
    """The original file's pixels with the hole's replaced by image's (float RGB [0, 1]), in the
    original's mode and bit depth (gray stays gray, 16-bit stays 16-bit, alpha is kept unless it is
    opaque everywhere) and colour profile, so that outside the hole a lossless output holds the
    input's values bit for bit and shows as it did. A palette becomes RGB(A); a mode the output
    format cannot hold falls back to 8-bit RGB. A sideways-stored photo is written upright."""
    with _open(original, "image") as im:
        icc = im.info.get("icc_profile")
        if im.mode in ("P", "PA"):
            src = im.convert("RGBA")
        elif im.mode in ("1", "CMYK", "YCbCr", "LAB", "HSV"):
            src = im.convert("RGB")
        else:
            src = im.copy()
    if src.mode in ("RGBA", "LA") and src.getextrema()[-1] == (255, 255):  # an opaque alpha says nothing
        src = src.convert(src.mode[:-1])
    a = np.array(src)
    if a.dtype.kind == "u" and a.dtype.itemsize == 2:  # the I;16 modes
        a[mask] = (np.clip(image[mask].mean(axis=-1), 0, 1) * 65535 + 0.5).astype(a.dtype)
    elif src.mode in ("L", "LA"):
        (a[..., 0] if a.ndim == 3 else a)[mask] = to_uint8(image[mask].mean(axis=-1))
    elif src.mode in ("RGB", "RGBA"):
        a[..., :3][mask] = to_uint8(image[mask])
    else:  # 32-bit integer or float: what read_image made of it, in 8 bits
        a = to_uint8(image)

    def save(tmp):
        try:
            out = Image.fromarray(a)
            out.save(tmp, **_profile(icc, out.mode))
        except (OSError, KeyError, ValueError):  # e.g. 16-bit or alpha into a JPEG
            Image.fromarray(to_uint8(image)).save(tmp, **_profile(icc, "RGB"))

    write_atomic(path, save)


def _profile(icc: bytes | None, mode: str) -> dict:
    """Save's colour-profile argument: the input's profile where it describes the mode written (a
    CMYK photo's profile would misdescribe the RGB it is written as)."""
    space = {"RGB": b"RGB ", "RGBA": b"RGB ", "L": b"GRAY", "LA": b"GRAY"}.get(mode)
    return {"icc_profile": icc} if icc and space and icc[16:20] == space else {}


def write_image(path, image: np.ndarray) -> None:
    """Write a float [0, 1], bool or uint8 image atomically: a temporary name, then a rename."""
    arr = image if image.dtype == np.uint8 else to_uint8(image)
    write_atomic(path, lambda tmp: Image.fromarray(arr).save(tmp))
