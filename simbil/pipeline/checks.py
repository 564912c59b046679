"""Every problem with a config, one line each naming the edit and the field, found before any
job runs so that a bad config leaves `results/` untouched."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

from ..clevr.properties import ASPECT, COLORS, PREDICATES, VOCABULARY
from ..datasets.photos import photo_names
from ..edits.methods import method_problems
from ..graphs.format import NAME_RE, get_object
from ..ops import MODES, OP_OF_MODE
from .config import RESERVED, Workflow
from .user_files import image_problems


def refuse(problems: list[str]) -> None:
    """Bad configuration: one line per problem, nothing run, exit status 2."""
    listed = "\n  ".join(problems)
    print(f"{len(problems)} problem(s) in the configuration; nothing was run:\n  {listed}", file=sys.stderr)
    sys.exit(2)


def config_file_problem(path: str | Path) -> str | None:
    """A config file that is not YAML, as one line naming the file, line and column (Snakemake's
    own message for it names neither line nor column, and exits 1)."""
    import yaml

    try:
        with open(path, encoding="utf-8") as f:
            yaml.safe_load(f)
    except FileNotFoundError:
        return None  # Snakemake says so itself
    except UnicodeDecodeError as e:
        return f"{path}: not UTF-8 text ({e.reason} at byte {e.start})"
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = " ".join(str(x) for x in (getattr(e, "problem", None), getattr(e, "context", None)) if x) or str(e)
        return f"{path}: not valid YAML: {where}{what}"
    return None


def config_problems(cfg: dict, workdir: str | Path = ".", wf: Workflow | None = None) -> list[str]:
    """Every problem with the config's images, edits and methods, one line each (`wf`: the
    config's Workflow, if already built)."""
    workdir = Path(workdir)
    ds = cfg.get("dataset") or {}
    frame = _frame_problem(ds)
    if frame:  # no scene can be sampled for it: the checks below would sample one
        return [frame]
    out = method_problems(cfg.get("methods") or {})
    methods_ok = not out  # then: does a method make each edit?
    wf = wf or Workflow(cfg, workdir)
    out = [f"dataset.modes: unknown mode {m!r} (one of {', '.join(MODES)})"
           for m in ds.get("modes", []) if m not in MODES] + out
    out += [f"{path}: must be a finite number, got {value}"  # methods: MethodSpec says it
            for path, value in _non_finite({k: v for k, v in cfg.items() if k != "methods"})]
    have = photo_names()
    out += [f"photos: no annotated photo {name!r} (have: {', '.join(have)})"
            for name in cfg.get("photos") or [] if name not in have]
    for iid, spec in (cfg.get("images") or {}).items():
        if not all(p and NAME_RE.match(p) for p in iid.split("/")):
            out.append(f"images.{iid}: an image id is names of letters, digits, '_' or '-' (not first) joined by '/'")
        elif iid.split("/")[0] in RESERVED:
            out.append(f"images.{iid}: ids under {iid.split('/')[0]}/ are the benchmark's, the photos' and "
                       "chained edits'; choose another")
        out += image_problems(iid, spec, wf, workdir)
    if not wf.edits and not wf.blocks:
        out.append("edits: nothing to edit: no benchmark pairs (dataset.modes, dataset.pairs) and no edits")
    if methods_ok:
        modes = set(ds.get("modes", [])) & set(MODES) if (ds.get("pairs") or 0) > 0 else set()
        out += [f"dataset.modes: no method makes {m!r} edits (op {OP_OF_MODE[m]!r}; {_WHO_MAKES})"
                for m in sorted(modes) if not wf.methods_for_op(OP_OF_MODE[m], True)]
    seen = wf.benchmark_ids()
    for n, edit in enumerate(cfg.get("edits") or []):
        label = f"edits[{n}]" + (f" ({edit['id']!r})" if isinstance(edit, dict) and isinstance(edit.get("id"), str) else "")
        problems = _edit_problems(wf, edit, seen)
        if not problems and methods_ok and not wf.methods_for(edit["id"]):
            problems = [("op", f"no method makes {wf.edits[edit['id']].op!r} edits of this image ({_WHO_MAKES})")]
        out += [f"{label}: {field or 'edit'}: {msg}" for field, msg in problems]
    return out


