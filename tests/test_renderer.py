import copy

import numpy as np
import pytest

from simbil.clevr.camera import Camera
from simbil.clevr.render import Renderer, render_scene
from simbil.clevr.sampler import PlacementError, all_visible, placement_ok, sample_scene


def one_object(**kw):
    obj = {"id": "o0", "shape": "sphere", "size": "large", "material": "rubber", "color": "red",
           "rotation": 0.0, "3d_coords": [0.0, 0.0, 0.7]}
    obj.update(kw)
    return {"objects": [obj], "render_seed": 3}


def test_same_scene_same_pixels(scene5):
    a, b = render_scene(scene5, 160, 120), render_scene(copy.deepcopy(scene5), 160, 120)
    assert np.array_equal(a.image, b.image) and np.array_equal(a.shadows, b.shadows)


def test_render_seed_only_moves_noise(scene5):
    other = dict(scene5, render_seed=scene5["render_seed"] + 1)
    a, b = render_scene(scene5, 160, 120), render_scene(other, 160, 120)
    diff = np.abs(a.image.astype(int) - b.image.astype(int))
    assert diff.any() and np.array_equal(a.instance, b.instance)
    assert diff.mean() < 1.0  # shadow-ray noise, nothing structural


def test_object_appears_where_the_camera_projects_it():
    r = render_scene(one_object(), 160, 120)
    x, y, _ = Camera().project([[0, 0, 0.7]], 160, 120)[0]
    assert r.instance[int(y), int(x)] == 0
    x0, y0, x1, y1 = r.bbox(0)
    assert x0 < x < x1 and y0 < y < y1
    # red rubber reads as red
    assert (r.image[r.mask(0)].mean(axis=0) @ [1, -0.5, -0.5]) > 40


def test_each_shape_has_its_own_silhouette():
    areas = {s: render_scene(one_object(shape=s, **({"3d_coords": [0, 0, 0.495]} if s == "cube" else {})),
                             160, 120).mask(0).sum() for s in ("cube", "sphere", "cylinder")}
    assert areas["cylinder"] > areas["sphere"] and len(set(areas.values())) == 3


def test_small_objects_are_smaller():
    big = render_scene(one_object(), 160, 120).mask(0).sum()
    small = render_scene(one_object(size="small", **{"3d_coords": [0, 0, 0.35]}), 160, 120).mask(0).sum()
    assert 0.15 < small / big < 0.35  # half the radius, about a quarter of the area


def test_metal_shows_highlights_and_reflections_rubber_does_not():
    rub = render_scene(one_object(color="gray"), 160, 120)
    met = render_scene(one_object(color="gray", material="metal"), 160, 120)
    lum_r = rub.image[rub.mask(0)].mean(axis=1)
    lum_m = met.image[met.mask(0)].mean(axis=1)
    assert lum_m.max() > 230 and lum_m.std() > 1.5 * lum_r.std()


def test_shadow_darkens_the_floor_where_the_mask_says():
    r = render_scene(one_object(), 160, 120)
    shadow, floor = r.shadows[0], r.instance == -1
    assert shadow.sum() > 100 and not (shadow & r.mask(0)).any()
    lum = lambda im: im.astype(float).mean(axis=2)
    darkening = (lum(render_scene({"objects": [], "render_seed": 3}, 160, 120).image) - lum(r.image))[floor]
    assert darkening.min() >= -1
    assert np.percentile(darkening[shadow[floor]], 90) > 12 and np.percentile(darkening[~shadow[floor]], 99) < 4


def test_key_light_shadow_points_away_from_the_key_light(monkeypatch):
    import simbil.clevr.render as R

    monkeypatch.setattr(R, "AMBIENT", 0.0)  # no sky light, so no contact shadow either

    def key_only(scene):
        r = Renderer(scene, 160, 120)
        r.lights = r.lights[:1]
        return r.render().image.astype(float).mean(axis=2)

    obj = one_object(size="small", **{"3d_coords": [0, 0, 0.35]})
    dark = np.clip(key_only({"objects": [], "render_seed": 3}) - key_only(obj), 0, None)
    # where each pixel's ray meets the floor, in world coordinates
    cam = Camera()
    py, px = np.mgrid[0:120, 0:160]
    D = cam.rays(160, 120, px.ravel() + 0.5, py.ravel() + 0.5)
    P = np.asarray(cam.location) + D * (-cam.location[2] / D[:, 2:3])
    w = dark.ravel() * (Renderer(obj, 160, 120).ids_only().ravel() == -1)
    centroid = (P[:, :2] * w[:, None]).sum(axis=0) / w.sum()
    key = np.array(R.LIGHTS["key"][0][:2])
    assert centroid @ key / np.linalg.norm(key) < -0.3


