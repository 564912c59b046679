"""benchmarks.score_by_iou: a run's scores binned by its own placed box's IoU."""

import pandas as pd


def test_scores_are_binned_by_the_runs_own_rnn_box_iou():
    from benchmarks.score_by_iou import by_iou

    rows = []
    for i, (iou, score) in enumerate([(0.0, 0.4), (0.1, 0.3), (0.15, 0.5), (0.9, 0.8)]):
        rows += [{"mode": "addition", "edit": f"a{i}", "method": "roi:rnn", "iou": iou, "shadow_roi_ssim": None},
                 {"mode": "addition", "edit": f"a{i}", "method": "bgdip", "iou": None, "shadow_roi_ssim": score}]
    t = by_iou(pd.DataFrame(rows), "bgdip", "shadow_roi_ssim").loc["addition"]
    assert t.loc["0", "count"] == 1 and t.loc["0", "mean"] == 0.4  # a clean miss has a bin of its own
    assert t.loc["(0.001, 0.2]", "count"] == 2 and abs(t.loc["(0.001, 0.2]", "mean"] - 0.4) < 1e-9
    assert t.loc["(0.8, 1.0]", "mean"] == 0.8
