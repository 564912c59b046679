"""The pipeline's stages as plain functions over files; each rule calls one through
`python -m simbil stage <name>`. Every output is written atomically (temporary name, then
rename), so a failed job leaves nothing half-written behind."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import ndimage

from ..clevr.pairs import MODES, write_pair
from ..clevr.properties import VOCABULARY
from ..graphs import EditError, apply_edit, edit_problems, load_graph, read_graph, read_json, save_graph, write_json
from ..graphs.format import get_object
from ..imageio import ImageError, read_image, read_mask, skimage_photo, write_atomic, write_image
from ..metrics import roi_box, scores
from .config import OP_OF_MODE
from ..report import contact_sheet, crop_around, overlay_mask, summary
from ..report.sheets import draw_box

TORCH_METHODS = ("bgdip", "dip")


def _relative(path: str | os.PathLike, start: str | os.PathLike) -> str:
    return os.path.relpath(Path(path).resolve(), Path(start).resolve())


def _resolve(graph_path: str | os.PathLike, rel: str) -> Path:
    """Paths inside a graph are relative to the graph file's folder."""
    return Path(graph_path).parent / rel


# --- dataset and graphs ---

def render_pair(out_root: str, mode: str, index: int, seed: int, width: int, height: int) -> Path:
    """One benchmark pair under out_root/<mode>/<index:06d>/ (same bytes whatever else is rendered)."""
    if mode not in MODES:
        raise ValueError(f"unknown pair mode {mode!r}")
    return write_pair(Path(out_root), mode, index, seed, width, height)


def make_graph(scene: str, out: str, image: str | None = None, fmt: str = "auto") -> dict:
    """Read a scene (CLEVR, Visual Genome or graph) and write SIMBIL's graph, with the image and
    mask paths rewritten relative to the graph's own folder."""
    g = read_graph(scene, fmt)
    base = Path(scene).parent
    g["image"] = _relative(image if image else base / g["image"], Path(out).parent)
    for o in g["objects"]:
        for key in ("mask", "shadow_mask"):
            if o.get(key):
                o[key] = _relative(base / o[key], Path(out).parent)
    save_graph(out, g)
    return g


def export_photo(name: str, out: str) -> None:
    """One of the photographs scikit-image ships, as an RGB PNG."""
    write_image(out, skimage_photo(name))


# --- edits, masks, plans ---

def edit_spec(out: str, edit_id: str, image_id: str, spec: str | None = None, pair_edit: str | None = None) -> dict:
    """The edit as one JSON file: from the config (spec, a JSON string) or from a benchmark
    pair's edit.json (the pair's own id and image are replaced by the pipeline's)."""
    edit = json.loads(spec) if spec else read_json(pair_edit)
    edit = {**edit, "id": edit_id, "image": image_id}
    problems = edit_problems(edit)
    if problems:
        raise EditError(edit_id, problems)
    write_json(out, edit)
    return edit


def _object_mask(graph_path: str, obj: dict, width: int, height: int) -> np.ndarray:
    if obj.get("mask"):
        m = read_mask(_resolve(graph_path, obj["mask"]))
    else:  # an unannotated object (a photo): box-prompted segmentation
        from ..segment import segment

        g = load_graph(graph_path)
        m = segment(read_image(_resolve(graph_path, g["image"])), obj["bbox"])
    if m.shape != (height, width):
        raise ImageError(f"{obj['mask']}: mask is {m.shape[1]}x{m.shape[0]}, the image {width}x{height}")
    return m


def _shadow(graph_path: str, g: dict, obj: dict, m: np.ndarray, how: str) -> np.ndarray:
    """The object's shadow: the graph's own mask (`known`, CLEVR renders) or, where it has none
    or `estimate` is asked for, simbil.shadow's estimate from the image (other annotated objects
    are neither floor nor shadow)."""
    from ..shadow import SOURCES, estimate_shadow

    if how not in SOURCES:
        raise ValueError(f"shadow must be one of {', '.join(SOURCES)}, got {how!r}")
    if how == "none":
        return np.zeros_like(m)
    if how == "known" and obj.get("shadow_mask"):
        return read_mask(_resolve(graph_path, obj["shadow_mask"]))

    others = np.zeros_like(m)
    for o in g["objects"]:
        if o["id"] != obj["id"] and o.get("mask"):
            others |= read_mask(_resolve(graph_path, o["mask"]))
    return estimate_shadow(read_image(_resolve(graph_path, g["image"])), m, others)


