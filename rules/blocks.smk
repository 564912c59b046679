# Benchmark pairs in blocks (dataset.block pairs each, once a mode has that many): one job per
# block and stage, each a folder made whole or not at all (simbil.pipeline.blocks), so that a
# benchmark of thousands of pairs plans in seconds. The pairs past the last whole block run one
# job per pair and stage, like your own edits.


rule block_pairs:
    output:
        directory(f"{BLOCKS}/{{mode}}/{{block}}/pairs"),
    log:
        f"{RESULTS}/logs/blocks/{{mode}}-{{block}}-pairs.log",
    benchmark:
        f"{RESULTS}/benchmarks/blocks/{{mode}}-{{block}}-pairs.tsv"
    conda:
        "../envs/dataset.yaml"
    threads: 1
    params:
        dataset=dataset_params,
    shell:
        "python -m simbil stage block-pairs -o {output:q} --mode {wildcards.mode} --block {wildcards.block}"
        " --seed {params.dataset[seed]} --size {params.dataset[width]}x{params.dataset[height]}"
        " > {log:q} 2>&1"


rule block_prepare:
    input:
        pairs=f"{BLOCKS}/{{mode}}/{{block}}/pairs",
        model=block_model,
    output:
        directory(f"{BLOCKS}/{{mode}}/{{block}}/prepared"),
    log:
        f"{RESULTS}/logs/blocks/{{mode}}-{{block}}-prepared.log",
    benchmark:
        f"{RESULTS}/benchmarks/blocks/{{mode}}-{{block}}-prepared.tsv"
    conda:
        "../envs/roi.yaml"
    threads: 1
    params:
        dilate=config["masks"]["dilate"],
        shadow=config["masks"]["shadow"],
    shell:
        "python -m simbil stage block-prepare -o {output:q} --mode {wildcards.mode} --block {wildcards.block}"
        " --pairs {input.pairs:q} --dilate {params.dilate} --shadow {params.shadow:q}"
        " --model {input.model:q} > {log:q} 2>&1"


rule block_inpaint:
    input:
        pairs=f"{BLOCKS}/{{mode}}/{{block}}/pairs",
        prepared=f"{BLOCKS}/{{mode}}/{{block}}/prepared",
        bank=block_bank,
    output:
        directory(f"{BLOCKS}/{{mode}}/{{block}}/methods/{{method}}"),
    log:
        f"{RESULTS}/logs/blocks/{{mode}}-{{block}}-{{method}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/blocks/{{mode}}-{{block}}-{{method}}.tsv"
    conda:
        "../envs/inpaint.yaml"
    threads: method_threads
    resources:
        gpu=uses_gpu,
    params:
        spec=method_spec,
        run=inpaint_params,
    shell:
        "python -m simbil stage block-inpaint -o {output:q} --mode {wildcards.mode} --block {wildcards.block}"
        " --pairs {input.pairs:q} --prepared {input.prepared:q} --spec {params.spec:q}"
        " --seed {params.run[seed]} --device {params.run[device]} --lock-dir {params.run[lock_dir]:q}"
        " --threads {threads} --bank {input.bank:q} > {log:q} 2>&1"


rule block_evaluate:
    input:
        pairs=f"{BLOCKS}/{{mode}}/{{block}}/pairs",
        prepared=f"{BLOCKS}/{{mode}}/{{block}}/prepared",
        outputs=block_method_outputs,
    output:
        directory(f"{BLOCKS}/{{mode}}/{{block}}/evaluated"),
    log:
        f"{RESULTS}/logs/blocks/{{mode}}-{{block}}-evaluated.log",
    benchmark:
        f"{RESULTS}/benchmarks/blocks/{{mode}}-{{block}}-evaluated.tsv"
    conda:
        "../envs/evaluate.yaml"
    threads: 1
    params:
        methods=block_methods,
    shell:
        "python -m simbil stage block-evaluate -o {output:q} --mode {wildcards.mode} --block {wildcards.block}"
        " --pairs {input.pairs:q} --prepared {input.prepared:q} --outputs {input.outputs:q}"
        " --methods {params.methods:q} > {log:q} 2>&1"
