#!/usr/bin/env bash
# Runs the end-to-end tests (e2e/): Playwright drives Debian's Chromium against
# the portal (app dev server on :3000, backend on :7007) backed by a lab
# cluster seeded with the demo objects, and by a Gitea on 127.0.0.1:3300 (the
# cluster repository the workload template opens its pull request on).
#
#   scripts/e2e.sh [PLAYWRIGHT_ARGS...]        e.g. scripts/e2e.sh --headed
#
# Starts its own lab cluster (state dir lab/_state-e2e), Gitea (state dir
# lab/_state-e2e-gitea, fresh every run, kept after it for a look), the
# backend and the app, and stops every one of them on exit, success or not.
# Ports 3000, 7007 and 3300 must be free: it never stops a server it did not
# start.
#
# Artifacts (gitignored) in e2e/artifacts/: storage-tab*.png,
# restore-completed.png and workload-*.png screenshots,
# report/ (Playwright HTML report), test-results/ (traces of failures),
# logs/{backend,app}.log, timings.txt.
#
# Env: E2E_READY_TIMEOUT (seconds for the servers, default 300),
# CHROMIUM_PATH (default /usr/bin/chromium), CI (as usual).
#
# E2E_BENCH=1: the Storage tab's timing bench (e2e/bench/) instead of the
# stories, with the `fleet` entity seeded (100 volumes, 30 backups each);
# results in e2e/artifacts/tab-timing.json and docs/benchmarks.md.
#
# E2E_FULL_LAB=STATE_DIR: the stories of e2e/full-lab/ instead, against the
# full lab in STATE_DIR (full-up.sh and platform-up.sh done; it is used, not
# started or stopped): `shop` is a real workload there (lab/platform/demo-up.sh),
# the restore is a real Velero restore, and the Gitea is the full lab's own
# (STATE_DIR/gitea: the cluster repository Flux reconciles, platform-up.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)

# shellcheck source=lib.sh
source scripts/lib.sh

artifacts=$repo/e2e/artifacts
logs=$artifacts/logs
lab_state=$repo/lab/_state-e2e
gitea_state=$repo/lab/_state-e2e-gitea
# The port the template's RepoUrlPicker allows (127.0.0.1:3300).
gitea_port=3300
# Process groups of the servers this script started: "name pgid" per line,
# so that the next run can stop what a run killed with SIGKILL left behind.
pids_file=$artifacts/servers.pids
app_url=http://localhost:3000
backend_url=http://localhost:7007
ready_timeout=${E2E_READY_TIMEOUT:-300}

# One run at a time: a second one would take the first one's servers and lab
# for leftovers. (Long-lived children get `8>&-`: they must not hold the lock.)
mkdir -p "$artifacts"
exec 8>"$artifacts/.lock"
flock -n 8 || {
  echo "e2e: another scripts/e2e.sh is running (lock $artifacts/.lock)" >&2
  exit 1
}

phase "prerequisites (Debian packages incl. chromium; Node 22 + Yarn 4)"
scripts/prereqs.sh chromium fonts-liberation
# shellcheck source=toolchain.sh
source scripts/toolchain.sh
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
[[ -x $CHROMIUM_PATH ]] || {
  echo "e2e: no Chromium at $CHROMIUM_PATH" >&2
  exit 1
}
# Playwright must never fetch a browser; it launches $CHROMIUM_PATH.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# The app dev server must not try to open a browser of its own.
export BROWSER=none
if [[ ! -f node_modules/.yarn-state.yml ]]; then
  phase "yarn install (no node_modules yet)"
  if [[ -n ${CI:-} ]]; then yarn install --immutable; else yarn install; fi
fi

