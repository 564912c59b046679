#!/usr/bin/env bash
# The GPU checks of the inpainting defaults, in one call of a lent device machine (its python3 already
# holds torch, scikit-image, OpenCV, pandas and scikit-learn; nothing is installed):
#   1. speed at the current defaults (benchmarks.inpaint_speed on CUDA);
#   2. the confirmation holes filled on CUDA, each compared with the committed CPU rows
#      (benchmarks.gpu_compare: bgdip's paired difference, CUDA − CPU, per set);
#   3. the CUDA graph test of tests/test_inpaint.py.
# Everything lands under $OUT (the device tool's folder; /tmp/gpu_check elsewhere). First run on an
# H200 (3 min 7 s; docs/benchmarks.md). Usage, from the repo root: bash benchmarks/gpu_check.sh [python]
source "$(dirname "$0")/gpu_env.sh" "$@"
"$PY" -m benchmarks.inpaint_speed --holes 5 --device cuda --paper-iterations 200 2>&1 | tee "$OUT/speed.md"
"$PY" -m benchmarks.inpaint --part confirmation --sets clevr,real,photos --clevr 50 --per-image 2 \
  --methods bgdip,biharmonic --device cuda --csv "$OUT/confirmation_cuda.csv" >"$OUT/confirmation.log" 2>&1
"$PY" -m benchmarks.gpu_compare "$OUT/confirmation_cuda.csv" 2>&1 | tee "$OUT/compare.md"
# biharmonic uses no GPU: a difference there is the image's library versions, not the device
"$PY" -m benchmarks.gpu_compare "$OUT/confirmation_cuda.csv" --method biharmonic 2>&1 | tee -a "$OUT/compare.md"
"$PY" -m pytest -q -p no:cacheprovider tests/test_inpaint.py -k cuda 2>&1 | tail -5 | tee "$OUT/cuda_test.txt"
