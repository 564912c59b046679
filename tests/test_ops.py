"""The pixels of each op: bank harvest and retrieval, pasting, recolouring, compositing, and
every op end to end on a rendered pair of its mode."""

import json
from pathlib import Path
import numpy as np
import pytest
from scipy import ndimage

from simbil.datasets.bank import harvest
from simbil.edits.bank import Bank
from simbil.edits.compose import compose, crop_object, fit_into_box, fit_to_outline, recolour, unmatte_edge
from simbil.edits.layers import new_layer
from simbil.edits.make import RunOptions
from simbil.edits.methods import MethodSpec
from simbil.graphs import load_graph
from simbil.imageio import read_image, read_mask
from simbil.pipeline import stages

CPU = RunOptions(device="cpu", quiet=True)


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


def test_a_bank_without_the_shape_or_with_a_bad_index_says_so(tmp_path, bank):
    import json
    import shutil

    from simbil.edits.bank import BankError

    one = tmp_path / "one"
    shutil.copytree(bank.folder, one)
    objects = [o for o in bank.objects if o["name"] == bank.objects[0]["name"]]
    (one / "index.json").write_text(json.dumps({"objects": objects}))
    other = next(n for n in ("cube", "cylinder", "sphere") if n != objects[0]["name"])
    with pytest.raises(BankError, match=f"has no {other} \\(it has {objects[0]['name']}\\)"):
        Bank(one).pick(other, {}, objects[0]["bbox"])  # it used to paste another shape under the name
    for text, words in [('{"x": 1}', "not an object bank index"), ("garbage", "not an object bank index"),
                        ('{"objects": [{"name": "cube"}]}', "every object needs"), ('{"objects": []}', "empty")]:
        (one / "index.json").write_text(text)
        with pytest.raises(BankError, match=words):
            Bank(one)
    with pytest.raises(BankError, match="no index.json"):
        Bank(tmp_path / "nothere")


def test_more_bank_scenes_hold_the_fewer_and_pick_nearer_exemplars(tmp_path, bank):
    """bank.scenes: each scene has its own random stream, so a bigger harvest holds the smaller
    one, and for places it has not seen it picks exemplars that stood nearer them."""
    import yaml

    from simbil.datasets.bank import SCENES

    harvest(tmp_path / "big", scenes=8, seed=0)
    harvest(tmp_path / "places", scenes=4, seed=1)
    big = Bank(tmp_path / "big")
    assert {o["id"] for o in bank.objects} < {o["id"] for o in big.objects}
    places = Bank(tmp_path / "places").objects  # another seed's: in neither bank
    far = lambda e, box: abs(e["bbox"][3] - box[3]) + 0.25 * abs(e["bbox"][0] + e["bbox"][2] - box[0] - box[2]) / 2
    d = np.array([[far(b.pick(o["name"], {}, o["bbox"])[0], o["bbox"]) for b in (bank, big)] for o in places])
    assert len(places) >= 5 and (d[:, 1] <= d[:, 0]).all() and d[:, 1].mean() < d[:, 0].mean()
    # one default, stated where users read it: config.yaml and the schema say the same
    root = Path(__file__).resolve().parents[1]
    schema = yaml.safe_load((root / "schemas" / "config.schema.yaml").read_text())
    assert yaml.safe_load((root / "config.yaml").read_text())["bank"]["scenes"] == SCENES
    assert schema["properties"]["bank"]["properties"]["scenes"]["default"] == SCENES


def test_fit_into_box_stands_the_crop_on_the_box_bottom():
    rgba = np.ones((20, 10, 4), np.float32)
    rgb, alpha = fit_into_box(rgba, [50, 40, 90, 80], 160, 120)
    ys, xs = np.nonzero(alpha > 0.5)
    assert ys.max() == 79 and ys.min() == 40 and abs((xs.min() + xs.max() + 1) / 2 - 70) <= 1
    assert xs.max() - xs.min() + 1 == 20  # aspect kept: 40 high, 20 wide


def test_fit_to_outline_stretches_the_look_onto_the_outline():
    rgba = np.zeros((10, 10, 4), np.float32)
    rgba[:, :5, 0] = 1.0  # left half red, right half green, covered only on the left 8 columns
    rgba[:, 5:, 1] = 1.0
    rgba[:, :8, 3] = 1.0
    outline = np.zeros((30, 40), bool)
    outline[5:25, 10:30] = True  # twice the size
    rgb = fit_to_outline(rgba, outline)
    assert rgb.shape == (30, 40, 3) and not rgb[~outline].any()
    assert np.allclose(rgb[15, 12], [1, 0, 0]) and np.allclose(rgb[15, 24], [0, 1, 0])
    assert np.allclose(rgb[15, 29], rgb[15, 25], atol=0.05)  # uncovered columns: the nearest covered pixel


