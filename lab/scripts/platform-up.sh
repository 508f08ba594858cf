#!/usr/bin/env bash
# Deploys the storage platform into the full lab from the
# openebs-velero-platform template's own output, through the real Flux
# controllers:
#
#   lab/scripts/platform-up.sh [STATE_DIR]      (default: lab/_state-node)
#
# 1. s3: versitygw over HTTPS on the node IP (s3.sh), so pods reach it;
# 2. images: Velero, its AWS plugin and the provisioner stand-in (images.sh);
# 3. charts: the pinned charts (lab/charts.tsv) pushed to the lab
#    registry as OCI artifacts (what the platform's HelmRepositories become
#    in the lab); the Prometheus Operator's CRDs (the platform's alert rules
#    and Velero's ServiceMonitor need them; no operator runs);
# 4. render: the template through the real scaffolder's dry run with the
#    lab's S3 endpoint, CA and age key (dev/labPlatform/render.ts); the dry
#    run encrypts placeholders for the S3 keys, so the lab's keys are set
#    into the SOPS file with `sops set` (what an operator does before merging);
# 5. gitops: the full lab's Gitea (STATE_DIR/gitea, 127.0.0.1:3300) holds the
#    cluster repository; lab/platform/gitops-up.sh commits the rendered tree
#    to main and bootstraps Flux, whose helm-controller installs the charts;
# 6. provisioner: the stand-in for OpenEBS's (docs/lab.md says why), then
#    waits for the backup storage location to be Available.
#
# Needs full-up.sh first. Idempotent. Progress on stderr; prints
# STATE_DIR/env-s3 and STATE_DIR/gitea/env-gitea on stdout.
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

"$LAB_DIR/tools/build-tools.sh" sops helm >/dev/null
"$LAB_DIR/scripts/build.sh" kubectl crds >/dev/null 2>&1 || "$LAB_DIR/scripts/build.sh" kubectl crds
kubectl() { "$LAB_KUBECTL" --kubeconfig "$STATE/kubeconfig" "$@"; }

charts=$LAB_REGISTRY/charts
chart_files=$(charts_dir)
pushed=0
while IFS=$'\t' read -r name version _; do
  [[ -z $name || $name == '#'* ]] && continue
  chart=$chart_files/$name-$version.tgz
  "$LAB_BIN/helm" push "$chart" "oci://$charts" --plain-http >/dev/null 2>&1 ||
    "$LAB_BIN/helm" push "$chart" "oci://$charts" --plain-http
  pushed=$((pushed + 1))
done <"$LAB_DIR/charts.tsv"
kubectl apply --server-side --force-conflicts --field-manager=lab-platform \
  -f "$LAB_CRDS/monitoring" >/dev/null
phase "charts: $pushed pinned charts in oci://$charts; Prometheus Operator CRDs"

. "$REPO_ROOT/scripts/toolchain.sh"
dev=$REPO_ROOT/plugins/scaffolder-backend-module-openebs/dev/labPlatform
tree=$STATE/platform/tree
rm -rf "$tree"
(cd "$REPO_ROOT" && LAB_AGE_KEY_FILE=$STATE/platform/age.key \
  node --require @backstage/cli/config/nodeTransform.cjs "$dev/render.ts" "$tree")
# The dry run never reads the template's secrets and generates no password:
# the S3 keys and the Kopia repository password in the SOPS files are
# placeholders until the lab's own are set. The password is made once per
# lab and kept: Velero cannot open repositories written under another.
password_file=$STATE/platform/repository-password
[[ -s $password_file ]] || (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '=+/\n' >"$password_file")
secret=$tree/kubernetes/apps/storage/velero/app/velero-s3-secret.sops.yaml
sops() { SOPS_AGE_KEY_FILE=$STATE/platform/age.key "$LAB_BIN/sops" "$@"; }
[[ $(sops --decrypt "$secret") == *dry-run-placeholder* ]] ||
  die "$secret holds no dry-run placeholders: was the tree rendered by a dry run?"
json() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1"; }
sops set "$secret" '["stringData"]["S3_ACCESS_KEY_ID"]' "$(json "$LAB_S3_ACCESS_KEY")"
sops set "$secret" '["stringData"]["S3_SECRET_ACCESS_KEY"]' "$(json "$LAB_S3_SECRET_KEY")"
sops set "$secret" '["stringData"]["cloud"]' "$(json "[default]
aws_access_key_id=$LAB_S3_ACCESS_KEY
aws_secret_access_key=$LAB_S3_SECRET_KEY
")"
sops set "$tree/kubernetes/apps/storage/velero/app/velero-repo-credentials.sops.yaml" \
  '["stringData"]["repository-password"]' "$(json "$(cat "$password_file")")"
phase "render: dry run of openebs-velero-platform into $tree, the lab's S3 keys and repository password set"

GITEA_PORT=${GITEA_PORT:-3300} "$LAB_DIR/scripts/gitea.sh" up "$STATE/gitea" >/dev/null
"$LAB_DIR/platform/gitops-up.sh" "$STATE" "$STATE/gitea/env-gitea" "$charts"
phase "gitops: Flux applied the platform from $STATE/gitea's cluster repository"

# `local` PVs, not the stand-in's default hostPath ones: Velero's file-system
# backup skips hostPath volumes. Annotations stay mutable (and helm keeps one
# it does not own), unlike the class's parameters.
kubectl annotate --overwrite storageclass openebs-localpv-hostpath defaultVolumeType=local >/dev/null
# A lab kept from before the stand-in took the chart's Deployment name ran it
# in namespace openebs-lab, under another Lease: two leaders would provision
# the same claims.
kubectl delete namespace openebs-lab --ignore-not-found >/dev/null
kubectl apply --server-side --field-manager=lab-platform -f "$LAB_DIR/platform/local-path-provisioner.yaml" >/dev/null
kubectl -n kube-system rollout status deployment/openebs-localpv-localpv-provisioner --timeout=180s >&2
phase "provisioner: stand-in for openebs.io/local ready"
kubectl apply --server-side --field-manager=lab-platform -f "$LAB_DIR/platform/static-local-class.yaml" >/dev/null

if ! lab_wait_phase 120 '{.status.phase}' Available -n velero backupstoragelocation default; then
  kubectl -n velero get backupstoragelocation default -o yaml >&2 || true
  kubectl -n velero logs deployment/velero --tail=30 >&2 || true
  die "the backup storage location did not become Available: $LAB_WAIT_PROBLEM"
fi
phase "velero: location default Available"
cat "$STATE/env-s3" "$STATE/gitea/env-gitea"
