"""benchmarks.band_veto: a hidden band's verdict between bgdip's gated fill and biharmonic's."""

import dataclasses

import numpy as np
from scipy import ndimage

from benchmarks.band_veto import band_fill, band_scores
from simbil.inpaint.settings import BGDIP


def _image():
    yy, xx = np.mgrid[0:48, 0:48] / 48
    img = np.dstack([np.sin(20 * xx) * 0.3 + 0.5, (yy > 0.5) * 0.6 + 0.2, xx * yy]).astype(np.float32)
    mask = np.zeros((48, 48), bool)
    mask[18:28, 18:28] = True
    return img, mask, ndimage.binary_dilation(mask, iterations=4) & ~mask


def test_band_scores_rank_a_worse_fill_lower():
    img, mask, band = _image()
    assert band_scores(img, img, band) == {"mse": 0.0, "gms": 0.0}
    flat = img.copy()
    flat[band] = img[band].mean(0)
    worse = band_scores(flat, img, band)
    assert worse["mse"] > 0 and worse["gms"] > 0


def test_band_fill_fills_hole_and_band_only():
    img, mask, band = _image()
    g, h = band_fill(img, mask, band, dataclasses.replace(BGDIP, iterations=5))
    outside = ~(mask | band)
    assert np.array_equal(g[outside], img[outside]) and np.array_equal(h[outside], img[outside])
    assert not np.allclose(g[band], img[band]) and not np.allclose(h[band], img[band])