def test_recolour_changes_the_colour_and_keeps_the_shading():
    img = np.zeros((10, 10, 3), np.float32)
    red = np.array([173, 35, 35], np.float32) / 255
    img[:, :5] = red * 0.5
    img[:, 5:] = red
    mask = np.ones((10, 10), bool)
    out = recolour(img, mask, "red", "blue")
    assert out[0, 7, 2] > out[0, 7, 0]  # now blue
    assert out[0, 2].sum() < out[0, 7].sum()  # the shaded half stays darker


def _recording_fill():
    """A fill that paints its mask 0.25 and records each mask it was given."""
    calls = []

    def fill(im, m):
        calls.append(m.copy())
        out = im.copy()
        out[m] = 0.25
        return out

    return fill, calls


def test_compose_fills_before_pasting_and_harmonises_only_a_seam():
    src = np.full((40, 40, 3), 0.5, np.float32)
    hole = np.zeros((40, 40), bool)
    hole[5:15, 5:15] = True
    rgb = np.zeros_like(src)
    rgb[..., 0] = 1.0
    alpha = np.zeros((40, 40), np.float32)
    alpha[20:30, 20:30] = 1
    fill, calls = _recording_fill()

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


def _disc_scene(colour):
    """A disc of `colour` on a floor gradient, its edge anti-aliased: (image, inside, ring, coverage)."""
    yy, xx = np.mgrid[:40, :40]
    cover = np.clip(8.5 - np.hypot(yy - 20, xx - 20), 0, 1)  # 1 inside, a ramp over the edge
    floor = np.dstack([0.3 + 0.01 * xx, 0.4 + 0.005 * yy, np.full((40, 40), 0.45)]).astype(np.float32)
    img = (cover[..., None] * np.asarray(colour, np.float32) + (1 - cover[..., None]) * floor).astype(np.float32)
    inside = cover >= 1  # fully covered: the partly covered pixels lie outside, in the ring
    ring = ndimage.binary_dilation(inside, iterations=1) & ~inside
    return img, floor, inside, ring, cover


def test_unmatte_edge_recovers_the_edge_mix_with_the_new_colour():
    red, blue = (0.7, 0.1, 0.1), (0.1, 0.2, 0.7)
    src, floor, inside, ring, cover = _disc_scene(red)
    want, *_ = _disc_scene(blue)
    assert ((cover > 0) & (cover < 1) & ring).any()  # the ring holds partly covered pixels
    new = np.zeros_like(src)
    new[inside] = blue
    out = unmatte_edge(src, floor, new, inside, ring)
    assert np.abs(out[ring] - want[ring]).max() < 1e-5  # exact with the true background
    rest = ~ring & ~inside
    assert np.array_equal(out[rest], floor[rest]) and np.array_equal(out[inside], new[inside])
    # a worse background (flat grey) gives a worse ring; a pure-background fill is worse still
    flat = np.full_like(floor, 0.4)
    err_flat = np.abs(unmatte_edge(src, flat, new, inside, ring)[ring] - want[ring]).mean()
    err_fill = np.abs(floor[ring] - want[ring]).mean()
    assert 1e-3 < err_flat < err_fill


def test_compose_in_place_unmattes_instead_of_refilling_a_seam():
    src, floor, inside, ring, cover = _disc_scene((0.7, 0.1, 0.1))
    hole = inside | ring
    new = np.zeros_like(src)
    new[inside] = (0.1, 0.2, 0.7)
    calls = []

    def fill(im, m):
        calls.append(m.copy())
        out = im.copy()
        out[m] = floor[m]
        return out

    out, _ = compose(src, hole, (new, inside.astype(np.float32)), fill, harmonise=True, in_place=True)
    assert len(calls) == 1  # one fill, no seam pass
    assert np.allclose(out[inside], new[inside])
    plain, _ = compose(src, hole, (new, inside.astype(np.float32)), fill, harmonise=False, in_place=True)
    assert np.array_equal(plain[ring], floor[ring]) and not np.array_equal(out[ring], floor[ring])


def test_a_material_change_keeps_the_object_outline(tmp_path, bank):
    d, e, p, info = run_op(tmp_path, "attribute", bank)  # pair 0 turns an object to metal
    assert "material" in p["after"]["attributes"] and p["before"]["attributes"]["material"] != "metal"
    own = read_mask(d / "masks" / f"source_{p['target']}.png")
    src, out, hole = read_image(d / "source.png"), read_image(e / "out.png"), read_mask(e / "mask.png")
    changed = np.abs(out - src).max(axis=2) > 1 / 255
    assert changed.any() and not (changed & ~hole).any()  # nothing outside the object and its 1 px ring
    ys, xs = np.nonzero(own)  # placed exactly on the old outline, not on the exemplar's
    assert info["placed_box"] == [xs.min(), ys.min(), xs.max() + 1, ys.max() + 1]


@pytest.mark.parametrize("mode,extra", [("attribute", {}), ("attribute", {"crop_margin": 0.5}),
                                        ("relationship", {})])
