"""A moved metal object leaves its neighbours' reflections behind."""

import numpy as np

from simbil.edits.reflections import clear_reflections, neighbours_shown


def _scene(material: str, neighbour: str):
    image = np.full((20, 20, 3), 0.45, np.float32)  # a gray object
    own = np.zeros((20, 20), bool)
    own[5:15, 5:15] = True
    image[6:8, 6:9] = [0.45, 0.12, 0.12]  # a red patch: the red cube beside it, reflected
    image[10, 10] = [0.9, 0.9, 0.9]  # a highlight
    obj = {"id": "o1", "attributes": {"color": "gray", "material": material}}
    g = {"objects": [obj, {"id": "o2", "attributes": {"color": neighbour}}]}
    return image, own, obj, g


def test_a_metal_object_shows_its_red_neighbour_and_loses_it():
    image, own, obj, g = _scene("metal", "red")
    shown = neighbours_shown(image, own, obj, g)
    assert shown[6:8, 6:9].all() and shown.sum() == 6  # the highlight and the gray body are its own
    out = clear_reflections(image, own, obj, g)
    assert np.allclose(out[6:8, 6:9], 0.45) and np.array_equal(out[~shown], image[~shown])


def test_rubber_and_gray_neighbours_show_nothing():
    for material, neighbour in (("rubber", "red"), ("metal", "gray")):
        image, own, obj, g = _scene(material, neighbour)
        assert not neighbours_shown(image, own, obj, g).any()
