"""What the Snakemake rules call: one function per stage (`stages`), the checks a config must
pass before any job runs (`config`)."""