def test_bgdip_defaults_per_op(tmp_path, bank, mode, extra):
    *_, info = run_op(tmp_path, mode, bank, "bgdip", iterations=2, levels=2, channels=8, **extra)
    got = info["settings"]
    assert got["fill_smooth"] == 0.0  # no fill blur for ops that place pixels
    if mode == "attribute":  # changed in place: little context, no Telea blend, unless a method says so
        assert got["seam"] == 0 and got["crop_margin"] == extra.get("crop_margin", 0.25)
        assert info["harmonise"] is True
    else:
        assert "seam" not in got and "crop_margin" not in got


def test_a_repaint_that_also_resizes_still_recolours_the_object(tmp_path, bank):
    d, e, p, _ = run_op(tmp_path, "attribute", bank)
    before = p["before"]
    after = {**before, "attributes": {**before["attributes"], "color": "blue" if before["attributes"]["color"] != "blue"
                                      else "red", "size": "small" if before["attributes"]["size"] != "small" else "large"}}
    plan_ = {**p, "after": after}
    img = read_image(d / "source.png")
    g = load_graph(e / "graph.json")
    rgb, alpha = new_layer(img, plan_, g, str(e / "graph.json"), before["bbox"], None)
    own = read_mask(d / "masks" / f"source_{p['target']}.png")
    assert np.array_equal(alpha > 0.5, own) and not np.allclose(rgb[own], img[own])


def run_op(tmp_path, mode: str, bank, method: str = "telea", roi: str = "heuristic", shadows: bool = True,
           **settings):
    d = stages.render_pair(str(tmp_path / "ds"), mode, 0, 0, 320, 240)
    e = tmp_path / "e"
    e.mkdir()
    stages.make_graph(str(d / "source.json"), str(e / "graph.json"), str(d / "source.png"))
    stages.edit_spec(str(e / "edit.json"), f"{mode}-0", f"clevr/{mode}/000000/source", pair_edit=str(d / "edit.json"))
    stages.removal_mask(str(e / "edit.json"), str(e / "graph.json"), str(e / "mask.png"), 2, "known")
    p = stages.plan(str(e / "edit.json"), str(e / "graph.json"), str(e / "plan.json"), str(e / "g2.json"),
                    truth_scene=str(d / "target.json"))
    spec = MethodSpec.parse(method, {"roi": roi, "shadows": shadows, "settings": settings})
    info = stages.make_edit(str(d / "source.png"), str(e / "mask.png"), str(e / "out.png"), spec, CPU,
                            str(e / "plan.json"), str(e / "graph.json"), str(bank.folder))
    return d, e, p, info


@pytest.mark.parametrize("mode", ["relationship", "replacement", "addition", "attribute"])
def test_each_op_changes_only_where_the_edit_acts(tmp_path, bank, mode):
    d, e, p, info = run_op(tmp_path, mode, bank, shadows=False)  # a moved shadow: the test below
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


def test_a_move_takes_its_shadow_along(tmp_path, bank):
    from simbil.shadow import luma

    d, e, p, info = run_op(tmp_path, "relationship", bank, method="biharmonic", roi="truth", shadows=False)
    still = read_image(e / "out.png")
    d, e, p, info = run_op(tmp_path / "b", "relationship", bank, method="biharmonic", roi="truth")
    out, truth, hole = read_image(e / "out.png"), read_image(d / "target.png"), read_mask(e / "mask.png")
    assert info["cast_shadow"] and p["op"] == "relation"
    x0, y0, x1, y1 = info["placed_box"]
    away = ~hole
    away[y0:y1, x0:x1] = False  # outside the hole and the object: only the carried shadow changed
    darker = luma(out) < luma(still) - 1e-6
    assert darker[away].sum() > 50 and not (luma(out) > luma(still) + 1e-6)[away].any()
    shadow = read_mask(d / "masks" / f"target_{p['target']}_shadow.png")  # the renderer's, of the moved object
    assert (darker & away & shadow).sum() > 0.5 * (darker & away).sum()  # where the true shadow is
    err = lambda im: np.abs(luma(im) - luma(truth))[darker & away & shadow].mean()
    assert err(out) < err(still)  # where the true shadow is, closer to the truth


def test_without_the_scenes_lights_a_move_carries_its_own_shadow(tmp_path, bank):
    from simbil.edits.shadows import shadow_of
    from simbil.shadow import luma

    d, e, p, info = run_op(tmp_path, "relationship", bank, method="biharmonic", roi="truth")
    g = load_graph(e / "graph.json")
    hole, box = read_mask(e / "mask.png"), p["place"]["truth"]
    src = read_image(d / "source.png")
    rendered = shadow_of(p, g, str(e / "graph.json"), hole, box, None)(src, src)
    g.pop("lights")
    carried = shadow_of(p, g, str(e / "graph.json"), hole, box, None)
    filled = src.copy()
    filled[hole] = np.median(src[~hole], axis=0)  # the floor without the object or its shadow
    carried = carried(src, filled)
    assert (rendered < 0.98).sum() > 50 and (carried < 0.98).sum() > 50 and not np.allclose(rendered, carried)
    true = read_mask(d / "masks" / f"target_{p['target']}_shadow.png")
    floor = (rendered < 0.98) & ~read_mask(d / "masks" / f"target_{p['target']}.png")
    assert (floor & true).sum() > 0.8 * floor.sum()  # the light's own shadow, on the floor


