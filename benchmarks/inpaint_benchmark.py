"""Every inpainter on the three hole sets: prints markdown tables, writes a CSV and contact sheets.

Usage:
  python benchmarks/inpaint_benchmark.py [--sets clevr,real,photos] [--clevr 12] [--per-image 2]
      [--methods bgdip,dip-crop=dip:crop_margin=1.0:max_resolution=96:iterations=300,telea,ns,biharmonic]
      [--device auto|cpu|cuda] [--csv benchmarks/results/inpaint.csv] [--sheets docs]

A method is `label=method:setting=value:...` or just a method name. Scores follow DESIGN §6:
MAE (0–255), PSNR, SSIM (scikit-image defaults) and SIMSG's SSIM, on the RoI (the hole's object
box widened by 2 px) and on the whole image; seconds per hole on the named device.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).parent))
from holes import SETS  # noqa: E402

from simbil.inpaint import inpaint  # noqa: E402
from simbil.metrics import roi_box, scores  # noqa: E402

DEFAULT_METHODS = ("bgdip,dip-crop=dip:crop_margin=1.0:max_resolution=96:iterations=300:seam=2,"
                   "telea,ns,biharmonic")


def parse_method(spec: str) -> tuple[str, str, dict]:
    label, _, rest = spec.partition("=") if "=" in spec.split(":")[0] else (spec.split(":")[0], "", spec)
    parts = (rest or spec).split(":")
    settings = {}
    for kv in parts[1:]:
        k, v = kv.split("=", 1)
        for cast in (int, float):
            try:
                v = cast(v)
                break
            except ValueError:
                pass
        if v in ("None", "none") and k in ("crop_margin", "max_resolution"):
            v = None
        settings[k] = v
    return label, parts[0], settings


def device_name(device: str) -> str:
    if device in ("auto", "cuda") and torch.cuda.is_available():
        return torch.cuda.get_device_name(0)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
    return f"CPU ({torch.get_num_threads()} threads, {cpu})"


def sheet(holes, outputs: dict, path: Path, rows: int = 4) -> None:
    """input | hole | each method | truth, cropped around the RoI, one row per hole."""
    tiles = []
    for h in holes[:rows]:
        H, W = h.truth.shape[:2]
        x0, y0, x1, y1 = roi_box(h.bbox, W, H, widen=max(8, (h.bbox[2] - h.bbox[0]) // 2))
        crop = lambda a: np.asarray(Image.fromarray((np.clip(a[y0:y1, x0:x1], 0, 1) * 255).astype(np.uint8))
                                    .resize((128, 128), Image.NEAREST if a is h.mask else Image.BICUBIC))
        shown = h.image.copy()
        shown[h.mask] = shown[h.mask] * 0.3 + np.array([0.9, 0.1, 0.1]) * 0.7
        row = [crop(shown)] + [crop(outputs[(h.name, m)]) for m in outputs["_methods"]] + [crop(h.truth)]
        tiles.append(np.concatenate(row, axis=1))
    names = ["input + hole"] + list(outputs["_methods"]) + ["truth"]
    header = Image.new("RGB", (128 * len(names), 18), (32, 32, 32))
    draw = ImageDraw.Draw(header)
    for i, n in enumerate(names):
        draw.text((128 * i + 4, 3), n, fill=(235, 235, 235))
    body = Image.fromarray(np.concatenate(tiles, axis=0))
    out = Image.new("RGB", (body.width, body.height + header.height))
    out.paste(header, (0, 0))
    out.paste(body, (0, header.height))
    out.save(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="clevr,real,photos")
    ap.add_argument("--clevr", type=int, default=12, help="removal pairs in set (a)")
    ap.add_argument("--per-image", type=int, default=2, help="holes per image in sets (b) and (c)")
    ap.add_argument("--methods", default=DEFAULT_METHODS)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--csv", default=str(Path(__file__).parent / "results" / "inpaint.csv"))
    ap.add_argument("--sheets", default="", help="folder for contact sheets (input | methods | truth)")
    a = ap.parse_args()
    methods = [parse_method(s) for s in a.methods.split(",")]
    rows = []
    dev = device_name(a.device)
    for set_name in a.sets.split(","):
        if set_name == "clevr":
            holes = SETS[set_name](a.clevr, a.seed)
        else:
            holes = SETS[set_name](a.per_image, a.seed)
        outputs = {"_methods": [m[0] for m in methods]}
        for i, h in enumerate(holes, 1):
            for label, method, settings in methods:
                extra = {"device": a.device} if method in ("bgdip", "dip") else {}
                t = time.perf_counter()
                out = inpaint(h.image, h.mask, method, **settings, **extra)
                dt = time.perf_counter() - t
                outputs[(h.name, label)] = out
                s = scores(out, h.truth, h.bbox)
                rows.append({"set": set_name, "hole": h.name, "method": label, "seconds": dt, "device": dev,
                             "hole_pixels": int(h.mask.sum()), **s})
                print(f"[{set_name} {i}/{len(holes)}] {h.name:<22} {label:<14} roi_ssim={s['roi_ssim']:.4f} "
                      f"{dt:6.2f}s", file=sys.stderr, flush=True)
        if a.sheets:
            Path(a.sheets).mkdir(parents=True, exist_ok=True)
            sheet(holes, outputs, Path(a.sheets) / f"inpaint_{set_name}.png")
    df = pd.DataFrame(rows)
    Path(a.csv).parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(a.csv, index=False)
    cols = {"roi_ssim": "RoI SSIM", "roi_ssim_simsg": "RoI SSIM (SIMSG)", "roi_psnr": "RoI PSNR", "roi_mae": "RoI MAE",
            "ssim": "SSIM", "ssim_simsg": "SSIM (SIMSG)", "psnr": "PSNR", "mae": "MAE"}
    order = [m[0] for m in methods]
    print(f"\nDevice: {dev}. Means over holes; seconds are the median per hole.\n")
    for set_name, g in df.groupby("set", sort=False):
        t = g.groupby("method").agg({**{c: "mean" for c in cols}, "seconds": "median", "hole": "count"}).reindex(order)
        best = t["roi_ssim"].idxmax()
        print(f"**{set_name}** ({t['hole'].iloc[0]} holes)\n")
        print("| method | " + " | ".join(cols.values()) + " | s/hole |")
        print("|---" * (len(cols) + 2) + "|")
        for m, r in t.iterrows():
            name = f"**{m}**" if m == best else m
            vals = [f"{r[c]:.4f}" if "ssim" in c else f"{r[c]:.2f}" for c in cols]
            print(f"| {name} | " + " | ".join(vals) + f" | {r['seconds']:.2f} |")
        print()
    print(f"wrote {a.csv}")


if __name__ == "__main__":
    main()
