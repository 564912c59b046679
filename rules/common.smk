# Helpers for the rules: the checks that run before any job, and input functions. The config
# is resolved once (simbil.pipeline.config.Workflow); these functions only look things up.
import json
import os
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

# the simbil package: the Snakefile put its own folder on sys.path
from simbil.ops import OPS
from simbil.pipeline import config as pc
from simbil.pipeline import put_on_pythonpath
from simbil.pipeline.cache import quarantine
from simbil.pipeline.checks import config_problems, refuse, schema_problem
from simbil.pipeline.user_files import mask_files

try:
    validate(config, schema="../schemas/config.schema.yaml")
except WorkflowError as e:
    refuse([schema_problem(str(e))])
WF = pc.Workflow(config, os.getcwd())  # resolved once: the checks and the rules read it
_problems = config_problems(config, os.getcwd(), WF)
if _problems:
    refuse(_problems)

for _file, _why, _dest in quarantine(pc.RESULTS):
    print(f"{_file}: {_why}; moved to {_dest}, it will be made again", file=sys.stderr)

RESULTS = pc.RESULTS
DATASET = pc.DATASET
BLOCKS = pc.BLOCKS
PHOTOS = pc.PHOTOS
EDITS = list(WF.edits)
METHODS = WF.method_names
put_on_pythonpath(workflow.basedir)  # jobs run `python -m simbil` from this checkout


wildcard_constraints:
    edit="[A-Za-z0-9_][A-Za-z0-9_-]*",
    method="|".join(METHODS),
    mode="[a-z]+",
    pair="[0-9]{6}",
    name="[A-Za-z0-9_]+",
    block="[0-9]{6}-[0-9]{6}",


def final_outputs():
    return [
        *(f"{RESULTS}/figures/chains/{e}.png" for e in WF.chains()),
        f"{RESULTS}/tables/metrics.csv",
        f"{RESULTS}/tables/summary.md",
        f"{RESULTS}/tables/summary.html",
        f"{RESULTS}/figures/summary.png",
        *(f"{RESULTS}/figures/edits/{e}.png" for e in EDITS),
        # every per-edit output, so that a deleted one is made again
        *(
            f"{RESULTS}/edits/{e}/{f}"
            for e in EDITS
            for f in (
                "edit.json",
                "mask.png",
                "outline.png",
                "plan.json",
                "graph.json",
                "metrics.json",
            )
        ),
        *(
            f"{RESULTS}/edits/{e}/{m}.{ext}"
            for e in EDITS
            for m in WF.methods_for(e)
            for ext in ("png", "json", "background.npz")
        ),
        *(f"{b.folder}/evaluated" for b in WF.blocks.values()),
        *(
            f"{b.folder}/methods/{m}"
            for b in WF.blocks.values()
            for m in WF.methods_for_op(b.op, True)
        ),
    ]


# --- dataset and graphs ---


def dataset_root(wildcards, output):
    return str(Path(output[0]).parents[2])


def dataset_params(wildcards):
    ds = config["dataset"]
    return {k: ds[k] for k in ("seed", "width", "height")}


def image_scene(wildcards):
    return WF.images[wildcards.image]["scene"]


def image_file(wildcards):
    return WF.images[wildcards.image]["image"]


def image_format(wildcards):
    return WF.images[wildcards.image]["format"]


def image_masks(wildcards):
    return mask_files(WF, wildcards.image)


# --- per edit ---


def edit_image_id(wildcards):
    return WF.edits[wildcards.edit].image


def edit_image_file(wildcards):
    return WF.images[edit_image_id(wildcards)]["image"]


def edit_graph(wildcards):
    return f"{RESULTS}/graphs/{edit_image_id(wildcards)}.json"


def edit_source(wildcards):
    """A benchmark edit comes from its pair's edit.json; a user edit from the config."""
    pair = WF.edits[wildcards.edit].pair
    return [f"{pair}/edit.json"] if pair else []


def edit_spec_json(wildcards):
    """A user edit's config entry as JSON (so that changing that entry changes this rule's
    params, and only this edit reruns); empty for a benchmark edit."""
    spec = WF.edits[wildcards.edit].spec
    return json.dumps(spec, sort_keys=True) if spec else ""


