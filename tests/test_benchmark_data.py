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
