import numpy as np
import pandas as pd
import pytest
from scipy import ndimage
from skimage.metrics import structural_similarity

from simbil.metrics import gmsd, grad_ratio, roi_box, scores, ssim, ssim_simsg
from simbil.report import summary


def test_identical_images_score_perfectly():
    a = np.random.default_rng(0).random((30, 40, 3)).astype(np.float32)
    s = scores(a, a, bbox=[5, 5, 20, 20])
    assert s["ssim"] == pytest.approx(1) and s["ssim_simsg"] == pytest.approx(1)
    assert s["mae"] == 0 and s["psnr"] == float("inf") and s["roi_ssim"] == pytest.approx(1)


def test_ssim_is_scikit_images_default():
    rng = np.random.default_rng(1)
    a, b = rng.random((32, 32, 3)), rng.random((32, 32, 3))
    assert ssim(a, b) == pytest.approx(structural_similarity(a, b, channel_axis=2, data_range=1.0))


def test_simsg_ssim_is_lower_for_noise_and_uses_zero_padding():
    rng = np.random.default_rng(2)
    a = np.full((20, 20, 3), 0.5)
    b = np.clip(a + rng.normal(0, 0.1, a.shape), 0, 1)
    assert ssim_simsg(a, b) < 0.5
    # zero padding: a flat image is not perfectly similar to a brighter flat image at the borders
    assert ssim_simsg(a, a) == pytest.approx(1)
    assert ssim_simsg(a, a + 0.1) < 1


def test_mae_is_on_the_0_255_scale():
    a = np.zeros((4, 4, 3))
    assert scores(a, a + 0.1)["mae"] == pytest.approx(25.5)


def test_roi_is_widened_by_two_and_clipped():
    assert roi_box([0, 10, 20, 30], 25, 31) == (0, 8, 22, 31)


# --- GMSD and the gradient ratio --------------------------------------------------------------


