"""The surroundings' grain in a textured hole: does it win photographs on both measures?

bgdip's fill of a photo's hole is smooth (its gradient energy a small share of the ring's), and
the confidence gate moves it towards the biharmonic fill, smoother still. A pixel-aligned
gradient measure (GMSD) counts a missing texture wherever the truth has one; SSIM rewards the
smooth guess. This adds A × the surroundings' own detail (the image minus its Gaussian blur,
σ S px, over known pixels only), mirrored across the hole's edge
(benchmarks.fill_rules.mirrored_detail), to a fill, in the holes bgdip gates (ring texture over
`confidence_texture`); every other hole keeps bgdip's fill. Variants per (S, A):
  - gate+detail:S:A         bgdip's gated fill plus the detail
  - gate+udetail:S:A        the same, the detail scaled by the gate's own doubt: (1 − g) with g
                            the network's share of the blend over its ungated share
  - biharmonic+detail:S:A   the biharmonic fill plus the detail
Object-shaped photo holes of one part (chosen on tuning, then run on confirmation: docs/benchmarks.md,
the surroundings' grain); rows per hole (`bgdip` the shipped gate, `bgdip-nogate` without it),
then paired differences against biharmonic over all of them (the ungated ones bgdip's in every
variant) and over the gated ones.

Usage:
  python -m benchmarks.grain --part tuning --sets photos,folder --photo-dir DIR \
      --details "2:0.25,2:0.5,1:0.5" --csv OUT.csv
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import torch

from simbil.inpaint.settings import BGDIP
from simbil.inpaint.texture import ring_texture
from simbil.metrics import scores

from .confidence import UNGATED, fills, object_holes
from .fill_rules import mirrored_detail
from .protocol import paired_markdown


def variants(h, details) -> dict[str, np.ndarray]:
    got = {k: v[0] for k, v in fills(h, UNGATED, [BGDIP.confidence], [1.0], 8, 1).items()}
    gate, net, harmonic = got[f"gate:{BGDIP.confidence:g}:1"], got["bgdip"], got["biharmonic"]
    m = h.mask
    # the network's share of the gated blend over its share without the gate, per pixel
    d = (net - harmonic)[m]
    share = np.clip(((gate - harmonic)[m] * d).sum(-1) / np.maximum((d * d).sum(-1), 1e-8), 0, 1)
    out = {"biharmonic": harmonic, "bgdip-nogate": net, "bgdip": gate}
    for spec in details:
        sigma, a = (float(x) for x in spec.split(":"))
        det = mirrored_detail(h.image, m, sigma)[m]
        for name, base, weight in (("gate+detail", gate, 1.0), ("gate+udetail", gate, (1 - share)[:, None]),
                                   ("biharmonic+detail", harmonic, 1.0)):
            o = base.copy()
            o[m] = np.clip(base[m] + a * weight * det, 0, 1)
            out[f"{name}:{spec}"] = o
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="photos,folder")
    ap.add_argument("--photo-dir")
    ap.add_argument("--part", default="tuning", choices=["tuning", "confirmation"])
    ap.add_argument("--details", default="2:0.25,2:0.5")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--csv", required=True)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    rows = []
    for set_name, h in object_holes(a.sets, a.part, a.photo_dir):
        textured = ring_texture(h.image, h.mask) > BGDIP.confidence_texture
        outs = variants(h, a.details.split(","))
        if not textured:  # bgdip's own fill in every variant but biharmonic
            outs = {k: (v if k == "biharmonic" else outs["bgdip-nogate"]) for k, v in outs.items()}
        for method, o in outs.items():
            rows.append({"set": "photos", "part": a.part, "hole": f"{set_name}/{h.name}", "method": method,
                         "gated": textured, **scores(o, h.truth, h.bbox, h.mask)})
        print(f"[{set_name}] {h.name} {'gated' if textured else 'not gated'}", flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(a.csv, index=False)
    print(df.groupby("method", sort=False)[["roi_ssim", "roi_gmsd", "grad_ratio"]].agg(["mean", "median"])
          .round(4).to_markdown())
    print()
    print(paired_markdown(df, "biharmonic"))
    print("Gated holes only:\n")
    print(paired_markdown(df[df.gated], "biharmonic"))


if __name__ == "__main__":
    main()
