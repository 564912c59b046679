"""A pinhole camera looking at the origin, with CLEVR's direction vectors."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .properties import CAMERA_HFOV_DEG, CAMERA_LOCATION


@lru_cache(maxsize=64)  # sampling thousands of layouts projects with a handful of cameras
def _basis(location: tuple, look_at: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    f = np.asarray(look_at, float) - np.asarray(location, float)
    f /= np.linalg.norm(f)
    r = np.cross(f, [0.0, 0.0, 1.0])
    r /= np.linalg.norm(r)
    u = np.cross(r, f)
    for v in (r, u, f):
        v.flags.writeable = False
    return r, u, f


@dataclass(frozen=True)
class Camera:
    location: tuple[float, float, float] = CAMERA_LOCATION
    look_at: tuple[float, float, float] = (0.0, 0.0, 0.0)
    hfov_deg: float = CAMERA_HFOV_DEG

    @classmethod
    def from_dict(cls, d: dict | None) -> "Camera":
        if not d:
            return cls()
        return cls(tuple(d["location"]), tuple(d.get("look_at", (0, 0, 0))), d.get("hfov_deg", CAMERA_HFOV_DEG))

    def to_dict(self) -> dict:
        return {"location": [round(v, 6) for v in self.location], "look_at": list(self.look_at), "hfov_deg": self.hfov_deg}

    def basis(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Unit vectors right, up, forward (world coordinates, z is up); read-only."""
        return _basis(tuple(map(float, self.location)), tuple(map(float, self.look_at)))

    def rays(self, width: int, height: int, px: np.ndarray, py: np.ndarray) -> np.ndarray:
        """Unit ray directions (N, 3) through image positions px, py (pixel centres at +0.5).

        The horizontal field of view is fixed (Blender's sensor fit for landscape images)."""
        r, u, f = self.basis()
        tx = np.tan(np.radians(self.hfov_deg) / 2)
        x = (2 * px / width - 1) * tx
        y = (1 - 2 * py / height) * tx * height / width
        d = f[None] + x[:, None] * r[None] + y[:, None] * u[None]
        return (d / np.linalg.norm(d, axis=1, keepdims=True)).astype(np.float32)

    def project(self, points, width: int, height: int) -> np.ndarray:
        """World points (N, 3) to (N, 3): pixel x, pixel y, depth along the view axis."""
        p = np.atleast_2d(np.asarray(points, float)) - np.asarray(self.location, float)
        r, u, f = self.basis()
        z = p @ f
        tx = np.tan(np.radians(self.hfov_deg) / 2)
        x = (p @ r / z / tx + 1) * width / 2
        y = (1 - p @ u / z / (tx * height / width)) * height / 2
        return np.stack([x, y, z], axis=1)

    def directions(self) -> dict[str, list[float]]:
        """CLEVR's scene directions: the camera's back and left vectors flattened onto the floor."""
        r, _, f = self.basis()
        behind = np.array([f[0], f[1], 0.0])
        behind /= np.linalg.norm(behind)
        left = np.array([-r[0], -r[1], 0.0])
        left /= np.linalg.norm(left)
        out = {"behind": behind, "front": -behind, "left": left, "right": -left,
               "above": np.array([0.0, 0.0, 1.0]), "below": np.array([0.0, 0.0, -1.0])}
        return {k: [round(float(x), 6) for x in v] for k, v in out.items()}
