#!/usr/bin/env bash
# An S3 server for the lab's Velero: versitygw (Versity S3 Gateway, built from
# its Go module by lab/images/build.sh) with its posix backend, as a host
# process serving HTTPS with a certificate from the lab CA.
#
#   lab/scripts/s3.sh up [STATE_DIR]       (default: lab/_state)
#   lab/scripts/s3.sh down [STATE_DIR]
#
# Needs the lab CA: STATE_DIR/pki/ca.crt and ca.key, made by lab/scripts/up.sh
# (run it once for STATE_DIR; the CA is kept by down.sh). up is idempotent
# (prints the env file when already running); it writes STATE_DIR/env-s3 (see
# lab/README.md, "S3") and prints it on stdout. Kept in STATE_DIR/s3 across
# runs: the root access key and secret (made once), the serving certificate
# (made again when the address or DNS name changes), the port, and the data
# (data/<bucket>/<key>; object metadata in xattrs).
#
# Env: LAB_S3_ADDRESS (listen IP, default 127.0.0.1; use an address pods can
# reach, e.g. the node's bridge IP), LAB_S3_PORT (fixed port), LAB_S3_DNS_NAME
# (extra SAN, default s3.lab.internal), LAB_S3_BUCKET (default
# openebs-backups), LAB_START_TIMEOUT (s, default 60), LAB_SKIP_BUILD=1.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd=${1:-}
[[ $cmd == up || $cmd == down ]] || die "usage: s3.sh up|down [STATE_DIR]"
STATE=${2:-$LAB_DIR/_state}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
S3=$STATE/s3
mkdir -p "$STATE/run" "$STATE/logs" "$S3/data"
touch "$STATE/.openebs-lab-state"
ENV_FILE=$STATE/env-s3
ADDRESS=${LAB_S3_ADDRESS:-127.0.0.1}
DNS_NAME=${LAB_S3_DNS_NAME:-s3.lab.internal}
BUCKET=${LAB_S3_BUCKET:-openebs-backups}
REGION=us-east-1 # versitygw's default region; Velero's BSL config says the same
TIMEOUT=${LAB_START_TIMEOUT:-60}

exec 9>"$STATE/run/s3.lock"
flock -w 120 9 || die "another s3.sh holds $STATE/run/s3.lock"

if [[ $cmd == down ]]; then
  lab_stop versitygw "$STATE"
  rm -f "$ENV_FILE"
  log "s3 down (data kept in $S3/data)"
  exit 0
fi

url_host=$ADDRESS
[[ $ADDRESS == *:* ]] && url_host="[$ADDRESS]"

if lab_running versitygw "$STATE" && [[ -f $ENV_FILE ]]; then
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  if [[ $LAB_S3_ADDRESS == "$ADDRESS" && $LAB_S3_DNS_NAME == "$DNS_NAME" && $LAB_S3_BUCKET == "$BUCKET" ]] &&
    curl -sf -o /dev/null --max-time 5 --cacert "$LAB_S3_CA_FILE" "$LAB_S3_ENDPOINT/health"; then
    log "s3 already running at $LAB_S3_ENDPOINT (state $STATE)"
    cat "$ENV_FILE"
    exit 0
  fi
fi
lab_stop versitygw "$STATE"
rm -f "$ENV_FILE"

if [[ ${LAB_SKIP_BUILD:-} != 1 ]]; then
  "$LAB_DIR/images/build.sh" versitygw 2>&1 >/dev/null | sed 's/^/  /' >&2
fi
[[ -x $LAB_BIN/versitygw ]] || die "$LAB_BIN/versitygw missing: run lab/images/build.sh versitygw"

PKI=$STATE/pki
[[ -f $PKI/ca.crt && -f $PKI/ca.key ]] || die "no lab CA in $PKI: run lab/scripts/up.sh $STATE once (down.sh keeps the CA)"

# Root credentials, made once. The access key looks like AWS's (20 upper-case
# letters/digits), the secret is 40 characters.
if [[ ! -f $S3/credentials ]]; then
  (
    umask 077
    ak=LAB$(openssl rand -hex 9 | tr a-f A-F | cut -c1-17)
    sk=$(openssl rand -hex 20)
    printf 'ROOT_ACCESS_KEY=%s\nROOT_SECRET_KEY=%s\n' "$ak" "$sk" >"$S3/credentials.tmp"
    mv "$S3/credentials.tmp" "$S3/credentials"
  )
