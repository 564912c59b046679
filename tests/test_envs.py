"""Each rule's conda env (envs/*.yaml) lists, pinned, every third-party package its stage imports.

The tiny workflow, plus an edit of each kind that needs the RoI model, the object bank or a photo,
runs with SIMBIL_MODULES_LOG set: each `python -m simbil stage <name>` job then writes the
top-level modules it loaded (simbil/__main__.py). Of those, the ones simbil's own source imports
must be in the env that rules/*.smk give every rule running that stage (what they pull in
themselves comes with them)."""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from test_pipeline import REPO, TINY, snakemake, write_config

# import name -> the package names, conda-forge's or PyPI's, that provide it
PACKAGES = {
    "numpy": {"numpy"}, "scipy": {"scipy"}, "skimage": {"scikit-image"}, "pandas": {"pandas"},
    "cv2": {"opencv", "py-opencv", "opencv-python", "opencv-python-headless"}, "PIL": {"pillow"},
    "torch": {"pytorch", "pytorch-cpu", "pytorch-gpu", "torch"}, "yaml": {"pyyaml"},
    "sklearn": {"scikit-learn"}, "matplotlib": {"matplotlib", "matplotlib-base"},
}
ENVS = sorted((REPO / "envs").glob("*.yaml"))


def direct_imports() -> set[str]:
    """Top-level third-party names that simbil's modules import (lazily or not)."""
    names = set()
    for path in (REPO / "simbil").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name.partition(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.partition(".")[0])
    return names - sys.stdlib_module_names - {"simbil"}


def rules() -> dict[str, tuple[str, Path | None, str]]:
    """Rule -> (stage it runs, its conda env file or None, where it is) for every stage rule."""
    out = {}
    for smk in sorted((REPO / "rules").glob("*.smk")):
        for block in re.split(r"^(?=rule )", smk.read_text(), flags=re.M)[1:]:
            stage = re.search(r"python -m simbil stage ([\w-]+)", block)
            env = re.search(r'conda:\s*"([^"]+)"', block)
            if stage:
                rule = re.match(r"rule (\w+):", block)[1]
                out[rule] = (stage[1], env and (smk.parent / env[1]).resolve(), f"{smk.relative_to(REPO)}")
    return out


def packages(env: Path) -> dict[str, str]:
    """Package name (lower case) -> its line, conda's and the pip: subsection's alike."""
    deps = yaml.safe_load(env.read_text())["dependencies"]
    specs = [d for d in deps if isinstance(d, str)] + [p for d in deps if isinstance(d, dict) for p in d["pip"]]
    return {re.split(r"[=<>!~\[ ]", s, maxsplit=1)[0].lower(): s for s in specs}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict[str, set[str]]:
    """Stage -> the top-level third-party modules any of its jobs loaded, over a whole run."""
    wd = tmp_path_factory.mktemp("envs")
    (wd / "modules").mkdir()
    cfg = yaml.safe_load(TINY.read_text())
    img = cfg["edits"][0]["image"]
    cfg["photos"] = ["coffee"]
    cfg["dataset"].update(modes=["removal", "relationship"], block=1)  # every pair in a block: their stages too
    cfg["roi"] = {"graphs": 10, "epochs": 1, "hidden": 4}
    cfg["bank"] = {"scenes": 1}  # its one scene (seed 0) holds cubes and cylinders: the add below is a cube
    cfg["edits"] += [
        {"id": "move", "image": img, "op": "relation", "target": "o1", "relations": [
            {"predicate": "left of", "object": "o2"}]},
        {"id": "add", "image": img, "op": "add", "new": {"name": "cube", "attributes": {"color": "red"}},
         "relations": [{"predicate": "right of", "object": "o2"}]},
        {"id": "photo-remove", "image": "photos/coffee", "op": "remove", "target": "o3"},
        {"id": "chained", "image": "edits/photo-remove/telea", "text": "remove the cup"},
    ]
    write_config(wd, cfg)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIMBIL_MODULES_LOG", str(wd / "modules"))
        snakemake(wd)
    out = defaultdict(set)
    for f in (wd / "modules").glob("*.txt"):
        out[f.name.split(".")[0]] |= set(f.read_text().split())
    return out


def test_every_import_of_simbil_has_a_package_name():
    unknown = sorted(direct_imports() - set(PACKAGES))
    assert not unknown, f"simbil imports {unknown}: add each to PACKAGES in tests/test_envs.py"


def test_every_stage_rule_has_a_conda_env():
    assert rules(), "no `python -m simbil stage` found in rules/*.smk"
    bad = [f"{where}: rule {r}" for r, (_, env, where) in rules().items() if env is None or not env.exists()]
    assert not bad, "rules without a conda: env file:\n" + "\n".join(bad)


def test_each_rule_env_lists_every_package_its_stage_imports(loaded):
    direct = direct_imports()
    unrun = sorted({stage for stage, _, _ in rules().values()} - set(loaded))
    assert not unrun, f"stages the test run never ran: {unrun}; add an edit that needs each to `loaded`"
    missing = [f"{where}: rule {rule} (stage {stage}) imports {name}; {env.relative_to(REPO)} lists none of "
               f"{sorted(PACKAGES[name])}"
               for rule, (stage, env, where) in rules().items() if env
               for name in sorted(loaded[stage] & direct) if not PACKAGES[name] & set(packages(env))]
    assert not missing, "env files lack packages:\n" + "\n".join(missing)


@pytest.mark.parametrize("env", ENVS, ids=lambda p: p.name)
def test_every_env_pins_every_package(env):
    loose = [s for s in packages(env).values() if not re.fullmatch(r"[\w.-]+(==?)[\w.+!-]+", s)]
    assert not loose, f"{env.relative_to(REPO)}: pin each as name=version (conda) or name==version (pip): {loose}"
