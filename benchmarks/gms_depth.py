"""Where in a hole GMSD is decided: the gradient magnitude similarity (GMSD's map) and the gradient
magnitude of each fill and of the truth, by depth into the hole.

GMSD is the standard deviation of the GMS map over the RoI, so a fill scores well where its
gradient magnitudes match the truth's pixel by pixel. Binning the map by distance from the hole's
edge (half-resolution pixels, as GMSD sees them; negative: outside the hole) shows whether two
fills part near the edge, where the known pixels pin them, or deep inside, where they guess.

Usage:
  python -m benchmarks.gms_depth --part tuning [--sets photos,folder] [--photo-dir DIR]
      [--methods bgdip,biharmonic] [--per-image 2] [--seed 0] --csv OUT.csv
Prints a markdown table (pixels pooled over the holes) and writes one row per hole, method and bin.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import torch
from scipy import ndimage

from simbil.inpaint import inpaint
from simbil.metrics import _half, gms_magnitude, gms_map, roi_box

from .confidence import object_holes

BINS = ((-4, -2), (-2, 0), (0, 1), (1, 2), (2, 4), (4, 8), (8, np.inf))


def depth_rows(set_name: str, h, fills: dict[str, np.ndarray]) -> list[dict]:
    """One row per method (and `truth`) and depth bin: pixel count, summed GMS and magnitude."""
    H, W = h.truth.shape[:2]
    x0, y0, x1, y1 = roi_box(h.bbox, W, H)
    truth = h.truth[y0:y1, x0:x1]
    hole = (_half(h.mask[y0:y1, x0:x1].astype(float), True) > 0)[1:-1, 1:-1]  # the grid gms_map(valid) gives
    # the RoI holds the whole hole, so whatever lies past it is known: pad it so before measuring depth
    padded = np.pad(hole, 1)
    depth = (ndimage.distance_transform_edt(padded) - ndimage.distance_transform_edt(~padded))[1:-1, 1:-1]
    maps = {m: (gms_map(f[y0:y1, x0:x1], truth, valid=True), gms_magnitude(f[y0:y1, x0:x1], valid=True))
            for m, f in fills.items()}
    maps["truth"] = (np.ones_like(depth), gms_magnitude(truth, valid=True))
    rows = []
    for lo, hi in BINS:
        sel = (depth > lo) & (depth <= hi)
        for m, (g, mag) in maps.items():
            rows.append({"set": set_name, "hole": h.name, "method": m, "bin": f"{lo}..{hi}", "pixels": int(sel.sum()),
                         "gms_sum": float(g[sel].sum()), "magnitude_sum": float(mag[sel].sum())})
    return rows


def table(df: pd.DataFrame) -> str:
    pooled = df.groupby(["bin", "method"], sort=False)[["pixels", "gms_sum", "magnitude_sum"]].sum()
    gms = (pooled.gms_sum / pooled.pixels).unstack("method")
    mag = (pooled.magnitude_sum / pooled.pixels).unstack("method")
    methods = [m for m in gms.columns if m != "truth"]
    head = ["depth (half-res px)", "pixels"] + [f"GMS {m}" for m in methods] + [f"magnitude {m}" for m in mag.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for b in gms.index:
        n = int(pooled.pixels.xs(b, level="bin").iloc[0])
        cells = [b, str(n)] + [f"{gms.loc[b, m]:.4f}" for m in methods] + [f"{mag.loc[b, m]:.2f}" for m in mag.columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--part", choices=["tuning", "confirmation"], required=True)
    p.add_argument("--sets", default="photos,folder")
    p.add_argument("--photo-dir", default=None)
    p.add_argument("--methods", default="bgdip,biharmonic")
    p.add_argument("--per-image", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--csv", required=True)
    a = p.parse_args(argv)
    torch.set_num_threads(2)
    rows = []
    for set_name, h in object_holes(a.sets, a.part, a.photo_dir, a.per_image, a.seed):
        rows += depth_rows(set_name, h, {m: inpaint(h.image, h.mask, m) for m in a.methods.split(",")})
        print(f"{set_name} {h.name}", flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(a.csv, index=False)
    print(table(df))


if __name__ == "__main__":
    main()
