"""Shadow-aware removal masks on CLEVR-like removals, where the renderer knows every shadow.

1. How well the image-only estimate (simbil.shadow) recovers the shadow: IoU, recall and
   precision against the *visible* shadow (the renderer's shadow mask where the source is at
   least 8 % darker than the target rendered without the object) and IoU against the renderer's
   own mask (every pixel losing ≥ 2 % of its light: mostly invisible penumbra); with ablations.
2. What it buys: removal with holes made of the dilated object mask alone (bare), plus the
   estimated shadow, plus the renderer's mask, plus the visible shadow (oracle); mean SSIM on
   the RoI (object box + 2 px, DESIGN §6), on the box around object and visible shadow, and on
   the whole image, for each inpainter.

Pairs use a seed the estimator's settings were not tuned on (tuning used seed 0).

Usage: python -m benchmarks.shadow [--pairs 40] [--seed 7] [--methods bgdip,biharmonic]
           [--csv benchmarks/results/shadow.csv] [--sheet benchmarks/results/shadow.png]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import ndimage

from simbil.clevr.render import render_scene
from simbil.datasets.pairs import make_pair
from simbil.inpaint import inpaint
from simbil.metrics import scores
from simbil.report import contact_sheet, crop_around, overlay_mask
from simbil.shadow import ShadowSettings, estimate_shadow, luma

from .holes import _bbox

DILATE = 2  # as the pipeline's masks.dilate
VISIBLE = 0.92  # a visible shadow pixel is at most 92 % as bright as without the object
ABLATIONS = {
    "default": {},
    "both sides (no light-side cut)": {"one_side": False},
    "no colour check": {"chroma": 1.0},
    "no median": {"smooth": 1},
    "no growth": {"grow": 0},
    "reach 1.5 sizes": {"reach": 1.5},
    "plane floor (one fit to the ring) instead of local": {"reference": "plane"},
    "local floor at the 70th percentile": {"percentile": 70.0},
    "no area cap": {"max_area": 1e9},
}


def cases(n: int, seed: int) -> list[dict]:
    out = []
    for i in range(n):
        rng = np.random.default_rng([seed, 101, i])
        source, target, edit = make_pair(rng, "removal")
        k = next(j for j, o in enumerate(source["objects"]) if o["id"] == edit["target"])
        rs, rt = render_scene(source), render_scene(target)
        image, truth = rs.image.astype(np.float32) / 255, rt.image.astype(np.float32) / 255
        obj = rs.mask(k)
        others = (rs.instance >= 0) & ~obj
        visible = rs.shadows[k] & (luma(image) < VISIBLE * luma(truth)) & ~others
        out.append(dict(name=f"removal-{i:03d}", image=image, truth=truth, obj=obj, others=others,
                        renderer=rs.shadows[k], visible=visible))
    return out


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def estimate_table(cs: list[dict]) -> pd.DataFrame:
    rows = []
    for label, kw in ABLATIONS.items():
        st = replace(ShadowSettings(), **kw)
        m = []
        for c in cs:
            est = estimate_shadow(c["image"], c["obj"], c["others"], st)
            hit = (est & c["visible"]).sum()
            m.append((_iou(est, c["visible"]), hit / max(1, c["visible"].sum()), hit / max(1, est.sum()),
                      _iou(est, c["renderer"])))
        iou, rec, prec, iou_r = np.mean(m, axis=0)
        rows.append({"estimate": label, "IoU visible": iou, "recall": rec, "precision": prec,
                     "IoU renderer mask": iou_r})
    return pd.DataFrame(rows)


def holes(c: dict) -> dict[str, np.ndarray]:
    grow = lambda m: ndimage.binary_dilation(m, iterations=DILATE)  # noqa: E731
    est = estimate_shadow(c["image"], c["obj"], c["others"])
    return {"bare": grow(c["obj"]), "+estimate": grow(c["obj"] | est),
            "+renderer mask": grow(c["obj"] | c["renderer"]), "+visible (oracle)": grow(c["obj"] | c["visible"])}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.shadow", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--methods", default="bgdip,biharmonic")
    ap.add_argument("--csv", default="benchmarks/results/shadow.csv")
    ap.add_argument("--sheet", default="benchmarks/results/shadow.png")
    a = ap.parse_args(argv)

    t0 = time.time()
    cs = cases(a.pairs, a.seed)
    print(f"rendered {len(cs)} removal pairs in {time.time() - t0:.0f} s", flush=True)
    est = estimate_table(cs)
    print("\n## Shadow estimate vs the renderer's shadows\n")
    print(est.to_markdown(index=False, floatfmt=".3f"), flush=True)

    rows, shown = [], []
    methods = a.methods.split(",")
    for i, c in enumerate(cs):
        both = _bbox(c["obj"] | c["visible"])
        for hole_name, hole in holes(c).items():
            for method in methods:
                t = time.time()
                out = inpaint(c["image"], hole, method=method)
                s = scores(out, c["truth"], _bbox(c["obj"]))
                wide = scores(out, c["truth"], both)
                rows.append({"pair": c["name"], "mask": hole_name, "method": method, "hole px": int(hole.sum()),
                             "roi_ssim": s["roi_ssim"], "roi_ssim_simsg": s["roi_ssim_simsg"],
                             "shadow_roi_ssim": wide["roi_ssim"], "ssim": s["ssim"], "psnr": s["psnr"],
                             "seconds": time.time() - t})
                if i < 4 and method == methods[0]:
                    shown.append((c, hole_name, hole, out))
        print(f"[{i + 1}/{len(cs)}] {c['name']} done, {time.time() - t0:.0f} s", flush=True)
    df = pd.DataFrame(rows)
    Path(a.csv).parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(a.csv, index=False)
    est.to_csv(Path(a.csv).with_name(Path(a.csv).stem + "_estimate.csv"), index=False)
    table = (df.groupby(["method", "mask"], sort=False)
             [["hole px", "roi_ssim", "roi_ssim_simsg", "shadow_roi_ssim", "ssim", "psnr"]].mean().reset_index())
    print(f"\n## Removal by mask, {len(cs)} pairs (mean)\n")
    print(table.to_markdown(index=False, floatfmt=".4f"))
    _sheet(shown, a.sheet)
    print(f"\nCSV {a.csv}, contact sheet {a.sheet}; {time.time() - t0:.0f} s in all")


def _sheet(shown: list, path: str) -> None:
    """One row per pair: input | the hole and output of each mask | truth."""
    by_pair: dict[str, list] = {}
    for c, name, hole, out in shown:
        by_pair.setdefault(c["name"], [c]).append((name, hole, out))
    grid, boxes, labels = [], [], ["input"]
    for c, *entries in by_pair.values():
        row = [c["image"]]
        for name, hole, out in entries:
            row += [overlay_mask(c["image"], hole), out]
        grid.append(row + [c["truth"]])
        boxes.append(crop_around(_bbox(c["obj"] | c["visible"]), 320, 240))
    for name, *_ in next(iter(by_pair.values()))[1:]:
        labels += [f"hole {name}", f"out {name}"]
    contact_sheet(grid, labels + ["truth"], boxes).save(path)


if __name__ == "__main__":
    main()
