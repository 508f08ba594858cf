#!/usr/bin/env bash
# The proof on the full lab with the platform deployed (platform-up.sh):
# write -> back up -> destroy -> restore -> verify, with real bytes, the real
# OpenEBS class, Velero's file-system backup to the HTTPS S3, and the
# backend's own Restore shape (restoreManifest.ts). Times are measured.
#
#   lab/proof/run.sh [STATE_DIR]        (default: lab/_state-node)
#
# 1. provision: a StatefulSet (busybox) with a claim on openebs-localpv-hostpath;
#    time from the claim's creation to Bound (AC-001-01, < 30 s);
# 2. write: dataset.sh in the pod; manifest.sh records it (sha256 per file);
# 3. back up: a Velero Backup of the namespace (file-system backup); its
#    duration from Velero's own timestamps (AC-002-01, < 5 min);
# 4. marker: a file written after the backup, which no restore may bring back;
# 5. destroy: StatefulSet and claim deleted, the volume's directory gone;
# 6. restore into a new namespace, and in place (workload and claim removed
#    first); each Restore's duration from Velero (AC-002-03, < 15 min); each
#    restored volume's manifest equals the original entry by entry but for
#    what Kopia does not keep (compare.sh: hard links, sparseness);
# 7. the test of the test: one changed byte in the restored data is caught;
# 8. cancelling (docs/restores.md): a queued Restore deleted goes at once and
#    Velero never runs it; a running Restore deleted runs to its end first;
# 9. S3 stopped: the location turns Unavailable; S3 back: Available again.
#
# Env: PROOF_LARGE_MIB (random file, default 64), PROOF_SMALL_FILES (2000),
# PROOF_VOLUME_SIZE (claim, default 2Gi), PROOF_SKIP_S3_FAULT=1.
# Results: one "result KEY=VALUE" line each on stdout, and
# STATE_DIR/proof/results.env. Exits non-zero at the first failed check.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$LAB_DIR/scripts/lib.sh"

STATE=${1:-$LAB_DIR/_state-node}
STATE=$(cd "$STATE" && pwd)
[[ -f $STATE/env-node && -f $STATE/env-s3 ]] ||
  die "the platform is not up for $STATE: run lab/scripts/full-up.sh and lab/scripts/platform-up.sh first"
set -a
. "$STATE/env"
. "$STATE/env-node"
set +a

LARGE_MIB=${PROOF_LARGE_MIB:-64}
SMALL_FILES=${PROOF_SMALL_FILES:-2000}
VOLUME_SIZE=${PROOF_VOLUME_SIZE:-2Gi}
SRC=proof-src RESTORED=proof-restored APP=proof-data
RUNNING=proof-cancel-running QUEUED=proof-cancel-queued
SELECTOR=app.kubernetes.io/name=$APP
POD=$APP-0 PVC=data-$APP-0
# The dataset lives below the volume's root: Velero's restore adds its own
# .velero/ directory at the root, which the manifests leave out.
SET=/data/set
OUT=$STATE/proof
run_id=$(date +%s)
mkdir -p "$OUT"
: >"$OUT/results.env"

