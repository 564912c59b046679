"""A CLEVR-like ray caster in NumPy: no Blender, ~0.1 s for a 320×240 scene on one core.

What it models, and why each part is cheap enough:
- primary rays against the floor and up to a dozen analytic shapes, each shape tested only on
  the rays that pass its bounding sphere;
- three area lights with soft shadows: a few stratified shadow rays per light, rotated per
  pixel by a fixed (seeded) pattern, then smoothed within each surface so that the noise does
  not leak across object edges;
- sky light, which on the floor comes from the direction of CLEVR's sun lamp, so that objects
  cast its soft shadow too (the dark contact shadow of the real renders);
- rubber as diffuse with a broad sheen; metal as a tinted mirror with one reflection bounce
  (floor, other objects, environment) and sharp highlights;
- anti-aliasing by 2×2 supersampling only of pixels on an object's outline.

Every random choice comes from the scene's `render_seed`, and per-pixel noise does not depend on
which objects are present: a pair rendered with one object removed differs only around that
object, its shadow and in metal reflections.

This module shades and samples; what blocks light (soft shadows of the lamps and the sun,
shadow-noise smoothing, shadow masks) is in simbil.clevr.lighting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .camera import Camera
# lighting's names (and LIGHTS) stay importable from here, as before the split
from .lighting import SHADOW_BLUR, SHADOW_MASK_DROP, SHADOW_SAMPLES, scene_lights  # noqa: F401
from .lighting import denoise, disc_samples, kept_light, shadow_masks, sun_visibility, visibility
from .properties import COLORS, LIGHTS, MIN_PIXELS_PER_OBJECT, SUN  # noqa: F401
from .shapes import EPS, INF, Shape

FLOOR_ALBEDO = 0.42
AMBIENT = 0.323  # sky light on an unshadowed upward surface
BOUNCE = 0.15  # share of the floor's sky no object takes (light bounced off them): no black creases
LIGHT_SCALE = 14.0  # watts-to-pixels constant for the lights' `power`
RUBBER_SHEEN = (0.05, 12.0)  # strength, Blinn–Phong exponent
METAL_SPEC = (8.0, 250.0)
METAL_DIFFUSE = 0.12
METAL_REFLECTANCE = 0.75  # reflectance = albedo ** this: near the base colour, a little lifted
METAL_GAIN = 2.4  # Cycles' metals read brighter than their base colour
RUBBER_GAIN = 1.35  # CLEVR's rubber reads lighter than its sRGB base colour
RAY_CHUNK = 1 << 16  # rays shaded at once: bounds memory, large enough to keep NumPy efficient


GAMMA = 2.2  # the images' encoding of linear light


def srgb_to_linear(c):
    return (np.asarray(c, np.float32) / 255.0) ** GAMMA


def linear_to_srgb8(x):
    return (np.clip(x, 0, 1) ** (1 / GAMMA) * 255 + 0.5).astype(np.uint8)


def encoded_ratio(kept: np.ndarray) -> np.ndarray:
    """A share of linear light (Rendering.kept) as the factor it puts on encoded pixel values."""
    return np.clip(kept, 0, 1) ** (1 / GAMMA)


@dataclass
class Rendering:
    image: np.ndarray  # (H, W, 3) uint8
    instance: np.ndarray  # (H, W) int16: object index, -1 for the floor
    shadows: np.ndarray  # (n_objects, H, W) bool: where each object's shadow falls
    # (n_objects, H, W) float32, asked for with shading=True: the share of its light each pixel
    # keeps with the object there, against without it (1: no shadow; 1 on the objects themselves);
    # linear light: encoded_ratio() is what it does to the image's values
    kept: np.ndarray | None = None

    def mask(self, i: int) -> np.ndarray:
        return self.instance == i

    def bbox(self, i: int) -> list[int] | None:
        """Visible box [x0, y0, x1, y1] in pixels, x1 and y1 exclusive; None if hidden."""
        ys, xs = np.nonzero(self.instance == i)
        if len(xs) == 0:
            return None
        return [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]

    def pixel_counts(self) -> np.ndarray:
        n = self.shadows.shape[0]
        return np.bincount(self.instance[self.instance >= 0].ravel(), minlength=n)[:n]


def min_pixels(width: int, height: int) -> int:
    """CLEVR's visibility threshold, scaled with the image area."""
    return max(1, round(MIN_PIXELS_PER_OBJECT * width * height / (320 * 240)))


