"""Ray intersection and normals for CLEVR's three shapes, vectorised over rays.

Each shape answers `intersect(O, D)` — the distance along unit rays to the first surface hit
(inf where missed) — and `normal(P)` for points on its surface. Cubes and cylinders carry the
bevelled normals of CLEVR's SmoothCube and cylinder meshes: the geometry stays sharp, but the
shading normal rounds off within a small radius of each edge, which gives the edge highlights
of the real renders.
"""

from __future__ import annotations

import math

import numpy as np

from .properties import half_extent

EPS = 1e-4
INF = np.float32(np.inf)


class Shape:
    def __init__(self, obj: dict):
        self.shape = obj["shape"]
        self.h = np.float32(half_extent(obj["shape"], obj["size"]))
        self.center = np.asarray(obj["3d_coords"], np.float32)
        theta = math.radians(obj.get("rotation", 0.0))
        c, s = math.cos(theta), math.sin(theta)
        self.rot = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]], np.float32)  # local → world
        # Radius of a sphere around the centre that holds the whole shape.
        self.bound = float(self.h * {"cube": math.sqrt(3), "sphere": 1.0, "cylinder": math.sqrt(2)}[self.shape])

    def _local(self, O, D):
        # Row vectors: v @ R applies Rᵀ, the world → local rotation.
        return (O - self.center) @ self.rot, D @ self.rot

    def near(self, O, D, pad: float = 0.0) -> np.ndarray:
        """Rays that pass within the bounding sphere (plus pad) ahead of their origin."""
        oc = O - self.center
        b = np.einsum("ij,ij->i", oc, D)
        cc = np.einsum("ij,ij->i", oc, oc) - (self.bound + pad) ** 2
        return (b * b - cc >= 0) & ((b < 0) | (cc < 0))

    def intersect(self, O, D) -> np.ndarray:
        o, d = self._local(O, D)
        return getattr(self, "_hit_" + self.shape)(o, d)

    def normal(self, P) -> np.ndarray:
        p = (P - self.center) @ self.rot
        n = getattr(self, "_normal_" + self.shape)(p)
        n /= np.linalg.norm(n, axis=1, keepdims=True) + 1e-12
        return n @ self.rot.T

    # -- intersections in local coordinates (centre at the origin) --
    def _hit_sphere(self, o, d):
        b = np.einsum("ij,ij->i", o, d)
        cc = np.einsum("ij,ij->i", o, o) - self.h * self.h
        disc = b * b - cc
        t = -b - np.sqrt(np.maximum(disc, 0))
        return np.where((disc >= 0) & (t > EPS), t, INF)

    def _hit_cube(self, o, d):
        inv = 1.0 / np.where(np.abs(d) < 1e-9, np.float32(1e-9), d)
        t1 = (-self.h - o) * inv
        t2 = (self.h - o) * inv
        tn = np.minimum(t1, t2).max(axis=1)
        tf = np.maximum(t1, t2).min(axis=1)
        t = np.where(tn > EPS, tn, tf)
        return np.where((tf >= tn) & (tf > EPS), t, INF)

    def _hit_cylinder(self, o, d):
        h = self.h
        a = d[:, 0] ** 2 + d[:, 1] ** 2
        b = o[:, 0] * d[:, 0] + o[:, 1] * d[:, 1]
        cc = o[:, 0] ** 2 + o[:, 1] ** 2 - h * h
        disc = b * b - a * cc
        t_side = (-b - np.sqrt(np.maximum(disc, 0))) / np.maximum(a, 1e-12)
        z = o[:, 2] + t_side * d[:, 2]
        t = np.where((disc >= 0) & (t_side > EPS) & (np.abs(z) <= h), t_side, INF)
        dz = np.where(np.abs(d[:, 2]) < 1e-9, np.float32(1e-9), d[:, 2])
        for cap in (h, -h):
            tc = (cap - o[:, 2]) / dz
            x = o[:, 0] + tc * d[:, 0]
            y = o[:, 1] + tc * d[:, 1]
            ok = (tc > EPS) & (x * x + y * y <= h * h) & (tc < t)
            t = np.where(ok, tc, t)
        return t

    # -- bevelled normals in local coordinates --
    def _normal_sphere(self, p):
        return p.copy()

    def _normal_cube(self, p):
        inner = self.h * 0.82
        return p - np.clip(p, -inner, inner)

    def _normal_cylinder(self, p):
        inner = self.h * 0.9
        rr = np.sqrt(p[:, 0] ** 2 + p[:, 1] ** 2) + 1e-12
        dr = np.maximum(rr - inner, 0)
        dz = p[:, 2] - np.clip(p[:, 2], -inner, inner)
        return np.stack([p[:, 0] / rr * dr, p[:, 1] / rr * dr, dz], axis=1)
