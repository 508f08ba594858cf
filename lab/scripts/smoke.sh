#!/usr/bin/env bash
# Smoke test of a running lab: what the portal and its tests rely on.
#
#   lab/scripts/smoke.sh [STATE_DIR]      (default: lab/_state)
#
# Creates its objects in a fresh namespace smoke-<random> (and a Backup in
# velero); deletes the Pod and PVC again to show that nothing hangs on
# finalizers. Ends with 'N passed, N failed'; exits non-zero on a failure.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE=${1:-$LAB_DIR/_state}
[[ -f $STATE/env ]] || die "no $STATE/env: is the lab up? (lab/scripts/up.sh $STATE)"
# shellcheck disable=SC1091
. "$STATE/env"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'Authorization: Bearer %s\n' "$LAB_ADMIN_TOKEN" >"$tmp/admin"
printf 'Authorization: Bearer %s\n' "$LAB_BACKSTAGE_TOKEN" >"$tmp/backstage"

passed=0 failed=0
# check DESCRIPTION WANT_CODE AS METHOD PATH [CONTENT_TYPE BODY]
check() {
  local what=$1 want=$2 who=$3 method=$4 path=$5 args code
  args=(-sS --max-time 30 -o "$tmp/resp" -w '%{http_code}' --cacert "$LAB_CA_FILE" -H @"$tmp/$who" -X "$method")
  [[ -n ${6:-} ]] && args+=(-H "Content-Type: $6" --data-binary "$7")
  code=$(curl "${args[@]}" "$LAB_API_URL$path") || code=000
  if [[ $code == "$want" ]]; then
    passed=$((passed + 1))
    printf 'ok    %-62s %s\n' "$what" "$code"
  else
    failed=$((failed + 1))
    printf 'FAIL  %-62s got %s, want %s: %s\n' "$what" "$code" "$want" "$(head -c 300 "$tmp/resp")"
  fi
}
field() { python3 -c "import json, sys; r = json.load(open(sys.argv[1])); print($1)" "$tmp/resp"; }

ns=smoke-$(openssl rand -hex 4)
JSON=application/json

check "backstage: list pods in all namespaces" 200 backstage GET /api/v1/pods
check "backstage: list PVs" 200 backstage GET /api/v1/persistentvolumes
check "backstage: list storageclasses" 200 backstage GET /apis/storage.k8s.io/v1/storageclasses
check "backstage: list volumesnapshots" 200 backstage GET /apis/snapshot.storage.k8s.io/v1/volumesnapshots
check "backstage: list velero backups" 200 backstage GET /apis/velero.io/v1/namespaces/velero/backups
backup='{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"'"$ns"'","namespace":"velero"},"spec":{"includedNamespaces":["'"$ns"'"]}}'
check "backstage: create velero Backup is forbidden" 403 backstage POST /apis/velero.io/v1/namespaces/velero/backups $JSON "$backup"
check "admin: create velero Backup" 201 admin POST /apis/velero.io/v1/namespaces/velero/backups $JSON "$backup"
check "backstage: create velero Restore" 201 backstage POST /apis/velero.io/v1/namespaces/velero/restores $JSON \
  '{"apiVersion":"velero.io/v1","kind":"Restore","metadata":{"name":"'"$ns"'","namespace":"velero"},"spec":{"backupName":"'"$ns"'"}}'
check "backstage: delete a pod is forbidden" 403 backstage DELETE /api/v1/namespaces/velero/pods/nope

check "admin: create namespace $ns" 201 admin POST /api/v1/namespaces $JSON \
  '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"'"$ns"'"}}'
check "admin: create Pod (no ServiceAccount exists)" 201 admin POST "/api/v1/namespaces/$ns/pods" $JSON \
  '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"app"},"spec":{"containers":[{"name":"app","image":"busybox"}]}}'
check "admin: create PVC" 201 admin POST "/api/v1/namespaces/$ns/persistentvolumeclaims" $JSON \
  '{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}'
check "admin: PATCH PVC status to Bound" 200 admin PATCH "/api/v1/namespaces/$ns/persistentvolumeclaims/data/status" \
  application/merge-patch+json '{"status":{"phase":"Bound","accessModes":["ReadWriteOnce"],"capacity":{"storage":"1Gi"}}}'
check "backstage: get PVC" 200 backstage GET "/api/v1/namespaces/$ns/persistentvolumeclaims/data"
phase=$(field 'r["status"]["phase"]')
if [[ $phase == Bound ]]; then
  passed=$((passed + 1))
  printf 'ok    %-62s %s\n' "PVC status.phase reads back" "$phase"
else
  failed=$((failed + 1))
  printf 'FAIL  %-62s %s\n' "PVC status.phase reads back" "$phase"
fi
check "admin: create VolumeSnapshot" 201 admin POST "/apis/snapshot.storage.k8s.io/v1/namespaces/$ns/volumesnapshots" $JSON \
  '{"apiVersion":"snapshot.storage.k8s.io/v1","kind":"VolumeSnapshot","metadata":{"name":"snap"},"spec":{"source":{"persistentVolumeClaimName":"data"}}}'
check "admin: delete Pod" 200 admin DELETE "/api/v1/namespaces/$ns/pods/app"
check "admin: delete PVC" 200 admin DELETE "/api/v1/namespaces/$ns/persistentvolumeclaims/data"
check "admin: PVC is gone (no finalizer left it Terminating)" 404 admin GET "/api/v1/namespaces/$ns/persistentvolumeclaims/data"

echo "$passed passed, $failed failed"
((failed == 0))
