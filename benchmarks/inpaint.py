"""Every inpainter on the three hole sets: prints markdown tables, writes a CSV and contact sheets.

Usage:
  python -m benchmarks.inpaint [--sets clevr,real,photos] [--clevr 12] [--per-image 2]
      [--methods bgdip,dip-crop=dip:crop_margin=1.0:max_resolution=64:iterations=100,telea,ns,biharmonic]
      [--config config.yaml] [--device auto|cpu|cuda] [--csv benchmarks/results/inpaint.csv] [--sheets docs] [--sheet-rows 4]
      [--holes N]

A method is `label=name:setting=value:...` or just a name (benchmarks/runner.py): a registered
inpainter at its defaults, else a method of the config's `methods:` table; only its inpainter
and settings matter here (every hole is a removal). Scores follow DESIGN §6:
MAE (0–255), PSNR, SSIM (scikit-image defaults), SIMSG's SSIM and GMSD (lower is better), on the
RoI (the hole's object box widened by 2 px) and on the whole image; grad_ratio, the fill's gradient
energy over that of a ring around the hole (1: as sharp as its surroundings; truth_grad_ratio, the
same on the truth, is its reference; simbil/metrics.py); seconds per hole on the named device.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from simbil.devices import device_name
from simbil.metrics import scores
from simbil.report import contact_sheet, crop_around, overlay_mask, summary

from .holes import SETS, part
from .protocol import paired_markdown
from .runner import add_method_arguments, fill_hole, specs_from_args

DEFAULT_METHODS = ("bgdip,dip-crop=dip:crop_margin=1.0:max_resolution=64:iterations=100:seam=2,"
                   "telea,ns,biharmonic")


def sheet(holes, outputs: dict, path: Path, rows: int = 4) -> None:
    """input | each method | truth, cropped around the RoI, one row per hole."""
    shown = holes[:rows]
    methods = list(outputs["_methods"])
    grid = [[overlay_mask(h.image, h.mask)] + [outputs[(h.name, m)] for m in methods] + [h.truth] for h in shown]
    boxes = [crop_around(h.bbox, h.truth.shape[1], h.truth.shape[0]) for h in shown]
    contact_sheet(grid, ["input + hole"] + methods + ["truth"], boxes).save(path)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.inpaint", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="clevr,real,photos",
                    help="also: blender (with --blender-renders), folder (with --photo-dir), realmasks")
    ap.add_argument("--blender-renders", help="folder of Blender's renders of our scenes (benchmarks.shadow_blender)")
    ap.add_argument("--photo-dir", help="folder of more tuning images (.jpg, .png) for set 'folder'")
    ap.add_argument("--clevr", type=int, default=12, help="removal pairs in set (a)")
    ap.add_argument("--per-image", type=int, default=2, help="holes per image in sets (b)–(e)")
    add_method_arguments(ap, DEFAULT_METHODS)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--csv", default=str(Path(__file__).parent / "results" / "inpaint.csv"))
    ap.add_argument("--sheets", default="", help="folder for contact sheets (input | methods | truth)")
    ap.add_argument("--sheet-rows", type=int, default=4, help="holes per sheet, the set's first")
    ap.add_argument("--holes", type=int, default=0, help="only the first N holes of each set (0: all; a quick check)")
    ap.add_argument("--part", choices=["tuning", "confirmation", "both"], default="both",
                    help="which part of every set (benchmarks.holes.part): choose on tuning, report confirmation")
    a = ap.parse_args(argv)
    if a.sheet_rows < 1:
        ap.error(f"--sheet-rows must be at least 1, got {a.sheet_rows}")
    methods = specs_from_args(a, prefer="inpainter")  # a typo stops here, before any work
    rows = []
    dev = device_name(a.device)
    Path(a.csv).parent.mkdir(parents=True, exist_ok=True)
    for set_name in a.sets.split(","):
        if set_name == "clevr":
            holes = SETS[set_name](a.clevr, a.seed)
        elif set_name in ("blender", "folder"):
            try:
                holes = SETS[set_name](a.per_image, a.seed, a.blender_renders if set_name == "blender" else a.photo_dir)
            except ValueError as e:
                ap.error(str(e))
        else:
            holes = SETS[set_name](a.per_image, a.seed)
        if a.part != "both":
            holes = [h for h in holes if part(h) == a.part]
        if a.holes:
            holes = holes[:a.holes]
        outputs = {"_methods": [m.name for m in methods]}
        for i, h in enumerate(holes, 1):
            for spec in methods:
                label = spec.name
                t = time.perf_counter()
                out = fill_hole(h.image, h.mask, spec, a.device)
                dt = time.perf_counter() - t
                outputs[(h.name, label)] = out
                s = scores(out, h.truth, h.bbox, mask=h.mask)
                rows.append({"set": set_name, "part": part(h), "hole": h.name, "method": label, "seconds": dt,
                             "device": dev,
                             "hole_pixels": int(h.mask.sum()), **s})
                print(f"[{set_name} {i}/{len(holes)}] {h.name:<22} {label:<14} roi_ssim={s['roi_ssim']:.4f} "
                      f"roi_gmsd={s['roi_gmsd']:.4f} grad_ratio={s['grad_ratio']:.3f} {dt:6.2f}s",
                      file=sys.stderr, flush=True)
            # every hole's rows at once: a run stopped part-way (a time limit) keeps the holes it finished
            pd.DataFrame(rows).to_csv(a.csv, index=False)
        if a.sheets:
            Path(a.sheets).mkdir(parents=True, exist_ok=True)
            sheet(holes, outputs, Path(a.sheets) / f"inpaint_{set_name}.png", a.sheet_rows)
    df = pd.DataFrame(rows)
    df.to_csv(a.csv, index=False)
    print(f"\nDevice: {dev}. Means over holes; seconds are the median per hole.\n")
    df["set part"] = df["set"] + " " + df["part"]
    print(summary(df, "set part", order=[m.name for m in methods]))
    print(paired_markdown(df, methods[0].name))
    print(f"wrote {a.csv}")


if __name__ == "__main__":
    main()
