# More nodes for the full lab (LAB_NODES=3 lab/scripts/full-up.sh): nodes
# lab-node-2… each run their own containerd, kubelet and kube-proxy on this
# machine, apart from node 1 and from each other where a node's identity
# lives:
# - a network namespace (openebs-lab-N) with the node IP 10.200.0.N on a
#   veth to the host (labvN), its own pod bridge and 10.244.(N-1).0/24;
#   the host routes each node's IP and pod range to its veth, so pods and
#   the apiserver reach every node as they would over a wire;
# - a mount namespace where /var/lib/kubelet, /var/openebs/local,
#   /var/log/pods and /run/containerd are the node's own directories under
#   STATE/nodes/lab-node-N: Velero's node-agent and the hostpath volumes
#   find the node's data at the standard paths, and a stopped node's data
#   stays on "its disk";
# - a cgroup root (/lab-node-N) for its pods.
# Sourced after lab/scripts/lib.sh and lab/node/node.sh, not executed.
# shellcheck shell=bash
# shellcheck disable=SC2034 # variables here are used by the scripts that source this

# The paths bound over the host's inside a node's mount namespace.
NODE_PRIVATE_PATHS=(/var/lib/kubelet /var/openebs/local /var/log/pods /run/containerd)
NS_DIR=/run/openebs-lab/ns
# The processes of an extra node, in stop order.
EXTRA_NODE_PROCS=(kube-proxy kubelet containerd)

# extra_node N: the variables of node N (2…), from STATE (node_paths).
extra_node() {
  local n=$1
  X_NAME=lab-node-$n
  X_IP=10.200.0.$n
  X_POD_CIDR=10.244.$((n - 1)).0/24
  X_POD_GW=10.244.$((n - 1)).1
  X_NETNS=openebs-lab-$n
  X_VETH=labv$n
  X_MNTNS=$NS_DIR/$X_NAME.mnt
  X_STATE=$STATE/nodes/$X_NAME
  X_CTRD=$X_STATE/containerd
  X_CGROUP=/$X_NAME
}

# x_exec CMD…: CMD inside node N's network and mount namespaces.
x_exec() { nsenter --net="/run/netns/$X_NETNS" --mount="$X_MNTNS" -- "$@"; }

# extra_node_network: the namespace, the veth and the routes both ways.
extra_node_network() {
  ip netns list | grep -qw "^$X_NETNS" || ip netns add "$X_NETNS"
  if ! ip link show "$X_VETH" >/dev/null 2>&1; then
    ip link add "$X_VETH" type veth peer name eth0 netns "$X_NETNS"
  fi
  ip link set "$X_VETH" up
  ip route replace "$X_IP/32" dev "$X_VETH" scope link
  ip route replace "$X_POD_CIDR" via "$X_IP" dev "$X_VETH"
  local ns=(ip netns exec "$X_NETNS")
  "${ns[@]}" ip link set lo up
  "${ns[@]}" ip link set eth0 up
  "${ns[@]}" ip addr replace "$X_IP/32" dev eth0
  "${ns[@]}" ip route replace "$NODE_IP/32" dev eth0 scope link
  "${ns[@]}" ip route replace default via "$NODE_IP" dev eth0 onlink
  "${ns[@]}" sysctl -qw net.ipv4.ip_forward=1
  # Per namespace on newer kernels; where it is not, the host's applies.
  "${ns[@]}" sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
}

# extra_node_mounts: the node's mount namespace, kept by a bind mount of
# its nsfs file so that processes can be started in it one by one.
extra_node_mounts() {
  local p
  mkdir -p "$NS_DIR" "$X_STATE"
  for p in "${NODE_PRIVATE_PATHS[@]}"; do mkdir -p "$p" "$X_STATE/root$p"; done
  if ! mountpoint -q "$NS_DIR"; then
    mount --bind "$NS_DIR" "$NS_DIR"
  fi
  # A namespace file may only be bound on a private mount.
  mount --make-private "$NS_DIR"
  if [[ -f $X_MNTNS ]] && nsenter --mount="$X_MNTNS" -- true 2>/dev/null; then
    return
  fi
  touch "$X_MNTNS"
  unshare --mount="$X_MNTNS" --propagation private -- true
  # Inside: shared again among the node's own mounts (kubelet's
  # Bidirectional and HostToContainer propagation need it), never with the
  # host's; node 1's pod mounts under the bound paths are let go first.
  nsenter --mount="$X_MNTNS" -- bash -euc '
    mount --make-rshared /
    for p in "$@"; do
      umount -R -l "$p" 2>/dev/null || true
      mount --bind "'"$X_STATE"'/root$p" "$p"
    done' _ "${NODE_PRIVATE_PATHS[@]}"
}