def _frame_problem(ds: dict) -> str | None:
    W, H = ds.get("width", 320), ds.get("height", 240)
    if isinstance(W, int) and isinstance(H, int) and H > 0 and not ASPECT[0] <= W / H <= ASPECT[1]:
        return (f"dataset.width, dataset.height: a {W}x{H} frame is too {'narrow' if W / H < 1 else 'wide'} for "
                f"CLEVR's camera to see a whole scene; width / height must lie between {ASPECT[0]} and {ASPECT[1]}")
    return None


_WHO_MAKES = "a method makes the ops its `ops` lists; one with `roi: truth` needs a benchmark pair's truth"


def _non_finite(node, path: str = ""):
    """(dotted path, value) of every NaN or infinity anywhere in the config (the schema's bounds
    let NaN through: no comparison with it fails)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _non_finite(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _non_finite(v, f"{path}[{i}]")
    elif isinstance(node, float) and not math.isfinite(node):
        yield path, node


def _edit_problems(wf: Workflow, edit, seen: set) -> list[tuple[str, str]]:
    if not isinstance(edit, dict) or not isinstance(edit.get("id"), str):
        from ..graphs import edit_problems

        return edit_problems(edit)
    if edit["id"] in seen:
        return [("id", f"duplicate edit id {edit['id']!r}")]
    seen.add(edit["id"])
    e = wf.edits[edit["id"]]
    if e.problems or e.spec is None:
        return e.problems
    return spec_problems(e.spec, wf.graph(e.image), wf.placed(e.image))


def spec_problems(edit: dict, g: dict, placed: set[str] = frozenset()) -> list[tuple[str, str]]:
    """What a well-formed edit still cannot do on this graph: find its objects in the picture,
    paint, take from the bank, find floor. `placed`: objects an earlier edit of a chain moved or
    added, whose box its method will choose. (field, message) pairs; `simbil edit` asks the same of
    each sentence."""
    unplaced = _unplaced_problems(edit, g, placed)
    if unplaced:  # the checks below place the objects
        return unplaced
    spatial = _predicate_problems(edit)
    return _paint_problems(edit, g) + _bank_problems(edit, g) + (spatial or _floor_problems(edit, g))


def _unplaced_problems(edit: dict, g: dict, placed: set[str]) -> list[tuple[str, str]]:
    """The objects an edit names must be found in the picture by their box: placing and the plan
    start from it (a mask alone is not enough)."""
    named = [("target", edit.get("target"))] + [(f"relations[{i}].object", r["object"])
                                                 for i, r in enumerate(edit.get("relations") or [])]
    out = []
    for field, oid in named:
        o = get_object(g, oid) if oid else None
        if o is None or o.get("bbox") or oid in placed:
            continue
        out.append((field, f"object {oid!r} has no bbox in the graph (null): SIMBIL finds and places an object "
                           "by its box"))
    return out


def _predicate_problems(edit: dict) -> list[tuple[str, str]]:
    """A move or an addition is placed by where its relations put it: only the spatial ones say
    anything (a graph may hold others, 'on' or 'holding', which no box can be chosen by)."""
    known = tuple(PREDICATES.values())
    return [(f"relations[{i}].predicate", f"SIMBIL places by {', '.join(known)}, not {r['predicate']!r}")
            for i, r in enumerate(edit.get("relations") or []) if r["predicate"] not in known]


def _floor_problems(edit: dict, g: dict) -> list[tuple[str, str]]:
    """A move or addition whose relations no floor position satisfies (a camera says where the
    floor is; free floor is checked again when the edit is planned, with exact positions); on a
    photo, a move whose relations no place in the picture holds for its box."""
    if edit["op"] == "relation" and not g.get("camera"):
        return _plane_problems(edit, g)
    if edit["op"] not in ("relation", "add") or not g.get("camera"):
        return []
    from ..clevr.camera import Camera
    from ..roi.floor import conflict, free_spots

    new = edit.get("new") or next(o for o in g["objects"] if o["id"] == edit["target"])
    name, size = new["name"], (new.get("attributes") or {}).get("size", "large")
    others = {o["id"]: o for o in g["objects"] if o["id"] != edit.get("target")}
    cam = Camera.from_dict(g["camera"])
    if len(free_spots(name, size, edit["relations"], others, cam, g["width"], g["height"], check_floor=False)):
        return []
    return [("relations", conflict(name, size, edit["relations"], others, cam, g["width"], g["height"]))]


def _plane_problems(edit: dict, g: dict) -> list[tuple[str, str]]:
    """A move on a photo whose relations no place in the picture satisfies for the object's box."""
    from ..edits.placement import in_plane
    from ..graphs import EditError

    target = get_object(g, edit["target"])
    if not target or not target.get("bbox"):
        return []
    others = {o["id"]: o for o in g["objects"] if o["id"] != edit["target"] and o.get("bbox")}
    if any(r["object"] not in others for r in edit["relations"]):
        return []  # edit_problems names an unknown object
    try:
        in_plane(target["bbox"], edit, others, g["width"], g["height"])
    except EditError as e:
        return e.problems
    return []


