"""`simbil edit`: one image, one or more edits in words, one command, no config. The same stage
functions as the pipeline run in-process, step by step, each on the result and graph of the one
before (a chain). Every sentence is resolved before any pixel is made, so bad input writes
nothing."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..clevr.properties import VOCABULARY
from ..edits.make import RunOptions
from ..edits.methods import MethodSpec
from ..graphs import EditError, apply_edit, edit_problems, left_to_place, load_graph
from ..imageio import read_image, write_filled
from ..language import ResolveError, resolve
from ..ops import OPS
from . import stages
from .checks import spec_problems
from .user_files import object_mask_problems


HIDDEN = 0.5  # a placed object less in view than this gets a warning


def plan_sentences(graph: dict, sentences: list[str]) -> list[dict]:
    """Each sentence as an edit, resolved on the graph the edits before it leave."""
    clevr = bool(graph.get("camera"))
    specs, placed = [], set()
    for k, text in enumerate(sentences, 1):
        try:
            said = resolve(text, graph, clevr)
        except ResolveError as e:  # which sentence: a later one reads the graph the earlier ones leave
            raise ResolveError(f"step {k} ({text!r}): {e}") from None
        spec = {"id": f"step-{k}", "image": "input", "text": text, **said}
        problems = edit_problems(spec, graph, VOCABULARY if clevr else None) or spec_problems(spec, graph, placed)
        if problems:
            raise EditError(f"step {k} ({text!r})", problems)
        graph, change = apply_edit(graph, spec)
        placed |= left_to_place(change)
        specs.append(spec)
    return specs


def edit_image(image: str, graph: str, sentences: list[str], out: str, spec: MethodSpec, run: RunOptions,
               fmt: str = "auto", model: str | None = None, bank: str | None = None, sheet: str | None = None,
               dilate: int = 2, shadow: str = "known") -> list[dict]:
    """Write the edited image to `out`, its graph beside it (`.json`), and the steps side by side
    to `sheet`; return the edits as resolved."""
    say = (lambda m: None) if run.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    work = Path(tempfile.mkdtemp(prefix="simbil-edit-"))
    try:
        g_path = str(work / "graph.json")
        stages.make_graph(graph, g_path, image, fmt)
        g = load_graph(g_path)
        source = read_image(image)
        H, W = source.shape[:2]
        if (g["width"], g["height"]) != (W, H):
            raise EditError("input", [("graph", f"{graph} describes a {g['width']}x{g['height']} image, "
                                                f"but {image} is {W}x{H}")])
        _check_object_masks(graph, g_path, g)
        specs = plan_sentences(g, sentences)
        if any(_takes_bank(s) for s in specs) and bank is None:
            bank = _default_bank(say)
        if any(OPS[s["op"]].needs_model for s in specs) and model is None:
            spec = replace(spec, roi="heuristic")
            if not g.get("camera"):  # with a camera the floor, not a predicted box, decides (simbil.roi.floor)
                say("no --model: moves and additions go to the geometric heuristic's box")
        img_path, shown = image, [image]
        for k, s in enumerate(specs, 1):
            say(f"[{k}/{len(specs)}] {s['text']!r}: {s['op']} {s.get('target', '')}".rstrip())
            d = work / f"step-{k}"
            stages.edit_spec(str(d / "edit.json"), s["id"], "input", spec=json.dumps(s))
            stages.removal_mask(str(d / "edit.json"), g_path, str(d / "mask.png"), dilate, shadow,
                                str(d / "outline.png"))
            stages.plan(str(d / "edit.json"), g_path, str(d / "plan.json"), str(d / "graph.json"), model)
            result = str(d / f"{spec.name}.png")
            info = stages.make_edit(img_path, str(d / "mask.png"), result, spec, run, str(d / "plan.json"), g_path,
                                    bank, str(d / "outline.png"))
            if info.get("visible") is not None and info["visible"] < HIDDEN:
                hint = ("; stating it in front of the objects that hide it brings it forward" if g.get("camera")
                        else "; --model places it by the trained predictor" if model is None else "")
                print(f"warning: step {k} ({s['text']!r}): nearer objects hide {1 - info['visible']:.0%} of the placed "
                      f"object{hint}", file=sys.stderr)
            stages.chain_graph(str(d / "plan.json"), str(d / "graph.json"), str(d / f"{spec.name}.json"), result,
                               str(d / "result.graph.json"))
            img_path, g_path = result, str(d / "result.graph.json")
            shown.append(result)
        result = read_image(img_path)  # the steps' files are 8-bit: what they left alone keeps the input's values
        changed = np.abs(result - source).max(axis=-1) > 0.5 / 255 + 1e-6
        write_filled(out, image, result, changed)
        stages.make_graph(g_path, str(Path(out).with_suffix(".json")), out, "graph")
        if sheet:
            stages.chain_sheet(shown, ["input", *sentences], sheet)
        return specs
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check_object_masks(graph: str, g_path: str, g: dict) -> None:
    """Every object's mask file exists and is the image's size, named as the user's graph names it
    (the steps read a copy of the graph in a temporary folder, which their messages would name)."""
    from ..graphs.format import GraphError

    problems = object_mask_problems(g_path, g)
    if problems:
        raise GraphError(graph, "", "; ".join(problems))


def _takes_bank(spec: dict) -> bool:
    """Whether an edit's pixels come from the object bank (a repaint keeps the object's own)."""
    return OPS[spec["op"]].needs_bank and (spec["op"] != "attribute" or "material" in spec["attributes"])


def _default_bank(say) -> str:
    """The object bank the pipeline's default harvests, kept in the user's cache folder."""
    from ..datasets.bank import SCENES

    folder = Path.home() / ".cache" / "simbil" / f"bank-{SCENES}-0-320x240-shadows"  # harvests with shadows
    if not (folder / "index.json").exists():
        say(f"harvesting the object bank into {folder} (once)")
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        stages.object_bank(str(tmp), SCENES, 0, 320, 240)
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    return str(folder)

