# Source this file from scripts/*.sh: the phase headers and timing they share.
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
