"""Everything the pipeline knows before any job runs: which images and edits the config names,
where their files go, and every problem with them (one message per problem, naming the edit and
the field), so that a bad config stops the run before it touches `results/`."""

from __future__ import annotations

import functools
from pathlib import Path

from ..clevr.pairs import MODES, make_pair, pair_rng
from ..clevr.properties import VOCABULARY
from ..graphs import GraphError, edit_problems, from_clevr_scene, read_graph
from ..graphs.format import ID_RE

RESULTS = "results"
# Hand-annotated Visual-Genome-style graphs of photos that scikit-image ships (data/photos/)
PHOTO_DIR = Path(__file__).resolve().parents[2] / "data" / "photos"
OP_OF_MODE = {"removal": "remove", "replacement": "replace", "relationship": "relation",
              "addition": "add", "attribute": "attribute"}
DATASET = f"{RESULTS}/datasets/clevr"
OPS_ALL = ("remove", "relation", "replace", "add", "attribute")  # what a method runs on unless its `ops` says


def pair_name(index: int) -> str:
    return f"{index:06d}"


def benchmark_edits(cfg: dict) -> dict[str, dict]:
    """edit id -> {mode, index, pair}: one edit per rendered benchmark pair whose mode is run."""
    ds = cfg.get("dataset") or {}
    out = {}
    for mode in ds.get("modes", []):
        for i in range(ds.get("pairs", 0)):
            out[f"{mode}-{pair_name(i)}"] = {"mode": mode, "index": i, "pair": f"{DATASET}/{mode}/{pair_name(i)}"}
    return out


def images(cfg: dict) -> dict[str, dict]:
    """image id -> {image, scene, truth, pair?}: the benchmark's sources and the user's images."""
    out = {}
    for e in benchmark_edits(cfg).values():
        for side in ("source", "target"):
            out[f"clevr/{e['mode']}/{pair_name(e['index'])}/{side}"] = {
                "image": f"{e['pair']}/{side}.png", "scene": f"{e['pair']}/{side}.json", "format": "clevr",
                "truth": None, "pair": e}
    for name in cfg.get("photos") or []:
        out[f"photos/{name}"] = {"image": f"{RESULTS}/datasets/photos/{name}.png", "scene": str(PHOTO_DIR / f"{name}.json"),
                                 "format": "vg", "truth": None, "pair": None, "photo": name}
    for iid, spec in (cfg.get("images") or {}).items():
        out[iid] = {"image": spec["image"], "scene": spec["graph"], "format": spec.get("format", "auto"),
                    "truth": None, "pair": None}
    return out


def edit_image(cfg: dict, edit_id: str) -> str:
    bench = benchmark_edits(cfg)
    if edit_id in bench:
        e = bench[edit_id]
        return f"clevr/{e['mode']}/{pair_name(e['index'])}/source"
    return next(e["image"] for e in cfg.get("edits") or [] if e.get("id") == edit_id)


def edit_truth(cfg: dict, edit_id: str) -> str | None:
    """The true result of an edit: the pair's target render for benchmark edits, else none."""
    bench = benchmark_edits(cfg)
    return f"{bench[edit_id]['pair']}/target.png" if edit_id in bench else None


@functools.lru_cache(maxsize=256)
def _benchmark_graph(mode: str, index: int, seed: int, width: int, height: int) -> dict:
    """The source graph of a benchmark pair, without its files: scenes are seeded per pair, so
    the same sampling the dataset job will do gives the same objects."""
    source, _, _ = make_pair(pair_rng(seed, mode, index), mode, width, height)
    return from_clevr_scene(source, image="source.png", width=width, height=height)


def graph_for_checks(cfg: dict, image_id: str, workdir: Path) -> dict:
    img = images(cfg)[image_id]
    scene = workdir / img["scene"]
    if scene.exists():
        return read_graph(scene, img["format"])
    if img["pair"] is None:
        raise GraphError(img["scene"], "", "no such file")
    ds = cfg["dataset"]
    return _benchmark_graph(img["pair"]["mode"], img["pair"]["index"], ds["seed"], ds["width"], ds["height"])


