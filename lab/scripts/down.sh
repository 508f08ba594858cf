#!/usr/bin/env bash
# Stops the lab started by up.sh for STATE_DIR (by pid: SIGTERM, then SIGKILL).
#
#   lab/scripts/down.sh [--purge] [STATE_DIR]      (default: lab/_state)
#
# Without --purge the state (PKI, etcd data, kubeconfigs, logs) is kept, so the
# next up.sh is a restart with the same CA and objects. --purge removes it.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

purge=0
args=()
for a in "$@"; do
  case $a in
  --purge) purge=1 ;;
  -h | --help)
    sed -n '2,7p' "${BASH_SOURCE[0]}"
    exit 0
    ;;
  -*) die "unknown option: $a" ;;
  *) args+=("$a") ;;
  esac
done
((${#args[@]} <= 1)) || die "usage: down.sh [--purge] [STATE_DIR]"
STATE=${args[0]:-$LAB_DIR/_state}
if [[ ! -d $STATE ]]; then
  log "nothing to do: $STATE does not exist"
  exit 0
fi
STATE=$(cd "$STATE" && pwd)
# Refuse to touch (let alone delete) a directory up.sh did not make.
[[ -f $STATE/.openebs-lab-state ]] || die "$STATE is not a lab state dir (no .openebs-lab-state)"

mkdir -p "$STATE/run"
exec 9>"$STATE/run/lock"
flock -w 300 9 || die "another up.sh/down.sh holds $STATE/run/lock for 5 minutes"

lab_stop_all "$STATE"
# The env file describes a running lab; without one, consumers see it is down.
rm -f "$STATE/env" "$STATE/env.json"

if ((purge)); then
  exec 9>&-
  rm -rf -- "$STATE"
  log "down; removed $STATE"
else
  log "down; state kept in $STATE (--purge removes it)"
fi
