"""How strong the cast shadows are: the real CLEVR renders (Blender Cycles) and SIMBIL's renderer,
measured the same way.

Each image: objects outlined by GrabCut in their boxes (hand-marked for the real renders,
benchmarks/data/clevr_reference_boxes.json; from the instance map for ours), then widened by
3 px; the floor is everything else. The lit floor is fitted as a smooth surface (a quintic in x, y
of log luminance, refitted on the pixels at or above it, so shadows do not pull it down). Each
floor pixel's ratio to the fit says how much light it lost. Per image:

- darkening: 1 − the 2nd percentile of that ratio over floor pixels within 25 px of an object
  (a shadow's core against the lit floor beside it);
- area: floor pixels within 50 px of an object and more than 10 % darker than the fit, over
  object pixels (the visible shadow
  against the object's size);
- cast: the same, counting only shadow more than 8 px from the object (cast by the light, not
  the contact darkening at the foot);
- floor: the floor's median luminance (sRGB, 0–255), so that the tone stays as it was.

Real renders 1–4 and our scenes of seeds 0–7 are the tuning part, the rest the confirmation.

    python -m benchmarks.shadow_strength [--ours 16] [--sheet docs/shadow_strength.png] [--matched]

The renderer's lamps are fitted to Blender's own renders of our scenes: benchmarks.shadow_blender.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from scipy import ndimage

from simbil.clevr.render import render_scene
from simbil.clevr.sampler import sample_scene

DATA = Path(__file__).parent / "data"
W, H = 320, 240
VISIBLE = 0.10  # a floor pixel this much darker than the lit floor is visibly in shadow
NEAR = 25  # px: the floor beside an object, where its shadow's core is looked for
REACH = 50  # px: visible shadow is counted this close to an object (far off, the fit's errors)
DEGREE = 5  # of the lit floor's polynomial
FOOT = 8  # px: shadow further than this from the object is cast, not contact
MEASURES = ("darkening", "area", "cast", "floor")


def objects_mask(image: np.ndarray, boxes: list[list[int]]) -> np.ndarray:
    """Union of GrabCut's foreground in each box, widened by 3 px."""
    out = np.zeros(image.shape[:2], bool)
    bgr = np.ascontiguousarray(image[..., ::-1])
    for x0, y0, x1, y1 in boxes:
        x0, y0 = max(x0 - 2, 1), max(y0 - 2, 1)
        x1, y1 = min(x1 + 2, image.shape[1] - 1), min(y1 + 2, image.shape[0] - 1)
        mask = np.zeros(image.shape[:2], np.uint8)
        bg, fg = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
        cv2.setRNGSeed(0)
        cv2.grabCut(bgr, mask, (x0, y0, x1 - x0, y1 - y0), bg, fg, 5, cv2.GC_INIT_WITH_RECT)
        out |= (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)
    return ndimage.binary_dilation(out, iterations=3)


def floor_ratio(image: np.ndarray, objects: np.ndarray) -> np.ndarray:
    """Each pixel's luminance over the fitted lit floor's (NaN on objects)."""
    lin = (image.astype(np.float64) / 255) ** 2.2
    lum = np.log(np.maximum(lin @ [0.2126, 0.7152, 0.0722], 1e-4))
    yy, xx = np.mgrid[0:image.shape[0], 0:image.shape[1]]
    x, y = xx / image.shape[1] - 0.5, yy / image.shape[0] - 0.5
    A = np.stack([x**i * y**j for i in range(DEGREE + 1) for j in range(DEGREE + 1 - i)], axis=-1)
    keep = ~objects
    for _ in range(6):  # refit on the pixels at or above the fit: the lit floor
        coef, *_ = np.linalg.lstsq(A[keep], lum[keep], rcond=None)
        fit = A @ coef
        keep = ~objects & (lum - fit > -0.03)
    return np.where(objects, np.nan, np.exp(lum - fit))


