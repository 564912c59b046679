# Stage 7: the picture at the top of the report — mean RoI SSIM per mode and method. The HTML
# report itself is `snakemake --report results/report.html`, which collects every report() file.


rule summary_figure:
    input:
        f"{RESULTS}/tables/metrics.csv",
    output:
        report(
            f"{RESULTS}/figures/summary.png",
            caption="../report/summary_figure.rst",
            category="Summary",
        ),
    log:
        f"{RESULTS}/logs/report/summary.log",
    benchmark:
        f"{RESULTS}/benchmarks/report/summary.tsv"
    conda:
        "../envs/evaluate.yaml"
    threads: 1
    params:
        methods=METHODS,
    shell:
        "python -m simbil stage figure {input:q} --methods {params.methods:q} -o {output:q} > {log:q} 2>&1"
