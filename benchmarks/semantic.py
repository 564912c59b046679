"""Every mode of the CLEVR-like benchmark through SIMBIL's stages, with the peers and ablations of
each op: prints per-mode markdown tables (RoI and whole-image scores) and the RoI predictor's
IoU beside the heuristic's, writes a CSV.

Usage: python benchmarks/semantic_benchmark.py [--pairs 50] [--start 0] [--modes ...] [--jobs 2]
           [--model results/models/roi.pt] [--csv benchmarks/results/semantic.csv]
Runs the same functions as the pipeline's rules, in worker processes (one torch thread each),
without Snakemake's per-job start-up. A method is a name of METHODS or a variant of one,
`label=name:key=value:...` (e.g. `bgdip-wide=bgdip:crop_margin=1.0:seam=2`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inpaint_benchmark import parse_method  # noqa: E402

from simbil.imageio import read_image  # noqa: E402
from simbil.metrics import scores  # noqa: E402
from simbil.pipeline import stages  # noqa: E402
from simbil.pipeline.config import OP_OF_MODE  # noqa: E402
from simbil.report import summary  # noqa: E402
from simbil.roi.features import iou  # noqa: E402

# name -> (method settings, ops it runs on); the same peers and ablations as config.yaml
METHODS = {
    "bgdip": ({"method": "bgdip"}, None),
    "naive": ({"method": "bgdip", "harmonise": False}, ("relation", "replace", "add", "attribute")),
    "telea": ({"method": "telea"}, None),
    "biharmonic": ({"method": "biharmonic"}, None),
    "bgdip-heuristic-roi": ({"method": "bgdip", "roi": "heuristic"}, ("relation", "add")),
    "bgdip-true-roi": ({"method": "bgdip", "roi": "truth"}, ("relation", "add")),
    # SIMBIL's edge re-mixing on a classical fill: what the network's background adds to it
    "biharmonic-unmatted": ({"method": "biharmonic", "harmonise": True}, ("attribute",)),
}


def resolve(spec: str) -> tuple[str, dict, tuple | None]:
    """(label, settings, ops) of a --methods entry: a METHODS name, or a variant of one."""
    label, base, extra = parse_method(spec)
    if base not in METHODS:
        raise SystemExit(f"unknown method {base!r} in {spec!r} (known: {', '.join(METHODS)})")
    settings, ops = METHODS[base]
    return label, {**settings, **extra}, ops


def one_edit(args) -> list[dict]:
    root, mode, i, model, bank, methods, device, shadow = args
    import os

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
    truth = read_image(d / "target.png")
    rows = []
    op = OP_OF_MODE[mode]
    for name, settings, ops in methods:
        if ops and op not in ops:
            continue
        info = stages.run_method(str(d / "source.png"), str(e / "mask.png"), str(e / f"{name}.png"), name, settings,
                                 device=device, lock_dir=locks, quiet=True, plan_path=str(e / "plan.json"),
                                 graph_path=str(e / "graph.json"), bank=bank)
        rows.append({"mode": mode, "edit": f"{mode}-{i:03d}", "method": name, "seconds": info["seconds"],
                     "device": info["device"], **scores(read_image(e / f"{name}.png"), truth, p["roi"])})
    if "truth" in p["place"]:
        for src in ("rnn", "heuristic"):
            if src in p["place"] and op in ("relation", "add"):
                rows.append({"mode": mode, "edit": f"{mode}-{i:03d}", "method": f"roi:{src}",
                             "iou": iou(p["place"][src], p["place"]["truth"])})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=50)
    ap.add_argument("--start", type=int, default=0, help="first pair's index (tune on pairs the scores do not use)")
    ap.add_argument("--modes", default="relationship,replacement,addition,attribute,removal")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    ap.add_argument("--model", default="results/models/roi.pt")
    ap.add_argument("--bank-scenes", type=int, default=40)
    ap.add_argument("--shadow", default="known", choices=["known", "estimate", "none"], help="as masks.shadow")
    ap.add_argument("--work", default="", help="scratch folder (default: a temporary one)")
    ap.add_argument("--csv", default=str(Path(__file__).parent / "results" / "semantic.csv"))
    a = ap.parse_args()
    methods = [resolve(spec) for spec in a.methods.split(",")]  # a typo stops here, before any work
    root = Path(a.work or tempfile.mkdtemp(prefix="simbil-semantic-"))
    root.mkdir(parents=True, exist_ok=True)
    bank = root / "bank"
    if not (bank / "index.json").exists():
        from simbil.edits.bank import harvest

        harvest(bank, a.bank_scenes, 0)
    tasks = [(root, m, i, a.model, str(bank), methods, a.device, a.shadow) for m in a.modes.split(",")
             for i in range(a.start, a.start + a.pairs)]
    rows, t0 = [], time.perf_counter()
    with ProcessPoolExecutor(a.jobs) as pool:
        for n, r in enumerate(pool.map(one_edit, tasks), 1):
            rows += r
            if n % 25 == 0:  # a long run that is stopped keeps what it measured
                Path(a.csv).parent.mkdir(parents=True, exist_ok=True)
                pd.DataFrame(rows).to_csv(a.csv, index=False)
            print(f"[{n}/{len(tasks)}] {r[0]['edit']}  {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
    df = pd.DataFrame(rows)
    Path(a.csv).parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(a.csv, index=False)
    px = df[~df["method"].str.startswith("roi:")]
    print(f"\n{a.pairs} pairs per mode; device {px['device'].iloc[0]}; RoI = the edited object's box in the "
          "target image, widened 2 px (SIMSG); means per mode, the best RoI SSIM in bold.\n")
    print(summary(px, "mode", order=[label for label, _, _ in methods]))
    roi = df[df["method"].str.startswith("roi:")]
    if len(roi):
        t = roi.groupby(["mode", "method"])["iou"].agg(mean_iou="mean", share_iou50=lambda v: float((v >= 0.5).mean()),
                                                      n="size")
        print("RoI boxes against the target's box:\n")
        print(t.round(3).to_markdown() if hasattr(t, "to_markdown") else t.round(3).to_string())
    print(f"\nwrote {a.csv}")


if __name__ == "__main__":
    main()
