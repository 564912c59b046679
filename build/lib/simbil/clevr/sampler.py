"""Random CLEVR scenes with the official generator's placement rules."""

from __future__ import annotations

import math

import numpy as np

from .camera import Camera
from .properties import (
    CAMERA_JITTER,
    CAMERA_LOCATION,
    COLORS,
    LIGHT_JITTER,
    LIGHTS,
    MARGIN,
    MATERIALS,
    MAX_RETRIES,
    MIN_DIST,
    PLACEMENT_RANGE,
    SHAPES,
    SIZES,
    half_extent,
)
from .relations import clevr_relationships
from .render import Renderer, min_pixels


class PlacementError(RuntimeError):
    """No valid place was found for an object within the retry budget."""


def _jitter(rng, base, amount):
    return [round(float(b + 2 * amount * (rng.random() - 0.5)), 6) for b in base]


def new_frame(rng: np.random.Generator) -> dict:
    """Camera, lights and render seed of one scene: shared by both images of a pair."""
    cam = Camera(location=tuple(_jitter(rng, CAMERA_LOCATION, CAMERA_JITTER)))
    return {
        "camera": cam.to_dict(),
        "lights": {k: {"location": _jitter(rng, v[0], LIGHT_JITTER)} for k, v in LIGHTS.items()},
        "directions": cam.directions(),
        "render_seed": int(rng.integers(2**31)),
    }


def random_object(rng: np.random.Generator, **fixed) -> dict:
    obj = {
        "shape": str(rng.choice(SHAPES)),
        "size": str(rng.choice(list(SIZES))),
        "material": str(rng.choice(MATERIALS)),
        "color": str(rng.choice(list(COLORS))),
        "rotation": round(float(360 * rng.random()), 4),
    }
    obj.update(fixed)
    return obj


def footprint(obj: dict) -> float:
    """The radius the placement rules use: the size, or the cube's shrunk scale."""
    return half_extent(obj["shape"], obj["size"])


def placement_ok(obj: dict, x: float, y: float, others: list[dict], directions: dict) -> bool:
    """CLEVR's rules: surfaces at least MIN_DIST apart, and no pair of objects so nearly aligned
    along left/right/front/behind that the relation between them would be ambiguous."""
    r = footprint(obj)
    for o in others:
        xx, yy = o["3d_coords"][:2]
        dx, dy = x - xx, y - yy
        if math.hypot(dx, dy) - r - footprint(o) < MIN_DIST:
            return False
        for name in ("left", "right", "front", "behind"):
            v = directions[name]
            if 0 < dx * v[0] + dy * v[1] < MARGIN:
                return False
    return True


def place(rng, obj: dict, others: list[dict], directions: dict, avoid=None, min_move=0.0) -> dict | None:
    """Put obj at a random valid position on the floor, or return None after MAX_RETRIES.

    avoid/min_move: keep the new position at least min_move from the point avoid."""
    for _ in range(MAX_RETRIES):
        x, y = (float(v) for v in rng.uniform(-PLACEMENT_RANGE, PLACEMENT_RANGE, 2))
        if avoid is not None and math.hypot(x - avoid[0], y - avoid[1]) < min_move:
            continue
        if placement_ok(obj, x, y, others, directions):
            out = dict(obj)
            out["3d_coords"] = [round(x, 6), round(y, 6), round(half_extent(obj["shape"], obj["size"]), 6)]
            return out
    return None


def all_visible(scene: dict, width: int, height: int) -> bool:
    """Every object shows at least CLEVR's minimum number of pixels."""
    ids = Renderer(scene, width, height).ids_only()
    counts = np.bincount(ids[ids >= 0].ravel(), minlength=len(scene["objects"]))
    return bool((counts >= min_pixels(width, height)).all())


def finish(scene: dict, width: int, height: int) -> dict:
    """Fill in the derived fields: pixel coordinates and relationships."""
    cam = Camera.from_dict(scene["camera"])
    pc = cam.project([o["3d_coords"] for o in scene["objects"]], width, height)
    for o, p in zip(scene["objects"], pc):
        o["pixel_coords"] = [int(round(p[0])), int(round(p[1])), round(float(p[2]), 4)]
    scene["relationships"] = clevr_relationships(scene["objects"], scene["directions"])
    return scene


def sample_scene(rng: np.random.Generator, n_objects: int, width: int = 320, height: int = 240,
                 max_scene_tries: int = 200, check_visible: bool = True) -> dict:
    """A scene of n_objects objects that all obey the placement rules and are all visible
    (check_visible=False skips the render that checks it: layouts only, for graph statistics)."""
    for _ in range(max_scene_tries):
        scene = new_frame(rng)
        objects: list[dict] = []
        for i in range(n_objects):
            obj = place(rng, random_object(rng), objects, scene["directions"])
            if obj is None:
                break
            obj["id"] = f"o{i}"
            objects.append(obj)
        else:
            scene["objects"] = objects
            if not check_visible or all_visible(scene, width, height):
                return finish(scene, width, height)
    raise PlacementError(f"no valid scene of {n_objects} objects in {max_scene_tries} tries")
