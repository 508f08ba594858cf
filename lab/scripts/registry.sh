#!/usr/bin/env bash
# A local OCI registry (CNCF distribution v3, built from its Go module) as a
# host process, for the lab node's containerd to pull images from through a
# registry mirror (hosts.toml). Plain HTTP on loopback.
#
#   lab/scripts/registry.sh up [STATE_DIR]     (default: lab/_state)
#   lab/scripts/registry.sh down [STATE_DIR]
#
# up is idempotent (prints the env file when already running). It writes
# STATE_DIR/env-registry:
#   LAB_REGISTRY='127.0.0.1:PORT'   (push/pull as LAB_REGISTRY/<repo>:<tag>)
#   LAB_REGISTRY_URL='http://127.0.0.1:PORT'
#   LAB_REGISTRY_PID, LAB_REGISTRY_DATA
# and prints it on stdout. Storage is shared by all state dirs and kept
# across runs: $OPENEBS_LAB_CACHE/registry-data (default
# ~/.cache/openebs-portal/lab/registry-data), so pushed images survive.
# The port is kept in STATE_DIR/registry.port and reused while free.
#
# Env: LAB_REGISTRY_PORT (fixed port), LAB_REGISTRY_HOST (listen address,
# default 127.0.0.1), LAB_START_TIMEOUT (s, default 60), LAB_SKIP_BUILD=1.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd=${1:-}
[[ $cmd == up || $cmd == down ]] || die "usage: registry.sh up|down [STATE_DIR]"
STATE=${2:-$LAB_DIR/_state}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
mkdir -p "$STATE/run" "$STATE/logs" "$STATE/registry"
touch "$STATE/.openebs-lab-state"
ENV_FILE=$STATE/env-registry
DATA=${LAB_REGISTRY_DATA:-$LAB_CACHE/registry-data}
HOST=${LAB_REGISTRY_HOST:-127.0.0.1}
TIMEOUT=${LAB_START_TIMEOUT:-60}

exec 9>"$STATE/run/registry.lock"
flock -w 120 9 || die "another registry.sh holds $STATE/run/registry.lock"

if [[ $cmd == down ]]; then
  lab_stop registry "$STATE"
  rm -f "$ENV_FILE"
  log "registry down (images kept in $DATA)"
  exit 0
fi

if lab_running registry "$STATE" && [[ -f $ENV_FILE ]]; then
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  if curl -sf -o /dev/null --max-time 5 "$LAB_REGISTRY_URL/v2/"; then
    log "registry already running at $LAB_REGISTRY (state $STATE)"
    cat "$ENV_FILE"
    exit 0
  fi
fi
lab_stop registry "$STATE"
rm -f "$ENV_FILE"

if [[ ${LAB_SKIP_BUILD:-} != 1 ]]; then
  "$LAB_DIR/images/build.sh" registry 2>&1 >/dev/null | sed 's/^/  /' >&2
fi
[[ -x $LAB_BIN/registry ]] || die "$LAB_BIN/registry missing: run lab/images/build.sh registry"

want=${LAB_REGISTRY_PORT:-$(cat "$STATE/registry.port" 2>/dev/null || echo 0)}
port=$(lab_free_port "$HOST" "$want")
[[ -z ${LAB_REGISTRY_PORT:-} || $port == "$LAB_REGISTRY_PORT" ]] || die "LAB_REGISTRY_PORT=$LAB_REGISTRY_PORT is in use"
printf '%s\n' "$port" >"$STATE/registry.port"
[[ -f $STATE/registry/http-secret ]] || (umask 077 && openssl rand -hex 32 >"$STATE/registry/http-secret")
mkdir -p "$DATA"

addr=$HOST:$port
[[ $HOST == *:* ]] && addr="[$HOST]:$port"
cat >"$STATE/registry/config.yml" <<YAML
# Written by lab/scripts/registry.sh; rewritten on every start.
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $DATA
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $addr
  secret: $(cat "$STATE/registry/http-secret")
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: false
YAML

t0=$(now_ms)
# No OpenTelemetry export (it would try https://localhost:4318 forever).
OTEL_TRACES_EXPORTER=none lab_daemon registry "$STATE" "$LAB_BIN/registry" serve "$STATE/registry/config.yml"
url=http://$addr
lab_wait_ready registry "$STATE" "$TIMEOUT" "$url/v2/" curl -sf -o /dev/null --max-time 2 "$url/v2/" || {
  lab_stop registry "$STATE"
  die "registry did not answer $url/v2/"
}
pid=$(lab_pid registry "$STATE")
log "registry ready at $addr in $(fmt_secs $(($(now_ms) - t0)))s (pid $pid, data $DATA)"
cat >"$ENV_FILE.tmp" <<ENV
LAB_REGISTRY='$addr'
LAB_REGISTRY_URL='$url'
LAB_REGISTRY_PID='$pid'
LAB_REGISTRY_DATA='$DATA'
ENV
mv -f "$ENV_FILE.tmp" "$ENV_FILE"
cat "$ENV_FILE"
