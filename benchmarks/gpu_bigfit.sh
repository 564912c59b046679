#!/usr/bin/env bash
# Does a bigger fit make the network's fill win photographs? (issue 15: on photos biharmonic beats
# bgdip on both measures.) On a lent GPU, in one call: a sweep of bigger fits (more steps, a larger
# working crop, wider nets, the network alone) on the tuning photos; the variant with the best paired
# advantage over biharmonic there (benchmarks.choose) is then run on the confirmation photos beside
# bgdip and biharmonic. Each step has a time limit and the CSVs keep every finished hole.
# Usage, from the repo root: bash benchmarks/gpu_bigfit.sh [python]   (results under $OUT)
# A quick check elsewhere: DEVICE=cpu HOLES=1 METHODS="bgdip,small=bgdip:iterations=5,biharmonic" bash ...
source "$(dirname "$0")/gpu_env.sh" "$@"
SWEEP="bgdip,i300-r96=bgdip:iterations=300:max_resolution=96,i1000-r128=bgdip:iterations=1000:max_resolution=128,\
i1000-r192-c64=bgdip:iterations=1000:max_resolution=192:channels=64,\
net-i1000-r192-c64=bgdip:iterations=1000:max_resolution=192:channels=64:harmonic_blend=0:fill_smooth=0,\
i2000-r256-c64=bgdip:iterations=2000:max_resolution=256:channels=64,biharmonic"
M=${METHODS:-$SWEEP}
timeout "${TUNE_S:-280}" "$PY" -m benchmarks.inpaint --sets photos --part tuning --per-image 2 --methods "$M" \
  --device "${DEVICE:-cuda}" --holes "${HOLES:-0}" --csv "$OUT/bigfit_tuning.csv" >"$OUT/tuning.md" 2>"$OUT/tuning.log"
echo "tuning: exit $? ($(($(wc -l <"$OUT/bigfit_tuning.csv") - 1)) rows)"
BEST=$("$PY" -m benchmarks.choose "$OUT/bigfit_tuning.csv" --against biharmonic --methods "$M" 2>"$OUT/choose.txt")
cat "$OUT/choose.txt"; echo "chosen: $BEST"
[ -n "$BEST" ] || { echo "nothing chosen (see $OUT/tuning.log)"; exit 1; }
CONF=bgdip,biharmonic
[ "$BEST" = bgdip ] || CONF="bgdip,$BEST,biharmonic"
timeout "${CONFIRM_S:-140}" "$PY" -m benchmarks.inpaint --sets photos --part confirmation --per-image 2 \
  --methods "$CONF" --device "${DEVICE:-cuda}" \
  --holes "${HOLES:-0}" --csv "$OUT/bigfit_confirmation.csv" \
  >"$OUT/confirmation.md" 2>"$OUT/confirmation.log"
echo "confirmation: exit $?"
cat "$OUT/confirmation.md"
# what the chosen fit costs where bgdip wins today: CLEVR-like removals, confirmation part
timeout "${CLEVR_S:-90}" "$PY" -m benchmarks.inpaint --sets clevr --clevr 50 --part confirmation \
  --methods "$CONF" --device "${DEVICE:-cuda}" --holes "${HOLES:-0}" --csv "$OUT/bigfit_clevr.csv" \
  >"$OUT/clevr.md" 2>"$OUT/clevr.log"
echo "clevr: exit $?"
cat "$OUT/clevr.md"
