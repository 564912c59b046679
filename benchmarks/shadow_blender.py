"""Our renderer's shadows against Blender's on the same scenes: exact shadow maps, no fitted floor.

Each of N sampled scenes (seeds 0..N-1, as `shadow_strength` samples them; the first half is the
tuning part) is rendered by Blender Cycles with the official CLEVR assets
(`benchmarks/blender/render_clevr.py`: base scene, shapes and materials of
facebookresearch/clevr-dataset-gen, our scene's camera, lights and objects) and by ours. On
both sides the floor is rendered with the objects (invisible to the camera in Blender) and
without them; their ratio in linear light is each floor pixel's shadow map, exact up to
render noise (3×3-smoothed). Objects: the union of both renders' outlines, widened by 3 px.
Per image, with shadow_strength's constants:

- darkening: 1 − the 2nd percentile of the map within 25 px of an object;
- area: floor within 50 px of an object at least 10 % darker, over object area;
- cast: the same, more than 8 px from the objects.

The renderer's lamps come from the same source: `--fit-lights` fits each lamp's power and beam
to Blender's floor under that lamp alone (the base scene, the sun's light as our sky's), and
`--tune K,...` scales the three lamps against the sky by each K (the floor's tone held), reporting
on the tuning part how far each scene's shadow map is from Blender's (mean |log ratio| within
50 px of the objects) and the three measures.

Blender's renders are made once (about 30 s a scene at 256 samples on 2 cores) into --renders:

    python3.11 -m venv /tmp/bpy && /tmp/bpy/bin/pip install bpy==4.2.0
    git clone https://github.com/facebookresearch/clevr-dataset-gen /tmp/clevr
    python -m benchmarks.shadow_blender --scenes 40 --renders /tmp/blender40 \\
        --bpy /tmp/bpy/bin/python --clevr-data /tmp/clevr/image_generation/data
    python -m benchmarks.shadow_blender --renders /tmp/blender40 --fit-lights --tune 0.55,0.7,0.85
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import cv2
import numpy as np
from PIL import Image
from scipy import ndimage

from benchmarks.shadow_strength import FOOT, NEAR, REACH, VISIBLE, H, W
from simbil.clevr.render import GAMMA, render_scene
from simbil.clevr.sampler import sample_scene

LUMA = np.array([0.2126, 0.7152, 0.0722])
MEASURES = ("darkening", "area", "cast")
BAND = 1.25  # "within 20 %": ours / Blender's in [1/1.25, 1.25]
SKY = 0.33  # our sky's light in the units --fit-lights gives the lamps (Blender's sun as this)
FLOOR_TONE = 126  # median floor luminance (sRGB) of the empty base scene, held while the lamps change


def scenes(n: int) -> dict[str, dict]:
    out = {}
    for s in range(n):
        rng = np.random.default_rng([s, 0])
        out[f"seed{s:02d}"] = sample_scene(rng, int(rng.integers(3, 8)), W, H)
    return out


def render_blender(todo: dict, renders: Path, bpy: str, data: str, samples: int) -> None:
    renders.mkdir(parents=True, exist_ok=True)
    spec = renders / "scenes.json"
    spec.write_text(json.dumps(todo))
    script = Path(__file__).parent / "blender" / "render_clevr.py"
    subprocess.run([bpy, str(script), data, str(spec), str(renders), str(samples)], check=True)


def srgb_luminance(path: Path) -> np.ndarray:
    """Linear luminance of one of Blender's PNGs (8 or 16 bit, sRGB transfer: 'Standard' view)."""
    a = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)[..., 2::-1].astype(np.float64)
    a /= 65535 if a.dtype == np.uint16 or a.max() > 255 else 255
    return np.where(a <= 0.04045, a / 12.92, ((a + 0.055) / 1.055) ** 2.4) @ LUMA


def our_luminance(image: np.ndarray) -> np.ndarray:
    return (image.astype(np.float64) / 255) ** GAMMA @ LUMA


def shadow_map(with_objects: np.ndarray, without: np.ndarray) -> np.ndarray:
    return ndimage.uniform_filter(with_objects, 3) / np.maximum(ndimage.uniform_filter(without, 3), 1e-6)


