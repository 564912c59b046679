"""Everything the pipeline knows before any job runs: which images and edits the config names,
where their files go and which methods make each edit. Built once per run (`Workflow`): user
edits said in words are resolved here, through their image's graph, and chained edits through
the graph their upstream edit makes; the rules' input functions only look things up.
simbil.pipeline.checks lists every problem before any job."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from ..clevr.properties import VOCABULARY
from ..datasets.pairs import pair_graph
from ..edits.methods import parse_methods
from ..graphs import GraphError, apply_edit, edit_problems, left_to_place, read_graph
from ..language import ResolveError, resolve
from ..ops import OP_OF_MODE

RESULTS = "results"
DATASET = f"{RESULTS}/datasets/clevr"
BLOCKS = f"{RESULTS}/blocks"  # benchmark pairs run as blocks: one job per block and stage
PHOTOS = f"{RESULTS}/datasets/photos"
RESERVED = ("clevr", "photos", "edits")  # image ids of the benchmark, the shipped photos and chains
CHAIN = "edits/"  # an image `edits/<id>[/<method>]` is another edit's result


def pair_name(index: int) -> str:
    return f"{index:06d}"


@dataclass
class Edit:
    id: str
    image: str  # image id
    op: str | None  # None until a sentence is resolved
    pair: str | None = None  # a benchmark edit's pair folder
    spec: dict | None = None  # a user edit as run: its config entry, a sentence resolved
    raw: dict | None = None  # a user edit's config entry as written
    problems: list = field(default_factory=list)  # (field, message)

    @property
    def truth(self) -> str | None:
        """The true result: the pair's target render for benchmark edits, else none."""
        return f"{self.pair}/target.png" if self.pair else None


@dataclass(frozen=True)
class Block:
    """Benchmark pairs [start, stop) of one mode, made by one job per stage (rules/blocks.smk),
    so that a benchmark of thousands of pairs plans in seconds."""
    mode: str
    start: int
    stop: int

    @property
    def name(self) -> str:  # the rules' {block} wildcard
        return f"{pair_name(self.start)}-{pair_name(self.stop - 1)}"

    @property
    def folder(self) -> str:
        return f"{BLOCKS}/{self.mode}/{self.name}"

    @property
    def op(self) -> str:
        return OP_OF_MODE.get(self.mode, self.mode)

    def edit_ids(self) -> list[str]:
        return [f"{self.mode}-{pair_name(i)}" for i in range(self.start, self.stop)]


def block_range(name: str) -> range:
    """The pairs of a block's name, `000100-000199` -> range(100, 200)."""
    first, last = (int(v) for v in name.split("-"))
    return range(first, last + 1)


