#!/usr/bin/env bash
# Power for one of the full lab's other nodes (LAB_NODES>1 full-up.sh):
#
#   lab/scripts/node-power.sh kill N [STATE_DIR]    (default: lab/_state-node)
#   lab/scripts/node-power.sh start N [STATE_DIR]
#
# kill: node lab-node-N dies at once, as a machine losing power: every
# process in its namespaces (kubelet, kube-proxy, containerd, shims, the
# containers) gets SIGKILL. Its directories stay, as its disk would; the
# control plane sees it NotReady after the node monitor's grace period.
# start: it boots again (containerd, kubelet, kube-proxy) and rejoins.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$LAB_DIR/node/node.sh"
. "$LAB_DIR/node/nodes.sh"

cmd=${1:-}
n=${2:-}
[[ $cmd == kill || $cmd == start ]] && [[ $n =~ ^[2-9]$ ]] ||
  die "usage: node-power.sh kill|start N [STATE_DIR] (N: 2…9, an extra node)"
STATE=${3:-$LAB_DIR/_state-node}
STATE=$(cd "$STATE" && pwd)
node_paths "$STATE"
TIMEOUT=${LAB_START_TIMEOUT:-180}
extra_node "$n"
[[ -f $X_STATE/kubelet.yaml ]] || die "$X_NAME is not a node of $STATE (start it with LAB_NODES=$n full-up.sh)"

t0=$(now_ms)
case $cmd in
kill)
  extra_node_kill
  log "$X_NAME killed: no process left in it ($(fmt_secs $(($(now_ms) - t0)))s)"
  ;;
start)
  extra_node_boot || die "$X_NAME did not start"
  log "$X_NAME Ready in $(fmt_secs $(($(now_ms) - t0)))s"
  ;;
esac
