# Stage 4: each edit as one file, applied to its image's graph; the plan says what changes and
# the Region of Interest it is scored on.


rule edit_spec:
    input:
        edit_source,
    output:
        f"{RESULTS}/edits/{{edit}}/edit.json",
    log:
        f"{RESULTS}/logs/edits/{{edit}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/edits/{{edit}}.tsv"
    conda:
        "../envs/graphs.yaml"
    threads: 1
    params:
        spec=edit_spec_json,
        image=edit_image_id,
    shell:
        "python -m simbil stage edit --id {wildcards.edit} --image {params.image:q}"
        " --spec {params.spec:q} --pair-edit {input:q} -o {output:q} > {log:q} 2>&1"


rule train_roi:
    output:
        model=f"{RESULTS}/models/roi.pt",
        log=f"{RESULTS}/models/roi.json",
    log:
        f"{RESULTS}/logs/roi/train.log",
    benchmark:
        f"{RESULTS}/benchmarks/roi/train.tsv"
    # First, on one core: the plans of moves and additions wait for it, while the other core
    # works through everything else (docs/benchmarks.md, where `make run` spends its time).
    priority: 10
    conda:
        "../envs/roi.yaml"
    threads: 1
    params:
        settings=train_settings,
    shell:
        "python -m simbil stage train-roi -o {output.model:q} --log-json {output.log:q}"
        " --settings {params.settings:q} --threads {threads} > {log:q} 2>&1"


rule plan:
    input:
        edit=f"{RESULTS}/edits/{{edit}}/edit.json",
        graph=edit_graph,
        model=needs_model,
        truth=edit_truth_scene,
    output:
        plan=f"{RESULTS}/edits/{{edit}}/plan.json",
        graph=f"{RESULTS}/edits/{{edit}}/graph.json",
    log:
        f"{RESULTS}/logs/roi/{{edit}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/roi/{{edit}}.tsv"
    conda:
        "../envs/roi.yaml"
    threads: 1
    shell:
        "python -m simbil stage plan {input.edit:q} {input.graph:q} -o {output.plan:q}"
        " --graph-out {output.graph:q} --model {input.model:q} --truth {input.truth:q} > {log:q} 2>&1"
