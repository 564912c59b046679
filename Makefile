# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= results/pairs
PAIRS ?= 4

.PHONY: install run test bench sheet clean

install: $(STAMP)

# Re-install only when the dependency list changes; `make install` is idempotent.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/simbil render-pairs --out $(OUT) --pairs $(PAIRS) --seed 0 --jobs 2
	@echo "pairs written under $(OUT)/<mode>/<pair>/ (source/target .png and .json, masks/, edit.json)"

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/render_speed.py

sheet: install
	$(BIN)/python benchmarks/renderer_sheet.py

clean:
	rm -rf $(VENV) results .pytest_cache
