"""The inpainting benchmark's hole sets, each a list of Hole with a known true answer.

(a) clevr:   removal pairs from our generator; hole = the removed object's mask, dilated;
             truth = the target render (no object, no shadow).
(b) real:    object-shaped holes on empty floor of the eight real CLEVR renders; truth = the
             original pixels.
(c) photos:  object-shaped holes and a thin stroke on photographs shipped in wheels
             (scikit-image, and with the benchmark extras scikit-learn, matplotlib, mahotas);
             truth = original.
(d) blender: as (b), on Blender's renders of our scenes with the official CLEVR assets
             (benchmarks.shadow_blender makes them; seedNN.png in a folder given at run time).
(e) folder:  as (c), on every .jpg and .png of a folder given at run time; tuning only.
(f) realmasks: as (c)'s object-shaped holes on the same photos, shaped as real objects' masks
             (GrabCut's, inside the hand-drawn boxes of the photo graphs SIMBIL ships).
Other object shapes come from our renderer's masks of single CLEVR objects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from scipy import ndimage

from simbil.datasets.pairs import make_pair
from simbil.clevr.render import render_scene
from simbil.clevr.sampler import new_frame, place, random_object
from simbil.datasets.photos import PHOTO_GRAPHS, photo_names
from simbil.imageio import read_image, skimage_photo
from simbil.segment import SegmentError, segment

REFERENCE = Path(__file__).parent / "data" / "clevr-reference"
# Colour photographs: scikit-image's (those that load without a download) and, where the
# benchmark-only extras are installed, scikit-learn's two sample images and the portraits that
# matplotlib (grace_hopper) and mahotas (luispedro) ship. The confirmation part holds the five
# photos of the project's held-out check, with other holes; tuning never sees them.
TUNING_PHOTOS = ("immunohistochemistry", "hubble_deep_field", "retina", "china", "grace_hopper", "luispedro")
CONFIRMATION_PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "motorcycle", "flower")
# The order the holes are drawn in: the portraits came last, so every earlier photo keeps its holes.
PHOTOS = TUNING_PHOTOS[:4] + CONFIRMATION_PHOTOS + TUNING_PHOTOS[4:]
DILATE = 2  # pixels added around every object mask: anti-aliased edges belong to the object


@dataclass
class Hole:
    set: str
    name: str
    image: np.ndarray  # float (H, W, 3): what the inpainter sees (hole pixels included, ignored)
    mask: np.ndarray  # bool (H, W)
    truth: np.ndarray
    bbox: list[int]  # RoI before SIMSG's 2-pixel widening


def _bbox(mask: np.ndarray) -> list[int]:
    ys, xs = np.nonzero(mask)
    return [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]


def clevr_removals(n: int, seed: int = 0, width: int = 320, height: int = 240) -> list[Hole]:
    out = []
    for i in range(n):
        rng = np.random.default_rng([seed, 101, i])
        source, target, edit = make_pair(rng, "removal", width, height)
        k = next(j for j, o in enumerate(source["objects"]) if o["id"] == edit["target"])
        rs, rt = render_scene(source, width, height), render_scene(target, width, height)
        obj = rs.mask(k)
        mask = ndimage.binary_dilation(obj, iterations=DILATE)
        out.append(Hole("clevr", f"clevr-{i:03d}", rs.image.astype(np.float32) / 255, mask,
                        rt.image.astype(np.float32) / 255, _bbox(obj)))
    return out


def object_shapes(n: int, seed: int = 0) -> list[np.ndarray]:
    """Masks of single CLEVR objects (cropped to their box), rendered at 320×240."""
    rng = np.random.default_rng([seed, 202])
    shapes = []
    while len(shapes) < n:
        scene = new_frame(rng)
        obj = place(rng, random_object(rng), [], scene["directions"])
        scene["objects"] = [obj]
        ids = render_scene(scene, 320, 240, antialias=False).instance == 0
        if ids.sum() < 300:
            continue
        x0, y0, x1, y1 = _bbox(ids)
        shapes.append(ids[y0:y1, x0:x1])
    return shapes


def real_shapes() -> list[np.ndarray]:
    """Masks of real objects (cropped to their box): what the pipeline's segmentation
    (simbil.segment, GrabCut) makes of every hand-drawn box of the photo graphs SIMBIL ships."""
    shapes = []
    for name in photo_names():
        graph = json.loads((PHOTO_GRAPHS / f"{name}.json").read_text())
        img = skimage_photo(name).astype(np.float32) / 255
        for o in graph["objects"]:
            try:
                m = segment(img, [o["x"], o["y"], o["x"] + o["w"], o["y"] + o["h"]])
            except SegmentError:  # a box too large to leave GrabCut any background
                continue
            if m.sum() >= 300:
                x0, y0, x1, y1 = _bbox(m)
                shapes.append(m[y0:y1, x0:x1])
    return shapes


def _place(shape: np.ndarray, allowed: np.ndarray, rng, tries: int = 500) -> np.ndarray | None:
    """A full-size mask with `shape` where all of it lies inside `allowed`."""
    H, W = allowed.shape
    h, w = shape.shape
    if h >= H or w >= W:
        return None
    for _ in range(tries):
        y, x = int(rng.integers(0, H - h)), int(rng.integers(0, W - w))
        m = np.zeros((H, W), bool)
        m[y:y + h, x:x + w] = shape
        if allowed[m].all():
            return m
    return None


def floor_map(img: np.ndarray, clearance: int = 6) -> np.ndarray:
    """Pixels of plain floor in a real CLEVR render: gray, smooth, and away from any edge."""
    sat = img.max(axis=2) - img.min(axis=2)
    gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    grad = np.hypot(cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3))
    plain = (sat < 0.07) & (ndimage.maximum_filter(grad, 5) < 0.12)
    plain = ndimage.binary_opening(plain, iterations=2)
    return ndimage.binary_erosion(plain, iterations=clearance)


def _floor_holes(set_name: str, paths: list[Path], per_image: int, rng, seed: int) -> list[Hole]:
    """Object-shaped holes on the plain floor of each image; truth = the image itself."""
    shapes = object_shapes(32, seed)
    out = []
    for path in paths:
        img = read_image(path)
        allowed = floor_map(img)
        made = 0
        for s in rng.permutation(len(shapes)):
            mask = _place(ndimage.binary_dilation(np.pad(shapes[s], DILATE), iterations=DILATE), allowed, rng)
            if mask is None:
                continue
            out.append(Hole(set_name, f"{path.stem}-{made}", img, mask, img, _bbox(mask)))
            made += 1
            if made == per_image:
                break
    return out


def real_clevr_floors(per_image: int = 2, seed: int = 0) -> list[Hole]:
    return _floor_holes("real", sorted(REFERENCE.glob("img*.png")), per_image, np.random.default_rng([seed, 303]), seed)


def blender_floors(per_image: int = 2, seed: int = 0, renders: str | Path | None = None) -> list[Hole]:
    """Set (d): real Cycles floors beyond the eight, where Blender's renders have been made."""
    paths = sorted(Path(renders).glob("seed[0-9][0-9].png")) if renders else []
    if not paths:
        raise ValueError(f"set 'blender' needs Blender's renders (seedNN.png) in a folder; got {renders}")
    return _floor_holes("blender", paths, per_image, np.random.default_rng([seed, 404]), seed)


