"""bgdip's confidence gate: the network's share scaled by how much its fill moves, on holes with a
textured ring only (simbil.inpaint.confidence: spread, gated; simbil.inpaint.texture)."""

import dataclasses

import numpy as np

from simbil.inpaint import crop as cropping
from simbil.inpaint.confidence import gated, spread
from simbil.inpaint.dip import _biharmonic, _plan, inpaint_dip
from simbil.inpaint.fit import fit
from simbil.inpaint.registry import get_inpainter
from simbil.inpaint.settings import DIPSettings
from simbil.inpaint.texture import ring_texture

TINY = DIPSettings(levels=2, channels=8, skip_channels=2, noise_channels=4, iterations=20, device="cpu")


def _image(stripes: bool = True):
    y, x = np.mgrid[0:40, 0:48] / 48
    third = (np.sin(40 * x) > 0) * 0.5 + 0.2 if stripes else 0.2 + 0 * x
    img = np.dstack([x, y, third]).astype(np.float32)
    mask = np.zeros((40, 48), bool)
    mask[15:26, 18:30] = True
    return img, mask


def _fit():
    img, mask = _image()
    c = _plan(mask, TINY)
    crop_img, crop_hole = cropping.take(img, mask, c)
    trace: dict = {}
    return img, mask, c, crop_img, crop_hole, fit(crop_img, crop_hole, TINY, trace=trace), trace


def test_trace_leaves_the_fit_alone_and_hands_back_the_network():
    img, mask, c, crop_img, crop_hole, y, trace = _fit()
    assert np.array_equal(y, fit(crop_img, crop_hole, TINY))
    assert trace["size"] == y.shape[:2]
    assert spread(trace, TINY, samples=4, scale=0.0).max() == 0  # no jitter: the same output each time
    std = spread(trace, TINY, samples=4, scale=3.0)
    assert std.shape == y.shape[:2] and std.max() > 0


def test_gate_spans_bgdip_to_biharmonic_and_keeps_known_pixels():
    img, mask, c, _, _, y, _ = _fit()
    net = cropping.paste(img, mask, c, y, seam=0)
    harmonic = _biharmonic(img, mask, c)
    work = np.zeros((c.height, c.width), np.float32)
    sure = gated(img, mask, c, net, harmonic, 0.5, work, tau=0.02)
    assert np.allclose(sure[mask], 0.5 * net[mask] + 0.5 * harmonic[mask])
    unsure = gated(img, mask, c, net, harmonic, 0.5, work + 0.05, tau=0.02)
    assert np.allclose(unsure[mask], harmonic[mask])
    for out in (sure, unsure):
        assert np.array_equal(out[~mask], img[~mask])


def test_ring_texture_tells_stripes_from_a_smooth_ring():
    assert ring_texture(*_image(stripes=True)) > 0.004 > ring_texture(*_image(stripes=False))


def test_confidence_moves_only_a_textured_holes_fill_towards_biharmonic():
    off = dataclasses.replace(TINY, confidence=0.0)
    on = dataclasses.replace(TINY, confidence=0.015)
    img, mask = _image(stripes=True)
    a, b = inpaint_dip(img, mask, off), inpaint_dip(img, mask, on)
    assert np.array_equal(a[~mask], b[~mask]) and np.array_equal(b[~mask], img[~mask])
    harmonic = _biharmonic(img, mask, _plan(mask, TINY))
    assert np.abs(b[mask] - harmonic[mask]).mean() < np.abs(a[mask] - harmonic[mask]).mean()
    # a ring below `confidence_texture`, or a threshold above this ring's texture: no gate at all
    flat, fmask = _image(stripes=False)
    assert np.array_equal(inpaint_dip(flat, fmask, off), inpaint_dip(flat, fmask, on))
    high = dataclasses.replace(on, confidence_texture=1.0)
    assert np.array_equal(inpaint_dip(img, mask, high), a)


def test_no_confidence_gate_around_placed_objects():
    bgdip = get_inpainter("bgdip")
    assert bgdip.settings().confidence > 0
    assert bgdip.settings(placing=True).confidence == 0
