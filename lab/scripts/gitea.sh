#!/usr/bin/env bash
# A real Git forge on loopback: Gitea, built from its Go module (lab/gitea),
# headless, for the scaffolder to publish pull requests to.
#
#   lab/scripts/gitea.sh up [STATE_DIR]      (default: lab/_state-gitea)
#   lab/scripts/gitea.sh down [--purge] [STATE_DIR]
#
# `up` builds Gitea if needed (lab/tools/build-tools.sh gitea), writes
# STATE_DIR/app.ini (SQLite, HTTP on 127.0.0.1 only, no SSH, no mail, no
# registration), creates the admin user and an API token, starts
# `gitea web`, and creates the "cluster repository": ORG/REPO with an initial
# commit on main. On success it prints the env file STATE_DIR/env-gitea:
#
#   GITEA_URL       http://127.0.0.1:PORT (no trailing slash)
#   GITEA_HOST      127.0.0.1:PORT (the integrations.gitea host)
#   GITEA_USERNAME  the admin user
#   GITEA_TOKEN     its API token (scopes: all); also accepted as the git
#                   password over HTTP
#   GITEA_OWNER, GITEA_REPO, GITEA_REPO_URL   the cluster repository
#
# Running `up` again while it is up only prints the env file. `down` stops it
# (SIGTERM, then SIGKILL); --purge also removes the state dir.
#
# Env: GITEA_PORT (default 3300: the portal's templates allow the host
# 127.0.0.1:3300; tests pass a free port), GITEA_ORG (default platform),
# GITEA_REPO (default cluster), GITEA_START_TIMEOUT (seconds, default 60).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  sed -n '5,6p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2
  exit 2
}

cmd=${1:-}
shift || true
purge=0
args=()
for a in "$@"; do
  case $a in
  --purge) purge=1 ;;
  -*) usage ;;
  *) args+=("$a") ;;
  esac
