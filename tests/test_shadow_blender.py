"""The measures that hold the renderer's shadows to Blender's (benchmarks.shadow_blender)."""

import cv2
import numpy as np
from scipy import ndimage


def test_blender_pngs_read_as_linear_light_at_either_depth(tmp_path):
    from benchmarks.shadow_blender import srgb_luminance

    grey = np.linspace(0, 1, 64)[None, :, None].repeat(4, axis=0).repeat(3, axis=2)
    cv2.imwrite(str(tmp_path / "a8.png"), np.round(grey * 255).astype(np.uint8))
    cv2.imwrite(str(tmp_path / "a16.png"), np.round(grey * 65535).astype(np.uint16))
    a8, a16 = srgb_luminance(tmp_path / "a8.png"), srgb_luminance(tmp_path / "a16.png")
    assert np.abs(a8 - a16).max() < 0.005  # 8-bit rounding
    assert abs(a16[0, 32] - ((32 / 63 + 0.055) / 1.055) ** 2.4) < 1e-3  # sRGB's curve, not a plain gamma


def test_darkening_and_area_read_a_known_shadow():
    from benchmarks.shadow_blender import measure

    objects = np.zeros((240, 320), bool)
    objects[100:140, 100:140] = True
    ring = ndimage.binary_dilation(objects, iterations=10) & ~objects
    ratio = np.where(ring, 0.7, 1.0)
    m = measure(ratio, objects)
    assert abs(m["darkening"] - 0.3) < 1e-9
    assert abs(m["area"] - ring.sum() / objects.sum()) < 1e-9
    assert 0 < m["cast"] < m["area"]  # the ring beyond 8 px from the object
    faint = measure(np.where(ring, 0.95, 1.0), objects)  # less than 10 % darker: not visible shadow
    assert faint["area"] == 0 and abs(faint["darkening"] - 0.05) < 1e-9


def test_the_scenes_are_the_same_on_every_run():
    from benchmarks.shadow_blender import scenes

    a, b = scenes(3), scenes(3)
    assert list(a) == ["seed00", "seed01", "seed02"] and a == b
