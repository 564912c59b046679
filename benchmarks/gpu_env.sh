# The preamble the GPU scripts share (sourced, not run): python from $1 (default python3), results
# under $OUT (the device tool's folder; /tmp/<script name> elsewhere), and the card in $OUT/gpu.txt.
set -uo pipefail
PY="${1:-python3}"
OUT=${OUT:-/tmp/$(basename "$0" .sh)}
mkdir -p "$OUT"
export PYTHONPATH=. PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 | tee "$OUT/gpu.txt"
