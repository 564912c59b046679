# Stage 1: the CLEVR-like benchmark, rendered without Blender. One job per pair;
# a pair depends only on (seed, mode, index, size), so asking for more pairs renders only those.


rule render_pair:
    output:
        multiext(
            f"{DATASET}/{{mode}}/{{pair}}/",
            "source.png",
            "source.json",
            "target.png",
            "target.json",
            "edit.json",
        ),
    log:
        f"{RESULTS}/logs/dataset/{{mode}}-{{pair}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/dataset/{{mode}}-{{pair}}.tsv"
    conda:
        "../envs/dataset.yaml"
    threads: 1
    params:
        dataset=dataset_params,
        root=dataset_root,
    shell:
        "python -m simbil stage pair --root {params.root:q} --mode {wildcards.mode} --index {wildcards.pair}"
        " --seed {params.dataset[seed]} --size {params.dataset[width]}x{params.dataset[height]}"
        " > {log:q} 2>&1"


rule object_bank:
    output:
        f"{RESULTS}/bank/index.json",
    log:
        f"{RESULTS}/logs/dataset/bank.log",
    benchmark:
        f"{RESULTS}/benchmarks/dataset/bank.tsv"
    conda:
        "../envs/dataset.yaml"
    threads: 1
    params:
        bank=bank_params,
        folder=bank_dir,
    shell:
        "python -m simbil stage bank --out {params.folder:q} --scenes {params.bank[scenes]}"
        " --seed {params.bank[seed]} --size {params.bank[width]}x{params.bank[height]} > {log:q} 2>&1"


rule export_photo:
    output:
        image=f"{PHOTOS}/{{name}}.png",
        graph=f"{PHOTOS}/{{name}}.json",
    log:
        f"{RESULTS}/logs/dataset/photo-{{name}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/dataset/photo-{{name}}.tsv"
    conda:
        "../envs/dataset.yaml"
    threads: 1
    shell:
        "python -m simbil stage photo {wildcards.name} -o {output.image:q} --graph-out {output.graph:q}"
        " > {log:q} 2>&1"
