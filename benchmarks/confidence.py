"""The network's fill only where the network is sure of it (tried for photos).

DIP fits noise to the known pixels; what it paints in the hole is its guess. Where the guess is
determined by the surroundings (an edge that runs on, a flat floor) small changes to the fit
leave it be; where it is invented (texture), they move it. Two such changes, per hole on bgdip's
crop and settings:
  - spread (`gate`): after one fit, `--samples` forward passes with fresh input noise, SCALE times
    the fit's own `reg_noise`; the per-pixel standard deviation of those outputs (mean over
    colours), upsampled with the crop. Costs a few forward passes.
  - seeds (`ens`, `ensgate`, with --seeds K > 1): K fits from different seeds; their mean, and
    the per-pixel standard deviation between them. Costs K fits.
A gate g = clip(1 − spread / TAU, 0, 1) then scales the network's share pixel by pixel:
  fill = (1 − b)·g·net + (1 − (1 − b)·g)·biharmonic,
with net the network's fill blurred by `fill_smooth` and b bgdip's own biharmonic share (the halo
test's included): g = 1 everywhere is bgdip, g = 0 biharmonic. Object-shaped holes only (thin
strokes are biharmonic's in bgdip already).

Methods in the rows: biharmonic, bgdip, gate:TAU:SCALE, and with --seeds: ens, ensgate:TAU.

Usage:
  python -m benchmarks.confidence --part tuning [--sets photos,folder,real,clevr] [--photo-dir DIR]
      [--taus 0.015,0.02,0.03,0.04] [--scales 1,3] [--samples 8] [--seeds 1] --csv OUT.csv
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import cv2
import numpy as np
import pandas as pd
import torch

from simbil.inpaint import crop as cropping
from simbil.inpaint.dip import _biharmonic, _plan, _smooth, fit
from simbil.inpaint.halo import halo_ratio
from simbil.inpaint.settings import BGDIP, DIPSettings
from simbil.metrics import scores

from .holes import SETS, part
from .protocol import paired_markdown


def spread(trace: dict, s: DIPSettings, samples: int, scale: float) -> np.ndarray:
    """Per-pixel std (mean over colours) of `samples` outputs of a fitted network, its input
    jittered by scale × reg_noise, at working resolution."""
    gen = torch.Generator().manual_seed(s.seed + 2)
    z, (H, W) = trace["z"], trace["size"]
    with torch.no_grad():
        # the jitter is drawn on the CPU, the same on any device
        jitters = [scale * s.reg_noise * torch.randn(z.shape, generator=gen) for _ in range(samples)]
        ys = torch.stack([trace["output"](z + j.to(z.device))[0] for j in jitters])
    return ys.std(0).mean(0)[:H, :W].cpu().numpy()


def gated(image, mask, c, net, harmonic, b: float, std: np.ndarray, tau: float) -> np.ndarray:
    """bgdip's blend with the network's share scaled by clip(1 − std/τ, 0, 1) per pixel;
    std at working resolution over the crop."""
    if c.scale != 1:
        std = cv2.resize(std, (c.x1 - c.x0, c.y1 - c.y0), interpolation=cv2.INTER_CUBIC)
    g = np.zeros(mask.shape, np.float32)
    g[c.y0:c.y1, c.x0:c.x1] = np.clip(1 - std / tau, 0, 1)
    w = ((1 - b) * g)[mask][:, None]
    out = image.copy()
    out[mask] = w * net[mask] + (1 - w) * harmonic[mask]
    return out


def fills(h, s: DIPSettings, taus, scales, samples: int, seeds: int) -> dict[str, tuple[np.ndarray, float]]:
    """method -> (fill, seconds) for one hole."""
    c = _plan(h.mask, s)
    img, hole = cropping.take(h.image, h.mask, c)
    t = time.perf_counter()
    harmonic = _biharmonic(h.image, h.mask, c)
    t_harmonic = time.perf_counter() - t
    b = s.halo_blend if s.halo and halo_ratio(h.image, h.mask) > s.halo else s.harmonic_blend

    def blend(y, std=None, tau=1.0):  # no spread: bgdip's own blend
        net = _smooth(cropping.paste(h.image, h.mask, c, y, seam=s.seam), h.mask, c, s.fill_smooth)
        std = np.zeros(y.shape[:2], np.float32) if std is None else std
        return gated(h.image, h.mask, c, net, harmonic, b, std, tau)

    t = time.perf_counter()
    trace: dict = {}
    y = fit(img, hole, s, trace=trace)
    t_fit = time.perf_counter() - t + t_harmonic
    out = {"biharmonic": (harmonic, t_harmonic), "bgdip": (blend(y), t_fit)}
    for scale in scales:
        t = time.perf_counter()
        std = spread(trace, s, samples, scale)
        t_spread = time.perf_counter() - t
        for tau in taus:
            out[f"gate:{tau:g}:{scale:g}"] = (blend(y, std, tau), t_fit + t_spread)
    if seeds > 1:
        t = time.perf_counter()
        ys = np.stack([y] + [fit(img, hole, dataclasses.replace(s, seed=s.seed + k)) for k in range(1, seeds)])
        t_ens = t_fit + time.perf_counter() - t
        out["ens"] = (blend(ys.mean(0)), t_ens)
        for tau in taus:
            out[f"ensgate:{tau:g}"] = (blend(ys.mean(0), ys.std(0).mean(-1), tau), t_ens)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default="photos,folder,real,clevr")
    ap.add_argument("--photo-dir", help="folder of images for set 'folder' (benchmarks.holes.folder_photos)")
    ap.add_argument("--part", default="tuning", choices=["tuning", "confirmation"])
    ap.add_argument("--taus", default="0.015,0.02,0.03,0.04")
    ap.add_argument("--scales", default="1,3")
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--csv", required=True)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    taus = [float(x) for x in a.taus.split(",")]
    scales = [float(x) for x in a.scales.split(",")]
    rows = []
    for set_name in a.sets.split(","):
        if set_name == "folder":
            holes = SETS[set_name](2, 0, a.photo_dir)
        else:
            holes = SETS[set_name](50 if set_name == "clevr" else 2, 0)
        for h in holes:
            if h.name.endswith("-stroke") or part(h) != a.part:
                continue
            for method, (o, seconds) in fills(h, BGDIP, taus, scales, a.samples, a.seeds).items():
                rows.append({"set": set_name, "part": a.part, "hole": h.name, "method": method,
                             "seconds": seconds, **scores(o, h.truth, h.bbox)})
            print(f"[{set_name}] {h.name}", flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(a.csv, index=False)
    means = df.groupby(["set", "method"], sort=False)[["roi_ssim", "roi_gmsd", "seconds"]].agg(
        {"roi_ssim": "mean", "roi_gmsd": "mean", "seconds": "median"})
    print(means.round(4).to_markdown())
    print()
    print(paired_markdown(df, "biharmonic"))
    if "folder" in df.set.values:
        print("\nphotos and folder together:\n")
        both = df[df.set.isin(["photos", "folder"])].assign(set="photos+folder")
        print(paired_markdown(both, "biharmonic"))


if __name__ == "__main__":
    main()
