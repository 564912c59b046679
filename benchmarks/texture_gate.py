"""Would a textured ring send a hole to the biharmonic fill? Scored from committed rows, no fits.

The ring texture of a hole is the median, over the known pixels within 8 px of it, of
|luma − its Gaussian blur (σ 2 px)|, the blur taken over known pixels only. For each threshold the
gate gives the holes above it biharmonic's row instead of bgdip's; the table says how many it
gates and what that does to the means, against bgdip, paired over holes (GMSD sign-flipped:
positive is better). The last row is no gate but an oracle that knows the truth: each hole gets
whichever of the two fills has the lower RoI GMSD. Tuning part only: the tuning photos of `inpaint_tuning_fits.csv` and, with
--photo-dir, OpenCV's sample images of `inpaint_tuning_opencv_photos.csv`; with --sets all, the
texture's range on every set's holes too (both parts: it reads only the input).

    python -m benchmarks.texture_gate [--photo-dir DIR] [--sets all]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from simbil.inpaint.texture import ring_texture

from .holes import SETS, folder_photos, part

RESULTS = Path(__file__).parent / "results"
THRESHOLDS = (0.0, 0.004, 0.008, 0.012, float("inf"))


def gate_table(rows: pd.DataFrame, texture: dict) -> pd.DataFrame:
    p = rows.pivot_table(index="hole", columns="method", values=["roi_ssim", "roi_gmsd"])
    t = np.array([texture[h] for h in p.index])
    oracle = (p["roi_gmsd"]["biharmonic"] < p["roi_gmsd"]["bgdip"]).to_numpy()
    out = []
    for thr, g in [*((thr, t > thr) for thr in THRESHOLDS), ("oracle", oracle)]:
        s = np.where(g, p["roi_ssim"]["biharmonic"], p["roi_ssim"]["bgdip"])
        m = np.where(g, p["roi_gmsd"]["biharmonic"], p["roi_gmsd"]["bgdip"])
        ds, dm = s - p["roi_ssim"]["bgdip"].to_numpy(), p["roi_gmsd"]["bgdip"].to_numpy() - m
        se = lambda d: d.std(ddof=1) / np.sqrt(len(d))  # noqa: E731
        out.append({"threshold": thr, "gated": f"{g.sum()}/{len(g)}", "RoI SSIM": round(s.mean(), 4),
                    "RoI GMSD": round(m.mean(), 4), "SSIM − bgdip": f"{ds.mean():+.4f} ± {se(ds):.4f}",
                    "GMSD − bgdip (flipped)": f"{dm.mean():+.4f} ± {se(dm):.4f}"})
    return pd.DataFrame(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.texture_gate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--photo-dir", default="", help="OpenCV's sample images (docs/benchmarks.md says where from)")
    ap.add_argument("--sets", default="photos", help="'all': also the texture's range on every set")
    ap.add_argument("--blender-renders", default="", help="with --sets all: the Blender floors' folder")
    a = ap.parse_args(argv)
    cases = [("photos", SETS["photos"](2, 0), RESULTS / "inpaint_tuning_fits.csv")]
    if a.photo_dir:
        cases.append(("folder", folder_photos(2, 0, a.photo_dir), RESULTS / "inpaint_tuning_opencv_photos.csv"))
    for name, holes, csv in cases:
        texture = {h.name: ring_texture(h.image, h.mask) for h in holes}
        rows = pd.read_csv(csv)
        rows = rows[(rows.set == name) & (rows.part == "tuning") & rows.method.isin(["bgdip", "biharmonic"])]
        print(f"\n{name}, tuning part ({csv.name}):\n")
        print(gate_table(rows, texture).to_markdown(index=False))
    if a.sets == "all":
        sets = {"clevr": SETS["clevr"](50, 0), "real": SETS["real"](2, 0), "photos": cases[0][1]}
        if a.blender_renders:
            sets["blender"] = SETS["blender"](2, 0, a.blender_renders)
        if a.photo_dir:
            sets["folder"] = cases[1][1]
        print("\nring texture of the object-shaped holes (strokes left out), min – max:\n")
        for name, holes in sets.items():
            for p in ("tuning", "confirmation"):
                v = [ring_texture(h.image, h.mask) for h in holes if part(h) == p and not h.name.endswith("stroke")]
                if v:
                    print(f"- {name}, {p} ({len(v)}): {min(v):.4f} – {max(v):.4f}")


if __name__ == "__main__":
    main()
