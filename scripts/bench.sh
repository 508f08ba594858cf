#!/usr/bin/env bash
# Benchmarks the storage backend against a real kube-apiserver holding 5,000
# PVCs and 20,000 Velero backups (see docs/benchmarks.md).
#
#   scripts/bench.sh          (or: yarn bench)
#
# Starts its own lab cluster in lab/_state-bench and stops it on exit; the
# etcd data is kept, so the dataset is loaded once and later runs skip it.
#
# Env: BENCH_CLUSTERS=3 three clusters (lab/_state-bench, lab/_state-bench-2, …),
#                    each with its own copy of the dataset; 1 by default
#      BENCH_FRESH=1   purge the bench labs first (measures a load from scratch)
#      BENCH_KEEP_LAB=1  leave the labs running afterwards
#      BENCH_ITERATIONS (500), BENCH_WARMUP (50), BENCH_REFERENCE_ITERATIONS (200),
#      BENCH_LOAD_CONCURRENCY (24)
# Results: bench/results/latest.json (+ load.json, *.cpuprofile), and the
# tables printed at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)

# shellcheck source=toolchain.sh
source scripts/toolchain.sh

export BENCH_CLUSTERS=${BENCH_CLUSTERS:-1}
[[ $BENCH_CLUSTERS =~ ^[1-9]$ ]] || { echo "BENCH_CLUSTERS must be 1-9, not $BENCH_CLUSTERS" >&2; exit 2; }
# The state dir of bench cluster k (bench/src/paths.ts names them alike).
lab_state() { if (($1 == 1)); then echo "$repo/lab/_state-bench"; else echo "$repo/lab/_state-bench-$1"; fi; }
states=()
for ((k = 1; k <= BENCH_CLUSTERS; k++)); do states+=("$(lab_state "$k")"); done

if [[ ${BENCH_FRESH:-} == 1 ]]; then
  for state in "${states[@]}"; do
    [[ -d $state ]] && lab/scripts/down.sh --purge "$state"
  done
fi
stop_labs() {
  for state in "${states[@]}"; do lab/scripts/down.sh "$state" >/dev/null 2>&1 || true; done
}
if [[ ${BENCH_KEEP_LAB:-} != 1 ]]; then
  trap stop_labs EXIT
fi

PHASE_TO_STDERR=1
# shellcheck source=lib.sh
source scripts/lib.sh

node_ts=(node --require @backstage/cli/config/nodeTransform.cjs)

for ((k = 1; k <= BENCH_CLUSTERS; k++)); do
  state=${states[k - 1]}
  phase "lab $k of $BENCH_CLUSTERS: start kube-apiserver + etcd in $state"
  lab/scripts/up.sh "$state" >/dev/null
  phase "dataset in cluster $k: 250 namespaces x 20 PVCs, 25,000 pods, 20,000 Velero backups (loaded once); apiserver warm-up"
  OPENEBS_LAB_ENV="$state/env" BENCH_CLUSTER=$k "${node_ts[@]}" bench/src/load.ts
done

phase "measure: cold sync, memory, latency, reference"
"${node_ts[@]}" --expose-gc bench/src/measure.ts

phase "results (bench/results/latest.json)"
"${node_ts[@]}" bench/src/report.ts
