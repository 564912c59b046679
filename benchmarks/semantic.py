"""Every mode of the CLEVR-like benchmark through SIMBIL's stages, with the peers and ablations of
each op: prints per-mode markdown tables (RoI and whole-image scores) and the RoI predictor's
IoU beside the heuristic's, writes a CSV.

Moves, additions and replacements are also scored on a shadow RoI (`shadow_roi_*` columns): the
box of the object and its visible shadow in the true target; moves say whether a nearer object
hid part of the moved one (`partly_hidden`).

`--record-boxes FILE` writes where each move or addition was placed (its `rnn` box, after free
floor); `--boxes FILE` places them there instead of where this code would: two code versions
compared at the same placements (run one with today's benchmarks/ beside an older simbil/).

Usage: python -m benchmarks.semantic [--pairs 50] [--start 0] [--modes ...] [--jobs 2]
           [--methods ...] [--config config.yaml] [--model results/models/roi.pt]
           [--csv benchmarks/results/semantic.csv]
Runs the same functions as the pipeline's rules, in worker processes (one torch thread each),
without Snakemake's per-job start-up. A method is a name of the config's `methods:` table (then
benchmarks/methods.yaml's, then a registered inpainter) or a variant of one,
`label=name:key=value:...` (e.g. `bgdip-wide=bgdip:crop_margin=1.0:seam=2`); benchmarks/runner.py.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from simbil.datasets.bank import SCENES
from simbil.edits.make import RunOptions
from simbil.graphs import GraphError, read_json, write_json
from simbil.imageio import read_image, read_mask
from simbil.metrics import scores
from simbil.ops import OP_OF_MODE
from simbil.pipeline import stages
from simbil.report import summary
from simbil.roi.features import iou

from .runner import add_method_arguments, specs_from_args

# the peers and ablations of each op: config.yaml's methods, plus biharmonic-unmatted
# (benchmarks/methods.yaml: SIMBIL's edge re-mixing on a classical fill)
DEFAULT_METHODS = "bgdip,naive,telea,biharmonic,bgdip-heuristic-roi,bgdip-true-roi,biharmonic-unmatted"


def shadow_roi(pair: Path, target_id: str) -> list[int] | None:
    """The box of the edited object and its visible shadow in the true target (shadow: the
    renderer's mask of it, on floor that is ≥ 5 % darker than in the source), or None."""
    from simbil.shadow import luma

    masks = pair / "masks"
    if not (masks / f"target_{target_id}.png").exists():
        return None
    obj = read_mask(masks / f"target_{target_id}.png")
    was = read_mask(masks / f"source_{target_id}.png") if (masks / f"source_{target_id}.png").exists() else obj * False
    shadow = read_mask(masks / f"target_{target_id}_shadow.png")
    visible = shadow & ~obj & ~was & (luma(read_image(pair / "target.png")) < 0.95 * luma(read_image(pair / "source.png")))
    ys, xs = (obj | visible).nonzero()
    return [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1] if len(xs) else None


def _partly_hidden(graph_path: Path, target: str) -> bool | None:
    """Whether a nearer object touches the moved one in the source (simbil.edits.complete); None
    with a simbil older than that module (an old version run at --boxes)."""
    try:
        from simbil.edits.complete import occluders
    except ImportError:
        return None
    from simbil.edits.masks import object_mask
    from simbil.graphs import load_graph
    from simbil.graphs.format import get_object

    g = load_graph(graph_path)
    obj = get_object(g, target)
    return bool(occluders(g, str(graph_path), obj, object_mask(str(graph_path), g, obj)).any())


def one_edit(args) -> tuple[list[dict], dict]:
    """(rows, {edit: the box a move or an addition was placed at}) of one edit."""
    root, mode, i, model, bank, methods, device, shadow, given = args
    import torch

    torch.set_num_threads(1)
    # each worker its own lock folder: on one GPU the workers share the card instead of queueing
    locks = str(root / f"locks-{os.getpid()}")
    d = stages.render_pair(str(root / "pairs"), mode, i, 0, 320, 240)
    e = Path(tempfile.mkdtemp(dir=root))
    stages.make_graph(str(d / "source.json"), str(e / "graph.json"), str(d / "source.png"))
    stages.edit_spec(str(e / "edit.json"), f"{mode}-{i:03d}", f"clevr/{mode}/{i:06d}/source", pair_edit=str(d / "edit.json"))
    stages.removal_mask(str(e / "edit.json"), str(e / "graph.json"), str(e / "mask.png"), 2, shadow)
    p = stages.plan(str(e / "edit.json"), str(e / "graph.json"), str(e / "plan.json"), str(e / "g2.json"),
                    model, str(d / "target.json"))
    edit_id = f"{mode}-{i:03d}"
    if edit_id in given and "rnn" in p["place"]:
        p["place"]["rnn"] = given[edit_id]
        write_json(e / "plan.json", p)
    truth = read_image(d / "target.png")
    hole = read_mask(e / "mask.png")  # for grad_ratio: the fill's sharpness against its surroundings
    rows = []
    op = OP_OF_MODE[mode]
    run = RunOptions(seed=0, device=device, lock_dir=locks, threads=1, quiet=True)
    sroi = shadow_roi(d, p["target"]) if mode in ("relationship", "addition", "replacement") else None
    hidden = mode == "relationship" and _partly_hidden(e / "graph.json", p["target"])
    for spec in methods:
        if not spec.runs_on(op, "truth" in p["place"]):
            continue
        out = e / f"{spec.name}.png"
        info = stages.make_edit(str(d / "source.png"), str(e / "mask.png"), str(out), spec, run,
                                str(e / "plan.json"), str(e / "graph.json"), bank)
        result = read_image(out)
        rows.append({"mode": mode, "edit": edit_id, "method": spec.name, "seconds": info["seconds"],
                     "device": info["device"], **scores(result, truth, p["roi"], mask=hole),
                     **({f"shadow_{k}": v for k, v in scores(result, truth, sroi).items() if k.startswith("roi_")}
                        if sroi else {}), **({"partly_hidden": hidden} if mode == "relationship" else {})})
    if "truth" in p["place"]:
        for src in ("rnn", "heuristic"):
            if src in p["place"] and op in ("relation", "add", "replace"):
                rows.append({"mode": mode, "edit": edit_id, "method": f"roi:{src}",
                             "iou": iou(p["place"][src], p["place"]["truth"])})
    return rows, ({edit_id: p["place"]["rnn"]} if op in ("relation", "add") and "rnn" in p["place"] else {})


def given_boxes(path: str, ap: argparse.ArgumentParser) -> dict:
    """--boxes: {edit: [x0, y0, x1, y1]}, each four finite numbers with x0 < x1 and y0 < y1;
    anything else stops the run here (exit 2), naming the file and the edit."""
    try:
        boxes = read_json(path)
    except GraphError as e:
        ap.error(f"--boxes: {e}")
    if not isinstance(boxes, dict):
        ap.error(f"--boxes {path}: not a JSON object of edit: box")
    for edit, b in boxes.items():
        ok = isinstance(b, list) and len(b) == 4 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in b)
        if not (ok and b[0] < b[2] and b[1] < b[3]):
            ap.error(f"--boxes {path}: {edit}: not a box [x0, y0, x1, y1] of finite numbers, x0 < x1, y0 < y1: {b!r}")
    return boxes


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.semantic", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=50)
    ap.add_argument("--start", type=int, default=0, help="first pair's index (tune on pairs the scores do not use)")
    ap.add_argument("--modes", default="relationship,replacement,addition,attribute,removal")
    add_method_arguments(ap, DEFAULT_METHODS)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    ap.add_argument("--model", default="results/models/roi.pt")
    ap.add_argument("--bank-scenes", type=int, default=SCENES)
    ap.add_argument("--shadow", default="known", choices=["known", "estimate", "none"], help="as masks.shadow")
    ap.add_argument("--work", default="", help="scratch folder (default: a temporary one)")
    ap.add_argument("--boxes", default="", help="JSON {edit: box}: place those edits' objects there (--record-boxes)")
    ap.add_argument("--record-boxes", default="", help="write each move's and addition's placed box here (JSON)")
    ap.add_argument("--csv", default=str(Path(__file__).parent / "results" / "semantic.csv"))
    a = ap.parse_args(argv)
    methods = specs_from_args(a)  # a typo stops here, before any work
    given = given_boxes(a.boxes, ap) if a.boxes else {}
    root = Path(a.work or tempfile.mkdtemp(prefix="simbil-semantic-"))
    root.mkdir(parents=True, exist_ok=True)
    bank = root / "bank"
    if not (bank / "index.json").exists():
        from simbil.datasets.bank import harvest

        harvest(bank, a.bank_scenes, 0)
    tasks = [(root, m, i, a.model, str(bank), methods, a.device, a.shadow, given) for m in a.modes.split(",")
             for i in range(a.start, a.start + a.pairs)]
    rows, boxes, t0 = [], {}, time.perf_counter()
    with ProcessPoolExecutor(a.jobs) as pool:
        for n, (r, placed) in enumerate(pool.map(one_edit, tasks), 1):
            rows += r
            boxes.update(placed)
            if n % 25 == 0:  # a long run that is stopped keeps what it measured
                Path(a.csv).parent.mkdir(parents=True, exist_ok=True)
                pd.DataFrame(rows).to_csv(a.csv, index=False)
            print(f"[{n}/{len(tasks)}] {r[0]['edit']}  {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
    df = pd.DataFrame(rows)
    Path(a.csv).parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(a.csv, index=False)
    if a.record_boxes:
        write_json(a.record_boxes, boxes)
    px = df[~df["method"].str.startswith("roi:")]
    print(f"\n{a.pairs} pairs per mode; device {px['device'].iloc[0]}; RoI = the edited object's box in the "
          "target image, widened 2 px (SIMSG); means per mode, the best RoI SSIM in bold.\n")
    print(summary(px, "mode", order=[spec.name for spec in methods]))
    roi = df[df["method"].str.startswith("roi:")]
    if len(roi):
        t = roi.groupby(["mode", "method"])["iou"].agg(mean_iou="mean", share_iou50=lambda v: float((v >= 0.5).mean()),
                                                      n="size")
        print("RoI boxes against the target's box:\n")
        print(t.round(3).to_markdown() if hasattr(t, "to_markdown") else t.round(3).to_string())
    print(f"\nwrote {a.csv}")


if __name__ == "__main__":
    main()
