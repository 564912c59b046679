# Helpers for the rules: config access, input functions and the checks that run before any job.
import json
import os
import shlex
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

sys.path.insert(0, workflow.basedir)  # the simbil package beside this Snakefile

from simbil.pipeline import config as pc  # noqa: E402

validate(config, schema="../schemas/config.schema.yaml")

_problems = pc.config_problems(config, os.getcwd())
if _problems:
    _listed = "\n  ".join(_problems)
    raise WorkflowError(
        f"{len(_problems)} problem(s) in the configuration; nothing was run:\n  {_listed}"
    )

RESULTS = pc.RESULTS
DATASET = pc.DATASET
BENCH = pc.benchmark_edits(config)
IMAGES = pc.images(config)
EDITS = pc.edit_ids(config)
METHODS = list(config["methods"])
pc.put_on_pythonpath(workflow.basedir)  # jobs run `python -m simbil` from this checkout


wildcard_constraints:
    edit="[A-Za-z0-9_-]+",
    method="|".join(METHODS),
    mode="[a-z]+",
    pair="[0-9]{6}",
    name="[A-Za-z0-9_]+",


def final_outputs():
    return [
        f"{RESULTS}/tables/metrics.csv",
        f"{RESULTS}/tables/summary.md",
        f"{RESULTS}/tables/summary.html",
        f"{RESULTS}/figures/summary.png",
        *(f"{RESULTS}/figures/edits/{e}.png" for e in EDITS),
    ]


# --- dataset and graphs ---


def dataset_root(wildcards, output):
    return str(Path(output[0]).parents[2])


def dataset_params(wildcards):
    ds = config["dataset"]
    return {k: ds[k] for k in ("seed", "width", "height")}


def image_scene(wildcards):
    return IMAGES[wildcards.image]["scene"]


def image_file(wildcards):
    return IMAGES[wildcards.image]["image"]


def image_format(wildcards):
    return IMAGES[wildcards.image]["format"]


# --- per edit ---


def edit_image_id(wildcards):
    return pc.edit_image(config, wildcards.edit)


def edit_image_file(wildcards):
    return IMAGES[edit_image_id(wildcards)]["image"]


def edit_graph(wildcards):
    return f"{RESULTS}/graphs/{edit_image_id(wildcards)}.json"


def edit_source(wildcards):
    """A benchmark edit comes from its pair's edit.json; a user edit from the config."""
    if wildcards.edit in BENCH:
        return [f"{BENCH[wildcards.edit]['pair']}/edit.json"]
    return []


def edit_spec_args(wildcards):
    """The edit's source on the command line: its pair's edit.json, or the config entry as JSON
    (so that changing that entry changes this rule's params, and only this edit reruns).
    """
    if wildcards.edit in BENCH:
        return f"--pair-edit {BENCH[wildcards.edit]['pair']}/edit.json"
    spec = json.dumps(pc.user_edit(config, wildcards.edit), sort_keys=True)
    return f"--spec {shlex.quote(spec)}"


def edit_truth(wildcards):
    truth = pc.edit_truth(config, wildcards.edit)
    return [truth] if truth else []


def edit_truth_scene(wildcards):
    """The benchmark's target scene: the true box of a moved, added or replaced object."""
    truth = pc.edit_truth(config, wildcards.edit)
    return [truth.replace(".png", ".json")] if truth else []


# --- methods ---


def method_settings(wildcards):
    spec = config["methods"][wildcards.method] or {}
    placing = {k: spec[k] for k in ("harmonise", "roi") if k in spec}
    return json.dumps(
        {
            "method": spec.get("method", wildcards.method),
            **placing,
            **(spec.get("settings") or {}),
        },
        sort_keys=True,
    )


def uses_gpu(wildcards):
    spec = config["methods"][wildcards.method] or {}
    return int(spec.get("method", wildcards.method) in ("bgdip", "dip"))


def method_threads(wildcards):
    return config["inpaint"]["threads"] if uses_gpu(wildcards) else 1


def inpaint_params(wildcards):
    i = config["inpaint"]
    return {
        "seed": i["seed"],
        "device": i["device"],
        "lock_dir": i["gpu_lock_dir"] or "default",
    }


def edit_methods(wildcards):
    return pc.methods_for(config, wildcards.edit)


def method_outputs(wildcards):
    return [
        f"{RESULTS}/edits/{wildcards.edit}/{m}.png" for m in edit_methods(wildcards)
    ]


def needs_model(wildcards):
    """Only moves and additions need the trained RoI predictor."""
    if pc.edit_op(config, wildcards.edit) in ("relation", "add"):
        return [f"{RESULTS}/models/roi.pt"]
    return []


def needs_bank(wildcards):
    """Replacements, additions and material changes take their pixels from the object bank."""
    if pc.edit_op(config, wildcards.edit) in ("replace", "add", "attribute"):
        return [f"{RESULTS}/bank/index.json"]
    return []


def bank_folder(wildcards, input):
    return str(Path(input.bank[0]).parent) if input.bank else "none"


def optional_args(wildcards, input):
    """--model/--truth for the plan, where the edit has them."""
    args = []
    if input.model:
        args += ["--model", input.model[0]]
    if input.truth:
        args += ["--truth", input.truth[0]]
    return " ".join(args)


def train_settings(wildcards):
    size = {k: config["dataset"][k] for k in ("width", "height")}
    return json.dumps({**config["roi"], **size}, sort_keys=True)


def bank_dir(wildcards, output):
    return str(Path(output[0]).parent)


def bank_params(wildcards):
    return {
        "scenes": config["bank"]["scenes"],
        "seed": config["bank"]["seed"],
        "width": config["dataset"]["width"],
        "height": config["dataset"]["height"],
    }


def all_metrics(wildcards):
    return [f"{RESULTS}/edits/{e}/metrics.json" for e in EDITS]
