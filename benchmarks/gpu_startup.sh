#!/usr/bin/env bash
# Where a fresh process's time goes when it fills one hole on a GPU, in one call of a lent device
# machine: the speed table on CUDA and on the same machine's CPU (both through `simbil inpaint`
# too), then torch's import and CUDA's start-up timed alone, three times each.
# Everything lands under $OUT (/tmp/gpu_startup elsewhere). Usage: bash benchmarks/gpu_startup.sh [python]
source "$(dirname "$0")/gpu_env.sh" "$@"
TIMEFORMAT='%R'
"$PY" -m benchmarks.inpaint_speed --holes 5 --device cuda --paper-iterations 200 2>&1 | tee "$OUT/speed_cuda.md"
"$PY" -m benchmarks.inpaint_speed --holes 5 --device cpu --paper-iterations 2 2>&1 | tee "$OUT/speed_cpu.md"
{
  for what in "import torch" \
              "import torch; torch.zeros(1, device='cuda'); torch.cuda.synchronize()" \
              "import numpy as np, torch; from simbil.inpaint import inpaint; m = np.zeros((240, 320), bool); m[100:140, 140:180] = True; inpaint(np.full((240, 320, 3), 0.5, np.float32), m, 'bgdip', device='cuda')" \
              "import numpy as np, torch; from simbil.inpaint import inpaint; m = np.zeros((240, 320), bool); m[100:140, 140:180] = True; inpaint(np.full((240, 320, 3), 0.5, np.float32), m, 'bgdip', device='cpu')"; do
    for i in 1 2 3; do echo "$( { time "$PY" -c "$what" >/dev/null 2>&1; } 2>&1 ) s  $what"; done
  done
} | tee "$OUT/startup.txt"
