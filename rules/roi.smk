# Stage 4: each edit as one file, applied to its image's graph; the plan says what changes and
# the Region of Interest it is scored on (DESIGN §4, §6).


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
        source=edit_spec_args,
        image=edit_image_id,
    shell:
        "python -m simbil stage edit --id {wildcards.edit} --image {params.image} {params.source}"
        " -o {output} > {log} 2>&1"


rule plan:
    input:
        edit=f"{RESULTS}/edits/{{edit}}/edit.json",
        graph=edit_graph,
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
        "python -m simbil stage plan {input.edit} {input.graph} -o {output.plan} --graph-out {output.graph}"
        " > {log} 2>&1"
