#!/usr/bin/env bash
# `make test-slurm`: start a real one-node SLURM here (munged, slurmctld, slurmd; as root, no
# systemd), run tests/config-tiny.yaml through Snakemake's SLURM executor, check that its tables
# equal a local run's and that the GPU rule asked for a GPU, check that a failing rule ends the
# run with its log shown, and stop the daemons by their PIDs whatever happens.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${BIN:-$REPO/.venv/bin}
D=${SLURM_TEST_DIR:-/tmp/simbil-slurm-test}
export PATH="$BIN:$PATH"
step() { printf '\n== %s (%ds)\n' "$*" "$SECONDS"; }

[ "$(id -u)" = 0 ] || { echo "test-slurm starts SLURM's daemons and must run as root" >&2; exit 1; }
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    step "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q slurm-wlm munge >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q slurm-wlm munge >/dev/null; }
fi

PIDS=()
CONF=/etc/slurm/slurm.conf GRES=/etc/slurm/gres.conf
cleanup() {
    local rc=$?
    set +e
    step "stopping the daemons (PIDs ${PIDS[*]:-none})"
    command -v scancel >/dev/null && [ ${#PIDS[@]} -gt 0 ] && scancel --quiet --user=root 2>/dev/null
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && { echo "PID $pid ignored TERM: KILL"; kill -KILL "$pid"; }
    done
    for f in "$CONF" "$GRES"; do
        if [ -e "$D/saved/$(basename "$f")" ]; then mv -f "$D/saved/$(basename "$f")" "$f"; else rm -f "$f"; fi
    done
    left=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ $left = 0 ] && echo "no daemon left running" || { echo "a daemon is still running" >&2; rc=1; }
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "configuring a one-node cluster in $D"
rm -rf "$D" && mkdir -p "$D"/{state,spool,log,dev,saved,local,cluster,failing}
for f in "$CONF" "$GRES"; do [ -e "$f" ] && cp -p "$f" "$D/saved/"; done
mkdir -p /etc/slurm
sed -e "s#@D@#$D#g" -e "s#@CPUS@#$(nproc)#g" "$REPO/tests/slurm/slurm.conf.in" > "$CONF"
sed -e "s#@D@#$D#g" "$REPO/tests/slurm/gres.conf.in" > "$GRES"
mknod "$D/dev/fakegpu0" c 1 3 && mknod "$D/dev/fakegpu1" c 1 3

step "starting munged, slurmctld, slurmd"
install -d -o munge -g munge -m 0755 /run/munge /var/lib/munge /var/log/munge
[ -s /etc/munge/munge.key ] || { mungekey --create --keyfile=/etc/munge/munge.key && chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key; }
setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground >"$D/log/munged.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S /run/munge/munge.socket.2 ] && break; sleep 0.1; done
/usr/sbin/slurmctld -D -i >"$D/log/slurmctld.out" 2>&1 &
PIDS+=($!)
/usr/sbin/slurmd -D -N localhost >"$D/log/slurmd.out" 2>&1 &
PIDS+=($!)
for i in $(seq 60); do
    state=$(sinfo -h -n localhost -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    [ "$i" = 60 ] && { echo "the node never became idle (state: ${state:-none})"; tail -20 "$D"/log/*; exit 1; }
    sleep 1
done
sinfo

SLURM_ARGS=(--workflow-profile "$REPO/profiles/slurm" --slurm-status-command squeue --slurm-no-account
            --slurm-init-seconds-before-status-checks 5 --slurm-logdir "$D/slurm-logs" --jobs 4
            --default-resources runtime=10 mem_mb=1000 --set-resources inpaint:mem_mb=1000 inpaint:runtime=10)
# sacct-less SLURM can leave the plugin waiting forever, deaf to TERM: bound every run.
run_on_slurm() { timeout -k 15 "$1" snakemake --snakefile "$REPO/Snakefile" --directory "$2" "${SLURM_ARGS[@]}"; }

step "the tiny workflow through the SLURM executor"
cp "$REPO/tests/config-tiny.yaml" "$D/cluster/config.yaml"
run_on_slurm 420 "$D/cluster" > "$D/log/cluster-run.log" 2>&1 || { tail -60 "$D/log/cluster-run.log"; exit 1; }
echo "sbatch submissions: $(grep -c "has been submitted with SLURM jobid" "$D/log/cluster-run.log")"

step "the same workflow locally"
cp "$REPO/tests/config-tiny.yaml" "$D/local/config.yaml"
snakemake --snakefile "$REPO/Snakefile" --directory "$D/local" --cores 2 > "$D/log/local-run.log" 2>&1 \
    || { tail -40 "$D/log/local-run.log"; exit 1; }

step "comparing the runs"
python - "$D" <<'PY'
import json, sys
from pathlib import Path
import pandas as pd
d = Path(sys.argv[1])
cols = lambda df: df.drop(columns=["seconds", "device"]).sort_values(["edit", "method"]).reset_index(drop=True)
cluster, local = (pd.read_csv(d / w / "results/tables/metrics.csv") for w in ("cluster", "local"))
pd.testing.assert_frame_equal(cols(cluster), cols(local))
print(f"metrics.csv: {len(cluster)} rows, equal to the local run's (seconds and device aside)")
for info in sorted((d / "cluster/results/edits").glob("*/*.json")):
    j = json.loads(info.read_text())
    if "kind" not in j:
        continue
    gpu = j["kind"] in ("bgdip", "dip")
    assert j["slurm_job_id"], f"{info}: not run as a SLURM job"
    assert bool(j["cuda_visible_devices"]) == gpu, f"{info}: CUDA_VISIBLE_DEVICES={j['cuda_visible_devices']!r}"
    print(f"{info.parent.name}/{info.name}: SLURM job {j['slurm_job_id']}, CUDA_VISIBLE_DEVICES={j['cuda_visible_devices']}")
PY

step "a failing rule on the cluster"
cat > "$D/failing/broken.json" <<'JSON'
{"image": "broken.png", "width": 320, "height": 240, "relationships": [],
 "objects": [{"id": "o1", "name": "thing", "attributes": {}, "bbox": [10, 10, 50, 50], "mask": null}]}
JSON
printf 'not a png' > "$D/failing/broken.png"
cat > "$D/failing/config.yaml" <<'YAML'
dataset: {modes: [], pairs: 0}
images: {mine/broken: {image: broken.png, graph: broken.json}}
edits: [{id: remove-from-broken, image: mine/broken, op: remove, target: o1}]
masks: {dilate: 2, shadow: known}
methods: {telea: {method: telea}}
inpaint: {device: cpu, threads: 1}
YAML
start=$SECONDS
rc=0
run_on_slurm 300 "$D/failing" > "$D/log/failing-run.log" 2>&1 || rc=$?
[ $rc -ne 0 ] || { echo "the failing workflow exited 0"; exit 1; }
[ $rc -ne 124 ] && [ $rc -ne 137 ] || { echo "the failing workflow hung until the timeout"; exit 1; }
grep -q "not a readable image" "$D/log/failing-run.log" || { echo "the failed job's log was not shown"; tail -40 "$D/log/failing-run.log"; exit 1; }
echo "exit $rc after $((SECONDS - start)) s, with the job's log shown:"
grep -m1 "not a readable image" "$D/log/failing-run.log"

step "SLURM test passed"