def removal_mask(edit_path: str, graph_path: str, out: str, dilate: int, shadow: str) -> np.ndarray:
    """The hole an edit opens: the target's mask plus its shadow (`shadow`: known | estimate |
    none), dilated — anti-aliased edges belong to the object. An addition opens none; an
    attribute change only the object itself, without its shadow (it stays where it is)."""
    edit, g = read_json(edit_path), load_graph(graph_path)
    if edit["op"] == "add":
        m = np.zeros((g["height"], g["width"]), bool)
    else:
        obj = get_object(g, edit.get("target", ""))
        if obj is None:
            raise EditError(edit["id"], [("target", f"no object {edit.get('target')!r} in {graph_path}")])
        m = _object_mask(graph_path, obj, g["width"], g["height"])
        if edit["op"] != "attribute":
            m = m | _shadow(graph_path, g, obj, m, shadow)
        grow = 1 if edit["op"] == "attribute" else dilate
        if grow:
            m = ndimage.binary_dilation(m, iterations=grow)
    write_image(out, m.astype(np.uint8) * 255)
    return m


def _clip(box, width: int, height: int) -> list[float]:
    x0, y0, x1, y1 = (float(v) for v in box)
    x0, x1 = max(0.0, min(x0, width - 1.0)), min(float(width), max(x1, x0 + 1))
    y0, y1 = max(0.0, min(y0, height - 1.0)), min(float(height), max(y1, y0 + 1))
    return [round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)]


def plan(edit_path: str, graph_path: str, out_plan: str, out_graph: str, model: str | None = None,
         truth_scene: str | None = None) -> dict:
    """Apply the edit to the graph and say where the edited object goes: `place` holds its box
    by each RoI source (rnn: the trained predictor; heuristic: the geometric baseline; truth: the
    benchmark's target, when there is one); `roi` is the box the edit is scored on (SIMSG: the
    changed object's box in the target image; for a removal, its box in the source)."""
    from ..clevr.camera import Camera
    from ..roi.heuristic import heuristic_box, standing_box

    edit, g = read_json(edit_path), load_graph(graph_path)
    clevr = edit["image"].startswith("clevr/")
    new, change = apply_edit(g, edit, VOCABULARY if clevr else None)
    W, H = g["width"], g["height"]
    cam = Camera.from_dict(g["camera"]) if g.get("camera") else None
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
        x0, _, x1, y1 = before["bbox"]
        size = after["attributes"].get("size", "large")
        box = standing_box(after["name"], size, (x0 + x1) / 2, y1, W, H, cam) if cam else before["bbox"]
        place["heuristic"] = place["rnn"] = box
    elif op == "attribute":
        place["heuristic"] = place["rnn"] = before["bbox"]
    if op == "relation" and cam is None:
        # without a camera (a photo) nothing says how size changes with place: keep the object's
        # nor, unless behind/front is asked, where the floor is: keep its floor line too
        w, h = before["bbox"][2] - before["bbox"][0], before["bbox"][3] - before["bbox"][1]
        depth = any(r["predicate"] in ("behind", "front of") for r in edit["relations"])
        place = {k: [(b[0] + b[2] - w) / 2, (b[3] if depth else before["bbox"][3]) - h, (b[0] + b[2] + w) / 2,
                     b[3] if depth else before["bbox"][3]] for k, b in place.items()}
    if truth_scene:
        t = get_object(read_graph(truth_scene), change["target"]) if op != "remove" else None
        if t is not None:
            place["truth"] = t["bbox"]
    place = {k: _clip(v, W, H) for k, v in place.items()}
    roi = change["old_bbox"] if op == "remove" else place.get("truth", place.get("rnn", place.get("heuristic")))
    save_graph(out_graph, new)
    p = {**change, "roi": [int(round(v)) for v in roi], "place": place, "image": edit["image"]}
    write_json(out_plan, p)
    return p


# --- pixels ---

PLAN_KEYS = ("method", "harmonise", "roi")  # a method's config keys that are not inpainter settings
# bgdip's defaults for ops other than removal, unless a method sets them: no fill blur (it smears
# seams; 50 attribute pairs, before unmatting: 0.7881 without, 0.7839 with) and, for an object
# changed in place, where only a 1 px ring of the fill is kept, little context and no Telea blend
# at the hole's edge (README: on attribute pairs 50-79, held apart, 0.8023 vs 0.8017 for the
# removal defaults, 1.5x faster)
BGDIP_PLACING = {"fill_smooth": 0.0}
BGDIP_IN_PLACE = {"crop_margin": 0.25, "seam": 0}


