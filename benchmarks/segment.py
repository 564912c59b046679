"""Box-prompted segmentation quality: mean IoU against true masks on (a) objects of CLEVR-like
renders and (b) synthetic composites (a photo-textured object shape pasted on another photo),
for GrabCut settings. Prints a markdown table, writes a CSV.

Usage: python -m benchmarks.segment [--objects 60] [--composites 40]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from skimage.transform import resize

from simbil.clevr.render import render_scene
from simbil.clevr.sampler import sample_scene
from simbil.segment import SegmentSettings, segment

from .holes import PHOTOS, object_shapes
from .holes import _photo as load_photo


def mask_iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def clevr_cases(n: int, seed: int = 0):
    rng = np.random.default_rng([seed, 303])
    cases = []
    while len(cases) < n:
        scene = sample_scene(rng, int(rng.integers(3, 8)))
        r = render_scene(scene, 320, 240)
        for k in range(len(scene["objects"])):
            m = r.mask(k)
            if m.sum() >= 200:
                cases.append((r.image.astype(np.float32) / 255, r.bbox(k), m))
    return cases[:n]


def _photo(name: str) -> np.ndarray:
    return resize(load_photo(name), (240, 320), anti_aliasing=True).astype(np.float32)


def composite_cases(n: int, seed: int = 0):
    """A CLEVR object's outline filled with a patch of one photo, pasted on another photo."""
    rng = np.random.default_rng([seed, 404])
    photos = [_photo(p) for p in PHOTOS]
    shapes = object_shapes(n, seed)
    cases = []
    for shape in shapes:
        scale = rng.uniform(1.2, 2.2)
        shape = resize(shape.astype(float), (int(shape.shape[0] * scale), int(shape.shape[1] * scale))) > 0.5
        h, w = shape.shape
        bg, tex = rng.choice(len(photos), 2, replace=False)
        img = photos[bg].copy()
        y0, x0 = int(rng.integers(0, 240 - h)), int(rng.integers(0, 320 - w))
        ty, tx = int(rng.integers(0, 240 - h)), int(rng.integers(0, 320 - w))
        patch = photos[tex][ty:ty + h, tx:tx + w]
        region = img[y0:y0 + h, x0:x0 + w]
        region[shape] = patch[shape]
        truth = np.zeros((240, 320), bool)
        truth[y0:y0 + h, x0:x0 + w] = shape
        ys, xs = np.nonzero(truth)
        cases.append((img, [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1], truth))
    return cases


def user_box(box, width: int, height: int, rng) -> list[int]:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    d = rng.uniform(-0.03, 0.12, 4) * np.array([w, h, w, h])
    return [max(0, int(x0 - d[0])), max(0, int(y0 - d[1])), min(width, int(x1 + d[2])), min(height, int(y1 + d[3]))]


VARIANTS = {
    "grabcut 1 it, bare": SegmentSettings(iterations=1, pad=0, component_share=0, fill_holes=False),
    "grabcut 5 its, bare": SegmentSettings(iterations=5, pad=0, component_share=0, fill_holes=False),
    "5 its + pad 2": SegmentSettings(iterations=5, pad=2, component_share=0, fill_holes=False),
    "5 its + pad 2 + largest + fill": SegmentSettings(component_share=1.0),
    "5 its + pad 2 + parts >= 10 % of largest + fill (default)": SegmentSettings(),
    "5 its + pad 2 + parts >= 3 % of largest + fill": SegmentSettings(component_share=0.03),
    "10 its + pad 2 + largest + fill": SegmentSettings(iterations=10, component_share=1.0),
    "5 its + pad 5 + largest + fill": SegmentSettings(pad=5, component_share=1.0),
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.segment", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--objects", type=int, default=60)
    ap.add_argument("--composites", type=int, default=40)
    ap.add_argument("--csv", default=str(Path(__file__).parent / "results" / "segment.csv"))
    a = ap.parse_args(argv)
    sets = {"clevr": clevr_cases(a.objects), "composites": composite_cases(a.composites)}
    rng = np.random.default_rng(505)
    rows = []
    for set_name, cases in sets.items():
        # a person's box: each side off by up to 3 % inwards or 12 % outwards of the object's size
        cases = [(img, user_box(box, img.shape[1], img.shape[0], rng), truth) for img, box, truth in cases]
        for name, s in VARIANTS.items():
            for i, (img, box, truth) in enumerate(cases):
                rows.append({"set": set_name, "variant": name, "case": i, "iou": mask_iou(segment(img, box, s), truth)})
            print(f"{set_name:10s} {name:45s} done", file=sys.stderr, flush=True)
    df = pd.DataFrame(rows)
    Path(a.csv).parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(a.csv, index=False)
    t = df.pivot_table(index="variant", columns="set", values="iou", aggfunc="mean").reindex(list(VARIANTS))
    print(f"\nMean IoU against the true masks ({a.objects} CLEVR-like objects, {a.composites} composites; "
          "box = the true box with each side moved by −3 % … +12 % of the object's size, as a person draws it):\n")
    print(t.round(4).to_markdown())


if __name__ == "__main__":
    main()
