#!/usr/bin/env bash
# Checks that the full lab (full-up.sh) runs real pods: a busybox pod with an
# emptyDir and a `local` PersistentVolume (a host directory) bound through a
# PVC, a file written and read back in each via `kubectl exec`, the file seen
# on the host, cluster DNS (CoreDNS) and the apiserver's Service reached from
# the pod, and the pod deleted cleanly (its volume mounts gone from the host).
#
#   lab/scripts/full-smoke.sh [STATE_DIR]          (default: lab/_state-node)
#
# Prints one line per check and "N passed, N failed"; exits non-zero on any
# failure. Leaves nothing behind (namespace, PV, StorageClass are deleted).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$LAB_DIR/node/node.sh"

STATE=${1:-$LAB_DIR/_state-node}
STATE=$(cd "$STATE" && pwd)
node_paths "$STATE"
[[ -f $STATE/env-node ]] || die "the full lab is not up for $STATE (run lab/scripts/full-up.sh)"
# shellcheck disable=SC1091
. "$STATE/env"
# shellcheck disable=SC1091
. "$STATE/env-node"

NS=lab-smoke PV=lab-smoke-pv SC=lab-smoke-local
PV_DIR=$LAB_LOCAL_PV_DIR/smoke
passed=0 failed=0
check() { # NAME CMD...
  local name=$1
  shift
  if out=$("$@" 2>&1); then
    passed=$((passed + 1))
    log "ok   $name"
  else
    failed=$((failed + 1))
    log "FAIL $name"
    printf '%s\n' "$out" | tail -n 15 | sed 's/^/       /' >&2
  fi
}
cleanup() {
  kc delete namespace "$NS" --ignore-not-found --wait=true --timeout=90s >/dev/null 2>&1 || true
  kc delete pv "$PV" --ignore-not-found --wait=true --timeout=30s >/dev/null 2>&1 || true
  kc delete storageclass "$SC" --ignore-not-found >/dev/null 2>&1 || true
  rm -rf "$PV_DIR"
}
cleanup
trap cleanup EXIT

mkdir -p "$PV_DIR"
token=smoke-$(date +%s)-$$
kc apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Namespace
metadata: {name: $NS}
---
# Static local volumes, as for local disks: bound when a pod is scheduled.
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: $SC}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: $PV}
spec:
  capacity: {storage: 64Mi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: $SC
  local: {path: $PV_DIR}
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions:
            - {key: kubernetes.io/hostname, operator: In, values: [$LAB_NODE_NAME]}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: $NS}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: $SC
  resources: {requests: {storage: 64Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: smoke, namespace: $NS}
spec:
  terminationGracePeriodSeconds: 2
  containers:
    - name: main
      image: $LAB_BUSYBOX_IMAGE
      command: [sh, -c, 'trap "exit 0" TERM; while :; do sleep 1; done']
      volumeMounts:
        - {name: scratch, mountPath: /scratch}
        - {name: data, mountPath: /data}
  volumes:
    - {name: scratch, emptyDir: {}}
    - {name: data, persistentVolumeClaim: {claimName: data}}
EOF

check "pod Ready (image pulled through the registry mirror)" \
  kc -n "$NS" wait pod/smoke --for=condition=Ready --timeout=120s
check "PVC Bound to the local PV" \
  bash -c "[[ \$($LAB_KUBECTL --kubeconfig $STATE/kubeconfig -n $NS get pvc data -o jsonpath='{.status.phase}/{.spec.volumeName}') == Bound/$PV ]]"
uid=$(kc -n "$NS" get pod smoke -o jsonpath='{.metadata.uid}')
check "emptyDir: write and read back" \
  bash -c "[[ \$($LAB_KUBECTL --kubeconfig $STATE/kubeconfig -n $NS exec smoke -- sh -c 'echo $token > /scratch/f && cat /scratch/f') == $token ]]"
check "local PV: write and read back" \
  bash -c "[[ \$($LAB_KUBECTL --kubeconfig $STATE/kubeconfig -n $NS exec smoke -- sh -c 'echo $token > /data/f && sync && cat /data/f') == $token ]]"
check "local PV: the file is in the host directory" \
  bash -c "[[ \$(cat $PV_DIR/f) == $token ]]"
check "DNS: kubernetes.default.svc.cluster.local resolves to 10.0.0.1 via CoreDNS" \
  bash -c "out=\$($LAB_KUBECTL --kubeconfig $STATE/kubeconfig -n $NS exec smoke -- nslookup kubernetes.default.svc.cluster.local $LAB_CLUSTER_DNS) && echo \"\$out\" && grep -A3 '^Name:' <<<\"\$out\" | grep -q 'Address.*10\\.0\\.0\\.1\$'"
# busybox's nslookup ignores the search list; ping resolves through the
# libc resolver, which applies it (the ping itself goes unanswered: a
# Service IP only forwards the ports it has).
check "DNS: short name kube-dns.kube-system via the pod's search list" \
  bash -c "$LAB_KUBECTL --kubeconfig $STATE/kubeconfig -n $NS exec smoke -- ping -c1 -W1 kube-dns.kube-system 2>&1 | grep -F '($LAB_CLUSTER_DNS)'"
check "Service: the apiserver at 10.0.0.1:443 accepts TCP from the pod" \
  kc -n "$NS" exec smoke -- sh -c 'echo | nc -w 5 10.0.0.1 443'
check "Service: a closed port is refused (the check above can fail)" \
  bash -c "! $LAB_KUBECTL --kubeconfig $STATE/kubeconfig -n $NS exec smoke -- sh -c 'echo | nc -w 5 10.0.0.1 444'"
check "pod mounts present on the host while running" \
  bash -c "findmnt -rn -o TARGET | grep -q '^$LAB_KUBELET_ROOT/pods/$uid/'"
check "pod deleted cleanly" \
  kc -n "$NS" delete pod smoke --wait=true --timeout=60s
check "no mounts left for the pod" \
  bash -c "! findmnt -rn -o TARGET | grep '^$LAB_KUBELET_ROOT/pods/$uid/'"
check "kubelet removed the pod's directory" \
  bash -c "for i in \$(seq 30); do [[ -e $LAB_KUBELET_ROOT/pods/$uid ]] || exit 0; sleep 1; done; exit 1"
check "local PV data survives the pod" \
  bash -c "[[ \$(cat $PV_DIR/f) == $token ]]"

printf '%d passed, %d failed\n' "$passed" "$failed"
((failed == 0))
