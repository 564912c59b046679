# Stage 6: scores on the RoI and the whole image and a contact sheet per edit, then
# the tables over all edits.


rule evaluate:
    input:
        plan=f"{RESULTS}/edits/{{edit}}/plan.json",
        image=edit_image_file,
        mask=f"{RESULTS}/edits/{{edit}}/mask.png",
        outputs=method_outputs,
        truth=edit_truth,
    output:
        metrics=f"{RESULTS}/edits/{{edit}}/metrics.json",
        sheet=report(
            f"{RESULTS}/figures/edits/{{edit}}.png",
            caption="../report/sheet.rst",
            category="Contact sheets",
        ),
    log:
        f"{RESULTS}/logs/evaluate/{{edit}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/evaluate/{{edit}}.tsv"
    conda:
        "../envs/evaluate.yaml"
    threads: 1
    params:
        methods=edit_methods,
    shell:
        "python -m simbil stage evaluate {input.plan:q} --image {input.image:q} --mask {input.mask:q}"
        " --outputs {input.outputs:q} --methods {params.methods:q} --truth {input.truth:q}"
        " --metrics {output.metrics:q} --sheet {output.sheet:q} > {log:q} 2>&1"


rule tables:
    input:
        all_metrics,
    output:
        csv=report(
            f"{RESULTS}/tables/metrics.csv",
            caption="../report/metrics.rst",
            category="Tables",
        ),
        md=f"{RESULTS}/tables/summary.md",
        html=report(
            f"{RESULTS}/tables/summary.html",
            caption="../report/summary.rst",
            category="Tables",
        ),
    log:
        f"{RESULTS}/logs/evaluate/tables.log",
    benchmark:
        f"{RESULTS}/benchmarks/evaluate/tables.tsv"
    conda:
        "../envs/evaluate.yaml"
    threads: 1
    params:
        methods=METHODS,
    shell:
        "python -m simbil stage tables {input:q} --methods {params.methods:q} --csv {output.csv:q}"
        " --md {output.md:q} --html {output.html:q} > {log:q} 2>&1"
