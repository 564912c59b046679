"""Ways of turning one network fit into a fill, compared without refitting.

Each hole of the inpainting benchmark (benchmarks/holes.py) is fitted once with bgdip's settings
(optionally with a band of known pixels around the hole hidden too) and the fit is cached; every
rule then composes a fill from that fit and the biharmonic one and is scored on RoI SSIM and RoI
GMSD. It is for looking for a better composition on the tuning part, in seconds per rule; what
bgdip ships is `halo:2:blend:0.5:3` (`halo`, `halo_blend`, `harmonic_blend`, `fill_smooth`), with
thin holes biharmonic (`thin`), which the rules here do not apply: every hole is fitted.

Rules (comma-separated in --rules):
  biharmonic        the classical fill
  blend:W:S         W · (the network's fill blurred by S px) + (1 − W) · biharmonic
  poisson:A         biharmonic + A · (the network's fill − the biharmonic fill of the network's own
                    values around the hole): the network's structure, the image's boundary
  band[:M]          the blend that best refills the hidden band, bgdip's own `choose_band` choice
                    (needs --band > 0): the image picks; with M, bgdip's own blend unless the
                    pick refills the band more than M (a share) better
  halo:T:RULE       a hole whose halo ratio (simbil.inpaint.halo) is over T gets blend:0.75:3, the
                    others RULE
  edge:S:T          the network's fill (blurred 3 px) plus its mismatch with the known pixels just
                    outside the hole, spread in by a Gaussian-normalised average (σ S px) and
                    faded over T px (0: not faded): the network's values, the image's edge
  radial:D:W        biharmonic at the hole's edge giving way over D px to W · network (blurred
                    3 px) + (1 − W) · biharmonic
  detail:S:A[:G]    blend:0.5:3 plus A × the surroundings' own detail (the image minus its
                    Gaussian blur, σ S px) mirrored across the hole's edge; with G, only where
                    that detail raises the mean of GMSD's similarity map over a hidden 4 px band
                    around the hole (refilled biharmonically) by more than G
  fsr, shiftmap     OpenCV-contrib's `xphoto.inpaint` (frequency-selective reconstruction, fast;
                    shift-map, a patch-based fill in Lab): sharper classical fills than biharmonic.
                    They need opencv-contrib-python-headless, which conflicts with the project's
                    OpenCV, so install it apart: `pip install --target /tmp/ocvc
                    opencv-contrib-python-headless==5.0.0.93` and run with PYTHONPATH=/tmp/ocvc:.
  fsrblend:W:S      blend:W:S with the FSR fill in place of the biharmonic one
  lowpass:W:S:T     biharmonic + W × the network's departure from it (its unblurred fill minus
                    biharmonic's) averaged over the hole by a Gaussian (σ S px), faded in over T px
                    from the hole's edge (0: not faded): the network's colour, none of its edges

Usage:
  python -m benchmarks.fill_rules --part tuning [--sets clevr,real,photos,folder] [--objects-only]
      [--clevr 50] [--per-image 2] [--band 4] [--photo-dir DIR (set folder)]
      [--set KEY=VALUE ...] [--cache DIR] --rules "biharmonic,blend:0.5:3,band,halo:2:poisson:0.75"
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import pickle
import sys
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
from scipy import ndimage

from simbil.cli_args import setting as _setting  # KEY=VALUE as `simbil inpaint --set` reads it
from simbil.inpaint import crop as cropping
from simbil.inpaint.halo import halo_ratio
from simbil.inpaint.harmonic import biharmonic_fill
from simbil.inpaint.settings import BGDIP
from simbil.metrics import gms_map, gmsd, roi_box, ssim

from .holes import SETS, part
from .protocol import paired_markdown



def fits(holes, settings, band: int, cache: Path | None) -> dict:
    """(set, name) -> (crop, working-resolution fit) per hole, from `cache` where it holds them."""
    from simbil.inpaint.dip import _plan
    from simbil.inpaint.fit import fit

    key = hashlib.sha1(json.dumps([dataclasses.asdict(settings), band, [[h.set, h.name] for h in holes]],
                                  sort_keys=True).encode())
    for h in holes:  # the pixels too: a renderer change keeps the names and moves the holes
        key.update(h.image.tobytes())
        key.update(h.mask.tobytes())
    path = cache / f"fits-{key.hexdigest()[:12]}.pkl" if cache else None
    if path and path.exists():
        return pickle.loads(path.read_bytes())
    out = {}
    for i, h in enumerate(holes, 1):
        hidden = h.mask | ndimage.binary_dilation(h.mask, iterations=band) if band else h.mask
        c = _plan(hidden, settings)
        img, hole = cropping.take(h.image, hidden, c)
        out[h.set, h.name] = (c, fit(img, hole, settings))  # a folder's image may share a photo's name
        print(f"[fit {i}/{len(holes)}] {h.name}", file=sys.stderr, flush=True)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(out))
    return out


class Parts:
    """What the rules compose, for one hole filled as `mask` from one fit."""

    def __init__(self, image: np.ndarray, mask: np.ndarray, crop, fit_: np.ndarray):
        from simbil.inpaint.dip import _biharmonic

        self.image, self.mask, self.crop, self.fit = image, mask, crop, fit_
        self.harmonic = _biharmonic(image, mask, crop)
        self.net = cropping.paste(image, mask, crop, fit_, seam=2)
        self._xphoto: dict[str, np.ndarray] = {}

    def blend(self, w: float, sigma: float, classical: np.ndarray | None = None) -> np.ndarray:
        from simbil.inpaint.dip import _smooth

        out = _smooth(self.net, self.mask, self.crop, sigma).copy()  # σ 0 hands back self.net itself
        base = self.harmonic if classical is None else classical
        out[self.mask] = w * out[self.mask] + (1 - w) * base[self.mask]
        return out

    def xphoto(self, kind: str) -> np.ndarray:
        """OpenCV-contrib's fill ('fsr' or 'shiftmap'), cached per hole."""
        if kind not in self._xphoto:
            self._xphoto[kind] = xphoto_fill(self.image, self.mask, kind)
        return self._xphoto[kind]

    def lowpass(self, w: float, sigma: float, taper: float) -> np.ndarray:
        m = self.mask.astype(np.float32)[..., None]
        d = ndimage.gaussian_filter((self.net - self.harmonic) * m, (sigma, sigma, 0))
        d /= np.maximum(ndimage.gaussian_filter(m, (sigma, sigma, 0)), 1e-6)  # the hole's pixels only
        if taper:  # 0: no fade
            d *= np.clip((ndimage.distance_transform_edt(self.mask) - 1) / taper, 0, 1)[..., None]
        out = self.harmonic.copy()
        out[self.mask] = np.clip(out[self.mask] + w * d[self.mask], 0, 1)
        return out

    def edge(self, sigma: float, fade: float) -> np.ndarray:
        out = self.blend(1.0, 3)
        ring = ndimage.binary_dilation(self.mask, iterations=2) & ~self.mask
        both = ndimage.binary_dilation(self.mask, iterations=2)  # the net's pixels next to the hole
        net_edge = cropping.paste(self.image, both, self.crop, self.fit, seam=0)
        gap = np.where(ring[..., None], self.image - net_edge, 0)
        weight = ndimage.gaussian_filter(ring.astype(np.float32), sigma)[..., None]
        spread = ndimage.gaussian_filter(gap, (sigma, sigma, 0)) / np.maximum(weight, 1e-6)
        if fade:
            spread *= np.exp(-(ndimage.distance_transform_edt(self.mask) - 1) / fade)[..., None]
        out[self.mask] = np.clip(out[self.mask] + spread[self.mask], 0, 1)
        return out

    def radial(self, depth: float, w: float) -> np.ndarray:
        a = w * np.clip((ndimage.distance_transform_edt(self.mask) - 1) / depth, 0, 1)[..., None]
        out = self.image.copy()
        mix = a * self.blend(1.0, 3) + (1 - a) * self.harmonic
        out[self.mask] = mix[self.mask]
        return out

    def detail(self, sigma: float, a: float) -> np.ndarray:
        return np.clip(self.blend(0.5, 3) + a * mirrored_detail(self.image, self.mask, sigma), 0, 1)

    def poisson(self, a: float) -> np.ndarray:
        c = self.crop
        full = self.fit if c.scale == 1 else cv2.resize(self.fit, (c.x1 - c.x0, c.y1 - c.y0),
                                                        interpolation=cv2.INTER_CUBIC)
        own = biharmonic_fill(full, self.mask[c.y0:c.y1, c.x0:c.x1])
        detail = np.zeros_like(self.image)
        detail[c.y0:c.y1, c.x0:c.x1] = full - own
        out = self.harmonic.copy()
        out[self.mask] += a * detail[self.mask]
        return np.clip(out, 0, 1)


