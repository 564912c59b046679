"""Everything the pipeline knows before any job runs: which images and edits the config names,
where their files go, which methods make each edit, and every problem with them (one message
per problem, naming the edit and the field), so that a bad config stops the run before it
touches `results/`. Built once per run (`Workflow`); the rules' input functions only look up."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from ..clevr.properties import COLORS, VOCABULARY
from ..datasets.pairs import make_pair, pair_rng
from ..datasets.photos import photo_names
from ..edits.methods import method_problems, parse_methods
from ..graphs import GraphError, edit_problems, from_clevr_scene, read_graph
from ..graphs.format import ID_RE, get_object
from ..ops import MODES, OP_OF_MODE, OPS

RESULTS = "results"
DATASET = f"{RESULTS}/datasets/clevr"
PHOTOS = f"{RESULTS}/datasets/photos"
RESERVED = ("clevr", "photos")  # image ids the benchmark and the shipped photos use


def pair_name(index: int) -> str:
    return f"{index:06d}"


@dataclass(frozen=True)
class Edit:
    id: str
    image: str  # image id
    op: str
    pair: str | None = None  # a benchmark edit's pair folder
    spec: dict | None = None  # a user edit's config entry

    @property
    def truth(self) -> str | None:
        """The true result: the pair's target render for benchmark edits, else none."""
        return f"{self.pair}/target.png" if self.pair else None


class Workflow:
    """The config's images, edits and methods, resolved once."""

    def __init__(self, cfg: dict):
        self.cfg = cfg
        ds = cfg.get("dataset") or {}
        self.edits: dict[str, Edit] = {}
        self.images: dict[str, dict] = {}
        for mode in ds.get("modes", []):
            for i in range(ds.get("pairs", 0)):
                pair = f"{DATASET}/{mode}/{pair_name(i)}"
                eid = f"{mode}-{pair_name(i)}"
                self.edits[eid] = Edit(eid, f"clevr/{mode}/{pair_name(i)}/source", OP_OF_MODE.get(mode, mode), pair)
                for side in ("source", "target"):
                    self.images[f"clevr/{mode}/{pair_name(i)}/{side}"] = {
                        "image": f"{pair}/{side}.png", "scene": f"{pair}/{side}.json", "format": "clevr",
                        "pair": (mode, i)}
        for name in cfg.get("photos") or []:
            self.images[f"photos/{name}"] = {"image": f"{PHOTOS}/{name}.png", "scene": f"{PHOTOS}/{name}.json",
                                             "format": "vg", "pair": None}
        for iid, spec in (cfg.get("images") or {}).items():
            if iid in self.images:  # a reserved id: config_problems refuses it
                continue
            self.images[iid] = {"image": spec["image"], "scene": spec["graph"], "format": spec.get("format", "auto"),
                                "pair": None}
        for e in cfg.get("edits") or []:
            if isinstance(e, dict) and isinstance(e.get("id"), str) and e["id"] not in self.edits:
                self.edits[e["id"]] = Edit(e["id"], e.get("image"), e.get("op"), None, e)
        self.method_names = list(cfg.get("methods") or {})

    @functools.cached_property
    def methods(self):
        return parse_methods(self.cfg["methods"])

    @functools.cache
    def methods_for(self, edit_id: str) -> list[str]:
        """The methods that make an edit (simbil.edits.methods.MethodSpec.runs_on)."""
        e = self.edits[edit_id]
        return [n for n, m in self.methods.items() if m.runs_on(e.op, e.truth is not None)]

    def graph_for_checks(self, image_id: str, workdir: Path) -> dict:
        img = self.images[image_id]
        scene = workdir / img["scene"]
        if scene.exists():
            return read_graph(scene, img["format"])
        if img["format"] == "vg" and image_id.startswith("photos/"):
            from ..datasets.photos import PHOTO_GRAPHS

            return read_graph(PHOTO_GRAPHS / f"{image_id.split('/', 1)[1]}.json", "vg")
        if img["pair"] is None:
            raise GraphError(img["scene"], "", "no such file")
        ds = self.cfg["dataset"]
        return _benchmark_graph(*img["pair"], ds["seed"], ds["width"], ds["height"])


@functools.lru_cache(maxsize=256)
def _benchmark_graph(mode: str, index: int, seed: int, width: int, height: int) -> dict:
    """The source graph of a benchmark pair, without its files: scenes are seeded per pair, so
    the same sampling the dataset job will do gives the same objects."""
    source, _, _ = make_pair(pair_rng(seed, mode, index), mode, width, height)
    return from_clevr_scene(source, image="source.png", width=width, height=height)


