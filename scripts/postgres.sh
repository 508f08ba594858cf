#!/usr/bin/env bash
# A throwaway PostgreSQL server (Debian's) for tests, on 127.0.0.1.
#
#   scripts/postgres.sh up STATE_DIR     prints KEY=value lines: the URL and major version
#   scripts/postgres.sh down STATE_DIR
#
# PostgreSQL refuses to run as root, so the cluster belongs to the `postgres`
# user that Debian's package creates.
set -euo pipefail
command=${1:?up or down}
state=${2:?state directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x $bin/pg_ctl ]] || { echo "postgres.sh: Debian's postgresql package is not installed" >&2; exit 1; }
major=$(basename "$(dirname "$bin")")

pg() { runuser -u postgres -- "$@"; }

case $command in
up)
  mkdir -p "$state"
  chown postgres: "$state"
  if [[ -f $state/url ]] && pg "$bin/pg_ctl" -D "$state/data" status >/dev/null 2>&1; then
    cat "$state/url"
    exit 0
  fi
  [[ -d $state/data ]] || pg "$bin/initdb" -D "$state/data" -A trust -U postgres >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  pg "$bin/pg_ctl" -D "$state/data" -l "$state/postgres.log" -w -t 60 \
    -o "-p $port -k $state -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  printf 'POSTGRES_URL=postgresql://postgres@127.0.0.1:%s\nPOSTGRES_MAJOR=%s\n' "$port" "$major" | tee "$state/url"
  ;;
down)
  if [[ -d $state/data ]]; then
    pg "$bin/pg_ctl" -D "$state/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$state"
  ;;
*)
  echo "usage: $0 up|down STATE_DIR" >&2
  exit 2
  ;;
esac
