"""What the Snakemake rules call: one function per stage (`stages`), the checks a config must
pass before any job runs (`checks`, over the config as `config` resolves it)."""

import os


def put_on_pythonpath(folder: str) -> None:
    """Make jobs import simbil from `folder` (the workflow's checkout), whether they run in the
    project's venv or in a stage's conda env, where the package is not installed."""
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if folder not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([folder, *paths])