def _in_place(plan_: dict) -> bool:
    """An attribute change that keeps the object's size keeps its silhouette: its new pixels go
    exactly where its old ones were."""
    if plan_["op"] != "attribute":
        return False
    return plan_["before"]["attributes"].get("size") == plan_["after"]["attributes"].get("size")


def _layer(op: str, img: np.ndarray, plan_: dict, graph_path: str, box, bank: str | None):
    """The new pixels an edit places (full-size rgb, alpha), or None for a removal. A move takes
    the object's own pixels, a repaint recolours them, others come from the bank; an in-place
    change is cut to the object's own silhouette."""
    from ..edits.bank import Bank
    from ..edits.compose import crop_object, fit_into_box, fit_to_outline, recolour

    if op == "remove":
        return None
    H, W = img.shape[:2]
    before, after = plan_["before"], plan_["after"]
    repaint = op == "attribute" and before["attributes"].get("material") == after["attributes"].get("material")
    own = None
    if op == "relation" or repaint or _in_place(plan_):
        own = _object_mask(graph_path, get_object(load_graph(graph_path), before["id"]), W, H)
    if op == "relation":
        return fit_into_box(crop_object(img, own), box, W, H)
    if repaint and "color" in after["attributes"]:
        return recolour(img, own, before["attributes"]["color"], after["attributes"]["color"]), own.astype(np.float32)
    if not bank:
        raise EditError(plan_["edit"], [("op", f"{op!r} needs the object bank (--bank)")])
    _, rgba = Bank(bank).pick(after["name"], after["attributes"], box)
    if own is None:
        return fit_into_box(rgba, box, W, H)
    return fit_to_outline(rgba, own), own.astype(np.float32)


def run_method(image: str, mask: str, out: str, method: str, settings: dict, seed: int = 0,
               device: str = "auto", lock_dir: str | None = None, threads: int = 1, quiet: bool = False,
               plan_path: str | None = None, graph_path: str | None = None, bank: str | None = None) -> dict:
    """Make one edit's image with one method and write it plus <out>.json (method, device,
    seconds). A removal is an inpainting of the hole; other ops place the object's new pixels
    (at the box the method's `roi` source gives) and fill and harmonise around them."""
    import sys

    from ..devices import DEFAULT_LOCK_DIR, device_name, lease_device
    from ..edits.compose import compose
    from ..inpaint import inpaint

    if settings.get("method", method) in TORCH_METHODS:
        import torch

        torch.set_num_threads(max(1, threads))
    img, hole = read_image(image), read_mask(mask)
    kind = settings.get("method", method)
    harmonise = settings.get("harmonise", kind in TORCH_METHODS)
    roi_source = settings.get("roi", "rnn")
    opts = {k: v for k, v in settings.items() if k not in PLAN_KEYS}
    p = read_json(plan_path) if plan_path else {"op": "remove", "edit": Path(out).parent.name}
    box = None
    if p["op"] != "remove":
        if roi_source not in p["place"]:
            raise EditError(p["edit"], [("roi", f"method {method!r} wants the {roi_source!r} box, which this edit "
                                               f"has not (it has: {', '.join(p['place']) or 'none'})")])
        box = p["place"][roi_source]
    layer = _layer(p["op"], img, p, graph_path, box, bank)
    in_place = _in_place(p)
    placed_box = None
    if layer is not None and (layer[1] > 0.5).any():
        ys, xs = np.nonzero(layer[1] > 0.5)
        placed_box = [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]
    want = device if kind in TORCH_METHODS else "cpu"
    asked = time.perf_counter()
    with lease_device(want, lock_dir or DEFAULT_LOCK_DIR) as dev:
        waited = time.perf_counter() - asked
        if kind in TORCH_METHODS:
            opts.update(seed=seed, device=dev)
            if kind == "bgdip" and p["op"] != "remove":
                for k, v in {**BGDIP_PLACING, **(BGDIP_IN_PLACE if in_place else {})}.items():
                    opts.setdefault(k, v)
            if not quiet:
                opts["progress"] = lambda it, n, loss, dt: print(
                    f"  {method}: iteration {it}/{n}  loss {loss:.5f}  {dt:.1f}s", file=sys.stderr, flush=True)
        t = time.perf_counter()
        result, _ = compose(img, hole, layer, lambda im, m: inpaint(im, m, kind, **opts), harmonise, in_place)
        seconds = time.perf_counter() - t
        name = device_name(dev)
    write_image(out, result)
    info = {"method": method, "kind": kind, "device": name, "seconds": seconds, "lease_wait_s": waited,
            "op": p["op"], "roi": roi_source if box is not None else None, "box": box, "placed_box": placed_box,
            "harmonise": harmonise,
            # where it ran: a cluster job's id and the cards it was given, if any
            "slurm_job_id": os.environ.get("SLURM_JOB_ID"),
            "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES"),
            "settings": {k: v for k, v in opts.items() if k != "progress"}}
    write_json(Path(out).with_suffix(".json"), info)
    return info