def _bank_problems(edit: dict, g: dict) -> list[tuple[str, str]]:
    """What comes from the object bank must be in it: the bank holds CLEVR objects, whatever
    the image (else it would paste its nearest exemplar under the name asked for). A new
    material is the bank's object of the target's shape in it, so the target must be a CLEVR shape."""
    wanted, out = {}, []
    if edit["op"] in ("replace", "add"):
        wanted = {"new.name": ("name", edit["new"].get("name"))}
        wanted.update({f"new.attributes.{k}": (k, v) for k, v in (edit["new"].get("attributes") or {}).items()})
    elif edit["op"] == "attribute" and "material" in edit["attributes"]:
        wanted = {"attributes.material": ("material", edit["attributes"]["material"])}
        target = get_object(g, edit["target"])
        if target is not None and target["name"] not in VOCABULARY["name"]:
            out.append(("target", f"a new material is its shape from the object bank, which has no {target['name']!r} "
                                  f"(it has: {', '.join(VOCABULARY['name'])})"))
    return out + [(field, f"the object bank has no {key} {value!r} (it has: {', '.join(VOCABULARY[key])})")
                  for field, (key, value) in wanted.items() if key in VOCABULARY and value not in VOCABULARY[key]]


def _paint_problems(edit: dict, g: dict) -> list[tuple[str, str]]:
    """A colour change repaints the object's albedo: both colours must be ones SIMBIL can paint."""
    if edit["op"] != "attribute" or "color" not in edit.get("attributes", {}):
        return []
    out = []
    new = edit["attributes"]["color"]
    if new not in COLORS:
        out.append(("attributes.color", f"cannot paint {new!r} (paintable: {', '.join(COLORS)})"))
    obj = get_object(g, edit["target"])
    old = obj["attributes"].get("color") if obj else None
    if obj and old not in COLORS:
        out.append(("target", f"object {edit['target']!r} has colour {old!r}, which SIMBIL cannot unpaint "
                              f"(paintable: {', '.join(COLORS)})"))
    return out


def schema_problem(message: str) -> str:
    """Snakemake's schema error as one line: the field (masks.shadow) and what is wrong."""
    what = re.search(r"ValidationError: (.*)", message)
    where = re.search(r"On instance((?:\[[^\]]*\])*)", message)
    field = ".".join(re.findall(r"\['?([^'\]]*)'?\]", where.group(1))) if where else ""
    text = what.group(1) if what else message.strip()
    reserved = re.match(r"'([^']*)' should not be valid under \{'enum': \[(.*)\]\}", text)
    if reserved:  # the schema's one `not: {enum: ...}`, the method names that would overwrite an edit's files
        names = reserved.group(2).replace("'", "")
        text = f"{reserved.group(1)!r} is reserved: it names another file in each edit's folder ({names})"
    return f"{field or 'config'}: {text}"
