"""The image-only shadow estimate (simbil.shadow) and the removal masks that use it."""

import copy

import numpy as np
import pytest
from scipy import ndimage

from simbil.clevr.render import render_scene
from simbil.clevr.sampler import sample_scene
from simbil.shadow import ShadowSettings, estimate_shadow, luma


def _floor(h=120, w=160, seed=0):
    rng = np.random.default_rng(seed)
    img = np.full((h, w, 3), 0.6, np.float32) + 0.01 * rng.standard_normal((h, w, 3)).astype(np.float32)
    img += np.linspace(0, 0.1, h, dtype=np.float32)[:, None, None]  # a gentle gradient, as lit floors have
    obj = np.zeros((h, w), bool)
    obj[40:70, 60:90] = True
    img[obj] = [0.8, 0.1, 0.1]
    return img, obj


def iou(a, b):
    return (a & b).sum() / max(1, (a | b).sum())


def test_a_dark_patch_beside_the_object_is_found_and_bare_floor_gives_nothing():
    img, obj = _floor()
    assert estimate_shadow(img, obj).sum() < 20
    shadow = np.zeros_like(obj)
    shadow[55:75, 90:115] = True
    img[shadow] *= 0.7
    est = estimate_shadow(img, obj)
    assert iou(est, shadow) > 0.7 and not (est & obj).any()


def test_dark_floor_away_from_the_object_is_not_its_shadow():
    img, obj = _floor()
    img[5:20, 5:30] *= 0.6  # another thing's shadow, not touching this object
    assert not estimate_shadow(img, obj)[5:20, 5:30].any()


def test_colour_check_rejects_a_dark_thing_of_another_colour():
    img, obj = _floor()
    blue = np.zeros_like(obj)
    blue[50:70, 90:110] = True
    img[blue] = [0.1, 0.2, 0.5]
    assert estimate_shadow(img, obj)[blue].mean() < 0.1
    assert estimate_shadow(img, obj, settings=ShadowSettings(chroma=1.0))[blue].mean() > 0.8


def test_one_side_keeps_the_side_the_darkness_points_to():
    img, obj = _floor()
    img[45:68, 90:120] *= 0.6  # the cast shadow, right
    img[50:60, 52:60] *= 0.85  # a faint rim on the lit side, left
    kept = estimate_shadow(img, obj, settings=ShadowSettings(grow=0))
    both = estimate_shadow(img, obj, settings=ShadowSettings(grow=0, one_side=False))
    assert kept[45:68, 92:118].mean() > 0.9 and both[50:60, 52:58].mean() > 0.5 and not kept[50:60, 52:58].any()


def test_others_are_never_shadow():
    img, obj = _floor()
    img[55:75, 90:115] *= 0.7
    others = np.zeros_like(obj)
    others[55:75, 100:115] = True
    assert not (estimate_shadow(img, obj, others) & others).any()


def test_estimate_recovers_the_rendered_contact_shadow():
    recall = []
    for seed in range(4, 9):  # the largest of three objects, in five scenes
        scene = sample_scene(np.random.default_rng([seed, seed]), 3)
        r = render_scene(scene, 320, 240)
        k = max(range(3), key=lambda i: r.mask(i).sum())
        empty = copy.deepcopy(scene)
        del empty["objects"][k]
        visible = r.shadows[k] & (luma(r.image) < 0.92 * luma(render_scene(empty, 320, 240).image))
        others = (r.instance >= 0) & ~r.mask(k)
        est = estimate_shadow(r.image.astype(np.float32) / 255, r.mask(k), others)
        assert visible.sum() > 50
        recall.append((est & visible).sum() / visible.sum())
    assert np.mean(recall) > 0.5 and min(recall) > 0.3


@pytest.mark.parametrize("settings", [ShadowSettings(reach=0.5), ShadowSettings(darker=0.2), ShadowSettings(grow=4),
                                      ShadowSettings(smooth=1), ShadowSettings(reference="plane"),
                                      ShadowSettings(percentile=90.0), ShadowSettings(max_area=0.2)])
def test_every_setting_changes_the_estimate(settings):
    img, obj = _floor()
    img[50:68, 90:120] *= np.linspace(0.6, 0.95, 30, dtype=np.float32)[None, :, None]  # a fading shadow
    assert not np.array_equal(estimate_shadow(img, obj), estimate_shadow(img, obj, settings=settings))


def test_touch_decides_how_far_a_shadow_may_start_from_the_object():
    img, obj = _floor()
    img[45:68, 94:120] *= 0.6  # 4 px of lit floor between object and shadow
    assert not estimate_shadow(img, obj).any()
    assert estimate_shadow(img, obj, settings=ShadowSettings(touch=6))[45:68, 96:118].mean() > 0.9


def test_removal_masks_take_the_known_the_estimated_or_no_shadow(tmp_path):
    from simbil.imageio import read_mask
    from simbil.pipeline import stages

    d = stages.render_pair(str(tmp_path / "ds"), "removal", 0, 0, 320, 240)
    stages.make_graph(str(d / "source.json"), str(tmp_path / "graph.json"), str(d / "source.png"))
    stages.edit_spec(str(tmp_path / "edit.json"), "r", "clevr/removal/000000/source", pair_edit=str(d / "edit.json"))
    masks = {}
    for how in ("none", "known", "estimate"):
        stages.removal_mask(str(tmp_path / "edit.json"), str(tmp_path / "graph.json"), str(tmp_path / f"{how}.png"),
                            2, how)
        masks[how] = read_mask(tmp_path / f"{how}.png")
    none, known, est = masks["none"], masks["known"], masks["estimate"]
    assert (none <= known).all() and (none <= est).all()
    assert known.sum() > none.sum() + 100 and est.sum() > none.sum() + 20 and not np.array_equal(known, est)
    with pytest.raises(ValueError, match="shadow must be one of"):
        stages.removal_mask(str(tmp_path / "edit.json"), str(tmp_path / "graph.json"), str(tmp_path / "x.png"), 2, True)
    assert not (tmp_path / "x.png").exists()


def test_the_area_cap_keeps_the_nearest_part_of_a_dark_region():
    img, obj = _floor()
    img[45:65, 90:125] *= 0.6  # 700 px of dark floor beside a 900 px object
    est = estimate_shadow(img, obj, settings=ShadowSettings(grow=0, max_area=0.5))
    whole = estimate_shadow(img, obj, settings=ShadowSettings(grow=0, max_area=1.0))
    assert whole.sum() > 550 and 400 <= est.sum() <= 470
    assert est[47:63, 90:100].all() and not est[:, 118:].any()


def test_an_unknown_reference_is_refused():
    img, obj = _floor()
    with pytest.raises(ValueError, match="reference must be local or plane"):
        estimate_shadow(img, obj, settings=ShadowSettings(reference="sky"))