def blender_outline(renders: Path, name: str) -> np.ndarray:
    """Where Blender's image differs from its floor-only render: the objects (and nothing of the
    floor, whose two renders share their noise)."""
    image = cv2.imread(str(renders / f"{name}.png"), cv2.IMREAD_UNCHANGED)[..., :3].astype(np.float64)
    floor = cv2.imread(str(renders / f"{name}_floor.png"), cv2.IMREAD_UNCHANGED)[..., :3] / 257.0
    return ndimage.binary_opening(np.abs(image - floor).max(axis=2) > 12, iterations=1)


def measure(ratio: np.ndarray, objects: np.ndarray) -> dict:
    d = ndimage.distance_transform_edt(~objects)
    near, reach = (d > 0) & (d <= NEAR), (d > 0) & (d <= REACH)
    shadow = reach & (ratio < 1 - VISIBLE)
    n = max(int(objects.sum()), 1)
    return {"darkening": float(1 - np.percentile(ratio[near], 2)), "area": float(shadow.sum() / n),
            "cast": float((shadow & (d > FOOT)).sum() / n)}


def compare(name: str, scene: dict, renders: Path) -> tuple[dict, dict, dict]:
    ours = render_scene(scene, W, H)
    empty = render_scene({**scene, "objects": []}, W, H)
    mine = shadow_map(our_luminance(ours.image), our_luminance(empty.image))
    theirs = shadow_map(srgb_luminance(renders / f"{name}_floor.png"), srgb_luminance(renders / f"{name}_empty.png"))
    objects = np.zeros((H, W), bool)
    for i in range(len(scene["objects"])):
        objects |= ours.mask(i)
    objects = ndimage.binary_dilation(objects | blender_outline(renders, name), iterations=3)
    pictures = {"blender": np.asarray(Image.open(renders / f"{name}.png").convert("RGB")), "ours": ours.image,
                "blender_map": theirs, "ours_map": mine, "objects": objects}
    return measure(theirs, objects), measure(mine, objects), pictures


def against_real(todo: dict, renders: Path) -> None:
    """Is the Blender 4.2 port the official generator? Its images and the eight real renders, by
    shadow_strength's fitted-floor measures (different scenes, so means with standard errors);
    and ours of the same scenes by that measure, for what the fitted floor reads into each."""
    from benchmarks.shadow_strength import MEASURES as FITTED, measure as fitted, reference, summary

    sets = {"real CLEVR (the generator's 8 examples)": [fitted(im, b) for _, im, b in reference()],
            "Blender 4.2 port, these scenes": [], "ours, these scenes": []}
    for name, scene in todo.items():
        r = render_scene(scene, W, H)
        boxes = [b for i in range(len(scene["objects"])) if (b := r.bbox(i))]
        sets["Blender 4.2 port, these scenes"].append(fitted(np.asarray(Image.open(renders / f"{name}.png").convert("RGB")), boxes))
        sets["ours, these scenes"].append(fitted(r.image, boxes))
    print("Fitted-floor measures (benchmarks.shadow_strength):\n")
    print("| images | n | darkening | area | cast | floor |\n|---|---|---|---|---|---|")
    for name, ms in sets.items():
        row = summary(name, ms)
        print(f"| {name} | {len(ms)} | " + " | ".join(f"{row[k]:.3f} ± {row[k + '_se']:.3f}" for k in FITTED) + " |")
    print()


def map_error(p: dict) -> float:
    d = ndimage.distance_transform_edt(~p["objects"])
    near = (d > 0) & (d <= REACH)
    ours, theirs = (np.log(np.maximum(p[k][near], 1e-3)) for k in ("ours_map", "blender_map"))
    return float(np.mean(np.abs(ours - theirs)))


