"""Box-prompted segmentation (GrabCut + clean-up) and the `simbil segment` command."""

import numpy as np
import pytest
from PIL import Image

from simbil.cli import main
from simbil.clevr.render import render_scene
from simbil.clevr.sampler import sample_scene
from simbil.segment import SegmentError, SegmentSettings, segment


@pytest.fixture(scope="module")
def rendered():
    scene = sample_scene(np.random.default_rng([0, 9]), 4)
    r = render_scene(scene, 320, 240)
    k = max(range(4), key=lambda i: r.mask(i).sum())
    return r.image.astype(np.float32) / 255, r.bbox(k), r.mask(k)


def iou(a, b):
    return (a & b).sum() / (a | b).sum()


def test_grabcut_outlines_a_rendered_object(rendered):
    img, box, truth = rendered
    m = segment(img, box)
    assert iou(m, truth) > 0.85
    x0, y0, x1, y1 = box
    assert not m[:, : max(0, x0 - 3)].any() and not m[:, x1 + 3:].any()  # nothing far outside the box


def test_clean_up_keeps_one_component_without_holes(rendered):
    from scipy import ndimage

    img, box, _ = rendered
    m = segment(img, box, SegmentSettings(component_share=1.0, fill_holes=True))
    assert ndimage.label(m)[1] == 1 and np.array_equal(ndimage.binary_fill_holes(m), m)


def test_component_share_keeps_a_thin_detached_part():
    """A spoon's handle: a second, smaller part inside the box stays when it is at least
    component_share of the largest, and goes when only the largest is kept."""
    rng = np.random.default_rng(3)
    img = 0.8 + 0.03 * rng.standard_normal((120, 160, 3)).astype(np.float32)
    img[40:90, 40:80] = [0.2, 0.2, 0.6]  # the bowl
    img[30:85, 95:103] = [0.2, 0.2, 0.6]  # the handle, apart from it: 440 px vs 2000
    box = [35, 25, 110, 95]
    both = segment(img, box, SegmentSettings(component_share=0.1))
    alone = segment(img, box, SegmentSettings(component_share=1.0))
    assert both[60, 99] and both[60, 60] and not alone[60, 99] and alone[60, 60]


@pytest.mark.parametrize("box, words", [([10, 10, 10, 50], "zero or negative"), ([-5, 0, 40, 40], "outside"),
                                        ([0, 0, 400, 40], "outside"), ([0, 0, 2, 2], "too small"),
                                        (["a", 0, 4, 4], "four numbers"), ([0, 0, 320, 240], "whole image")])
def test_bad_boxes_are_refused(rendered, box, words):
    with pytest.raises(SegmentError, match=words):
        segment(rendered[0], box)


def test_the_command_writes_a_mask_or_fails_cleanly(rendered, tmp_path):
    img, box, truth = rendered
    Image.fromarray((img * 255).astype(np.uint8)).save(tmp_path / "in.png")
    assert main(["segment", str(tmp_path / "in.png"), "--box", ",".join(map(str, box)), "-o", str(tmp_path / "m.png")]) == 0
    m = np.asarray(Image.open(tmp_path / "m.png")) > 0
    assert iou(m, truth) > 0.85
    assert main(["segment", str(tmp_path / "in.png"), "--box", "0,0,999,10", "-o", str(tmp_path / "bad.png")]) == 2
    assert not (tmp_path / "bad.png").exists()
