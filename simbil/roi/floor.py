"""Free floor for a placed object. The floor says where it can stand: where every stated relation
holds (as CLEVR computes relations), no object overlaps another (CLEVR's placement rule) and the
object shows inside the image. Of those spots it takes the one whose box overlaps most, on
average, the boxes of the places CLEVR's generator could have put it given the relations (a
move: at least MOVE_DISTANCE from where it stood): the middle of where the object may stand.
The spot nearest a predicted box instead lands on the edge of the free floor whenever the
prediction lies on another object, and the truth rarely stands there. Relations that no spot
can satisfy are refused, named."""

from __future__ import annotations

import math

import numpy as np

from ..clevr.camera import Camera
from ..clevr.properties import (MARGIN, MIN_DIST, MOVE_DISTANCE, PLACEMENT_RANGE, PREDICATES, RELATION_EPS,
                                half_extent)
from .geometry import floor_point, object_box, surface_points

KEY = {v: k for k, v in PREDICATES.items()}  # "left of" -> "left"
STEP = 0.12  # grid of floor positions searched, world units
SLACK = 0.2  # clearance kept beyond CLEVR's, for the error of positions read back from boxes
PRIOR_STEP = 0.1  # grid of the places the generator could choose, world units
# world units (> 0): how far the predicted box's preference reaches. Infinite: the prediction does
# not choose among free spots (the highest mean IoU over the tuning sets; docs/benchmarks.md)
PULL = math.inf


class NoPlace(ValueError):
    """No free floor satisfies the relations; the message names the ones in conflict."""


def floor_position(obj: dict, camera: Camera, width: int, height: int) -> tuple[float, float] | None:
    """Where on the floor an object of the graph stands: the point whose projected box has the
    box's centre x and top (a nearer object often hides a box's bottom, rarely its top), by a few
    Newton steps from the floor under the box's bottom centre."""
    x0, y0, x1, y1 = obj["bbox"]
    size = obj["attributes"].get("size", "large")
    start = floor_point(camera, (x0 + x1) / 2, min(float(y1), height - 1.0), width, height)
    if start is None:
        return None
    p = np.array(start, float)
    aim = np.array([(x0 + x1) / 2, y0], float)

    def seen(q):
        b = object_box(obj["name"], size, q[0], q[1], camera, width, height)
        return np.array([(b[0] + b[2]) / 2, b[1]])

    for _ in range(8):
        f = seen(p)
        jac = np.stack([(seen(p + d) - f) / 1e-3 for d in ((1e-3, 0.0), (0.0, 1e-3))], axis=1)
        try:
            p = p + np.clip(np.linalg.solve(jac, aim - f), -1.0, 1.0)
        except np.linalg.LinAlgError:
            break
    return float(p[0]), float(p[1])


def holds(predicate: str, subject, obj, directions: dict) -> bool:
    v = directions[KEY[predicate]]
    return (subject[0] - obj[0]) * v[0] + (subject[1] - obj[1]) * v[1] > RELATION_EPS


def _grid(step: float = STEP, reach: float = 2 * PLACEMENT_RANGE) -> np.ndarray:
    """Floor positions out to `reach`: by default twice the generator's placement range (the
    image shows more floor)."""
    g = np.arange(-reach, reach + 1e-9, step)
    xx, yy = np.meshgrid(g, g)
    return np.stack([xx.ravel(), yy.ravel()], 1)


def object_boxes(name: str, size: str, pts: np.ndarray, camera: Camera, width: int, height: int,
                 chunk: int = 1024) -> np.ndarray:
    """geometry.object_box at many floor points (N, 2) at once: (N, 4)."""
    shape = surface_points(name, size, 0.0, 0.0)
    out = np.empty((len(pts), 4))
    for i in range(0, len(pts), chunk):
        part = pts[i:i + chunk]
        world = shape[None] + np.c_[part, np.zeros(len(part))][:, None]
        p = camera.project(world.reshape(-1, 3), width, height).reshape(len(part), len(shape), 3)
        out[i:i + chunk] = np.stack([p[..., 0].min(1), p[..., 1].min(1), p[..., 0].max(1), p[..., 1].max(1)], 1)
    return out


def _positions(others: dict, camera: Camera, width: int, height: int) -> dict:
    return {k: floor_position(o, camera, width, height) for k, o in others.items() if o.get("bbox")}


def _radius(obj: dict) -> float:
    return half_extent(obj["name"], obj["attributes"].get("size", "large"))


def free_spots(name: str, size: str, relations: list[dict], others: dict[str, dict], camera: Camera,
               width: int, height: int, check_floor: bool = True, slack: float | None = SLACK) -> np.ndarray:
    """Floor positions (N, 2) where the relations hold (by half of `slack` more than CLEVR's
    margin) and, with check_floor, the whole object shows in the image and (unless slack is None)
    keeps CLEVR's clearance plus `slack` from every other object."""
    directions = camera.directions()
    pos = _positions(others, camera, width, height)
    pts = _grid()
    ok = np.ones(len(pts), bool)
    for r in relations:
        q = pos.get(r["object"])
        if q is not None:
            v = directions[KEY[r["predicate"]]]
            ok &= (pts[:, 0] - q[0]) * v[0] + (pts[:, 1] - q[1]) * v[1] > RELATION_EPS + (slack or 0) / 2
    if check_floor and slack is not None:
        radius = half_extent(name, size)
        for k, q in pos.items():
            if q is not None:
                ok &= np.hypot(pts[:, 0] - q[0], pts[:, 1] - q[1]) - radius - _radius(others[k]) >= MIN_DIST + slack
    if check_floor and ok.any():
        b = object_boxes(name, size, pts[ok], camera, width, height)
        ok[ok] = (b[:, 0] >= 0) & (b[:, 1] >= 0) & (b[:, 2] <= width) & (b[:, 3] <= height)
    return pts[ok]


