#!/usr/bin/env bash
# Puts the `shop` example entity on the full lab as a real workload
# (demo-shop.yaml: StatefulSet on openebs-localpv-hostpath + the Velero
# Schedule the workload template generates) and takes a first backup from
# that Schedule's template, so the Storage tab has one before the schedule's
# 02:00 run. Idempotent.
#
#   lab/platform/demo-up.sh [STATE_DIR]     (default: lab/_state-node)
#
# Needs full-up.sh and platform-up.sh first. Used by scripts/dev.sh --full
# and by the full-lab story of scripts/e2e.sh.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$LAB_DIR/scripts/lib.sh"

STATE=${1:-$LAB_DIR/_state-node}
STATE=$(cd "$STATE" && pwd)
[[ -f $STATE/env-node ]] || die "the full lab is not up for $STATE: run lab/scripts/full-up.sh and platform-up.sh first"
# shellcheck disable=SC1091
LAB_KUBECTL=$(. "$STATE/env-node" && echo "$LAB_KUBECTL")
kubectl() { "$LAB_KUBECTL" --kubeconfig "$STATE/kubeconfig" "$@"; }

kubectl apply --server-side --field-manager=lab-demo -f "$LAB_DIR/platform/demo-shop.yaml" >/dev/null
kubectl -n shop rollout status statefulset/shop-db --timeout=300s >&2
if ! kubectl -n velero get backups.velero.io shop-first >/dev/null 2>&1; then
  # What Velero makes of the Schedule at 02:00: a Backup with its template
  # as spec (JSON, which is YAML too).
  template=$(kubectl -n velero get schedule shop-shop -o jsonpath='{.spec.template}')
  kubectl create -f - >/dev/null <<EOF
apiVersion: velero.io/v1
kind: Backup
metadata:
  name: shop-first
  namespace: velero
  labels: {backstage.io/kubernetes-id: shop}
spec: $template
EOF
fi
lab_wait_phase 300 '{.status.phase}' Completed -n velero backups.velero.io shop-first || die "$LAB_WAIT_PROBLEM"
log "shop: StatefulSet shop/shop-db ready, backup shop-first Completed"