def measure(image: np.ndarray, boxes: list[list[int]]) -> dict:
    objects = objects_mask(image, boxes)
    ratio = floor_ratio(image, objects)
    near = ndimage.binary_dilation(objects, iterations=NEAR) & ~objects
    reach = ndimage.binary_dilation(objects, iterations=REACH) & ~objects
    shadow = reach & (ratio < 1 - VISIBLE)
    far = shadow & ~ndimage.binary_dilation(objects, iterations=FOOT)
    lum = (image.astype(np.float64) @ [0.2126, 0.7152, 0.0722])[~objects]
    return {"darkening": float(1 - np.nanpercentile(ratio[near], 2)),
            "area": float(shadow.sum() / max(objects.sum(), 1)), "cast": float(far.sum() / max(objects.sum(), 1)),
            "floor": float(np.median(lum)), "ratio": ratio, "objects": objects}


def reference() -> list[tuple[str, np.ndarray, list]]:
    boxes = json.loads((DATA / "clevr_reference_boxes.json").read_text())
    return [(k, np.asarray(Image.open(DATA / "clevr-reference" / f"{k}.png").convert("RGB")), boxes[k])
            for k in sorted(b for b in boxes if b.startswith("img"))]


def ours(seeds) -> tuple[list[tuple[str, np.ndarray, list]], list[float]]:
    out, seconds = [], []
    for s in seeds:
        rng = np.random.default_rng([s, 0])
        scene = sample_scene(rng, int(rng.integers(3, 8)), W, H)
        t = time.perf_counter()
        r = render_scene(scene, W, H)
        seconds.append(time.perf_counter() - t)
        boxes = [b for i in range(len(scene["objects"])) if (b := r.bbox(i))]
        out.append((f"seed {s}", r.image, boxes))
    return out, seconds


def replicas() -> tuple[list[tuple[str, np.ndarray, list]], list[float]]:
    """Our renders of the real renders' own scenes, so that both sides hold the same objects:
    each hand-read object (data/clevr_reference_scenes.json) stood on the floor point its marked
    box gives under CLEVR's base camera and lights (the real ones are jittered a little)."""
    from simbil.clevr.camera import Camera
    from simbil.clevr.properties import half_extent
    from simbil.roi.floor import floor_position

    scenes = json.loads((DATA / "clevr_reference_scenes.json").read_text())
    out, seconds = [], []
    for name, _, boxes in reference():
        objects = []
        for box, (shape, size, material, colour) in zip(boxes, scenes[name]):
            at = floor_position({"bbox": box, "name": shape, "attributes": {"size": size}}, Camera(), W, H)
            objects.append({"shape": shape, "size": size, "material": material, "color": colour, "rotation": 0.0,
                            "3d_coords": [at[0], at[1], half_extent(shape, size)]})
        t = time.perf_counter()
        r = render_scene({"objects": objects, "render_seed": 0}, W, H)
        seconds.append(time.perf_counter() - t)
        out.append((f"ours of {name}", r.image, [b for i in range(len(objects)) if (b := r.bbox(i))]))
    return out, seconds


def matched_ratios(rm: list[dict], om: list[dict]) -> None:
    """Image by image, ours over real; per half the geometric mean and its log's standard error."""
    for k in ("darkening", "area"):
        logs = np.log([o[k] / r[k] for r, o in zip(rm, om)])
        print(f"{k}, ours / real by image: " + " ".join(f"{v:.2f}" for v in np.exp(logs)))
        for part, v in (("tuning", logs[:4]), ("confirmation", logs[4:]), ("all", logs)):
            print(f"  {part}: geometric mean {np.exp(v.mean()):.2f}, s.e. of mean log {v.std(ddof=1) / np.sqrt(len(v)):.2f}")


def shadow_tone(ratio: np.ndarray, objects: np.ndarray) -> np.ndarray:
    """A shadow map as a picture: white = lit, black = 50 % darker; objects red."""
    r = np.clip((np.nan_to_num(ratio, nan=1) - 0.5) / 0.5, 0, 1)
    gray = (np.stack([r] * 3, -1) * 255).astype(np.uint8)
    gray[objects] = (160, 40, 40)
    return gray


