"""A hidden band's veto: in a textured hole, the network's share only if the image says so.

On photographs bgdip's gated fill still trails biharmonic's on GMSD (docs/benchmarks.md, the
result). The issue's self-supervised choice, asked of the gated fill against the biharmonic one:
hide a band of B known pixels around the hole too, fit bgdip to what is left, compose both fills
of the enlarged hole (bgdip's gated blend, and biharmonic), and score each on the band, whose
truth is known. The hole then takes bgdip's shipped fill only where the band says it is the
better one by a margin; else biharmonic's. Only holes whose ring is textured (over bgdip's
`confidence_texture`) are asked, so every floor and CLEVR-like hole keeps bgdip's fill.

The band's verdict, per criterion:
  mse   mean squared error over the band's pixels
  gms   mean of 1 − GMS (gradient magnitude similarity, GMSD's map) over the band's pixels
  both  both of the above
Rules in the rows: `veto:CRIT:M` (bgdip's fill if its band score is below (1 − M) × biharmonic's),
and `self:CRIT:M`, the same with the band fit's own fill of the hole for bgdip's (one fit, not two).

Usage:
  python -m benchmarks.band_veto --part tuning [--sets photos,folder] [--photo-dir DIR] [--band 4]
      [--per-image 2] [--seed 0] [--margins 0,0.1,0.25] --csv OUT.csv
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import torch
from scipy import ndimage

from simbil.inpaint import crop as cropping
from simbil.inpaint import inpaint
from simbil.inpaint.confidence import gated, spread
from simbil.inpaint.dip import _biharmonic, _plan, _smooth
from simbil.inpaint.fit import fit
from simbil.inpaint.halo import halo_ratio
from simbil.inpaint.settings import BGDIP, DIPSettings
from simbil.inpaint.texture import ring_texture
from simbil.metrics import gms_map, scores

from .confidence import object_holes
from .protocol import paired_markdown

CRITERIA = ("mse", "gms", "both")


def band_fill(image: np.ndarray, mask: np.ndarray, band: np.ndarray, s: DIPSettings):
    """bgdip's gated fill and the biharmonic fill of mask ∪ band, from one fit that saw neither."""
    hidden = mask | band
    c = _plan(hidden, s)
    img, hole = cropping.take(image, hidden, c)
    trace: dict = {}
    y = fit(img, hole, s, trace=trace)
    net = _smooth(cropping.paste(image, hidden, c, y, seam=s.seam), hidden, c, s.fill_smooth)
    harmonic = _biharmonic(image, hidden, c)
    b = s.halo_blend if s.halo and halo_ratio(image, hidden) > s.halo else s.harmonic_blend
    return gated(image, hidden, c, net, harmonic, b, spread(trace, s), s.confidence), harmonic


def band_scores(fill: np.ndarray, image: np.ndarray, band: np.ndarray) -> dict[str, float]:
    """mse and mean 1 − GMS over the band (GMS at half resolution, read at each band pixel's cell)."""
    ys, xs = np.nonzero(band)
    y0, y1, x0, x1 = max(ys.min() - 4, 0), ys.max() + 5, max(xs.min() - 4, 0), xs.max() + 5
    g = gms_map(fill[y0:y1, x0:x1], image[y0:y1, x0:x1])
    gy = np.clip((ys - y0) // 2, 0, g.shape[0] - 1)
    gx = np.clip((xs - x0) // 2, 0, g.shape[1] - 1)
    return {"mse": float(((fill[band] - image[band]) ** 2).mean()), "gms": float((1 - g[gy, gx]).mean())}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="photos,folder")
    ap.add_argument("--photo-dir")
    ap.add_argument("--part", default="tuning", choices=["tuning", "confirmation"])
    ap.add_argument("--per-image", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0, help="draws the holes; the fills keep their own seed")
    ap.add_argument("--band", type=int, default=4)
    ap.add_argument("--margins", default="0,0.1,0.25")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--csv", required=True)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    margins = [float(m) for m in a.margins.split(",")]
    s = BGDIP
    rows = []
    for set_name, h in object_holes(a.sets, a.part, a.photo_dir, a.per_image, a.seed):
        t = time.perf_counter()
        shipped = inpaint(h.image, h.mask, "bgdip")
        t_ship = time.perf_counter() - t
        harmonic = inpaint(h.image, h.mask, "biharmonic")
        texture = ring_texture(h.image, h.mask)
        fills = {"bgdip": (shipped, t_ship), "biharmonic": (harmonic, 0.0)}
        if texture > s.confidence_texture:
            band = ndimage.binary_dilation(h.mask, iterations=a.band) & ~h.mask
            t = time.perf_counter()
            g_band, h_band = band_fill(h.image, h.mask, band, s)
            t_band = time.perf_counter() - t
            own = h.image.copy()
            own[h.mask] = g_band[h.mask]
            sg, sh = band_scores(g_band, h.image, band), band_scores(h_band, h.image, band)
            for crit in CRITERIA:
                for m in margins:
                    keys = ("mse", "gms") if crit == "both" else (crit,)
                    net_wins = all(sg[k] < (1 - m) * sh[k] for k in keys)
                    fills[f"veto:{crit}:{m:g}"] = (shipped if net_wins else harmonic, t_ship + t_band)
                    fills[f"self:{crit}:{m:g}"] = (own if net_wins else harmonic, t_band)
            band_info = {"band_mse_bgdip": sg["mse"], "band_mse_biharmonic": sh["mse"],
                         "band_gms_bgdip": sg["gms"], "band_gms_biharmonic": sh["gms"]}
        else:
            band_info = {}
            for crit in CRITERIA:
                for m in margins:
                    fills[f"veto:{crit}:{m:g}"] = fills[f"self:{crit}:{m:g}"] = (shipped, t_ship)
        for method, (o, seconds) in fills.items():
            rows.append({"set": set_name, "part": a.part, "hole": h.name, "method": method, "texture": texture,
                         "seconds": seconds, **band_info, **scores(o, h.truth, h.bbox)})
        print(f"[{set_name}] {h.name} texture {texture:.4f}", flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(a.csv, index=False)
    df = df.replace({"set": {"folder": "photos"}})
    means = df.groupby("method", sort=False)[["roi_ssim", "roi_gmsd"]].mean()
    print(means.round(4).to_markdown())
    print()
    print(paired_markdown(df, "biharmonic"))


if __name__ == "__main__":
    main()
