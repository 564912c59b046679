"""The geometric baseline: put the box where the stated relations hold, sized by the object's
size and the camera's perspective."""

from __future__ import annotations

import numpy as np

from ..clevr.camera import Camera
from .geometry import floor_point, object_box

GAP = 0.04  # fraction of the image kept between the target and an object it is left of, etc.
OPEN = 0.15  # how far past its only bound a target goes when the other side is open


def _pick(lo: float, hi: float, limit_lo: float, limit_hi: float, span: float) -> float:
    if lo > limit_lo and hi < limit_hi:
        return (lo + hi) / 2
    if lo > limit_lo:
        return min(lo + OPEN * span, limit_hi)
    if hi < limit_hi:
        return max(hi - OPEN * span, limit_lo)
    return (limit_lo + limit_hi) / 2


def heuristic_box(name: str, size: str, relations: list[dict], objects: dict[str, dict], width: int,
                  height: int, camera: Camera | None = None) -> list[float]:
    """Left/right bound the box's centre x, behind/front bound its bottom y (the floor contact,
    which perspective puts higher for objects further back); the size is that of the object
    standing on the floor point under that pixel."""
    camera = camera or Camera()
    x_lo, x_hi, y_lo, y_hi = 0.0, float(width), 0.0, float(height)
    for r in relations:
        x0, y0, x1, y1 = objects[r["object"]]["bbox"]
        cx = (x0 + x1) / 2
        p = r["predicate"]
        if p == "left of":
            x_hi = min(x_hi, cx - GAP * width)
        elif p == "right of":
            x_lo = max(x_lo, cx + GAP * width)
        elif p == "behind":
            y_hi = min(y_hi, y1 - GAP * height)
        elif p == "front of":
            y_lo = max(y_lo, y1 + GAP * height)
    horizon = next((y for y in np.linspace(0, height, 49) if floor_point(camera, width / 2, y, width, height)), 0)
    cx = _pick(x_lo, x_hi, 0.0, float(width), width)
    bottom = _pick(max(y_lo, horizon), y_hi, max(0.0, horizon), float(height), height - horizon)
    return standing_box(name, size, cx, bottom, width, height, camera)


def standing_box(name: str, size: str, cx: float, bottom: float, width: int, height: int,
                 camera: Camera | None = None) -> list[float]:
    """The box of a `name` of `size` whose floor contact shows at (cx, bottom)."""
    camera = camera or Camera()
    ground = floor_point(camera, cx, bottom, width, height) or (0.0, 0.0)
    b = object_box(name, size, ground[0], ground[1], camera, width, height)
    w, h = b[2] - b[0], b[3] - b[1]
    return [cx - w / 2, bottom - h, cx + w / 2, bottom]
