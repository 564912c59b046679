"""benchmarks.roi_steps: the RoI training step's parts, timed."""

from benchmarks.roi_steps import main


def test_prints_each_part(capsys):
    main(["--graphs", "300", "--epochs", "1"])
    out = capsys.readouterr().out
    assert out.startswith("2 steps of 128 graphs")
    for part in ("batching", "forward", "backward", "Adam"):
        assert f"| {part} |" in out