fi
ACCESS_KEY=$(sed -n 's/^ROOT_ACCESS_KEY=//p' "$S3/credentials")
SECRET_KEY=$(sed -n 's/^ROOT_SECRET_KEY=//p' "$S3/credentials")
# The same, as the AWS shared credentials file Velero's aws plugin reads
# (the chart's credentials.secretContents.cloud).
(
  umask 077
  printf '[default]\naws_access_key_id=%s\naws_secret_access_key=%s\n' "$ACCESS_KEY" "$SECRET_KEY" >"$S3/velero-credentials"
)

# Serving certificate from the lab CA; SANs: the address, the DNS name,
# localhost/127.0.0.1. Made again when they (or the CA) change.
sans="DNS:$DNS_NAME,DNS:localhost,IP:127.0.0.1"
[[ $ADDRESS == 127.0.0.1 ]] || sans+=",IP:$ADDRESS"
want="$sans $(sha256sum <"$PKI/ca.crt")"
if [[ ! -f $S3/tls.crt || $(cat "$S3/tls.sans" 2>/dev/null) != "$want" ]]; then
  (
    umask 077
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$S3/tls.key" 2>/dev/null
    openssl req -new -key "$S3/tls.key" -subj "/CN=$DNS_NAME" -out "$S3/tls.csr" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" \
      "subjectAltName=$sans" >"$S3/tls.ext"
    openssl x509 -req -in "$S3/tls.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
      -days 3650 -sha256 -extfile "$S3/tls.ext" -out "$S3/tls.crt" 2>/dev/null
    rm -f "$S3/tls.csr" "$S3/tls.ext"
  )
  printf '%s\n' "$want" >"$S3/tls.sans"
  log "s3: serving certificate for $sans"
fi

want=${LAB_S3_PORT:-$(cat "$S3/port" 2>/dev/null || echo 0)}
port=$(lab_free_port "$ADDRESS" "$want")
[[ -z ${LAB_S3_PORT:-} || $port == "$LAB_S3_PORT" ]] || die "LAB_S3_PORT=$LAB_S3_PORT is in use on $ADDRESS"
printf '%s\n' "$port" >"$S3/port"
endpoint=https://$url_host:$port

t0=$(now_ms)
# Credentials through the environment, not the command line (ps shows that).
# --health: an unauthenticated GET for readiness checks.
(
  export ROOT_ACCESS_KEY=$ACCESS_KEY ROOT_SECRET_KEY=$SECRET_KEY
  lab_daemon versitygw "$STATE" "$LAB_BIN/versitygw" --port "$url_host:$port" \
    --cert "$S3/tls.crt" --key "$S3/tls.key" --health /health \
    posix "$S3/data"
)
lab_wait_ready versitygw "$STATE" "$TIMEOUT" "$endpoint/health" \
  curl -sf -o /dev/null --max-time 2 --cacert "$PKI/ca.crt" "$endpoint/health" || {
  lab_stop versitygw "$STATE"
  die "versitygw did not answer $endpoint/health"
}
pid=$(lab_pid versitygw "$STATE")
log "s3 ready at $endpoint in $(fmt_secs $(($(now_ms) - t0)))s (pid $pid)"

s3_create_bucket "$endpoint" "$PKI/ca.crt" "$REGION" "$ACCESS_KEY:$SECRET_KEY" "$BUCKET" "$S3/create-bucket.out"

cat >"$ENV_FILE.tmp" <<ENV
LAB_S3_ENDPOINT='$endpoint'
LAB_S3_ENDPOINT_DNS='https://$DNS_NAME:$port'
LAB_S3_ADDRESS='$ADDRESS'
LAB_S3_PORT='$port'
LAB_S3_DNS_NAME='$DNS_NAME'
LAB_S3_REGION='$REGION'
LAB_S3_BUCKET='$BUCKET'
LAB_S3_ACCESS_KEY='$ACCESS_KEY'
LAB_S3_SECRET_KEY='$SECRET_KEY'
LAB_S3_CREDENTIALS_FILE='$S3/velero-credentials'
LAB_S3_CA_FILE='$PKI/ca.crt'
LAB_S3_CA_DATA='$(base64 -w0 <"$PKI/ca.crt")'
LAB_S3_DATA='$S3/data'
LAB_S3_PID='$pid'
ENV
chmod 600 "$ENV_FILE.tmp"
mv -f "$ENV_FILE.tmp" "$ENV_FILE"
cat "$ENV_FILE"
