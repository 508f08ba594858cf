#!/usr/bin/env bash
# The full lab: the control plane of up.sh plus one real node that runs pods.
#
#   lab/scripts/full-up.sh [STATE_DIR]          (default: lab/_state-node)
#
# On top of up.sh's etcd + kube-apiserver (started with LAB_NODE_IP, see
# up.sh) it runs kube-controller-manager, kube-scheduler, containerd (+ runc
# shim, runc, Debian's CNI plugins), kubelet and kube-proxy as host
# processes, the local image registry (registry.sh), and CoreDNS in-cluster
# as the kube-dns Service. Node lab-node-1 has IP $NODE_IP (on lo), pods get
# 10.244.0.0/24 on bridge labbr0, Services 10.0.0.0/24, cluster DNS 10.0.0.10.
#
# Needs root (mounts, netns, iptables/nftables, cgroups). Idempotent: when
# everything is up and the node is Ready it only prints the env files.
# Progress goes to stderr, one line per phase; on failure the failing
# component's log tail. Prints STATE_DIR/env then STATE_DIR/env-node on
# stdout. lab/scripts/full-down.sh stops it all.
#
# Host changes (all undone by full-down.sh except the first two, which are
# harmless and which a later start needs anyway): `/` made rshared,
# net.ipv4.ip_forward=1, the node IP on lo, bridge labbr0, nft table
# inet openebs_lab, kube-proxy's nft table, /var/lib/kubelet.
#
# LAB_NODES=N (default 1) adds nodes lab-node-2…N, each in network and mount
# namespaces of its own (lab/node/nodes.sh), so that volumes land on
# different nodes and a node can die (lab/scripts/node.sh stop|kill|start).
#
# Env: LAB_NODE_IP (default 10.200.0.1), LAB_START_TIMEOUT (s, default 180),
# LAB_SKIP_BUILD=1, LAB_KEEP_ON_FAILURE=1, LAB_PROXY_MODE (nftables|iptables,
# default nftables).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$LAB_DIR/node/node.sh"
. "$LAB_DIR/node/nodes.sh"

STATE=${1:-$LAB_DIR/_state-node}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
node_paths "$STATE"
TIMEOUT=${LAB_START_TIMEOUT:-180}
NODES=${LAB_NODES:-1}
[[ $NODES =~ ^[1-9]$ ]] || die "LAB_NODES=$NODES: 1 to 9 nodes"
mkdir -p "$STATE/run" "$LOGS" "$NODE_DIR"
touch "$STATE/.openebs-lab-state"
[[ $(id -u) == 0 ]] || die "the full lab needs root (mounts, network namespaces, cgroups)"

exec 7>"$STATE/run/full.lock"
flock -w 300 7 || die "another full-up.sh/full-down.sh holds $STATE/run/full.lock"

# One full lab per host: the node IP, bridge, nft tables and kubelet root are
# the host's. /run/openebs-lab-node names the state that has them.
owner_file=/run/openebs-lab-node
if [[ -f $owner_file ]]; then
  owner=$(<"$owner_file")
  if [[ $owner != "$STATE" ]] && { lab_running kubelet "$owner" || lab_running containerd "$owner"; }; then
    die "the full lab of $owner is up on this host: stop it first (lab/scripts/full-down.sh $owner)"
  fi
fi
printf '%s\n' "$STATE" >"$owner_file"

# Phase 0: already up? The env files exist only after a complete start.
extra_nodes_up_quiet() {
  local n
  for ((n = 2; n <= NODES; n++)); do
    extra_node "$n"
    extra_node_running && extra_node_ready || return 1
  done
}
if [[ -f $STATE/env-node && -f $STATE/env ]] && node_all_running && node_ready_quiet && extra_nodes_up_quiet; then
  log "already running (state $STATE)"
  cat "$STATE/env" "$STATE/env-node"
  exit 0
fi
rm -f "$STATE/env-node"
# Half-up: stop the nodes' processes (and their containers) and start over;
# the control plane is up.sh's to judge.
all_nodes_stop

# Phase 1: packages and binaries (no-ops when present and up to date).
# The CNI plugins are Debian's (bookworm: 1.1.1, enough for a bridge
# network); runc is built (Debian's 1.1.5 fails with containerd 2.4 here),
# with libseccomp. nft for kube-proxy's nftables mode, iptables for portmap.
"$REPO_ROOT/scripts/prereqs.sh" iptables nftables conntrack containernetworking-plugins busybox-static \
  libseccomp-dev pkg-config >&2
if [[ ${LAB_SKIP_BUILD:-} != 1 ]]; then
  "$LAB_DIR/scripts/build.sh" etcd kube-apiserver crds kube-controller-manager kube-scheduler kubelet kube-proxy kubectl \
    containerd runc coredns 2>&1 | sed 's/^/  /' >&2
  "$LAB_DIR/images/build.sh" registry crane >/dev/null 2> >(sed 's/^/  /' >&2)
