#!/bin/sh
# The lab's PostgreSQL image's entrypoint (ours; the image is Debian's
# postgresql-15, see lab/scripts/images.sh): makes a cluster in $PGDATA on
# the first start, then runs the server in the foreground. Kubernetes stops
# a container with SIGTERM, which is PostgreSQL's "smart" shutdown (it waits
# for every client to leave); it is passed on as SIGINT, the "fast" shutdown
# that upstream's image asks for with STOPSIGNAL, so that a stopped pod
# leaves a cleanly shut down data directory behind.
set -eu
: "${PGDATA:?PGDATA must name the data directory}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb --auth=trust --encoding=UTF8 --locale=C.UTF-8 "$PGDATA" >/dev/null
  # The lab's databases hold generated rows only: trust over the network
  # too, so that a test or a replica needs no password.
  echo "host all all all trust" >>"$PGDATA/pg_hba.conf"
fi
# The socket goes to /tmp (the image sets PGHOST=/tmp for psql): Debian's
# /run/postgresql is made by systemd-tmpfiles, which no container runs.
postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp -c jit=off "$@" &
server=$!
trap 'kill -INT "$server"' TERM INT
# A signal ends `wait` early; the loop waits again until the server has
# finished its shutdown, and exits with its status.
status=0
while kill -0 "$server" 2>/dev/null; do
  status=0
  wait "$server" || status=$?
done
exit "$status"
