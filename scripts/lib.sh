# Source this file from scripts/*.sh: the phase headers and timing they share,
# and stopping the process groups of the servers they start.
# `phase TEXT` prints "==> [ELAPSED s] TEXT" (to stderr when PHASE_TO_STDERR=1,
# for scripts whose stdout is data), counted from when this file was sourced.

PHASE_STARTED=$(date +%s)

phase() {
  local line
  line=$(printf '\n==> [%4ss] %s' "$(($(date +%s) - PHASE_STARTED))" "$*")
  if [[ ${PHASE_TO_STDERR:-} == 1 ]]; then
    printf '%s\n' "$line" >&2
  else
    printf '%s\n' "$line"
  fi
}

# Milliseconds since the epoch, and a millisecond count as seconds (12.3).
now_ms() { date +%s%3N; }
secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# pgid_alive PGID: whether any process of that group is still running.
pgid_alive() { kill -0 -- "-$1" 2>/dev/null; }

# stop_group NAME PGID: SIGTERM the whole group (yarn, backstage-cli and the
# node processes under them, for a server started with setsid), up to 15 s
# for a clean exit, then SIGKILL.
stop_group() {
  local name=$1 pgid=$2 i
  pgid_alive "$pgid" || return 0
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    pgid_alive "$pgid" || break
    sleep 0.1
  done
  if pgid_alive "$pgid"; then
    echo "${0##*/}: $name (process group $pgid) ignored SIGTERM for 15s; sending SIGKILL" >&2
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
  echo "${0##*/}: stopped $name (process group $pgid)" >&2
}