def _photo(name: str) -> np.ndarray | None:
    if name in ("china", "flower"):
        try:
            from sklearn.datasets import load_sample_image
        except ImportError:
            return None
        return load_sample_image(f"{name}.jpg").astype(np.float32) / 255
    if name in ("grace_hopper", "luispedro"):
        try:
            path = _portrait(name)
        except ImportError:
            return None
        return read_image(path)
    return skimage_photo(name).astype(np.float32) / 255


def _portrait(name: str) -> Path:
    if name == "grace_hopper":
        import matplotlib

        return Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
    import mahotas.demos

    return Path(mahotas.demos.image_path("luispedro.jpg"))


def stroke(H: int, W: int, rng, width: int) -> np.ndarray:
    """A thin hole: a random polyline of 3–5 segments, `width` px wide."""
    m = np.zeros((H, W), np.uint8)
    pts = [(int(rng.integers(W // 6, 5 * W // 6)), int(rng.integers(H // 6, 5 * H // 6)))]
    for _ in range(int(rng.integers(3, 6))):
        x, y = pts[-1]
        step = rng.uniform(0.08, 0.2) * min(H, W)
        a = rng.uniform(0, 2 * np.pi)
        pts.append((int(np.clip(x + step * np.cos(a), 8, W - 9)), int(np.clip(y + step * np.sin(a), 8, H - 9))))
    cv2.polylines(m, [np.array(pts, np.int32)], False, 1, thickness=width)
    return m.astype(bool)


def photos(per_image: int = 2, seed: int = 0) -> list[Hole]:
    """Per photo: object-shaped holes from small to large (the shape's longer side 6–30 % of the
    photo's shorter side) and one thin stroke (3–9 px)."""
    rng = np.random.default_rng([seed, 404])
    shapes = object_shapes(32, seed)
    out = []
    for name in PHOTOS:
        img = _photo(name)
        if img is not None:
            out += _photo_holes("photos", name, img, per_image, rng, shapes)
    return out


def folder_photos(per_image: int = 2, seed: int = 0, folder: str | Path | None = None) -> list[Hole]:
    """Set (e): more tuning images, every .jpg and .png of a folder, holed as the photos are
    (for instance OpenCV's sample images, docs/benchmarks.md has the command). Tuning only."""
    paths = sorted(p for p in Path(folder).glob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png")) if folder else []
    if not paths:
        raise ValueError(f"set 'folder' needs a folder of .jpg or .png images; got {folder}")
    rng = np.random.default_rng([seed, 505])
    shapes = object_shapes(32, seed)
    return [h for p in paths for h in _photo_holes("folder", p.stem, read_image(p), per_image, rng, shapes, source=p)]


def real_object_holes(per_image: int = 2, seed: int = 0) -> list[Hole]:
    """Set (f): per photo of set (c), holes shaped as real objects' masks (real_shapes), from
    small to large as (c)'s; named NAME-realJ, so parts go by photograph as (c)'s do."""
    rng = np.random.default_rng([seed, 606])
    shapes = real_shapes()
    out = []
    for name in PHOTOS:
        img = _photo(name)
        if img is not None:
            out += _shaped_holes("realmasks", name, img, per_image, rng, shapes, tag="real")
    return out


def _shaped_holes(set_name: str, name: str, img: np.ndarray, n: int, rng, shapes,
                  source: str | Path | None = None, tag: str = "") -> list[Hole]:
    """n holes, each a random shape scaled to 6–30 % of the image's shorter side, 8 px or more
    from its border."""
    H, W = img.shape[:2]
    border = np.zeros((H, W), bool)
    border[8:-8, 8:-8] = True
    out = []
    for j in range(n):
        s = shapes[int(rng.integers(len(shapes)))]
        side = rng.uniform(0.06, 0.30) * min(H, W)
        f = side / max(s.shape)
        big = cv2.resize(s.astype(np.uint8), (max(1, round(s.shape[1] * f)), max(1, round(s.shape[0] * f))),
                         interpolation=cv2.INTER_NEAREST).astype(bool)
        mask = _place(ndimage.binary_dilation(np.pad(big, DILATE), iterations=DILATE), border, rng)
        if mask is None:
            raise ValueError(f"{source or name}: {W}×{H} px is too small to hole 8 px from its border")
        out.append(Hole(set_name, f"{name}-{tag}{j}", img, mask, img, _bbox(mask)))
    return out


def _photo_holes(set_name: str, name: str, img: np.ndarray, per_image: int, rng, shapes,
                 source: str | Path | None = None) -> list[Hole]:
    out = _shaped_holes(set_name, name, img, per_image, rng, shapes, source)
    H, W = img.shape[:2]
    m = stroke(H, W, rng, int(rng.integers(3, 10)))
    out.append(Hole(set_name, f"{name}-stroke", img, m, img, _bbox(m)))
    return out


def part(hole: Hole) -> str:
    """tuning or confirmation: CLEVR-like pairs by parity, real renders img1–4 / img5–8, photos
    by photograph (TUNING_PHOTOS / CONFIRMATION_PHOTOS)."""
    if hole.set == "clevr":
        return "confirmation" if int(hole.name.split("-")[1]) % 2 else "tuning"
    if hole.set == "real":
        return "confirmation" if int(hole.name[3]) >= 5 else "tuning"
    if hole.set == "folder":  # images a user brings: never the result
        return "tuning"
    if hole.set == "blender":  # seeds 0-19 / 20-39, as benchmarks.shadow_blender splits them
        return "confirmation" if int(hole.name[4:6]) >= 20 else "tuning"
    return "tuning" if hole.name.rsplit("-", 1)[0] in TUNING_PHOTOS else "confirmation"


SETS = {"clevr": clevr_removals, "real": real_clevr_floors, "photos": photos, "blender": blender_floors,
        "folder": folder_photos, "realmasks": real_object_holes}
