"""The benchmark's own pieces for looking at fills: the mirrored detail rule and the photo order."""

import numpy as np
from scipy import ndimage


def test_mirrored_detail_takes_the_known_detail_across_the_nearest_known_pixel():
    from benchmarks.fill_rules import mirrored_detail

    rng = np.random.default_rng(0)
    image = rng.uniform(0.2, 0.8, (40, 40, 3)).astype(np.float32)
    mask = np.zeros((40, 40), bool)
    mask[15:25, 10:30] = True
    out = mirrored_detail(image, mask, 2.0)
    assert not out[~mask].any()  # nothing outside the hole
    other = image.copy()
    other[mask] = rng.uniform(0, 1, (int(mask.sum()), 3))
    assert np.array_equal(mirrored_detail(other, mask, 2.0), out)  # the hole's content never enters
    known = (~mask).astype(np.float32)[..., None]
    blur = ndimage.gaussian_filter(image * known, (2, 2, 0)) / ndimage.gaussian_filter(known, (2, 2, 0))
    detail = image - blur
    # row 16 lies 2 px inside the top edge (known row 14 is nearest): its mirror is row 12
    assert np.allclose(out[16, 20], detail[12, 20], atol=1e-5)
    assert np.allclose(out[20, 20], detail[30, 20], atol=1e-5)  # nearer the bottom edge (row 25)
    island = mask.copy()
    island[12:14, 22] = True  # (16, 22)'s nearest known pixel, (14, 22), has hole on its far side
    assert not mirrored_detail(image, island, 2.0)[16, 22].any()


def test_the_portraits_are_drawn_last_so_earlier_photos_keep_their_holes():
    from benchmarks.holes import CONFIRMATION_PHOTOS, PHOTOS, TUNING_PHOTOS

    assert set(PHOTOS) == set(TUNING_PHOTOS) | set(CONFIRMATION_PHOTOS)
    assert PHOTOS[-2:] == ("grace_hopper", "luispedro")
    assert PHOTOS[:4] == ("immunohistochemistry", "hubble_deep_field", "retina", "china")


def test_ring_texture_reads_the_ring_only_and_ranks_texture_over_a_gradient():
    from benchmarks.texture_gate import ring_texture

    rng = np.random.default_rng(1)
    ramp = np.repeat(np.linspace(0.2, 0.8, 64, dtype=np.float32)[None, :, None], 64, 0).repeat(3, 2)
    mask = np.zeros((64, 64), bool)
    mask[24:40, 24:40] = True
    noisy = np.clip(ramp + rng.normal(0, 0.05, ramp.shape).astype(np.float32), 0, 1)
    assert ring_texture(ramp, mask) < 0.002 < 0.01 < ring_texture(noisy, mask)
    other = noisy.copy()
    other[mask] = 0  # the hole's content never enters
    assert ring_texture(other, mask) == ring_texture(noisy, mask)
    far = noisy.copy()
    far[:8] = 0.5  # nor do pixels beyond the 8 px ring
    assert ring_texture(far, mask) == ring_texture(noisy, mask)


def test_the_contrib_rules_say_what_they_need_where_opencv_has_no_xphoto(monkeypatch):
    import cv2
    import pytest

    from benchmarks.fill_rules import xphoto_fill

    monkeypatch.delattr(cv2, "xphoto", raising=False)  # the project's OpenCV has none anyway
    with pytest.raises(SystemExit, match="contrib"):
        xphoto_fill(np.zeros((8, 8, 3), np.float32), np.eye(8, dtype=bool), "fsr")


def test_lowpass_rule_adds_the_networks_colour_inside_and_nothing_at_the_edge():
    from benchmarks.fill_rules import Parts
    from simbil.inpaint.crop import Crop

    y, x = np.mgrid[0:40, 0:40].astype(np.float32)
    image = np.stack([x / 40, y / 40, np.full_like(x, 0.3)], axis=-1)
    mask = np.zeros((40, 40), bool)
    mask[10:30, 10:30] = True
    p = Parts(image, mask, Crop(0, 40, 0, 40, 1.0, 40, 40), np.clip(image + 0.2, 0, 1))  # a brighter "fit"
    out = p.lowpass(1.0, 4, 4)
    assert np.array_equal(out[~mask], image[~mask])
    edge = mask & ~ndimage.binary_erosion(mask)
    assert np.allclose(out[edge], p.harmonic[edge])  # faded in from the edge: no seam
    assert (out[20, 20] - p.harmonic[20, 20]).mean() > 0.1  # deep inside: the fit's brightness
    assert np.array_equal(p.lowpass(0.0, 4, 4), p.harmonic)


def test_lowpass_with_no_fade_adds_the_colour_up_to_the_edge():
    from benchmarks.fill_rules import Parts
    from simbil.inpaint.crop import Crop

    image = np.full((30, 30, 3), 0.4, np.float32)
    mask = np.zeros((30, 30), bool)
    mask[10:20, 10:20] = True
    p = Parts(image, mask, Crop(0, 30, 0, 30, 1.0, 30, 30), np.full((30, 30, 3), 0.6, np.float32))
    out = p.lowpass(1.0, 2, 0)
    assert np.isfinite(out).all() and (out[mask] > p.harmonic[mask] + 0.05).all()
