"""docs/renderer.png: eight SIMBIL renders above the eight real CLEVR renders, for a side-by-side look.

Usage: python -m benchmarks.renderer_sheet [--out docs/renderer.png] [--seed 0]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from simbil.clevr.render import render_scene
from simbil.clevr.sampler import sample_scene

REFERENCE = Path(__file__).parent / "data" / "clevr-reference"
W, H = 320, 240


def label(text: str, width: int) -> Image.Image:
    strip = Image.new("RGB", (width, 22), (32, 32, 32))
    ImageDraw.Draw(strip).text((8, 5), text, fill=(235, 235, 235))
    return strip


def grid(images: list[Image.Image], cols: int = 4) -> Image.Image:
    rows = (len(images) + cols - 1) // cols
    sheet = Image.new("RGB", (W * cols, H * rows))
    for i, im in enumerate(images):
        sheet.paste(im.convert("RGB").resize((W, H)), ((i % cols) * W, (i // cols) * H))
    return sheet


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.renderer_sheet", description=__doc__)
    ap.add_argument("--out", default="docs/renderer.png")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    ours, times = [], []
    for i in range(8):
        rng = np.random.default_rng([a.seed, i])
        scene = sample_scene(rng, int(rng.integers(3, 8)), W, H)
        t = time.perf_counter()
        ours.append(Image.fromarray(render_scene(scene, W, H).image))
        times.append(time.perf_counter() - t)
    real = [Image.open(p) for p in sorted(REFERENCE.glob("img*.png"))]
    top, bottom = grid(ours), grid(real)
    parts = [label(f"SIMBIL: NumPy ray caster, 320x240, median {np.median(times):.2f} s per image on one CPU core", top.width), top,
             label("CLEVR: the official generator's example renders (Blender Cycles, facebookresearch/clevr-dataset-gen, BSD)", top.width), bottom]
    sheet = Image.new("RGB", (top.width, sum(p.height for p in parts)))
    y = 0
    for p in parts:
        sheet.paste(p, (0, y))
        y += p.height
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    sheet.save(a.out, optimize=True)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
