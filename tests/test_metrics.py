import numpy as np
import pytest
from skimage.metrics import structural_similarity

from simbil.metrics import roi_box, scores, ssim, ssim_simsg


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
