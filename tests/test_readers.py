import json

import pytest

from simbil.clevr.camera import Camera
from simbil.graphs import GraphError, from_clevr_scene, from_visual_genome, read_graph, relations_from_boxes

DIRS = Camera().directions()


def clevr_obj(x, y, shape="sphere", color="red"):
    return {"shape": shape, "color": color, "material": "rubber", "size": "large", "rotation": 0,
            "3d_coords": [x, y, 0.7], "pixel_coords": [0, 0, 0]}


def triples(g):
    return {(r["subject"], r["predicate"], r["object"]) for r in g["relationships"]}


def test_clevr_relationships_follow_the_camera():
    # `left` is the camera's left on the floor: an object displaced along it is left of the other.
    left = DIRS["left"]
    scene = {"objects": [clevr_obj(0, 0), clevr_obj(2 * left[0], 2 * left[1], "cube")], "directions": DIRS}
    g = from_clevr_scene(scene)
    t = triples(g)
    assert ("o1", "left of", "o0") in t and ("o0", "right of", "o1") in t
    assert not any(p in ("behind", "front of") for _, p, _ in t)


def test_clevr_relationships_from_scene_lists_are_kept():
    # CLEVR's lists: j in relationships["behind"][i] means j is behind i.
    scene = {"objects": [clevr_obj(0, 0), clevr_obj(1, 1)], "directions": DIRS,
             "relationships": {"left": [[], []], "right": [[], []], "behind": [[1], []], "front": [[], [0]]}}
    assert triples(from_clevr_scene(scene)) == {("o1", "behind", "o0"), ("o0", "front of", "o1")}


def test_official_clevr_scene_gets_ids_boxes_and_attributes():
    scene = {"image_filename": "CLEVR_new_000000.png", "objects": [clevr_obj(0, 0), clevr_obj(-2, 2, "cylinder")]}
    g = from_clevr_scene(scene)
    assert [o["id"] for o in g["objects"]] == ["o0", "o1"]
    assert g["objects"][1]["name"] == "cylinder"
    assert g["objects"][0]["attributes"] == {"color": "red", "material": "rubber", "size": "large"}
    x0, y0, x1, y1 = g["objects"][0]["bbox"]
    assert 130 < (x0 + x1) / 2 < 190 and 100 < (y0 + y1) / 2 < 160  # the origin is mid-image
    assert g["image"] == "CLEVR_new_000000.png"


def test_clevr_scene_missing_field_is_named():
    with pytest.raises(GraphError, match=r"objects\[0\]\.color"):
        from_clevr_scene({"objects": [{"shape": "cube", "material": "metal", "size": "large"}]})


VG = {
    "image": {"width": 200, "height": 100, "url": "photo.jpg"},
    "objects": [
        {"object_id": 11, "names": ["cat"], "x": 10, "y": 40, "w": 50, "h": 50, "attributes": ["orange", "furry"]},
        {"object_id": 12, "names": ["mug"], "x": 120, "y": 20, "w": 30, "h": 40, "attributes": ["white", "ceramic", "small"]},
    ],
    "relationships": [{"subject": {"object_id": 11}, "predicate": "Left Of", "object": {"object_id": 12}}],
}


def test_visual_genome_nested_format():
    g = from_visual_genome(VG)
    assert (g["width"], g["height"], g["image"]) == (200, 100, "photo.jpg")
    cat, mug = g["objects"]
    assert cat["id"] == "o11" and cat["bbox"] == [10, 40, 60, 90]
    assert cat["attributes"] == {"color": "orange", "other": ["furry"]}
    assert mug["attributes"] == {"color": "white", "material": "ceramic", "size": "small"}
    assert triples(g) == {("o11", "left of", "o12")}


def test_visual_genome_flat_format_and_geometry_relations():
    data = {"width": 200, "height": 100, "objects": [
        {"object_id": 1, "names": ["a"], "x": 0, "y": 0, "w": 40, "h": 40},
        {"object_id": 2, "names": ["b"], "x": 150, "y": 50, "w": 40, "h": 40}]}
    g = from_visual_genome(data)
    assert triples(g) == {("o1", "left of", "o2"), ("o1", "behind", "o2"),
                          ("o2", "right of", "o1"), ("o2", "front of", "o1")}


@pytest.mark.parametrize("mutate, match", [
    (lambda d: d["objects"][0].update(w=0), r"objects\[0\]\.w/h"),
    (lambda d: d["objects"][0].update(x=190), r"objects\[0\].*outside the 200x100"),
    (lambda d: d["relationships"][0].update(object={"object_id": 99}), r"relationships\[0\]\.object_id: no object has id '99'"),
    (lambda d: d["objects"][1].pop("names"), r"objects\[1\]\.names"),
])
def test_visual_genome_errors(mutate, match):
    data = json.loads(json.dumps(VG))
    mutate(data)
    with pytest.raises(GraphError, match=match):
        from_visual_genome(data, source="vg.json")


def test_relations_from_boxes_leave_near_ties_unrelated():
    objs = [{"id": "a", "bbox": [0, 0, 10, 10]}, {"id": "b", "bbox": [0.5, 0.5, 10.5, 10.5]}]
    assert relations_from_boxes(objs) == []


def test_read_graph_detects_format(tmp_path):
    p = tmp_path / "vg.json"
    p.write_text(json.dumps(VG))
    assert read_graph(p)["objects"][0]["name"] == "cat"
    p2 = tmp_path / "clevr.json"
    p2.write_text(json.dumps({"objects": [clevr_obj(0, 0)]}))
    assert read_graph(p2)["objects"][0]["name"] == "sphere"
