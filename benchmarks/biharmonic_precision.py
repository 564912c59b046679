"""How much the biharmonic fill's precision changes it, per hole of the inpainting benchmark.

scikit-image solves in its input's precision; the package solves in double precision
(simbil/inpaint/harmonic.py). For each hole: the largest and mean difference, inside the hole,
between the single- and double-precision fills (on biharmonic's own crop), and what double
precision changes in RoI SSIM and RoI GMSD.

Usage:
  python -m benchmarks.biharmonic_precision [--sets clevr,real,photos] --csv OUT.csv
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from skimage.restoration import inpaint_biharmonic

from simbil.inpaint import crop as cropping
from simbil.inpaint.settings import BiharmonicSettings
from simbil.metrics import scores

from .holes import SETS, part


def fills(image: np.ndarray, mask: np.ndarray) -> dict:
    c = cropping.plan_crop(mask, BiharmonicSettings().crop_margin, max_side=10**9)
    out = {}
    for dtype in (np.float32, np.float64):
        img, hole = cropping.take(image.astype(dtype), mask, c)
        fill = inpaint_biharmonic(img, hole, channel_axis=-1).astype(np.float32)
        out[np.dtype(dtype).name] = cropping.paste(image, mask, c, fill, seam=0)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="clevr,real,photos")
    ap.add_argument("--csv", required=True)
    a = ap.parse_args(argv)
    rows = []
    for set_name in a.sets.split(","):
        for h in SETS[set_name](**({"n": 50} if set_name == "clevr" else {"per_image": 2})):
            f = fills(h.image, h.mask)
            d = np.abs(f["float32"] - f["float64"]).max(-1)[h.mask]
            single, double = (scores(f[k], h.truth, h.bbox) for k in ("float32", "float64"))
            ys, xs = np.nonzero(h.mask)
            rows.append({"set": set_name, "part": part(h), "hole": h.name, "side": int(max(np.ptp(ys), np.ptp(xs)) + 1),
                         "max_diff": float(d.max()), "mean_diff": float(d.mean()),
                         "roi_ssim_gain": double["roi_ssim"] - single["roi_ssim"],
                         "roi_gmsd_gain": single["roi_gmsd"] - double["roi_gmsd"]})
    df = pd.DataFrame(rows)
    df.to_csv(a.csv, index=False)
    print(df.groupby(["set", "part"], sort=False).agg(
        holes=("hole", "size"), largest_side=("side", "max"), max_diff=("max_diff", "max"),
        holes_over_001=("max_diff", lambda x: int((x > 0.01).sum())), roi_ssim_gain=("roi_ssim_gain", "mean"),
        roi_gmsd_gain=("roi_gmsd_gain", "mean")).round(4).to_markdown())
    print()
    print(df[df.max_diff > 0.01].round(4).to_markdown(index=False))


if __name__ == "__main__":
    main()
