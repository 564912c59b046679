"""The new pixels an edit places: a move takes the object's own pixels (with what a nearer object
hid of it completed from the bank, simbil.edits.complete), a repaint recolours them, a
replacement, an addition and a material change take a bank exemplar's."""

from __future__ import annotations

import numpy as np

from ..graphs import EditError
from ..graphs.format import get_object
from .bank import Bank
from .complete import complete, occluders
from .compose import crop_object, fit_into_box, fit_to_outline, recolour
from .masks import object_mask
from .reflections import clear_reflections


def in_place(plan: dict) -> bool:
    """An attribute change that keeps the object's size keeps its silhouette: its new pixels go
    exactly where its old ones were."""
    if plan["op"] != "attribute":
        return False
    return plan["before"]["attributes"].get("size") == plan["after"]["attributes"].get("size")


def new_layer(img: np.ndarray, plan: dict, g: dict, graph_path: str, box, bank: str | None,
              complete_hidden: bool = True):
    """(full-size rgb, alpha) of what the edit places at `box`, or None for a removal; an
    in-place change is cut to the object's own silhouette."""
    op = plan["op"]
    if op == "remove":
        return None
    before, after = plan["before"], plan["after"]
    repaint = op == "attribute" and before["attributes"].get("material") == after["attributes"].get("material")
    H, W = img.shape[:2]
    own = None
    if op == "relation" or repaint or in_place(plan):
        own = object_mask(graph_path, g, get_object(g, before["id"]))
    if op == "relation":
        obj = get_object(g, before["id"])
        if complete_hidden:
            img = clear_reflections(img, own, obj, g)
        whole = complete(img, own, occluders(g, graph_path, obj, own), bank, obj) if bank and complete_hidden else None
        return fit_into_box(crop_object(*(whole or (img, own))), box, W, H)
    if repaint and "color" in after["attributes"]:
        return recolour(img, own, before["attributes"]["color"], after["attributes"]["color"]), own.astype(np.float32)
    if not bank:
        raise EditError(plan["edit"], [("op", f"{op!r} needs the object bank (--bank)")])
    _, rgba = Bank(bank).pick(after["name"], after["attributes"], box)
    if own is None:
        return fit_into_box(rgba, box, W, H)
    return fit_to_outline(rgba, own), own.astype(np.float32)


def nearer(g: dict, graph_path: str, plan: dict, box) -> list[np.ndarray]:
    """Outlines of the objects standing nearer the camera than the placed one (their floor
    contact lower in the image) that the graph has outlines for: they are drawn over it."""
    out = []
    for o in g["objects"]:
        if o["id"] != plan["target"] and o.get("mask") and o.get("bbox") and o["bbox"][3] > box[3]:
            out.append(object_mask(graph_path, g, o))
    return out
