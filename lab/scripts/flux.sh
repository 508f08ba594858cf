#!/usr/bin/env bash
# The real Flux controllers for a lab cluster, built from their Go modules
# (lab/images/flux-*, lab/images/build.sh) and run as host processes against
# the lab's apiserver, as the lab runs its other control-plane processes.
#
#   lab/scripts/flux.sh up [STATE_DIR] [CONTROLLER...]
#   lab/scripts/flux.sh down [STATE_DIR]
#
# CONTROLLER: source-controller, kustomize-controller, helm-controller,
# notification-controller (default: source-controller kustomize-controller,
# what reconciles a Git repository of Kustomizations with SOPS Secrets).
#
# Needs a running lab for STATE_DIR (up.sh or full-up.sh: STATE_DIR/kubeconfig
# and, for kubectl, the full lab's build). up applies the controllers' CRDs
# from their module zips (config/crd/bases), creates namespace flux-system,
# starts each controller (--watch-all-namespaces, no leader election, its
# own loopback ports; source-controller's artifacts in STATE_DIR/flux/source,
# served on 127.0.0.1 so the other controllers fetch them) and waits until
# each answers its health endpoint. Idempotent. Writes STATE_DIR/env-flux and
# prints it on stdout; logs in STATE_DIR/logs/<controller>.log.
#
# Env: LAB_START_TIMEOUT (s, default 60), LAB_SKIP_BUILD=1.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd=${1:-}
[[ $cmd == up || $cmd == down ]] || die "usage: flux.sh up|down [STATE_DIR] [CONTROLLER...]"
STATE=${2:-$LAB_DIR/_state}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
shift $(($# < 2 ? $# : 2))
CONTROLLERS=("$@")
((${#CONTROLLERS[@]})) || CONTROLLERS=(source-controller kustomize-controller)
ALL=(source-controller kustomize-controller helm-controller notification-controller)
FLUX=$STATE/flux
ENV_FILE=$STATE/env-flux
TIMEOUT=${LAB_START_TIMEOUT:-60}
mkdir -p "$STATE/run" "$STATE/logs" "$FLUX/bin" "$FLUX/source"

exec 9>"$STATE/run/flux.lock"
flock -w 120 9 || die "another flux.sh holds $STATE/run/flux.lock"

if [[ $cmd == down ]]; then
  for c in "${ALL[@]}"; do lab_stop "$c" "$STATE"; done
  rm -f "$ENV_FILE"
  log "flux down (artifacts kept in $FLUX/source)"
  exit 0
fi

for c in "${CONTROLLERS[@]}"; do
  [[ " ${ALL[*]} " == *" $c "* ]] || die "unknown controller $c (one of: ${ALL[*]})"
done
[[ -f $STATE/kubeconfig ]] || die "$STATE/kubeconfig missing: start the lab first (lab/scripts/up.sh or full-up.sh)"

t_all=$(now_ms)
if [[ -z ${LAB_SKIP_BUILD:-} ]]; then
  "$LAB_DIR/images/build.sh" "${CONTROLLERS[@]}" >/dev/null 2> >(sed 's/^/  /' >&2)
  "$LAB_DIR/scripts/build.sh" kubectl >/dev/null 2> >(sed 's/^/  /' >&2)
fi
kubectl() { "$LAB_BIN/kubectl" --kubeconfig "$STATE/kubeconfig" "$@"; }

# module_dir CONTROLLER: where Go keeps the controller's module (its zip
# holds config/crd/bases, the CRDs as upstream releases them).
module_dir() {
  local dir=$LAB_DIR/images/flux-$1 module=github.com/fluxcd/$1 version
  version=$(awk -v m="$module" '$1 == m { print $2 }' "$dir/go.mod" | head -n1)
  [[ -n $version ]] || die "cannot read the $module version from $dir/go.mod"
  (cd "$dir" && go mod download -json "$module@$version") |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])'
}

crds=()
for c in "${CONTROLLERS[@]}"; do
  crds+=("$(module_dir "$c")/config/crd/bases")
done
for d in "${crds[@]}"; do
  kubectl apply --server-side --force-conflicts --field-manager=lab-flux -f "$d" >/dev/null
done
kubectl wait --for condition=established --timeout=60s \
  $(for d in "${crds[@]}"; do for f in "$d"/*.yaml; do
    printf 'crd/%s ' "$(basename "$f" .yaml | sed 's/^\([^_]*\)_\(.*\)$/\2.\1/')"
  done; done) >/dev/null
kubectl create namespace flux-system --dry-run=client -o yaml | kubectl apply -f - >/dev/null
log "phase crds: $(ls "${crds[@]}" | grep -c '\.yaml$') Flux CRDs established, namespace flux-system"

# port NAME: a free loopback port for NAME, the same one across restarts.
port() {
  local f=$FLUX/$1.port p
  p=$(lab_free_port 127.0.0.1 "$(cat "$f" 2>/dev/null || echo 0)")
  printf '%s\n' "$p" >"$f"
  printf '%s\n' "$p"
}

declare -A health
for c in "${CONTROLLERS[@]}"; do
  if lab_running "$c" "$STATE" && curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$(cat "$FLUX/$c-health.port")/readyz"; then
    health[$c]=$(cat "$FLUX/$c-health.port")
    continue
  fi
  lab_stop "$c" "$STATE"
  # Started through a link in STATE_DIR: lab_pid knows a process by its
  # binary's name and STATE_DIR in its command line.
  ln -sfn "$LAB_BIN/$c" "$FLUX/bin/$c"
  health[$c]=$(port "$c-health")
  args=(--watch-all-namespaces=true --enable-leader-election=false
    --log-encoding=console --metrics-addr="127.0.0.1:$(port "$c-metrics")"
    --health-addr="127.0.0.1:${health[$c]}")
  # A Kustomization or HelmRelease waiting for its dependsOn is looked at
  # again after 30 s by default; the lab's whole platform comes up in
  # about a minute, so 5 s (a lab choice, not Flux's).
  [[ $c == kustomize-controller || $c == helm-controller ]] && args+=(--requeue-dependency=5s)
  # The cluster's age key for Kustomizations that name none (repositories
  # that configure decryption on the controller, not per Kustomization).
  [[ $c == kustomize-controller ]] && args+=(--sops-age-secret=sops-age)
  if [[ $c == source-controller ]]; then
    storage=$(port source-storage)
    args+=(--storage-path="$FLUX/source" --storage-addr="127.0.0.1:$storage"
      --storage-adv-addr="127.0.0.1:$storage")
  fi
  # RUNTIME_NAMESPACE: where a controller in a pod would run (events, the
  # default namespace of its own objects).
  # TUF_ROOT: source-controller keeps Sigstore's trust root there (the
  # default is under a home directory it may not write).
  KUBECONFIG=$STATE/kubeconfig RUNTIME_NAMESPACE=flux-system TUF_ROOT=$FLUX/tuf \
    lab_daemon "$c" "$STATE" "$FLUX/bin/$c" "${args[@]}"
done
for c in "${CONTROLLERS[@]}"; do
  lab_wait_ready "$c" "$STATE" "$TIMEOUT" "its health endpoint" \
    curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:${health[$c]}/readyz" || {
    lab_stop "$c" "$STATE"
    die "$c did not become ready"
  }
  log "phase $c: ready (pid $(lab_pid "$c" "$STATE"), health 127.0.0.1:${health[$c]})"
done

{
  printf "LAB_FLUX_CONTROLLERS='%s'\n" "${CONTROLLERS[*]}"
  [[ -f $FLUX/source-storage.port ]] && printf "LAB_FLUX_ARTIFACTS='http://127.0.0.1:%s'\n" "$(cat "$FLUX/source-storage.port")"
} >"$ENV_FILE.tmp"
mv -f "$ENV_FILE.tmp" "$ENV_FILE"
log "done in $(fmt_secs $(($(now_ms) - t_all)))s"
cat "$ENV_FILE"
