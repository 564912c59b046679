"""benchmarks.choose: the tuning part alone picks the variant a script confirms."""

import pandas as pd
import pytest


def _rows(part, scores):
    return [{"set": "photos", "part": part, "hole": f"h{i}", "method": m, "roi_ssim": s, "roi_gmsd": g}
            for m, per_hole in scores.items() for i, (s, g) in enumerate(per_hole)]


def test_the_variant_best_on_tuning_against_the_reference_is_chosen_and_confirmation_rows_do_not_count():
    from benchmarks.choose import choose

    tuning = {"biharmonic": [(0.60, 0.20), (0.70, 0.10)],
              "a": [(0.62, 0.19), (0.71, 0.10)],  # +0.015 SSIM, +0.005 GMSD
              "b": [(0.60, 0.15), (0.70, 0.09)]}  # +0.000 SSIM, +0.030 GMSD: best summed
    confirmation = {"biharmonic": [(0.5, 0.5)], "a": [(0.9, 0.0)], "b": [(0.1, 0.9)]}  # would pick a
    df = pd.DataFrame(_rows("tuning", tuning) + _rows("confirmation", confirmation))
    assert choose(df, "biharmonic", ["a", "b"]) == "b"


def test_main_prints_the_chosen_spec_as_given(tmp_path, capsys):
    from benchmarks.choose import main

    df = pd.DataFrame(_rows("tuning", {"biharmonic": [(0.6, 0.2), (0.7, 0.1)], "big": [(0.7, 0.1), (0.8, 0.05)],
                                       "bgdip": [(0.61, 0.2), (0.7, 0.1)]}))
    df.to_csv(tmp_path / "t.csv", index=False)
    main([str(tmp_path / "t.csv"), "--methods", "bgdip,big=bgdip:iterations=1000,biharmonic"])
    out = capsys.readouterr()
    assert out.out.strip() == "big=bgdip:iterations=1000"
    assert "bgdip:" in out.err and "big:" in out.err


def test_no_candidate_rows_is_an_error():
    from benchmarks.choose import choose

    df = pd.DataFrame(_rows("confirmation", {"biharmonic": [(0.6, 0.2)], "a": [(0.7, 0.1)]}))
    with pytest.raises(ValueError, match="tuning rows"):
        choose(df, "biharmonic", ["a"])