kubectl() { "$LAB_KUBECTL" --kubeconfig "$STATE/kubeconfig" "$@"; }
result() {
  printf 'result %s=%s\n' "$1" "$2"
  printf '%s=%s\n' "$1" "$2" >>"$OUT/results.env"
}
fail() {
  log "FAIL: $*"
  kubectl -n velero logs deployment/velero --tail=20 2>/dev/null | sed 's/^/    velero: /' >&2 || true
  exit 1
}
# Seconds between two RFC 3339 timestamps.
elapsed() { echo $(($(date -d "$2" +%s) - $(date -d "$1" +%s))); }
wait_for() { lab_wait_phase "$@" || fail "$LAB_WAIT_PROBLEM"; } # lib.sh
in_pod() { # NAMESPACE SCRIPT ARGS... (script on stdin of sh in the pod)
  local ns=$1 script=$2
  shift 2
  kubectl -n "$ns" exec -i "$POD" -c app -- sh -s -- "$@" <"$script"
}
manifest_of() { in_pod "$1" "$LAB_DIR/proof/manifest.sh" "$SET"; }
restore_manifest() {
  (cd "$REPO_ROOT" && . scripts/toolchain.sh >/dev/null &&
    node --require @backstage/cli/config/nodeTransform.cjs lab/proof/restoreManifest.ts "$@")
}
delete_workload() { # NAMESPACE: StatefulSet and claim, and waits for the volume to go
  local pv
  pv=$(kubectl -n "$1" get pvc "$PVC" -o jsonpath='{.spec.volumeName}' 2>/dev/null || true)
  kubectl -n "$1" delete statefulset "$APP" --ignore-not-found --wait=true --timeout=120s >/dev/null
  kubectl -n "$1" delete pod "$POD" --ignore-not-found --wait=true --timeout=120s >/dev/null
  kubectl -n "$1" delete pvc "$PVC" --ignore-not-found --wait=true --timeout=120s >/dev/null
  [[ -z $pv ]] || kubectl delete pv "$pv" --ignore-not-found --wait=true --timeout=120s >/dev/null
}
cleanup_all() {
  local ns
  for ns in "$SRC" "$RESTORED" "$RUNNING" "$QUEUED"; do delete_workload "$ns" 2>/dev/null || true; done
  kubectl delete namespace "$SRC" "$RESTORED" "$RUNNING" "$QUEUED" --ignore-not-found --wait=true --timeout=180s >/dev/null 2>&1 || true
}
compare() { # LABEL RESTORED_MANIFEST
  local verdict
  if verdict=$(sh "$LAB_DIR/proof/compare.sh" "$OUT/original.manifest" "$2"); then
    log "ok   $1: $verdict"
    result "${1//-/_}_verdict" "'$verdict'"
  else
    printf '%s\n' "$verdict" | sed 's/^/    /' >&2
    fail "$1: the restored volume differs from the original"
  fi
}

# Velero's pods and their restarts: a restart mid-proof (an OOM kill at the
# memory limit the template sets) fails backups, so the proof fails on one.
velero_restarts() {
  kubectl -n velero get pods -o jsonpath='{range .items[*]}{.metadata.name}:{.status.containerStatuses[*].restartCount} {end}'
}

log "cleaning up any earlier proof run"
cleanup_all
restarts_before=$(velero_restarts)

# 1. provision ------------------------------------------------------------
kubectl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Namespace
metadata:
  name: $SRC
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: $APP
  namespace: $SRC
  labels: {app.kubernetes.io/name: $APP, backstage.io/kubernetes-id: $APP}
spec:
  serviceName: $APP
  replicas: 1
  selector:
    matchLabels: {app.kubernetes.io/name: $APP}
  template:
    metadata:
      labels: {app.kubernetes.io/name: $APP, backstage.io/kubernetes-id: $APP}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: app
          image: $LAB_BUSYBOX_IMAGE
          command: [sh, -c, 'trap "exit 0" TERM; while true; do sleep 1; done']
          volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
    - metadata:
        name: data
        labels: {app.kubernetes.io/name: $APP, backstage.io/kubernetes-id: $APP}
      spec:
        storageClassName: openebs-localpv-hostpath
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: $VOLUME_SIZE}}
EOF
wait_for 120 '{.status.phase}' Bound -n "$SRC" pvc "$PVC"
created=$(kubectl -n "$SRC" get pvc "$PVC" -o jsonpath='{.metadata.creationTimestamp}')
pv=$(kubectl -n "$SRC" get pvc "$PVC" -o jsonpath='{.spec.volumeName}')
# Bound is observed by polling; the PV's creation is the provisioner's own
# timestamp, the moment the claim could bind.
bound=$(kubectl get pv "$pv" -o jsonpath='{.metadata.creationTimestamp}')
result provision_seconds "$(elapsed "$created" "$bound")"
pv_path=$(kubectl get pv "$pv" -o jsonpath='{.spec.local.path}')
[[ -n $pv_path ]] || fail "PV $pv is not a local volume: $(kubectl get pv "$pv" -o jsonpath='{.spec}')"
node=$(kubectl get pv "$pv" -o jsonpath='{.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}')
log "ok   claim $PVC bound to local PV $pv on $node at $pv_path"
kubectl -n "$SRC" wait --for=condition=Ready "pod/$POD" --timeout=180s >/dev/null

