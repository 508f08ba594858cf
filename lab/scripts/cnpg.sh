#!/usr/bin/env bash
# CloudNativePG on the full lab: the operator and its Barman Cloud plugin
# from the pinned charts, with images built here (lab/scripts/images.sh:
# cnpg-operator, cnpg-postgresql, barman-cloud-plugin, barman-cloud-sidecar),
# and a bucket for the archive. lab/README.md, "CloudNativePG and the Barman
# Cloud plugin".
#
#   lab/scripts/cnpg.sh up|down [STATE_DIR]     (default: lab/_state-node)
#
# `up` (after full-up.sh and platform-up.sh; idempotent):
# 1. pushes the four images (seconds when they are up to date);
# 2. the operator (chart cloudnative-pg, namespace cnpg-system): its webhook
#    certificates are its own, as upstream installs it;
# 3. the plugin (chart plugin-barman-cloud, same namespace). The chart asks
#    cert-manager for two self-signed certificates (the operator's client
#    and the plugin's server); the lab has no cert-manager, so this script
#    makes the same two secrets with openssl: a self-signed certificate
#    each, with ca.crt equal to tls.crt, as cert-manager's selfSigned issuer
#    writes them; made once, kept while valid. Waits until both Deployments
#    are available;
# 4. makes the archive's bucket LAB_CNPG_BUCKET (default cnpg-archive) on
#    the lab's S3.
# Writes STATE_DIR/env-cnpg and prints it: LAB_CNPG_IMAGE, the instance
# image for a Cluster's imageName (tag and digest: the operator reads the
# major version from the tag and refuses a digest alone), and
# LAB_CNPG_BUCKET. `down` uninstalls both (their Clusters gone first; the
# CRDs stay).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cmd=${1:-}
[[ $cmd == up || $cmd == down ]] || die "usage: cnpg.sh up|down [STATE_DIR]"
STATE=${2:-$LAB_DIR/_state-node}
STATE=$(cd "$STATE" && pwd)
NS=cnpg-system
WORK=$STATE/cnpg
ENV_FILE=$STATE/env-cnpg
mkdir -p "$WORK" "$STATE/run"
exec 9>"$STATE/run/cnpg.lock"
flock -w 600 9 || die "another cnpg.sh holds $STATE/run/cnpg.lock"

[[ -f $STATE/env-node ]] || die "the full lab is not up for $STATE: run lab/scripts/full-up.sh and platform-up.sh first"
set -a
. "$STATE/env"
. "$STATE/env-node"
. "$STATE/env-s3"
set +a
BUCKET=${LAB_CNPG_BUCKET:-cnpg-archive}
kubectl() { "$LAB_KUBECTL" --kubeconfig "$STATE/kubeconfig" "$@"; }
CHARTS=$(charts_dir)
"$LAB_DIR/tools/build-tools.sh" helm >/dev/null
helm() { "$LAB_BIN/helm" "$@"; }

# render RELEASE CHART_FILE [HELM_ARGS...]: the chart's manifests.
render() {
  local release=$1 chart=$2
  shift 2
  helm template "$release" "$CHARTS/$chart" --namespace "$NS" "$@"
}
# The plugin's values: no cert-manager objects (step 3 below), short names.
PLUGIN_VALUES=(
  --set certificate.createClientCertificate=false --set certificate.createServerCertificate=false
  --set certificate.createIssuer=false --set fullnameOverride=barman-cloud
)

if [[ $cmd == down ]]; then
  # Both charts template their CRDs (crds.create); they stay: deleting them
  # would leave Velero listing resources its discovery still has, and every
  # backup partially failed until its next discovery refresh.
  render barman-cloud plugin-barman-cloud-0.7.0.tgz --set crds.create=false "${PLUGIN_VALUES[@]}" |
    kubectl delete --ignore-not-found -f - >/dev/null
  render cnpg cloudnative-pg-0.29.0.tgz --set crds.create=false |
    kubectl delete --ignore-not-found -f - >/dev/null
  kubectl delete secret -n "$NS" --ignore-not-found barman-cloud-client-tls barman-cloud-server-tls >/dev/null
  rm -f "$ENV_FILE"
  exit 0
fi

t0=$(now_ms)
# 1. images
"$LAB_DIR/scripts/images.sh" "$STATE" cnpg-operator cnpg-postgresql barman-cloud-plugin barman-cloud-sidecar >"$WORK/images.out"
instance=$(grep '^openebs-lab/cnpg-postgresql:15=' "$WORK/images.out") ||
  die "images.sh did not print the instance image"

# 2. operator
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null
render cnpg cloudnative-pg-0.29.0.tgz | kubectl apply --server-side --force-conflicts --field-manager=lab-cnpg -f - >/dev/null
kubectl -n "$NS" rollout status deployment/cnpg-cloudnative-pg --timeout=300s >&2

# 3. plugin certificates, then the plugin
# tls_secret NAME CN USAGE [SAN]: a self-signed certificate in secret NAME,
# made again when it expires within 30 days.
tls_secret() {
  local name=$1 cn=$2 usage=$3 san=${4:-} d=$WORK/$1
  mkdir -p "$d"
  if [[ ! -s $d/tls.crt ]] || ! openssl x509 -checkend $((30 * 86400)) -noout -in "$d/tls.crt" >/dev/null; then
    local ext=(-addext "extendedKeyUsage=$usage" -addext "keyUsage=digitalSignature,keyEncipherment")
    [[ -n $san ]] && ext+=(-addext "subjectAltName=DNS:$san")
    (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 90 \
      -subj "/CN=$cn" "${ext[@]}" -keyout "$d/tls.key" -out "$d/tls.crt" 2>/dev/null) ||
      die "openssl could not make the $name certificate"
  fi
  kubectl -n "$NS" create secret generic "$name" --type=kubernetes.io/tls \
    --from-file=tls.crt="$d/tls.crt" --from-file=tls.key="$d/tls.key" --from-file=ca.crt="$d/tls.crt" \
    --dry-run=client -o yaml | kubectl apply --server-side --force-conflicts --field-manager=lab-cnpg -f - >/dev/null
}
tls_secret barman-cloud-server-tls barman-cloud serverAuth barman-cloud
tls_secret barman-cloud-client-tls barman-cloud-client clientAuth
render barman-cloud plugin-barman-cloud-0.7.0.tgz "${PLUGIN_VALUES[@]}" |
  kubectl apply --server-side --force-conflicts --field-manager=lab-cnpg -f - >/dev/null
kubectl -n "$NS" rollout status deployment/barman-cloud --timeout=300s >&2

# 4. the archive's bucket, beside Velero's (a bucket of its own: Velero
# expects only its own prefixes at the top of its bucket)
s3_create_bucket "$LAB_S3_ENDPOINT" "$LAB_S3_CA_FILE" "$LAB_S3_REGION" "$LAB_S3_ACCESS_KEY:$LAB_S3_SECRET_KEY" \
  "$BUCKET" "$WORK/create-bucket.out"

# 5. done
printf "LAB_CNPG_IMAGE='docker.io/openebs-lab/cnpg-postgresql:15@%s'\nLAB_CNPG_BUCKET='%s'\n" \
  "${instance##*@}" "$BUCKET" >"$ENV_FILE"
log "CloudNativePG and the Barman Cloud plugin are up in $(fmt_secs $(($(now_ms) - t0)))s"
cat "$ENV_FILE"
