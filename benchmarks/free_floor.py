"""Placed objects on free floor: moves and additions of the CLEVR-like pairs, each with one or two
relations taken from the true target (as a person writes them), placed by the RNN's box alone
(before) and by that box moved to free floor (simbil.roi.floor.snap, after). Prints how often
every stated relation holds, how often the object overlaps another on the floor or leaves the
image, both against the objects' true 3D positions, and the mean IoU of each box with the true
target's.

    python -m benchmarks.free_floor --model results/models/roi.pt [--edits 200] [--seed 0] [--pull R]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from simbil.clevr.camera import Camera
from simbil.clevr.properties import MIN_DIST, PREDICATES, RELATION_EPS, half_extent
from simbil.datasets.pairs import make_pair, pair_rng
from simbil.graphs import from_clevr_scene
from simbil.roi.features import iou
from simbil.roi import floor
from simbil.roi.floor import NoPlace, floor_position, free_spots, snap
from simbil.roi.geometry import object_box
from simbil.roi.train import load, predict_boxes

KEY = {v: k for k, v in PREDICATES.items()}
W, H = 320, 240


def case(mode: str, i: int, seed: int, rng):
    """(graph with tight boxes, camera, others, truth 3D positions of the others, target name/size,
    relations, the target's true box, where a moved object stood)."""
    source, target, edit = make_pair(pair_rng(seed, mode, i), mode, W, H)
    g = from_clevr_scene(source, width=W, height=H)
    cam = Camera.from_dict(g["camera"])
    for o, so in zip(g["objects"], source["objects"]):  # the boxes the pipeline's graph files hold
        o["bbox"] = object_box(so["shape"], so["size"], so["3d_coords"][0], so["3d_coords"][1], cam, W, H,
                               so.get("rotation", 0.0))
    tg = from_clevr_scene(target, width=W, height=H)
    tid = edit["target"] if mode == "relationship" else tg["objects"][-1]["id"]
    mine = [r for r in tg["relationships"] if r["subject"] == tid]
    rels = [{"predicate": r["predicate"], "object": r["object"]}
            for r in rng.choice(mine, size=min(len(mine), int(rng.integers(1, 3))), replace=False)]
    t = next(o for o in target["objects"] if o["id"] == tid)
    others = {o["id"]: o for o in g["objects"] if o["id"] != tid}
    truth = {so["id"]: so for so in source["objects"] if so["id"] != tid}
    true_box = object_box(t["shape"], t["size"], t["3d_coords"][0], t["3d_coords"][1], cam, W, H, t.get("rotation", 0.0))
    was = next(o for o in g["objects"] if o["id"] == tid) if mode == "relationship" else None
    return g, cam, others, truth, t["shape"], t["size"], rels, true_box, was and floor_position(was, cam, W, H)


def judge(box, name, size, rels, truth, cam) -> tuple[bool, bool, bool]:
    """(every relation holds, overlaps another object, leaves the image) of a box."""
    p = floor_position({"bbox": box, "name": name, "attributes": {"size": size}}, cam, W, H)
    d = cam.directions()
    holds = all((p[0] - truth[r["object"]]["3d_coords"][0]) * d[KEY[r["predicate"]]][0]
                + (p[1] - truth[r["object"]]["3d_coords"][1]) * d[KEY[r["predicate"]]][1] > RELATION_EPS for r in rels)
    over = any(np.hypot(p[0] - o["3d_coords"][0], p[1] - o["3d_coords"][1]) - half_extent(name, size)
               - half_extent(o["shape"], o["size"]) < MIN_DIST for o in truth.values())
    b = object_box(name, size, p[0], p[1], cam, W, H)
    return holds, over, not (b[0] >= -1 and b[1] >= -1 and b[2] <= W + 1 and b[3] <= H + 1)


def _reach(text: str) -> float:
    r = float(text)
    if not r > 0:  # 0 or NaN would make every weight NaN
        raise argparse.ArgumentTypeError(f"--pull must be a positive number of world units, not {text!r}")
    return r


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--edits", type=int, default=200, help="per op")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pull", type=_reach, default=floor.PULL,
                    help="reach of the prediction's pull, world units (simbil.roi.floor.PULL; default infinite)")
    a = ap.parse_args(argv)
    floor.PULL = a.pull
    model = load(a.model)
    rng = np.random.default_rng([a.seed, 505])
    print("| op | edits | satisfiable | before: relations hold | overlap | outside | "
          "after: relations hold | overlap | outside | refused | IoU before | IoU after |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|")
    for mode, op in (("relationship", "move"), ("addition", "add")):
        n = sat = refused = 0
        before, after, iou_before, iou_after = np.zeros(3), np.zeros(3), [], []
        t0 = time.perf_counter()
        for i in range(a.edits):
            g, cam, others, truth, name, size, rels, true_box, was = case(mode, i, a.seed, rng)
            ex = {"name": name, "size": size, "relations": rels, "objects": others}
            box = predict_boxes(model, [ex], W, H)[0]
            n += 1
            ok = len(free_spots(name, size, rels, others, cam, W, H)) > 0
            sat += ok
            before += judge(box, name, size, rels, truth, cam)
            iou_before.append(iou(box, true_box))
            try:
                placed_box = snap(box, name, size, rels, others, cam, W, H, was)
            except NoPlace:
                refused += 1
                continue
            after += judge(placed_box, name, size, rels, truth, cam)
            iou_after.append(iou(placed_box, true_box))
        placed = max(n - refused, 1)
        print(f"| {op} | {n} | {100 * sat / n:.1f} % | {100 * before[0] / n:.1f} % | {100 * before[1] / n:.1f} % | "
              f"{100 * before[2] / n:.1f} % | {100 * after[0] / placed:.1f} % | {100 * after[1] / placed:.1f} % | "
              f"{100 * after[2] / placed:.1f} % | {refused} | {np.mean(iou_before):.3f} | {np.mean(iou_after):.3f} |",
              flush=True)
        print(f"  ({time.perf_counter() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