def generator_spots(name: str, size: str, relations: list[dict], others: dict, camera: Camera, width: int,
                    height: int, moved_from=None) -> np.ndarray:
    """The floor positions (N, 2) CLEVR's generator could have chosen for the object: in its
    placement square, CLEVR's clearance from every other object, no near-alignment with one
    (its MARGIN rule), the stated relations holding; for a move (moved_from, a floor point) at
    least MOVE_DISTANCE away where any such spot is. The rules are simbil.clevr.sampler's
    placement_ok over a grid at once (tests/test_floor.py checks they accept the same points)."""
    directions = camera.directions()
    pos = {k: q for k, q in _positions(others, camera, width, height).items() if q is not None}
    pts = _grid(PRIOR_STEP, PLACEMENT_RANGE)
    ok = np.ones(len(pts), bool)
    radius = half_extent(name, size)
    for k, q in pos.items():
        dx, dy = pts[:, 0] - q[0], pts[:, 1] - q[1]
        ok &= np.hypot(dx, dy) - radius - _radius(others[k]) >= MIN_DIST
        for v in (directions[n] for n in PREDICATES):
            t = dx * v[0] + dy * v[1]
            ok &= ~((t > 0) & (t < MARGIN))
    for r in relations:
        if r["object"] in pos:
            q, v = pos[r["object"]], directions[KEY[r["predicate"]]]
            ok &= (pts[:, 0] - q[0]) * v[0] + (pts[:, 1] - q[1]) * v[1] > RELATION_EPS
    if moved_from is not None:
        far = ok & (np.hypot(pts[:, 0] - moved_from[0], pts[:, 1] - moved_from[1]) >= MOVE_DISTANCE)
        ok = far if far.any() else ok
    return pts[ok]


def _pairwise_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ix = np.clip(np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None)
    iy = np.clip(np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]), 0, None)
    inter = ix * iy
    area = lambda x: (x[:, 2] - x[:, 0]) * (x[:, 3] - x[:, 1])  # noqa: E731
    return inter / np.maximum(area(a)[:, None] + area(b)[None, :] - inter, 1e-9)


def conflict(name: str, size: str, relations: list[dict], others: dict, camera: Camera, width: int,
             height: int) -> str:
    """Why no spot is free: the smallest set of relations no floor position satisfies, or that
    the floor is taken where they hold."""
    def fine(rels, floor=False):
        return len(free_spots(name, size, rels, others, camera, width, height, check_floor=floor)) > 0

    words = [f"{r['predicate']} {r['object']}" for r in relations]
    for i, r in enumerate(relations):
        if not fine([r]):
            return f"'{words[i]}' holds nowhere on the floor"
    for i in range(len(relations)):
        for j in range(i + 1, len(relations)):
            if not fine([relations[i], relations[j]]):
                return f"'{words[i]}' and '{words[j]}' cannot both hold"
    if not fine(relations):
        return "'" + "', '".join(words) + "' cannot all hold"
    return "where '" + "', '".join(words) + "' hold, other objects take the floor or the object leaves the image"


def placeable_spots(name: str, size: str, relations: list[dict], others: dict, camera: Camera, width: int,
                    height: int) -> np.ndarray:
    """free_spots with the widest margins that leave any: CLEVR's clearance plus SLACK, then
    CLEVR's own, then the relations in the image, then the relations alone (many relations pin a
    spot the grid may straddle); NoPlace, naming the conflict, where the relations hold nowhere."""
    for check, slack in ((True, SLACK), (True, 0.0), (True, None), (False, None)):
        spots = free_spots(name, size, relations, others, camera, width, height, check, slack)
        if len(spots):
            return spots
    raise NoPlace(conflict(name, size, relations, others, camera, width, height))


def box_floor_point(box, camera: Camera, width: int, height: int) -> np.ndarray:
    """The floor point a box stands on (the middle of its bottom edge); the origin if that
    point is off the floor."""
    p = floor_point(camera, (box[0] + box[2]) / 2, min(box[3], height - 1.0), width, height)
    return np.array(p if p is not None else (0.0, 0.0))


def snap(box, name: str, size: str, relations: list[dict], others: dict, camera: Camera, width: int,
         height: int, moved_from=None) -> list[float]:
    """The box of the free spot most likely to be where the object belongs: the highest mean
    IoU with the boxes of generator_spots, each weighted by exp(-d²/2·PULL²), d its distance from
    the floor point the predicted box stands on (PULL infinite: all alike); where the generator's
    grid holds no spot the relations allow (they pin a spot it straddles), the free spots
    themselves, with no move distance. The candidates are placeable_spots."""
    spots = placeable_spots(name, size, relations, others, camera, width, height)
    want = box_floor_point(box, camera, width, height)
    likely = generator_spots(name, size, relations, others, camera, width, height, moved_from)
    if not len(likely):
        likely = spots
    weight = np.exp(-((likely - want) ** 2).sum(1) / (2 * PULL**2))
    if weight.sum() < 1e-12:  # the prediction lies far from every likely spot: they all count
        weight = np.ones(len(likely))
    boxes = object_boxes(name, size, spots, camera, width, height)
    seen = object_boxes(name, size, likely, camera, width, height)
    score = np.concatenate([_pairwise_iou(boxes[i:i + 512], seen) @ weight for i in range(0, len(boxes), 512)])
    x, y = spots[int(np.argmax(score))]
    return object_box(name, size, float(x), float(y), camera, width, height)
