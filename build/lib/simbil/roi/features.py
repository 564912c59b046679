"""What the RoI predictor reads: the target's relation triples, one step each, and the target's
own name and size. Boxes are normalised by the image size."""

from __future__ import annotations

import numpy as np

from ..clevr.properties import COLORS, MATERIALS, PREDICATES, SHAPES, SIZES

PRED = tuple(PREDICATES.values())
COLOR = tuple(COLORS)
SIZE = tuple(SIZES)
STEP_DIM = len(PRED) + len(SHAPES) + len(COLOR) + len(MATERIALS) + len(SIZE) + 4
OWN_DIM = len(SHAPES) + len(SIZE)


def _onehot(value, vocabulary) -> list[float]:
    return [1.0 if value == v else 0.0 for v in vocabulary]


def own_features(name: str, size: str) -> np.ndarray:
    return np.array(_onehot(name, SHAPES) + _onehot(size, SIZE), np.float32)


def step_features(relations: list[dict], objects: dict[str, dict], width: int, height: int) -> np.ndarray:
    """(T, STEP_DIM): one row per relation {predicate, object}, the other object as seen now."""
    rows = []
    for r in relations:
        o = objects[r["object"]]
        a = o.get("attributes", {})
        x0, y0, x1, y1 = o["bbox"]
        rows.append(_onehot(r["predicate"], PRED) + _onehot(o["name"], SHAPES) + _onehot(a.get("color"), COLOR)
                    + _onehot(a.get("material"), MATERIALS) + _onehot(a.get("size"), SIZE)
                    + [x0 / width, y0 / height, x1 / width, y1 / height])
    return np.array(rows, np.float32).reshape(len(rows), STEP_DIM)


def box_to_target(box, width: int, height: int) -> np.ndarray:
    """xyxy pixels -> (cx, cy, w, h) in [0, 1]."""
    x0, y0, x1, y1 = box
    return np.array([(x0 + x1) / 2 / width, (y0 + y1) / 2 / height, (x1 - x0) / width, (y1 - y0) / height],
                    np.float32)


def target_to_box(t, width: int, height: int) -> list[float]:
    cx, cy, w, h = (float(v) for v in t)
    return [(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height]


def iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