def fit_lights(lamps: Path) -> dict[str, tuple[float, float]]:
    """Each lamp's (power, beam) for our renderer from Blender's floor under it alone, in units
    where Blender's sun gives the floor our sky's light (AMBIENT)."""
    from simbil.clevr import render
    from simbil.clevr.properties import LIGHTS

    r = render.Renderer({"objects": [], "render_seed": 0}, W, H)
    py, px = np.mgrid[0:H, 0:W].astype(np.float32)
    D = r.camera.rays(W, H, px.ravel() + 0.5, py.ravel() + 0.5)
    O = np.broadcast_to(np.asarray(r.camera.location, np.float32), D.shape)
    t, ids = r.closest(O, D)
    floor = ids == -1
    P = O[floor] + D[floor] * t[floor, None]
    exposure = np.median(srgb_luminance(lamps / "Area.png").ravel()[floor]) / SKY
    out = {}
    print("| lamp | power | beam | log error (rms, light-weighted) |\n|---|---|---|---|")
    for name, lamp in (("key", "Lamp_Key"), ("fill", "Lamp_Fill"), ("back", "Lamp_Back")):
        pos = np.asarray(LIGHTS[name][0])
        b = srgb_luminance(lamps / f"{lamp}.png").ravel()[floor] / exposure
        L = pos - P
        d2 = np.einsum("ij,ij->i", L, L)
        l = L / np.sqrt(d2)[:, None]
        cos = np.clip(l @ (pos / np.linalg.norm(pos)), 0, None)  # the lamp aims at the origin
        best = None
        for beam in np.arange(0, 8.01, 0.25):  # the renderer's lamp: LIGHT_SCALE · power · n·l · cos^beam / d²
            f = render.LIGHT_SCALE * np.clip(l[:, 2], 0, None) * cos**beam / d2
            ok = (b > 1e-3) & (f > 1e-6)
            lg = np.log(b[ok] / f[ok])
            mid = np.average(lg, weights=b[ok])
            err = np.sqrt(np.average((lg - mid) ** 2, weights=b[ok]))
            if best is None or err < best[0]:
                best = (err, float(beam), float(np.exp(mid)))
        out[name] = (best[2], best[1])
        print(f"| {name} | {best[2]:.3f} | {best[1]:.2f} | {best[0]:.3f} |")
    return out


