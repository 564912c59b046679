# Stage 5: the pixels. One job per edit and method; network methods declare gpu=1 and lease a
# device of their own (simbil.devices), classical peers run on one CPU thread.


rule inpaint:
    input:
        image=edit_image_file,
        mask=f"{RESULTS}/edits/{{edit}}/mask.png",
        outline=f"{RESULTS}/edits/{{edit}}/outline.png",
        plan=f"{RESULTS}/edits/{{edit}}/plan.json",
        graph=edit_graph,
        bank=needs_bank,
        background=shared_background,
    output:
        image=f"{RESULTS}/edits/{{edit}}/{{method}}.png",
        info=f"{RESULTS}/edits/{{edit}}/{{method}}.json",
        # the hole's fill before anything is placed: methods that fill alike take the first's
        background=f"{RESULTS}/edits/{{edit}}/{{method}}.background.npz",
    log:
        f"{RESULTS}/logs/inpaint/{{edit}}-{{method}}.log",
    benchmark:
        f"{RESULTS}/benchmarks/inpaint/{{edit}}-{{method}}.tsv"
    conda:
        "../envs/inpaint.yaml"
    threads: edit_method_threads
    resources:
        gpu=edit_uses_gpu,
    params:
        spec=method_spec,
        run=inpaint_params,
    shell:
        "python -m simbil stage inpaint {input.image:q} {input.mask:q} -o {output.image:q}"
        " --spec {params.spec:q} --seed {params.run[seed]} --device {params.run[device]}"
        " --lock-dir {params.run[lock_dir]:q} --threads {threads} --plan {input.plan:q}"
        " --graph {input.graph:q} --bank {input.bank:q} --outline {input.outline:q}"
        " --background {input.background:q} --background-out {output.background:q} > {log:q} 2>&1"
