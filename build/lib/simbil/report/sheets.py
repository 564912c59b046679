"""Contact sheets: one row per case, one labelled column per picture."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from ..metrics import roi_box

HEADER = 18


def overlay_mask(image: np.ndarray, mask: np.ndarray, colour=(0.9, 0.1, 0.1), alpha: float = 0.7) -> np.ndarray:
    """The image with the masked pixels tinted, so the hole is visible."""
    shown = np.asarray(image, np.float32).copy()
    shown[mask] = shown[mask] * (1 - alpha) + np.asarray(colour, np.float32) * alpha
    return shown


def draw_box(image: np.ndarray, bbox, colour=(0.1, 0.9, 0.2), width: int = 1) -> np.ndarray:
    out = np.asarray(image, np.float32).copy()
    H, W = out.shape[:2]
    x0, y0, x1, y1 = (int(v) for v in bbox)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(W, x1), min(H, y1)
    c = np.asarray(colour, np.float32)
    out[y0:y0 + width, x0:x1] = c
    out[max(y0, y1 - width):y1, x0:x1] = c
    out[y0:y1, x0:x0 + width] = c
    out[y0:y1, max(x0, x1 - width):x1] = c
    return out


def crop_around(bbox, width: int, height: int, context: float = 0.5, minimum: int = 8):
    """A box around bbox with `context` of its size added on each side, clipped to the image."""
    widen = max(minimum, int(context * max(bbox[2] - bbox[0], bbox[3] - bbox[1])))
    return roi_box(bbox, width, height, widen=widen)


def _tile(a: np.ndarray, box, size: int) -> np.ndarray:
    x0, y0, x1, y1 = box
    a = np.asarray(a)
    if a.dtype == bool:
        a = np.repeat(a[..., None], 3, axis=2).astype(np.float32)
    part = (np.clip(a[y0:y1, x0:x1], 0, 1) * 255).astype(np.uint8)
    h, w = part.shape[:2]
    scale = size / max(h, w)
    im = Image.fromarray(part).resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.BICUBIC)
    canvas = Image.new("RGB", (size, size), (24, 24, 24))
    canvas.paste(im, ((size - im.width) // 2, (size - im.height) // 2))
    return np.asarray(canvas)


def contact_sheet(rows: list[list[np.ndarray | None]], labels: list[str], boxes: list | None = None,
                  tile: int = 128) -> Image.Image:
    """rows[i][j] is a float (H, W, 3) image in [0, 1] or a bool mask, shown cropped to boxes[i]
    (the whole image when None) and scaled to tile×tile; None leaves the cell empty."""
    body = []
    for i, row in enumerate(rows):
        ref = next(a for a in row if a is not None)
        H, W = np.asarray(ref).shape[:2]
        box = boxes[i] if boxes and boxes[i] is not None else (0, 0, W, H)
        body.append(np.concatenate([_tile(a, box, tile) if a is not None else np.full((tile, tile, 3), 24, np.uint8)
                                    for a in row], axis=1))
    sheet = Image.new("RGB", (tile * len(labels), HEADER + tile * len(rows)), (32, 32, 32))
    draw = ImageDraw.Draw(sheet)
    for j, name in enumerate(labels):
        draw.text((tile * j + 4, 3), name, fill=(235, 235, 235))
    sheet.paste(Image.fromarray(np.concatenate(body, axis=0)), (0, HEADER))
    return sheet


def edit_sheet(source: np.ndarray, hole: np.ndarray, roi, pictures: dict[str, np.ndarray],
               truth: np.ndarray | None = None) -> Image.Image:
    """One edit: input | hole | RoI | each method's result | truth, around the RoI."""
    H, W = source.shape[:2]
    labels = ["input", "hole", "RoI"] + list(pictures) + (["truth"] if truth is not None else [])
    row = [source, overlay_mask(source, hole), draw_box(source, roi_box(roi, W, H))] + list(pictures.values())
    row += [truth] if truth is not None else []
    return contact_sheet([row], labels, [crop_around(roi, W, H, context=1.0)], tile=160)
