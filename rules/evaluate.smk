# Stage 6: scores on the RoI and the whole image (DESIGN §6) and a contact sheet per edit, then
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
        "python -m simbil stage evaluate {input.plan} --image {input.image} --mask {input.mask}"
        " --outputs {input.outputs} --methods {params.methods} --truth {input.truth}"
        " --metrics {output.metrics} --sheet {output.sheet} > {log} 2>&1"


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
        "python -m simbil stage tables {input} --methods {params.methods} --csv {output.csv}"
        " --md {output.md} --html {output.html} > {log} 2>&1"
