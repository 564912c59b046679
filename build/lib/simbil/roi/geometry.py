"""Boxes from the camera: an object's tight image box, and the floor point under a pixel."""

from __future__ import annotations

import math

import numpy as np

from ..clevr.camera import Camera
from ..clevr.properties import half_extent

_T = np.linspace(0, 2 * np.pi, 24, endpoint=False)
_SPHERE = np.array([(math.sin(a) * math.cos(b), math.sin(a) * math.sin(b), math.cos(a))
                    for a in np.linspace(0, np.pi, 13) for b in _T])


def surface_points(shape: str, size: str, x: float, y: float, rotation_deg: float = 0.0) -> np.ndarray:
    """Points on the object's outline in world coordinates (the object rests on the floor)."""
    h = half_extent(shape, size)
    if shape == "sphere":
        pts = _SPHERE * h
    elif shape == "cylinder":
        ring = np.stack([np.cos(_T), np.sin(_T)], 1) * h
        pts = np.concatenate([np.c_[ring, np.full(len(ring), -h)], np.c_[ring, np.full(len(ring), h)]])
    else:  # cube: its 8 corners, turned about the vertical axis
        c, s = math.cos(math.radians(rotation_deg)), math.sin(math.radians(rotation_deg))
        corners = np.array([(dx, dy, dz) for dx in (-h, h) for dy in (-h, h) for dz in (-h, h)])
        pts = corners @ np.array([[c, s, 0], [-s, c, 0], [0, 0, 1]])
    return pts + np.array([x, y, h])


def object_box(shape: str, size: str, x: float, y: float, camera: Camera, width: int, height: int,
               rotation_deg: float = 0.0) -> list[float]:
    """The object's tight image box [x0, y0, x1, y1] (unclipped, floats)."""
    p = camera.project(surface_points(shape, size, x, y, rotation_deg), width, height)
    return [float(p[:, 0].min()), float(p[:, 1].min()), float(p[:, 0].max()), float(p[:, 1].max())]


def floor_point(camera: Camera, px: float, py: float, width: int, height: int) -> tuple[float, float] | None:
    """Where the ray through pixel (px, py) meets the floor z = 0, or None above the horizon."""
    d = camera.rays(width, height, np.array([px], float), np.array([py], float))[0].astype(float)
    o = np.asarray(camera.location, float)
    if d[2] >= -1e-6:
        return None
    t = -o[2] / d[2]
    return float(o[0] + t * d[0]), float(o[1] + t * d[1])