def config_problems(cfg: dict, workdir: str | Path = ".") -> list[str]:
    """Every problem with the config's images, edits and methods, one line each."""
    workdir = Path(workdir)
    out: list[str] = []
    ds = cfg.get("dataset") or {}
    for m in ds.get("modes", []):
        if m not in MODES:
            out.append(f"dataset.modes: unknown mode {m!r} (one of {', '.join(MODES)})")
    known = images(cfg)
    for name in cfg.get("photos") or []:
        if not (PHOTO_DIR / f"{name}.json").exists():
            have = ", ".join(sorted(p.stem for p in PHOTO_DIR.glob("*.json")))
            out.append(f"photos: no annotated photo {name!r} (have: {have})")
    for iid, spec in (cfg.get("images") or {}).items():
        if not all(p and ID_RE.match(p) for p in iid.split("/")):
            out.append(f"images.{iid}: an image id is names of letters, digits, '_' or '-' joined by '/'")
        for key in ("image", "graph"):
            if not (workdir / spec[key]).exists():
                out.append(f"images.{iid}.{key}: no such file {spec[key]!r}")
    seen = set(benchmark_edits(cfg))
    for n, edit in enumerate(cfg.get("edits") or []):
        label = f"edits[{n}]" + (f" ({edit['id']!r})" if isinstance(edit, dict) and isinstance(edit.get("id"), str) else "")
        problems = edit_problems(edit)
        if not problems:
            if edit["id"] in seen:
                problems.append(("id", f"duplicate edit id {edit['id']!r}"))
            seen.add(edit["id"])
            if edit["image"] not in known:
                problems.append(("image", f"unknown image {edit['image']!r}; known: benchmark sources "
                                          f"clevr/<mode>/<pair>/source and config images ({len(known)} in all)"))
            else:
                try:
                    g = graph_for_checks(cfg, edit["image"], workdir)
                except (GraphError, ValueError) as e:
                    problems.append(("image", f"its scene graph cannot be read: {e}"))
                else:
                    vocab = VOCABULARY if edit["image"].startswith("clevr/") else None
                    problems += edit_problems(edit, g, vocab)
                    problems += _paint_problems(edit, g)
        out += [f"{label}: {field or 'edit'}: {msg}" for field, msg in problems]
    methods = cfg.get("methods") or {}
    if not methods:
        out.append("methods: name at least one method")
    from ..inpaint import METHODS

    for name, spec in methods.items():
        spec = spec or {}
        kind = spec.get("method", name)
        if kind not in METHODS:
            out.append(f"methods.{name}.method: unknown inpainter {kind!r} (one of {', '.join(METHODS)})")
        elif kind in ("bgdip", "dip"):
            from ..inpaint.dip import BGDIP, PAPER, DIPSettings

            try:
                DIPSettings.make(BGDIP if kind == "bgdip" else PAPER, **(spec.get("settings") or {}))
            except (TypeError, ValueError) as e:
                out.append(f"methods.{name}.settings: {e}")
        elif spec.get("settings"):
            out.append(f"methods.{name}.settings: {kind} takes no settings")
        bad_ops = [o for o in spec.get("ops", []) if o not in OPS_ALL]
        if bad_ops:
            out.append(f"methods.{name}.ops: unknown op(s) {bad_ops} (of {', '.join(OPS_ALL)})")
    return out


def user_edit(cfg: dict, edit_id: str) -> dict:
    return next(e for e in cfg.get("edits") or [] if e.get("id") == edit_id)


def put_on_pythonpath(folder: str) -> None:
    """Make jobs import simbil from `folder` (the workflow's checkout), whether they run in the
    project's venv or in a stage's conda env, where the package is not installed."""
    import os

    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if folder not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([folder, *paths])


def edit_ids(cfg: dict) -> list[str]:
    """The benchmark's edits, then the user's, in config order."""
    return [*benchmark_edits(cfg), *(e["id"] for e in cfg.get("edits") or [])]


def edit_op(cfg: dict, edit_id: str) -> str:
    bench = benchmark_edits(cfg)
    if edit_id in bench:
        return OP_OF_MODE[bench[edit_id]["mode"]]
    return user_edit(cfg, edit_id)["op"]


def methods_for(cfg: dict, edit_id: str) -> list[str]:
    """The methods that apply to an edit: those whose `ops` include its op, and, for methods
    placing objects at the true box (roi: truth, the oracle), only edits that have a truth."""
    op = edit_op(cfg, edit_id)
    out = []
    for name, spec in cfg["methods"].items():
        spec = spec or {}
        if op not in spec.get("ops", OPS_ALL):
            continue
        if spec.get("roi") == "truth" and (edit_id not in benchmark_edits(cfg) or op == "remove"):
            continue
        out.append(name)
    return out


def _paint_problems(edit: dict, g: dict) -> list[tuple[str, str]]:
    """A colour change repaints the object's albedo: both colours must be ones SIMBIL can paint."""
    from ..clevr.properties import COLORS
    from ..graphs.format import get_object

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
