"""Where a move or an addition lands, by rule: the IoU of the placed box with the true target's
box on the CLEVR-like pairs (their own edits, every relation of the target stated), for the
RNN's box as it comes, the free spot nearest it (the rule before this one), and
simbil.roi.floor.snap at several reaches of the prediction's pull (PULL), with and without a
move's minimum distance. Prints mean IoU per rule and its paired difference from the nearest
free spot, ± its standard error.

    python -m benchmarks.placement --model results/models/roi.pt [--pairs 100] [--start 200]
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import simbil.roi.floor as floor
from simbil.clevr.camera import Camera
from simbil.graphs import read_graph
from simbil.graphs.format import get_object, read_json
from simbil.pipeline import stages
from simbil.roi.features import iou
from simbil.roi.geometry import object_box
from simbil.roi.train import load, predict_boxes

W, H = 320, 240
PULLS = (0.5, 1.0, 1.5, 2.0, 3.0, math.inf)


def nearest_free(box, name, size, rels, others, cam) -> list[float]:
    """The free spot nearest the predicted box's floor point (snap's rule before it weighed the
    generator's spots)."""
    spots = floor.placeable_spots(name, size, rels, others, cam, W, H)
    want = floor.box_floor_point(box, cam, W, H)
    x, y = spots[int(np.argmin(np.hypot(*(spots - want).T)))]
    return object_box(name, size, float(x), float(y), cam, W, H)


def one(model, root: Path, mode: str, i: int) -> dict:
    d = stages.render_pair(str(root), mode, i, 0, W, H)
    g = read_graph(str(d / "source.json"))
    edit, truth = read_json(d / "edit.json"), read_graph(str(d / "target.json"))
    tid = edit["target"] if mode == "relationship" else truth["objects"][-1]["id"]
    t = get_object(truth, tid)
    name, size = t["name"], t["attributes"]["size"]
    cam = Camera.from_dict(g["camera"])
    others = {o["id"]: o for o in g["objects"] if o["id"] != tid}
    was = floor.floor_position(get_object(g, tid), cam, W, H) if mode == "relationship" else None
    rels = edit["relations"]
    raw = predict_boxes(model, [{"name": name, "size": size, "relations": rels, "objects": others}], W, H)[0]
    row = {"mode": mode, "pair": i, "rnn": iou(raw, t["bbox"]),
           "nearest free": iou(nearest_free(raw, name, size, rels, others, cam), t["bbox"])}
    default = floor.PULL
    try:
        for pull in PULLS:
            floor.PULL = pull
            label = f"pull {pull:g}" if math.isfinite(pull) else "pull ∞"
            row[label] = iou(floor.snap(raw, name, size, rels, others, cam, W, H, was), t["bbox"])
            if mode == "relationship":
                row[label + ", no distance"] = iou(floor.snap(raw, name, size, rels, others, cam, W, H), t["bbox"])
    finally:
        floor.PULL = default
    return row


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.placement", description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--pairs", type=int, default=100)
    ap.add_argument("--start", type=int, default=200, help="first pair (200–299: the development part)")
    ap.add_argument("--work", default="", help="folder for the rendered pairs (default: a temporary one)")
    ap.add_argument("--csv", default="")
    a = ap.parse_args(argv)
    model, root = load(a.model), Path(a.work or tempfile.mkdtemp(prefix="simbil-placement-"))
    rows = [one(model, root, m, i) for m in ("relationship", "addition") for i in range(a.start, a.start + a.pairs)]
    df = pd.DataFrame(rows)
    if a.csv:
        df.to_csv(a.csv, index=False)
    out = []
    for mode, g in df.groupby("mode", sort=False):
        for rule in [c for c in g.columns if c not in ("mode", "pair") and g[c].notna().all()]:
            diff = g[rule] - g["nearest free"]
            out.append({"mode": mode, "rule": rule, "pairs": len(g), "mean IoU": f"{g[rule].mean():.3f}",
                        "minus nearest free": f"{diff.mean():+.3f} ± {diff.std(ddof=1) / np.sqrt(len(g)):.3f}",
                        "better / worse": f"{(diff > 1e-9).sum()} / {(diff < -1e-9).sum()}"})
    print(pd.DataFrame(out).to_markdown(index=False))
    print(f"\nsnap's default PULL: {floor.PULL:g}")


if __name__ == "__main__":
    main()