# extra_node_cgroups: /lab-node-N in each cgroup v1 hierarchy kubelet uses
# (cpuset needs its CPUs and memory nodes before any child can have them).
extra_node_cgroups() {
  [[ $(stat -fc %T /sys/fs/cgroup) != cgroup2fs ]] || {
    mkdir -p "/sys/fs/cgroup$X_CGROUP"
    return
  }
  local c
  for c in /sys/fs/cgroup/*/; do
    [[ -L ${c%/} || ! -w $c ]] && continue
    mkdir -p "$c${X_CGROUP#/}"
  done
  local cs=/sys/fs/cgroup/cpuset
  cat "$cs/cpuset.cpus" >"$cs$X_CGROUP/cpuset.cpus"
  cat "$cs/cpuset.mems" >"$cs$X_CGROUP/cpuset.mems"
}

# extra_node_configs: the node's containerd, CNI, kubelet and kube-proxy
# configs and its kubeconfigs (the apiserver is at node 1's IP from here).
extra_node_configs() {
  local dir=$X_STATE
  mkdir -p "$X_CTRD" "$dir/cni/net.d" "$dir/cni/ipam"
  lab_render "$LAB_DIR/node/containerd.toml" CTRD="$X_CTRD" PAUSE_IMAGE="$PAUSE_IMAGE" CNI_BIN="$CNI_BIN" \
    CNI_CONF_DIR="$dir/cni/net.d" RUNC="$RUNC" >"$X_CTRD/config.toml"
  lab_render "$LAB_DIR/node/cni.conflist" BRIDGE="$BRIDGE" CNI_IPAM_DIR="$dir/cni/ipam" POD_CIDR="$X_POD_CIDR" \
    POD_GW="$X_POD_GW" >"$dir/cni/net.d/10-lab.conflist"
  lab_render "$LAB_DIR/node/kubelet.yaml" CTRD="$X_CTRD" NODE_IP="$X_IP" PKI="$PKI" DNS_IP="$DNS_IP" \
    CGROUP_ROOT="$X_CGROUP" >"$dir/kubelet.yaml"
  lab_render "$LAB_DIR/node/kube-proxy.yaml" NODE_DIR="$dir" NODE_NAME="$X_NAME" PROXY_MODE="$PROXY_MODE" \
    CLUSTER_CIDR="$CLUSTER_CIDR" NODE_IP="$X_IP" >"$dir/kube-proxy.yaml"
  sign_client "kubelet-$X_NAME" "system:node:$X_NAME" system:nodes
  client_kubeconfig "kubelet-$X_NAME" "https://$NODE_IP:$API_PORT" "$dir/kubelet.kubeconfig"
  client_kubeconfig kube-proxy "https://$NODE_IP:$API_PORT" "$dir/kube-proxy.kubeconfig"
  # The same mirrors as node 1, served by a second registry process on
  # node 1's IP (the first listens on the host's loopback, which is the
  # namespace's own here) from the same storage.
  node_registry_hosts "$X_CTRD" "$NODES_REGISTRY"
}

# extra_node_start: containerd, kubelet and kube-proxy in the namespaces.
extra_node_start() {
  local ns=(nsenter --net="/run/netns/$X_NETNS" --mount="$X_MNTNS" --)
  PATH=$LAB_BIN:$PATH lab_daemon containerd "$X_STATE" "${ns[@]}" "$LAB_BIN/containerd" --config "$X_CTRD/config.toml"
  lab_wait_ready containerd "$X_STATE" "$TIMEOUT" "its socket" \
    "$LAB_BIN/ctr" --address "$X_CTRD/containerd.sock" version || return 1
  lab_daemon kubelet "$X_STATE" "${ns[@]}" "$LAB_BIN/kubelet" --config "$X_STATE/kubelet.yaml" \
    --kubeconfig "$X_STATE/kubelet.kubeconfig" --hostname-override "$X_NAME" --node-ip "$X_IP" \
    --root-dir "$KUBELET_ROOT" --v=1
  lab_daemon kube-proxy "$X_STATE" "${ns[@]}" "$LAB_BIN/kube-proxy" --config "$X_STATE/kube-proxy.yaml"
  lab_wait_ready kubelet "$X_STATE" "$TIMEOUT" "/healthz" \
    x_exec curl -sf --max-time 2 http://127.0.0.1:10248/healthz || return 1
}

# extra_node_pids: every process of the node: those in its mount
# namespace (daemons, shims) and those in its pods' cgroups (containers,
# which runc gives mount namespaces of their own).
extra_node_pids() {
  local want p c
  if want=$(stat -Lc %i "$X_MNTNS" 2>/dev/null); then
    for p in /proc/[0-9]*; do
      [[ $(stat -Lc %i "$p/ns/mnt" 2>/dev/null) == "$want" ]] && printf '%s\n' "${p#/proc/}"
    done
  fi
  for c in "/sys/fs/cgroup/memory$X_CGROUP" "/sys/fs/cgroup$X_CGROUP"; do
    [[ -f $c/cgroup.procs ]] && find "$c" -name cgroup.procs -exec cat {} + 2>/dev/null
  done
  return 0
}

# extra_node_kill: the node dies at once (SIGKILL to everything in it), as
# a machine that loses power; its directories stay, as its disk would.
extra_node_kill() {
  local pids
  mapfile -t pids < <(extra_node_pids)
  ((${#pids[@]} == 0)) || kill -KILL "${pids[@]}" 2>/dev/null || true
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -z $(extra_node_pids) ]] && break
    sleep 0.1
  done
}

# extra_node_stop: the daemons first (nothing restarts pods), then the rest.
extra_node_stop() {
  local p
  for p in "${EXTRA_NODE_PROCS[@]}"; do lab_stop "$p" "$X_STATE"; done
  extra_node_kill
}

# extra_node_remove: after extra_node_stop, the namespaces, veth, routes
# and cgroups go; the node's directories stay unless purged.
extra_node_remove() {
  ip route del "$X_POD_CIDR" 2>/dev/null || true
  ip route del "$X_IP/32" 2>/dev/null || true
  ip link del "$X_VETH" 2>/dev/null || true
  ip netns del "$X_NETNS" 2>/dev/null || true
  umount "$X_MNTNS" 2>/dev/null || true
  rm -f "$X_MNTNS"
  local c
  for c in /sys/fs/cgroup/*/"${X_CGROUP#/}" "/sys/fs/cgroup$X_CGROUP"; do
    [[ -d $c ]] && find "$c" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  return 0
}

