#!/usr/bin/env bash
# End-to-end check of the Velero binaries against the lab S3, without a node:
# runs the `velero server` of the velero image on the host against the lab's
# API server, with the AWS plugin of the plugin image in its plugin dir, and
# a BackupStorageLocation on the lab S3 (HTTPS, lab CA, path-style,
# checksumAlgorithm ""). Then backs up a namespace (resources only, no pods
# run here), waits for Completed, and fetches the backup log through a
# DownloadRequest's presigned URL, as the portal does.
#
#   lab/images/velero-host-check.sh [STATE_DIR]    (default: lab/_state)
#
# Needs STATE_DIR/env (lab/scripts/up.sh) and STATE_DIR/env-s3
# (lab/scripts/s3.sh up). Leaves BackupStorageLocation `lab-check` and the
# backups it made in the velero namespace, and their objects in the bucket
# under the prefix lab-check/.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

STATE=$(cd "${1:-$LAB_DIR/_state}" && pwd)
[[ -f $STATE/env && -f $STATE/env-s3 ]] || die "run lab/scripts/up.sh $STATE and lab/scripts/s3.sh up $STATE first"
set -a
# shellcheck disable=SC1091
. "$STATE/env"
# shellcheck disable=SC1091
. "$STATE/env-s3"
set +a
"$LAB_DIR/images/build.sh" velero velero-plugin-for-aws >/dev/null

WORK=$STATE/velero-host-check
mkdir -p "$WORK/plugins"
install -m 0755 "$LAB_BIN/velero-plugin-for-aws" "$WORK/plugins/"
api() {
  local method=$1 path=$2
  shift 2
  curl -sf --cacert "$LAB_CA_FILE" -H "Authorization: Bearer $LAB_ADMIN_TOKEN" \
    -H 'Content-Type: application/json' -X "$method" "$LAB_API_URL$path" "$@"
}
field() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
V=/apis/velero.io/v1/namespaces/velero

if ! api GET "$V/backupstoragelocations/lab-check" >/dev/null 2>&1; then
  api POST "$V/backupstoragelocations" --data @- >/dev/null <<EOF
{"apiVersion": "velero.io/v1", "kind": "BackupStorageLocation",
 "metadata": {"name": "lab-check", "namespace": "velero"},
 "spec": {"provider": "aws",
  "objectStorage": {"bucket": "$LAB_S3_BUCKET", "prefix": "lab-check", "caCert": "$LAB_S3_CA_DATA"},
  "config": {"region": "$LAB_S3_REGION", "s3ForcePathStyle": "true", "s3Url": "$LAB_S3_ENDPOINT",
             "checksumAlgorithm": ""}}}
EOF
fi

log "starting velero server (log: $WORK/server.log)"
AWS_SHARED_CREDENTIALS_FILE=$LAB_S3_CREDENTIALS_FILE HOME=$WORK \
  setsid "$LAB_BIN/velero" server --kubeconfig "$LAB_KUBECONFIG" --namespace velero \
  --plugin-dir "$WORK/plugins" --uploader-type kopia >"$WORK/server.log" 2>&1 </dev/null &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT

wait_phase() { # KIND/NAME WANT TIMEOUT
  local deadline=$((SECONDS + $3)) phase=""
  while ((SECONDS < deadline)); do
    phase=$(api GET "$V/$1" 2>/dev/null | field 'd.get("status", {}).get("phase", "")' || true)
    [[ $phase == "$2" ]] && return 0
    [[ $phase == Failed || $phase == PartiallyFailed || $phase == Unavailable ]] && break
    kill -0 "$pid" 2>/dev/null || die "velero server exited: $(tail -n 20 "$WORK/server.log")"
    sleep 1
  done
  die "$1: phase '$phase', wanted $2 (log: $WORK/server.log)"
}

t0=$(now_ms)
wait_phase backupstoragelocations/lab-check Available 120
log "BackupStorageLocation lab-check: Available ($LAB_S3_ENDPOINT, bucket $LAB_S3_BUCKET)"

name=lab-check-$(date +%s)
api POST "$V/backups" --data @- >/dev/null <<EOF
{"apiVersion": "velero.io/v1", "kind": "Backup", "metadata": {"name": "$name", "namespace": "velero"},
 "spec": {"includedNamespaces": ["backstage-system"], "storageLocation": "lab-check", "ttl": "24h0m0s"}}
EOF
wait_phase "backups/$name" Completed 180
items=$(api GET "$V/backups/$name" | field 'd["status"].get("progress", {}).get("itemsBackedUp", 0)')
log "Backup $name: Completed, $items items"

api POST "$V/downloadrequests" --data @- >/dev/null <<EOF
{"apiVersion": "velero.io/v1", "kind": "DownloadRequest", "metadata": {"name": "$name-log", "namespace": "velero"},
 "spec": {"target": {"kind": "BackupLog", "name": "$name"}}}
EOF
url=""
for _ in $(seq 60); do
  url=$(api GET "$V/downloadrequests/$name-log" | field 'd.get("status", {}).get("downloadURL", "")')
  [[ -n $url ]] && break
  sleep 1
done
[[ -n $url ]] || die "DownloadRequest $name-log: no downloadURL"
lines=$(curl -sf --cacert "$LAB_S3_CA_FILE" "$url" | gunzip | wc -l)
((lines > 0)) || die "backup log from ${url%%\?*} is empty"
log "DownloadRequest $name-log: presigned ${url%%\?*} -> $lines log lines"
log "OK in $(fmt_secs $(($(now_ms) - t0)))s; velero server RSS $(($(awk '/VmRSS/ { print $2 }' "/proc/$pid/status") / 1024)) MB"
