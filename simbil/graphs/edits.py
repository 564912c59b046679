"""The five scene-graph edits, checked and applied.

An edit is a dict as written in config.yaml:
    {id, image, op: remove | replace | relation | add | attribute,
     target (not for add), new: {name, attributes} (replace, add),
     relations: [{predicate, object}] (relation, add), attributes: {...} (attribute)}
`edit_problems` lists everything wrong with an edit (against a graph and a vocabulary when
given) so a pipeline can report all problems before any job runs; `apply_edit` returns the new
graph and a description of the change.
"""

from __future__ import annotations

import copy
import re

from ..errors import UserError
from ..ops import OP_NAMES, OPS
from .format import NAME_RE, get_object, next_object_id

FIELDS = {o.name: o.fields for o in OPS.values()}
COMMON = ("id", "image", "op")
OPTIONAL = ("description", "text")  # text: the sentence an edit was said in
# Which vocabulary list an attribute key is checked against (when a vocabulary is given).
ATTRIBUTE_KEYS = ("color", "material", "size")


class EditError(UserError, ValueError):
    """An edit that cannot be applied; names the edit and every bad field."""

    def __init__(self, edit_id: str, problems: list[tuple[str, str]]):
        self.edit_id, self.problems = edit_id, problems
        super().__init__("; ".join(f"edit {edit_id!r}: {f}: {m}" if f else f"edit {edit_id!r}: {m}"
                                   for f, m in problems))


def _edit_label(edit) -> str:
    if isinstance(edit, dict) and isinstance(edit.get("id"), str):
        return edit["id"]
    return "<no id>"


def _safe_image(image: str) -> bool:
    parts = re.split(r"[\\/]", image)
    return bool(image) and not image.startswith(("/", "\\", "~")) and ".." not in parts and ":" not in image


def _check_attributes(attrs, field: str, vocabulary: dict | None, out: list) -> None:
    if not isinstance(attrs, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in attrs.items()):
        out.append((field, f"must map attribute names to strings, got {attrs!r}"))
        return
    if vocabulary:
        for k, v in attrs.items():
            if k not in ATTRIBUTE_KEYS or k not in vocabulary:
                out.append((f"{field}.{k}", f"unknown attribute (known: {', '.join(ATTRIBUTE_KEYS)})"))
            elif v not in vocabulary[k]:
                out.append((f"{field}.{k}", f"unknown {k} {v!r} (known: {', '.join(vocabulary[k])})"))


def _check_new(new, vocabulary, out) -> None:
    if not isinstance(new, dict):
        out.append(("new", "must be a mapping with a name and attributes"))
        return
    extra = set(new) - {"name", "attributes"}
    if extra:
        out.append(("new", f"unknown fields {sorted(extra)}"))
    name = new.get("name")
    if not isinstance(name, str) or not name.strip():
        out.append(("new.name", "must be a non-empty string"))
    elif vocabulary and "name" in vocabulary and name not in vocabulary["name"]:
        out.append(("new.name", f"unknown object name {name!r} (known: {', '.join(vocabulary['name'])})"))
    if "attributes" in new:
        _check_attributes(new["attributes"], "new.attributes", vocabulary, out)


