"""The hole an edit opens in its source image: the target's outline (from the graph, else
box-prompted segmentation), its shadow, and a margin for anti-aliased edges."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import ndimage

from ..graphs import EditError
from ..graphs.format import get_object
from ..imageio import ImageError, read_image, read_mask
from ..ops import OPS, SHADOW_SOURCES
from ..shadow import estimate_shadow


def resolve(graph_path: str | Path, rel: str) -> Path:
    """Paths inside a graph are relative to the graph file's folder."""
    return Path(graph_path).parent / rel


def _sized(m: np.ndarray, g: dict, graph_path: str, obj: dict, key: str) -> np.ndarray:
    if m.shape != (g["height"], g["width"]):
        raise ImageError(f"{graph_path}: object {obj['id']!r} {key} {obj[key]!r} is {m.shape[1]}x{m.shape[0]}, "
                         f"the image {g['width']}x{g['height']}")
    return m


def object_mask(graph_path: str, g: dict, obj: dict) -> np.ndarray:
    """An object's outline: the graph's mask, or GrabCut inside its box where it has none."""
    if obj.get("mask"):
        return _sized(read_mask(resolve(graph_path, obj["mask"])), g, graph_path, obj, "mask")
    from ..segment import segment

    return segment(read_image(resolve(graph_path, g["image"])), obj["bbox"])


def shadow_mask(graph_path: str, g: dict, obj: dict, m: np.ndarray, how: str) -> np.ndarray:
    """The object's shadow: the graph's own mask (`known`, CLEVR renders) or, where it has none
    or `estimate` is asked for, simbil.shadow's estimate from the image (other annotated objects
    are neither floor nor shadow)."""
    if how not in SHADOW_SOURCES:
        raise ValueError(f"shadow must be one of {', '.join(SHADOW_SOURCES)}, got {how!r}")
    if how == "none":
        return np.zeros_like(m)
    if how == "known" and obj.get("shadow_mask"):
        return _sized(read_mask(resolve(graph_path, obj["shadow_mask"])), g, graph_path, obj, "shadow_mask")
    return estimate_shadow(read_image(resolve(graph_path, g["image"])), m, other_objects(graph_path, g, obj["id"]))


def other_objects(graph_path: str, g: dict, skip: str | None) -> np.ndarray:
    """The outlines the graph holds of its objects but `skip`: what no shadow of it takes away."""
    others = np.zeros((g["height"], g["width"]), bool)
    for o in g["objects"]:
        if o["id"] != skip and o.get("mask"):
            others |= _sized(read_mask(resolve(graph_path, o["mask"])), g, graph_path, o, "mask")
    return others


def _target(edit: dict, g: dict, graph_path: str) -> dict:
    obj = get_object(g, edit.get("target", ""))
    if obj is None:
        raise EditError(edit["id"], [("target", f"no object {edit.get('target')!r} in {graph_path}")])
    return obj


def target_outline(edit: dict, g: dict, graph_path: str) -> np.ndarray:
    """The edited object's outline in the source (object_mask); empty where the op opens no hole
    (an addition's target is not in the source)."""
    if OPS[edit["op"]].hole == "none":
        return np.zeros((g["height"], g["width"]), bool)
    obj = _target(edit, g, graph_path)
    m = object_mask(graph_path, g, obj)
    if not m.any() and not obj.get("mask"):  # an empty hole, which the fill would refuse later without saying why
        raise EditError(edit["id"], [("target", f"GrabCut found no object {obj['id']!r} in its box {obj['bbox']} "
                                                f"in {graph_path}'s image (all of it looks like the background around "
                                                "it); give the object a mask in the graph")])
    return m


def with_outline(g: dict, target: str | None, outline: str | Path) -> dict:
    """g with the outline file `outline` as the target's mask where the graph has none. The mask
    stage writes the outline once (target_outline); the inpainting jobs after it read that file
    instead of segmenting the image again, one GrabCut per method."""
    obj = get_object(g, target) if target else None
    if obj is None or obj.get("mask"):
        return g
    path = str(Path(outline).resolve())  # absolute: resolve() joins it to no graph folder
    return {**g, "objects": [{**o, "mask": path} if o is obj else o for o in g["objects"]]}


def removal_mask(edit: dict, g: dict, graph_path: str, dilate: int, shadow: str,
                 own: np.ndarray | None = None) -> np.ndarray:
    """What the op cuts out (simbil.ops: nothing, the object, or the object and its shadow),
    dilated: anti-aliased edges belong to the object. An object changed in place grows by 1 px
    only, its anti-aliased ring. Other objects stay, though the shadow falls on them (a
    renderer's shadow mask covers them too): a fill from the floor would erase them. `own`: the
    target's outline, where the caller has it already."""
    hole = OPS[edit["op"]].hole
    if hole == "none":
        return np.zeros((g["height"], g["width"]), bool)
    obj = _target(edit, g, graph_path)
    m = object_mask(graph_path, g, obj) if own is None else own
    grow = 1 if hole == "object" else dilate
    out = ndimage.binary_dilation(m, iterations=grow) if grow else m
    if hole == "object+shadow":
        s = shadow_mask(graph_path, g, obj, m, shadow)
        s = ndimage.binary_dilation(s, iterations=grow) if grow else s
        out = out | (s & ~other_objects(graph_path, g, obj["id"]))
    return out
