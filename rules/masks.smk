# Stage 3: the hole an edit opens — the target's annotated mask (or its box), plus its shadow
# where the graph knows it, dilated.


rule removal_mask:
    input:
        edit=f"{RESULTS}/edits/{{edit}}/edit.json",
        graph=edit_graph,
    output:
        f"{RESULTS}/edits/{{edit}}/mask.png",
    log:
        f"{RESULTS}/logs/masks/{{edit}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/masks/{{edit}}.tsv"
    conda:
        "../envs/masks.yaml"
    threads: 1
    params:
        dilate=config["masks"]["dilate"],
        shadow="--shadow" if config["masks"]["shadow"] else "--no-shadow",
    shell:
        "python -m simbil stage mask {input.edit} {input.graph} --dilate {params.dilate} {params.shadow}"
        " -o {output} > {log} 2>&1"
