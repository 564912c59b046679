"""Hostile input, as a user who means harm or makes every mistake would give it: each case
asserts the exit status, that the message names the file or field, and that nothing already in
results/ changed. docs/hostile-input.md lists the cases and what SIMBIL does with each."""

from __future__ import annotations

import hashlib
import json
import shlex
import shutil
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

from simbil.cli import main
from simbil.errors import UserError
from simbil.imageio import read_image
from test_pipeline import REPO, snakemake

DOC = REPO / "docs" / "hostile-input.md"


def checksums(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def png(path: Path, a: np.ndarray, mode: str | None = None) -> Path:
    Image.fromarray(a, mode).save(path)
    return path


def huge_png_header(path: Path, w: int, h: int) -> Path:
    """A PNG that says it is w×h: its header alone (the reader must refuse before decoding)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
                     + chunk(b"IEND", b""))
    return path


@pytest.fixture
def files(tmp_path) -> Path:
    """A folder with good and bad inputs, and a results/ folder whose bytes must not change."""
    d = tmp_path
    rng = np.random.default_rng(0)
    img = (rng.random((48, 64, 3)) * 255).astype(np.uint8)
    png(d / "img.png", img)
    mask = np.zeros((48, 64), np.uint8)
    mask[20:28, 30:40] = 255
    png(d / "mask.png", mask)
    png(d / "empty.png", np.zeros((48, 64), np.uint8))
    png(d / "full.png", np.full((48, 64), 255, np.uint8))
    png(d / "small-mask.png", np.full((10, 10), 255, np.uint8))
    png(d / "i16.png", (np.linspace(0, 65535, 48 * 64).reshape(48, 64)).astype(np.uint16))
    rgba = np.zeros((48, 64, 4), np.uint8)
    rgba[..., 3] = 255  # opaque black everywhere: no hole
    png(d / "rgba-black.png", rgba)
    Image.fromarray(mask).save(d / "mask.jpg", quality=70)
    pal = Image.new("P", (64, 48), 0)
    pal.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)  # index 0 is white: the hole
    pal.paste(1, (0, 0, 64, 48))
    pal.paste(0, (30, 20, 40, 28))
    pal.save(d / "palette-mask.png")
    png(d / "tiny.png", np.full((2, 2, 3), 90, np.uint8))
    png(d / "tiny-mask.png", np.array([[255, 0], [0, 0]], np.uint8))
    png(d / "line.png", np.full((1, 400, 3), 90, np.uint8))
    line_mask = np.zeros((1, 400), np.uint8)
    line_mask[0, 100:110] = 255
    png(d / "line-mask.png", line_mask)
    huge_png_header(d / "huge.png", 20000, 10000)
    (d / "text.png").write_text("not an image")
    (d / "truncated.png").write_bytes((d / "img.png").read_bytes()[:200])
    (d / "folder").mkdir()
    (d / "folder.json").mkdir()
    g = {"image": "img.png", "width": 64, "height": 48,
         "objects": [{"id": "o1", "name": "cube", "bbox": [30, 20, 40, 28], "mask": None}]}
    (d / "bare-graph.json").write_text(json.dumps(g))  # no relationships, no attributes
    black = {**g, "objects": [{**g["objects"][0], "attributes": {"color": "black"}}]}
    (d / "black-graph.json").write_text(json.dumps(black))
    (d / "big-graph.json").write_text(json.dumps({**g, "width": 640, "height": 480}))
    for name, mask in (("ghost", "nothere.png"), ("tiny", "tiny-mask.png")):
        (d / f"{name}-mask-graph.json").write_text(json.dumps({**g, "objects": [{**g["objects"][0], "mask": mask}]}))
    (d / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    cube = {"shape": "cube", "color": "red", "material": "rubber", "size": "large", "bbox": [30, 20, 40, 28]}
    (d / "clevr-odd.json").write_text(json.dumps({"width": 64, "height": 48, "objects": [cube, 5],
                                                 "relationships": {"left": [[], []]}}))
    (d / "vg-odd.json").write_text(json.dumps({"width": 64, "height": 48, "relationships": [5],
                                              "objects": [{"object_id": 1, "names": ["cube"], "x": 30, "y": 20,
                                                           "w": 10, "h": 8}]}))
    vg = {"image": {"url": "https://example.org/1.jpg", "width": 64, "height": 48},
          "objects": [{"object_id": 1, "names": ["tennis racket"], "x": 30, "y": 20, "w": 10, "h": 8},
                      {"object_id": 2, "names": ["Ball"], "x": 2, "y": 2, "w": 9, "h": 9}]}
    (d / "vg-url.json").write_text(json.dumps(vg))
    (d / "vg-names-string.json").write_text(json.dumps({**vg, "objects": [{**vg["objects"][0], "names": "ball"}]}))
    (d / "vg-infinite.json").write_text(json.dumps(vg).replace('"width": 64', '"width": Infinity'))
    png(d / "flat.png", np.full((48, 64, 3), 128, np.uint8))
    (d / "latin1.json").write_bytes(b'{"image": "caf\xe9.png"}')
    (d / "truncated.json").write_text('{"image": "img.png", "width": 64, "objects": [')
    (d / "edit-ghost.json").write_text(json.dumps({"id": "e", "image": "x", "op": "remove", "target": "o9"}))
    (d / "edit-remove.json").write_text(json.dumps({"id": "e", "image": "x", "op": "remove", "target": "o1"}))
    (d / "edit-explode.json").write_text(json.dumps({"id": "e", "image": "x", "op": "explode", "target": "o1"}))
    (d / "results").mkdir()
    (d / "results" / "kept.png").write_bytes((d / "img.png").read_bytes())
    return d


def _has_cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def _id(case) -> str:
    return case.values[0] if hasattr(case, "values") else case[0]


# (case id, argv, exit status, words the message must hold)
CLI = [
    ("inpaint-lr-inf", "inpaint img.png mask.png -o results/kept.png --set lr=inf", 2, ["lr", "finite"]),
    ("inpaint-lr-nan", "inpaint img.png mask.png -o results/kept.png --set lr=nan", 2, ["lr", "finite"]),
    ("inpaint-guidance-nan", "inpaint img.png mask.png -o results/kept.png --set guidance_weight=nan", 2,
     ["guidance_weight"]),
    ("inpaint-iterations-float", "inpaint img.png mask.png -o results/kept.png --set iterations=2.5", 2,
     ["iterations", "int"]),
    ("inpaint-iterations-text", "inpaint img.png mask.png -o results/kept.png --set iterations=abc", 2,
     ["iterations"]),
    ("inpaint-skip-negative", "inpaint img.png mask.png -o results/kept.png --set skip_channels=-1", 2,
     ["skip_channels", ">= 0"]),
    ("inpaint-crop-negative", "inpaint img.png mask.png -o results/kept.png --set crop_margin=-1", 2,
     ["crop_margin"]),
    ("inpaint-seam-negative", "inpaint img.png mask.png -o results/kept.png --set seam=-5", 2, ["seam"]),
    ("inpaint-resolution-zero", "inpaint img.png mask.png -o results/kept.png --set max_resolution=0", 2,
     ["max_resolution"]),
    ("inpaint-telea-iterations", "inpaint img.png mask.png -o results/kept.png --method telea --set iterations=5",
     2, ["telea", "iterations"]),
    ("inpaint-unknown-method", "inpaint img.png mask.png -o results/kept.png --method magic", 2, ["magic"]),
    ("inpaint-seed-by-set", "inpaint img.png mask.png -o results/kept.png --set seed=5", 2, ["--seed N"]),
    ("edit-words-device-by-set", "edit img.png --graph bare-graph.json 'remove the cube' --set device=cpu "
     "-o results/out.png", 2, ["--device D"]),
    ("inpaint-unknown-setting", "inpaint img.png mask.png -o results/kept.png --set foo=1", 2, ["foo"]),
    ("inpaint-setting-no-value", "inpaint img.png mask.png -o results/kept.png --set lr", 2, ["KEY=VALUE"]),
    ("inpaint-no-image", "inpaint nothere.png mask.png -o results/kept.png", 2, ["nothere.png", "no such file"]),
    ("inpaint-image-folder", "inpaint folder mask.png -o results/kept.png", 2, ["folder", "is a folder"]),
    ("inpaint-image-text", "inpaint text.png mask.png -o results/kept.png", 2, ["text.png", "not a readable"]),
    ("inpaint-image-truncated", "inpaint truncated.png mask.png -o results/kept.png", 2,
     ["truncated.png", "not a readable"]),
    ("inpaint-image-bomb", "inpaint huge.png mask.png -o results/kept.png", 2,
     ["huge.png", "20000x10000", "SIMBIL_MAX_PIXELS"]),
    ("inpaint-mask-size", "inpaint img.png small-mask.png -o results/kept.png --method telea", 2,
     ["img.png", "small-mask.png", "10x10", "64x48"]),
    ("inpaint-mask-empty", "inpaint img.png empty.png -o results/kept.png --method telea", 2, ["empty"]),
    ("inpaint-mask-full", "inpaint img.png full.png -o results/kept.png --method telea", 2, ["whole image"]),
    ("inpaint-mask-rgba-opaque-black", "inpaint img.png rgba-black.png -o results/kept.png --method telea", 2,
     ["empty"]),
    ("inpaint-mask-jpeg", "inpaint img.png mask.jpg -o results/kept.png --method telea", 2, ["mask.jpg", "JPEG"]),
    ("inpaint-output-folder", "inpaint img.png mask.png -o folder --method telea", 2, ["folder", "cannot write"]),
    ("inpaint-output-extension", "inpaint img.png mask.png -o results/kept.txt", 2, ["kept.txt", "--output", ".txt"]),
    ("inpaint-output-no-extension", "inpaint img.png mask.png -o results/kept", 2, ["results/kept", "no extension"]),
    pytest.param("inpaint-cuda-absent", "inpaint img.png mask.png -o results/kept.png --device cuda", 2, ["cuda"],
                 marks=pytest.mark.skipif(_has_cuda(), reason="this machine has a CUDA device")),
    ("segment-pad-negative", "segment img.png --box 30,20,40,28 --pad -50 -o results/kept.png", 2, ["pad", ">= 0"]),
    ("segment-iterations-zero", "segment img.png --box 30,20,40,28 --iterations 0 -o results/kept.png", 2,
     ["iterations", ">= 1"]),
    ("segment-box-outside", "segment img.png --box 30,20,400,28 -o results/kept.png", 2, ["outside"]),
    ("segment-box-empty", "segment img.png --box 30,20,30,28 -o results/kept.png", 2, ["zero or negative"]),
    ("segment-box-words", "segment img.png --box a,b,c,d -o results/kept.png", 2, ["four numbers"]),
    ("segment-box-infinite", "segment img.png --box inf,20,40,28 -o results/kept.png", 2, ["four numbers", "finite"]),
    ("segment-output-folder", "segment img.png --box 20,10,50,40 -o folder", 2, ["folder", "cannot write"]),
    ("segment-output-jpeg", "segment img.png --box 20,10,50,40 -o results/m.jpg", 2, ["m.jpg", "lossless"]),
    ("segment-output-extension", "segment img.png --box 20,10,50,40 -o results/m.txt", 2, ["m.txt", "--output"]),
    ("graph-deep-json", "graph deep.json -o results/kept.json", 2, ["deep.json", "nested too deeply"]),
    ("graph-not-utf8", "graph latin1.json -o results/kept.json", 2, ["latin1.json", "UTF-8"]),
    ("graph-truncated", "graph truncated.json -o results/kept.json", 2, ["truncated.json", "truncated JSON"]),
    ("graph-missing", "graph nothere.json -o results/kept.json", 2, ["nothere.json"]),
    ("graph-clevr-odd-object", "graph clevr-odd.json -o results/kept.json", 2,
     ["clevr-odd.json", "not a readable CLEVR scene"]),
    ("graph-vg-odd-relationship", "graph vg-odd.json -o results/kept.json", 2,
     ["vg-odd.json", "not a readable Visual Genome graph"]),
    ("graph-output-folder", "graph bare-graph.json -o folder", 2, ["folder", "cannot write"]),
    ("graph-output-not-json", "graph bare-graph.json -o results/kept.png", 2, ["results/kept.png", ".json name"]),
    ("graph-output-is-input", "graph bare-graph.json -o bare-graph.json", 2, ["would overwrite INPUT"]),
    ("graph-vg-names-string", "graph vg-names-string.json -o results/g.json", 2,
     ["vg-names-string.json", "objects[0].names", "the string 'ball'"]),
    ("graph-vg-infinite-size", "graph vg-infinite.json -o results/g.json", 2,
     ["vg-infinite.json", "width/height", "inf"]),
    ("inpaint-output-is-mask", "inpaint img.png mask.png -o mask.png --method telea", 2, ["would overwrite MASK"]),
    ("inpaint-output-under-a-file", "inpaint img.png mask.png -o img.png/out.png --method telea", 2,
     ["img.png/out.png", "img.png is a file, not a folder"]),
    ("segment-output-is-image", "segment img.png --box 20,10,50,40 -o img.png", 2, ["would overwrite IMAGE"]),
    ("segment-nothing-found", "segment flat.png --box 20,10,50,40 -o results/m.png", 2,
     ["flat.png", "found no object", "nothing written"]),
    ("edit-words-sheet-under-a-file", "edit img.png --graph bare-graph.json 'remove the cube' -o results/out.png "
     "--sheet img.png/s.png", 2, ["img.png is a file, not a folder"]),
    ("edit-words-graph-out-folder", "edit img.png --graph bare-graph.json 'remove the cube' -o folder.png", 2,
     ["folder.json", "the edited graph", "is a folder"]),
    ("edit-words-threads-zero", "edit img.png --graph bare-graph.json 'remove the cube' --threads 0 "
     "-o results/out.png", 2, ["--threads", "1 to"]),
    ("edit-words-endless-clauses", "edit img.png --graph bare-graph.json 'remove the cube" + " left of the cube" * 1500
     + "' -o results/out.png", 2, ["too many clauses"]),
    ("render-pairs-too-many", "render-pairs --out results/pairs --pairs 2000000", 2, ["--pairs", "1 to 1000000"]),
    ("stage-pair-index-negative", "stage pair --root results/pairs --mode removal --index -1", 2,
     ["--index", "0 to 999999"]),
    ("stage-pair-mode-unknown", "stage pair --root results/pairs --mode teleport --index 0", 2, ["teleport"]),
    ("stage-block-malformed", "stage block-pairs -o results/b --mode removal --block abc", 2, ["--block", "abc"]),
    ("stage-photo-unknown", "stage photo nope -o results/p.png", 2, ["'nope'", "astronaut"]),
    ("stage-train-roi-bad-settings", "stage train-roi -o results/m.pt --log-json results/l.json "
     "--settings '{\"epochs\": -1}'", 2, ["--settings", "epochs", ">= 1"]),
    ("edit-unknown-target", "graph-edit bare-graph.json edit-ghost.json -o results/kept.json", 2, ["target", "o9"]),
    ("edit-unknown-op", "graph-edit bare-graph.json edit-explode.json -o results/kept.json", 2, ["op", "explode"]),
    ("edit-deep-json", "graph-edit bare-graph.json deep.json -o results/kept.json", 2, ["deep.json", "nested"]),
    ("edit-output-folder", "graph-edit bare-graph.json edit-remove.json -o folder", 2, ["folder", "cannot write"]),
    ("edit-words-unknown-object", "edit img.png --graph bare-graph.json 'remove the sphere' -o results/kept.png", 2,
     ["'sphere'", "cube"]),
    ("edit-words-plural", "edit img.png --graph bare-graph.json 'remove the cubes' -o results/kept.png", 2,
     ["several"]),
    ("edit-words-no-verb", "edit img.png --graph bare-graph.json 'the cube, please' -o results/kept.png", 2,
     ["start with what to do"]),
    ("edit-words-second-step", "edit img.png --graph bare-graph.json 'remove the cube' 'remove the cube' "
     "-o results/kept.png", 2, ["'cube'"]),
    ("edit-words-bad-method", "edit img.png --graph bare-graph.json 'remove the cube' --method magic "
     "-o results/kept.png", 2, ["magic"]),
    ("edit-words-unpaintable", "edit img.png --graph black-graph.json 'make the cube red' -o results/kept.png", 2,
     ["'black'", "cannot unpaint"]),
    ("edit-words-graph-size", "edit img.png --graph big-graph.json 'remove the cube' -o results/kept.png", 2,
     ["big-graph.json", "640x480", "img.png", "64x48"]),
    ("edit-words-mask-missing", "edit img.png --graph ghost-mask-graph.json 'remove the cube' -o results/out.png", 2,
     ["ghost-mask-graph.json: objects[0].mask: no such file 'nothere.png'"]),
    ("edit-words-mask-size", "edit img.png --graph tiny-mask-graph.json 'remove the cube' -o results/out.png", 2,
     ["tiny-mask-graph.json: objects[0].mask: 'tiny-mask.png' is 2x2, the image 64x48"]),
    ("edit-words-bad-setting", "edit img.png --graph bare-graph.json 'remove the cube' --set iterationz=3 "
     "-o results/kept.png", 2, ["--set", "iterationz"]),
    ("edit-words-output-extension", "edit img.png --graph bare-graph.json 'remove the cube' -o results/out.txt",
     2, ["out.txt", "--output"]),
    ("edit-words-sheet-extension", "edit img.png --graph bare-graph.json 'remove the cube' -o results/out.png "
     "--sheet results/sheet.doc", 2, ["sheet.doc", "--sheet"]),
    ("edit-words-graph-overwritten", "edit img.png --graph bare-graph.json 'remove the cube' -o bare-graph.png", 2,
     ["the edited graph (bare-graph.json) would overwrite --graph"]),
    ("edit-words-sheet-is-output", "edit img.png --graph bare-graph.json 'remove the cube' -o results/out.png "
     "--sheet results/out.png", 2, ["--sheet (results/out.png) would overwrite -o"]),
    ("inpaint-output-unwritable-format", "inpaint img.png mask.png -o results/kept.h5 --method telea", 2,
     ["kept.h5", "Pillow can write"]),
    ("render-size-zero", "render-pairs --out results/pairs --size 0x0", 2, ["size"]),
    ("render-seed-negative", "render-pairs --out results/pairs --seed -1", 2, ["--seed", "0 to 2^32-1"]),
    ("render-size-narrow", "render-pairs --out results/pairs --size 64x480", 2, ["width / height"]),
    ("render-out-empty", "render-pairs --out ''", 2, ["--out", "must name a folder"]),
    ("render-mode-unknown", "render-pairs --out results/pairs --modes teleport", 2, ["teleport"]),
]


@pytest.mark.parametrize("case, argv, status, words", CLI, ids=[_id(c) for c in CLI])
def test_cli_refuses_hostile_input(files, monkeypatch, capsys, case, argv, status, words):
    monkeypatch.chdir(files)
    before = checksums(files / "results")
    try:
        code = main(shlex.split(argv))
    except SystemExit as e:  # argparse's own refusals
        code = e.code
    err = capsys.readouterr().err
    assert code == status, err
    for w in words:
        assert w in err, (w, err)
    assert checksums(files / "results") == before
    assert not list(files.rglob(".*tmp*")), "a temporary file was left behind"
    assert not (files / "results" / "pairs").exists()


# Input that used to be misread or to crash and is now handled: (case id, argv, check of the output)
def _not_white(out, files):
    return out.mean() < 0.9


def _only_the_palette_hole_changed(out, files):
    src = np.asarray(Image.open(files / "img.png"), np.float32) / 255
    changed = np.abs(out - src).max(axis=2) > 1 / 255
    return changed[20:28, 30:40].any() and not changed[:, :25].any()


WORKS = [
    ("inpaint-16-bit-image", "inpaint i16.png mask.png -o out.png --method telea", _not_white),
    ("inpaint-palette-mask", "inpaint img.png palette-mask.png -o out.png --method telea",
     _only_the_palette_hole_changed),
    ("inpaint-2x2-bgdip", "inpaint tiny.png tiny-mask.png -o out.png -q --set iterations=3", None),
    ("inpaint-1x400-bgdip", "inpaint line.png line-mask.png -o out.png -q --set iterations=3", None),
    ("graph-without-relationships", "graph bare-graph.json -o out.json", None),
    ("edit-graph-without-attributes", "graph-edit bare-graph.json edit-remove.json -o out.json", None),
]


@pytest.mark.parametrize("case, argv, check", WORKS, ids=[c[0] for c in WORKS])
def test_awkward_but_valid_input_works(files, monkeypatch, case, argv, check):
    monkeypatch.chdir(files)
    assert main(shlex.split(argv)) == 0
    out_path = files / argv.split("-o ")[1].split()[0]
    if out_path.suffix == ".png":
        out = read_image(out_path)  # by its bit depth: Pillow's own RGB of 16-bit clips at 255
        assert check is None or check(out, files)
    else:
        g = json.loads(out_path.read_text())
        assert g["relationships"] == [] and all(o["attributes"] == {} for o in g["objects"])


def _picture(mode: str) -> Image.Image:
    rng = np.random.default_rng(1)
    rgb = (rng.random((48, 64, 3)) * 255).astype(np.uint8)
    if mode == "I;16":
        return Image.fromarray((rng.random((48, 64)) * 65535).astype(np.uint16))
    if mode == "RGBA":
        return Image.fromarray(np.dstack([rgb, (rng.random((48, 64)) * 255).astype(np.uint8)]))
    return Image.fromarray(rgb).convert(mode.split()[-1])  # an opaque RGBA, as CLEVR's renders are


@pytest.mark.parametrize("mode, written", [("RGB", "RGB"), ("L", "L"), ("LA", "L"), ("RGBA", "RGBA"),
                                           ("opaque RGBA", "RGB"), ("I;16", "I;16"), ("P", "RGB")])
def test_inpaint_keeps_every_pixel_outside_the_hole_in_the_input_mode(files, monkeypatch, mode, written):
    """Gray stays gray, 16-bit stays 16-bit, alpha is kept where it says something (LA's and a
    palette's converted alpha are opaque); outside the hole the output holds the input's values
    bit for bit."""
    monkeypatch.chdir(files)
    src = _picture(mode)
    src.save(files / "pic.png")
    assert main(shlex.split("inpaint pic.png mask.png -o out.png --method telea")) == 0
    out = Image.open(files / "out.png")
    assert out.mode == written
    want = np.asarray(src.convert(written))
    got = np.asarray(out)
    hole = np.asarray(Image.open(files / "mask.png")) > 0
    assert got.dtype == want.dtype and np.array_equal(got[~hole], want[~hole])
    assert not np.array_equal(got[hole], want[hole])


def test_edit_in_words_keeps_the_input_mode_and_the_pixels_it_left_alone(files, monkeypatch):
    monkeypatch.chdir(files)
    src = _picture("RGBA")
    src.save(files / "pic.png")
    g = json.loads((files / "bare-graph.json").read_text())
    g["objects"][0]["mask"] = "mask.png"  # the cube's outline: the fixture's hole
    (files / "pic.json").write_text(json.dumps({**g, "image": "pic.png"}))
    assert main(shlex.split("edit pic.png --graph pic.json 'remove the cube' -o out.png --method telea -q")) == 0
    out = Image.open(files / "out.png")
    got, want = np.asarray(out), np.asarray(src)
    assert out.mode == "RGBA" and np.array_equal(got[..., 3], want[..., 3])  # the alpha, everywhere
    same = (got == want).all(axis=-1)
    assert not same[20:28, 30:40].all() and same[:, :20].all()  # the cube's place changed, far from it nothing


def test_a_hole_over_most_of_the_picture_gets_a_note_on_the_argument_order(files, monkeypatch, capsys):
    monkeypatch.chdir(files)
    big = np.full((48, 64), 255, np.uint8)
    big[:10] = 0
    png(files / "big.png", big)
    assert main(shlex.split("inpaint img.png big.png -o out.png --method telea")) == 0
    assert "IMAGE MASK" in capsys.readouterr().err
    assert main(shlex.split("inpaint img.png mask.png -o out2.png --method telea")) == 0
    assert "IMAGE MASK" not in capsys.readouterr().err


def test_inpaint_into_a_jpeg_or_gif_says_the_rest_changed(files, monkeypatch, capsys):
    monkeypatch.chdir(files)
    assert main(shlex.split("inpaint i16.png mask.png -o out.jpg --method telea")) == 0  # 16-bit cannot be a JPEG
    assert "pixels outside the hole changed" in capsys.readouterr().err
    assert Image.open(files / "out.jpg").mode == "RGB"
    assert main(shlex.split("inpaint img.png mask.png -o out.gif --method telea")) == 0  # 256 colours at most
    assert "pixels outside the hole changed" in capsys.readouterr().err
    assert main(shlex.split("inpaint img.png mask.png -o out.tif --method telea")) == 0
    assert "changed" not in capsys.readouterr().err


def test_a_shadow_mask_of_the_wrong_size_is_named(files, monkeypatch, capsys):
    monkeypatch.chdir(files)
    png(files / "m.png", np.zeros((48, 64), np.uint8))
    png(files / "s.png", np.zeros((10, 10), np.uint8))
    g = json.loads((files / "bare-graph.json").read_text())
    g["objects"][0].update(mask="m.png", shadow_mask="s.png")
    (files / "g.json").write_text(json.dumps(g))
    before = checksums(files / "results")
    code = main("stage mask edit-remove.json g.json -o results/kept.png".split())
    err = capsys.readouterr().err
    assert code == 2 and "shadow_mask" in err and "g.json" in err and "10x10" in err
    assert checksums(files / "results") == before


@pytest.mark.parametrize("argv", ["stage edit --id e --image i --spec {",
                                  "stage inpaint i.png m.png -o o.png --spec nope",
                                  "stage train-roi -o m.pt --log-json l.json --settings [1,"])
def test_a_stage_given_malformed_json_says_so(argv, files, monkeypatch, capsys):
    monkeypatch.chdir(files)
    with pytest.raises(SystemExit) as e:
        main(shlex.split(argv))
    assert e.value.code == 2 and "not JSON" in capsys.readouterr().err
    assert not any((files / f).exists() for f in ("o.png", "m.pt", "l.json"))


# --- the pipeline: bad configs refused before any job, exit status 2, results/ untouched ---

GOOD_EDIT = {"id": "remove-green-cube", "image": "clevr/removal/000000/source", "op": "remove", "target": "o1"}


def _edit(**kw):
    return {"edits": [{**GOOD_EDIT, **kw}]}


def _method(settings=None, **kw):
    return {"methods": {"bgdip": {"method": "bgdip", **({"settings": settings} if settings else {}), **kw}}}


CONFIGS = [
    ("config-image-missing", {"images": {"mine": {"image": "a -h;touch PWNED;#.png", "graph": "g.json"}}},
     ["images.mine.image", "no such file"]),
    ("config-image-reserved-id", {"images": {"clevr/removal/000000/source": {"image": "img.png", "graph": "g.json"}}},
     ["images.clevr/removal/000000/source", "benchmark"]),
    ("config-image-outside", {"images": {"mine": {"image": "../img.png", "graph": "g.json"}}},
     ["images.mine.image", "outside the workflow folder"]),
    ("config-image-folder", {"images": {"mine": {"image": "results", "graph": "g.json"}}},
     ["images.mine.image", "not a file"]),
    ("config-image-id-slashes", {"images": {"../up": {"image": "img.png", "graph": "g.json"}}},
     ["images.../up", "letters, digits"]),
    ("config-lr-inf", _method({"lr": float("inf")}), ["methods.bgdip.settings", "lr", "finite"]),
    ("config-guidance-nan", _method({"guidance_weight": float("nan")}), ["methods.bgdip.settings", "guidance_weight"]),
    ("config-lr-nan", _method({"lr": float("nan")}), ["methods.bgdip.settings", "lr"]),
    ("config-iterations-float", _method({"iterations": 2.5}), ["methods.bgdip.settings", "iterations"]),
    ("config-iterations-text", _method({"iterations": "abc"}), ["methods.bgdip.settings", "iterations"]),
    ("config-skip-negative", _method({"skip_channels": -1}), ["methods.bgdip.settings", "skip_channels"]),
    ("config-crop-negative", _method({"crop_margin": -1}), ["methods.bgdip.settings", "crop_margin"]),
    ("config-seam-negative", _method({"seam": -5}), ["methods.bgdip.settings", "seam"]),
    ("config-resolution-zero", _method({"max_resolution": 0}), ["methods.bgdip.settings", "max_resolution"]),
    ("config-bool-as-int", _method({"levels": True}), ["methods.bgdip.settings", "levels"]),
    ("config-roi-lr-nan", {"roi": {"lr": float("nan")}}, ["roi.lr", "finite"]),
    ("config-roi-lr-diverges", {"roi": {"lr": 0.3}}, ["roi.lr", "maximum of 0.03"]),
    ("config-telea-iterations", {"methods": {"telea": {"method": "telea", "settings": {"iterations": 5}}}},
     ["methods.telea.settings", "iterations"]),
    ("config-method-unknown", {"methods": {"magic": {"method": "magic"}}}, ["methods.magic.method", "magic"]),
    ("config-method-key-typo", _method(mthod="bgdip"), ["methods.bgdip.mthod", "unknown key"]),
    ("config-method-roi", _method(roi="sideways"), ["methods.bgdip.roi", "sideways"]),
    ("config-method-ops", _method(ops=["explode"]), ["methods.bgdip.ops", "explode"]),
    ("config-method-harmonise", _method(harmonise="yes"), ["methods.bgdip.harmonise"]),
    ("config-method-shadows", _method(shadows="yes"), ["methods.bgdip.shadows"]),
    ("config-method-complete", _method(complete=1), ["methods.bgdip.complete"]),
    ("config-nothing-to-edit", {"dataset": {"modes": [], "pairs": 0}, "edits": []}, ["edits", "nothing to edit"]),
    ("config-bank-material", _edit(id="r", op="replace", new={"name": "sphere", "attributes": {"material": "glass"}}),
     ["edits[0] ('r'): new.attributes.material", "glass"]),
    ("config-bank-name", _edit(id="a", op="add", target=None, new={"name": "teapot"},
                               relations=[{"predicate": "left of", "object": "o2"}]), ["('a')", "teapot"]),
    ("config-photo-unknown", {"photos": ["mona-lisa"]}, ["photos", "mona-lisa"]),
    ("config-frame-narrow", {"dataset": {"width": 100, "height": 400}},
     ["dataset.width, dataset.height", "too narrow"]),
    ("config-mode-unknown", {"dataset": {"modes": ["teleport"]}}, ["dataset.modes", "teleport"]),
    ("config-dilate-negative", {"masks": {"dilate": -1}}, ["masks.dilate"]),
    ("config-seed-negative", {"inpaint": {"seed": -1}}, ["inpaint.seed", "minimum of 0"]),
    ("config-seed-huge", {"dataset": {"seed": 2**32}}, ["dataset.seed", "maximum"]),
    ("config-no-method-makes-it", {"methods": {m: {"method": m, "ops": ["attribute"]} for m in ("bgdip", "telea")}},
     ["dataset.modes: no method makes 'removal' edits",
      "edits[0] ('remove-green-cube'): op: no method makes 'remove'"]),
    ("config-method-reserved-name", {"methods": {"outline": {"method": "telea"}}},
     ["methods", "'outline' is reserved", "another file"]),
    ("config-shadow-unknown", {"masks": {"shadow": "sometimes"}}, ["masks.shadow", "sometimes"]),
    ("config-edit-id-traversal", _edit(id="../x"), ["id", "letters, digits"]),
    ("config-edit-id-dash", _edit(id="-h"), ["id", "not starting with '-'"]),
    ("config-image-path-dash", {"images": {"mine": {"image": "-img.png", "graph": "g.json"}}},
     ["images.mine.image", "starts with '-'", "./-img.png"]),
    ("config-image-id-dash", {"images": {"-mine": {"image": "img.png", "graph": "g.json"}}},
     ["images.-mine", "(not first)"]),
    ("config-method-name-dash", {"methods": {"-x": {"method": "telea"}}}, ["methods", "-x"]),
    ("config-gpu-lock-dir-empty", {"inpaint": {"gpu_lock_dir": ""}}, ["inpaint.gpu_lock_dir"]),
    ("config-edit-image-absolute", _edit(image="/etc/passwd"), ["image", "relative image name"]),
    ("config-edit-target-ghost", _edit(target="o42"), ["target", "o42"]),
    ("config-edit-op-unknown", _edit(op="explode"), ["op", "explode"]),
    ("config-edit-extra-field", _edit(colour="red"), ["colour", "not a field"]),
    ("config-size-by-attribute", _edit(op="attribute", attributes={"size": "small"}),
     ["attributes.size", "a new size is a replacement"]),
    ("config-paint-unpaintable", _edit(op="attribute", attributes={"color": "mauve"}), ["attributes.color", "mauve"]),
    ("config-relation-not-spatial", {"photos": ["coffee"], "edits": [{
        "id": "m", "image": "photos/coffee", "op": "relation", "target": "o3",
        "relations": [{"predicate": "flies over", "object": "o1"}]}]},
     ["relations[0].predicate", "SIMBIL places by", "'flies over'"]),
    ("config-relation-self", _edit(op="relation", relations=[{"predicate": "left of", "object": "o1"}]),
     ["relations[0].object", "itself"]),
    ("config-edit-duplicate-id", {"edits": [GOOD_EDIT, GOOD_EDIT]}, ["duplicate edit id"]),
    ("config-graph-other-size", {"images": {"mine": {"image": "wide.png", "graph": "official.json"}},
                                 "edits": [{**GOOD_EDIT, "image": "mine"}]},
     ["images.mine.graph", "describes a 320x240 image", "'wide.png' is 480x320"]),
    ("config-material-not-a-bank-shape", {"photos": ["astronaut"], "edits": [{
        "id": "m", "image": "photos/astronaut", "op": "attribute", "target": "o2", "attributes": {"material": "metal"}}]},
     ["('m'): target", "'helmet'", "object bank"]),
    ("config-target-without-box", {"images": {"mine": {"image": "img.png", "graph": "nobox.json"}},
                                   "edits": [{**GOOD_EDIT, "image": "mine"}]},
     ["target", "'o1' has no bbox"]),
    ("config-graph-mask-missing", {"images": {"mine": {"image": "img.png", "graph": "ghostmask.json"}},
                                   "edits": [{**GOOD_EDIT, "image": "mine"}]},
     ["images.mine.graph", "'ghostmask.json'", "objects[1].mask: no such file"]),
    ("config-chain-too-deep", {"edits": [GOOD_EDIT, {**GOOD_EDIT, "id": "deep", "image": "edits/remove-green-cube/telea/x"}]},
     ["('deep'): image", "unknown image 'edits/remove-green-cube/telea/x'"]),
    ("config-graph-unreadable", {"images": {"mine": {"image": "img.png", "graph": "bad.json"}},
                                 "edits": [{**GOOD_EDIT, "image": "mine"}]}, ["image", "bad.json"]),
]


@pytest.fixture(scope="module")
def finished(tmp_path_factory, done) -> Path:
    """A copy of the finished tiny run, with a few user files beside it."""
    wd = tmp_path_factory.mktemp("hostile") / "wd"
    shutil.copytree(done, wd, symlinks=True)
    shutil.copy(wd / "results/datasets/clevr/removal/000000/source.png", wd / "img.png")
    (wd / "g.json").write_text((wd / "results/datasets/clevr/removal/000000/source.json").read_text())
    shutil.copytree(wd / "results/datasets/clevr/removal/000000/masks", wd / "masks")  # the masks g.json names
    (wd / "bad.json").write_text("{")
    scene = json.loads((wd / "g.json").read_text())
    del scene["width"], scene["height"]  # as an official CLEVR scene: read as 320x240
    (wd / "official.json").write_text(json.dumps(scene))
    g = json.loads((wd / "g.json").read_text())
    ghost = {**g, "objects": [{**o, "mask": "nothere.png"} if o["id"] == "o1" else o for o in g["objects"]]}
    (wd / "ghostmask.json").write_text(json.dumps(ghost))
    nobox = {"image": "img.png", "width": 320, "height": 240, "relationships": [],  # SIMBIL's own format
             "objects": [{"id": "o1", "name": "cube", "attributes": {}, "bbox": None, "mask": None}]}
    (wd / "nobox.json").write_text(json.dumps(nobox))
    Image.fromarray(np.zeros((320, 480, 3), np.uint8)).save(wd / "wide.png")
    return wd


def _merge(base: dict, patch: dict) -> dict:
    out = dict(base)
    for k, v in patch.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) and k != "methods" \
            and k != "images" else v
    return out


@pytest.mark.parametrize("case, patch, words", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_a_hostile_config_runs_nothing(finished, case, patch, words):
    cfg = _merge(yaml.safe_load((finished / "config.yaml").read_text()), patch)
    for e in cfg.get("edits") or []:
        for k in [k for k, v in e.items() if v is None]:
            del e[k]
    bad = finished / f"{case}.yaml"
    bad.write_text(yaml.safe_dump(cfg, sort_keys=False))
    before = checksums(finished / "results")
    p = snakemake(finished, "--configfile", str(bad), check=False)
    err = p.stdout + p.stderr
    assert p.returncode == 2, err[-2000:]
    assert "nothing was run" in err
    for w in words:
        assert w in err, (w, err[-2000:])
    assert checksums(finished / "results") == before
    assert not (finished / "PWNED").exists()


def test_a_config_that_is_not_yaml_is_named_with_its_line_and_runs_nothing(finished):
    wd = finished.parent / "not-yaml"
    shutil.copytree(finished, wd, symlinks=True)
    with open(wd / "config.yaml", "a") as f:
        f.write("photos: [coffee, astronaut\n")  # unclosed
    before = checksums(wd / "results")
    p = snakemake(wd, "-n", check=False)
    err = p.stdout + p.stderr
    assert p.returncode == 2, err[-2000:]
    assert "nothing was run" in err and "config.yaml: not valid YAML: line" in err, err[-2000:]
    assert checksums(wd / "results") == before


def test_a_path_with_spaces_works_and_an_injection_runs_nothing(tmp_path, done):
    """Two user images, one named with spaces, one named like a shell command: both edited."""
    wd = tmp_path / "wd"
    shutil.copytree(done, wd, symlinks=True)
    src = wd / "results/datasets/clevr/removal/000000"
    names = {"spaced": "my img.png", "evil": "a -h;touch PWNED;#.png"}
    images, edits = {}, []
    shutil.copytree(src / "masks", wd / "masks")
    for iid, name in names.items():
        shutil.copy(src / "source.png", wd / name)
        shutil.copy(src / "source.json", wd / f"{name}.json")
        images[iid] = {"image": name, "graph": f"{name}.json", "format": "clevr"}
        edits.append({"id": f"remove-{iid}", "image": iid, "op": "remove", "target": "o1"})
    cfg = yaml.safe_load((wd / "config.yaml").read_text())
    cfg.update(images=images, edits=edits, methods={"telea": {"method": "telea"}})
    cfg["dataset"]["pairs"] = 0
    (wd / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    snakemake(wd)
    assert not (wd / "PWNED").exists() and not list(wd.rglob("PWNED"))
    for iid in names:
        out = np.asarray(Image.open(wd / f"results/edits/remove-{iid}/telea.png"))
        assert out.shape == (240, 320, 3)


def test_every_case_is_listed_in_the_docs():
    listed = DOC.read_text()
    cases = [_id(c) for c in CLI + WORKS + CONFIGS]
    assert len(cases) >= 60
    missing = [c for c in cases if f"`{c}`" not in listed]
    assert not missing, f"add these cases to {DOC.name}: {missing}"


def test_the_pixel_limit_can_be_raised_on_purpose(files, monkeypatch, capsys):
    """SIMBIL_MAX_PIXELS lets a big image past the size check (this one then fails to decode)."""
    monkeypatch.chdir(files)
    monkeypatch.setenv("SIMBIL_MAX_PIXELS", str(20000 * 10000))
    assert main("inpaint huge.png mask.png -o results/kept.png".split()) == 2
    err = capsys.readouterr().err
    assert "not a readable image" in err and "SIMBIL_MAX_PIXELS" not in err
    monkeypatch.setenv("SIMBIL_MAX_PIXELS", "2e8")  # written as a float: the same limit
    assert main("inpaint huge.png mask.png -o results/kept.png".split()) == 2
    assert "SIMBIL_MAX_PIXELS" not in capsys.readouterr().err
    monkeypatch.setenv("SIMBIL_MAX_PIXELS", "lots")
    assert main("inpaint img.png mask.png -o results/kept.png --method telea".split()) == 2
    assert "SIMBIL_MAX_PIXELS must be a number of pixels, at least 1, got 'lots'" in capsys.readouterr().err


def test_a_missing_input_is_not_called_a_write_failure(monkeypatch, capsys):
    """Outputs make their folders, so a FileNotFoundError is an input's (a --bank's index, a --model)."""
    import simbil.cli as cli

    def missing(a):
        raise FileNotFoundError(2, "No such file or directory", "nothere/index.json")

    monkeypatch.setattr(cli, "cmd_graph", missing)
    assert cli.main(["graph", "g.json", "-o", "out.json"]) == 2
    err = capsys.readouterr().err
    assert "nothere/index.json: no such file or folder" in err and "cannot write" not in err


def test_a_sideways_phone_photo_is_read_as_it_is_shown_and_keeps_its_colour_profile(files, monkeypatch):
    """Phones store a portrait photo landscape with an EXIF orientation: the mask a user draws on
    it as shown must fit, and the output must show the same way, in the same colours."""
    from PIL import ImageCms

    monkeypatch.chdir(files)
    stored = (np.random.default_rng(2).random((48, 64, 3)) * 255).astype(np.uint8)  # 64 wide as stored
    exif = Image.Image().getexif()
    exif[0x0112] = 6  # turn it a quarter clockwise to show it
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.fromarray(stored).save(files / "portrait.png", exif=exif.tobytes(), icc_profile=icc)
    hole = np.zeros((64, 48), np.uint8)  # drawn on the picture as shown: 48 wide
    hole[30:40, 10:20] = 255
    png(files / "portrait-mask.png", hole)
    assert main(shlex.split("inpaint portrait.png portrait-mask.png -o out.png --method telea")) == 0
    out = Image.open(files / "out.png")
    assert out.size == (48, 64) and out.info.get("icc_profile") == icc
    shown = np.rot90(stored, -1)
    got = np.asarray(out)
    assert np.array_equal(got[hole == 0], shown[hole == 0]) and not np.array_equal(got[hole > 0], shown[hole > 0])


def test_a_graph_keeps_its_address_and_any_graph_file_can_be_edited(files, monkeypatch, capsys):
    """`simbil graph` keeps Visual Genome's URL as it is (it made it a relative path); `graph-edit`
    takes a graph whose image lies above it or at an address (the config's path check refused it)."""
    monkeypatch.chdir(files)
    assert main(shlex.split("graph vg-url.json -o sub/vg.json")) == 0
    g = json.loads((files / "sub/vg.json").read_text())
    assert g["image"] == "https://example.org/1.jpg" and [o["name"] for o in g["objects"]] == ["tennis racket", "Ball"]
    assert main(shlex.split("graph bare-graph.json -o sub/bare.json")) == 0
    assert json.loads((files / "sub/bare.json").read_text())["image"] == "../img.png"
    (files / "remove cube.json").write_text(json.dumps({"op": "remove", "target": "o1", "image": "../elsewhere.png"}))
    for graph in ("sub/vg.json", "sub/bare.json"):
        capsys.readouterr()
        assert main(["graph-edit", graph, "remove cube.json", "-o", "sub/edited.json"]) == 0, capsys.readouterr().err
        assert "o1" not in [o["id"] for o in json.loads((files / "sub/edited.json").read_text())["objects"]]


def test_exif_that_cannot_be_parsed_or_a_tiff_turned_by_pillow_is_read_once_the_right_way(files):
    from simbil.imageio import image_size, read_mask

    Image.new("L", (12, 8), 255).save(files / "bad-exif.png", exif=b"Exif\0\0XX\0*\0\0\0\x08")
    assert read_mask(files / "bad-exif.png").shape == (8, 12)  # read as stored, as before orientation was read
    im = Image.fromarray(np.zeros((8, 12, 3), np.uint8))
    exif = im.getexif()
    exif[0x0112] = 6
    for ext in ("tif", "jpg", "png"):
        im.save(files / f"turned.{ext}", exif=exif.tobytes())
        with Image.open(files / f"turned.{ext}") as opened:
            assert image_size(opened) == (8, 12), ext
        assert read_image(files / f"turned.{ext}").shape == (12, 8, 3), ext


def test_an_object_grabcut_finds_nothing_of_stops_the_mask_job_naming_it(files):
    from simbil.edits.masks import target_outline
    from simbil.graphs import EditError

    g = {"image": "flat.png", "width": 64, "height": 48, "relationships": [],
         "objects": [{"id": "o1", "name": "cube", "attributes": {}, "bbox": [20, 10, 50, 40], "mask": None}]}
    (files / "flat-graph.json").write_text(json.dumps(g))
    with pytest.raises(EditError, match=r"'rm': target: GrabCut found no object 'o1' in its box \[20, 10, 50, 40\]"):
        target_outline({"id": "rm", "op": "remove", "target": "o1"}, g, str(files / "flat-graph.json"))


def test_a_damaged_bank_image_a_foreign_model_and_a_bad_later_sentence_are_named(files, monkeypatch, capsys):
    """A bank image that is not an image is named as the bank's (it read as 'cannot write', with no
    file); a model file SIMBIL did not write gets no advice to load it as code; a sentence that
    fails on the graph the earlier ones leave says which step it is."""
    from simbil.edits.bank import FIELDS, Bank, BankError
    from simbil.roi.train import load

    bank = files / "bank"
    bank.mkdir()
    entry = {k: None for k in FIELDS} | {"name": "cube", "file": "a.png", "bbox": [0, 0, 4, 4]}
    (bank / "index.json").write_text(json.dumps({"objects": [entry]}))
    (bank / "a.png").write_text("not a png")
    with pytest.raises(BankError, match=r"bank/a.png: not a readable object bank image"):
        Bank(bank).pick("cube", {}, [0, 0, 4, 4])
    (files / "fake.pt").write_bytes(b"\x80\x02junk")
    with pytest.raises(UserError) as e:
        load(files / "fake.pt")
    assert "not a SIMBIL RoI model" in str(e.value) and "weights_only" not in str(e.value)
    monkeypatch.chdir(files)
    assert main(shlex.split("edit img.png --graph bare-graph.json 'remove the cube' 'make the cube red' "
                            "-o results/out.png --method telea")) == 2
    assert "step 2 ('make the cube red'): unknown adjective or object name 'cube'" in capsys.readouterr().err