done
((${#args[@]} <= 1)) || usage
[[ $cmd == up || $cmd == down ]] || usage
((purge == 0)) || [[ $cmd == down ]] || usage

STATE=${args[0]:-$LAB_DIR/_state-gitea}
PORT=${GITEA_PORT:-3300}
ORG=${GITEA_ORG:-platform}
REPO=${GITEA_REPO:-cluster}
ADMIN=portal
TIMEOUT=${GITEA_START_TIMEOUT:-60}
MARK=.openebs-gitea-state

gitea_down() {
  lab_stop gitea "$STATE"
  rm -f "$STATE/env-gitea"
}

if [[ $cmd == down ]]; then
  if [[ ! -d $STATE ]]; then
    log "gitea: nothing to do, $STATE does not exist"
    exit 0
  fi
  STATE=$(cd "$STATE" && pwd)
  # Never touch (let alone delete) a directory this script did not make.
  [[ -f $STATE/$MARK ]] || die "$STATE is not a Gitea state dir (no $MARK)"
  exec 9>"$STATE/run/lock"
  flock -w 120 9 || die "another gitea.sh holds $STATE/run/lock"
  gitea_down
  if ((purge)); then
    rm -rf -- "$STATE"
    log "gitea: removed $STATE"
  fi
  exit 0
fi

mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
mkdir -p "$STATE/run" "$STATE/logs" "$STATE/data"
touch "$STATE/$MARK"
exec 9>"$STATE/run/lock"
flock -w 120 9 || die "another gitea.sh holds $STATE/run/lock"

URL=http://127.0.0.1:$PORT
api_ok() { curl -sf -o /dev/null --max-time 5 "$URL/api/healthz"; }

if lab_running gitea "$STATE" && [[ -f $STATE/env-gitea ]] && api_ok; then
  log "gitea: already running at $URL (state $STATE)"
  cat "$STATE/env-gitea"
  exit 0
fi
gitea_down

"$LAB_DIR/tools/build-tools.sh" gitea 2>&1 >/dev/null | sed 's/^/  /' >&2
GITEA=$LAB_BIN/gitea
[[ -x $GITEA ]] || die "$GITEA missing: run lab/tools/build-tools.sh gitea"

# Nothing else may hold the port: Gitea would fail, or we would talk to a
# stranger. (curl exits 7 when nothing listens.)
code=0
curl -s -o /dev/null --max-time 3 "$URL/" || code=$?
((code == 7)) || die "gitea: 127.0.0.1:$PORT is in use (set GITEA_PORT)"

# Gitea reads its locales, licences and README templates from files when it
# is built without bindata (their generated Go files are not part of the
# module): point STATIC_ROOT_PATH at the module's own copy in the module cache.
STATIC=$(cd "$LAB_DIR/gitea" && go list -m -f '{{.Dir}}' gitea.dev)
[[ -d $STATIC/options/locale ]] || die "gitea: no options/ in $STATIC"

# Secrets are made once per state dir, so a restart keeps tokens valid.
secret() {
  [[ -f $STATE/run/$1 ]] || (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$STATE/run/$1")
  cat "$STATE/run/$1"
}
PASSWORD=$(secret admin-password)

# Gitea refuses to run as root unless told so; the lab runs as whoever runs
# the tests (root in CI containers).
USER_NAME=$(id -un)
ROOT_OK=false
[[ $(id -u) != 0 ]] || ROOT_OK=true

INI=$STATE/app.ini
umask_old=$(umask)
umask 077
cat >"$INI" <<EOF
; Written by lab/scripts/gitea.sh; rewritten on every start.
APP_NAME = openebs-portal lab forge
RUN_MODE = prod
RUN_USER = $USER_NAME
WORK_PATH = $STATE
I_AM_BEING_UNSAFE_RUNNING_AS_ROOT = $ROOT_OK

[server]
PROTOCOL = http
HTTP_ADDR = 127.0.0.1
HTTP_PORT = $PORT
DOMAIN = 127.0.0.1
ROOT_URL = $URL/
APP_DATA_PATH = $STATE/data
STATIC_ROOT_PATH = $STATIC
DISABLE_SSH = true
START_SSH_SERVER = false
LFS_START_SERVER = false
OFFLINE_MODE = true

[database]
DB_TYPE = sqlite3
PATH = $STATE/data/gitea.db

[repository]
ROOT = $STATE/data/repositories
DEFAULT_BRANCH = main

[security]
INSTALL_LOCK = true
SECRET_KEY = $(secret secret-key)
INTERNAL_TOKEN = $(secret internal-token)

[oauth2]
ENABLED = false

[service]
DISABLE_REGISTRATION = true
DEFAULT_KEEP_EMAIL_PRIVATE = true

[mailer]
ENABLED = false

[session]
PROVIDER = memory

[cache]
ADAPTER = memory

[indexer]
ISSUE_INDEXER_TYPE = db
REPO_INDEXER_ENABLED = false

[actions]
ENABLED = false

[packages]
ENABLED = false

[cron]
ENABLED = false

[cron.update_checker]
ENABLED = false

[log]
MODE = file
LEVEL = Info
ROOT_PATH = $STATE/logs
EOF
umask "$umask_old"

# gitea CMD...: the binary with this state's config, never the user's.
gitea() {
  env -u GITEA_WORK_DIR -u GITEA_CUSTOM HOME="$STATE" GITEA_WORK_DIR="$STATE" \
    "$GITEA" --config "$INI" "$@"
}

# Phase 1: database and admin user (before the server starts, through the CLI).
log "gitea: migrating database"
gitea migrate >"$STATE/logs/migrate.log" 2>&1 || {
  tail -n 20 "$STATE/logs/migrate.log" >&2
  die "gitea migrate failed (see $STATE/logs/migrate.log)"
}
if ! gitea admin user list --admin 2>/dev/null | awk 'NR > 1 { print $2 }' | grep -qx "$ADMIN"; then
  gitea admin user create --username "$ADMIN" --password "$PASSWORD" \
    --email "$ADMIN@lab.invalid" --admin --must-change-password=false \
    >"$STATE/logs/admin.log" 2>&1 || {
    tail -n 20 "$STATE/logs/admin.log" >&2
    die "gitea admin user create failed"
  }
fi
# One token per state dir, kept across restarts (like the lab's PKI), so that
# a portal started with an earlier env-gitea keeps working.
if [[ ! -s $STATE/run/token ]]; then
  (umask 077 && gitea admin user generate-access-token --username "$ADMIN" \
    --token-name "lab-$(date +%s)" --scopes all --raw >"$STATE/run/token" 2>"$STATE/logs/token.log") || {
    tail -n 20 "$STATE/logs/token.log" >&2
    die "gitea admin user generate-access-token failed"
  }
fi
TOKEN=$(<"$STATE/run/token")

# Phase 2: the server, in its own session, detached from this script.
log "gitea: starting on $URL"
(
  cd "$STATE"
  exec setsid env -u GITEA_CUSTOM HOME="$STATE" GITEA_WORK_DIR="$STATE" \
    "$GITEA" web --config "$INI" --pid "$STATE/run/gitea.pid" \
    >>"$STATE/logs/web.out" 2>&1 </dev/null 9>&-
) &
deadline=$((SECONDS + TIMEOUT))
until api_ok; do
  if ((SECONDS >= deadline)); then
    tail -n 30 "$STATE/logs/web.out" "$STATE/logs/gitea.log" 2>/dev/null >&2 || true
    gitea_down
    die "gitea did not answer on $URL/api/healthz within ${TIMEOUT}s"
  fi
  sleep 0.3
done
lab_running gitea "$STATE" || die "gitea answers on $URL but is not the one started here ($STATE/run/gitea.pid)"

# api METHOD PATH [JSON]: the REST API as the admin. Sets API_STATUS and
# API_BODY (not printed: callers must see the status, which a command
# substitution's subshell would lose).
api() {
  local out
  out=$(curl -s --max-time 30 -w '\n%{http_code}' -X "$1" \
    -H "Authorization: token $TOKEN" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "$URL/api/v1$2") || die "gitea: $1 $2 failed (curl $?)"
  API_STATUS=${out##*$'\n'}
  API_BODY=${out%$'\n'*}
}

# Phase 3: the cluster repository, with an initial commit on main (auto_init
# writes a README), owned by an organisation like a real platform team's.
api GET "/orgs/$ORG"
if [[ $API_STATUS == 404 ]]; then
  api POST /orgs "{\"username\":\"$ORG\",\"visibility\":\"public\"}"
  [[ $API_STATUS == 201 ]] || die "gitea: creating organisation $ORG answered $API_STATUS: $API_BODY"
fi
api GET "/repos/$ORG/$REPO"
if [[ $API_STATUS == 404 ]]; then
  api POST "/orgs/$ORG/repos" "{\"name\":\"$REPO\",\"auto_init\":true,\"readme\":\"Default\",\"default_branch\":\"main\",\"description\":\"The cluster repository: Flux reconciles its main branch\"}"
  [[ $API_STATUS == 201 ]] || die "gitea: creating $ORG/$REPO answered $API_STATUS: $API_BODY"
fi
api GET "/repos/$ORG/$REPO/branches/main"
[[ $API_STATUS == 200 ]] || die "gitea: $ORG/$REPO has no main branch ($API_STATUS)"

{
  printf 'GITEA_URL=%s\n' "$URL"
  printf 'GITEA_HOST=%s\n' "127.0.0.1:$PORT"
  printf 'GITEA_USERNAME=%s\n' "$ADMIN"
  printf 'GITEA_TOKEN=%s\n' "$TOKEN"
  printf 'GITEA_OWNER=%s\n' "$ORG"
  printf 'GITEA_REPO=%s\n' "$REPO"
  printf 'GITEA_REPO_URL=%s\n' "$URL/$ORG/$REPO"
} >"$STATE/env-gitea.tmp"
chmod 600 "$STATE/env-gitea.tmp"
mv -f "$STATE/env-gitea.tmp" "$STATE/env-gitea"
log "gitea: up at $URL ($ORG/$REPO), state $STATE"
cat "$STATE/env-gitea"