def xphoto_fill(image: np.ndarray, mask: np.ndarray, kind: str) -> np.ndarray:
    if not hasattr(cv2, "xphoto"):
        raise SystemExit(f"rule {kind!r} needs OpenCV's contrib modules (see this module's docstring)")
    u8 = (np.clip(image, 0, 1) * 255).round().astype(np.uint8)
    known = (~mask).astype(np.uint8) * 255  # xphoto's mask marks the known pixels
    if kind == "shiftmap":  # shift-map takes Lab
        lab, dst = cv2.cvtColor(u8, cv2.COLOR_RGB2LAB), np.zeros_like(u8)
        cv2.xphoto.inpaint(lab, known, dst, cv2.xphoto.INPAINT_SHIFTMAP)
        dst = cv2.cvtColor(dst, cv2.COLOR_LAB2RGB)
    else:
        dst = np.zeros_like(u8)
        cv2.xphoto.inpaint(u8, known, dst, cv2.xphoto.INPAINT_FSR_FAST)
    out = image.copy()
    out[mask] = dst[mask].astype(np.float32) / 255
    return out


def mirrored_detail(image: np.ndarray, mask: np.ndarray, sigma: float) -> np.ndarray:
    """The image's detail (image − its Gaussian blur σ over known pixels only, so the hole's
    content never enters) at each hole pixel's mirror image across the nearest known pixel;
    zero where the mirror falls in the hole."""
    known = (~mask).astype(np.float32)[..., None]
    blur = ndimage.gaussian_filter(image * known, (sigma, sigma, 0))
    detail = image - blur / np.maximum(ndimage.gaussian_filter(known, (sigma, sigma, 0)), 1e-6)
    _, (iy, ix) = ndimage.distance_transform_edt(mask, return_indices=True)
    ys, xs = np.nonzero(mask)
    qy = np.clip(2 * iy[ys, xs] - ys, 0, mask.shape[0] - 1)
    qx = np.clip(2 * ix[ys, xs] - xs, 0, mask.shape[1] - 1)
    out = np.zeros_like(image)
    out[ys, xs] = np.where(mask[qy, qx][:, None], 0, detail[qy, qx])
    return out