# 2. write ----------------------------------------------------------------
t0=$(date +%s)
in_pod "$SRC" "$LAB_DIR/proof/dataset.sh" "$SET" "$LARGE_MIB" "$SMALL_FILES"
manifest_of "$SRC" >"$OUT/original.manifest"
entries=$(wc -l <"$OUT/original.manifest")
bytes=$(kubectl -n "$SRC" exec "$POD" -c app -- du -sk "$SET" | cut -f1)
log "ok   dataset: $entries entries, $((bytes / 1024)) MiB, written and recorded in $(($(date +%s) - t0))s"
result dataset_entries "$entries"
result dataset_mib "$((bytes / 1024))"

# 3. back up --------------------------------------------------------------
backup=proof-$run_id
kubectl apply -f - >/dev/null <<EOF
apiVersion: velero.io/v1
kind: Backup
metadata:
  name: $backup
  namespace: velero
spec:
  includedNamespaces: [$SRC]
  defaultVolumesToFsBackup: true
  storageLocation: default
  ttl: 720h0m0s
EOF
wait_for 900 '{.status.phase}' Completed -n velero backups.velero.io "$backup"
start=$(kubectl -n velero get backups.velero.io "$backup" -o jsonpath='{.status.startTimestamp}')
end=$(kubectl -n velero get backups.velero.io "$backup" -o jsonpath='{.status.completionTimestamp}')
pvb=$(kubectl -n velero get podvolumebackups -l "velero.io/backup-name=$backup" \
  -o jsonpath='{range .items[*]}{.metadata.annotations.velero\.io/pvc-name} {.status.phase} {.status.progress.totalBytes}{"\n"}{end}')
[[ $pvb == "$PVC Completed "* ]] || fail "expected one Completed PodVolumeBackup of $PVC, got: $pvb"
log "ok   backup $backup Completed; PodVolumeBackup: $pvb"
result backup_seconds "$(elapsed "$start" "$end")"

# 4. marker ---------------------------------------------------------------
kubectl -n "$SRC" exec "$POD" -c app -- sh -c "echo after-backup >$SET/marker-after-backup"

# 5. destroy --------------------------------------------------------------
delete_workload "$SRC"
deadline=$(($(date +%s) + 60))
while [[ -e $pv_path ]]; do
  (($(date +%s) < deadline)) || fail "the volume's directory $pv_path is still there 60s after its PV was deleted"
  sleep 0.5
done
log "ok   destroyed: StatefulSet, claim and PV deleted, $pv_path removed from the node"

restore_and_verify() { # LABEL MODE TARGET_NAMESPACE
  local label=$1 mode=$2 target=$3 name=proof-$1-$run_id start end restored_pv
  restore_manifest "$name" "$backup" "$SRC" "$target" "$mode" "$SELECTOR" "$PVC" | kubectl create -f - >/dev/null
  wait_for 1200 '{.status.phase}' Completed -n velero restore "$name"
  start=$(kubectl -n velero get restore "$name" -o jsonpath='{.status.startTimestamp}')
  end=$(kubectl -n velero get restore "$name" -o jsonpath='{.status.completionTimestamp}')
  result "restore_${label//-/_}_seconds" "$(elapsed "$start" "$end")"
  kubectl -n "$target" wait --for=condition=Ready "pod/$POD" --timeout=300s >/dev/null
  restored_pv=$(kubectl -n "$target" get pvc "$PVC" -o jsonpath='{.spec.volumeName}')
  log "ok   restore $name Completed; $target/$PVC on PV $restored_pv"
  manifest_of "$target" >"$OUT/$label.manifest"
  compare "$label" "$OUT/$label.manifest"
  ! grep -q '^marker-after-backup|' "$OUT/$label.manifest" || fail "$label: the marker written after the backup came back"
}

# 6. restore into a new namespace, then in place --------------------------
restore_and_verify new-namespace new-namespace "$RESTORED"

# 7. the test of the test -------------------------------------------------
victim=$(awk -F'|' '$2 == "file" && $5 > 0 { print $1; exit }' "$OUT/original.manifest")
kubectl -n "$RESTORED" exec "$POD" -c app -- sh -c \
  "printf 'X' | dd of='$SET/$victim' bs=1 seek=0 count=1 conv=notrunc 2>/dev/null"
manifest_of "$RESTORED" >"$OUT/tampered.manifest"
if verdict=$(sh "$LAB_DIR/proof/compare.sh" "$OUT/original.manifest" "$OUT/tampered.manifest"); then
  fail "one byte changed in $victim and the verification did not notice: $verdict"
