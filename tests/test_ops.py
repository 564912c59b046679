"""The pixels of each op: bank harvest and retrieval, pasting, recolouring, compositing, and
every op end to end on a rendered pair of its mode."""

import numpy as np
import pytest
from scipy import ndimage

from simbil.edits.bank import Bank, harvest
from simbil.edits.compose import compose, fit_into_box, recolour
from simbil.imageio import read_image, read_mask
from simbil.pipeline import stages


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bank")
    harvest(folder, scenes=4, seed=0)
    return Bank(folder)


def test_bank_holds_whole_objects_and_picks_the_closest(bank):
    assert len(bank.objects) >= 4
    o = bank.objects[0]
    entry, rgba = bank.pick(o["name"], {k: o[k] for k in ("color", "material", "size")}, o["bbox"])
    assert entry == o and rgba.shape[2] == 4 and rgba[..., 3].max() == 1.0
    # a colour no exemplar has: same name still wins over an exact colour of another shape
    entry, _ = bank.pick(o["name"], {"color": "no-such-colour"}, o["bbox"])
    assert entry["name"] == o["name"]


def test_fit_into_box_stands_the_crop_on_the_box_bottom():
    rgba = np.ones((20, 10, 4), np.float32)
    rgb, alpha = fit_into_box(rgba, [50, 40, 90, 80], 160, 120)
    ys, xs = np.nonzero(alpha > 0.5)
    assert ys.max() == 79 and ys.min() == 40 and abs((xs.min() + xs.max() + 1) / 2 - 70) <= 1
    assert xs.max() - xs.min() + 1 == 20  # aspect kept: 40 high, 20 wide


def test_recolour_changes_the_colour_and_keeps_the_shading():
    img = np.zeros((10, 10, 3), np.float32)
    red = np.array([173, 35, 35], np.float32) / 255
    img[:, :5] = red * 0.5
    img[:, 5:] = red
    mask = np.ones((10, 10), bool)
    out = recolour(img, mask, "red", "blue")
    assert out[0, 7, 2] > out[0, 7, 0]  # now blue
    assert out[0, 2].sum() < out[0, 7].sum()  # the shaded half stays darker


def test_compose_fills_before_pasting_and_harmonises_only_a_seam():
    src = np.full((40, 40, 3), 0.5, np.float32)
    hole = np.zeros((40, 40), bool)
    hole[5:15, 5:15] = True
    rgb = np.zeros_like(src)
    rgb[..., 0] = 1.0
    alpha = np.zeros((40, 40), np.float32)
    alpha[20:30, 20:30] = 1
    calls = []

    def fill(im, m):
        calls.append(m.copy())
        out = im.copy()
        out[m] = 0.25
        return out

    out, done = compose(src, hole, (rgb, alpha), fill, harmonise=False)
    assert len(calls) == 1 and np.array_equal(calls[0], hole)
    assert np.allclose(out[22, 22], [1, 0, 0]) and np.allclose(out[10, 10], 0.25)
    calls.clear()
    out, done = compose(src, hole, (rgb, alpha), fill, harmonise=True)
    seam = calls[1]
    assert seam[19, 25] and seam[20, 25] and not seam[25, 25] and not seam[10, 10]
    assert np.allclose(out[25, 25], [1, 0, 0])  # the object's inside is kept
    calls.clear()
    compose(src, np.zeros((40, 40), bool), None, fill, harmonise=True)
    assert calls == []  # nothing to fill, nothing called


def run_op(tmp_path, mode: str, bank, method: str = "telea"):
    d = stages.render_pair(str(tmp_path / "ds"), mode, 0, 0, 320, 240)
    e = tmp_path / "e"
    e.mkdir()
    stages.make_graph(str(d / "source.json"), str(e / "graph.json"), str(d / "source.png"))
    stages.edit_spec(str(e / "edit.json"), f"{mode}-0", f"clevr/{mode}/000000/source", pair_edit=str(d / "edit.json"))
    stages.removal_mask(str(e / "edit.json"), str(e / "graph.json"), str(e / "mask.png"), 2, "known")
    p = stages.plan(str(e / "edit.json"), str(e / "graph.json"), str(e / "plan.json"), str(e / "g2.json"),
                    truth_scene=str(d / "target.json"))
    info = stages.run_method(str(d / "source.png"), str(e / "mask.png"), str(e / "out.png"), method,
                             {"method": method, "roi": "heuristic"}, device="cpu", quiet=True,
                             plan_path=str(e / "plan.json"), graph_path=str(e / "graph.json"),
                             bank=str(bank.folder))
    return d, e, p, info


@pytest.mark.parametrize("mode", ["relationship", "replacement", "addition", "attribute"])
def test_each_op_changes_only_where_the_edit_acts(tmp_path, bank, mode):
    d, e, p, info = run_op(tmp_path, mode, bank)
    src, out, hole = read_image(d / "source.png"), read_image(e / "out.png"), read_mask(e / "mask.png")
    changed = np.abs(out - src).max(axis=2) > 1 / 255
    x0, y0, x1, y1 = info["placed_box"]
    assert abs(y1 - p["place"]["heuristic"][3]) <= 1  # it stands on the planned box's bottom
    where = hole.copy()
    where[max(0, y0 - 3):y1 + 3, max(0, x0 - 3):x1 + 3] = True  # the placed object and its seam
    assert changed.any() and not (changed & ~ndimage.binary_dilation(where, iterations=1)).any()
    assert info["op"] == p["op"] and info["roi"] == "heuristic"
    assert "truth" in p["place"] and p["roi"] == [int(round(v)) for v in p["place"]["truth"]]


def test_a_move_empties_the_old_place(tmp_path, bank):
    d, e, p, _ = run_op(tmp_path, "relationship", bank)
    src, out, truth = (read_image(x) for x in (d / "source.png", e / "out.png", d / "target.png"))
    x0, y0, x1, y1 = p["old_bbox"]
    new = p["place"]["heuristic"]
    overlap = not (new[2] <= x0 or new[0] >= x1 or new[3] <= y0 or new[1] >= y1)
    if not overlap:  # the old place now looks like the truth's floor, not like the object
        err_out = np.abs(out[y0:y1, x0:x1] - truth[y0:y1, x0:x1]).mean()
        err_src = np.abs(src[y0:y1, x0:x1] - truth[y0:y1, x0:x1]).mean()
        assert err_out < err_src


def test_a_box_the_plan_lacks_is_a_clear_error(tmp_path, bank):
    d, e, p, _ = run_op(tmp_path, "relationship", bank)
    from simbil.graphs import EditError

    with pytest.raises(EditError, match="wants the 'rnn' box"):
        stages.run_method(str(d / "source.png"), str(e / "mask.png"), str(e / "x.png"), "telea",
                          {"method": "telea", "roi": "rnn"}, device="cpu", quiet=True,
                          plan_path=str(e / "plan.json"), graph_path=str(e / "graph.json"))
