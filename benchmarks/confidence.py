"""The network's fill only where the network is sure of it: what chose bgdip's `confidence`.

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
test's included): g = 1 everywhere is bgdip without the gate (`confidence` 0: the `bgdip` rows),
g = 0 biharmonic. Every hole is gated here; bgdip gates only holes whose ring texture
(simbil.inpaint.texture) is over `confidence_texture`, and the last table takes each gate's rows
for those holes and the ungated bgdip's for the others, at thresholds 0.004 and 0.008 (with
--summary CSV it prints that from a CSV written before, without fitting). Object-shaped holes only
(thin strokes are biharmonic's in bgdip already).

Methods in the rows: biharmonic, bgdip (no gate), gate:TAU:SCALE, and with --seeds: ens, ensgate:TAU.

Usage:
  python -m benchmarks.confidence --part tuning [--sets photos,folder,real,clevr] [--photo-dir DIR]
      [--taus 0.015,0.02,0.03,0.04] [--scales 1,3] [--samples 8] [--seeds 1] --csv OUT.csv
  python -m benchmarks.confidence --summary CSV [--photo-dir DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np
import pandas as pd
import torch

from simbil.inpaint import crop as cropping
from simbil.inpaint.confidence import gated, spread
from simbil.inpaint.dip import _biharmonic, _plan, _smooth
from simbil.inpaint.fit import fit
from simbil.inpaint.halo import halo_ratio
from simbil.inpaint.settings import BGDIP, DIPSettings
from simbil.inpaint.texture import ring_texture
from simbil.metrics import scores

from .holes import SETS, part
from .protocol import paired_markdown

UNGATED = dataclasses.replace(BGDIP, confidence=0.0)  # the rows' `bgdip`; the gates are composed here


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
    ap.add_argument("--csv", help="where the rows go")
    ap.add_argument("--summary", help="a CSV this wrote before: print its texture-gated table only")
    a = ap.parse_args(argv)
    if a.summary:
        print(texture_gated(pd.read_csv(a.summary), a.photo_dir))
        return
    if not a.csv:
        ap.error("--csv is required unless --summary is given")
    torch.set_num_threads(a.threads)
    taus = [float(x) for x in a.taus.split(",")]
    scales = [float(x) for x in a.scales.split(",")]
    rows = []
    for set_name, h in object_holes(a.sets, a.part, a.photo_dir):
        for method, (o, seconds) in fills(h, UNGATED, taus, scales, a.samples, a.seeds).items():
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
    print("\n" + texture_gated(df, a.photo_dir))


def _holes(set_name: str, photo_dir: str | None, per_image: int = 2, seed: int = 0):
    if set_name == "folder":
        return SETS[set_name](per_image, seed, photo_dir)
    return SETS[set_name](50 if set_name == "clevr" else per_image, seed)


def object_holes(sets: str, which: str, photo_dir: str | None, per_image: int = 2, seed: int = 0):
    """(set, hole) for the object-shaped holes (no thin strokes: bgdip leaves those to the
    biharmonic fill) of part `which` of each comma-separated set: `per_image` holes an image
    (the CLEVR-like set: its first 50 pairs, a hole each), drawn with `seed`."""
    for set_name in sets.split(","):
        for h in _holes(set_name, photo_dir, per_image, seed):
            if not h.name.endswith("-stroke") and part(h) == which:
                yield set_name, h


def texture_gated(df: pd.DataFrame, photo_dir: str | None) -> str:
    """Each gate's rows on the holes whose ring texture is over T, the ungated bgdip's elsewhere,
    against biharmonic (photos and folder together)."""
    texture = {(s, h.name): ring_texture(h.image, h.mask) for s in df.set.unique() for h in _holes(s, photo_dir)}
    df = df.assign(texture=[texture[k] for k in zip(df.set, df.hole)],
                   set=df.set.replace({"folder": "photos"}))
    p = df.pivot_table(index=["set", "hole"], columns="method", values=["roi_ssim", "roi_gmsd", "texture"])
    se = lambda d: d.std(ddof=1) / np.sqrt(len(d))  # noqa: E731
    rows = []
    for thr in (0.004, 0.008):
        for g in (m for m in df.method.unique() if m.startswith("gate")):
            row = {"threshold": thr, "method": g}
            for name in ("photos", "real", "clevr"):
                if name not in p.index.get_level_values(0):
                    continue
                q = p.loc[name]
                on = (q["texture"]["bgdip"] > thr).to_numpy()
                ssim = np.where(on, q["roi_ssim"][g], q["roi_ssim"]["bgdip"])
                gmsd = np.where(on, q["roi_gmsd"][g], q["roi_gmsd"]["bgdip"])
                ds, dg = ssim - q["roi_ssim"]["biharmonic"], q["roi_gmsd"]["biharmonic"] - gmsd
                row[name] = (f"{on.sum()}/{len(on)} gated: {ssim.mean():.4f} / {gmsd.mean():.4f}; minus biharmonic "
                             f"{ds.mean():+.4f} ± {se(ds):.4f} / {dg.mean():+.4f} ± {se(dg):.4f}")
            rows.append(row)
    return ("Texture-gated (RoI SSIM / RoI GMSD; GMSD difference sign-flipped, positive is better):\n\n"
            + pd.DataFrame(rows).to_markdown(index=False))


if __name__ == "__main__":
    main()
