"""Where an edited object goes. `plan_edit` applies the edit to the graph and gives the new
object's box by each RoI source (rnn: the trained predictor; heuristic: the geometric
baseline; truth: the benchmark's target, when there is one) and the box the edit is scored on
(SIMSG: the changed object's box in the target image; for a removal, its box in the source)."""

from __future__ import annotations

import math

from ..clevr.camera import Camera
from ..clevr.properties import VOCABULARY
from ..graphs import EditError, apply_edit
from ..graphs.format import get_object
from ..graphs.readers import RELATION_MARGIN
from ..roi.floor import floor_position
from ..roi.geometry import object_box
from ..roi.heuristic import heuristic_box


def clip_box(box, width: int, height: int) -> list[float]:
    x0, y0, x1, y1 = (float(v) for v in box)
    x0, x1 = max(0.0, min(x0, width - 1.0)), min(float(width), max(x1, x0 + 1))
    y0, y1 = max(0.0, min(y0, height - 1.0)), min(float(height), max(y1, y0 + 1))
    return [round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)]


def _boxes(g: dict, edit: dict, change: dict, cam: Camera | None, model: str | None) -> dict:
    W, H = g["width"], g["height"]
    op, before, after = change["op"], change["before"], change["after"]
    place: dict[str, list[float]] = {}
    if op in ("relation", "add"):
        size = after["attributes"].get("size", "large")
        others = {o["id"]: o for o in g["objects"] if o["id"] != change["target"]}
        place["heuristic"] = heuristic_box(after["name"], size, edit["relations"], others, W, H, cam)
        if model:
            from ..roi.train import load, predict_boxes

            example = {"name": after["name"], "size": size, "relations": edit["relations"], "objects": others}
            place["rnn"] = predict_boxes(load(model), [example], W, H)[0]
    elif op == "replace":
        place["heuristic"] = place["rnn"] = _replacing_box(g, change, cam)
    elif op == "attribute":
        place["heuristic"] = place["rnn"] = before["bbox"]
    if op in ("relation", "add") and cam is None:
        if op == "relation":
            place = {k: _keep_size(b, before["bbox"], edit["relations"]) for k, b in place.items()}
        others = {o["id"]: o for o in g["objects"] if o["id"] != change["target"]}
        place = {k: in_plane(b, edit, others, W, H) for k, b in place.items()}
    elif op in ("relation", "add") and cam is not None:
        from ..roi import floor

        others = {o["id"]: o for o in g["objects"] if o["id"] != change["target"]}
        size = after["attributes"].get("size", "large")
        was = floor_position(before, cam, W, H) if op == "relation" and before.get("bbox") else None
        spot: dict = {}  # with an infinite pull every prediction gets the same spot: find it once
        try:
            for k, b in place.items():
                key = None if math.isinf(floor.PULL) else tuple(b)
                if key not in spot:
                    spot[key] = floor.snap(b, after["name"], size, edit["relations"], others, cam, W, H, was)
                place[k] = spot[key]
        except floor.NoPlace as e:
            raise EditError(edit["id"], [("relations", str(e))]) from None
    return place


def _replacing_box(g: dict, change: dict, cam: Camera | None) -> list[float]:
    """The new object stands where the old one stood: on the floor point the old one's box puts
    its own shape (simbil.roi.floor), seen as the new shape there; without a camera, the old box."""
    before, after = change["before"], change["after"]
    if cam is None:
        return before["bbox"]
    W, H = g["width"], g["height"]
    size = after["attributes"].get("size", "large")
    at = floor_position(get_object(g, change["target"]), cam, W, H)
    if at is None:  # the old box's bottom is above the horizon: nothing to stand on
        return before["bbox"]
    return object_box(after["name"], size, at[0], at[1], cam, W, H)


def _keep_size(box, old, relations) -> list[float]:
    """Without a camera (a photo) nothing says how size changes with place: keep the object's
    size and, unless behind/front is asked, its floor line; the box only gives the new centre."""
    w, h = old[2] - old[0], old[3] - old[1]
    depth = any(r["predicate"] in ("behind", "front of") for r in relations)
    bottom = box[3] if depth else old[3]
    return [(box[0] + box[2] - w) / 2, bottom - h, (box[0] + box[2] + w) / 2, bottom]


def in_plane(box, edit: dict, others: dict, width: int, height: int) -> list[float]:
    """Without a camera (a photo), the stated relations hold in the image plane, as the graph's
    relations are read from boxes (simbil.graphs.readers.relations_from_boxes): left of / right
    of an object clear of its box, front of / behind by the floor line. The box moves the least,
    sideways and along the floor line, that makes each hold and keeps it in the picture."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    cx = [w / 2, width - w / 2]  # the box centre's allowed range
    bottom = [h, float(height)]
    for r in edit["relations"]:
        o = others[r["object"]]["bbox"]
        mh = (RELATION_MARGIN + 0.01) * (h + o[3] - o[1]) / 2
        if r["predicate"] == "left of":
            cx[1] = min(cx[1], o[0] - w / 2)
        elif r["predicate"] == "right of":
            cx[0] = max(cx[0], o[2] + w / 2)
        elif r["predicate"] == "front of":
            bottom[0] = max(bottom[0], o[3] + mh)
        elif r["predicate"] == "behind":
            bottom[1] = min(bottom[1], o[3] - mh)
    if cx[0] > cx[1] or bottom[0] > bottom[1]:
        words = " and ".join(f"{r['predicate']} {r['object']}" for r in edit["relations"])
        raise EditError(edit["id"], [("relations", f"no place in the picture holds a {w:.0f}x{h:.0f} px box "
                                                    f"{words}")])
    c = min(max((x0 + x1) / 2, cx[0]), cx[1])
    b = min(max(y1, bottom[0]), bottom[1])
    return [c - w / 2, b - h, c + w / 2, b]


def plan_edit(edit: dict, g: dict, model: str | None = None, truth: dict | None = None) -> tuple[dict, dict]:
    """(edited graph, plan): the plan is apply_edit's change plus `place` (box per RoI source),
    `roi` (the scored box) and `image`. `truth` is the benchmark's target graph, if any."""
    vocabulary = VOCABULARY if edit["image"].startswith("clevr/") else None
    new, change = apply_edit(g, edit, vocabulary)
    cam = Camera.from_dict(g["camera"]) if g.get("camera") else None
    place = _boxes(g, edit, change, cam, model)
    if truth is not None and change["op"] != "remove":
        t = get_object(truth, change["target"])
        if t is not None:
            place["truth"] = t["bbox"]
    place = {k: clip_box(v, g["width"], g["height"]) for k, v in place.items()}
    if change["op"] == "remove":
        roi = change["old_bbox"]
    else:
        roi = place.get("truth", place.get("rnn", place.get("heuristic")))
    return new, {**change, "roi": [int(round(v)) for v in roi], "place": place, "image": edit["image"]}


def placed_graph(plan: dict, g: dict, info: dict) -> dict:
    """The graph of an edit's result (plan_edit's graph), for an edit that builds on it: the
    changed object stands where this method put it; its outline and shadow are unknown there,
    so the next step outlines it again (box-prompted segmentation) and estimates its shadow."""
    import copy

    g = copy.deepcopy(g)
    obj = get_object(g, plan["target"]) if plan["op"] != "remove" else None
    if obj is not None:
        box = info.get("placed_box") or (plan["place"].get(info.get("roi") or "rnn") if plan.get("place") else None)
        obj["bbox"] = box or obj.get("bbox") or plan.get("old_bbox")
        obj["mask"], obj["shadow_mask"] = None, None
    return g
