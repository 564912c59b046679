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
from ..imageio import ImageError, read_image, read_mask, write_image
from ..metrics import roi_box, scores
from ..report import contact_sheet, crop_around, overlay_mask, summary
from ..report.sheets import draw_box

OP_OF_MODE = {"removal": "remove", "replacement": "replace", "relationship": "relation",
              "addition": "add", "attribute": "attribute"}
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


def _object_mask(graph_path: str, obj: dict, width: int, height: int, shadow: bool) -> np.ndarray:
    if obj.get("mask"):
        m = read_mask(_resolve(graph_path, obj["mask"]))
    else:  # an unannotated object: its box (box-prompted segmentation refines this for photos)
        m = np.zeros((height, width), bool)
        x0, y0, x1, y1 = (int(round(v)) for v in obj["bbox"])
        m[y0:y1, x0:x1] = True
    if m.shape != (height, width):
        raise ImageError(f"{obj['mask']}: mask is {m.shape[1]}x{m.shape[0]}, the image {width}x{height}")
    if shadow and obj.get("shadow_mask"):
        m = m | read_mask(_resolve(graph_path, obj["shadow_mask"]))
    return m


def removal_mask(edit_path: str, graph_path: str, out: str, dilate: int, shadow: bool) -> np.ndarray:
    """The hole an edit opens: the target's mask (plus its shadow where known), dilated —
    anti-aliased edges belong to the object."""
    edit, g = read_json(edit_path), load_graph(graph_path)
    obj = get_object(g, edit.get("target", ""))
    if obj is None:
        raise EditError(edit["id"], [("target", f"no object {edit.get('target')!r} in {graph_path}")])
    m = _object_mask(graph_path, obj, g["width"], g["height"], shadow)
    if dilate:
        m = ndimage.binary_dilation(m, iterations=dilate)
    write_image(out, m.astype(np.uint8) * 255)
    return m


def plan(edit_path: str, graph_path: str, out_plan: str, out_graph: str) -> dict:
    """Apply the edit to the graph; the plan says what changes where (the RoI to score on)."""
    edit, g = read_json(edit_path), load_graph(graph_path)
    clevr = edit["image"].startswith("clevr/")
    new, change = apply_edit(g, edit, VOCABULARY if clevr else None)
    roi = change["old_bbox"] if change["op"] == "remove" else change["new_bbox"]
    if roi is None:
        raise EditError(edit["id"], [("op", f"{change['op']!r}: the pipeline has no RoI predictor for it yet")])
    save_graph(out_graph, new)
    p = {**change, "roi": [int(round(v)) for v in roi], "image": edit["image"]}
    write_json(out_plan, p)
    return p


# --- pixels ---

def run_method(image: str, mask: str, out: str, method: str, settings: dict, seed: int = 0,
               device: str = "auto", lock_dir: str | None = None, threads: int = 1, quiet: bool = False) -> dict:
    """Inpaint with one method and write the picture plus <out>.json (method, device, seconds)."""
    import sys

    import torch

    from ..devices import DEFAULT_LOCK_DIR, device_name, lease_device
    from ..inpaint import inpaint

    torch.set_num_threads(max(1, threads))
    img, hole = read_image(image), read_mask(mask)
    kind = settings.get("method", method)
    opts = {k: v for k, v in settings.items() if k != "method"}
    want = device if kind in TORCH_METHODS else "cpu"
    asked = time.perf_counter()
    with lease_device(want, lock_dir or DEFAULT_LOCK_DIR) as dev:
        waited = time.perf_counter() - asked
        if kind in TORCH_METHODS:
            opts.update(seed=seed, device=dev)
            if not quiet:
                opts["progress"] = lambda it, n, loss, dt: print(
                    f"  {method}: iteration {it}/{n}  loss {loss:.5f}  {dt:.1f}s", file=sys.stderr, flush=True)
        t = time.perf_counter()
        result = inpaint(img, hole, kind, **opts)
        seconds = time.perf_counter() - t
        name = device_name(dev)
    write_image(out, result)
    info = {"method": method, "kind": kind, "device": name, "seconds": seconds, "lease_wait_s": waited,
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
    tmp = Path(out_sheet).with_name(f".{Path(out_sheet).name}.tmp{os.getpid()}.png")
    sheet.save(tmp)
    os.replace(tmp, out_sheet)
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
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(path).with_name(f".{Path(path).name}.tmp{os.getpid()}")
        write(tmp)
        os.replace(tmp, path)
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

    img = ssim_bars(pd.read_csv(csv), methods)
    tmp = Path(out).with_name(f".{Path(out).name}.tmp{os.getpid()}.png")
    img.save(tmp)
    os.replace(tmp, out)