class Workflow:
    """The config's images, edits and methods, resolved once."""

    def __init__(self, cfg: dict, workdir: str | Path = "."):
        self.cfg, self.workdir = cfg, Path(workdir)
        self.method_names = list(cfg.get("methods") or {})
        ds = cfg.get("dataset") or {}
        self.edits: dict[str, Edit] = {}
        self.images: dict[str, dict] = {}
        self.blocks: dict[tuple[str, str], Block] = {}
        size = ds.get("block", 100)
        pairs = ds.get("pairs", 0)
        blocked = pairs // size * size if isinstance(size, int) and size > 0 else 0
        for mode in ds.get("modes", []):
            for start in range(0, blocked, size):
                b = Block(mode, start, start + size)
                self.blocks[(mode, b.name)] = b
            for i in range(pairs):
                pair = f"{DATASET}/{mode}/{pair_name(i)}"
                eid = f"{mode}-{pair_name(i)}"
                if i >= blocked:  # the pairs past the last whole block: one job per pair and stage
                    self.edits[eid] = Edit(eid, f"clevr/{mode}/{pair_name(i)}/source", OP_OF_MODE.get(mode, mode),
                                           pair)
                for side in ("source", "target"):
                    self.images[f"clevr/{mode}/{pair_name(i)}/{side}"] = {
                        "image": f"{pair}/{side}.png", "scene": f"{pair}/{side}.json", "format": "clevr",
                        "pair": (mode, i, side)}
        for name in cfg.get("photos") or []:
            self.images[f"photos/{name}"] = {"image": f"{PHOTOS}/{name}.png", "scene": f"{PHOTOS}/{name}.json",
                                             "format": "vg", "pair": None}
        for iid, spec in (cfg.get("images") or {}).items():
            if iid not in self.images and iid.split("/")[0] not in RESERVED:  # reserved: checks refuse it
                self.images[iid] = {"image": spec["image"], "scene": spec["graph"],
                                    "format": spec.get("format", "auto"), "pair": None}
        self.user = [e for e in cfg.get("edits") or [] if isinstance(e, dict) and isinstance(e.get("id"), str)]
        for e in self.user:
            if e["id"] not in self.edits:
                image = self._chain_image(e.get("image"))
                self.edits[e["id"]] = Edit(e["id"], image, e.get("op"), raw=e)
        self._graphs: dict[str, dict] = {}
        self._visiting: list[str] = []
        self._placed: dict[str, set[str]] = {}
        for e in self.user:
            if self.edits.get(e["id"]) and self.edits[e["id"]].raw is e:
                self._resolve(e["id"])

    def _chain_image(self, image):
        """`edits/<id>[/<method>]`, with the method made explicit (default: the first method)."""
        if not (isinstance(image, str) and image.startswith(CHAIN)):
            return image
        parts = image.split("/")
        if len(parts) not in (2, 3):  # no such image: the checks say so
            return image
        method = parts[2] if len(parts) > 2 else (self.method_names[0] if self.method_names else "")
        iid = f"{CHAIN}{parts[1]}/{method}"
        folder = f"{RESULTS}/edits/{parts[1]}"
        self.images.setdefault(iid, {"image": f"{folder}/{method}.png", "scene": f"{folder}/{method}.graph.json",
                                     "format": "graph", "pair": None, "chain": (parts[1], method)})
        return iid

    def upstream(self, edit_id: str) -> str | None:
        img = self.images.get(self.edits[edit_id].image) or {}
        return img["chain"][0] if "chain" in img else None

    def clevr(self, image_id: str) -> bool:
        """Whether an image is a CLEVR-like render (its own, or a chain's first image)."""
        img = self.images.get(image_id) or {}
        if "chain" in img and img["chain"][0] in self.edits:
            return self.clevr(self.edits[img["chain"][0]].image)
        return image_id.startswith("clevr/")

    def _resolve(self, edit_id: str) -> None:
        """The user edit as it will run: its sentence resolved on its image's graph, checked
        against that graph; problems recorded on the edit, never raised."""
        e = self.edits[edit_id]
        if e.spec is not None or e.problems:
            return
        self._visiting.append(edit_id)
        try:
            self._resolve_now(e)
        finally:
            self._visiting.pop()

    def _resolve_now(self, e: Edit) -> None:
        raw, said = e.raw, "text" in e.raw
        if said:
            extra = sorted(set(raw) - {"id", "image", "text", "description"})
            e.problems = [("text", "must be a sentence")] if not isinstance(raw["text"], str) else []
            e.problems += [(k, "an edit in words takes id, image and text only") for k in extra]
            e.problems += [(f, m) for f, m in edit_problems({**raw, "op": "remove", "target": "o"}) if f != "text"]
        else:
            e.problems = edit_problems(raw)
        if not e.problems and e.image not in self.images:
            e.problems = [("image", f"unknown image {raw['image']!r}; " + _why_unknown(e.image))]
        if e.problems:
            return
        try:
            g = self.graph(e.image)
            spec = {**raw, **resolve(raw["text"], g, self.clevr(e.image))} if said else dict(raw)
        except (GraphError, ValueError) as err:
            e.problems = [("text" if isinstance(err, ResolveError) else "image", str(err))]
            return
        e.problems = edit_problems(spec, g, VOCABULARY if self.clevr(e.image) else None)
        if not e.problems:
            e.spec, e.op = spec, spec["op"]

    def graph(self, image_id: str) -> dict:
        """An image's graph for checks: the user's file; for the images the workflow makes, what
        its jobs will make of them: a file under results/ only where it is of the configured scene
        (a changed dataset seed or size, or a chain's upstream, may have left it stale)."""
        if image_id in self._graphs:
            return self._graphs[image_id]
        img = self.images[image_id]
        if "chain" in img:
            g = self._chain_graph(image_id, *img["chain"])
        elif img["pair"] is not None:
            ds = self.cfg["dataset"]
            g = self._rendered(img, pair_graph(*img["pair"], ds["seed"], ds["width"], ds["height"]))
        elif img["format"] == "vg" and image_id.startswith("photos/"):
            from ..datasets.photos import PHOTO_GRAPHS

            g = read_graph(PHOTO_GRAPHS / f"{image_id.split('/', 1)[1]}.json", "vg")
        elif (self.workdir / img["scene"]).exists():
            g = read_graph(self.workdir / img["scene"], img["format"])
        else:
            raise GraphError(img["scene"], "", "no such file")
        self._graphs[image_id] = g
        return g

    def _chain_graph(self, image_id: str, up: str, method: str) -> dict:
        if up not in self.edits:
            raise GraphError("edits", "", f"no edit {up!r} to build on")
        if up in self._visiting:
            cycle = self._visiting[self._visiting.index(up):] + [up]
            raise GraphError("edits", "", "the chain " + " -> ".join(cycle) + " is a cycle")
        if method not in self.method_names:
            raise GraphError("edits", "", f"no method {method!r} in methods: (for {image_id!r})")
        u = self.edits[up]
        if u.pair is not None:
            raise GraphError("edits", "", f"chains start from your own edits, not benchmark edit {up!r}")
        self._resolve(up)
        if u.spec is None:
            why = "; ".join(m for _, m in u.problems)
            raise GraphError("edits", "", f"edit {up!r}, which this one builds on, has problems ({why})")
        if method not in self.methods_for(up):
            raise GraphError("edits", "", f"method {method!r} does not make edit {up!r}")
        g, change = apply_edit(self.graph(u.image), u.spec)
        self._placed[image_id] = self.placed(u.image) | left_to_place(change)
        return g

    def _rendered(self, img: dict, g: dict) -> dict:
        """The pair's rendered graph where it is of this scene (its boxes are the render's, which the
        plan uses; the recomputed ones are projected), else the recomputed one."""
        try:
            on_disk = read_graph(self.workdir / img["scene"], img["format"])
        except (OSError, ValueError):  # none yet, or unreadable: its job remakes it
            return g
        return on_disk if _scene(on_disk) == _scene(g) else g

    def placed(self, image_id: str) -> set[str]:
        """The objects of a chain's graph whose box its upstream edits leave to their methods."""
        return self._placed.get(image_id, set())

    @functools.cached_property
    def methods(self):
        return parse_methods(self.cfg.get("methods") or {})

    @functools.cache
    def methods_for(self, edit_id: str) -> list[str]:
        """The methods that make an edit (simbil.edits.methods.MethodSpec.runs_on)."""
        e = self.edits[edit_id]
        return self.methods_for_op(e.op, e.truth is not None)

    def background_owner(self, edit_id: str, method: str) -> str:
        """The first of the edit's methods that fills its hole as `method` does: the one whose
        hole fill `method` takes (itself, if none comes before it)."""
        m = self.methods[method]
        return next(n for n in self.methods_for(edit_id) if self.methods[n].fills_like(m))

    @functools.cache
    def methods_for_op(self, op: str, truth: bool) -> list[str]:
        return [n for n, m in self.methods.items() if m.runs_on(op, truth)]

    def benchmark_ids(self) -> set[str]:
        """Every benchmark edit's id, in blocks or not."""
        return {e.id for e in self.edits.values() if e.pair} | {
            i for b in self.blocks.values() for i in b.edit_ids()}

    def chains(self) -> dict[str, list[str]]:
        """Last edit of each chain -> its edits in order (chains of two or more)."""
        ups = {eid: self.upstream(eid) for eid in self.edits}
        built_on = {u for u in ups.values() if u}
        out = {}
        for eid, up in ups.items():
            if up and eid not in built_on:
                steps = [eid]
                while ups.get(steps[0]) and len(steps) <= len(ups):
                    steps.insert(0, ups[steps[0]])
                out[eid] = steps
        return out


def _scene(g: dict) -> tuple:
    return [(o["id"], o["name"], o["attributes"]) for o in g["objects"]], g["width"], g["height"]


def _why_unknown(image: str) -> str:
    """What would make an image id known: a photo the `photos:` list must name, a benchmark mode
    `dataset.modes` must hold, or the kinds of id there are."""
    parts = image.split("/")
    if parts[0] == "photos" and len(parts) == 2:
        return f"add {parts[1]!r} to photos:"
    if parts[0] == "clevr" and len(parts) == 4 and parts[2].isdigit():
        return f"dataset.modes must hold {parts[1]!r} and dataset.pairs exceed {int(parts[2])}"
    return "known: benchmark sources clevr/<mode>/<pair>/source, photos/<name>, config images, edits/<id>"
