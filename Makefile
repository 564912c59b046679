# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Jobs call `python -m simbil`: the venv's python must come first on PATH.
RUNENV := PATH="$(CURDIR)/$(BIN):$$PATH"

.PHONY: install bytecode run pairs test test-slurm bench sheet clean

install: $(STAMP)

# Re-install only when the dependency list changes; `make install` is idempotent. The bytecode is
# compiled by compileall on every core rather than by pip on one (one file of torch's tests is
# Python 3.12 syntax, so it is left out).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -e '.[test,slurm,bench]'
	$(BIN)/python -m compileall -q -j 0 -x py312_intrinsics $(VENV)/lib
	touch $(STAMP)

# Each job (and each test's subprocess) is a fresh Python: compiling the package once saves every
# one its compile, where PYTHONDONTWRITEBYTECODE keeps Python from caching it (docs/benchmarks.md,
# make run's time). Stale bytecode is never used: Python checks it against the source.
bytecode: install
	$(BIN)/python -m compileall -q simbil

# The pipeline on config.yaml (profile profiles/default: 2 cores, 2 GPU slots), then its report.
run: bytecode
	$(RUNENV) $(BIN)/snakemake --profile profiles/default
	$(RUNENV) $(BIN)/snakemake --profile profiles/default --report results/report.html
	@cat results/tables/summary.md
	@echo
	@echo "Per edit:   results/edits/<edit>/  (<method>.png, mask.png, plan.json, metrics.json)"
	@echo "Sheets:     results/figures/edits/<edit>.png   summary chart: results/figures/summary.png"
	@echo "Tables:     results/tables/metrics.csv, summary.md, summary.html"
	@echo "Report:     results/report.html  (open it in a browser)"

pairs: install
	$(BIN)/simbil render-pairs --out results/pairs --pairs 4 --seed 0 --jobs 2

test: bytecode
	$(BIN)/python -m pytest -q

# A real one-node SLURM started here (root, no systemd); see tests/slurm/test_slurm.sh.
test-slurm: install
	BIN=$(CURDIR)/$(BIN) bash tests/slurm/test_slurm.sh

bench: install
	$(BIN)/python -m benchmarks.render_speed

sheet: install
	$(BIN)/python -m benchmarks.renderer_sheet

clean:
	rm -rf $(VENV) results .pytest_cache