def _new_shadow(tmp_path, bank, mode, lights: bool):
    """(darkened pixels away from the hole and the placed object, the edit's files) of an
    addition or replacement made with shadows against without."""
    import json

    from simbil.shadow import luma

    outs = []
    for shadows in (False, True):
        d, e, p, info = run_op(tmp_path / str(shadows), mode, bank, method="biharmonic", roi="truth", shadows=shadows)
        if not lights:  # a graph that does not know the scene's lights: the bank's shadow
            g = json.loads((e / "graph.json").read_text())
            g.pop("lights")
            (e / "graph.json").write_text(json.dumps(g))
            info = stages.make_edit(str(d / "source.png"), str(e / "mask.png"), str(e / "out.png"),
                                    MethodSpec.parse("biharmonic", {"roi": "truth", "shadows": shadows}), CPU,
                                    str(e / "plan.json"), str(e / "graph.json"), str(bank.folder))
        outs.append(read_image(e / "out.png"))
    assert info["cast_shadow"]
    x0, y0, x1, y1 = info["placed_box"]
    away = np.ones(outs[0].shape[:2], bool)  # a replacement's new shadow falls in the hole of the old
    away[y0:y1, x0:x1] = False
    assert not (luma(outs[1]) > luma(outs[0]) + 1e-6)[away].any()  # a shadow only darkens
    return (luma(outs[1]) < luma(outs[0]) - 1e-6) & away, d, p, info


@pytest.mark.parametrize("mode", ["addition", "replacement"])
def test_a_new_object_casts_its_shadow_by_the_scenes_lights(tmp_path, bank, mode):
    darker, d, p, _ = _new_shadow(tmp_path, bank, mode, lights=True)
    truth = read_mask(d / "masks" / f"target_{p['target']}_shadow.png")  # the renderer's, in the true target
    # a replacement stands on the floor point its old box gives, a pixel or two off the truth
    truth = ndimage.binary_dilation(truth, iterations=2)
    assert darker.sum() > 20 and (darker & truth).sum() > 0.8 * darker.sum()


def test_without_the_scenes_lights_the_bank_exemplar_brings_its_shadow(tmp_path, bank):
    darker, d, p, info = _new_shadow(tmp_path, bank, "addition", lights=False)
    assert all(o.get("shadow") for o in bank.objects)
    x0, y0, x1, y1 = info["placed_box"]
    h = y1 - y0
    near = np.zeros_like(darker)
    near[max(0, y0 - h):y1 + h, max(0, x0 - 2 * h):x1 + 2 * h] = True
    assert darker.sum() > 20 and not (darker & ~near).any()  # next to the object, not elsewhere


def test_a_moved_object_hidden_in_part_is_completed_from_the_bank(tmp_path, bank):
    import json

    from simbil.edits.complete import complete, occluders
    from simbil.edits.masks import object_mask
    from simbil.graphs.format import get_object

    d = stages.render_pair(str(tmp_path / "ds"), "relationship", 23, 0, 320, 240)  # a cube half behind another
    gp = str(tmp_path / "g.json")
    stages.make_graph(str(d / "source.json"), gp, str(d / "source.png"))
    g = load_graph(gp)
    obj = get_object(g, json.loads((d / "edit.json").read_text())["target"])
    own, img = object_mask(gp, g, obj), read_image(d / "source.png")
    hid = occluders(g, gp, obj, own)
    rgb, whole = complete(img, own, hid, str(bank.folder), obj)
    added = whole & ~own
    assert added.sum() > 50 and not (added & ~hid).any() and (whole >= own).all()
    redone = hid | ndimage.binary_dilation(hid, iterations=2)  # the hidden part and the seam along it
    assert np.array_equal(rgb[~redone], img[~redone])
    colour = img[own].mean(axis=0)
    assert np.abs(rgb[added].mean(axis=0) - colour).max() < 0.15  # in the object's colour
    lone = np.zeros_like(own)
    assert complete(img, own, lone, str(bank.folder), obj) is None  # nothing hides it: nothing to do
    assert complete(img, own, hid, str(bank.folder), {**obj, "name": "rocket"}) is None  # no such exemplar


