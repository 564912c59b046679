"""Object bank: crops of whole, unoccluded objects with their masks, harvested from rendered
training scenes of the CLEVR-like generator and indexed by name and attributes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

from ..clevr.render import render_scene
from ..clevr.sampler import sample_scene
from ..graphs import write_json

MIN_PIXELS = 150
SPLIT = 77  # the bank's scenes have their own random stream, apart from the benchmark's pairs


def harvest(out: str | os.PathLike, scenes: int, seed: int = 0, width: int = 320, height: int = 240,
            progress=None) -> list[dict]:
    """Render `scenes` training scenes; keep every object that touches no other one (so that
    nothing hides part of it) as an RGBA crop; write out/index.json and out/<id>.png."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    index = []
    for i in range(scenes):
        rng = np.random.default_rng([seed, SPLIT, i])
        scene = sample_scene(rng, int(rng.integers(3, 8)), width, height)
        r = render_scene(scene, width, height)
        for k, obj in enumerate(scene["objects"]):
            m = r.mask(k)
            others = (r.instance >= 0) & ~m
            if m.sum() < MIN_PIXELS or (ndimage.binary_dilation(m, iterations=2) & others).any():
                continue
            x0, y0, x1, y1 = r.bbox(k)
            rgba = np.dstack([r.image[y0:y1, x0:x1], m[y0:y1, x0:x1].astype(np.uint8) * 255])
            name = f"{i:04d}_{obj['id']}"
            Image.fromarray(rgba, "RGBA").save(out / f"{name}.png")
            index.append({"id": name, "file": f"{name}.png", "name": obj["shape"], "color": obj["color"],
                          "material": obj["material"], "size": obj["size"], "bbox": [x0, y0, x1, y1]})
        if progress:
            progress(i + 1, scenes, len(index))
    write_json(out / "index.json", {"width": width, "height": height, "objects": index})
    return index


class Bank:
    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        data = json.loads((self.folder / "index.json").read_text())
        self.objects = data["objects"]
        if not self.objects:
            raise ValueError(f"{self.folder}: the object bank is empty")

    def pick(self, name: str, attributes: dict, box) -> tuple[dict, np.ndarray]:
        """The closest exemplar: same name and attributes where the bank has one (relaxing size,
        then material, then colour), and among those the one whose box bottom is nearest the
        target's, so perspective and lighting match. Returns (entry, RGBA float crop)."""
        want = {"name": name, **{k: attributes.get(k) for k in ("color", "material", "size")}}
        keys = ["name", "color", "material", "size"]
        for relax in ([], ["size"], ["size", "material"], ["size", "material", "color"], keys):
            cands = [o for o in self.objects
                     if all(o[k] == want[k] for k in keys if k not in relax and want[k] is not None)]
            if cands:
                break
        best = min(cands, key=lambda o: abs(o["bbox"][3] - box[3]) + 0.25 * abs(
            (o["bbox"][0] + o["bbox"][2]) / 2 - (box[0] + box[2]) / 2))
        rgba = np.asarray(Image.open(self.folder / best["file"]).convert("RGBA"), np.float32) / 255
        return best, rgba
