"""The hand-read data the benchmarks stand on."""

import numpy as np

from simbil.roi.features import iou


def test_the_replicas_of_the_real_renders_stand_in_their_marked_boxes():
    from benchmarks.shadow_strength import reference, replicas

    ious = []
    for (name, _, marked), (_, _, ours) in zip(reference(), replicas()[0]):
        assert len(ours) == len(marked), name  # every object read, every one in view
        ious += [iou(a, b) for a, b in zip(marked, ours)]
    assert np.median(ious) > 0.8 and min(ious) > 0.2


def test_real_object_masks_come_from_the_photo_graphs_boxes(monkeypatch):
    import json

    from benchmarks import holes
    from simbil.datasets.photos import PHOTO_GRAPHS

    monkeypatch.setattr(holes, "photo_names", lambda: ["coffee"])
    shapes = holes.real_shapes()
    boxes = [(o["h"], o["w"]) for o in json.loads((PHOTO_GRAPHS / "coffee.json").read_text())["objects"]]
    assert 1 <= len(shapes) <= len(boxes)
    for s in shapes:  # GrabCut's mask stays inside its box (widened by the segmentation's 2 px pad)
        assert s.any() and any(s.shape[0] <= h + 4 and s.shape[1] <= w + 4 for h, w in boxes)


def test_real_object_holes_are_drawn_per_photo_and_split_by_photograph(monkeypatch):
    from benchmarks import holes

    disk = np.hypot(*np.mgrid[-20:21, -20:21]) <= 20
    monkeypatch.setattr(holes, "real_shapes", lambda: [disk, disk[:, :30]])
    got = holes.real_object_holes(2, 0)
    photos = {h.name.rsplit("-", 1)[0] for h in got}
    assert {"astronaut", "coffee"} <= photos and len(got) == 2 * len(photos)
    for h in got:
        assert h.set == "realmasks" and h.name.rsplit("-", 1)[1] in ("real0", "real1")
        assert not h.mask[:8].any() and not h.mask[-8:].any() and not h.mask[:, :8].any() and not h.mask[:, -8:].any()
        in_tuning = h.name.rsplit("-", 1)[0] in holes.TUNING_PHOTOS
        assert holes.part(h) == ("tuning" if in_tuning else "confirmation")
    assert holes.real_object_holes(2, 0)[0].mask.tobytes() == got[0].mask.tobytes()  # seeded