def test_complete_false_moves_a_hidden_object_as_it_shows(tmp_path, bank):
    d = stages.render_pair(str(tmp_path / "ds"), "relationship", 23, 0, 320, 240)  # the cube half behind another
    e = tmp_path / "e"
    e.mkdir()
    stages.make_graph(str(d / "source.json"), str(e / "graph.json"), str(d / "source.png"))
    stages.edit_spec(str(e / "edit.json"), "mv", "clevr/relationship/000023/source", pair_edit=str(d / "edit.json"))
    stages.removal_mask(str(e / "edit.json"), str(e / "graph.json"), str(e / "mask.png"), 2, "known")
    stages.plan(str(e / "edit.json"), str(e / "graph.json"), str(e / "plan.json"), str(e / "g2.json"),
                truth_scene=str(d / "target.json"))
    placed = {}
    for whole in (False, True):
        spec = MethodSpec.parse("telea", {"roi": "truth", "shadows": False, "complete": whole})
        info = stages.make_edit(str(d / "source.png"), str(e / "mask.png"), str(e / f"{whole}.png"), spec, CPU,
                                str(e / "plan.json"), str(e / "graph.json"), str(bank.folder))
        placed[whole] = (read_image(e / f"{whole}.png"), info["placed_box"])
    (a, box_a), (b, box_b) = placed[False], placed[True]
    assert not np.array_equal(a, b)  # the completed cube is drawn whole
    differ = np.abs(a - b).max(axis=2) > 1 / 255
    x0, y1 = min(box_a[0], box_b[0]), max(box_a[3], box_b[3])
    assert not differ[:, :max(0, x0 - 3)].any() and not differ[y1 + 3:].any()  # only where the object goes


def test_carry_moves_the_shading_with_the_contact_and_scales_it():
    from simbil.edits.shadows import carry, shading_ratio

    ratio = np.ones((60, 80))
    ratio[28:30, 10:14] = 0.5  # a shadow right of an object standing at (10, 30)
    moved = carry(ratio, [6, 20, 14, 30], [46, 40, 62, 60])  # contact (10, 30) -> (54, 60), twice the size
    ys, xs = np.nonzero(moved < 0.75)
    assert 55 <= ys.min() and ys.max() <= 59 and 54 <= xs.min() and xs.max() <= 62
    assert moved[moved < 0.75].min() == pytest.approx(0.5) and (moved <= 1).all()
    src, filled = np.full((10, 10, 3), 0.3), np.full((10, 10, 3), 0.6)
    region = np.zeros((10, 10), bool)
    region[2:8, 2:8] = True
    r = shading_ratio(src, filled, region)
    assert r[5, 5] == pytest.approx(0.5, abs=0.02) and (r[~region] == 1).all()


def test_a_box_the_plan_lacks_is_a_clear_error(tmp_path, bank):
    d, e, p, _ = run_op(tmp_path, "relationship", bank)
    from simbil.graphs import EditError

    with pytest.raises(EditError, match="wants the 'rnn' box"):
        stages.make_edit(str(d / "source.png"), str(e / "mask.png"), str(e / "x.png"), MethodSpec.parse("telea", {}),
                         CPU, str(e / "plan.json"), str(e / "graph.json"))


def test_a_moved_object_carries_none_of_its_occluders_colour():
    img = np.zeros((40, 40, 3), np.float32)
    img[10:30, 10:20] = [0.2, 0.2, 0.9]  # the object, blue
    img[10:30, 20:30] = [0.9, 0.1, 0.1]  # a red occluder right beside it
    mask = np.zeros((40, 40), bool)
    mask[10:30, 10:20] = True
    rgb, alpha = fit_into_box(crop_object(img, mask), [0, 0, 30, 60], 60, 60)  # scaled up 3×
    seen = rgb[alpha > 0.01]
    assert (seen[:, 0] < 0.3).all()  # no red bled into its edge


def test_a_placed_object_goes_behind_nearer_objects(tmp_path):
    from PIL import Image as PILImage

    from simbil.edits.layers import nearer

    near = np.zeros((60, 80), bool)
    near[30:50, 30:50] = True  # stands at y 50: nearer than a box standing at y 40
    far = np.zeros((60, 80), bool)
    far[5:15, 60:70] = True
    for name, m in (("near.png", near), ("far.png", far)):
        PILImage.fromarray(m.astype(np.uint8) * 255).save(tmp_path / name)
    g = {"image": "x.png", "width": 80, "height": 60, "relationships": [], "objects": [
        {"id": "o1", "name": "cube", "attributes": {}, "bbox": [30, 30, 50, 50], "mask": "near.png"},
        {"id": "o2", "name": "cube", "attributes": {}, "bbox": [60, 5, 70, 15], "mask": "far.png"},
        {"id": "o3", "name": "sphere", "attributes": {}, "bbox": [0, 0, 10, 10], "mask": None}]}
    plan = {"target": "o3"}
    masks = nearer(g, str(tmp_path / "g.json"), plan, [20, 10, 45, 40])
    assert len(masks) == 1 and np.array_equal(masks[0], near)
    from simbil.edits.compose import behind

    alpha = behind(np.ones((60, 80), np.float32), masks)
    assert alpha[near].max() == 0 and alpha[~near].min() == 1


