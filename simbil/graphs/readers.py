"""Readers that turn CLEVR scene JSON and Visual-Genome-style JSON into the one graph format."""

from __future__ import annotations

import math
import os

from ..clevr.camera import Camera
from ..clevr.properties import PREDICATES, half_extent
from ..clevr.relations import clevr_relationships, relationship_triples
from .format import GraphError, read_json, validate_graph

# Visual Genome attributes are free words; these sort the common ones into SIMBIL's keys.
COLOR_WORDS = {"red", "blue", "green", "yellow", "white", "black", "gray", "grey", "brown", "purple",
               "cyan", "orange", "pink", "silver", "gold", "tan", "beige"}
MATERIAL_WORDS = {"metal", "metallic", "rubber", "wooden", "wood", "plastic", "glass", "stone",
                  "leather", "fabric", "ceramic", "paper", "concrete"}
SIZE_WORDS = {"large", "small", "big", "tiny", "huge", "little", "tall", "short"}


def _clevr_bbox(obj: dict, camera: Camera, width: int, height: int) -> list[int] | None:
    """A box for CLEVR objects that come without one: the projected 3D bounding box (our camera,
    or CLEVR's default camera for scenes rendered by the official generator)."""
    if "3d_coords" not in obj:
        return None
    x, y, z = obj["3d_coords"]
    h = half_extent(obj.get("shape", "sphere"), obj.get("size", "large"))
    r = h * (math.sqrt(2) if obj.get("shape") == "cube" else 1.0)
    corners = [(x + dx, y + dy, z + dz) for dx in (-r, r) for dy in (-r, r) for dz in (-h, h)]
    p = camera.project(corners, width, height)
    x0, y0 = max(0, math.floor(p[:, 0].min())), max(0, math.floor(p[:, 1].min()))
    x1, y1 = min(width, math.ceil(p[:, 0].max())), min(height, math.ceil(p[:, 1].max()))
    return [x0, y0, x1, y1] if x0 < x1 and y0 < y1 else None


def from_clevr_scene(scene: dict, image: str | None = None, width: int | None = None,
                     height: int | None = None, source: str = "scene") -> dict:
    """A CLEVR scene (official format, or ours with `id`, `bbox` and `mask` per object)."""
    if not isinstance(scene, dict) or not isinstance(scene.get("objects"), list):
        raise GraphError(source, "objects", "a CLEVR scene needs a list of objects")
    W = width or scene.get("width", 320)
    H = height or scene.get("height", 240)
    camera = Camera.from_dict(scene.get("camera"))
    objects, ids = [], []
    for i, o in enumerate(scene["objects"]):
        for key in ("shape", "color", "material", "size"):
            if not isinstance(o.get(key), str):
                raise GraphError(source, f"objects[{i}].{key}", "missing or not a string")
        xyz = o.get("3d_coords", [0, 0, 0])
        if not (isinstance(xyz, list) and len(xyz) == 3 and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in xyz)):
            raise GraphError(source, f"objects[{i}].3d_coords", f"must be three finite numbers, got {xyz!r}")
        oid = o.get("id", f"o{i}")
        ids.append(oid)
        objects.append({
            "id": oid,
            "name": o["shape"],
            "attributes": {"color": o["color"], "material": o["material"], "size": o["size"]},
            "bbox": o.get("bbox") or _clevr_bbox(o, camera, W, H),
            "mask": o.get("mask"),
            **({"shadow_mask": o["shadow_mask"]} if o.get("shadow_mask") else {}),
        })
    rels = scene.get("relationships")
    if not rels:
        if not all("3d_coords" in o for o in scene["objects"]):
            raise GraphError(source, "relationships", "absent, and objects lack 3d_coords to compute them")
        rels = clevr_relationships(scene["objects"], scene.get("directions") or camera.directions())
    graph = {
        "image": image or scene.get("image_filename", ""),
        "width": W,
        "height": H,
        "objects": objects,
        "relationships": relationship_triples(scene["objects"], rels, ids),
    }
    if scene.get("camera"):  # lets the RoI stage size objects by perspective
        graph["camera"] = scene["camera"]
    if scene.get("lights"):  # lets a placed object cast its shadow by the scene's own lights
        graph["lights"] = scene["lights"]
    return validate_graph(graph, source)


def _vg_attributes(words) -> dict:
    attrs: dict = {}
    for w in words or []:
        w = str(w).strip().lower()
        key = "color" if w in COLOR_WORDS else "material" if w in MATERIAL_WORDS else "size" if w in SIZE_WORDS else None
        if key and key not in attrs:
            attrs[key] = w
        else:
            attrs.setdefault("other", []).append(w)
    return attrs


def _vg_id(x, source: str, field: str) -> str:
    if isinstance(x, dict):
        x = x.get("object_id", x.get("id"))
    if isinstance(x, bool) or not isinstance(x, (int, str)) or str(x) == "":
        raise GraphError(source, field, f"needs an object id, got {x!r}")
    return f"o{x}"


