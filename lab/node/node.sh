# The lab node: host set-up, configs and process handling shared by
# lab/scripts/full-up.sh, full-down.sh and full-smoke.sh. Sourced after
# lab/scripts/lib.sh, not executed.
# shellcheck shell=bash
# shellcheck disable=SC2034 # variables here are used by the scripts that source this

NODE_NAME=lab-node-1
# The node's address: on lo (this kernel has no dummy interfaces built in),
# so it is there before any pod and independent of eth0. Pods reach it
# through their default route via the bridge.
NODE_IP=${LAB_NODE_IP:-10.200.0.1}
BRIDGE=labbr0
POD_CIDR=10.244.0.0/24
POD_GW=10.244.0.1
# Every node's pod range (node N has 10.244.(N-1).0/24, lab/node/nodes.sh).
CLUSTER_CIDR=10.244.0.0/16
SERVICE_CIDR=10.0.0.0/24 # up.sh's --service-cluster-ip-range
DNS_IP=10.0.0.10
COREDNS_VERSION=v1.15.0 # lab/node/coredns/go.mod
# The standard path, not one under STATE: the Velero node-agent chart
# (nodeAgent.podVolumePath) and CSI drivers such as lvm-localpv (plugin
# registration) default to /var/lib/kubelet, and there is one kubelet per
# host anyway (port 10250, the host's nftables/iptables).
KUBELET_ROOT=/var/lib/kubelet
# Where the hostpath class keeps volumes on the node (its BasePath, the
# OpenEBS default; lab/platform/local-path-provisioner.yaml). A purged lab's
# etcd forgets their PVs, so --purge removes them too.
HOSTPATH_VOLUMES=/var/openebs/local
PROXY_MODE=${LAB_PROXY_MODE:-nftables}
CNI_BIN=/usr/lib/cni # Debian's containernetworking-plugins
RUNC=$LAB_BIN/runc # built (lab/node/runc): Debian's 1.1.5 fails here
# Stop order: kube-proxy and kubelet first (nothing restarts pods), then
# the runtime, then the controllers.
NODE_PROCS=(kube-proxy kubelet containerd kube-scheduler kube-controller-manager)

# node_paths STATE: the paths of the lab in STATE.
node_paths() {
  STATE=$1
  PKI=$STATE/pki
  LOGS=$STATE/logs
  NODE_DIR=$STATE/node
  CTRD=$STATE/containerd
  CNI_CONF_DIR=$NODE_DIR/cni/net.d
  CNI_IPAM_DIR=$NODE_DIR/cni/ipam
  LOCAL_PV_DIR=$NODE_DIR/local-pv
}

kc() { "$LAB_BIN/kubectl" --kubeconfig "$STATE/kubeconfig" "$@"; }
kctr() { "$LAB_BIN/ctr" --address "$CTRD/containerd.sock" "$@"; }

node_all_running() {
  local p
  for p in etcd kube-apiserver "${NODE_PROCS[@]}"; do
    lab_running "$p" "$STATE" || return 1
  done
}

