import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from simbil.cli import main
from simbil.datasets.pairs import MODES, PairError, make_pair, render_pairs
from simbil.clevr.properties import VOCABULARY
from simbil.graphs import apply_edit, from_clevr_scene

SIZE = (128, 96)


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    out = tmp_path_factory.mktemp("pairs")
    render_pairs(out, 2, MODES, seed=5, width=SIZE[0], height=SIZE[1], progress=None)
    return out


def load(folder: Path, name: str):
    scene = json.loads((folder / f"{name}.json").read_text())
    return scene, np.asarray(Image.open(folder / f"{name}.png")).astype(int)


def files(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def objects(g):
    return {o["id"]: (o["name"], o["attributes"]) for o in g["objects"]}


@pytest.mark.parametrize("mode", MODES)
def test_pair_folder_is_complete_and_its_edit_replays(pairs, mode):
    for folder in sorted((pairs / mode).iterdir()):
        for f in ("source.png", "target.png", "source.json", "target.json", "edit.json"):
            assert (folder / f).is_file(), f
        edit = json.loads((folder / "edit.json").read_text())
        assert edit["id"] == f"{mode}-{folder.name}" and edit["image"] == f"{mode}/{folder.name}/source"
        src, tgt = (from_clevr_scene(load(folder, n)[0]) for n in ("source", "target"))
        for g, n in ((src, "source"), (tgt, "target")):
            assert 3 <= len(g["objects"]) <= 7
            for o in g["objects"]:  # masks exist and match their boxes
                m = np.asarray(Image.open(folder / o["mask"])) > 0
                ys, xs = np.nonzero(m)
                assert m.sum() >= 200 * SIZE[0] * SIZE[1] / (320 * 240)
                assert [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1] == o["bbox"]
        new, change = apply_edit(src, edit, VOCABULARY)
        assert objects(new) == objects(tgt)
        if mode in ("relationship", "addition"):
            mine = lambda g: {(r["predicate"], r["object"]) for r in g["relationships"] if r["subject"] == change["target"]}
            assert mine(new) == mine(tgt) and mine(new)
        if mode == "removal":
            assert len(tgt["objects"]) == len(src["objects"]) - 1


def test_removal_changes_pixels_only_around_object_shadow_and_metal(pairs):
    for folder in sorted((pairs / "removal").iterdir()):
        edit = json.loads((folder / "edit.json").read_text())
        src, a = load(folder, "source")
        _, b = load(folder, "target")
        allowed = np.zeros(a.shape[:2], bool)
        for o in src["objects"]:
            if o["id"] == edit["target"]:
                allowed |= np.asarray(Image.open(folder / o["mask"])) > 0
                allowed |= np.asarray(Image.open(folder / o["shadow_mask"])) > 0
            elif o["material"] == "metal":
                allowed |= np.asarray(Image.open(folder / o["mask"])) > 0
        allowed = ndimage.binary_dilation(allowed, iterations=2)
        changed = np.abs(a - b).max(axis=2) > 3
        assert changed.sum() > 20 and not (changed & ~allowed).any()
        assert np.abs(a - b)[~allowed].max() <= 3


def test_moved_object_lands_at_least_four_units_away(pairs):
    for folder in (pairs / "relationship").iterdir():
        edit = json.loads((folder / "edit.json").read_text())
        pos = {n: {o["id"]: o["3d_coords"] for o in load(folder, n)[0]["objects"]} for n in ("source", "target")}
        a, b = pos["source"][edit["target"]], pos["target"][edit["target"]]
        assert np.hypot(a[0] - b[0], a[1] - b[1]) >= 4


def test_same_seed_same_bytes_whatever_else_is_asked(tmp_path, pairs):
    render_pairs(tmp_path / "a", 1, ["removal", "attribute"], seed=5, width=SIZE[0], height=SIZE[1], jobs=2, progress=None)
    mine = files(tmp_path / "a")
    ref = {k: v for k, v in files(pairs).items() if k.split("/")[1] == "000000" and k.split("/")[0] in ("removal", "attribute")}
    assert mine == ref and len(mine) > 10
    render_pairs(tmp_path / "b", 1, ["removal"], seed=6, width=SIZE[0], height=SIZE[1], progress=None)
    assert files(tmp_path / "b")["removal/000000/source.png"] != mine["removal/000000/source.png"]


def test_rewriting_a_pair_leaves_no_temporary_folders(tmp_path):
    for _ in range(2):
        render_pairs(tmp_path, 1, ["addition"], seed=1, width=96, height=72, progress=None)
    assert sorted(p.name for p in (tmp_path / "addition").iterdir()) == ["000000"]


def test_unknown_mode_is_refused():
    with pytest.raises(PairError, match="unknown pair mode 'swap'"):
        make_pair(np.random.default_rng(0), "swap")


def test_cli_renders_pairs(tmp_path, capsys):
    assert main(["render-pairs", "--out", str(tmp_path), "--pairs", "1", "--modes", "attribute",
                 "--size", "96x72", "--seed", "2"]) == 0
    assert (tmp_path / "attribute/000000/target.png").is_file()
    assert Image.open(tmp_path / "attribute/000000/target.png").size == (96, 72)
    assert "wrote 1 pairs" in capsys.readouterr().out


@pytest.mark.parametrize("args, words", [
    (["--size", "4000x3000"], "outside"),
    (["--size", "big"], "WxH"),
    (["--modes", "removal,teleport"], "unknown mode"),
    (["--pairs", "0"], "1 to 1000000"),
])
def test_cli_bad_arguments(tmp_path, capsys, args, words):
    with pytest.raises(SystemExit) as e:
        main(["render-pairs", "--out", str(tmp_path)] + args)
    assert e.value.code == 2 and words in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_cli_graph_and_edit(tmp_path, pairs, capsys):
    folder = pairs / "removal" / "000000"
    assert main(["graph", str(folder / "source.json"), "-o", str(tmp_path / "g.json")]) == 0
    assert main(["graph-edit", str(tmp_path / "g.json"), str(folder / "edit.json"), "--clevr", "-o", str(tmp_path / "g2.json")]) == 0
    change = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert change["op"] == "remove" and change["old_bbox"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"id": "x", "image": "removal/000000/source", "op": "remove", "target": "o99"}))
    assert main(["graph-edit", str(tmp_path / "g.json"), str(bad)]) == 2
    assert "edit 'x': target: no object 'o99'" in capsys.readouterr().err
