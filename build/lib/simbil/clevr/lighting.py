"""Where the renderer's light is blocked: the scene's lights, soft shadows of the area lights,
the sun's soft shadows on the floor, the smoothing of shadow-ray noise within each surface,
and each object's shadow mask. simbil.clevr.render shades with these.

Every function is deterministic given its inputs: the per-pixel rotation of the shadow-ray
pattern (`angle`) comes from the scene's `render_seed`, not from the objects present.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from .properties import LIGHTS
from .shapes import EPS

SHADOW_SAMPLES = 8  # shadow rays per light per pixel
SHADOW_BLUR = 5  # window of the in-surface smoothing of shadow noise, pixels (at 320×240)
SHADOW_MASK_DROP = 0.02  # an object's shadow: where it takes ≥ 2 % of a pixel's light


def scene_lights(scene: dict) -> list[tuple[np.ndarray, float, float]]:
    lights = scene.get("lights") or {k: {"location": v[0]} for k, v in LIGHTS.items()}
    out = []
    for name, (_, power, radius, beam) in LIGHTS.items():
        out.append((np.asarray(lights[name]["location"], np.float32), power, radius, beam))
    return out


def disc_samples(k: int) -> np.ndarray:
    """k points spread evenly over the unit disc (Vogel's golden-angle spiral)."""
    i = np.arange(k) + 0.5
    r = np.sqrt(i / k)
    a = i * np.pi * (3 - np.sqrt(5))
    return np.stack([r * np.cos(a), r * np.sin(a)], axis=1).astype(np.float32)


def _blocked(shapes, disc, O, l, ids, angle, pad, rays):
    """The shadow-ray count both kinds of light share. For each shape, the points whose way to
    the light (l) passes within its bound plus pad(shape) cast the disc's samples, rotated per
    point by angle, along rays(idx, uu, vv) -> (unit directions, their lengths); a hit nearer
    than the length blocks. Returns vis (M,) and blocked (n_objects, M)."""
    M = len(O)
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    any_block = np.zeros((SHADOW_SAMPLES, M), bool)
    blocked = np.zeros((len(shapes), M), np.float32)
    for i, shape in enumerate(shapes):
        idx = np.nonzero(shape.near(O, l, pad=pad(shape)) & (ids != i))[0]
        if len(idx) == 0:
            continue
        # all samples at once: the pattern is rotated per pixel, so residual noise is fine-grained
        u, v = disc[:, 0:1], disc[:, 1:2]
        uu, vv = u * c[idx, 0] - v * s[idx, 0], u * s[idx, 0] + v * c[idx, 0]  # (K, n)
        D, length = rays(idx, uu, vv)
        Ok = np.broadcast_to(O[idx], (SHADOW_SAMPLES, len(idx), 3)).reshape(-1, 3)
        hits = (shape.intersect(Ok, D) < length).reshape(SHADOW_SAMPLES, -1)
        any_block[:, idx] |= hits
        blocked[i, idx] = hits.mean(axis=0)
    return 1 - any_block.mean(axis=0), blocked


def visibility(shapes, disc, P, N, ids, angle, light):
    """Fraction of an area light each point sees, and the fraction each object blocks.

    disc is the (SHADOW_SAMPLES, 2) sample pattern, rotated per point by angle.
    Returns vis (M,) and blocked (n_objects, M)."""
    pos, _, radius, _ = light
    L = pos - P
    l = L / np.linalg.norm(L, axis=1, keepdims=True)
    e1 = np.cross(l, np.array([0, 0, 1], np.float32))
    e1 /= np.linalg.norm(e1, axis=1, keepdims=True) + 1e-12
    e2 = np.cross(l, e1)
    O = P + N * (EPS * 20)

    def rays(idx, uu, vv):  # to points spread over the lamp's disc
        S = pos + radius * (uu[..., None] * e1[idx] + vv[..., None] * e2[idx])
        D = (S - O[idx]).reshape(-1, 3)
        length = np.linalg.norm(D, axis=1)
        return D / length[:, None], length

    return _blocked(shapes, disc, O, l, ids, angle, lambda shape: radius, rays)


def sun_visibility(shapes, disc, P, N, ids, angle, direction, half_angle):
    """Like visibility() for a light at infinity: shadow rays fan over a cone of half_angle around
    the way back to the sun (direction: the way its light travels; never along x)."""
    l = np.broadcast_to(-np.asarray(direction, np.float32) / np.linalg.norm(direction), (len(P), 3))
    e1 = np.cross(l, np.array([1, 0, 0], np.float32))
    e1 /= np.linalg.norm(e1, axis=1, keepdims=True)
    e2 = np.cross(l, e1)
    t = np.float32(np.tan(half_angle))

    def rays(idx, uu, vv):  # over the cone the sun's disc subtends
        D = l[idx] + t * (uu[..., None] * e1[idx] + vv[..., None] * e2[idx])
        return (D / np.linalg.norm(D, axis=-1, keepdims=True)).reshape(-1, 3), np.inf

    # pad: the cone's radius at the object's far side, seen from up to a unit away
    return _blocked(shapes, disc, P + N * (EPS * 20), l, ids, angle, lambda shape: t * (2 * shape.bound + 1), rays)


def denoise(col, light, ids, metal, width):
    """Smooth the shadow-ray noise: scale each pixel by the ratio of its surface's locally
    averaged light to its own, averaging only over pixels of the same surface.

    metal is indexed by object id (the floor's entry last); width sets the window."""
    size = max(3, round(SHADOW_BLUR * width / 320) | 1)
    smooth = light.copy()
    for i in np.unique(ids):
        m = (ids == i).astype(np.float32)
        num = ndimage.uniform_filter(light * m, size, mode="nearest")
        den = ndimage.uniform_filter(m, size, mode="nearest")
        sel = ids == i
        smooth[sel] = num[sel] / np.maximum(den[sel], 1e-6)
    gain = smooth / np.maximum(light, 1e-6)
    # only diffuse light was noisy; highlights of metals stay sharp
    nonmetal = ~metal[ids] | (ids < 0)
    return np.where(nonmetal[..., None], col * gain[..., None], col)


def shadow_masks(taken, light, ids):
    """(n_objects, H, W) bool: where each object takes ≥ SHADOW_MASK_DROP of a pixel's light.

    taken (n_objects, H·W) is the light each object blocks, light (H·W,) what each pixel gets."""
    H, W = ids.shape
    shadows = np.zeros((len(taken), H, W), bool)
    light = np.maximum(light, 1e-6).reshape(H, W)
    for i in range(len(taken)):  # one object at a time keeps 1080p within memory
        # the share is as noisy as the shadow rays; a 3×3 mean gives the mask a clean outline
        share = ndimage.uniform_filter(taken[i].reshape(H, W) / light, size=3, mode="nearest")
        shadows[i] = (share > SHADOW_MASK_DROP) & (ids != i)
    return shadows


def kept_light(taken, light, ids) -> np.ndarray:
    """(n_objects, H, W): the light each pixel keeps with each object there over what it would get
    without it, light / (light + taken), 3×3-smoothed as the masks are; 1 on objects' own pixels
    and where less than SHADOW_MASK_DROP is lost (the shadow rays' noise, far from the object)."""
    H, W = ids.shape
    light = np.maximum(light, 1e-6).reshape(H, W)
    kept = np.ones((len(taken), H, W), np.float32)
    for i in range(len(taken)):
        r = light / (light + taken[i].reshape(H, W))
        r = ndimage.uniform_filter(r, size=3, mode="nearest")
        kept[i] = np.where((ids >= 0) | (r > 1 - SHADOW_MASK_DROP), 1.0, r)
    return kept