# node_ready_quiet [NAME]: node NAME (default node 1) is Ready.
node_ready_quiet() {
  [[ -f $STATE/kubeconfig ]] || return 1
  [[ $(kc get node "${1:-$NODE_NAME}" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]]
}

# node_start NAME BINARY ARGS...: a detached process tracked by pid (lib.sh).
node_start() {
  local name=$1
  shift
  lab_daemon "$name" "$STATE" "$@"
  started+=("$name")
}

# node_wait NAME WHAT CMD...: CMD succeeds, or the node stops here (lib.sh).
node_wait() { lab_wait_ready "$1" "$STATE" "$TIMEOUT" "$2" "${@:3}" || exit 1; }

# host_prepare: what the node needs from the host kernel and mounts.
host_prepare() {
  # HostToContainer/Bidirectional mount propagation (Velero's node-agent
  # mounts /var/lib/kubelet/pods) needs shared mounts; this VM boots with
  # `/` private and PID 1 is not systemd, which would make it shared.
  mount --make-rshared /
  # Pods' traffic to Services is DNATed and routed back onto the bridge;
  # bridged replies must pass netfilter to be un-DNATed.
  sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
  ip -4 addr show dev lo | grep -q " $NODE_IP/32 " || ip addr add "$NODE_IP/32" dev lo
  # The CNI bridge plugin makes the bridge too, but only with the first pod;
  # making it here lets the firewall below name it from the start.
  ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
  ip link set "$BRIDGE" up
  # cgroup v1 (this VM) or v2: kubelet 1.37 still runs on v1 with
  # failCgroupV1: false, containerd 2.4 too (deprecated, supported until
  # 2029). Moving the host to v2 would need every process out of the v1
  # hierarchies first, which this shared VM cannot promise.
  if [[ $(stat -fc %T /sys/fs/cgroup) != cgroup2fs ]]; then
    local c
    for c in cpu cpuacct cpuset memory pids; do
      [[ -d /sys/fs/cgroup/$c ]] || die "cgroup v1 controller $c is not mounted at /sys/fs/cgroup/$c"
    done
  fi
  mkdir -p "$KUBELET_ROOT" "$LOCAL_PV_DIR"
}

# host_firewall: an nft table of the lab's own (API_PORT must be known).
host_firewall() {
  # - The apiserver listens on all addresses in the full lab (it must serve
  #   on the node IP too); only lo, the pod bridge and the other nodes'
  #   veths (labv*, lab/node/nodes.sh) may reach it, and the node IP
  #   (kubelet, registry, S3) likewise.
  # - Pods never reach past this machine: there is no masquerading, and
  #   forwarded traffic from the pod ranges may only go to the bridge or to
  #   another node.
  nft -f - <<EOF
table inet openebs_lab
delete table inet openebs_lab
table inet openebs_lab {
  chain input {
    type filter hook input priority filter; policy accept;
    iifname != "lo" iifname != "$BRIDGE" iifname != "labv*" tcp dport $API_PORT drop
    iifname != "lo" iifname != "$BRIDGE" iifname != "labv*" ip daddr $NODE_IP drop
  }
  chain forward {
    type filter hook forward priority filter; policy accept;
    ip saddr $CLUSTER_CIDR oifname != "$BRIDGE" oifname != "labv*" drop
  }
}
EOF
}

# sign_client NAME CN [O]: a client certificate from the lab CA (up.sh made
# the CA in $PKI), kept across restarts.
sign_client() {
  local name=$1 subj="/CN=$2${3:+/O=$3}"
  [[ -f $PKI/$name.crt ]] && return
  (
    umask 077
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI/$name.key" 2>/dev/null
    openssl req -new -key "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=clientAuth" >"$PKI/$name.ext"
    openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
      -days 3650 -sha256 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
    rm -f "$PKI/$name.csr" "$PKI/$name.ext"
  )
}

# client_kubeconfig NAME [SERVER FILE]: FILE (default
# $NODE_DIR/NAME.kubeconfig) with $PKI/NAME.{crt,key}, for SERVER (default
# the apiserver on this host's loopback).
client_kubeconfig() {
  local file=${3:-$NODE_DIR/$1.kubeconfig}
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: openebs-lab
  cluster:
    server: ${2:-https://127.0.0.1:$API_PORT}
    certificate-authority: $PKI/ca.crt
users:
- name: $1
  user:
    client-certificate: $PKI/$1.crt
    client-key: $PKI/$1.key
contexts:
- name: openebs-lab
  context: {cluster: openebs-lab, user: $1}
current-context: openebs-lab
EOF
  chmod 600 "$file"
}

# node_pki: the identities the default RBAC knows (system:kube-controller-
# manager, system:kube-scheduler, system:kube-proxy, system:node:NAME in
# system:nodes), and kubeconfigs for them (rewritten each start: the port
# may change).
node_pki() {
  sign_client kube-controller-manager system:kube-controller-manager
  sign_client kube-scheduler system:kube-scheduler
  sign_client kube-proxy system:kube-proxy
  sign_client kubelet "system:node:$NODE_NAME" system:nodes
  local n
  for n in kube-controller-manager kube-scheduler kube-proxy kubelet; do client_kubeconfig "$n"; done
}

node_configs() {
  mkdir -p "$CTRD" "$CNI_CONF_DIR" "$CNI_IPAM_DIR"
  # containerd: root, state, sockets and config under STATE (no system
  # service, nothing under /etc or /var/lib/containerd). The netns bind
  # mounts go under its state dir too, not /var/run/netns. NRI off: it
  # would listen on /var/run/nri.
  lab_render "$LAB_DIR/node/containerd.toml" CTRD="$CTRD" PAUSE_IMAGE="$PAUSE_IMAGE" CNI_BIN="$CNI_BIN" CNI_CONF_DIR="$CNI_CONF_DIR" RUNC="$RUNC" >"$CTRD/config.toml"
  # CNI: one bridge, host-local IPAM (its leases under STATE), portmap for
  # hostPort. containerd adds the loopback plugin itself. ipMasq off: pods
  # have no business outside this machine (see host_firewall).
  lab_render "$LAB_DIR/node/cni.conflist" BRIDGE="$BRIDGE" CNI_IPAM_DIR="$CNI_IPAM_DIR" POD_CIDR="$POD_CIDR" POD_GW="$POD_GW" >"$CNI_CONF_DIR/10-lab.conflist"
  lab_render "$LAB_DIR/node/kubelet.yaml" CTRD="$CTRD" NODE_IP="$NODE_IP" PKI="$PKI" DNS_IP="$DNS_IP" CGROUP_ROOT=/ >"$NODE_DIR/kubelet.yaml"
  KUBELET_ARGS=(--config "$NODE_DIR/kubelet.yaml" --kubeconfig "$NODE_DIR/kubelet.kubeconfig"
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --root-dir "$KUBELET_ROOT" --v=1)
  lab_render "$LAB_DIR/node/kube-proxy.yaml" NODE_DIR="$NODE_DIR" NODE_NAME="$NODE_NAME" PROXY_MODE="$PROXY_MODE" CLUSTER_CIDR="$CLUSTER_CIDR" NODE_IP="$NODE_IP" >"$NODE_DIR/kube-proxy.yaml"
  local kcm=$NODE_DIR/kube-controller-manager.kubeconfig sched=$NODE_DIR/kube-scheduler.kubeconfig
  # One of each, so no leader election. The signing CA lets CSRs (kubelet
  # serving certificates, tests) be signed; one SA credential per controller
  # as kubeadm does.
  KCM_ARGS=(--kubeconfig "$kcm" --authentication-kubeconfig "$kcm" --authorization-kubeconfig "$kcm"
    --bind-address 127.0.0.1 --secure-port 10257 --leader-elect=false --cluster-name openebs-lab
    --use-service-account-credentials --service-account-private-key-file "$PKI/sa.key"
    --root-ca-file "$PKI/ca.crt" --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key"
    --controllers '*,bootstrapsigner,tokencleaner' --profiling=false --v=1)
  SCHED_ARGS=(--kubeconfig "$sched" --authentication-kubeconfig "$sched" --authorization-kubeconfig "$sched"
    --bind-address 127.0.0.1 --secure-port 10259 --leader-elect=false --profiling=false --v=1)
}

# node_registry_hosts: every registry the cluster's images name resolves to
# the lab registry (lab/scripts/registry.sh), and only to it: `server` is
# the registry itself, so a missing image fails instead of reaching out.
MIRRORED=(registry.k8s.io docker.io quay.io ghcr.io _default)
# Args CTRD REGISTRY for another node (default: node 1's, LAB_REGISTRY).
node_registry_hosts() {
  local h ctrd=${1:-$CTRD} registry=${2:-$LAB_REGISTRY}
  for h in "${MIRRORED[@]}"; do
    mkdir -p "$ctrd/certs.d/$h"
    cat >"$ctrd/certs.d/$h/hosts.toml" <<EOF
# Written by lab/scripts/full-up.sh: pulls of $h/<repo> go to
# $registry/<repo> (lab/scripts/images.sh pushes under those names).
server = "http://$registry"
EOF
  done
}

# node_images: pause and busybox (lab/scripts/images.sh), and CoreDNS, which
# is packed here from lab/node/coredns: /coredns on an empty base, as
# upstream's image (distroless static) runs it.
node_images() {
  local out
  out=$("$LAB_DIR/scripts/images.sh" "$STATE" pause busybox 2> >(sed 's/^/  /' >&2))
  PAUSE_IMAGE=$(sed -n 's/^\(registry\.k8s\.io\/pause:[^=]*\)=.*/\1/p' <<<"$out" | head -n1)
  [[ -n $PAUSE_IMAGE ]] || die "images.sh printed no registry.k8s.io/pause image"
  BUSYBOX_IMAGE=docker.io/library/busybox:latest
  COREDNS_IMAGE=registry.k8s.io/coredns/coredns:$COREDNS_VERSION
  local ref=$LAB_REGISTRY/coredns/coredns:$COREDNS_VERSION stamp crane=("$LAB_BIN/crane" --insecure)
  stamp=$(cat "$LAB_BIN/coredns.stamp" "$LAB_BIN/crane.stamp" | sha256sum | cut -d' ' -f1)
  if [[ -f $NODE_DIR/coredns-image.stamp && $(head -n1 "$NODE_DIR/coredns-image.stamp") == "$stamp" &&
    $("${crane[@]}" digest "$ref" 2>/dev/null) == "$(sed -n 2p "$NODE_DIR/coredns-image.stamp")" ]]; then
    return
  fi
  local tmp=$NODE_DIR/coredns-image digest
  rm -rf "$tmp" && mkdir -p "$tmp/root"
  install -m 0755 "$LAB_BIN/coredns" "$tmp/root/coredns"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$tmp/root" -cf "$tmp/layer.tar" coredns
  "${crane[@]}" append --oci-empty-base -f "$tmp/layer.tar" -t "$ref" >/dev/null 2>"$tmp/log" ||
    die "coredns image: crane append: $(cat "$tmp/log")"
  digest=$("${crane[@]}" mutate "$ref" --set-platform linux/amd64 --entrypoint /coredns -t "$ref" 2>"$tmp/log") ||
    die "coredns image: crane mutate: $(cat "$tmp/log")"
  printf '%s\n%s\n' "$stamp" "${digest##*@}" >"$NODE_DIR/coredns-image.stamp"
  rm -rf "$tmp"
  log "  coredns image: pushed $ref (${digest##*@})"
}

# node_coredns: CoreDNS as kube-dns, the manifest in lab/node/coredns.yaml.
node_coredns() {
  sed -e "s|@COREDNS_IMAGE@|$COREDNS_IMAGE|g" -e "s|@DNS_IP@|$DNS_IP|g" "$LAB_DIR/node/coredns.yaml" |
    kc apply --server-side --force-conflicts --field-manager openebs-lab -f - >/dev/null
}

node_write_env() {
  local k
  local -A env=(
    [LAB_NODE_NAME]=$NODE_NAME [LAB_NODE_IP]=$NODE_IP [LAB_POD_CIDR]=$POD_CIDR
    [LAB_SERVICE_CIDR]=$SERVICE_CIDR [LAB_CLUSTER_DNS]=$DNS_IP [LAB_KUBELET_ROOT]=$KUBELET_ROOT
    [LAB_CONTAINERD_ADDRESS]=$CTRD/containerd.sock [LAB_REGISTRY]=$LAB_REGISTRY
    [LAB_KUBECTL]=$LAB_BIN/kubectl [LAB_LOCAL_PV_DIR]=$LOCAL_PV_DIR
    [LAB_PAUSE_IMAGE]=$PAUSE_IMAGE [LAB_BUSYBOX_IMAGE]=$BUSYBOX_IMAGE [LAB_COREDNS_IMAGE]=$COREDNS_IMAGE
    [LAB_NODES]=${NODES:-1}
  )
  for k in $(printf '%s\n' "${!env[@]}" | sort); do
    printf "%s='%s'\n" "$k" "${env[$k]}"
  done >"$STATE/env-node.tmp"
  mv -f "$STATE/env-node.tmp" "$STATE/env-node"
}

# node_kill_containers: every container task containerd runs for the node
# is killed and deleted, so the shims exit (they outlive containerd).
node_kill_containers() {
  lab_running containerd "$STATE" || return 0
  local ns id
  for ns in $(kctr namespaces ls -q 2>/dev/null); do
    for id in $(kctr -n "$ns" tasks ls -q 2>/dev/null); do
      kctr -n "$ns" tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
    for id in $(kctr -n "$ns" tasks ls -q 2>/dev/null); do
      kctr -n "$ns" tasks delete -f "$id" >/dev/null 2>&1 || true
    done
  done
}

# node_kill_shims: shims left over (containerd died first) by their pid
# files in containerd's state dir, checked to still be our shim.
node_kill_shims() {
  local f pid cmd
  while IFS= read -r f; do
    pid=$(<"$f")
    [[ $pid =~ ^[0-9]+$ ]] || continue
    cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || continue
    [[ $cmd == *containerd-shim-runc-v2* ]] || continue
    kill -KILL "$pid" 2>/dev/null && log "killed leftover shim (pid $pid)"
  done < <(find "$CTRD/state" -name shim.pid 2>/dev/null)
}

# node_unmount: every mount under the node's dirs, deepest first (overlay
# rootfs, netns bind mounts, pod volumes: tmpfs, bind mounts).
node_unmount() {
  local m n=0
  while IFS= read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
    n=$((n + 1))
  done < <(findmnt -rn -o TARGET | awk -v a="$STATE/" -v b="$KUBELET_ROOT/" \
    'index($0, a) == 1 || index($0, b) == 1 || $0 == substr(b, 1, length(b) - 1)' |
    awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-)
  ((n == 0)) || log "unmounted $n mounts under $STATE and $KUBELET_ROOT"
}

# node_stop_all: the node's processes (not etcd/apiserver), containers, mounts.
node_stop_all() {
  local p
  for p in kube-proxy kubelet; do lab_stop "$p" "$STATE"; done
  node_kill_containers
  for p in containerd kube-scheduler kube-controller-manager; do lab_stop "$p" "$STATE"; done
  node_kill_shims
  node_unmount
}

# host_restore: undo host_prepare/host_firewall and the rules kube-proxy and
# the CNI plugins made (/ stays rshared, ip_forward stays on).
host_restore() {
  if [[ -x $LAB_BIN/kube-proxy ]]; then
    "$LAB_BIN/kube-proxy" --cleanup --v=0 >/dev/null 2>&1 || true
  fi
  nft delete table ip kube-proxy 2>/dev/null || true
  nft delete table ip6 kube-proxy 2>/dev/null || true
  nft delete table inet openebs_lab 2>/dev/null || true
  # kubelet's own chains (KUBE-FIREWALL, KUBE-KUBELET-CANARY,
  # KUBE-IPTABLES-HINT) and portmap's (CNI-*, if a pod used hostPort), in
  # iptables-nft's tables: the jumps to them first, then the chains.
  local ipt t c
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null 2>&1 || continue
    for t in filter nat mangle; do
      "$ipt" -t "$t" -S 2>/dev/null | awk '/^-A [A-Z]+ .*-j (KUBE-|CNI-)/ && $2 !~ /^(KUBE|CNI)-/ { $1 = "-D"; print }' |
        while read -r rule; do eval "$ipt -t $t $rule" 2>/dev/null || true; done
      for c in $("$ipt" -t "$t" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/ { print $2 }'); do
        "$ipt" -t "$t" -F "$c" 2>/dev/null || true
      done
      for c in $("$ipt" -t "$t" -S 2>/dev/null | awk '/^-N (KUBE|CNI)-/ { print $2 }'); do
        "$ipt" -t "$t" -X "$c" 2>/dev/null || true
      done
    done
  done
  # veths went with the pods' netns; the bridge and the node IP are ours.
  ip link del "$BRIDGE" 2>/dev/null || true
  ip addr del "$NODE_IP/32" dev lo 2>/dev/null || true
  rm -rf "$CNI_IPAM_DIR"
  # The shims' sockets (/run/containerd/s) and runc's state
  # (/run/containerd/runc/<namespace>) are at fixed paths: remove them when
  # empty (another containerd on this host may still use them).
  find /run/containerd -depth -type d -empty -delete 2>/dev/null || true
}