fi
log "ok   a changed byte is caught:$(printf '%s' "$verdict" | tail -n +2 | tr -s ' ')"

delete_workload "$SRC"
# In place the backend's shape is a resource modifier (a ConfigMap that
# relabels the pod Velero runs) and the Restore naming it; the portal makes
# the Restore its owner, here it goes by name.
restore_and_verify in-place in-place "$SRC"
kubectl -n velero delete configmap "proof-in-place-$run_id" --ignore-not-found >/dev/null

# 8. cancelling -----------------------------------------------------------
# What the portal's cancel does (DELETE of the Restore), against real Velero,
# which runs one restore at a time: the second Restore waits with no phase.
running=proof-cancel-running-$run_id queued=proof-cancel-queued-$run_id
restore_manifest "$running" "$backup" "$SRC" "$RUNNING" new-namespace "$SELECTOR" "$PVC" | kubectl create -f - >/dev/null
restore_manifest "$queued" "$backup" "$SRC" "$QUEUED" new-namespace "$SELECTOR" "$PVC" | kubectl create -f - >/dev/null
wait_for 120 '{.status.phase}' InProgress -n velero restore "$running"
[[ -z $(kubectl -n velero get restore "$queued" -o jsonpath='{.status.phase}') ]] ||
  fail "restore $queued started while $running runs: Velero was expected to run one at a time"
kubectl -n velero delete restore "$queued" --wait=false >/dev/null
t0=$(date +%s)
while kubectl -n velero get restore "$queued" >/dev/null 2>&1; do
  (($(date +%s) - t0 < 10)) || fail "the queued restore $queued was deleted but is still there after 10s"
  sleep 0.5
done
log "ok   a queued restore deleted: gone after $(($(date +%s) - t0))s"
kubectl -n velero delete restore "$running" --wait=false >/dev/null
sleep 2
phase=$(kubectl -n velero get restore "$running" -o jsonpath='{.status.phase}|{.metadata.deletionTimestamp}' 2>/dev/null || true)
[[ $phase == InProgress\|?* ]] ||
  fail "a running restore deleted was expected to keep running, marked for deletion (phase|deletion: '$phase')"
t0=$(date +%s)
while kubectl -n velero get restore "$running" >/dev/null 2>&1; do
  (($(date +%s) - t0 < 600)) || fail "the running restore $running, deleted, is still there after 600s"
  sleep 1
done
kubectl -n "$RUNNING" wait --for=condition=Ready "pod/$POD" --timeout=300s >/dev/null ||
  fail "the running restore $running was deleted and its pod never became Ready: it did not run to its end"
log "ok   a running restore deleted: kept running and went $(($(date +%s) - t0))s after the delete, having run to its end (its pod Ready in $RUNNING)"
kubectl get namespace "$QUEUED" >/dev/null 2>&1 && fail "Velero restored into $QUEUED although its Restore was deleted while queued"
log "ok   the cancelled restore never ran: no namespace $QUEUED"
delete_workload "$RUNNING"
kubectl delete namespace "$RUNNING" --wait=false >/dev/null

# 9. S3 stopped -----------------------------------------------------------
if [[ ${PROOF_SKIP_S3_FAULT:-} != 1 ]]; then
  "$LAB_DIR/scripts/s3.sh" down "$STATE" >/dev/null 2>&1
  t0=$(date +%s)
  wait_for 180 '{.status.phase}' Unavailable -n velero backupstoragelocation default
  log "ok   S3 stopped: location default Unavailable after $(($(date +%s) - t0))s"
  LAB_S3_ADDRESS=$LAB_NODE_IP "$LAB_DIR/scripts/s3.sh" up "$STATE" >/dev/null 2>&1
  t0=$(date +%s)
  wait_for 180 '{.status.phase}' Available -n velero backupstoragelocation default
  log "ok   S3 back: location default Available after $(($(date +%s) - t0))s"
fi
restarts_after=$(velero_restarts)
[[ $restarts_after == "$restarts_before" ]] ||
  fail "Velero's pods restarted during the proof (before: $restarts_before; after: $restarts_after): look for OOM kills in dmesg"
log "ok   Velero's pods never restarted: $restarts_after"
log "proof passed; results in $OUT/results.env"