def test_the_sky_on_the_floor_comes_from_the_sun_and_objects_shadow_it(monkeypatch):
    import simbil.clevr.lighting as L
    import simbil.clevr.render as R
    from simbil.clevr.properties import SUN

    monkeypatch.setattr(L, "LIGHTS", {k: (p, 0.0, r, b) for k, (p, _, r, b) in L.LIGHTS.items()})  # lamps off
    obj = one_object(size="small", **{"3d_coords": [0, 0, 0.35]})
    lum = lambda s: render_scene(s, 160, 120).image.astype(float).mean(axis=2)
    dark = np.clip(lum({"objects": [], "render_seed": 3}) - lum(obj), 0, None)
    floor = Renderer(obj, 160, 120).ids_only() == -1
    cam = Camera()
    py, px = np.mgrid[0:120, 0:160]
    D = cam.rays(160, 120, px.ravel() + 0.5, py.ravel() + 0.5)
    P = (np.asarray(cam.location) + D * (-cam.location[2] / D[:, 2:3]))[:, :2]
    w = (dark * floor).ravel()
    assert w.sum() > 0 and dark[floor].max() > 20  # a shadow, though the lamps are off
    way = np.array(SUN[0][:2]) / np.linalg.norm(SUN[0][:2])  # where the sun's light goes
    centroid = (P * w[:, None]).sum(axis=0) / w.sum()
    assert centroid @ way > 0.1  # cast downwind of the sun, not all round the foot
    monkeypatch.setattr(R, "SUN", ((-way[0], -way[1], SUN[0][2]), SUN[1]))  # the sun on the other side
    dark2 = np.clip(lum({"objects": [], "render_seed": 3}) - lum(obj), 0, None)
    w2 = (dark2 * floor).ravel()
    assert ((P * w2[:, None]).sum(axis=0) / w2.sum()) @ way < -0.1


def test_floor_darkens_towards_the_horizon_like_clevr():
    img = render_scene({"objects": [], "render_seed": 0}, 160, 120).image.astype(float).mean(axis=2)
    top, bottom = img[:10].mean(), img[-10:].mean()
    assert 85 < top < 125 and bottom > top + 15


@pytest.mark.parametrize("size", [(64, 48), (200, 80)])
def test_any_size_renders(scene5, size):
    r = render_scene(scene5, *size)
    assert r.image.shape == (size[1], size[0], 3) and r.shadows.shape == (5, size[1], size[0])


def test_sampler_obeys_placement_rules():
    rng = np.random.default_rng(1)
    for _ in range(3):
        s = sample_scene(rng, 6, 96, 72)
        objs = s["objects"]
        assert len(objs) == 6 and all(-3 <= o["3d_coords"][0] <= 3 for o in objs)
        for i, o in enumerate(objs):
            assert placement_ok(o, *o["3d_coords"][:2], objs[:i] + objs[i + 1:], s["directions"])
        assert all_visible(s, 96, 72)


def test_sampler_gives_up_clearly():
    with pytest.raises(PlacementError, match="no valid scene of 40 objects"):
        sample_scene(np.random.default_rng(0), 40, 64, 48, max_scene_tries=2)


def test_visibility_counts_occluded_objects():
    front = {"id": "o1", "shape": "cube", "size": "large", "material": "rubber", "color": "blue",
             "rotation": 0.0, "3d_coords": [2.0, -1.8, 0.495]}
    hidden = dict(one_object(size="small", **{"3d_coords": [0.9, -0.8, 0.35]})["objects"][0])
    scene = {"objects": [front, hidden], "render_seed": 0}
    counts = Renderer(scene, 160, 120).render().pixel_counts()
    assert counts[0] > 200 and counts[1] < counts[0] / 4
