#!/usr/bin/env bash
# Builds the lab's binaries from their Go modules and gathers the CRDs.
#
#   lab/scripts/build.sh [COMPONENT...]
#
# COMPONENT: etcd, etcdctl (the watch-break bench compacts etcd with it),
# kube-apiserver, kube-controller-manager, kube-scheduler, kubelet,
# kube-proxy, kubectl, crds, containerd (+ containerd-shim-runc-v2,
# ctr), runc, coredns, kube-state-metrics and prometheus (the full lab's
# monitoring).
# Default: etcd kube-apiserver crds.
#
# Output goes to $OPENEBS_LAB_CACHE (default ~/.cache/openebs-portal/lab):
#   bin/<name>                  binaries
#   crds/snapshot/*.yaml        snapshot.storage.k8s.io CRDs (from a Go module)
#   crds/velero/*.yaml          velero.io CRDs (from the pinned chart, lab/charts.tsv)
# Each output has a stamp of its inputs; an output whose stamp matches is not
# rebuilt, so running this again is cheap (well under a second).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

components=("$@")
((${#components[@]})) || components=(etcd kube-apiserver crds)

mkdir -p "$LAB_BIN" "$LAB_CRDS"
# Parallel up.sh runs (one per jest worker or state dir) all call this; one
# builds, the others wait and then find the outputs up to date.
exec 8>"$LAB_CACHE/build.lock"
flock -w 1800 8 || die "another build.sh held $LAB_CACHE/build.lock for 30 minutes"

# Version stamping as upstream's hack/lib/version.sh does, so /version reports
# the real release instead of v0.0.0-master.
kube_ldflags() {
  local v major minor
  v=$(awk '$1 == "k8s.io/kubernetes" { print $2 }' "$LAB_DIR/kube/go.mod")
  [[ $v =~ ^v([0-9]+)\.([0-9]+)\. ]] || die "cannot read k8s.io/kubernetes version from lab/kube/go.mod"
  major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
  local p x=""
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    x+=" -X $p.gitVersion=$v -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  printf '%s' "${x# }"
}

# mod_version MODULE_DIR MODULE: the version MODULE_DIR/go.mod requires.
mod_version() {
  awk -v m="$2" '$1 == m { print $2 } $1 == "require" && $2 == m { print $3 }' "$1/go.mod" | head -n1
}

# module_crds NAME MODULE GLOB COUNT: copies the CRD manifests matching GLOB
# (relative to the module's root) out of MODULE's zip into $LAB_CRDS/NAME.
# The version comes from lab/crds/go.mod and is checked against go.sum.
module_crds() {
  local name=$1 mod=$2 glob=$3 count=$4 out=$LAB_CRDS/$1 stamp dir t0
  stamp=$(stamp_of "$name-crds" "$LAB_DIR/crds/go.mod" "$LAB_DIR/crds/go.sum")
  if up_to_date "$out" "$stamp"; then
    log "$name CRDs: up to date ($out)"
    return
  fi
  t0=$(now_ms)
  dir=$(cd "$LAB_DIR/crds" && go mod download -json "$mod" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  local f n=0
  for f in "$dir"/$glob; do
    [[ -e $f ]] || break
    install -m 0644 "$f" "$out.tmp/" # module cache files are read-only
    n=$((n + 1))
  done
  ((n == count)) || die "expected $count $name CRDs at $dir/$glob, found $n"
  rm -rf "$out" && mv "$out.tmp" "$out"
  printf '%s\n' "$stamp" >"$out.stamp"
  log "$name CRDs: $n files from ${dir#"$(go env GOMODCACHE)"/} in $(fmt_secs $(($(now_ms) - t0)))s"
}

build_velero_crds() {
  local out=$LAB_CRDS/velero chart stamp t0
  chart=$(charts_dir)/velero-$VELERO_CHART_VERSION.tgz
  stamp=$(stamp_of velero-crds "$chart")
  if up_to_date "$out" "$stamp"; then
    log "velero CRDs: up to date ($out)"
    return
  fi
  t0=$(now_ms)
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  tar -xzf "$chart" -C "$out.tmp" --strip-components=2 velero/crds
  local n
  n=$(find "$out.tmp" -name '*.yaml' | wc -l)
  ((n > 0)) || die "no CRDs under velero/crds in $chart"
  rm -rf "$out" && mv "$out.tmp" "$out"
  printf '%s\n' "$stamp" >"$out.stamp"
  log "velero CRDs: $n files from $(basename "$chart") in $(fmt_secs $(($(now_ms) - t0)))s"
}

for c in "${components[@]}"; do
  case $c in
  etcd) go_build etcd "$LAB_DIR/etcd" . ;;
  etcdctl) go_build etcdctl "$LAB_DIR/etcd" go.etcd.io/etcd/etcdctl/v3 ;;
  kube-apiserver | kube-controller-manager | kube-scheduler | kubelet | kube-proxy | kubectl)
    go_build "$c" "$LAB_DIR/kube" "k8s.io/kubernetes/cmd/$c" "$(kube_ldflags)"
    ;;
  containerd)
    # The node's container runtime (lab/node/containerd): containerd, its runc
    # shim and ctr (the teardown uses it). no_btrfs: the btrfs snapshotter
    # needs libbtrfs headers, and the lab uses overlayfs.
    for b in containerd containerd-shim-runc-v2 ctr; do
      go_build "$b" "$LAB_DIR/node/containerd" "github.com/containerd/containerd/v2/cmd/$b" \
        "-X github.com/containerd/containerd/v2/version.Version=$(mod_version "$LAB_DIR/node/containerd" github.com/containerd/containerd/v2)" no_btrfs
    done
    ;;
  runc)
    # OCI runtime for containerd (lab/node/runc; why not Debian's: its go.mod).
    # seccomp: RuntimeDefault profiles need it (cgo, libseccomp-dev).
    go_build runc "$LAB_DIR/node/runc" github.com/opencontainers/runc \
      "-X main.version=$(mod_version "$LAB_DIR/node/runc" github.com/opencontainers/runc)" seccomp
    ;;
  coredns)
    # Cluster DNS (lab/node/coredns: upstream's main with fewer plugins).
    # CGO_ENABLED=0: a static binary, as upstream's image has no libc.
    CGO_ENABLED=0 go_build coredns "$LAB_DIR/node/coredns" . \
      "-X github.com/coredns/coredns/coremain.GitCommit=$(mod_version "$LAB_DIR/node/coredns" github.com/coredns/coredns)"
    ;;
  kube-state-metrics)
    # The full lab's monitoring (lab/monitoring/kube-state-metrics), stamped
    # with its release as upstream's Makefile does.
    go_build kube-state-metrics "$LAB_DIR/monitoring/kube-state-metrics" k8s.io/kube-state-metrics/v2 \
      "-X github.com/prometheus/common/version.Version=$(mod_version "$LAB_DIR/monitoring/kube-state-metrics" k8s.io/kube-state-metrics/v2)"
    ;;
  prometheus)
    # The full lab's Prometheus (lab/monitoring/prometheus) with Kubernetes
    # service discovery only, by upstream's own build tags; module v0.3xx.y
    # is release 3.xx.y.
    v=$(mod_version "$LAB_DIR/monitoring/prometheus" github.com/prometheus/prometheus)
    [[ $v =~ ^v0\.3([0-9]+)\.([0-9]+)$ ]] || die "unexpected github.com/prometheus/prometheus version $v"
    go_build prometheus "$LAB_DIR/monitoring/prometheus" github.com/prometheus/prometheus/cmd/prometheus \
      "-X github.com/prometheus/common/version.Version=3.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}" \
      remove_all_sd,enable_kubernetes_sd
    ;;
  crds)
    module_crds snapshot github.com/kubernetes-csi/external-snapshotter/client/v8 \
      'config/crd/snapshot.storage.k8s.io_*.yaml' 3
    # Installed by platform-up.sh only: the platform's monitoring needs them.
    module_crds monitoring github.com/prometheus-operator/prometheus-operator \
      'example/prometheus-operator-crd/monitoring.coreos.com_*.yaml' 10
    build_velero_crds
    ;;
  *) die "unknown component: $c" ;;
  esac
done
log "done: binaries in $LAB_BIN, CRDs in $LAB_CRDS"
