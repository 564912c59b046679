"""Free floor: a placed object lands where its stated relations hold, on no other object and
inside the image; relations no position satisfies are refused, named."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simbil.clevr.camera import Camera
from simbil.clevr.properties import MIN_DIST, half_extent
from simbil.roi.floor import NoPlace, floor_position, free_spots, holds, snap
from simbil.roi.geometry import object_box

W, H = 320, 240
CAM = Camera()
SPOTS = {"o1": ("cube", "large", -1.5, 0.5), "o2": ("sphere", "small", 1.0, -1.0), "o3": ("cylinder", "large", 2.0, 2.0)}


def graph_objects() -> dict:
    return {k: {"id": k, "name": n, "attributes": {"size": s}, "bbox": object_box(n, s, x, y, CAM, W, H)}
            for k, (n, s, x, y) in SPOTS.items()}


def test_floor_position_inverts_the_projection():
    for k, (n, s, x, y) in SPOTS.items():
        p = floor_position(graph_objects()[k], CAM, W, H)
        assert np.hypot(p[0] - x, p[1] - y) < 0.05, k


def test_snap_lands_where_the_relations_hold_on_free_floor():
    others = graph_objects()
    rels = [{"predicate": "left of", "object": "o2"}, {"predicate": "front of", "object": "o3"}]
    on_o1 = others["o1"]["bbox"]  # a predicted box right on top of another object
    box = snap(on_o1, "cube", "small", rels, others, CAM, W, H)
    p = floor_position({"bbox": box, "name": "cube", "attributes": {"size": "small"}}, CAM, W, H)
    d = CAM.directions()
    for r in rels:
        q = SPOTS[r["object"]][2:]
        assert holds(r["predicate"], p, q, d)
    for n, s, x, y in SPOTS.values():
        assert np.hypot(p[0] - x, p[1] - y) - half_extent("cube", "small") - half_extent(n, s) >= MIN_DIST - 0.05
    assert box[0] >= 0 and box[1] >= 0 and box[2] <= W and box[3] <= H


def test_relations_that_cannot_hold_together_are_refused_by_name():
    others = graph_objects()
    rels = [{"predicate": "left of", "object": "o2"}, {"predicate": "right of", "object": "o2"}]
    assert len(free_spots("cube", "small", rels, others, CAM, W, H)) == 0
    with pytest.raises(NoPlace, match="'left of o2' and 'right of o2' cannot both hold"):
        snap([0, 0, 10, 10], "cube", "small", rels, others, CAM, W, H)


def test_a_config_with_impossible_relations_is_refused_before_any_job():
    import yaml

    from simbil.pipeline.checks import config_problems
    from test_pipeline import TINY

    cfg = yaml.safe_load(TINY.read_text())
    cfg["edits"].append({"id": "nowhere", "image": "clevr/removal/000000/source", "op": "add",
                         "new": {"name": "cube", "attributes": {"size": "small"}},
                         "relations": [{"predicate": "behind", "object": "o2"}, {"predicate": "front of", "object": "o2"}]})
    problems = "\n".join(config_problems(cfg))
    assert "('nowhere'): relations: 'behind o2' and 'front of o2' cannot both hold" in problems


def _photo_graph() -> dict:
    """A 640×427 photo's graph, no camera: a rocket right of a mast, a tower at the left edge."""
    objs = [("o1", "rocket", [303, 125, 338, 410]), ("o2", "tower", [0, 0, 92, 427]), ("o4", "mast", [172, 120, 212, 420])]
    return {"image": "p.png", "width": 640, "height": 427, "relationships": [],
            "objects": [{"id": i, "name": n, "bbox": b, "attributes": {}, "mask": None} for i, n, b in objs]}


def test_on_a_photo_a_move_lands_clear_of_the_object_it_is_left_of_and_keeps_its_size():
    from simbil.edits.placement import in_plane
    from simbil.graphs.readers import relations_from_boxes

    g = _photo_graph()
    edit = {"id": "e", "relations": [{"predicate": "left of", "object": "o4"}]}
    others = {o["id"]: o for o in g["objects"] if o["id"] != "o1"}
    box = in_plane([222, 125, 257, 410], edit, others, 640, 427)  # a box right of the mast
    assert box[2] <= 172 and box[2] - box[0] == 35 and box[3] == 410  # clear of it, the least move
    moved = [{**g["objects"][0], "bbox": box}, others["o4"]]
    assert {"subject": "o1", "predicate": "left of", "object": "o4"} in relations_from_boxes(moved)
    assert in_plane([100, 125, 135, 410], edit, others, 640, 427) == [100, 125, 135, 410]  # already holds
    back = in_plane([100, 140, 135, 420], {"id": "e", "relations": [{"predicate": "behind", "object": "o4"}]},
                    others, 640, 427)
    assert back[3] < 400 and back[3] - back[1] == 280 and back[0] == 100  # up the floor line, not sideways
    assert {"subject": "o1", "predicate": "behind", "object": "o4"} in relations_from_boxes(
        [{**g["objects"][0], "bbox": back}, others["o4"]])


