# Stage 3: the hole an edit opens — the target's annotated mask (or its box segmented), plus its
# shadow (the graph's, or estimated from the image), dilated; and the target's outline alone.


rule removal_mask:
    input:
        edit=f"{RESULTS}/edits/{{edit}}/edit.json",
        graph=edit_graph,
    output:
        hole=f"{RESULTS}/edits/{{edit}}/mask.png",
        # read by the inpainting jobs, which would otherwise segment a photo's object once each
        outline=f"{RESULTS}/edits/{{edit}}/outline.png",
    log:
        f"{RESULTS}/logs/masks/{{edit}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/masks/{{edit}}.tsv"
    conda:
        "../envs/masks.yaml"
    threads: 1
    params:
        dilate=config["masks"]["dilate"],
        shadow=config["masks"]["shadow"],
    shell:
        "python -m simbil stage mask {input.edit:q} {input.graph:q} --dilate {params.dilate}"
        " --shadow {params.shadow:q} -o {output.hole:q} --outline {output.outline:q} > {log:q} 2>&1"