def _gmsd_as_matlab(a, b, valid=False):
    """Xue et al.'s GMSD.m, line by line, with scipy's convolution standing in for conv2(·, 'same')
    (zero padding): Y on [0, 255], 2×2 average, every second pixel, Prewitt/3, T = 170, std2."""
    maps = []
    for x in (a, b):
        Y = (0.299 * x[..., 0] + 0.587 * x[..., 1] + 0.114 * x[..., 2]) * 255
        if valid:  # the RoI variant: full 2×2 blocks only, and only gradients that see no padding
            Y = Y[:Y.shape[0] // 2 * 2, :Y.shape[1] // 2 * 2]
        Y = ndimage.convolve(Y, np.ones((2, 2)) / 4, mode="constant")[::2, ::2]
        dx = np.array([[1, 0, -1]] * 3) / 3
        g = np.sqrt(ndimage.convolve(Y, dx, mode="constant") ** 2 + ndimage.convolve(Y, dx.T, mode="constant") ** 2)
        maps.append(g[1:-1, 1:-1] if valid else g)
    m1, m2 = maps
    q = (2 * m1 * m2 + 170) / (m1**2 + m2**2 + 170)
    return np.std(q, ddof=1)  # MATLAB's std2 normalises by N - 1


def _texture(seed, n=96):
    t = ndimage.gaussian_filter(np.random.default_rng(seed).random((n, n)), 1.0)
    return np.repeat(((t - t.min()) / (t.max() - t.min()))[..., None], 3, axis=2)


def _disk(n, r):
    yy, xx = np.mgrid[:n, :n]
    return (yy - n // 2) ** 2 + (xx - n // 2) ** 2 < r**2


@pytest.mark.parametrize("shape", [(40, 52), (41, 37), (17, 10)])
@pytest.mark.parametrize("valid", [False, True])
def test_gmsd_matches_a_line_by_line_port_of_the_authors_code(shape, valid):
    rng = np.random.default_rng(3)
    a = rng.random((*shape, 3))
    b = np.clip(ndimage.gaussian_filter(a, (1, 1, 0)) + rng.normal(0, 0.05, a.shape), 0, 1)
    assert gmsd(a, b, valid) == pytest.approx(_gmsd_as_matlab(a, b, valid), rel=1e-12)


def test_gmsd_is_zero_for_identical_images_and_symmetric():
    # properties of the official code: GMSD(x, x) = 0 and GMSD(x, y) = GMSD(y, x)
    rng = np.random.default_rng(4)
    a, b = rng.random((33, 45, 3)), rng.random((33, 45, 3))
    assert gmsd(a, a) == 0 and gmsd(a, a, valid=True) == 0
    assert gmsd(a, b) == gmsd(b, a) > 0
    s = scores(a, a, bbox=[5, 5, 25, 25])
    assert s["gmsd"] == 0 and s["roi_gmsd"] == 0


def test_gmsd_grows_with_blur_and_guards_tiny_regions():
    a = _texture(5)
    d = [gmsd(ndimage.gaussian_filter(a, (s, s, 0)), a) for s in (0.5, 1, 2, 4)]
    assert 0 < d[0] < d[1] < d[2] < d[3]
    assert np.isnan(gmsd(a[:9, :9], a[:9, :9], valid=True))  # a 4×4 half-size crop: a 2×2 GMS map
    assert gmsd(a[:10, :10], a[:10, :10], valid=True) == 0
    assert np.isnan(scores(a, a, bbox=[40, 40, 43, 43])["roi_gmsd"])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_on_a_fine_texture_gmsd_prefers_a_sharp_shifted_fill_where_ssim_prefers_blur(seed):
    a, hole, box = _texture(seed), _disk(96, 20), [28, 28, 68, 68]
    fills = {"flat": np.broadcast_to(a[hole].mean(0), a.shape), "blur": ndimage.gaussian_filter(a, (3, 3, 0)),
             "shifted": np.roll(a, (9, 7), (0, 1))}
    s = {}
    for name, f in fills.items():
        out = a.copy()
        out[hole] = f[hole]
        s[name] = scores(out, a, box, mask=hole)
    assert s["blur"]["roi_ssim"] > s["shifted"]["roi_ssim"]  # SSIM rewards the blur ...
    assert s["shifted"]["roi_gmsd"] < s["blur"]["roi_gmsd"] < s["flat"]["roi_gmsd"]  # ... GMSD does not
    assert s["flat"]["grad_ratio"] < 0.1 and s["blur"]["grad_ratio"] < 0.1
    assert s["shifted"]["grad_ratio"] == pytest.approx(1, abs=0.15)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_grad_ratio_is_one_on_an_untouched_texture_and_near_zero_for_a_flat_fill(seed):
    a, hole = _texture(seed, 128), _disk(128, 30)
    assert grad_ratio(a, hole) == pytest.approx(1, abs=0.15)
    flat = a.copy()
    flat[hole] = a[hole].mean(0)
    assert grad_ratio(flat, hole) < 0.1
    assert grad_ratio(flat, hole[..., None].repeat(3, 2)) == grad_ratio(flat, hole)  # a 3-channel mask


def test_grad_ratio_is_nan_without_a_hole_or_surroundings():
    a = _texture(0, 32)
    assert np.isnan(grad_ratio(a, np.zeros((32, 32), bool)))
    assert np.isnan(grad_ratio(a, np.ones((32, 32), bool)))  # no ring
    flat_ring = np.full((32, 32, 3), 0.5)
    assert np.isnan(grad_ratio(flat_ring, _disk(32, 5)))
    assert "grad_ratio" not in scores(a, a)
    s = scores(flat_ring, a, mask=_disk(32, 5))
    assert np.isnan(s["grad_ratio"]) and s["truth_grad_ratio"] == grad_ratio(a, _disk(32, 5)) > 0


def test_summary_tables_show_gmsd_and_grad_ratio_and_read_older_csvs():
    row = {"set": "s", "method": "m", "seconds": 1.0, "roi_ssim": 0.5, "roi_gmsd": 0.123456, "grad_ratio": 0.5}
    md = summary(pd.DataFrame([row]), "set")
    assert "RoI GMSD ↓" in md and "grad ratio" in md and "0.1235" in md and "0.5000" in md
    old = {k: v for k, v in row.items() if k not in ("roi_gmsd", "grad_ratio")}
    assert "GMSD" not in summary(pd.DataFrame([old]), "set")