def config_problems(cfg: dict, workdir: str | Path = ".") -> list[str]:
    """Every problem with the config's images, edits and methods, one line each."""
    workdir = Path(workdir)
    wf = Workflow(cfg)
    out = [f"dataset.modes: unknown mode {m!r} (one of {', '.join(MODES)})"
           for m in (cfg.get("dataset") or {}).get("modes", []) if m not in MODES]
    have = photo_names()
    out += [f"photos: no annotated photo {name!r} (have: {', '.join(have)})"
            for name in cfg.get("photos") or [] if name not in have]
    for iid, spec in (cfg.get("images") or {}).items():
        if not all(p and ID_RE.match(p) for p in iid.split("/")):
            out.append(f"images.{iid}: an image id is names of letters, digits, '_' or '-' joined by '/'")
        elif iid.split("/")[0] in RESERVED:
            out.append(f"images.{iid}: ids under {iid.split('/')[0]}/ are the benchmark's and the photos'; "
                       "choose another")
        out += [f"images.{iid}.{key}: {msg}" for key in ("image", "graph")
                if (msg := _path_problem(spec[key], workdir))]
    if not wf.edits:
        out.append("edits: nothing to edit: no benchmark pairs (dataset.modes, dataset.pairs) and no edits")
    seen = {e.id for e in wf.edits.values() if e.pair}
    for n, edit in enumerate(cfg.get("edits") or []):
        label = f"edits[{n}]" + (f" ({edit['id']!r})" if isinstance(edit, dict) and isinstance(edit.get("id"), str) else "")
        out += [f"{label}: {field or 'edit'}: {msg}" for field, msg in _edit_problems(wf, edit, seen, workdir)]
    return out + method_problems(cfg.get("methods") or {})


def _path_problem(path: str, workdir: Path) -> str | None:
    """A user's file: it must exist, be a file, and lie inside the workflow's folder unless
    given as an absolute path on purpose."""
    p = Path(path)
    full = p if p.is_absolute() else workdir / p
    if not p.is_absolute() and not full.resolve().is_relative_to(workdir.resolve()):
        return f"{path!r} lies outside the workflow folder; give an absolute path to use it"
    if not full.exists():
        return f"no such file {path!r}"
    if not full.is_file():
        return f"{path!r} is not a file"
    return None


def _edit_problems(wf: Workflow, edit, seen: set, workdir: Path) -> list[tuple[str, str]]:
    problems = edit_problems(edit)
    if problems:
        return problems
    if edit["id"] in seen:
        return [("id", f"duplicate edit id {edit['id']!r}")]
    seen.add(edit["id"])
    if edit["image"] not in wf.images:
        return [("image", f"unknown image {edit['image']!r}; known: benchmark sources "
                          f"clevr/<mode>/<pair>/source and config images ({len(wf.images)} in all)")]
    try:
        g = wf.graph_for_checks(edit["image"], workdir)
    except (GraphError, ValueError) as e:
        return [("image", f"its scene graph cannot be read: {e}")]
    vocab = VOCABULARY if edit["image"].startswith("clevr/") else None
    return edit_problems(edit, g, vocab) + _paint_problems(edit, g) + _bank_problems(edit)


def _bank_problems(edit: dict) -> list[tuple[str, str]]:
    """What comes from the object bank must be in it: the bank holds CLEVR objects, whatever
    the image (else it would paste its nearest exemplar under the name asked for)."""
    wanted = {}
    if edit["op"] in ("replace", "add"):
        wanted = {"new.name": ("name", edit["new"].get("name"))}
        wanted.update({f"new.attributes.{k}": (k, v) for k, v in (edit["new"].get("attributes") or {}).items()})
    elif edit["op"] == "attribute" and "material" in edit["attributes"]:
        wanted = {"attributes.material": ("material", edit["attributes"]["material"])}
    return [(field, f"the object bank has no {key} {value!r} (it has: {', '.join(VOCABULARY[key])})")
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
    import re

    what = re.search(r"ValidationError: (.*)", message)
    where = re.search(r"On instance((?:\[[^\]]*\])*)", message)
    field = ".".join(re.findall(r"\['?([^'\]]*)'?\]", where.group(1))) if where else ""
    return f"{field or 'config'}: {what.group(1) if what else message.strip()}"


def put_on_pythonpath(folder: str) -> None:
    """Make jobs import simbil from `folder` (the workflow's checkout), whether they run in the
    project's venv or in a stage's conda env, where the package is not installed."""
    import os

    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if folder not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([folder, *paths])


def needs(op: str) -> dict[str, bool]:
    """What an op's jobs need as inputs (simbil.ops)."""
    o = OPS[op]
    return {"model": o.needs_model, "bank": o.needs_bank}