def edit_problems(edit, graph: dict | None = None, vocabulary: dict | None = None) -> list[tuple[str, str]]:
    """Every problem with an edit as (field, message); empty when it can be applied."""
    if not isinstance(edit, dict):
        return [("", f"an edit must be a mapping, got {type(edit).__name__}")]
    out: list[tuple[str, str]] = []
    eid = edit.get("id")
    if not isinstance(eid, str) or not NAME_RE.match(eid):
        out.append(("id", "must be letters, digits, '_' or '-' only, not starting with '-' (it names a folder), "
                          f"got {eid!r}"))
    image = edit.get("image")
    if not isinstance(image, str) or not _safe_image(image):
        out.append(("image", f"must be a relative image name inside the dataset, got {image!r}"))
    op = edit.get("op")
    if op not in FIELDS:
        out.append(("op", f"unknown op {op!r} (one of {', '.join(OP_NAMES)})"))
        return out
    needed = FIELDS[op]
    for f in needed:
        if f not in edit or edit[f] in (None, "", [], {}):
            out.append((f, f"required for op {op!r}"))
    extra = set(edit) - set(COMMON) - set(needed) - set(OPTIONAL)
    for f in sorted(extra):
        out.append((f, f"not a field of op {op!r} (it takes {', '.join(needed)})"))
    if out:
        return out

    target = None
    if "target" in needed:
        if not isinstance(edit["target"], str):
            out.append(("target", f"must be an object id, got {edit['target']!r}"))
        elif graph is not None:
            target = get_object(graph, edit["target"])
            if target is None:
                known = ", ".join(o["id"] for o in graph["objects"])
                out.append(("target", f"no object {edit['target']!r} in image {edit['image']!r} (objects: {known})"))
    if "new" in needed:
        _check_new(edit["new"], vocabulary, out)
    if "attributes" in needed:
        _check_attributes(edit["attributes"], "attributes", vocabulary, out)
        if isinstance(edit["attributes"], dict) and "size" in edit["attributes"]:
            out.append(("attributes.size", "a new size is a replacement: op replace, with new: {name: the same "
                                           "name, attributes: {size: ...}} (the object's own colour and material)"))
        if target is not None and isinstance(edit["attributes"], dict) and all(
            target["attributes"].get(k) == v for k, v in edit["attributes"].items()
        ):
            out.append(("attributes", f"object {target['id']!r} already has {edit['attributes']}: nothing changes"))
    if "relations" in needed:
        rels = edit["relations"]
        if not isinstance(rels, list):
            out.append(("relations", "must be a list of {predicate, object}"))
        else:
            for i, r in enumerate(rels):
                f = f"relations[{i}]"
                if not isinstance(r, dict) or set(r) != {"predicate", "object"}:
                    out.append((f, f"must be {{predicate, object}}, got {r!r}"))
                    continue
                p = r["predicate"]
                if not isinstance(p, str) or not p.strip():
                    out.append((f + ".predicate", "must be a non-empty string"))
                elif vocabulary and "predicate" in vocabulary and p not in vocabulary["predicate"]:
                    out.append((f + ".predicate", f"unknown predicate {p!r} (known: {', '.join(vocabulary['predicate'])})"))
                if graph is not None and get_object(graph, r["object"]) is None:
                    out.append((f + ".object", f"no object {r['object']!r} in image {edit['image']!r}"))
                elif r["object"] == edit.get("target"):
                    out.append((f + ".object", "relates the target to itself"))
    if op == "replace" and target is not None and not out:
        new = edit["new"]
        if new["name"] == target["name"] and all(target["attributes"].get(k) == v
                                                 for k, v in new.get("attributes", {}).items()):
            out.append(("new", f"object {target['id']!r} is already a {new['name']} like that: nothing changes"))
    return out


def apply_edit(graph: dict, edit: dict, vocabulary: dict | None = None) -> tuple[dict, dict]:
    """Apply one edit; return (new graph, change).

    change = {edit, op, target, old_bbox, new_bbox, before, after}: target is the edited object's
    id (the new id for add); new_bbox is None where the edit leaves the place unknown (relation,
    add: the RoI predictor's job) or the object is gone (remove)."""
    problems = edit_problems(edit, graph, vocabulary)
    if problems:
        raise EditError(_edit_label(edit), problems)
    g = copy.deepcopy(graph)
    op = edit["op"]
    tid = edit.get("target")
    before = copy.deepcopy(get_object(g, tid)) if tid else None
    old_bbox = before["bbox"] if before else None
    new_bbox = None
    after = None
    if op == "remove":
        g["objects"] = [o for o in g["objects"] if o["id"] != tid]
        g["relationships"] = [r for r in g["relationships"] if tid not in (r["subject"], r["object"])]
    elif op in ("replace", "attribute"):
        obj = get_object(g, tid)
        if op == "replace":
            obj["name"] = edit["new"]["name"]
            obj["attributes"].update(edit["new"].get("attributes", {}))
        else:
            obj["attributes"].update(edit["attributes"])
        obj["mask"] = None  # the old outline no longer fits the new look
        new_bbox = old_bbox  # same place; for replace, the new shape's exact extent is unknown
        after = copy.deepcopy(obj)
    elif op == "relation":
        obj = get_object(g, tid)
        obj["bbox"], obj["mask"] = None, None
        g["relationships"] = [r for r in g["relationships"] if tid not in (r["subject"], r["object"])]
        g["relationships"] += [{"subject": tid, "predicate": r["predicate"], "object": r["object"]}
                               for r in edit["relations"]]
        after = copy.deepcopy(obj)
    elif op == "add":
        tid = next_object_id(g)
        obj = {"id": tid, "name": edit["new"]["name"], "attributes": dict(edit["new"].get("attributes", {})),
               "bbox": None, "mask": None}
        g["objects"].append(obj)
        g["relationships"] += [{"subject": tid, "predicate": r["predicate"], "object": r["object"]}
                               for r in edit["relations"]]
        after = copy.deepcopy(obj)
    change = {"edit": edit["id"], "op": op, "target": tid, "old_bbox": old_bbox, "new_bbox": new_bbox,
              "before": before, "after": after}
    return g, change


def left_to_place(change: dict) -> set[str]:
    """The object an applied edit moved or added, whose box its method chooses (apply_edit leaves
    it null): a later edit of a chain may name it all the same."""
    return {change["target"]} if change["after"] and change["new_bbox"] is None else set()
