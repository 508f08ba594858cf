#!/usr/bin/env bash
# The full lab's monitoring: Prometheus and kube-state-metrics (built from
# their Go modules, lab/monitoring; Debian's Prometheus has no Kubernetes
# service discovery) and Debian's Alertmanager, on the host beside the node, evaluating the platform's alert rules exactly as the
# template rendered them.
#
#   lab/scripts/monitoring.sh up|down [STATE_DIR]     (default: lab/_state-node)
#
# `up` (after platform-up.sh; idempotent, and cheap when up):
# 1. the read-only identity lab/monitoring/rbac.yaml and a token of it;
# 2. kube-state-metrics on 127.0.0.1 with that token (deployments,
#    daemonsets, statefulsets, claims, volumes, classes);
# 3. Prometheus's configuration from the cluster's ServiceMonitors,
#    PodMonitors and PrometheusRules (what the template's charts and
#    kustomizations created), translated as the Prometheus Operator would
#    (plugins/scaffolder-backend-module-openebs/dev/labPlatform/prometheusConfig.ts);
#    when Prometheus runs already it is reloaded, so a workload's rules added
#    since are read;
# 4. Alertmanager, then Prometheus (15 s scrape and evaluation), and waits
#    until Velero's server, kube-state-metrics and the kubelets (their
#    volume statistics, as kube-prometheus-stack scrapes them; the read-only
#    identity may get nodes/metrics) are scraped. The portal's
#    backend is scraped too, at LAB_PORTAL_METRICS (default 127.0.0.1:9464,
#    packages/backend/src/instrumentation.js) whenever it runs.
# Writes STATE_DIR/env-monitoring (LAB_PROMETHEUS_URL, LAB_ALERTMANAGER_URL,
# LAB_KSM_URL) and prints it. `down` stops the three; data stays in
# STATE_DIR/monitoring.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd=${1:-}
[[ $cmd == up || $cmd == down ]] || die "usage: monitoring.sh up|down [STATE_DIR]"
STATE=${2:-$LAB_DIR/_state-node}
STATE=$(cd "$STATE" && pwd)
MON=$STATE/monitoring
ENV_FILE=$STATE/env-monitoring
mkdir -p "$MON" "$STATE/run"
exec 9>"$STATE/run/monitoring.lock"
flock -w 120 9 || die "another monitoring.sh holds $STATE/run/monitoring.lock"

if [[ $cmd == down ]]; then
  for name in prometheus prometheus-alertmanager kube-state-metrics; do lab_stop "$name" "$STATE"; done
  rm -f "$ENV_FILE"
  exit 0
fi

[[ -f $STATE/env-node ]] || die "the full lab is not up for $STATE: run lab/scripts/full-up.sh and platform-up.sh first"
set -a
. "$STATE/env"
. "$STATE/env-node"
set +a
command -v prometheus-alertmanager >/dev/null 2>&1 || "$REPO_ROOT/scripts/prereqs.sh" prometheus-alertmanager >&2
kubectl() { "$LAB_KUBECTL" --kubeconfig "$STATE/kubeconfig" "$@"; }

# 1. identity
kubectl apply --server-side --field-manager=lab-monitoring -f "$LAB_DIR/monitoring/rbac.yaml" >/dev/null
token=$MON/token
if [[ ! -s $token ]] || ! curl -sf -o /dev/null --max-time 5 --cacert "$LAB_CA_FILE" \
  -H "Authorization: Bearer $(cat "$token")" "$LAB_API_URL/api/v1/namespaces/velero/pods?limit=1"; then
  (umask 077 && kubectl -n lab-monitoring create token prometheus --duration=8760h >"$token")
fi
cat >"$MON/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: lab, cluster: {server: '$LAB_API_URL', certificate-authority: '$LAB_CA_FILE'}}]
users: [{name: prometheus, user: {tokenFile: '$token'}}]
contexts: [{name: lab, context: {cluster: lab, user: prometheus}}]
current-context: lab
KUBECONFIG

# port NAME: the port kept in MON/NAME.port while free, else a new one.
port() {
  local p
  p=$(lab_free_port 127.0.0.1 "$(cat "$MON/$1.port" 2>/dev/null || echo 0)")
  printf '%s\n' "$p" >"$MON/$1.port"
  printf '%s\n' "$p"
}