def balance(fit: dict[str, tuple[float, float]], k: float) -> float:
    """Set the renderer's lamps to fit × k and scale them and the sky together so that the empty
    floor keeps FLOOR_TONE; returns that scale."""
    from simbil.clevr import lighting, render
    from simbil.clevr.properties import LIGHTS

    def tone(g):
        render.AMBIENT = SKY * g
        lighting.LIGHTS = {n: (pos, fit[n][0] * k * g, radius, fit[n][1]) for n, (pos, _, radius, _) in LIGHTS.items()}
        e = render_scene({"objects": [], "render_seed": 0}, W // 2, H // 2, antialias=False).image
        return np.median(e.astype(np.float64) @ LUMA)

    lo, hi = 0.3, 2.0
    for _ in range(14):
        g = (lo + hi) / 2
        lo, hi = (lo, g) if tone(g) > FLOOR_TONE else (g, hi)
    return g


def tune(fit: dict, ks: list[float], todo: dict, renders: Path) -> None:
    from simbil.clevr import lighting, render

    saved = render.AMBIENT, lighting.LIGHTS
    tuning = list(todo)[: len(todo) // 2]
    print("| k | scale | sky | key / fill / back power | map error | darkening | area | cast |\n|---|---|---|---|---|---|---|---|")
    for k in ks:
        g = balance(fit, k)
        rows, err = [], []
        for name in tuning:
            b, o, p = compare(name, todo[name], renders)
            rows.append((b, o))
            err.append(map_error(p))
        ratio = {m: np.exp(np.mean(np.log([o[m] / b[m] for b, o in rows if b[m] > 0 and o[m] > 0]))) for m in MEASURES}
        powers = " / ".join(f"{lighting.LIGHTS[n][1]:.3f}" for n in ("key", "fill", "back"))
        print(f"| {k} | {g:.3f} | {render.AMBIENT:.3f} | {powers} | {np.mean(err):.4f} | "
              + " | ".join(f"{ratio[m]:.2f}" for m in MEASURES) + " |", flush=True)
    render.AMBIENT, lighting.LIGHTS = saved


def report(rows: list[tuple[dict, dict]]) -> None:
    half = len(rows) // 2
    print("Exact shadow maps:\n")
    for who, i in (("Blender", 0), ("ours", 1)):
        print(f"{who}, all {len(rows)} scenes: " + ", ".join(f"{k} {np.mean([r[i][k] for r in rows]):.3f}" for k in MEASURES))
    print()
    print("| part | scenes | measure | Blender mean | ours mean | ours / Blender, geometric mean of per-scene ratios "
          "(± s.e. of the mean log) | 90 % interval | within 20 % |")
    print("|---|---|---|---|---|---|---|---|")
    for part, sl in (("tuning", slice(0, half)), ("confirmation", slice(half, None))):
        part_rows = rows[sl]
        for k in MEASURES:
            b = np.array([r[0][k] for r in part_rows])
            o = np.array([r[1][k] for r in part_rows])
            ok = (b > 0) & (o > 0)
            logs = np.log(o[ok] / b[ok])
            m, se = logs.mean(), logs.std(ddof=1) / np.sqrt(len(logs))
            lo, hi = np.exp(m - 1.645 * se), np.exp(m + 1.645 * se)
            inside = "yes" if lo >= 1 / BAND and hi <= BAND else ("no" if hi < 1 / BAND or lo > BAND else "undecided")
            print(f"| {part} | {len(part_rows)} | {k} | {b.mean():.3f} | {o.mean():.3f} | {np.exp(m):.2f} (± {se:.2f}) "
                  f"| {lo:.2f}–{hi:.2f} | {inside} |")


def sheet(pictures: list[dict], out: str) -> None:
    """Per scene: Blender's render, ours, Blender's shadow map, ours (black = 50 % darker; objects red)."""
    from benchmarks.shadow_strength import shadow_tone

    rows = [np.concatenate([p["blender"], p["ours"], shadow_tone(p["blender_map"], p["objects"]),
                            shadow_tone(p["ours_map"], p["objects"])], axis=1) for p in pictures]
    im = Image.fromarray(np.concatenate(rows, axis=0))
    im.resize((im.width // 2, im.height // 2), Image.LANCZOS).save(out, optimize=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.shadow_blender", description=__doc__.splitlines()[0])
    ap.add_argument("--scenes", type=int, default=40, help="seeds 0..N-1; the first half is the tuning part")
    ap.add_argument("--renders", required=True, help="Blender's renders (made here first if missing)")
    ap.add_argument("--bpy", help="a Python with bpy 4.2 installed, to render what is missing")
    ap.add_argument("--clevr-data", help="image_generation/data of a clevr-dataset-gen clone")
    ap.add_argument("--samples", type=int, default=256, help="Cycles samples per pixel")
    ap.add_argument("--sheet", help="write four confirmation scenes, renders and shadow maps, here")
    ap.add_argument("--csv", help="write the per-scene measures here")
    ap.add_argument("--against-real", action="store_true", help="first compare the port with the real renders")
    ap.add_argument("--fit-lights", action="store_true", help="fit the lamps to Blender's (renders/lamps/)")
    ap.add_argument("--tune", help="comma-separated lamp scales K to try on the tuning part (with --fit-lights)")
    a = ap.parse_args(argv)
    renders = Path(a.renders)
    todo = scenes(a.scenes)
    needed = dict(list(todo.items())[: len(todo) // 2]) if a.tune else todo  # tuning needs its part only
    missing = {k: v for k, v in needed.items() if not (renders / f"{k}_empty.png").exists()}
    if missing:
        if not (a.bpy and a.clevr_data):
            ap.error(f"{renders}: {len(missing)} scenes not rendered by Blender; give --bpy and --clevr-data")
        render_blender(missing, renders, a.bpy, a.clevr_data, a.samples)
    if a.against_real:
        against_real(todo, renders)
    if a.fit_lights:
        lamps = renders / "lamps"
        if not (lamps / "Area.png").exists():
            if not (a.bpy and a.clevr_data):
                ap.error(f"{lamps}: no lamp renders; give --bpy and --clevr-data")
            subprocess.run([a.bpy, str(Path(__file__).parent / "blender" / "render_clevr.py"), a.clevr_data, "lamps",
                            str(lamps), str(a.samples)], check=True)
        fit = fit_lights(lamps)
        if a.tune:
            tune(fit, [float(k) for k in a.tune.split(",")], todo, renders)
        return
    rows, pictures = [], []
    for name, scene in todo.items():
        b, o, p = compare(name, scene, renders)
        rows.append((b, o))
        pictures.append(p)
    report(rows)
    print(f"shadow maps, mean |log(ours / Blender)| within {REACH} px: tuning "
          f"{np.mean([map_error(p) for p in pictures[:len(rows) // 2]]):.4f}, confirmation "
          f"{np.mean([map_error(p) for p in pictures[len(rows) // 2:]]):.4f}")
    if a.csv:
        import pandas as pd
        pd.DataFrame([{"scene": k, "part": "tuning" if i < len(rows) // 2 else "confirmation",
                       **{f"blender_{m}": b[m] for m in MEASURES}, **{f"ours_{m}": o[m] for m in MEASURES}}
                      for i, (k, (b, o)) in enumerate(zip(todo, rows))]).to_csv(a.csv, index=False)
    if a.sheet:
        sheet(pictures[len(pictures) // 2:][:4], a.sheet)
        print(f"wrote {a.sheet}")


if __name__ == "__main__":
    main()