fi
for b in kube-controller-manager kube-scheduler kubelet kube-proxy kubectl containerd containerd-shim-runc-v2 ctr runc coredns crane; do
  [[ -x $LAB_BIN/$b ]] || die "$LAB_BIN/$b missing: run lab/scripts/build.sh"
done
log "phase build: done"

started=()
on_exit() {
  local rc=$?
  if ((rc != 0)) && ((${#started[@]})) && [[ ${LAB_KEEP_ON_FAILURE:-} != 1 ]]; then
    log "failed; stopping the node (${started[*]}); the control plane stays up (LAB_KEEP_ON_FAILURE=1 keeps all)"
    all_nodes_stop
  fi
}
trap on_exit EXIT

# Phase 2: the host.
host_prepare
log "phase host: / rshared, ip_forward on, node IP $NODE_IP on lo, bridge $BRIDGE, nft table inet openebs_lab"

# Phase 3: the control plane (etcd, kube-apiserver), serving on the node IP.
# 7>&-: up.sh's processes must not inherit (and so hold) our lock.
LAB_NODE_IP=$NODE_IP LAB_START_TIMEOUT=$TIMEOUT "$LAB_DIR/scripts/up.sh" "$STATE" >/dev/null 7>&-
# shellcheck disable=SC1091
. "$STATE/env"
API_PORT=$LAB_API_PORT
host_firewall
log "phase control-plane: $LAB_API_URL (advertised as https://$NODE_IP:$API_PORT)"

# Phase 4: the image registry, and the images the node needs pushed to it.
"$LAB_DIR/scripts/registry.sh" up "$STATE" >/dev/null 7>&-
# shellcheck disable=SC1091
. "$STATE/env-registry"
node_images
log "phase images: registry $LAB_REGISTRY has $PAUSE_IMAGE, $BUSYBOX_IMAGE, $COREDNS_IMAGE"

# Phase 5: credentials and config files of the node components.
node_pki
node_configs
node_registry_hosts
log "phase config: kubeconfigs, containerd (mirrors for ${MIRRORED[*]}), CNI, kubelet, kube-proxy in $NODE_DIR"

# Phase 6: node processes. controller-manager and scheduler first, so the
# node's pods are scheduled and the node lifecycle runs as soon as it joins.
node_start kube-controller-manager "$LAB_BIN/kube-controller-manager" "${KCM_ARGS[@]}"
node_start kube-scheduler "$LAB_BIN/kube-scheduler" "${SCHED_ARGS[@]}"
# containerd finds its shim on PATH.
PATH=$LAB_BIN:$PATH node_start containerd "$LAB_BIN/containerd" --config "$CTRD/config.toml"
node_wait containerd "its socket" "$LAB_BIN/ctr" --address "$CTRD/containerd.sock" version
node_wait kube-controller-manager "/healthz" curl -sfk --max-time 2 https://127.0.0.1:10257/healthz
node_wait kube-scheduler "/healthz" curl -sfk --max-time 2 https://127.0.0.1:10259/healthz
log "phase runtime: containerd $("$LAB_BIN/ctr" --address "$CTRD/containerd.sock" version 2>/dev/null | awk '/Version:/ { print $2; exit }'), controller-manager and scheduler healthy"

node_start kubelet "$LAB_BIN/kubelet" "${KUBELET_ARGS[@]}"
node_wait kubelet "/healthz" curl -sf --max-time 2 http://127.0.0.1:10248/healthz
node_start kube-proxy "$LAB_BIN/kube-proxy" --config "$NODE_DIR/kube-proxy.yaml"
node_wait kube-proxy "/healthz" curl -sf --max-time 2 http://127.0.0.1:10256/healthz
node_wait kubelet "node $NODE_NAME to be Ready" node_ready_quiet
# kubelets may not label themselves node-role.kubernetes.io/* (NodeRestriction).
kc label node "$NODE_NAME" node-role.kubernetes.io/worker= --overwrite >/dev/null
log "phase node: $NODE_NAME Ready (kubelet, kube-proxy in $PROXY_MODE mode)"

# Phase 7: cluster DNS.
node_coredns
node_wait kubelet "CoreDNS to be available" kc -n kube-system rollout status deployment/coredns --timeout=5s
log "phase dns: CoreDNS ready behind kube-dns 10.0.0.10"

# Phase 8: the other nodes, with a registry on the node IP for them.
if ((NODES > 1)); then
  LAB_REGISTRY_HOST=$NODE_IP "$LAB_DIR/scripts/registry.sh" up "$STATE/nodes" >/dev/null 7>&-
  NODES_REGISTRY=$(. "$STATE/nodes/env-registry" && printf '%s' "$LAB_REGISTRY")
  started+=(nodes)
  for ((n = 2; n <= NODES; n++)); do
    extra_node "$n"
    extra_node_up || exit 1
  done
  log "phase nodes: $NODES nodes Ready (registry for the others at $NODES_REGISTRY)"
fi

node_write_env
started=()
log "up: node $NODE_NAME (state $STATE; source $STATE/env and $STATE/env-node)"
cat "$STATE/env" "$STATE/env-node"
