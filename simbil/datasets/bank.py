"""The object bank's harvest: crops of whole, unoccluded objects with their masks, rendered
from training scenes of the CLEVR-like generator and indexed by name and attributes
(simbil.edits.bank.Bank retrieves from it). Each comes with its cast shadow: the share of light
the floor around it keeps (the renderer's, with the object against without), so that an
object placed from the bank brings its own shadow."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

from ..clevr.render import render_scene
from ..clevr.sampler import sample_scene
from ..graphs import write_json

MIN_PIXELS = 150  # at 320x240; scaled by the frame's area, so that a smaller frame keeps its small objects
SCENES = 160  # the default harvest: enough exemplars of each look that one stood near where it goes
SHADOW_REACH = (1.5, 0.8)  # the shadow crop: the object's box widened by these × its height, across and up/down
SPLIT = 77  # the bank's scenes have their own random stream, apart from the benchmark's pairs


def harvest(out: str | os.PathLike, scenes: int, seed: int = 0, width: int = 320, height: int = 240,
            progress=None) -> list[dict]:
    """Render `scenes` training scenes; keep every object that touches no other one (so that
    nothing hides part of it) as an RGBA crop; write out/index.json and out/<id>.png."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    index = []
    min_pixels = MIN_PIXELS * width * height / (320 * 240)
    for i in range(scenes):
        rng = np.random.default_rng([seed, SPLIT, i])
        scene = sample_scene(rng, int(rng.integers(3, 8)), width, height)
        r = render_scene(scene, width, height, shading=True)
        for k, obj in enumerate(scene["objects"]):
            m = r.mask(k)
            others = (r.instance >= 0) & ~m
            if m.sum() < min_pixels or (ndimage.binary_dilation(m, iterations=2) & others).any():
                continue
            x0, y0, x1, y1 = r.bbox(k)
            rgba = np.dstack([r.image[y0:y1, x0:x1], m[y0:y1, x0:x1].astype(np.uint8) * 255])
            name = f"{i:04d}_{obj['id']}"
            Image.fromarray(rgba, "RGBA").save(out / f"{name}.png")
            h = y1 - y0
            sx0, sx1 = max(0, x0 - round(SHADOW_REACH[0] * h)), min(width, x1 + round(SHADOW_REACH[0] * h))
            sy0, sy1 = max(0, y0 - round(SHADOW_REACH[1] * h)), min(height, y1 + round(SHADOW_REACH[1] * h))
            kept = (np.clip(r.kept[k, sy0:sy1, sx0:sx1], 0, 1) * 255 + 0.5).astype(np.uint8)
            Image.fromarray(kept, "L").save(out / f"{name}_shadow.png")
            index.append({"id": name, "file": f"{name}.png", "name": obj["shape"], "color": obj["color"],
                          "material": obj["material"], "size": obj["size"], "bbox": [x0, y0, x1, y1],
                          "shadow": f"{name}_shadow.png", "shadow_box": [sx0, sy0, sx1, sy1]})
        if progress:
            progress(i + 1, scenes, len(index))
    write_json(out / "index.json", {"width": width, "height": height, "objects": index})
    return index
