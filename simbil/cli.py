"""The `simbil` command: thin entry points over the package."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import cli_args


SEED_DEVICE_FLAGS = "--set: seed and device are flags of their own: --seed N, --device D"


def cmd_render_pairs(a) -> int:
    from .datasets.pairs import render_pairs

    w, h = a.size
    folders = render_pairs(a.out, a.pairs, a.modes, a.seed, w, h, jobs=a.jobs)
    print(f"wrote {len(folders)} pairs under {a.out}")
    return 0


def cmd_graph(a) -> int:
    from .graphs import read_graph, relocate, save_graph

    cli_args.json_output(a.output, {"INPUT": a.input})
    g = read_graph(a.input, a.format, image=a.image)
    save_graph(a.output, relocate(g, a.input, a.output, a.image))
    print(f"{a.output}: {len(g['objects'])} objects, {len(g['relationships'])} relationships")
    return 0


def cmd_graph_edit(a) -> int:
    from .clevr.properties import VOCABULARY
    from .graphs import apply_edit, read_graph, read_json, relocate, save_graph
    from .graphs.format import NAME_RE

    if a.output:
        cli_args.json_output(a.output, {"GRAPH": a.graph, "EDIT": a.edit})
    g = read_graph(a.graph)  # SIMBIL's format, a CLEVR scene or Visual Genome, as `simbil graph` reads them
    edit = read_json(a.edit)
    if isinstance(edit, dict):  # an edit for one graph need not name itself; its image is the graph's,
        stem = Path(a.edit).stem  # whatever the file says (the config's path checks are not for it)
        edit = {"id": stem if NAME_RE.match(stem) else "edit", **edit, "image": "the graph"}
    new, change = apply_edit(g, edit, VOCABULARY if a.clevr else None)
    if a.output:
        save_graph(a.output, relocate(new, a.graph, a.output))
    print(json.dumps(change, indent=1))
    return 0


def cmd_edit(a) -> int:
    from .edits.make import RunOptions
    from .edits.methods import MethodError, MethodSpec
    from .errors import check_output
    from .inpaint import InpaintError
    from .imageio import output_format
    from .pipeline.direct import edit_image

    output_format(a.output)  # before any work
    check_output(Path(a.output).with_suffix(".json"), "the edited graph")
    if a.sheet:
        output_format(a.sheet, "--sheet")
    cli_args.distinct_files(inputs={"IMAGE": a.image, "--graph": a.graph},
                    outputs={"-o": a.output, "the edited graph": Path(a.output).with_suffix(".json"),
                             "--sheet": a.sheet})
    if {"seed", "device"} & dict(a.set or []).keys():  # the flags would silently win
        raise InpaintError(SEED_DEVICE_FLAGS)
    try:
        spec = MethodSpec.parse(a.method, {"settings": dict(a.set or [])})
    except MethodError as e:  # named by the flags the user typed, not the config's fields
        flags = {"method": "--method", "settings": "--set"}
        raise InpaintError("; ".join(f"{flags.get(f, f)}: {m}" for f, m in e.problems)) from None
    run = RunOptions(a.seed, a.device, None, a.threads, a.quiet)
    specs = edit_image(a.image, a.graph, a.sentences, a.output, spec, run, a.format, a.model, a.bank, a.sheet)
    for s in specs:
        print(f"{s['text']!r}: " + json.dumps({k: v for k, v in s.items() if k not in ("id", "image", "text")}))
    print(f"{a.output}, {Path(a.output).with_suffix('.json')}" + (f", {a.sheet}" if a.sheet else ""))
    return 0


def cmd_inpaint(a) -> int:
    import time

    from .imageio import FEW_COLOURS, LOSSY, output_format, read_image, read_mask, write_filled
    from .inpaint import InpaintError, check_inputs, fill, get_inpainter

    fmt = output_format(a.output)  # before any work
    cli_args.distinct_files(inputs={"IMAGE": a.image, "MASK": a.mask}, outputs={"-o": a.output})
    image, mask = read_image(a.image), read_mask(a.mask)
    try:
        check_inputs(image, mask)
    except InpaintError as e:
        raise InpaintError(f"{a.image}, {a.mask}: {e}") from None
    if mask.mean() > 0.5:  # the fill has less to go on than it must invent: perhaps swapped arguments
        print(f"note: the hole covers {mask.mean():.0%} of the picture; the order is IMAGE MASK", file=sys.stderr)
    inp = get_inpainter(a.method)
    given = dict(a.set or [])
    if inp.torch and {"seed", "device"} & given.keys():  # the flags would silently win
        raise InpaintError(SEED_DEVICE_FLAGS)
    progress = None
    if inp.torch:
        given.update(seed=a.seed, device=a.device)
        if not a.quiet:
            progress = lambda it, n, loss, dt: print(  # noqa: E731
                f"  iteration {it}/{n}  loss {loss:.5f}  {dt:.1f}s", file=sys.stderr, flush=True)
    settings = inp.settings(given)
    t = time.perf_counter()
    out = fill(image, mask, inp, settings, progress)
    write_filled(a.output, a.image, out, mask)
    print(f"{a.output}: {a.method}, {int(mask.sum())} hole pixels, {time.perf_counter() - t:.1f}s")
    if fmt in LOSSY | FEW_COLOURS:
        print(f"note: {fmt} does not keep every colour, so pixels outside the hole changed too; a .png keeps them",
              file=sys.stderr)
    return 0


def cmd_segment(a) -> int:
    import numpy as np

    from .imageio import LOSSY, ImageError, output_format, read_image, write_image
    from .segment import SegmentError, SegmentSettings, segment

    if output_format(a.output) in LOSSY:  # before any work
        raise ImageError(f"{a.output}: a mask must be lossless (.png): {Path(a.output).suffix} would make its "
                         "compression noise part of the object")
    cli_args.distinct_files(inputs={"IMAGE": a.image}, outputs={"-o": a.output})
    try:
        settings = SegmentSettings.make(iterations=a.iterations, pad=a.pad)
    except ValueError as e:
        raise SegmentError(str(e)) from None
    image = read_image(a.image)
    m = segment(image, a.box.split(","), settings)
    if not m.any():  # an empty mask, which inpaint would refuse only later
        raise SegmentError(f"{a.image}: GrabCut found no object in the box {a.box} (all of it looks like the "
                           "background around it); nothing written")
    write_image(a.output, m.astype(np.uint8) * 255)
    print(f"{a.output}: {int(m.sum())} object pixels")
    return 0


def build_parser() -> argparse.ArgumentParser:
    from .ops import MODES
    from .pipeline.commands import parse_size, add_stage_parser

    p = argparse.ArgumentParser(prog="simbil", description="Scene-graph image editing with background-guided internal learning.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("render-pairs", help="render CLEVR-like before/after pairs (no Blender)")
    r.add_argument("--out", required=True, type=cli_args.folder, help="output folder; pairs go to OUT/<mode>/<pair>/")
    r.add_argument("--pairs", type=cli_args.pairs, default=4, help="pairs per mode (default 4)")
    r.add_argument("--modes", type=cli_args.modes, default=list(MODES), help=f"comma-separated, from {','.join(MODES)}")
    r.add_argument("--seed", type=cli_args.seed, default=0)
    r.add_argument("--size", type=parse_size, default=(320, 240), help="WxH, default 320x240, at most 1920x1080")
    r.add_argument("--jobs", type=cli_args.positive, default=1, help="processes rendering in parallel")
    r.set_defaults(func=cmd_render_pairs)

    g = sub.add_parser("graph", help="read a CLEVR, Visual Genome or SIMBIL graph and write SIMBIL's format")
    g.add_argument("input")
    g.add_argument("-o", "--output", required=True)
    g.add_argument("--format", choices=["auto", "clevr", "vg", "graph"], default="auto")
    g.add_argument("--image", help="image path to record in the graph")
    g.set_defaults(func=cmd_graph)

    e = sub.add_parser("edit", help="edit one image by sentences, in order, each on the result of the one before")
    e.add_argument("image")
    e.add_argument("sentences", nargs="+", metavar="SENTENCE", help='e.g. "remove the red cube"')
    e.add_argument("--graph", required=True, help="its scene graph (CLEVR, Visual Genome or SIMBIL JSON)")
    e.add_argument("-o", "--output", required=True, help="the edited image; its graph goes beside it (.json)")
    e.add_argument("--method", default="bgdip", help="a registered inpainter (default bgdip)")
    e.add_argument("--set", type=cli_args.setting, action="append", metavar="KEY=VALUE", help="a method setting")
    e.add_argument("--sheet", help="the steps side by side, as a PNG")
    e.add_argument("--format", choices=["auto", "clevr", "vg", "graph"], default="auto")
    e.add_argument("--model", help="the RoI predictor (results/models/roi.pt) for moves and additions on a "
                                   "graph without a camera (a photo); without it they start from the heuristic's "
                                   "box. With a camera, free floor places them either way")
    e.add_argument("--bank", help="an object bank folder (results/bank); default: one harvested once into "
                                  "~/.cache/simbil")
    e.add_argument("--seed", type=cli_args.seed, default=0)
    e.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    e.add_argument("--threads", type=cli_args.positive, default=1, help="torch threads (the pipeline's default is 1)")
    e.add_argument("-q", "--quiet", action="store_true")
    e.set_defaults(func=cmd_edit)

    ge = sub.add_parser("graph-edit", help="apply one edit (JSON) to a graph and print what changed")
    ge.add_argument("graph")
    ge.add_argument("edit")
    ge.add_argument("-o", "--output", help="write the edited graph here")
    ge.add_argument("--clevr", action="store_true", help="check names against the CLEVR vocabulary")
    ge.set_defaults(func=cmd_graph_edit)

    i = sub.add_parser("inpaint", help="fill the nonzero pixels of MASK in IMAGE")
    i.add_argument("image")
    i.add_argument("mask", help="the hole: a lossless image the picture's size whose non-black pixels are the "
                                "hole (palette masks by their colours, transparent pixels never; no JPEG)")
    i.add_argument("-o", "--output", required=True)
    i.add_argument("--method", default="bgdip", help="a registered inpainter (docs/config.md lists them); default bgdip")
    i.add_argument("--seed", type=cli_args.seed, default=0)
    i.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    i.add_argument("--set", type=cli_args.setting, action="append", metavar="KEY=VALUE",
                   help="a method setting, e.g. --set iterations=500 (repeatable)")
    i.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    i.set_defaults(func=cmd_inpaint)

    sg = sub.add_parser("segment", help="outline the object inside a box (GrabCut) and write its mask")
    sg.add_argument("image")
    sg.add_argument("--box", required=True, help="x0,y0,x1,y1 in pixels (x1, y1 exclusive)")
    sg.add_argument("-o", "--output", required=True)
    sg.add_argument("--iterations", type=int, default=5)
    sg.add_argument("--pad", type=int, default=2, help="pixels added around the box")
    sg.set_defaults(func=cmd_segment)

    add_stage_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    from .errors import UserError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as e:
        print(f"simbil: error: {e}", file=sys.stderr)
        return 2
    except FileNotFoundError as e:  # outputs make their folders: this is an input (a --bank, a --model)
        print(f"simbil: error: {e.filename or ''}: no such file or folder", file=sys.stderr)
        return 2
    except OSError as e:  # an output that cannot be written: a folder, a read-only place, a full disk
        print(f"simbil: error: {e.filename or ''}: cannot write: {e.strerror or e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