def test_compose_fills_a_shielded_object_with_the_hole_and_gives_its_pixels_back():
    src = np.full((40, 40, 3), 0.5, np.float32)
    src[10:20, 20:30] = [1, 0, 0]  # another object beside the hole
    hole = np.zeros((40, 40), bool)
    hole[10:20, 10:20] = True
    shield = np.zeros((40, 40), bool)
    shield[10:20, 20:30] = True
    fill, calls = _recording_fill()

    out, done = compose(src, hole, None, fill, harmonise=False, shield=shield)
    assert np.array_equal(calls[0], hole | shield)  # its edge is not what the fill continues
    assert np.array_equal(out[shield], src[shield]) and np.allclose(out[hole], 0.25)
    assert np.array_equal(done, hole)


def test_a_removal_keeps_the_objects_its_shadow_falls_on(tmp_path):
    from simbil.edits.masks import other_objects
    from simbil.graphs import load_graph

    # replacement pair 203: the green cylinder's shadow covers the whole red cylinder behind it
    d = stages.render_pair(str(tmp_path / "ds"), "replacement", 203, 0, 320, 240)
    stages.make_graph(str(d / "source.json"), str(tmp_path / "graph.json"), str(d / "source.png"))
    stages.edit_spec(str(tmp_path / "edit.json"), "r", "clevr/replacement/000203/source", pair_edit=str(d / "edit.json"))
    stages.removal_mask(str(tmp_path / "edit.json"), str(tmp_path / "graph.json"), str(tmp_path / "mask.png"), 2,
                        "known")
    g = load_graph(tmp_path / "graph.json")
    target = json.loads((tmp_path / "edit.json").read_text())["target"]
    shadow = read_mask(d / "masks" / f"source_{target}_shadow.png")
    others = other_objects(str(tmp_path / "graph.json"), g, target)
    hole = read_mask(tmp_path / "mask.png")
    assert (shadow & others).sum() > 500  # the renderer's shadow mask takes the red cylinder in
    own = ndimage.binary_dilation(read_mask(d / "masks" / f"source_{target}.png"), iterations=2)
    assert not (hole & others & ~own).any() and (hole & shadow & ~others).sum() > 1000
    (tmp_path / "edit.json").write_text(json.dumps({"id": "r", "image": "clevr/replacement/000203/source",
                                                     "op": "remove", "target": target}))
    stages.plan(str(tmp_path / "edit.json"), str(tmp_path / "graph.json"), str(tmp_path / "plan.json"),
                str(tmp_path / "g2.json"))
    stages.make_edit(str(d / "source.png"), str(tmp_path / "mask.png"), str(tmp_path / "out.png"),
                     MethodSpec.parse("biharmonic", {}), CPU, str(tmp_path / "plan.json"), str(tmp_path / "graph.json"))
    out, src = read_image(tmp_path / "out.png"), read_image(d / "source.png")
    assert np.array_equal(out[~hole], src[~hole])
    # the floor beside the red cylinder is filled as floor: grey, not its red carried over
    near = hole & ~own & ndimage.binary_dilation(others, iterations=3)
    assert near.sum() > 50 and np.abs(out[near][:, 0] - out[near][:, 1]).mean() < 0.03


def test_a_replacement_stands_where_the_old_object_stood(tmp_path):
    from simbil.roi.features import iou

    ious = []
    for i in range(8):
        d = stages.render_pair(str(tmp_path / "ds"), "replacement", i, 0, 320, 240)
        e = tmp_path / str(i)
        e.mkdir()
        stages.make_graph(str(d / "source.json"), str(e / "graph.json"), str(d / "source.png"))
        stages.edit_spec(str(e / "edit.json"), "r", f"clevr/replacement/{i:06d}/source", pair_edit=str(d / "edit.json"))
        p = stages.plan(str(e / "edit.json"), str(e / "graph.json"), str(e / "plan.json"), str(e / "g2.json"),
                        truth_scene=str(d / "target.json"))
        ious.append(iou(p["place"]["rnn"], p["place"]["truth"]))
    # the new shape on the old one's floor point; its box's bottom on the old box's is off by
    # the difference in their depths
    assert np.mean(ious) > 0.85 and min(ious) > 0.6


def test_a_rendered_shadow_reaches_under_the_placed_object(tmp_path, bank):
    from simbil.edits.shadows import shadow_of

    d, e, p, info = run_op(tmp_path, "addition", bank, method="biharmonic", roi="truth")
    g = load_graph(e / "graph.json")
    x0, y0, x1, y1 = (int(round(v)) for v in p["place"]["truth"])
    laid = shadow_of(p, g, str(e / "graph.json"), read_mask(e / "mask.png"), p["place"]["truth"], None)(None, None)
    # the stand-in's silhouette takes the shadow beside it: the exemplar's outline differs from
    # it, and the floor between them would show lit (without this, 3 % of the box is shaded)
    assert (laid[y0:y1, x0:x1] < 0.999).mean() > 0.07


