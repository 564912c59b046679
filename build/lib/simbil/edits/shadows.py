"""Shadows that travel: a placed object (moved, added or replacing) casts its shadow at its new
place. Where the graph knows the scene's camera and lights (a CLEVR-like scene) the shadow is
rendered: the object stood on the floor under its box, lit by those lights. Elsewhere a moved
object's shadow is read as the floor's shading ratio under it in the source — the source over the
fill of the hole, which is the floor as it would be lit without the object — and laid at the new
place, shifted with the object's floor contact and scaled as the object is (a pinhole camera over
a flat floor: what stands further away is smaller, and so is its shadow); a new object's is its
bank exemplar's, stored when the bank was rendered, laid the same way."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from ..clevr.properties import SHAPES, SIZES, half_extent
from ..clevr.render import encoded_ratio
from ..graphs.format import get_object
from ..shadow import luma
from .bank import Bank
from .masks import object_mask, other_objects, shadow_mask

SMOOTH = 1.0  # px: the ratio is smoothed this much, so the fill's texture does not print into it
FEATHER = 8  # px: a stored shadow fades out over this much towards its crop's edge, leaving no line


def shading_ratio(source: np.ndarray, filled: np.ndarray, region: np.ndarray) -> np.ndarray:
    """(H, W) light kept, 0–1: the source's luminance over the fill's on `region`, 1 elsewhere."""
    ratio = np.ones(region.shape, np.float64)
    if region.any():
        r = luma(source) / np.maximum(luma(filled), 1e-4)
        ratio[region] = np.clip(r[region], 0, 1)
        ratio = np.where(region, ndimage.gaussian_filter(ratio, SMOOTH), 1.0)
    return ratio


def contact(box) -> tuple[float, float]:
    """Where an object in `box` [x0, y0, x1, y1] stands: its bottom centre."""
    return (box[0] + box[2]) / 2, float(box[3])


def carry(ratio: np.ndarray, old_box, new_box, shape: tuple[int, int] | None = None) -> np.ndarray:
    """The ratio map moved with the object: its floor contact from old_box's to new_box's, scaled
    by their heights' ratio about it, onto an image of `shape` (default: the ratio's); 1 where
    nothing lands."""
    (ox, oy), (nx, ny) = contact(old_box), contact(new_box)
    scale = max(new_box[3] - new_box[1], 1) / max(old_box[3] - old_box[1], 1)
    H, W = shape or ratio.shape
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float64)
    src = np.stack([oy + (yy - ny) / scale, ox + (xx - nx) / scale])
    return ndimage.map_coordinates(ratio, src, order=1, mode="constant", cval=1.0)


def moved_shadow(region: np.ndarray, old_box, new_box, keep_lit: np.ndarray | None = None):
    """A `cast` for simbil.edits.compose: given (source, filled), the shading the moved object's
    shadow (`region` of the source) lays at its new place; pixels of `keep_lit` (other objects)
    are not darkened."""
    def cast(source: np.ndarray, filled: np.ndarray) -> np.ndarray:
        moved = carry(shading_ratio(source, filled, region), old_box, new_box)
        return np.where(keep_lit, 1.0, moved) if keep_lit is not None else moved
    return cast


def move_cast(plan: dict, g: dict, graph_path: str, hole: np.ndarray, box):
    """The `cast` of a move: the target's shadow in the source (the graph's, else estimated; only
    what the hole took, so a removal mask without shadows moves none), carried to `box`."""
    obj = get_object(g, plan["target"])
    own = object_mask(graph_path, g, obj)
    region = shadow_mask(graph_path, g, obj, own, "known") & hole & ~own
    if not region.any() or not own.any():
        return None
    ys, xs = np.nonzero(own)
    old_box = [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]
    return moved_shadow(region, old_box, box, other_objects(graph_path, g, obj["id"]))


def bank_cast(plan: dict, g: dict, graph_path: str, bank: str, box):
    """The `cast` of a replacement or an addition: the bank exemplar's own shadow, fitted to `box`
    as its pixels are (simbil.edits.compose.fit_into_box), or None if the bank stored none."""
    b = Bank(bank)
    entry, _ = b.pick(plan["after"]["name"], plan["after"]["attributes"], box)
    stored = b.shadow(entry)
    if stored is None:
        return None
    kept, (x0, y0, x1, y1) = stored
    kept = encoded_ratio(kept)  # stored as linear light, laid on encoded pixels
    edge = np.minimum.outer(np.minimum(np.arange(kept.shape[0]), np.arange(kept.shape[0])[::-1]),
                            np.minimum(np.arange(kept.shape[1]), np.arange(kept.shape[1])[::-1]))
    kept = 1 - (1 - kept) * np.clip(edge / FEATHER, 0, 1)
    canvas = np.ones((max(y1, entry["bbox"][3]), max(x1, entry["bbox"][2])))
    canvas[y0:y1, x0:x1] = kept
    laid = carry(canvas, entry["bbox"], box, (g["height"], g["width"]))
    laid = np.where(other_objects(graph_path, g, plan.get("target")), 1.0, laid)
    return lambda source, filled: laid


def rendered_cast(plan: dict, g: dict, graph_path: str, box):
    """The `cast` of a new object rendered with the scene's own lights, or None where the graph
    lacks a camera or lights, or the object is not a CLEVR shape."""
    from ..clevr.camera import Camera
    from ..clevr.render import Renderer
    from ..roi.floor import floor_position

    name, attributes = plan["after"]["name"], plan["after"].get("attributes") or {}
    size = attributes.get("size", "large")
    if not (g.get("camera") and g.get("lights")) or name not in SHAPES or size not in SIZES:
        return None
    W, H = g["width"], g["height"]
    at = floor_position({"bbox": box, "name": name, "attributes": {"size": size}}, Camera.from_dict(g["camera"]), W, H)
    if at is None:
        return None
    obj = {"shape": name, "size": size, "3d_coords": [at[0], at[1], half_extent(name, size)], "rotation": 0.0,
           "color": "gray", "material": "rubber"}
    scene = {"objects": [obj], "camera": g["camera"], "lights": g["lights"], "render_seed": 0}
    r = Renderer(scene, W, H).render(antialias=False, shading=True)
    kept = r.kept[0]
    # the stand-in's own pixels are 1; the exemplar pasted over them is not its exact silhouette,
    # so they take the shadow next to them, leaving no lit sliver between object and shadow
    _, (iy, ix) = ndimage.distance_transform_edt(r.mask(0), return_indices=True)
    kept = encoded_ratio(kept[iy, ix])
    laid = np.where(other_objects(graph_path, g, plan.get("target")), 1.0, kept)
    return lambda source, filled: laid


def shadow_of(plan: dict, g: dict, graph_path: str, hole: np.ndarray, box, bank: str | None):
    """The `cast` of what an edit places at `box`: rendered with the scene's lights where the
    graph has them, else a move's own shadow carried or a new object's exemplar's; None for the
    other ops, or where no shadow is known."""
    if box is None or g is None:
        return None
    if plan["op"] == "relation":
        # rendered where the scene's lights are known: the light, not the old shadow's shape
        # carried with the box, says how it falls at the new place
        return rendered_cast(plan, g, graph_path, box) or move_cast(plan, g, graph_path, hole, box)
    if plan["op"] in ("replace", "add"):
        return rendered_cast(plan, g, graph_path, box) or (bank_cast(plan, g, graph_path, bank, box) if bank else None)
    return None