def from_visual_genome(data: dict, image: str | None = None, source: str = "graph") -> dict:
    """Visual-Genome-style JSON: objects with object_id, names, x, y, w, h, attributes;
    relationships with subject_id, predicate, object_id (or VG's nested subject/object)."""
    if not isinstance(data, dict) or not isinstance(data.get("objects"), list):
        raise GraphError(source, "objects", "a Visual Genome graph needs a list of objects")
    info = data["image"] if isinstance(data.get("image"), dict) else {}  # VG nests image metadata
    W = data.get("width") or info.get("width")
    H = data.get("height") or info.get("height")
    objects = []
    for i, o in enumerate(data["objects"]):
        f = f"objects[{i}]"
        if not isinstance(o, dict):
            raise GraphError(source, f, "must be an object")
        oid = _vg_id(o.get("object_id", o.get("id")), source, f + ".object_id")
        names = o.get("names") or ([o["name"]] if o.get("name") else None)
        if isinstance(names, str):  # else its first letter would be the name
            raise GraphError(source, f + ".names", f"must be a list of names, got the string {names!r}")
        if not names or not isinstance(names, list) or not isinstance(names[0], str) or not names[0].strip():
            raise GraphError(source, f + ".names", "needs at least one name")
        box = [o.get(k) for k in ("x", "y", "w", "h")]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in box):
            raise GraphError(source, f, f"needs finite numeric x, y, w, h, got {box}")
        x, y, w, h = box
        if w <= 0 or h <= 0:
            raise GraphError(source, f + ".w/h", f"box of zero or negative size ({w}x{h})")
        if W and H and (x < 0 or y < 0 or x + w > W or y + h > H):
            raise GraphError(source, f, f"box x={x} y={y} w={w} h={h} lies outside the {W}x{H} image")
        objects.append({"id": oid, "name": names[0].strip(), "attributes": _vg_attributes(o.get("attributes")),
                        "bbox": [x, y, x + w, y + h], "mask": o.get("mask")})
    known = {o["id"] for o in objects}
    rels = []
    for i, r in enumerate(data.get("relationships") or []):
        f = f"relationships[{i}]"
        s = _vg_id(r.get("subject_id", r.get("subject")), source, f + ".subject_id")
        ob = _vg_id(r.get("object_id", r.get("object")), source, f + ".object_id")
        for key, v in (("subject_id", s), ("object_id", ob)):
            if v not in known:
                raise GraphError(source, f"{f}.{key}", f"no object has id {v[1:]!r}")
        pred = r.get("predicate")
        if not isinstance(pred, str) or not pred.strip():
            raise GraphError(source, f + ".predicate", "must be a non-empty string")
        rels.append({"subject": s, "predicate": pred.strip().lower(), "object": ob})
    if not W or not H:
        raise GraphError(source, "width/height", "the image size is needed")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v == int(v) and v > 0
               for v in (W, H)):
        raise GraphError(source, "width/height", f"must be positive whole numbers, got {W!r} x {H!r}")
    path = image or (data["image"] if isinstance(data.get("image"), str) else info.get("url", ""))
    graph = {"image": path, "width": int(W), "height": int(H),
             "objects": objects, "relationships": rels}
    if not rels:
        graph["relationships"] = relations_from_boxes(objects)
    return validate_graph(graph, source)


RELATION_MARGIN = 0.1  # a pair's offset, × their mean box size, under which no relation is read


def relations_from_boxes(objects: list[dict], margin: float = RELATION_MARGIN) -> list[dict]:
    """Image-plane relations for graphs without 3D: left/right by box centres, front/behind by
    the boxes' bottom edges (lower in the picture is nearer the camera), each only when the
    offset exceeds `margin` times the pair's mean box size, so near-ties stay unrelated."""
    out = []
    boxed = [o for o in objects if o.get("bbox")]
    for a in boxed:
        ax0, ay0, ax1, ay1 = a["bbox"]
        for b in boxed:
            if a is b:
                continue
            bx0, by0, bx1, by1 = b["bbox"]
            mw = margin * ((ax1 - ax0) + (bx1 - bx0)) / 2
            mh = margin * ((ay1 - ay0) + (by1 - by0)) / 2
            dx = (ax0 + ax1) / 2 - (bx0 + bx1) / 2
            if dx < -mw:
                out.append({"subject": a["id"], "predicate": PREDICATES["left"], "object": b["id"]})
            elif dx > mw:
                out.append({"subject": a["id"], "predicate": PREDICATES["right"], "object": b["id"]})
            dy = ay1 - by1
            if dy > mh:
                out.append({"subject": a["id"], "predicate": PREDICATES["front"], "object": b["id"]})
            elif dy < -mh:
                out.append({"subject": a["id"], "predicate": PREDICATES["behind"], "object": b["id"]})
    return out


def read_graph(path: str | os.PathLike, fmt: str = "auto", image: str | None = None) -> dict:
    """Read any supported input as a graph; fmt is clevr, vg, graph or auto (by its fields)."""
    data = read_json(path)
    src = str(path)
    if fmt == "auto":
        if isinstance(data, dict) and isinstance(data.get("objects"), list) and data["objects"]:
            first = data["objects"][0] if isinstance(data["objects"][0], dict) else {}
            fmt = "clevr" if "shape" in first else "vg" if "names" in first or "object_id" in first else "graph"
        else:
            fmt = "graph"
    if fmt in ("clevr", "vg"):
        reader, kind = {"clevr": (from_clevr_scene, "CLEVR scene"),
                        "vg": (from_visual_genome, "Visual Genome graph")}[fmt]
        try:
            return reader(data, image=image, source=src)
        except GraphError:
            raise
        except (TypeError, AttributeError, KeyError, IndexError, ValueError, OverflowError) as e:
            # the readers name the fields they check; a value of the wrong shape elsewhere ends here
            raise GraphError(src, "", f"not a readable {kind}: {type(e).__name__}: {e}") from None
    if fmt == "graph":
        return validate_graph(data, src)
    raise ValueError(f"unknown graph format {fmt!r} (clevr, vg, graph or auto)")