def _band_gain(image: np.ndarray, mask: np.ndarray, sigma: float, a: float, band: int = 4) -> float:
    """How much the mirrored detail raises the mean gradient magnitude similarity (GMSD's map) of
    a hidden `band` of known pixels refilled biharmonically; scored only where the map's gradients
    reach no hole pixel, so the hole's content never enters."""
    ring = ndimage.binary_dilation(mask, iterations=band) & ~mask
    hidden = mask | ring
    ys, xs = np.nonzero(hidden)
    side = max(np.ptp(ys), np.ptp(xs)) + 1
    y0, y1 = max(0, ys.min() - side), min(mask.shape[0], ys.max() + 1 + side)
    x0, x1 = max(0, xs.min() - side), min(mask.shape[1], xs.max() + 1 + side)
    img, hid, ring = image[y0:y1, x0:x1], hidden[y0:y1, x0:x1], ring[y0:y1, x0:x1]
    base = biharmonic_fill(img, hid)
    textured = np.clip(base + a * mirrored_detail(img, hid, sigma), 0, 1)

    def blocks(m):  # the 2×2 blocks of the map's half resolution that m touches
        m = np.pad(m, ((0, m.shape[0] % 2), (0, m.shape[1] % 2)))
        return m.reshape(m.shape[0] // 2, 2, m.shape[1] // 2, 2).any(axis=(1, 3))

    scored = blocks(ring) & ~ndimage.binary_dilation(blocks(mask[y0:y1, x0:x1]))  # Prewitt is 3×3
    return float(gms_map(textured, img)[scored].mean() - gms_map(base, img)[scored].mean())


class Hole:
    """One hole's parts, made once and shared by the rules."""

    def __init__(self, hole, crop, fit_, band: int):
        self.image, self.band = hole.image, band
        self.parts = Parts(hole.image, hole.mask, crop, fit_)
        self.ratio = halo_ratio(hole.image, hole.mask)
        self.ring = ndimage.binary_dilation(hole.mask, iterations=band) & ~hole.mask if band else None

    def chosen(self, margin: float | None = None) -> tuple[float, float]:
        """(weight, σ) the hidden band picks, as bgdip's `choose_band` does (simbil.inpaint.dip.choose);
        with a margin, bgdip's own blend unless the pick refills the band that share better."""
        from simbil.inpaint.dip import _biharmonic, _smooth, choose

        p, hidden, ring = self.parts, self.parts.mask | self.ring, self.ring
        net = cropping.paste(p.image, hidden, p.crop, p.fit, seam=0)
        harmonic = _biharmonic(p.image, hidden, p.crop)
        pick = choose(p.image, ring, net, harmonic, p.crop)
        if margin is None:
            return pick

        def err(w: float, sigma: float) -> float:
            sm = _smooth(net, ring, p.crop, sigma)[ring]
            return float(((w * sm + (1 - w) * harmonic[ring] - p.image[ring]) ** 2).mean())

        own = (1 - BGDIP.harmonic_blend, BGDIP.fill_smooth)
        return pick if err(*pick) < (1 - margin) * err(*own) else own


def apply(rule: str, h: Hole) -> np.ndarray:
    name, *args = rule.split(":")
    if name == "halo":
        return apply("blend:0.75:3" if h.ratio > float(args[0]) else ":".join(args[1:]), h)
    if name == "biharmonic":
        return h.parts.harmonic
    if name == "blend":
        return h.parts.blend(float(args[0]), float(args[1]))
    if name in ("fsr", "shiftmap"):
        return h.parts.xphoto(name)
    if name == "fsrblend":
        return h.parts.blend(float(args[0]), float(args[1]), h.parts.xphoto("fsr"))
    if name == "poisson":
        return h.parts.poisson(float(args[0]))
    if name == "lowpass":
        return h.parts.lowpass(float(args[0]), float(args[1]), float(args[2]))
    if name == "edge":
        return h.parts.edge(float(args[0]), float(args[1]))
    if name == "radial":
        return h.parts.radial(float(args[0]), float(args[1]))
    if name == "detail":
        sigma, a = float(args[0]), float(args[1])
        if len(args) > 2 and _band_gain(h.image, h.parts.mask, sigma, a) <= float(args[2]):
            return h.parts.blend(0.5, 3)
        return h.parts.detail(sigma, a)
    if name == "band":
        if h.ring is None:
            raise SystemExit("rule band needs --band > 0")
        return h.parts.blend(*h.chosen(float(args[0]) if args else None))
    raise SystemExit(f"unknown rule {rule!r} (biharmonic, blend:W:S, poisson:A, band, halo:T:RULE, edge:S:T, "
                     "radial:D:W, detail:S:A[:G], fsr, shiftmap, fsrblend:W:S, lowpass:W:S:T)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.fill_rules", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["tuning", "confirmation"], default="tuning")
    ap.add_argument("--clevr", type=int, default=50)
    ap.add_argument("--per-image", type=int, default=2)
    ap.add_argument("--sets", default="clevr,real,photos")
    ap.add_argument("--photo-dir", help="folder of images for set 'folder' (benchmarks.holes.folder_photos)")
    ap.add_argument("--objects-only", action="store_true", help="leave the photos' thin strokes out (no fit)")
    ap.add_argument("--band", type=int, default=0, help="known pixels hidden around each hole for the fit, px")
    ap.add_argument("--set", type=_setting, action="append", default=[], metavar="KEY=VALUE",
                    help="a bgdip setting for the fit (default: bgdip's own)")
    ap.add_argument("--cache", default="", help="folder for the fits (reused when the settings match)")
    ap.add_argument("--rules", default="biharmonic,blend:0.5:3")
    ap.add_argument("--strokes-apart", action="store_true", help="report the photos' thin strokes as their own set")
    ap.add_argument("--csv", default="")
    a = ap.parse_args(argv)
    settings = type(BGDIP).make(BGDIP, **dict(a.set))

    def holes_of(s: str):
        if s == "folder":
            return SETS[s](a.per_image, 0, a.photo_dir)
        return SETS[s](a.clevr if s == "clevr" else a.per_image, 0)

    holes = [h for s in a.sets.split(",") for h in holes_of(s)
             if part(h) == a.part and not (a.objects_only and h.name.endswith("-stroke"))]
    fitted = fits(holes, settings, a.band, Path(a.cache) if a.cache else None)
    rows = []
    for h in holes:
        one = Hole(h, *fitted[h.set, h.name], a.band)
        H, W = h.truth.shape[:2]
        x0, y0, x1, y1 = roi_box(h.bbox, W, H)
        for rule in a.rules.split(","):
            out = apply(rule, one)
            o, t = out[y0:y1, x0:x1], h.truth[y0:y1, x0:x1]
            kind = "strokes" if a.strokes_apart and h.name.endswith("-stroke") else h.set
            rows.append({"set": kind, "hole": h.name, "rule": rule, "halo": one.ratio,
                         "roi_ssim": ssim(o, t), "roi_gmsd": gmsd(o, t, valid=True)})
    df = pd.DataFrame(rows)
    if a.csv:
        df.to_csv(a.csv, index=False)
    means = df.groupby(["rule", "set"], sort=False)[["roi_ssim", "roi_gmsd"]].mean().unstack("set")
    print(f"{a.part} part, fit: {settings.iterations} its, crop ≤ {settings.max_resolution} px, band {a.band}. "
          "Means, RoI SSIM and RoI GMSD (lower is better):\n")
    print(means.round(4).to_markdown())
    first = a.rules.split(",")[0]
    print("\n" + paired_markdown(df.rename(columns={"rule": "method"}).assign(part=a.part), first))


if __name__ == "__main__":
    main()
