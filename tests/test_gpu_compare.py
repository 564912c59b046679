"""benchmarks.gpu_compare: a device's confirmation rows against the committed CPU ones."""

import pandas as pd


def test_the_cpu_rows_against_themselves_differ_by_nothing_and_a_shift_shows():
    from benchmarks.gpu_compare import CPU_ROWS, RESULTS, compare

    rows = pd.concat([pd.read_csv(RESULTS / name).query("set == @s") for s, name in CPU_ROWS.items()])
    same = compare(rows)
    assert list(same["set"]) == ["clevr", "real", "photos"]
    assert (same["roi_ssim other − CPU"] == "+0.0000 ± 0.0000").all()
    shifted = rows.assign(roi_ssim=rows["roi_ssim"] - 0.01)
    assert (compare(shifted)["roi_ssim other − CPU"] == "-0.0100 ± 0.0000").all()