# extra_node_numbers: the extra nodes STATE has (from their directories).
extra_node_numbers() {
  local d
  for d in "$STATE"/nodes/lab-node-*; do
    [[ -d $d ]] && printf '%s\n' "${d##*-}"
  done
  return 0
}

extra_node_ready() { node_ready_quiet "$X_NAME"; }

extra_node_running() {
  local p
  for p in "${EXTRA_NODE_PROCS[@]}"; do lab_running "$p" "$X_STATE" || return 1; done
}

# extra_node_boot: the node's processes started (what was left of them
# stopped first) and the node Ready; nothing done when it is up already.
extra_node_boot() {
  if extra_node_running && extra_node_ready; then
    log "  $X_NAME already Ready"
    return 0
  fi
  extra_node_stop
  extra_node_start || return 1
  lab_wait_ready kubelet "$X_STATE" "$TIMEOUT" "node $X_NAME to be Ready" extra_node_ready
}

# extra_node_up: node N (extra_node) joined and Ready; idempotent.
extra_node_up() {
  extra_node_network
  extra_node_mounts
  extra_node_cgroups
  extra_node_configs
  extra_node_boot || return 1
  kc label node "$X_NAME" node-role.kubernetes.io/worker= --overwrite >/dev/null
  log "  $X_NAME Ready: IP $X_IP, pods $X_POD_CIDR, namespaces $X_NETNS and $X_MNTNS"
}

# all_nodes_stop: the extra nodes, then node 1 (node_stop_all).
all_nodes_stop() {
  local n
  for n in $(extra_node_numbers); do
    extra_node "$n"
    extra_node_stop
  done
  node_stop_all
}