def test_on_a_photo_relations_no_place_holds_are_refused_by_name_before_any_job():
    from simbil.edits.placement import in_plane
    from simbil.graphs import EditError
    from simbil.pipeline.checks import spec_problems

    g = _photo_graph()
    edit = {"id": "e", "op": "relation", "target": "o1", "relations": [{"predicate": "left of", "object": "o2"}]}
    others = {o["id"]: o for o in g["objects"] if o["id"] != "o1"}
    with pytest.raises(EditError, match="left of o2"):
        in_plane([303, 125, 338, 410], edit, others, 640, 427)
    assert [f for f, _ in spec_problems(edit, g)] == ["relations"]
    both = {**edit, "relations": [{"predicate": "left of", "object": "o4"}, {"predicate": "right of", "object": "o4"}]}
    assert "left of o4 and right of o4" in spec_problems(both, g)[0][1]


def test_object_boxes_match_object_box_point_by_point():
    from simbil.roi.floor import object_boxes

    pts = np.array([[-2.0, 1.5], [0.3, -0.7], [2.5, 2.5]])
    for name, size in (("cube", "large"), ("sphere", "small"), ("cylinder", "large")):
        many = object_boxes(name, size, pts, CAM, W, H)
        for p, b in zip(pts, many):
            assert np.allclose(b, object_box(name, size, p[0], p[1], CAM, W, H), atol=1e-9)


def test_generator_spots_keep_clevrs_rules_and_a_moves_distance():
    from simbil.clevr.properties import MOVE_DISTANCE, PLACEMENT_RANGE
    from simbil.clevr.sampler import placement_ok
    from simbil.roi.floor import PRIOR_STEP, generator_spots

    others = graph_objects()
    rels = [{"predicate": "right of", "object": "o1"}]
    spots = generator_spots("sphere", "large", rels, others, CAM, W, H)
    assert len(spots) and np.abs(spots).max() <= PLACEMENT_RANGE + 1e-9
    d = CAM.directions()
    pos = {k: floor_position(o, CAM, W, H) for k, o in others.items()}
    # the generator's own rule (simbil.clevr.sampler), point by point over the same grid: the
    # spots are exactly the points it accepts where the relation holds
    placed = [{"shape": SPOTS[k][0], "size": SPOTS[k][1], "3d_coords": [q[0], q[1], 0.0]} for k, q in pos.items()]
    sphere = {"shape": "sphere", "size": "large"}
    step = np.arange(-PLACEMENT_RANGE, PLACEMENT_RANGE + 1e-9, PRIOR_STEP)
    accepted = [(x, y) for y in step for x in step
                if placement_ok(sphere, x, y, placed, d) and holds("right of", (x, y), pos["o1"], d)]
    assert np.allclose(np.array(accepted), spots)
    far = generator_spots("sphere", "large", rels, others, CAM, W, H, moved_from=(0.0, 0.0))
    assert len(far) < len(spots) and (np.hypot(far[:, 0], far[:, 1]) >= MOVE_DISTANCE).all()
    # where no spot is that far, the distance is dropped rather than the move refused
    pinned = rels + [{"predicate": "behind", "object": "o3"}]
    spots = generator_spots("sphere", "large", pinned, others, CAM, W, H)
    middle = spots.mean(0)
    assert len(spots) and np.hypot(*(spots - middle).T).max() < MOVE_DISTANCE
    assert len(generator_spots("sphere", "large", pinned, others, CAM, W, H, moved_from=middle)) == len(spots)


def test_the_predictions_pull_decides_between_likely_spots_only_within_its_reach(monkeypatch):
    import simbil.roi.floor as floor

    others = graph_objects()
    rels = [{"predicate": "behind", "object": "o2"}]
    sides = [(-2.5, 2.5), (2.5, -2.5)]
    preds = [object_box("sphere", "small", x, y, CAM, W, H) for x, y in sides]

    def landed(pull):
        monkeypatch.setattr(floor, "PULL", pull)
        return [floor_position({"bbox": snap(b, "sphere", "small", rels, others, CAM, W, H), "name": "sphere",
                                "attributes": {"size": "small"}}, CAM, W, H) for b in preds]

    near = landed(0.3)  # a short reach: each prediction keeps its side
    for (x, y), p in zip(sides, near):
        assert np.hypot(p[0] - x, p[1] - y) < min(np.hypot(q[0] - x, q[1] - y) for q in near if q is not p)
    for pull in (1e3, math.inf):  # a long one, and the default: the likely spots alone decide
        far = landed(pull)
        assert np.allclose(far[0], far[1])


def test_snap_lands_nearer_the_truth_than_the_free_spot_nearest_the_prediction():
    """On generated additions with one or two relations (benchmarks.free_floor's edits), placed
    from the heuristic's box: the mean IoU with the true box beats the nearest-free-spot rule."""
    from benchmarks.free_floor import case
    from benchmarks.placement import nearest_free
    from simbil.roi.features import iou
    from simbil.roi.heuristic import heuristic_box

    rng = np.random.default_rng([0, 505])
    ours, nearest = [], []
    for i in range(16):
        g, cam, others, truth, name, size, rels, true_box, _ = case("addition", i, 0, rng)
        pred = heuristic_box(name, size, rels, others, W, H, cam)
        ours.append(iou(snap(pred, name, size, rels, others, cam, W, H), true_box))
        nearest.append(iou(nearest_free(pred, name, size, rels, others, cam), true_box))
    assert np.mean(ours) > np.mean(nearest) + 0.03
