"""benchmarks.learned_stencil: biharmonic's fill with a stencil fitted to the known pixels."""

import numpy as np

from benchmarks.learned_stencil import FOUR, fill, learn
from simbil.inpaint.classical import biharmonic
from simbil.inpaint.settings import BiharmonicSettings


def _smooth():
    yy, xx = np.mgrid[0:40, 0:40] / 40
    img = np.dstack([0.2 + 0.6 * xx * yy, 0.5 + 0.3 * np.sin(3 * xx), 0.3 + 0.4 * yy**2]).astype(np.float32)
    mask = np.zeros((40, 40), bool)
    mask[15:24, 14:25] = True
    return img, mask


def test_the_four_neighbour_stencil_is_biharmonics_fill():
    img, mask = _smooth()
    ours = fill(img, mask, r=0, lam=0)
    theirs = biharmonic(img, mask, BiharmonicSettings())
    assert np.array_equal(ours[~mask], img[~mask])
    assert np.abs(ours - theirs).max() < 0.01


def test_a_fitted_stencil_keeps_constants_and_follows_the_data():
    img, mask = _smooth()
    st = learn(img.astype(np.float64), ~mask, r=2, lam=1e-6)
    assert abs(sum(st.values()) - 0.5) < 1e-9  # each weight counts at ± its offset
    assert st != FOUR
    flat = np.full_like(img, 0.4)
    assert np.allclose(fill(flat, mask, r=2, lam=1e-3), 0.4, atol=1e-6)
    # with a heavy pull to the four-neighbour average the fit is that average
    heavy = learn(img.astype(np.float64), ~mask, r=2, lam=1e6)
    assert all(abs(heavy[o] - FOUR.get(o, 0.0)) < 1e-4 for o in heavy)
