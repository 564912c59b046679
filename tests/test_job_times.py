from benchmarks.job_times import kind


def test_jobs_are_sorted_by_stage_and_by_whether_the_inpainter_is_a_network():
    fill = ('python -m simbil stage inpaint results/edits/e/bgdip.png results/edits/f/mask.png -o results/edits/f/{m}.png '
            '--spec \'{{"inpainter": "{i}", "name": "{m}"}}\'')
    # a chain's input may be a network's output: the spec decides, not the paths
    assert kind(fill.format(m="ns", i="ns")) == "inpaint (classical)"
    assert kind(fill.format(m="naive", i="bgdip")) == "inpaint (network)"
    assert kind("python -m simbil stage graph results/x/scene.json --image x.png") == "graph"


def test_a_job_is_named_by_its_log_whatever_else_its_command_line_says():
    from benchmarks.job_times import log_file

    old = "python -m simbil stage mask e.json g.json -o m.png > results/logs/masks/e.log 2>&1"
    new = "python -m simbil stage mask e.json g.json -o m.png --outline o.png > results/logs/masks/e.log 2>&1"
    assert log_file(old) == log_file(new) == "results/logs/masks/e.log"
