"""benchmarks.gms_depth: GMS and gradient magnitude by depth into the hole."""

import numpy as np
import pandas as pd

from benchmarks.gms_depth import depth_rows, table
from benchmarks.holes import Hole


def _hole():
    yy, xx = np.mgrid[0:64, 0:64] / 64
    truth = np.dstack([np.sin(30 * xx) * 0.3 + 0.5, (yy > 0.5) * 0.6 + 0.2, xx * yy]).astype(np.float32)
    mask = np.zeros((64, 64), bool)
    mask[20:44, 20:44] = True
    return Hole("t", "h", truth, mask, truth, [20, 20, 44, 44])


def test_the_truth_scores_one_everywhere_and_a_flat_fill_less_deep_inside():
    h = _hole()
    flat = h.truth.copy()
    flat[h.mask] = h.truth[h.mask].mean(0)
    df = pd.DataFrame(depth_rows("t", h, {"truth-fill": h.truth, "flat": flat}))
    by = df.set_index(["bin", "method"])
    gms = by.gms_sum / by.pixels
    assert np.allclose(gms.xs("truth-fill", level="method").dropna(), 1.0)
    assert by.pixels[("-4..-2", "flat")] == 0  # the RoI reaches 2 px (1 half-res px) past the hole
    # 4 to 8 half-res px deep: the middle of a 24 px hole (the RoI holds it all, so its edge is the hole's)
    assert by.pixels[("4..8", "flat")] == 16 and np.isclose(by.magnitude_sum[("4..8", "flat")], 0)
    assert gms[("4..8", "flat")] < 0.5 < gms[("0..1", "flat")]
    assert "GMS flat" in table(df) and "magnitude truth" in table(df)