# 2. kube-state-metrics
"$LAB_DIR/scripts/build.sh" kube-state-metrics prometheus >/dev/null
if ! lab_running kube-state-metrics "$STATE"; then
  ksm_port=$(port kube-state-metrics)
  ksm_telemetry=$(lab_free_port 127.0.0.1 0)
  lab_daemon kube-state-metrics "$STATE" "$LAB_BIN/kube-state-metrics" \
    --kubeconfig "$MON/kubeconfig" --host 127.0.0.1 --port "$ksm_port" \
    --telemetry-host 127.0.0.1 --telemetry-port "$ksm_telemetry" \
    --resources deployments,daemonsets,statefulsets,persistentvolumeclaims,persistentvolumes,storageclasses
fi
ksm_url=http://127.0.0.1:$(cat "$MON/kube-state-metrics.port")
lab_wait_ready kube-state-metrics "$STATE" 60 "$ksm_url/metrics" curl -sf -o /dev/null "$ksm_url/metrics" ||
  die "kube-state-metrics did not serve $ksm_url/metrics"

# 3. configuration
running() { lab_running prometheus-alertmanager "$STATE" && lab_running prometheus "$STATE"; }
if ! running; then
  am_port=$(port alertmanager)
  prom_port=$(port prometheus)
fi
am_url=http://127.0.0.1:$(cat "$MON/alertmanager.port")
prom_url=http://127.0.0.1:$(cat "$MON/prometheus.port")
. "$REPO_ROOT/scripts/toolchain.sh"
kubectl get servicemonitors,podmonitors,prometheusrules -A -o json |
  (cd "$REPO_ROOT" && LAB_API_URL=$LAB_API_URL LAB_CA_FILE=$LAB_CA_FILE PROMETHEUS_TOKEN_FILE=$token \
    ALERTMANAGER_ADDRESS=${am_url#http://} STATIC_TARGETS="kube-state-metrics=${ksm_url#http://} backstage=${LAB_PORTAL_METRICS:-127.0.0.1:9464}" \
    node --require @backstage/cli/config/nodeTransform.cjs \
    plugins/scaffolder-backend-module-openebs/dev/labPlatform/prometheusConfig.ts "$MON")

# 4. servers
if running; then
  curl -sf -X POST -o /dev/null "$prom_url/-/reload" || die "Prometheus at $prom_url refused to reload its configuration"
  log "monitoring: Prometheus reloaded $MON/prometheus.yml"
else
  lab_stop prometheus "$STATE"
  lab_stop prometheus-alertmanager "$STATE"
  # Nothing to send notifications to: the tests and the portal read the
  # alerts from Alertmanager's API. No gossip: one instance.
  printf 'route: {receiver: lab}\nreceivers: [{name: lab}]\n' >"$MON/alertmanager.yml"
  lab_daemon prometheus-alertmanager "$STATE" "$(command -v prometheus-alertmanager)" \
    --config.file "$MON/alertmanager.yml" --storage.path "$MON/alertmanager" \
    --web.listen-address "127.0.0.1:$am_port" --cluster.listen-address=
  lab_wait_ready prometheus-alertmanager "$STATE" 60 "$am_url/-/ready" curl -sf -o /dev/null "$am_url/-/ready" ||
    die "Alertmanager did not become ready at $am_url"
  lab_daemon prometheus "$STATE" "$LAB_BIN/prometheus" \
    --config.file "$MON/prometheus.yml" --storage.tsdb.path "$MON/prometheus" \
    --storage.tsdb.retention.time 2d --web.listen-address "127.0.0.1:$prom_port" --web.enable-lifecycle
  lab_wait_ready prometheus "$STATE" 60 "$prom_url/-/ready" curl -sf -o /dev/null "$prom_url/-/ready" ||
    die "Prometheus did not become ready at $prom_url"
fi

# Velero's server, kube-state-metrics and the kubelets scraped: what the
# alerts need first.
scraped() {
  curl -sf "$prom_url/api/v1/targets?state=active" | python3 -c '
import json, sys
targets = json.load(sys.stdin)["data"]["activeTargets"]
up = {t["labels"].get("job") for t in targets if t["health"] == "up"}
sys.exit(0 if {"kube-state-metrics", "kubelet"} <= up and any("velero" in (j or "") for j in up) else 1)'
}
lab_wait_ready prometheus "$STATE" 90 "Velero, kube-state-metrics and the kubelets scraped" scraped ||
  die "Prometheus did not scrape Velero, kube-state-metrics and the kubelets (targets: $prom_url/targets)"
cat >"$ENV_FILE" <<ENV
LAB_PROMETHEUS_URL='$prom_url'
LAB_ALERTMANAGER_URL='$am_url'
LAB_KSM_URL='$ksm_url'
ENV
log "monitoring: Prometheus $prom_url, Alertmanager $am_url, kube-state-metrics $ksm_url"
cat "$ENV_FILE"