class Renderer:
    def __init__(self, scene: dict, width: int = 320, height: int = 240):
        self.width, self.height = width, height
        self.camera = Camera.from_dict(scene.get("camera"))
        self.objects = scene["objects"]
        self.shapes = [Shape(o) for o in self.objects]
        self.albedo = np.array([srgb_to_linear(COLORS[o["color"]]) for o in self.objects] + [[0, 0, 0]], np.float32)
        self.albedo[:-1] *= np.where([o["material"] == "rubber" for o in self.objects], RUBBER_GAIN, 1.0)[:, None]
        self.albedo[-1] = FLOOR_ALBEDO  # index -1: the floor
        self.metal = np.array([o["material"] == "metal" for o in self.objects] + [False])
        self.lights = scene_lights(scene)
        rng = np.random.default_rng(scene.get("render_seed", 0))
        self.pixel_angle = (rng.random(height * width, dtype=np.float32) * 2 * np.pi)
        self.disc = disc_samples(SHADOW_SAMPLES)

    # ---------------------------------------------------------------- geometry
    def closest(self, O, D, skip=None):
        """First hit along each ray: (t, index) with index -1 for the floor, -2 for nothing."""
        down = D[:, 2] < -1e-6
        t = np.where(down, -O[:, 2] / np.where(down, D[:, 2], -1), INF).astype(np.float32)
        ids = np.where(down, -1, -2).astype(np.int16)
        for i, s in enumerate(self.shapes):
            cand = s.near(O, D)
            if skip is not None:
                cand &= skip != i
            idx = np.nonzero(cand)[0]
            if len(idx) == 0:
                continue
            ti = s.intersect(O[idx], D[idx])
            better = ti < t[idx]
            t[idx[better]] = ti[better]
            ids[idx[better]] = i
        return t, ids

    def normals(self, P, ids):
        N = np.zeros_like(P)
        N[:, 2] = 1
        for i, s in enumerate(self.shapes):
            sel = ids == i
            if sel.any():
                N[sel] = s.normal(P[sel])
        return N

    # ---------------------------------------------------------------- shading
    def shade(self, O, D, angle, primary=True, skip=None):
        """Radiance along rays; with primary=True also ids and each object's light share taken.

        Secondary (reflected) rays get unshadowed light and no further bounce; skip names the
        object each reflected ray leaves, which it must not hit again."""
        t, ids = self.closest(O, D, skip)
        M = len(O)
        hit = ids >= -1
        P = O + D * np.where(hit, t, 0)[:, None]
        N = self.normals(P, ids)
        albedo = self.albedo[ids]  # ids == -2 indexes the last object; masked out below
        metal = self.metal[ids] & (ids >= 0)
        sky = np.float32(AMBIENT) * (0.75 + 0.25 * N[:, 2])
        taken = None
        if primary:
            # the floor's sky light is Blender's sun lamp: objects shadow it
            taken = np.zeros((len(self.shapes), M), np.float32)
            f = np.nonzero(ids == -1)[0]
            v, blocked = sun_visibility(self.shapes, self.disc, P[f], N[f], ids[f], angle[f], SUN[0], SUN[1] / 2)
            sky[f] *= BOUNCE + (1 - BOUNCE) * v
            taken[:, f] = blocked * AMBIENT * (1 - BOUNCE)
        diffuse = sky.copy()
        spec = np.zeros(M, np.float32)
        for light in self.lights:
            pos, power, _, beam = light
            L = pos - P
            d2 = np.einsum("ij,ij->i", L, L)
            l = L / np.sqrt(d2)[:, None]
            ndl = np.clip(np.einsum("ij,ij->i", N, l), 0, None)
            # area lamps face the origin and emit with a cosine lobe, as Blender's do
            aim = -pos / np.linalg.norm(pos)
            lobe = np.clip(-(l @ aim), 0, None) ** beam
            irr = LIGHT_SCALE * power * ndl * lobe / d2
            if primary:
                lit = np.nonzero((ndl > 0) & hit)[0]
                vis = np.ones(M, np.float32)
                v, blocked = visibility(self.shapes, self.disc, P[lit], N[lit], ids[lit], angle[lit], light)
                vis[lit] = v
                taken[:, lit] += blocked * irr[lit]
            else:
                vis = 1.0
            diffuse += irr * vis
            H = l - D
            H /= np.linalg.norm(H, axis=1, keepdims=True) + 1e-12
            ndh = np.clip(np.einsum("ij,ij->i", N, H), 0, 1)
            gain = LIGHT_SCALE * power * lobe / d2 * vis * (ndl > 0)
            spec += gain * np.where(metal, METAL_SPEC[0] * ndh ** METAL_SPEC[1], RUBBER_SHEEN[0] * ndh ** RUBBER_SHEEN[1])

        # in a reflection, a metal object is seen by its colour (no second bounce)
        metal_diffuse = METAL_DIFFUSE if primary else 0.6
        col = albedo * np.where(metal, metal_diffuse, 1.0)[:, None] * diffuse[:, None]
        # a metal's highlights are the lamps' reflections, tinted only a little by its colour
        col += spec[:, None] * np.where(metal[:, None], 0.5 + 0.5 * np.sqrt(albedo), 1.0)
        if primary and metal.any():
            m = np.nonzero(metal)[0]
            R = D[m] - 2 * np.einsum("ij,ij->i", D[m], N[m])[:, None] * N[m]
            refl, _, _, _ = self.shade(P[m] + N[m] * (EPS * 20), R, angle[m], primary=False, skip=ids[m])
            cosv = np.clip(-np.einsum("ij,ij->i", D[m], N[m]), 0, 1)
            f0 = albedo[m] ** METAL_REFLECTANCE
            fresnel = f0 + (1 - f0) * ((1 - cosv) ** 5)[:, None]
            col[m] += METAL_GAIN * fresnel * refl
        env = self.environment(D)
        col = np.where(hit[:, None], col, env)
        return col, ids, taken, diffuse

    @staticmethod
    def environment(D):
        """The world seen by rays that leave the scene: a dim gray dome, brighter low down."""
        z = np.clip(D[:, 2], 0, 1)[:, None]
        return (0.16 * (1 - z) + 0.035 * z) * np.ones((1, 3), np.float32)

    # ---------------------------------------------------------------- passes
    def render(self, antialias: bool = True, shading: bool = False) -> Rendering:
        W, H = self.width, self.height
        py, px = np.mgrid[0:H, 0:W].astype(np.float32)
        px, py = px.ravel() + 0.5, py.ravel() + 0.5
        D = self.camera.rays(W, H, px, py)
        O = np.broadcast_to(np.asarray(self.camera.location, np.float32), D.shape)
        col, ids, taken, light = self.shade_chunked(O, D, self.pixel_angle)
        ids2 = ids.reshape(H, W)
        del D, O
        col = denoise(col.reshape(H, W, 3), light.reshape(H, W), ids2, self.metal, W)
        if antialias:
            self.antialias(col, ids2)
        shadows = shadow_masks(taken, light, ids2)
        kept = kept_light(taken, light, ids2) if shading else None
        return Rendering(linear_to_srgb8(col), ids2.astype(np.int16), shadows, kept)

    def shade_chunked(self, O, D, angle):
        """shade() over blocks of rays, so peak memory stays flat whatever the image size."""
        parts = [self.shade(O[i:i + RAY_CHUNK], D[i:i + RAY_CHUNK], angle[i:i + RAY_CHUNK])
                 for i in range(0, len(D), RAY_CHUNK)]
        return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                np.concatenate([p[2] for p in parts], axis=1), np.concatenate([p[3] for p in parts]))

    def ids_only(self) -> np.ndarray:
        """Instance map from primary rays alone: what the visibility check needs."""
        W, H = self.width, self.height
        py, px = np.mgrid[0:H, 0:W].astype(np.float32)
        D = self.camera.rays(W, H, px.ravel() + 0.5, py.ravel() + 0.5)
        O = np.broadcast_to(np.asarray(self.camera.location, np.float32), D.shape)
        return self.closest(O, D)[1].reshape(H, W)

    def antialias(self, col, ids):
        """Re-render outline pixels as the mean of a 2×2 grid of sub-pixel rays."""
        edge = np.zeros_like(ids, bool)
        edge[:, 1:] |= ids[:, 1:] != ids[:, :-1]
        edge[:, :-1] |= ids[:, 1:] != ids[:, :-1]
        edge[1:] |= ids[1:] != ids[:-1]
        edge[:-1] |= ids[1:] != ids[:-1]
        ys, xs = np.nonzero(edge)
        if len(xs) == 0:
            return
        angle = self.pixel_angle.reshape(ids.shape)[ys, xs]
        offsets = ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))
        D = np.concatenate([self.camera.rays(self.width, self.height, xs + np.float32(dx), ys + np.float32(dy))
                            for dx, dy in offsets])
        O = np.broadcast_to(np.asarray(self.camera.location, np.float32), D.shape).copy()
        sub = self.shade_chunked(O, D, np.concatenate([angle + dx * 7 + dy * 3 for dx, dy in offsets]))[0]
        acc = sub.reshape(len(offsets), len(xs), 3).sum(axis=0)
        col[ys, xs] = acc / 4


def render_scene(scene: dict, width: int = 320, height: int = 240, antialias: bool = True,
                 shading: bool = False) -> Rendering:
    return Renderer(scene, width, height).render(antialias=antialias, shading=shading)
