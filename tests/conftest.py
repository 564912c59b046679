import shutil

import numpy as np
import pytest

from simbil.clevr.sampler import sample_scene


@pytest.fixture(scope="session")
def scene5():
    """One valid five-object scene at 160×120 (small, so tests stay fast)."""
    return sample_scene(np.random.default_rng(7), 5, 160, 120)


@pytest.fixture
def graph():
    return {
        "image": "x.png", "width": 100, "height": 80,
        "objects": [
            {"id": "o0", "name": "cube", "attributes": {"color": "red", "material": "metal", "size": "large"},
             "bbox": [10, 10, 30, 30], "mask": None},
            {"id": "o1", "name": "sphere", "attributes": {"color": "blue", "material": "rubber", "size": "small"},
             "bbox": [50, 20, 60, 30], "mask": None},
            {"id": "o2", "name": "cylinder", "attributes": {"color": "gray", "material": "rubber", "size": "small"},
             "bbox": [70, 40, 90, 70], "mask": None},
        ],
        "relationships": [
            {"subject": "o0", "predicate": "left of", "object": "o1"},
            {"subject": "o2", "predicate": "right of", "object": "o0"},
            {"subject": "o1", "predicate": "behind", "object": "o2"},
        ],
    }


@pytest.fixture(scope="session")
def done(tmp_path_factory):
    """A workdir where the tiny workflow has run to the end (copy it before changing it)."""
    from test_pipeline import TINY, snakemake

    wd = tmp_path_factory.mktemp("run")
    shutil.copy(TINY, wd / "config.yaml")
    snakemake(wd)
    return wd
