"""The RoI predictor (GRU over relation triples), its training, and the geometric baseline."""

import numpy as np
import pytest

from simbil.clevr.camera import Camera
from simbil.roi.features import OWN_DIM, STEP_DIM, box_to_target, iou, own_features, step_features, target_to_box
from simbil.roi.geometry import floor_point, object_box
from simbil.roi.heuristic import heuristic_box, standing_box
from simbil.roi.model import build_model
from simbil.roi.train import TrainSettings, encode, load, predict_boxes, sample, save, train

OBJ = {"a": {"id": "a", "name": "cube", "attributes": {"color": "red", "material": "metal", "size": "large"},
             "bbox": [140, 90, 180, 130]}}


def test_features_have_fixed_widths_and_boxes_round_trip():
    steps = step_features([{"predicate": "left of", "object": "a"}], OBJ, 320, 240)
    assert steps.shape == (1, STEP_DIM) and own_features("sphere", "small").shape == (OWN_DIM,)
    assert steps[0, 0] == 1 and np.allclose(steps[0, -4:], [140 / 320, 90 / 240, 180 / 320, 130 / 240])
    box = [10.0, 20.0, 50.0, 100.0]
    assert np.allclose(target_to_box(box_to_target(box, 320, 240), 320, 240), box)
    assert iou(box, box) == pytest.approx(1.0) and iou(box, [60, 20, 70, 30]) == 0


def test_model_maps_any_number_of_relations_to_a_normalised_box():
    model = build_model("gru", hidden=16)
    rng = np.random.default_rng(0)
    examples = [sample(rng, 320, 240) for _ in range(5)]
    steps, lengths, own = encode(examples, 320, 240)
    out = model(steps, lengths, own)
    assert out.shape == (5, 4) and bool(((out > 0) & (out < 1)).all())
    assert len(set(lengths.tolist())) > 1  # padded sequences of different lengths
    with pytest.raises(ValueError, match="unknown RoI model"):
        build_model("transformer")


def test_short_training_reduces_the_loss_and_the_model_file_loads_back(tmp_path):
    model, info = train(TrainSettings(graphs=300, epochs=5, hidden=16, batch=32), log=lambda m: None)
    losses = [h["loss"] for h in info["history"]]
    assert losses[-1] < losses[0]
    save(tmp_path / "roi.pt", model, info)
    again = load(tmp_path / "roi.pt")  # weights_only=True inside
    ex = [sample(np.random.default_rng(3), 320, 240)]
    assert np.allclose(predict_boxes(model, ex, 320, 240), predict_boxes(again, ex, 320, 240))


def test_training_data_boxes_are_tight_and_inside_the_image():
    e = sample(np.random.default_rng(1), 320, 240)
    x0, y0, x1, y1 = e["box"]
    assert 0 <= x0 < x1 <= 320 and 0 <= y0 < y1 <= 240
    assert e["relations"] and all(r["object"] in e["objects"] for r in e["relations"])


def test_floor_point_inverts_the_projection():
    cam = Camera()
    px, py, _ = cam.project([[1.0, -2.0, 0.0]], 320, 240)[0]
    x, y = floor_point(cam, px, py, 320, 240)
    assert (x, y) == pytest.approx((1.0, -2.0), abs=1e-3)
    assert floor_point(cam, 160, 0, 320, 240) is None or True  # above the horizon may be None
    b = object_box("sphere", "large", 0, 0, cam, 320, 240)
    assert 0 < b[0] < b[2] < 320 and 0 < b[1] < b[3] < 240


def test_heuristic_keeps_the_stated_relations_and_sizes_by_perspective():
    left = heuristic_box("sphere", "large", [{"predicate": "left of", "object": "a"}], OBJ, 320, 240)
    right = heuristic_box("sphere", "large", [{"predicate": "right of", "object": "a"}], OBJ, 320, 240)
    front = heuristic_box("sphere", "large", [{"predicate": "front of", "object": "a"}], OBJ, 320, 240)
    behind = heuristic_box("sphere", "large", [{"predicate": "behind", "object": "a"}], OBJ, 320, 240)
    assert (left[0] + left[2]) / 2 < 160 < (right[0] + right[2]) / 2
    assert front[3] > 130 > behind[3]
    assert front[3] - front[1] > behind[3] - behind[1]  # nearer is bigger
    small = standing_box("sphere", "small", 160, 150, 320, 240)
    large = standing_box("sphere", "large", 160, 150, 320, 240)
    assert large[3] - large[1] > 1.6 * (small[3] - small[1])


def test_training_examples_are_what_the_graph_reader_gives_of_the_same_layout():
    from simbil.clevr.sampler import sample_scene
    from simbil.graphs import from_clevr_scene

    rng, again = np.random.default_rng(3), np.random.default_rng(3)
    for _ in range(20):
        ex = sample(rng, 320, 240)
        g = from_clevr_scene(sample_scene(again, int(again.integers(3, 8)), 320, 240, check_visible=False),
                             width=320, height=240)
        t = g["objects"][int(again.integers(len(g["objects"])))]
        assert (ex["name"], ex["size"]) == (t["name"], t["attributes"]["size"])
        assert ex["relations"] == [{"predicate": r["predicate"], "object": r["object"]}
                                   for r in g["relationships"] if r["subject"] == t["id"]]
        assert {k: (o["name"], o["attributes"]) for k, o in ex["objects"].items()} == {
            o["id"]: (o["name"], o["attributes"]) for o in g["objects"] if o["id"] != t["id"]}


def test_a_file_that_is_no_model_is_named(tmp_path):
    import torch

    from simbil.errors import UserError

    for name, data in [("text.pt", b"not a model"), ("empty.pt", b"")]:
        (tmp_path / name).write_bytes(data)
        with pytest.raises(UserError, match=f"{name}: not a SIMBIL RoI model"):
            load(tmp_path / name)
    torch.save({"state": {}, "hidden": 8}, tmp_path / "other.pt")  # a torch file, not ours
    with pytest.raises(UserError, match="other.pt: not a SIMBIL RoI model"):
        load(tmp_path / "other.pt")


def test_the_trainer_checks_its_settings_as_the_config_does():
    """The config's `roi:` block and TrainSettings hold the same defaults and bounds, so the stage
    refuses what the config check would (it ran a bad value into an IndexError)."""
    from dataclasses import fields
    from pathlib import Path

    import yaml

    schema = yaml.safe_load((Path(__file__).parents[1] / "schemas" / "config.schema.yaml").read_text())
    block = schema["properties"]["roi"]["properties"]
    for f in fields(TrainSettings):
        if f.name in block:
            rule = block[f.name]
            assert rule["default"] == f.default, f.name
            assert rule.get("minimum", rule.get("exclusiveMinimum")) == f.metadata["low"], f.name
            assert ("exclusiveMinimum" in rule) == f.metadata["low_open"], f.name
            assert rule.get("maximum") == f.metadata["high"], f.name
    for bad in ({"epochs": -1}, {"lr": 0.3}, {"hidden": 2.5}, {"graphs": 5}, {"colour": 1}):
        with pytest.raises(ValueError):
            TrainSettings.make(**bad)
