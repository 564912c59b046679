# Stage 2: one normalised scene graph per image, from CLEVR, Visual-Genome or
# SIMBIL JSON; relationships computed from geometry where the input has none.


rule graph:
    input:
        scene=image_scene,
        image=image_file,
        masks=image_masks,
    output:
        f"{RESULTS}/graphs/{{image}}.json",
    log:
        f"{RESULTS}/logs/graphs/{{image}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/graphs/{{image}}.tsv"
    conda:
        "../envs/graphs.yaml"
    threads: 1
    params:
        format=image_format,
    shell:
        "python -m simbil stage graph {input.scene:q} --image {input.image:q} --format {params.format:q}"
        " -o {output:q} > {log:q} 2>&1"
