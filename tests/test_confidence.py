"""benchmarks.confidence: the network's share gated by how much its fill moves."""

import numpy as np

from benchmarks.confidence import gated, spread
from simbil.inpaint import crop as cropping
from simbil.inpaint.dip import _biharmonic, _plan, fit
from simbil.inpaint.settings import DIPSettings


def _fit():
    y, x = np.mgrid[0:40, 0:48] / 48
    img = np.dstack([x, y, (np.sin(9 * x) > 0) * 0.5 + 0.2]).astype(np.float32)
    mask = np.zeros((40, 48), bool)
    mask[15:26, 18:30] = True
    s = DIPSettings(levels=2, channels=8, skip_channels=2, noise_channels=4, iterations=20, device="cpu")
    c = _plan(mask, s)
    crop_img, crop_hole = cropping.take(img, mask, c)
    trace: dict = {}
    return img, mask, s, c, crop_img, crop_hole, fit(crop_img, crop_hole, s, trace=trace), trace


def test_trace_leaves_the_fit_alone_and_hands_back_the_network():
    img, mask, s, c, crop_img, crop_hole, y, trace = _fit()
    assert np.array_equal(y, fit(crop_img, crop_hole, s))
    assert trace["size"] == y.shape[:2]
    assert spread(trace, s, samples=4, scale=0.0).max() == 0  # no jitter: the same output each time
    std = spread(trace, s, samples=4, scale=3.0)
    assert std.shape == y.shape[:2] and std.max() > 0


def test_gate_spans_bgdip_to_biharmonic_and_keeps_known_pixels():
    img, mask, s, c, _, _, y, _ = _fit()
    net = cropping.paste(img, mask, c, y, seam=0)
    harmonic = _biharmonic(img, mask, c)
    work = np.zeros((c.height, c.width), np.float32)
    sure = gated(img, mask, c, net, harmonic, 0.5, work, tau=0.02)
    assert np.allclose(sure[mask], 0.5 * net[mask] + 0.5 * harmonic[mask])
    unsure = gated(img, mask, c, net, harmonic, 0.5, work + 0.05, tau=0.02)
    assert np.allclose(unsure[mask], harmonic[mask])
    for out in (sure, unsure):
        assert np.array_equal(out[~mask], img[~mask])
