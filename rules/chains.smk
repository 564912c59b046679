# Chained edits: an edit whose image is `edits/<id>[/<method>]` edits that method's result of
# another edit, with the graph that edit made. A chain's steps side by side in one sheet.


rule chain_graph:
    input:
        plan=f"{RESULTS}/edits/{{edit}}/plan.json",
        graph=f"{RESULTS}/edits/{{edit}}/graph.json",
        info=f"{RESULTS}/edits/{{edit}}/{{method}}.json",
        image=f"{RESULTS}/edits/{{edit}}/{{method}}.png",
    output:
        f"{RESULTS}/edits/{{edit}}/{{method}}.graph.json",
    log:
        f"{RESULTS}/logs/chains/{{edit}}-{{method}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/chains/{{edit}}-{{method}}.tsv"
    conda:
        "../envs/graphs.yaml"
    threads: 1
    shell:
        "python -m simbil stage chain-graph --plan {input.plan:q} --graph {input.graph:q}"
        " --info {input.info:q} --image {input.image:q} -o {output:q} > {log:q} 2>&1"


rule chain_sheet:
    input:
        chain_images,
    output:
        report(
            f"{RESULTS}/figures/chains/{{edit}}.png",
            caption="../report/chain.rst",
            category="Chains",
        ),
    log:
        f"{RESULTS}/logs/chains/{{edit}}-sheet.log",
    benchmark:
        f"{RESULTS}/benchmarks/chains/{{edit}}-sheet.tsv"
    conda:
        "../envs/evaluate.yaml"
    threads: 1
    params:
        labels=chain_labels,
    shell:
        "python -m simbil stage chain-sheet --images {input:q} --labels {params.labels:q}"
        " -o {output:q} > {log:q} 2>&1"
