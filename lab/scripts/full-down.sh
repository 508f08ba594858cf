#!/usr/bin/env bash
# Stops the full lab started by full-up.sh: the node's processes by pid, the
# containers (so their shims exit), every mount under STATE and
# /var/lib/kubelet, the network it made (bridge, node IP, nft tables,
# kube-proxy's and portmap's rules), the registry, the S3 server and the
# Gitea of platform-up.sh, the Flux controllers and the control plane.
#
#   lab/scripts/full-down.sh [--purge] [STATE_DIR]  (default: lab/_state-node)
#
# Without --purge the state (PKI, etcd, containerd's images) is kept, so the
# next full-up.sh is a warm start; the pods in etcd are started again then.
# --purge also removes STATE_DIR, /var/lib/kubelet and the hostpath volumes
# under /var/openebs/local.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$LAB_DIR/node/node.sh"
. "$LAB_DIR/node/nodes.sh"

purge=0
args=()
for a in "$@"; do
  case $a in
  --purge) purge=1 ;;
  -h | --help)
    sed -n '2,11p' "${BASH_SOURCE[0]}"
    exit 0
    ;;
  -*) die "unknown option: $a" ;;
  *) args+=("$a") ;;
  esac
done
((${#args[@]} <= 1)) || die "usage: full-down.sh [--purge] [STATE_DIR]"
STATE=${args[0]:-$LAB_DIR/_state-node}
if [[ ! -d $STATE ]]; then
  log "nothing to do: $STATE does not exist"
  exit 0
fi
STATE=$(cd "$STATE" && pwd)
[[ -f $STATE/.openebs-lab-state ]] || die "$STATE is not a lab state dir (no .openebs-lab-state)"
node_paths "$STATE"
mkdir -p "$STATE/run"
exec 7>"$STATE/run/full.lock"
flock -w 300 7 || die "another full-up.sh/full-down.sh holds $STATE/run/full.lock"

rm -f "$STATE/env-node"
# Its Prometheus watches the apiserver and scrapes the pods: first to go.
"$LAB_DIR/scripts/monitoring.sh" down "$STATE" 7>&-
all_nodes_stop
for n in $(extra_node_numbers); do
  extra_node "$n"
  extra_node_remove
done
[[ ! -d $STATE/nodes ]] || "$LAB_DIR/scripts/registry.sh" down "$STATE/nodes" 7>&-
host_restore
log "node down: processes stopped, mounts and network removed"
[[ $(cat /run/openebs-lab-node 2>/dev/null) != "$STATE" ]] || rm -f /run/openebs-lab-node
"$LAB_DIR/scripts/registry.sh" down "$STATE" 7>&-
# The platform's S3 (platform-up.sh) runs on the node IP, which is gone now;
# its cluster repository's Gitea goes with the lab (its data stays).
"$LAB_DIR/scripts/s3.sh" down "$STATE" 7>&-
[[ ! -d $STATE/gitea ]] || "$LAB_DIR/scripts/gitea.sh" down "$STATE/gitea" 7>&-
if ((purge)); then
  exec 7>&-
  "$LAB_DIR/scripts/down.sh" --purge "$STATE"
  # kubelet's root only holds what its pods left (nothing is mounted now);
  # the volumes' directories belonged to PVs the purged etcd held. Kept,
  # each CI run on a reused machine would leave gigabytes of proof data
  # until the kubelet evicts pods for disk pressure (seen here).
  rm -rf "$KUBELET_ROOT" "$HOSTPATH_VOLUMES"
else
  "$LAB_DIR/scripts/down.sh" "$STATE" 7>&-
fi
