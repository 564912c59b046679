# SIMBIL: semantic image edits through scene graphs, with a background-guided Deep Image Prior.
#   snakemake --cores 8 --resources gpu=2           (or: make run)
# Stages (rules/*.smk): dataset -> graphs -> masks -> roi -> inpaint -> evaluate -> report.


from snakemake.utils import min_version

min_version("9.0")


import sys

sys.path.insert(0, workflow.basedir)  # the simbil package beside this Snakefile
from simbil.pipeline.checks import config_file_problem, refuse  # noqa: E402

if _bad := config_file_problem("config.yaml"):
    refuse([_bad])


configfile: "config.yaml"


include: "rules/common.smk"
include: "rules/dataset.smk"
include: "rules/graphs.smk"
include: "rules/masks.smk"
include: "rules/roi.smk"
include: "rules/inpaint.smk"
include: "rules/evaluate.smk"
include: "rules/chains.smk"
include: "rules/blocks.smk"
include: "rules/report.smk"


report: "report/workflow.rst"


rule all:
    default_target: True
    input:
        final_outputs(),
