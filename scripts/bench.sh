#!/usr/bin/env bash
# Benchmarks the storage backend against a real kube-apiserver holding 5,000
# PVCs and 20,000 Velero backups (see docs/benchmarks.md).
#
#   scripts/bench.sh          (or: yarn bench)
#
# Starts its own lab cluster in lab/_state-bench and stops it on exit; the
# etcd data is kept, so the dataset is loaded once and later runs skip it.
#
# Env: BENCH_FRESH=1   purge lab/_state-bench first (measures a load from scratch)
#      BENCH_KEEP_LAB=1  leave the lab running afterwards
#      BENCH_ITERATIONS (500), BENCH_WARMUP (50), BENCH_REFERENCE_ITERATIONS (200),
#      BENCH_LOAD_CONCURRENCY (24)
# Results: bench/results/latest.json (+ load.json, *.cpuprofile), and the
# tables printed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)

# shellcheck source=toolchain.sh
source scripts/toolchain.sh

lab_state="$repo/lab/_state-bench"
if [[ ${BENCH_FRESH:-} == 1 && -d $lab_state ]]; then
  lab/scripts/down.sh --purge "$lab_state"
fi
if [[ ${BENCH_KEEP_LAB:-} != 1 ]]; then
  trap 'lab/scripts/down.sh "$lab_state" >/dev/null 2>&1 || true' EXIT
fi

PHASE_TO_STDERR=1
# shellcheck source=lib.sh
source scripts/lib.sh

phase "lab: start kube-apiserver + etcd in $lab_state"
lab/scripts/up.sh "$lab_state" >/dev/null
export OPENEBS_LAB_ENV="$lab_state/env"

node_ts=(node --require @backstage/cli/config/nodeTransform.cjs)

phase "dataset: 250 namespaces x 20 PVCs, 20,000 Velero backups (loaded once); apiserver warm-up"
"${node_ts[@]}" bench/src/load.ts

phase "measure: cold sync, memory, latency, reference"
"${node_ts[@]}" --expose-gc bench/src/measure.ts

phase "results (bench/results/latest.json)"
"${node_ts[@]}" bench/src/report.ts