# Servers left behind by a run that was killed outright (SIGKILL): stop them,
# but only if the group still is what we started (a node process working in
# this repository), never anything else.
stop_leftovers() {
  [[ -f $pids_file ]] || return 0
  local name pgid cmd cwd
  while read -r name pgid; do
    [[ $pgid =~ ^[0-9]+$ ]] || continue
    cmd=$(tr '\0' ' ' <"/proc/$pgid/cmdline" 2>/dev/null) || continue
    cwd=$(readlink "/proc/$pgid/cwd" 2>/dev/null) || continue
    if [[ $cmd == *node* && $cwd == "$repo"* ]]; then
      stop_group "leftover $name" "$pgid"
    fi
  done <"$pids_file"
  rm -f "$pids_file"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  phase "stopping servers and lab"
  if [[ -f $pids_file ]]; then
    while read -r name pgid; do stop_group "$name" "$pgid"; done <"$pids_file"
    rm -f "$pids_file"
  fi
  if [[ -z ${E2E_FULL_LAB:-} ]]; then
    timeout 120 lab/scripts/down.sh "$lab_state" >/dev/null 2>&1 ||
      echo "e2e: lab/scripts/down.sh $lab_state failed or timed out; see $lab_state/logs" >&2
    timeout 60 lab/scripts/gitea.sh down "$gitea_state" >/dev/null 2>&1 ||
      echo "e2e: lab/scripts/gitea.sh down $gitea_state failed or timed out" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stop_leftovers
ports=("$app_url" "$backend_url")
# The full lab's Gitea is on its port already.
[[ -n ${E2E_FULL_LAB:-} ]] || ports+=("http://127.0.0.1:$gitea_port")
for url in "${ports[@]}"; do
  # curl exits 7 when nothing listens; anything else means the port is taken.
  code=0
  curl -s -o /dev/null --max-time 5 "$url" || code=$?
  if ((code != 7)); then
    echo "e2e: ${url##*:} is in use (another portal or Gitea, e.g. scripts/dev.sh?); stop it first" >&2
    exit 1
  fi
done
rm -rf "$logs" && mkdir -p "$logs"

phase "type check e2e/"
yarn tsc -p e2e/tsconfig.json

full_lab=${E2E_FULL_LAB:-}
if [[ -n $full_lab ]]; then
  full_lab=$(cd "$full_lab" && pwd)
  phase "lab: the full lab in $full_lab"
  t=$(now_ms)
  [[ -f $full_lab/env-node ]] || {
    echo "e2e: no full lab in $full_lab (lab/scripts/full-up.sh, platform-up.sh)" >&2
    exit 1
  }
  # Used, never stopped: the cleanup must not touch it.
  lab_state=$full_lab
else
  phase "lab: a fresh kube-apiserver + etcd in $lab_state"
  t=$(now_ms)
  # A clean slate every run, so that objects of an earlier run cannot leak in.
  timeout 120 lab/scripts/down.sh --purge "$lab_state" >/dev/null 2>&1 || true
  lab/scripts/up.sh "$lab_state" >/dev/null 8>&-
fi
set -a
# shellcheck disable=SC1091
source "$lab_state/env"
set +a
export OPENEBS_LAB_ENV=$lab_state/env
lab_ms=$(($(now_ms) - t))

if [[ -n $full_lab ]]; then
  phase "gitea: the full lab's cluster repository"
  t=$(now_ms)
  gitea_state=$full_lab/gitea
  # Up since platform-up.sh; `up` only prints its env when it runs.
  GITEA_PORT=$gitea_port lab/scripts/gitea.sh up "$gitea_state" >/dev/null 8>&-
else
  phase "gitea: a fresh cluster repository on 127.0.0.1:$gitea_port"
  t=$(now_ms)
  # (Stops one a killed run left behind, by its pid file.)
  timeout 60 lab/scripts/gitea.sh down --purge "$gitea_state" >/dev/null 2>&1 || true
  GITEA_PORT=$gitea_port lab/scripts/gitea.sh up "$gitea_state" >/dev/null 8>&-
fi
set -a
# shellcheck disable=SC1091
source "$gitea_state/env-gitea"
set +a
# For the spec (e2e/gitea.ts), and app-config.gitea.yaml reads GITEA_*.
export OPENEBS_GITEA_ENV=$gitea_state/env-gitea
gitea_ms=$(($(now_ms) - t))
# --config replaces the default app-config.yaml: name both.
config_args=(--config "$repo/app-config.yaml" --config "$repo/app-config.gitea.yaml")
# The full lab's guest is a platform admin too (the in-place story).
[[ -z $full_lab ]] || config_args+=(--config "$repo/app-config.full-lab.yaml")

t=$(now_ms)
if [[ -n $full_lab ]]; then
  phase "shop as a real workload with a first backup"
  lab/platform/demo-up.sh "$full_lab" 8>&-
  phase "monitoring: Prometheus, Alertmanager and kube-state-metrics on the template's rules"
  # After shop: its own schedule's rule is read too.
  lab/scripts/monitoring.sh up "$full_lab" >/dev/null 8>&-
  set -a
  # shellcheck disable=SC1091
  source "$full_lab/env-monitoring"
  set +a
  config_args+=(--config "$repo/app-config.monitoring.yaml")
  # What the backend must show before the stories start.
  ready_volume=data-shop-db-0
  specs=(e2e/full-lab)
else
  phase "seeding demo objects"
  node --require @backstage/cli/config/nodeTransform.cjs \
    plugins/openebs-storage-backend/dev/seedDemo.ts
  ready_volume=data-postgres-1
  specs=()
  if [[ -n ${E2E_BENCH:-} ]]; then
    phase "seeding the fleet: 100 volumes, 30 backups each"
    node --require @backstage/cli/config/nodeTransform.cjs \
      plugins/openebs-storage-backend/dev/seedFleet.ts
    specs=(e2e/bench)
  fi
fi
seed_ms=$(($(now_ms) - t))

# start NAME CMD...: run a server in its own session (so its own process
# group: one kill reaches every process under it), logging to
# $logs/NAME.log. Without job control `setsid` execs in place, so $! is the
# group's id.
start() {
  local name=$1
  shift
  setsid "$@" >"$logs/$name.log" 2>&1 </dev/null 8>&- &
  printf '%s %s\n' "$name" "$!" >>"$pids_file"
}

# Nothing is built: both run from source, ready in 12-22 s on 2 cores.
# - The backend runs as `backstage-cli package start` runs it (same node
#   flags, same TypeScript transform, cwd packages/backend so that the catalog
#   locations resolve, its metrics on 127.0.0.1:9464 for the full lab's
#   Prometheus), minus its file watcher: an edit to any source file
#   would restart it mid-test and empty its in-memory catalog.
# - The app is bundled in memory by the Rspack dev server (`yarn workspace app
#   start`); the spec keeps the page off the dev server's live-reload socket.
# (The backend does not serve the app: it has no app-backend plugin.)
phase "starting backend ($backend_url) and app ($app_url) from source"
t=$(now_ms)
start backend env --chdir=packages/backend NODE_ENV=development BACKSTAGE_METRICS_HOST=127.0.0.1 \
  ESBK_TSCONFIG_PATH="$repo/tsconfig.json" \
  node --enable-source-maps \
  --require "$repo/node_modules/@backstage/cli-node/config/nodeTransform.cjs" \
  --require ./src/instrumentation.js \
  src/index.ts "${config_args[@]}"
start app yarn workspace app start "${config_args[@]}"

# guest_token: a Backstage token for the guest user, like the browser gets.
guest_token() {
  curl -sf -X POST "$backend_url/api/auth/guest/refresh" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).backstageIdentity.token))' 2>/dev/null
}
backend_ready() {
  curl -sf -o /dev/null "$backend_url/.backstage/health/v1/readiness" || return 1
  local token entity body
  token=$(guest_token) || return 1
  # The catalog has read examples/entities.yaml ...
  for entity in shop analytics legacy-uploads; do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" \
      "$backend_url/api/catalog/entities/by-name/component/default/$entity" || return 1
  done
  # ... and the storage plugin's watches have synced the seeded volumes.
  body=$(curl -sf -H "Authorization: Bearer $token" \
    "$backend_url/api/openebs-storage/entities/component/default/shop/storage") || return 1
  [[ $body == *"\"$ready_volume\""* ]]
}
app_ready() {
  # The dev server answers once the bundle is built.
  local body
  body=$(curl -sf --max-time 120 "$app_url/") || return 1
  [[ $body == *'<div id="root">'* ]]
}
# wait_for NAME CHECK: poll until CHECK succeeds; fail early if the server's
# process group died, or after $ready_timeout seconds.
wait_for() {
  local name=$1 check=$2 pgid deadline=$((SECONDS + ready_timeout))
  pgid=$(awk -v n="$name" '$1 == n { print $2 }' "$pids_file")
  until "$check"; do
    if ! pgid_alive "$pgid" || ((SECONDS >= deadline)); then
      echo "e2e: $name did not get ready (see $logs/$name.log); last lines:" >&2
      tail -n 40 "$logs/$name.log" | sed 's/^/    /' >&2
      return 1
    fi
    sleep 1
  done
  printf '  %s ready after %ss\n' "$name" "$(secs $(($(now_ms) - t)))"
}
wait_for backend backend_ready
wait_for app app_ready
servers_ms=$(($(now_ms) - t))

phase "playwright"
t=$(now_ms)
status=0
E2E_FULL_LAB=$full_lab yarn playwright test "${specs[@]}" "$@" || status=$?
tests_ms=$(($(now_ms) - t))

{
  printf 'lab up (fresh):        %ss\n' "$(secs "$lab_ms")"
  printf 'gitea up:              %ss\n' "$(secs "$gitea_ms")"
  printf 'seed demo objects:     %ss\n' "$(secs "$seed_ms")"
  printf 'servers ready:         %ss (backend + app dev server, in parallel)\n' "$(secs "$servers_ms")"
  printf 'playwright run:        %ss\n' "$(secs "$tests_ms")"
  printf 'total (this script):   %ss\n' "$(($(date +%s) - PHASE_STARTED))"
} | tee "$artifacts/timings.txt"
echo "screenshots: $artifacts/{storage-tab*,restore-completed,workload-*}.png; report: $artifacts/report/index.html"
exit "$status"