def test_a_rendered_shadow_darkens_the_floor_as_much_as_the_truth_does(tmp_path, bank):
    from simbil.shadow import luma

    d, e, p, info = run_op(tmp_path, "addition", bank, method="biharmonic", roi="truth")
    src, out, truth = (luma(read_image(f)) for f in (d / "source.png", e / "out.png", d / "target.png"))
    shadow = read_mask(d / "masks" / f"target_{p['target']}_shadow.png")
    x0, y0, x1, y1 = info["placed_box"]
    # next to the object: further off, its shadow falls where others already shade the floor,
    # which the object rendered alone does not see
    h = y1 - y0
    floor = np.zeros_like(shadow)
    floor[max(0, y0 - h):y1 + h, max(0, x0 - h):x1 + h] = shadow[max(0, y0 - h):y1 + h, max(0, x0 - h):x1 + h]
    floor[y0:y1, x0:x1] = False  # not where the pasted exemplar and the true object differ
    ours, true = (np.median(1 - im[floor] / src[floor]) for im in (out, truth))
    # the renderer's kept light is linear; laid on encoded pixels it must be encoded too
    assert floor.sum() > 100 and abs(ours - true) < 0.3 * true


@pytest.mark.parametrize("mode", ["relationship", "attribute"])
def test_a_method_that_fills_alike_takes_the_first_ones_hole_fill(tmp_path, bank, mode, monkeypatch):
    import simbil.edits.make

    fit = {"iterations": 5, "max_resolution": 32}
    d, e, p, _ = run_op(tmp_path, mode, bank, method="bgdip", **fit)
    args = (str(d / "source.png"), str(e / "mask.png"))
    naive = MethodSpec.parse("naive", {"method": "bgdip", "harmonise": False, "roi": "heuristic", "settings": fit})
    rest = (str(e / "plan.json"), str(e / "graph.json"), str(bank.folder))
    stages.make_edit(*args, str(e / "first.png"), naive, CPU, *rest, background_out=str(e / "first.npz"))
    stages.make_edit(*args, str(e / "own.png"), naive, CPU, *rest)
    monkeypatch.setattr(simbil.edits.make, "fill", lambda *a: pytest.fail("filled again"))
    info = stages.make_edit(*args, str(e / "taken.png"), naive, CPU, *rest, background=str(e / "first.npz"),
                            background_out=str(e / "again.npz"))
    assert np.array_equal(read_image(e / "taken.png"), read_image(e / "own.png"))
    assert info["background"] == str(e / "first.npz") and info["device"].startswith("CPU")
    assert (e / "again.npz").read_bytes() == (e / "first.npz").read_bytes()
    other = read_mask(e / "mask.png")
    other[0, 0] = ~other[0, 0]  # one pixel more or less: a fill of another hole is refused
    from simbil.imageio import ImageError, write_image

    write_image(str(e / "other.png"), other.astype(np.uint8) * 255)
    with pytest.raises(ImageError, match="a fill of another hole"):
        stages.make_edit(str(d / "source.png"), str(e / "other.png"), str(e / "x.png"), naive, CPU, *rest,
                         background=str(e / "first.npz"))
    (e / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ImageError, match="bad.npz: not a hole fill"):
        stages.make_edit(*args, str(e / "x.png"), naive, CPU, *rest, background=str(e / "bad.npz"))


def test_the_hole_fill_is_shared_by_methods_that_fill_alike_and_only_by_them():
    from simbil.pipeline.config import Workflow

    cfg = {"dataset": {"modes": [], "pairs": 0}, "photos": ["coffee"],
           "methods": {"bgdip": {"method": "bgdip"}, "naive": {"method": "bgdip", "harmonise": False},
                       "quick": {"method": "bgdip", "settings": {"iterations": 50}}, "telea": {}},
           "edits": [{"id": "paint", "image": "photos/coffee", "op": "attribute", "target": "o1",
                      "attributes": {"color": "blue"}}]}
    wf = Workflow(cfg, ".")
    assert [wf.background_owner("paint", m) for m in ("bgdip", "naive", "quick", "telea")] == [
        "bgdip", "bgdip", "quick", "telea"]


def test_a_hole_fill_is_written_under_the_name_given_and_read_back_exactly(tmp_path):
    from simbil.pipeline.stages import read_hole_fill, write_hole_fill

    src = np.random.default_rng(0).random((8, 9, 3)).astype(np.float32)
    hole = np.zeros((8, 9), bool)
    hole[2:5, 3:6] = True
    filled = src.copy()
    filled[hole] = 0.25
    write_hole_fill(str(tmp_path / "fill.bin"), filled, src, hole)  # not .npz: no name of numpy's own
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fill.bin"]
    assert np.array_equal(read_hole_fill(str(tmp_path / "fill.bin"), src, hole), filled)