# --- scores, sheets, tables ---

def evaluate(plan_path: str, image: str, mask: str, outputs: dict[str, str], truth: str | None,
             out_metrics: str, out_sheet: str) -> dict:
    """Score every method's output against the truth (when the edit has one) on the RoI and the
    whole image, and draw the edit's contact sheet."""
    p = read_json(plan_path)
    src, hole = read_image(image), read_mask(mask)
    gt = read_image(truth) if truth else None
    H, W = src.shape[:2]
    rows = []
    pictures = {}
    for method, path in outputs.items():
        out = read_image(path)
        pictures[method] = out
        info = read_json(Path(path).with_suffix(".json"))
        row = {"edit": p["edit"], "op": p["op"], "image": p["image"], "method": method,
               "device": info["device"], "seconds": info["seconds"]}
        if gt is not None:
            row.update(scores(out, gt, p["roi"]))
        rows.append(row)
    write_json(out_metrics, {"edit": p["edit"], "op": p["op"], "roi": p["roi"], "truth": truth, "rows": rows})
    labels = ["input", "hole", "RoI"] + list(pictures) + (["truth"] if gt is not None else [])
    x0, y0, x1, y1 = roi_box(p["roi"], W, H)
    grid = [[src, overlay_mask(src, hole), draw_box(src, (x0, y0, x1, y1))] + list(pictures.values())
            + ([gt] if gt is not None else [])]
    sheet = contact_sheet(grid, labels, [crop_around(p["roi"], W, H, context=1.0)], tile=160)
    write_atomic(out_sheet, sheet.save)
    return {"rows": rows}


MODE_OF_OP = {v: k for k, v in OP_OF_MODE.items()}


def tables(metrics: list[str], out_csv: str, out_md: str, out_html: str, methods: list[str]) -> pd.DataFrame:
    """One row per edit × method; a per-mode × per-method summary in markdown and HTML."""
    rows = [r for path in metrics for r in read_json(path)["rows"]]
    df = pd.DataFrame(rows)
    df.insert(1, "mode", df["op"].map(MODE_OF_OP))
    scored = df.dropna(subset=["roi_ssim"]) if "roi_ssim" in df else df.iloc[0:0]
    md = ["# SIMBIL results\n", f"{df['edit'].nunique()} edits × {len(methods)} methods; "
          f"{scored['edit'].nunique()} edits have a ground truth and are scored. Means per mode; the best "
          "RoI SSIM in bold; seconds are the median per edit.\n"]
    if len(scored):
        md.append(summary(scored, "mode", order=methods))
    text = "\n".join(md)
    for path, write in ((out_csv, lambda p: df.to_csv(p, index=False)),
                        (out_md, lambda p: Path(p).write_text(text)),
                        (out_html, lambda p: Path(p).write_text(_html(df, scored, methods)))):
        write_atomic(path, write)
    return df


def _html(df: pd.DataFrame, scored: pd.DataFrame, methods: list[str]) -> str:
    from ..report.tables import METRIC_LABELS

    parts = ["<h2>Mean per mode and method (edits with a ground truth)</h2>"]
    if len(scored):
        cols = [c for c in METRIC_LABELS if c in scored]
        t = scored.groupby(["mode", "method"], sort=False)[cols + ["seconds"]].mean().round(4)
        parts.append(t.rename(columns=METRIC_LABELS).to_html())
    parts.append("<h2>Every edit and method</h2>")
    parts.append(df.round(4).to_html(index=False))
    return "<html><body style='font-family:sans-serif'>" + "\n".join(parts) + "</body></html>"


def summary_figure(csv: str, methods: list[str], out: str) -> None:
    from ..report.figures import ssim_bars

    write_atomic(out, ssim_bars(pd.read_csv(csv), methods).save)