def sheet(rows: list[tuple[str, np.ndarray, dict]], out: str) -> None:
    """Each image beside its shadow map (shadow_tone), at half size."""
    tiles = [np.concatenate([image, shadow_tone(m["ratio"], m["objects"])], axis=1) for _, image, m in rows]
    pad = (-len(tiles)) % 2
    tiles += [np.zeros_like(tiles[0])] * pad
    grid = np.concatenate([np.concatenate(tiles[i:i + 2], axis=1) for i in range(0, len(tiles), 2)], axis=0)
    small = Image.fromarray(grid)
    small.resize((small.width // 2, small.height // 2), Image.LANCZOS).save(out, optimize=True)


def areas(m: dict, darker=(0.05, 0.1, 0.15, 0.2, 0.3)) -> list[float]:
    """The area measure at other thresholds of 'visibly darker'."""
    reach = ndimage.binary_dilation(m["objects"], iterations=REACH) & ~m["objects"]
    return [float(((m["ratio"] < 1 - t) & reach).sum() / m["objects"].sum()) for t in darker]


def summary(name: str, ms: list[dict]) -> dict:
    out = {"set": name, "n": len(ms)}
    for k in MEASURES:
        v = np.array([m[k] for m in ms])
        out[k], out[k + "_se"] = v.mean(), v.std(ddof=1) / np.sqrt(len(v))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.shadow_strength", description=__doc__.splitlines()[0])
    ap.add_argument("--ours", type=int, default=16, help="our scenes: seeds 0..N-1, the first half for tuning")
    ap.add_argument("--sheet", help="write the images and their shadow maps here")
    ap.add_argument("--matched", action="store_true",
                    help="our side: the real renders' own scenes re-rendered (replicas), not sampled ones")
    a = ap.parse_args(argv)
    real = reference()
    mine, seconds = replicas() if a.matched else ours(range(a.ours))
    rm = [measure(im, b) for _, im, b in real]
    om = [measure(im, b) for _, im, b in mine]
    half = len(mine) // 2
    which = ("replicas of img1-4", "replicas of img5-8") if a.matched else (
        "seeds 0-%d" % (half - 1), "seeds %d-%d" % (half, len(mine) - 1))
    rows = [summary("real CLEVR, tuning (img1-4)", rm[:4]), summary(f"ours, tuning ({which[0]})", om[:half]),
            summary("real CLEVR, confirmation (img5-8)", rm[4:]), summary(f"ours, confirmation ({which[1]})", om[half:])]
    print("| set | images | " + " | ".join(MEASURES) + " |")
    print("|---|---|" + "---|" * len(MEASURES))
    for r in rows:
        print(f"| {r['set']} | {r['n']} | " + " | ".join(f"{r[k]:.3f} ± {r[k + '_se']:.3f}" for k in MEASURES) + " |")
    for part, (real_row, our_row) in {"tuning": rows[:2], "confirmation": rows[2:]}.items():
        print(f"{part}: ours / real: " + ", ".join(f"{k} {our_row[k] / real_row[k]:.2f}" for k in MEASURES))
    pooled = summary("real", rm), summary("ours", om)
    print("all images: ours / real: " + ", ".join(f"{k} {pooled[1][k] / pooled[0][k]:.2f}" for k in MEASURES))
    for name, ms in (("real", rm), ("ours", om)):
        print(f"{name}: visible-shadow area / object area at 5/10/15/20/30 % darker: "
              + "/".join(f"{v:.2f}" for v in np.mean([areas(m) for m in ms], axis=0)))
    if a.matched:
        matched_ratios(rm, om)
    print(f"render time, 320x240, one process: median {np.median(seconds):.3f} s")
    if a.sheet:
        sheet([(n, im, m) for (n, im, _), m in zip(real[:4] + mine[:4], rm[:4] + om[:4])], a.sheet)
        print(f"wrote {a.sheet}")


if __name__ == "__main__":
    main()