def edit_truth(wildcards):
    truth = WF.edits[wildcards.edit].truth
    return [truth] if truth else []


def edit_truth_scene(wildcards):
    """The benchmark's target scene: the true box of a moved, added or replaced object."""
    return [t.replace(".png", ".json") for t in edit_truth(wildcards)]


def needs_model(wildcards):
    """Moves and additions need the trained RoI predictor (simbil.ops)."""
    if OPS[WF.edits[wildcards.edit].op].needs_model:
        return [f"{RESULTS}/models/roi.pt"]
    return []


def needs_bank(wildcards):
    """Replacements, additions and material changes take pixels from the object bank."""
    if OPS[WF.edits[wildcards.edit].op].needs_bank:
        return [f"{RESULTS}/bank/index.json"]
    return []


# --- methods ---


def method_spec(wildcards):
    return WF.methods[wildcards.method].to_json()


def uses_gpu(wildcards):
    return int(WF.methods[wildcards.method].torch)


def method_threads(wildcards):
    return config["inpaint"]["threads"] if uses_gpu(wildcards) else 1


def shared_background(wildcards):
    """The hole's fill of the first method that fills it alike (the same inpainter and
    settings), if that is another: this one takes it rather than filling again."""
    owner = WF.background_owner(wildcards.edit, wildcards.method)
    if owner == wildcards.method:
        return []
    return [f"{RESULTS}/edits/{wildcards.edit}/{owner}.background.npz"]


def edit_uses_gpu(wildcards):
    """A method that takes another's hole fill fits a network only for the seam it harmonises."""
    if WF.methods[wildcards.method].harmonise or not shared_background(wildcards):
        return uses_gpu(wildcards)
    return 0


def edit_method_threads(wildcards):
    return config["inpaint"]["threads"] if edit_uses_gpu(wildcards) else 1


def inpaint_params(wildcards):
    i = config["inpaint"]
    return {
        "seed": i["seed"],
        "device": i["device"],
        "lock_dir": i["gpu_lock_dir"] or "",
    }


def edit_methods(wildcards):
    return WF.methods_for(wildcards.edit)


def method_outputs(wildcards):
    return [
        f"{RESULTS}/edits/{wildcards.edit}/{m}.png" for m in edit_methods(wildcards)
    ]


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


# --- chains ---


def chain_images(wildcards):
    """The chain's first image, then each step's result."""
    steps = WF.chains()[wildcards.edit]
    first = WF.images[WF.edits[steps[0]].image]["image"]
    method = WF.images[WF.edits[steps[1]].image]["chain"][1]
    last = (
        method if method in WF.methods_for(steps[-1]) else WF.methods_for(steps[-1])[0]
    )
    outs = [WF.images[WF.edits[s].image]["image"] for s in steps[1:]]
    return [first, *outs, f"{RESULTS}/edits/{steps[-1]}/{last}.png"]


def chain_labels(wildcards):
    return ["input", *WF.chains()[wildcards.edit]]


def all_metrics(wildcards):
    """Per mode its blocks, then its other pairs; then your edits: the order of the rows."""
    out = []
    for mode in config["dataset"]["modes"]:
        out += [f"{b.folder}/evaluated" for b in WF.blocks.values() if b.mode == mode]
        out += [
            f"{RESULTS}/edits/{e}/metrics.json"
            for e, x in WF.edits.items()
            if x.pair and x.pair.split("/")[-2] == mode
        ]
    return out + [
        f"{RESULTS}/edits/{e}/metrics.json" for e, x in WF.edits.items() if not x.pair
    ]


# --- blocks of benchmark pairs ---


def _block(wildcards):
    return WF.blocks[(wildcards.mode, wildcards.block)]


def block_model(wildcards):
    return [f"{RESULTS}/models/roi.pt"] if OPS[_block(wildcards).op].needs_model else []


def block_bank(wildcards):
    return (
        [f"{RESULTS}/bank/index.json"] if OPS[_block(wildcards).op].needs_bank else []
    )


def block_methods(wildcards):
    return WF.methods_for_op(_block(wildcards).op, True)


def block_method_outputs(wildcards):
    return [f"{_block(wildcards).folder}/methods/{m}" for m in block_methods(wildcards)]