def test_a_job_whose_fills_are_all_too_thin_for_the_network_leases_no_device(tmp_path, bank, monkeypatch):
    """An addition re-makes only the thin seam around what it places: the biharmonic fill's, so
    the job takes no device and fits nothing; a move's hole is fitted, on a leased device."""
    import simbil.edits.make as make
    import simbil.inpaint.fit as fitting

    wants, fits = [], []
    real_lease, real_fit = make.lease_device, fitting.fit
    monkeypatch.setattr(make, "lease_device", lambda want, *a, **k: wants.append(want) or real_lease("cpu", *a, **k))
    monkeypatch.setattr(fitting, "fit", lambda *a, **k: fits.append(1) or real_fit(*a, **k))
    auto = RunOptions(device="auto", quiet=True)
    settings = {"iterations": 5, "max_resolution": 32}
    for mode, want, fitted in (("addition", "cpu", False), ("relationship", "auto", True)):
        d, e, _, _ = run_op(tmp_path / mode, mode, bank, method="bgdip", roi="truth", **settings)  # on the CPU
        wants.clear()
        fits.clear()
        spec = MethodSpec.parse("bgdip", {"roi": "truth", "settings": settings})
        info = stages.make_edit(str(d / "source.png"), str(e / "mask.png"), str(e / "auto.png"), spec, auto,
                                str(e / "plan.json"), str(e / "graph.json"), str(bank.folder))
        assert wants == [want] and bool(fits) == fitted, mode
        assert np.array_equal(read_image(e / "auto.png"), read_image(e / "out.png"))  # the same image either way
        assert info["settings"]["device"] == "cpu"


def test_a_sentence_is_read_on_the_scene_the_dataset_seed_makes_not_on_a_stale_file(tmp_path):
    """After dataset.seed or its size changes, results/ still holds the old scene's graph until its
    job reruns: the check reads what the job will make (a stale file resolved a sentence to an
    object of the old scene)."""
    import json

    from simbil.pipeline.config import Workflow

    def cfg(seed):
        return {"dataset": {"modes": ["removal"], "pairs": 1, "seed": seed, "width": 320, "height": 240},
                "methods": {"telea": {}}}

    old = Workflow(cfg(0), tmp_path).graph("clevr/removal/000000/source")
    stale = tmp_path / "results/datasets/clevr/removal/000000/source.json"
    stale.parent.mkdir(parents=True)
    stale.write_text(json.dumps({"objects": []}))  # whatever is there must not be read
    new = Workflow(cfg(7), tmp_path).graph("clevr/removal/000000/source")
    describe = lambda g: [(o["name"], o["attributes"]) for o in g["objects"]]  # noqa: E731
    assert describe(new) != describe(old)
    assert describe(Workflow(cfg(0), tmp_path).graph("clevr/removal/000000/source")) == describe(old)
    target = Workflow(cfg(0), tmp_path).graph("clevr/removal/000000/target")
    assert describe(target) != describe(old)  # a target is its own scene, not the source's


def test_a_chain_may_name_what_its_upstream_moved_or_added_whose_box_is_not_chosen_yet(tmp_path):
    """At the check, a moved or added object has no box yet (its method places it): the chained
    edits that name it are not refused for that; an object with no box in the user's own graph is."""
    from simbil.pipeline.checks import config_problems, spec_problems

    src = "clevr/removal/000000/source"
    cfg = {"dataset": {"modes": ["removal"], "pairs": 1, "seed": 0, "width": 320, "height": 240},
           "masks": {"dilate": 2, "shadow": "known"}, "inpaint": {"seed": 0, "device": "cpu", "threads": 1},
           "methods": {"bgdip": {"method": "bgdip"}, "telea": {"method": "telea"}},
           "edits": [{"id": "mv", "image": src, "op": "relation", "target": "o1",
                      "relations": [{"predicate": "left of", "object": "o0"}]},
                     {"id": "rm", "image": "edits/mv/bgdip", "op": "remove", "target": "o1"},
                     {"id": "add", "image": src, "op": "add", "new": {"name": "cube", "attributes": {"color": "red"}},
                      "relations": [{"predicate": "right of", "object": "o0"}]},
                     {"id": "by-new", "image": "edits/add/bgdip", "op": "relation", "target": "o0",
                      "relations": [{"predicate": "left of", "object": "o7"}]}]}
    problems = config_problems(cfg, tmp_path)
    assert not [p for p in problems if "('rm')" in p or "('by-new')" in p], problems
    g = {"image": "x.png", "width": 64, "height": 48, "relationships": [],
         "objects": [{"id": "o1", "name": "cube", "attributes": {}, "bbox": None, "mask": "m.png"}]}
    assert [f for f, _ in spec_problems({"op": "remove", "target": "o1"}, g)] == ["target"]  # a mask is not enough
