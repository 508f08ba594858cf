#!/usr/bin/env bash
# Deploys the storage platform into the full lab from the
# openebs-velero-platform template's own output:
#
#   lab/scripts/platform-up.sh [STATE_DIR]      (default: lab/_state-node)
#
# 1. s3: versitygw over HTTPS on the node IP (s3.sh), so pods reach it;
# 2. images: Velero, its AWS plugin and the provisioner stand-in (images.sh);
# 3. render: the template through the real scaffolder's dry run with the
#    lab's S3 endpoint, CA and age key (dev/labPlatform/render.ts);
# 4. deploy: what Flux would do, with the real kustomize, sops, helm and
#    kubectl (dev/labPlatform/deploy.ts; the lab's departures, with reasons,
#    are in dev/labPlatform/labOverrides.ts and docs/lab.md);
# 5. provisioner: the stand-in for OpenEBS's (docs/lab.md says why), then
#    waits for the backup storage location to be Available.
#
# Needs full-up.sh first. Idempotent (helm upgrade, server-side apply).
# Progress on stderr; prints STATE_DIR/env-s3 on stdout.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE=${1:-$LAB_DIR/_state-node}
STATE=$(cd "$STATE" && pwd)
[[ -f $STATE/env-node ]] || die "the full lab is not up for $STATE: run lab/scripts/full-up.sh $STATE first"
set -a
. "$STATE/env"
. "$STATE/env-node"
set +a
started=$(now_ms)
phase() { log "phase $1 ($(fmt_secs $(($(now_ms) - started)))s)"; }

LAB_S3_ADDRESS=$LAB_NODE_IP "$LAB_DIR/scripts/s3.sh" up "$STATE" >/dev/null
set -a
. "$STATE/env-s3"
set +a
phase "s3: $LAB_S3_ENDPOINT"

"$LAB_DIR/scripts/images.sh" "$STATE" velero velero-plugin-for-aws local-path-provisioner >/dev/null
phase "images: velero, velero-plugin-for-aws, local-path-provisioner in $LAB_REGISTRY"

"$LAB_DIR/tools/build-tools.sh" sops kustomize helm >/dev/null
"$LAB_DIR/scripts/build.sh" kubectl >/dev/null 2>&1 || "$LAB_DIR/scripts/build.sh" kubectl

. "$REPO_ROOT/scripts/toolchain.sh"
dev=$REPO_ROOT/plugins/scaffolder-backend-module-openebs/dev/labPlatform
run_ts() { (cd "$REPO_ROOT" && node --require @backstage/cli/config/nodeTransform.cjs "$@"); }

tree=$STATE/platform/tree
rm -rf "$tree"
LAB_AGE_KEY_FILE=$STATE/platform/age.key run_ts "$dev/render.ts" "$tree"
phase "render: dry run of openebs-velero-platform into $tree"

KUBECONFIG=$STATE/kubeconfig SOPS_AGE_KEY_FILE=$STATE/platform/age.key LAB_BIN=$LAB_BIN \
  OPENEBS_SHARED_DIR=$(shared_dir) run_ts "$dev/deploy.ts" "$tree" ||
  die "deploying the platform failed (above); pods: $("$LAB_KUBECTL" --kubeconfig "$STATE/kubeconfig" get pods -A --no-headers 2>&1 | tail -20)"
phase "deploy: Flux tree applied"

kubectl() { "$LAB_KUBECTL" --kubeconfig "$STATE/kubeconfig" "$@"; }
# `local` PVs, not the stand-in's default hostPath ones: Velero's file-system
# backup skips hostPath volumes. Annotations stay mutable (and helm keeps one
# it does not own), unlike the class's parameters.
kubectl annotate --overwrite storageclass openebs-localpv-hostpath defaultVolumeType=local >/dev/null
kubectl apply --server-side --field-manager=lab-platform -f "$LAB_DIR/platform/local-path-provisioner.yaml" >/dev/null
kubectl -n openebs-lab rollout status deployment/local-path-provisioner --timeout=180s >&2
phase "provisioner: stand-in for openebs.io/local ready"

if ! lab_wait_phase 120 '{.status.phase}' Available -n velero backupstoragelocation default; then
  kubectl -n velero get backupstoragelocation default -o yaml >&2 || true
  kubectl -n velero logs deployment/velero --tail=30 >&2 || true
  die "the backup storage location did not become Available: $LAB_WAIT_PROBLEM"
fi
phase "velero: location default Available"
cat "$STATE/env-s3"
