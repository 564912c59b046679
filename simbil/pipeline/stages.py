"""The pipeline's stages, one per Snakemake rule (`python -m simbil stage <name>`): each reads
its files, makes one call into the domain and writes its files, atomically (a temporary name,
then a rename), so a failed job leaves nothing half-written behind."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..graphs import EditError, edit_problems, load_graph, read_graph, read_json, save_graph, write_json
from ..graphs.format import relocate
from ..imageio import ImageError, read_image, read_mask, write_atomic, write_image

if TYPE_CHECKING:
    import pandas as pd

# Every job is a fresh process: pandas, SciPy and scikit-image are imported by the stages
# that use them, not by every stage.


def render_pair(out_root: str, mode: str, index: int, seed: int, width: int, height: int) -> Path:
    """One benchmark pair under out_root/<mode>/<index:06d>/ (same bytes whatever else is rendered)."""
    from ..datasets.pairs import write_pair

    return write_pair(Path(out_root), mode, index, seed, width, height)


def object_bank(out: str, scenes: int | None, seed: int, width: int, height: int, progress=None) -> list[dict]:
    """The object bank of `scenes` training scenes (None: the pipeline's default, bank.SCENES)."""
    from ..datasets.bank import SCENES, harvest

    return harvest(out, SCENES if scenes is None else scenes, seed, width, height, progress=progress)


def export_photo(name: str, out: str, graph_out: str | None = None) -> None:
    from ..datasets.photos import export_photo as export

    export(name, out, graph_out)


def make_graph(scene: str, out: str, image: str | None = None, fmt: str = "auto") -> dict:
    """A scene (CLEVR, Visual Genome or graph) as SIMBIL's graph, its paths relative to `out`."""
    g = relocate(read_graph(scene, fmt), scene, out, image)
    save_graph(out, g)
    return g


def edit_spec(out: str, edit_id: str, image_id: str, spec: str | None = None, pair_edit: str | None = None) -> dict:
    """The edit as one JSON file: from the config (spec, a JSON string) or from a benchmark
    pair's edit.json (the pair's own id and image are replaced by the pipeline's)."""
    edit = {**(json.loads(spec) if spec else read_json(pair_edit)), "id": edit_id, "image": image_id}
    problems = edit_problems(edit)
    if problems:
        raise EditError(edit_id, problems)
    write_json(out, edit)
    return edit


def removal_mask(edit_path: str, graph_path: str, out: str, dilate: int, shadow: str,
                 outline_out: str | None = None) -> np.ndarray:
    """The hole; with outline_out, the target's outline too, for the inpainting jobs to read."""
    from ..edits.masks import removal_mask as hole
    from ..edits.masks import target_outline

    edit, g = read_json(edit_path), load_graph(graph_path)
    own = target_outline(edit, g, graph_path)
    m = hole(edit, g, graph_path, dilate, shadow, own)
    write_image(out, m.astype(np.uint8) * 255)
    if outline_out:
        write_image(outline_out, own.astype(np.uint8) * 255)
    return m


def plan(edit_path: str, graph_path: str, out_plan: str, out_graph: str, model: str | None = None,
         truth_scene: str | None = None) -> dict:
    """The edited graph and where the edited object goes (simbil.edits.placement)."""
    from ..edits.placement import plan_edit

    truth = read_graph(truth_scene) if truth_scene else None
    new, p = plan_edit(read_json(edit_path), load_graph(graph_path), model, truth)
    save_graph(out_graph, relocate(new, graph_path, out_graph))
    write_json(out_plan, p)
    return p


def make_edit(image: str, mask: str, out: str, spec, run, plan_path: str | None = None,
              graph_path: str | None = None, bank: str | None = None, outline: str | None = None,
              background: str | None = None, background_out: str | None = None) -> dict:
    """One edit's image with one method (a MethodSpec), plus <out>.json saying how it was made.
    Without a plan, a plain removal of the mask. `outline`: the mask stage's outline of the target.
    `background`: the hole's fill another method that fills alike wrote (its `background_out`),
    taken instead of filling the hole again."""
    from ..edits.make import make_edit as make
    from ..edits.masks import with_outline

    p = read_json(plan_path) if plan_path else {"op": "remove", "edit": Path(out).parent.name}
    g = load_graph(graph_path) if graph_path else None
    if g is not None and outline:
        g = with_outline(g, p.get("target"), outline)
    img, hole = read_image(image), read_mask(mask)
    given = read_hole_fill(background, img, hole) if background else None
    result, info, filled = make(img, hole, p, spec, run, g, graph_path, bank, given)
    if background:
        info["background"] = background
    write_image(out, result)
    if background_out:
        write_hole_fill(background_out, filled, img, hole)
    write_json(Path(out).with_suffix(".json"), info)
    return info


def write_hole_fill(path: str, filled: np.ndarray, source: np.ndarray, hole: np.ndarray) -> None:
    """The hole's pixels of a fill (exact float32; every other pixel is the source's)."""
    if not np.array_equal(filled[~hole], source[~hole]):
        raise AssertionError(f"{path}: the fill changed pixels outside its hole")

    def save(tmp):
        with open(tmp, "wb") as f:  # a file object: np.savez would add ".npz" to another name
            np.savez(f, shape=np.array(hole.shape), values=filled[hole])

    write_atomic(path, save)


def read_hole_fill(path: str, source: np.ndarray, hole: np.ndarray) -> np.ndarray:
    """The fill write_hole_fill wrote, on this source; refused if it is another hole's."""
    try:
        with np.load(path) as f:  # no pickles: a file is data, never code
            shape, values = tuple(int(v) for v in f["shape"]), np.asarray(f["values"], np.float32)
    except (OSError, ValueError, KeyError) as e:
        raise ImageError(f"{path}: not a hole fill SIMBIL wrote ({e})") from None
    if shape != hole.shape or values.shape != (int(hole.sum()), 3):
        raise ImageError(f"{path}: a fill of another hole ({shape[::-1]}, {len(values)} pixels) than this edit's "
                         f"({hole.shape[::-1]}, {int(hole.sum())} pixels)")
    out = source.copy()
    out[hole] = values
    return out


def evaluate(plan_path: str, image: str, mask: str, outputs: dict[str, str], truth: str | None,
             out_metrics: str, out_sheet: str) -> dict:
    """Score every method's output against the truth (when the edit has one) on the RoI and the
    whole image, and draw the edit's contact sheet."""
    from ..metrics import scores
    from ..report.sheets import edit_sheet

    p = read_json(plan_path)
    gt = read_image(truth) if truth else None
    hole = read_mask(mask)
    pictures = {m: read_image(path) for m, path in outputs.items()}
    rows = []
    for method, path in outputs.items():
        info = read_json(Path(path).with_suffix(".json"))
        rows.append({"edit": p["edit"], "op": p["op"], "image": p["image"], "method": method,
                     "device": info["device"], "seconds": info["seconds"],
                     **(scores(pictures[method], gt, p["roi"], mask=hole) if gt is not None else {})})
    write_json(out_metrics, {"edit": p["edit"], "op": p["op"], "roi": p["roi"], "truth": truth, "rows": rows})
    write_atomic(out_sheet, edit_sheet(read_image(image), hole, p["roi"], pictures, gt).save)
    return {"rows": rows}


def tables(metrics: list[str], out_csv: str, out_md: str, out_html: str, methods: list[str]) -> pd.DataFrame:
    """One row per edit × method; a per-mode × per-method summary in markdown and HTML."""
    from ..report.tables import metrics_table, summary_html, summary_markdown

    df = metrics_table([r for path in metrics for r in read_json(path)["rows"]])
    write_atomic(out_csv, lambda p: df.to_csv(p, index=False))
    write_atomic(out_md, lambda p: Path(p).write_text(summary_markdown(df, methods)))
    write_atomic(out_html, lambda p: Path(p).write_text(summary_html(df)))
    return df


def summary_figure(csv: str, methods: list[str], out: str) -> None:
    import pandas as pd

    from ..report.figures import ssim_bars

    write_atomic(out, ssim_bars(pd.read_csv(csv), methods).save)


def train_roi(out: str, log_json: str, settings: dict, progress=print) -> dict:
    """Train the RNN RoI predictor on generator layouts; the model and its training log."""
    from ..errors import UserError
    from ..roi.train import TrainSettings, save, train

    try:
        s = TrainSettings.make(**settings)
    except (ValueError, TypeError) as e:  # TypeError: settings that are not a mapping
        raise UserError(f"--settings: {e}") from None
    model, info = train(s, log=progress)
    save(out, model, info)
    write_json(log_json, info)
    return info


def chain_graph(plan_path: str, graph_path: str, info_path: str, image: str, out: str) -> dict:
    """The graph of one method's result of an edit, for the edits that build on it."""
    from ..edits.placement import placed_graph

    g = placed_graph(read_json(plan_path), load_graph(graph_path), read_json(info_path))
    g = relocate(g, graph_path, out, image)
    save_graph(out, g)
    return g


def chain_sheet(images: list[str], labels: list[str], out: str) -> None:
    """A chain of edits side by side: its first image, then each step's result."""
    from ..report.sheets import contact_sheet

    write_atomic(out, contact_sheet([[read_image(p) for p in images]], labels, tile=240).save)
