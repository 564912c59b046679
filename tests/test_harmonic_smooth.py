"""bgdip's `harmonic_smooth`: the blend's biharmonic fill solved from Gaussian-averaged known
pixels, in holes whose ring is not textured (simbil.inpaint.harmonic, simbil.inpaint.dip)."""

import dataclasses

import numpy as np

from simbil.inpaint.dip import inpaint_dip
from simbil.inpaint.harmonic import biharmonic_fill
from simbil.inpaint.registry import get_inpainter
from simbil.inpaint.settings import DIPSettings

TINY = DIPSettings(levels=2, channels=8, skip_channels=2, noise_channels=4, iterations=20, device="cpu")


def _floor(noise: float, stripes: bool = False, seed: int = 0):
    """A smooth ramp (a lit floor) with pixel noise, or with stripes; the truth has no noise."""
    y, x = np.mgrid[0:48, 0:64] / 64
    third = (np.sin(40 * x) > 0) * 0.5 + 0.2 if stripes else 0.3 + 0 * x
    truth = np.dstack([0.3 + 0.4 * x, 0.4 + 0.2 * y, third]).astype(np.float32)
    img = truth + np.random.default_rng(seed).normal(0, noise, truth.shape).astype(np.float32)
    mask = np.zeros((48, 64), bool)
    mask[16:32, 22:42] = True
    return img, truth, mask


def test_smoothing_the_source_keeps_noise_out_of_the_fill_and_known_pixels_as_given():
    img, truth, mask = _floor(0.05)
    plain, smoothed = biharmonic_fill(img, mask), biharmonic_fill(img, mask, smooth=1.5)
    err = lambda f: np.abs(f[mask] - truth[mask]).mean()  # noqa: E731
    assert err(smoothed) < 0.8 * err(plain)
    assert np.array_equal(smoothed[~mask], img[~mask])
    clean = truth.copy()  # no noise to remove: a linear ramp comes back either way
    assert np.abs(biharmonic_fill(clean, mask, smooth=1.5) - clean)[mask].max() < 0.01


def test_bgdip_smooths_only_an_untextured_rings_biharmonic_fill():
    off, on = dataclasses.replace(TINY, harmonic_smooth=0.0), dataclasses.replace(TINY, harmonic_smooth=1.5)
    img, _, mask = _floor(0.003)  # a floor's ring: below confidence_texture
    a, b = inpaint_dip(img, mask, off), inpaint_dip(img, mask, on)
    assert not np.array_equal(a[mask], b[mask]) and np.array_equal(a[~mask], b[~mask])
    striped, _, smask = _floor(0.0, stripes=True)  # a textured ring: the biharmonic fill as it is
    assert np.array_equal(inpaint_dip(striped, smask, off), inpaint_dip(striped, smask, on))


def test_no_smoothing_around_placed_objects():
    assert get_inpainter("bgdip").settings(placing=True).harmonic_smooth == 0
