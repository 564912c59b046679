"""SIMBIL's one scene-graph format: load, save, validate.

A graph is a plain JSON-able dict:
    {"image": str, "width": int, "height": int,
     "objects": [{"id", "name", "attributes": {str: str | [str]}, "bbox": [x0, y0, x1, y1] | null,
                  "mask": str | null}],
     "relationships": [{"subject": id, "predicate": str, "object": id}]}
Boxes are pixel xyxy with x1, y1 exclusive.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

from ..errors import UserError

ID_RE = re.compile(r"^[A-Za-z0-9_-]+\Z")  # an object's id
# an edit's or image's id: it names a folder and travels on command lines, where a leading '-'
# would read as an option
NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*\Z")


class GraphError(UserError, ValueError):
    """A graph or input file is malformed; the message names the file and the field."""

    def __init__(self, source: str, field: str, message: str):
        self.source, self.field = source, field
        super().__init__(f"{source}: {field}: {message}" if field else f"{source}: {message}")


def read_json(path: str | os.PathLike) -> object:
    """JSON from a file, with errors that say which file and what is wrong with it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise GraphError(str(path), "", f"cannot read file ({e.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise GraphError(str(path), "", f"not UTF-8 text (bad byte at offset {e.start})") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise GraphError(str(path), "", "JSON nested too deeply to be a scene graph or an edit") from None
    except json.JSONDecodeError as e:
        what = "truncated JSON" if e.pos >= len(text.rstrip()) else "invalid JSON"
        raise GraphError(str(path), "", f"{what} at line {e.lineno} column {e.colno}: {e.msg}") from None


def write_json(path: str | os.PathLike, data: object) -> None:
    """Write JSON atomically (temporary file, then rename) with stable formatting."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder, not a file name", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def graph_problems(g: object) -> list[tuple[str, str]]:
    """Every problem of a graph as (field, message); empty when it is valid."""
    if not isinstance(g, dict):
        return [("", "a scene graph must be a JSON object")]
    out: list[tuple[str, str]] = []
    if not isinstance(g.get("image"), str) or "\0" in g["image"]:
        out.append(("image", "must be a string (a path or address, no NUL character)"))
    for key in ("width", "height"):
        if not (isinstance(g.get(key), int) and not isinstance(g.get(key), bool) and g[key] > 0):
            out.append((key, "must be a positive integer"))
    W, H = g.get("width"), g.get("height")
    objects = g.get("objects")
    if not isinstance(objects, list):
        return out + [("objects", "must be a list")]
    ids: set[str] = set()
    for i, o in enumerate(objects):
        f = f"objects[{i}]"
        if not isinstance(o, dict):
            out.append((f, "must be an object"))
            continue
        oid = o.get("id")
        if not (isinstance(oid, str) and ID_RE.match(oid)):
            out.append((f + ".id", f"must be a string of letters, digits, '_' or '-', got {oid!r}"))
        elif oid in ids:
            out.append((f + ".id", f"duplicate id {oid!r}"))
        else:
            ids.add(oid)
        if not (isinstance(o.get("name"), str) and o["name"].strip()):
            out.append((f + ".name", "must be a non-empty string"))
        attrs = o.get("attributes", {})
        if not isinstance(attrs, dict) or not all(
            isinstance(k, str) and (isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v)))
            for k, v in attrs.items()
        ):
            out.append((f + ".attributes", "must map names to strings or lists of strings"))
        box = o.get("bbox")
        if box is not None:
            if not (isinstance(box, list) and len(box) == 4 and all(_is_number(v) and math.isfinite(v) for v in box)):
                out.append((f + ".bbox", f"must be [x0, y0, x1, y1] or null, got {box!r}"))
            elif not (box[0] < box[2] and box[1] < box[3]):
                out.append((f + ".bbox", f"has zero or negative size: {box}"))
            elif isinstance(W, int) and isinstance(H, int) and (
                box[0] < 0 or box[1] < 0 or box[2] > W or box[3] > H
            ):
                out.append((f + ".bbox", f"{box} lies outside the {W}x{H} image"))
        for key in ("mask", "shadow_mask"):
            if o.get(key) is not None and (not isinstance(o[key], str) or "\0" in o[key]):
                out.append((f"{f}.{key}", "must be a path string or null"))
    rels = g.get("relationships", [])
    if not isinstance(rels, list):
        return out + [("relationships", "must be a list")]
    for i, r in enumerate(rels):
        f = f"relationships[{i}]"
        if not isinstance(r, dict):
            out.append((f, "must be an object"))
            continue
        for key in ("subject", "object"):
            if r.get(key) not in ids:
                out.append((f"{f}.{key}", f"no object has id {r.get(key)!r}"))
        if not (isinstance(r.get("predicate"), str) and r["predicate"].strip()):
            out.append((f + ".predicate", "must be a non-empty string"))
        if r.get("subject") == r.get("object") and r.get("subject") is not None:
            out.append((f, f"relates {r['subject']!r} to itself"))
    return out


def validate_graph(g: object, source: str = "graph") -> dict:
    """Return g if it is a valid graph, else raise GraphError naming the first bad field. A graph
    may leave out `relationships` and an object its `attributes`: they are filled in, empty."""
    if isinstance(g, dict):
        g.setdefault("relationships", [])
        for o in g.get("objects") or []:
            if isinstance(o, dict):
                o.setdefault("attributes", {})
    problems = graph_problems(g)
    if problems:
        field, msg = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise GraphError(source, field, msg + more)
    return g  # type: ignore[return-value]


def load_graph(path: str | os.PathLike) -> dict:
    return validate_graph(read_json(path), str(path))


def save_graph(path: str | os.PathLike, g: dict) -> None:
    write_json(path, validate_graph(g, str(path)))


def get_object(g: dict, oid: str) -> dict | None:
    return next((o for o in g["objects"] if o["id"] == oid), None)


def next_object_id(g: dict) -> str:
    """The first free id of the form o<N> beyond every numbered id in use."""
    nums = [int(o["id"][1:]) for o in g["objects"] if re.fullmatch(r"o\d+", o["id"])]
    n = max(nums, default=-1) + 1
    while any(o["id"] == f"o{n}" for o in g["objects"]):
        n += 1
    return f"o{n}"


def relocate(g: dict, scene: str | os.PathLike, out: str | os.PathLike, image: str | None = None) -> dict:
    """The graph read from `scene`, to be saved at `out`: its image (or `image`) and mask paths
    rewritten relative to out's folder, as paths inside a graph file always are; an address
    (Visual Genome's `url`) or no image at all is kept as it is."""
    base, dest = Path(scene).parent, Path(out).parent.resolve()
    rel = lambda p: os.path.relpath(Path(p).resolve(), dest)  # noqa: E731
    picture = image or g["image"]
    kept = not picture or "://" in picture
    g = {**g, "image": picture if kept else rel(image if image else base / g["image"]),
         "objects": [dict(o) for o in g["objects"]]}
    for o in g["objects"]:
        for key in ("mask", "shadow_mask"):
            if o.get(key):
                o[key] = rel(base / o[key])
    return g
