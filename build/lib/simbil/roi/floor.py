"""Free floor for a placed object. A predicted box says where a person would like the object; the
floor says where it can stand: where every stated relation holds (as CLEVR computes relations),
no object overlaps another (CLEVR's placement rule) and the object shows inside the image. The
box goes to the free spot nearest its own floor point; relations that no spot can satisfy are
refused, named."""

from __future__ import annotations

import numpy as np

from ..clevr.camera import Camera
from ..clevr.properties import MIN_DIST, PLACEMENT_RANGE, PREDICATES, RELATION_EPS, half_extent
from .geometry import floor_point, object_box

KEY = {v: k for k, v in PREDICATES.items()}  # "left of" -> "left"
STEP = 0.12  # grid of floor positions searched, world units
SLACK = 0.2  # clearance kept beyond CLEVR's, for the error of positions read back from boxes


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


def _grid(step: float = STEP) -> np.ndarray:
    """Floor positions out to twice the generator's placement range (the image shows more floor)."""
    g = np.arange(-2 * PLACEMENT_RANGE, 2 * PLACEMENT_RANGE + 1e-9, step)
    xx, yy = np.meshgrid(g, g)
    return np.stack([xx.ravel(), yy.ravel()], 1)


def free_spots(name: str, size: str, relations: list[dict], others: dict[str, dict], camera: Camera,
               width: int, height: int, check_floor: bool = True, slack: float | None = SLACK) -> np.ndarray:
    """Floor positions (N, 2) where the relations hold (by half of `slack` more than CLEVR's
    margin) and, with check_floor, the whole object shows in the image and (unless slack is None)
    keeps CLEVR's clearance plus `slack` from every other object."""
    directions = camera.directions()
    pos = {k: floor_position(o, camera, width, height) for k, o in others.items() if o.get("bbox")}
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
                r_other = half_extent(others[k]["name"], others[k]["attributes"].get("size", "large"))
                ok &= np.hypot(pts[:, 0] - q[0], pts[:, 1] - q[1]) - radius - r_other >= MIN_DIST + slack
    if check_floor:
        for i in np.nonzero(ok)[0]:
            b = object_box(name, size, pts[i, 0], pts[i, 1], camera, width, height)
            ok[i] = b[0] >= 0 and b[1] >= 0 and b[2] <= width and b[3] <= height
    return pts[ok]


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


def snap(box, name: str, size: str, relations: list[dict], others: dict, camera: Camera, width: int,
         height: int) -> list[float]:
    """The box moved to the free spot nearest the floor point it stands on. Where the relations
    leave too little floor for the margin, CLEVR's own clearance is kept; where they leave none
    free, they still decide, in the image if they can (many relations pin a spot the grid may
    straddle); relations that hold nowhere are refused."""
    for floor, slack in ((True, SLACK), (True, 0.0), (True, None), (False, None)):
        spots = free_spots(name, size, relations, others, camera, width, height, floor, slack)
        if len(spots):
            break
    else:
        raise NoPlace(conflict(name, size, relations, others, camera, width, height))
    want = floor_point(camera, (box[0] + box[2]) / 2, min(box[3], height - 1.0), width, height)
    want = np.array(want if want is not None else (0.0, 0.0))
    x, y = spots[int(np.argmin(np.hypot(*(spots - want).T)))]
    return object_box(name, size, float(x), float(y), camera, width, height)
