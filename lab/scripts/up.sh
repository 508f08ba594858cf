#!/usr/bin/env bash
# Starts a real etcd + kube-apiserver on 127.0.0.1 with TLS, installs the
# Velero and VolumeSnapshot CRDs, and mints a ServiceAccount token for
# Backstage.
#
#   lab/scripts/up.sh [STATE_DIR]          (default: lab/_state)
#
# Progress goes to stderr; on success the env file (see lab/README.md) is
# printed on stdout, so `eval "$(lab/scripts/up.sh)"` works too.
# Running it again while the lab is up only prints the env file.
#
# Env overrides: LAB_API_PORT, LAB_ETCD_PORT, LAB_ETCD_PEER_PORT (default: the
# ports of the previous start if still free, else free ones),
# LAB_START_TIMEOUT (seconds, default 120), LAB_SKIP_BUILD=1,
# LAB_DISABLE_ADMISSION (see below), LAB_KEEP_ON_FAILURE=1 (leave processes
# running when a later phase fails, for debugging).
#
# LAB_NODE_IP=IP (opt-in, set by lab/scripts/full-up.sh): the full lab with a
# node. Pods reach the apiserver through the 'kubernetes' Service, so it also
# serves on IP (listening on all addresses; full-up.sh firewalls the port to
# lo and the pod bridge), advertises IP as that Service's endpoint, has IP in
# its certificate and a client certificate for kubelets (exec, logs), and
# keeps the default admission plugins (controllers run). Unset: unchanged.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE=${1:-$LAB_DIR/_state}
mkdir -p "$STATE"
STATE=$(cd "$STATE" && pwd)
PKI=$STATE/pki
LOGS=$STATE/logs
TIMEOUT=${LAB_START_TIMEOUT:-120}
FIELD_MANAGER=openebs-lab
mkdir -p "$PKI" "$LOGS" "$STATE/run"
touch "$STATE/.openebs-lab-state" # marks the dir as ours for down.sh --purge

# One up/down at a time per state dir (parallel jest workers may race here).
exec 9>"$STATE/run/lock"
flock -w 300 9 || die "another up.sh/down.sh holds $STATE/run/lock for 5 minutes"

# Phase 0: already running? Then there is nothing to do.
if lab_running etcd "$STATE" && lab_running kube-apiserver "$STATE" && [[ -f $STATE/env ]]; then
  # shellcheck disable=SC1091
  . "$STATE/env"
  if curl -sf -o /dev/null --max-time 5 --cacert "$LAB_CA_FILE" \
    -H "Authorization: Bearer $LAB_ADMIN_TOKEN" "$LAB_API_URL/readyz"; then
    log "already running at $LAB_API_URL (state $STATE)"
    cat "$STATE/env"
    exit 0
  fi
fi
# Half-up (one process died, or not ready): stop what is left and start over.
lab_stop_all "$STATE"
rm -f "$STATE/env" "$STATE/env.json"

# Phase 1: binaries and CRDs (a no-op when the cache is up to date).
if [[ ${LAB_SKIP_BUILD:-} != 1 ]]; then
  "$LAB_DIR/scripts/build.sh" etcd kube-apiserver crds 2>&1 | sed 's/^/  /' >&2
fi
for b in etcd kube-apiserver; do
  [[ -x $LAB_BIN/$b ]] || die "$LAB_BIN/$b missing: run lab/scripts/build.sh"
done
log "phase build: done"

# Phase 2: PKI and credentials, made once per state dir and kept across
# restarts so that kubeconfigs and tokens stay valid.
# EC P-256 keys: instant to generate, accepted by Go, Node.js and curl.
new_ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
# sign_cert NAME CN EXTENSIONS: NAME.key/NAME.crt signed by the lab CA.
sign_cert() {
  local name=$1 cn=$2 ext=$3
  new_ec_key "$PKI/$name.key"
  openssl req -new -key "$PKI/$name.key" -subj "/CN=$cn" -out "$PKI/$name.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid" "$ext" >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}
if [[ ! -f $PKI/done ]]; then
  umask 077
  new_ec_key "$PKI/ca.key"
  openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=openebs-lab-ca" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$PKI/ca.crt" 2>/dev/null
  local_sans="DNS:localhost,IP:127.0.0.1,IP:::1"
  sign_cert etcd-server etcd "extendedKeyUsage=serverAuth
subjectAltName=$local_sans"
  sign_cert apiserver-etcd-client kube-apiserver-etcd-client "extendedKeyUsage=clientAuth"
  sign_cert apiserver kube-apiserver "extendedKeyUsage=serverAuth
subjectAltName=$local_sans,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.0.0.1"
  # ServiceAccount token signing key (RS256, the usual choice).
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/sa.key" 2>/dev/null
  openssl pkey -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"
  # Static admin token (group system:masters) for setup and for tests that
  # need to create fixtures; Backstage itself gets a ServiceAccount token.
  printf '%s,lab-admin,lab-admin,"system:masters"\n' "$(openssl rand -hex 32)" >"$PKI/tokens.csv"
  chmod 644 "$PKI/ca.crt"
  umask 022
  touch "$PKI/done"
  log "phase pki: created CA, certificates and keys in $PKI"
else
  log "phase pki: reusing $PKI"
fi
if [[ -n ${LAB_NODE_IP:-} ]]; then
  # Full lab: the node IP in the serving certificate (re-signed when a state
  # dir made without it, or for another IP, is reused), and the apiserver's
  # client certificate for kubelets (system:masters: kubelet's webhook
  # authorizer then allows exec/logs/port-forward).
  if ! openssl x509 -in "$PKI/apiserver.crt" -noout -ext subjectAltName 2>/dev/null |
    grep -Eq "IP Address:${LAB_NODE_IP//./\\.}(,|\$)"; then
    (umask 077 && sign_cert apiserver kube-apiserver "extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1,IP:$LAB_NODE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.0.0.1")
    log "phase pki: apiserver certificate signed for node IP $LAB_NODE_IP"
  fi
  [[ -f $PKI/apiserver-kubelet-client.crt ]] ||
    (umask 077 && sign_cert apiserver-kubelet-client "kube-apiserver-kubelet-client/O=system:masters" "extendedKeyUsage=clientAuth")
  # Front proxy (request-header authentication), as kubeadm sets it up:
  # without it the controller-manager and scheduler log an error every few
  # seconds, and aggregated APIs (metrics-server) cannot authenticate users.
  # The lab CA signs it; only the CN front-proxy-client is accepted.
  [[ -f $PKI/front-proxy-client.crt ]] ||
    (umask 077 && sign_cert front-proxy-client front-proxy-client "extendedKeyUsage=clientAuth")
fi
ADMIN_TOKEN=$(cut -d, -f1 "$PKI/tokens.csv")
# curl reads the header from a file so the token never shows up in `ps`.
ADMIN_HEADER=$PKI/admin.header
printf 'Authorization: Bearer %s\n' "$ADMIN_TOKEN" >"$ADMIN_HEADER"
chmod 600 "$ADMIN_HEADER"

# Phase 3: ports. Reuse the previous ones when free, so URLs in a dev
# portal's config survive a restart; otherwise take free ones.
declare -A PORT=()
if [[ -f $STATE/ports ]]; then
  while read -r k v; do PORT[$k]=$v; done <"$STATE/ports"
fi
[[ -n ${LAB_ETCD_PORT:-} ]] && PORT[etcd]=$LAB_ETCD_PORT
[[ -n ${LAB_ETCD_PEER_PORT:-} ]] && PORT[etcd-peer]=$LAB_ETCD_PEER_PORT
[[ -n ${LAB_API_PORT:-} ]] && PORT[api]=$LAB_API_PORT
read -r 'PORT[etcd]' 'PORT[etcd-peer]' 'PORT[api]' < <(python3 - "${PORT[etcd]:-0}" "${PORT[etcd-peer]:-0}" "${PORT[api]:-0}" <<'EOF'
# Keep each wanted port that can be bound on 127.0.0.1, else let the kernel
# pick a free one; all sockets stay open until the end so picks are distinct.
import socket, sys
socks, out = [], []
for want in map(int, sys.argv[1:]):
    s = socket.socket()
    # As Go's listeners do: a port whose old connections linger in
    # TIME_WAIT (right after a restart) can still be listened on.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        if want == 0 or want in out:
            raise OSError
        s.bind(("127.0.0.1", want))
    except OSError:
        s.close()
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
    socks.append(s)
    out.append(s.getsockname()[1])
print(*out)
EOF
)
# An explicitly requested port that is taken is an error, not a silent move.
[[ -z ${LAB_ETCD_PORT:-} || ${PORT[etcd]} == "$LAB_ETCD_PORT" ]] || die "LAB_ETCD_PORT=$LAB_ETCD_PORT is in use"
[[ -z ${LAB_ETCD_PEER_PORT:-} || ${PORT[etcd-peer]} == "$LAB_ETCD_PEER_PORT" ]] || die "LAB_ETCD_PEER_PORT=$LAB_ETCD_PEER_PORT is in use"
[[ -z ${LAB_API_PORT:-} || ${PORT[api]} == "$LAB_API_PORT" ]] || die "LAB_API_PORT=$LAB_API_PORT is in use"
printf 'etcd %s\netcd-peer %s\napi %s\n' "${PORT[etcd]}" "${PORT[etcd-peer]}" "${PORT[api]}" >"$STATE/ports"
API_URL=https://127.0.0.1:${PORT[api]}
ETCD_URL=https://127.0.0.1:${PORT[etcd]}
log "phase ports: etcd ${PORT[etcd]} (peer ${PORT[etcd-peer]}), kube-apiserver ${PORT[api]}"

# From here on a failure stops the processes this run started.
started=()
on_exit() {
  local rc=$?
  if ((rc != 0)) && ((${#started[@]})) && [[ ${LAB_KEEP_ON_FAILURE:-} != 1 ]]; then
    log "failed; stopping ${started[*]} (LAB_KEEP_ON_FAILURE=1 keeps them)"
    lab_stop_all "$STATE"
  fi
}
trap on_exit EXIT

# start NAME ARGS...: the cache's binary NAME as a lab daemon (lib.sh:
# detached in its own session, its log and pid in the state dir).
start() {
  lab_daemon "$1" "$STATE" "$LAB_BIN/$1" "${@:2}"
  started+=("$1")
}

# wait_for NAME WHAT CMD...: CMD succeeds, or the lab stops here (lib.sh).
wait_for() { lab_wait_ready "$1" "$STATE" "$TIMEOUT" "$2" "${@:3}" || exit 1; }

# Phase 4: etcd. TLS with client certificates, so only the apiserver (holding
# a cert from the lab CA) can talk to it. --unsafe-no-fsync: the data is
# throwaway and fsync latency on a busy CI disk slows every API write.
start etcd \
  --name lab --data-dir "$STATE/etcd" \
  --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
  --listen-peer-urls "http://127.0.0.1:${PORT[etcd-peer]}" \
  --initial-advertise-peer-urls "http://127.0.0.1:${PORT[etcd-peer]}" \
  --initial-cluster "lab=http://127.0.0.1:${PORT[etcd-peer]}" \
  --cert-file "$PKI/etcd-server.crt" --key-file "$PKI/etcd-server.key" \
  --trusted-ca-file "$PKI/ca.crt" --client-cert-auth \
  --unsafe-no-fsync --log-level warn
etcd_healthy() {
  curl -sf --max-time 2 --cacert "$PKI/ca.crt" --cert "$PKI/apiserver-etcd-client.crt" \
    --key "$PKI/apiserver-etcd-client.key" "$ETCD_URL/health" | grep -q '"health":"true"'
}
wait_for etcd "etcd /health" etcd_healthy
log "phase etcd: healthy at $ETCD_URL (pid $(cat "$STATE/run/etcd.pid"))"

# Phase 5: kube-apiserver.
# - No kube-controller-manager runs, so no 'default' ServiceAccount appears in
#   new namespaces; the ServiceAccount admission plugin would then reject
#   every Pod. StorageObjectInUseProtection adds finalizers that only the
#   controller-manager removes, so deleted PVCs/PVs would hang in Terminating.
#   Both are off by default here (override with LAB_DISABLE_ADMISSION).
# - Endpoint reconciliation is off: it would try to publish 127.0.0.1 as the
#   'kubernetes' Service endpoint, which validation rejects (as upstream's
#   own test server does).
# - Priority and fairness off: one client, and it saves startup work.
# - The issuer does not name the port, so tokens survive a port change.
# - LAB_NODE_IP (full lab): see the top of this file; the 'kubernetes'
#   Service's endpoint is then kept by the lease reconciler.
bind=127.0.0.1 advertise=127.0.0.1 reconciler=none
disabled_admission=${LAB_DISABLE_ADMISSION:-ServiceAccount,StorageObjectInUseProtection}
node_args=()
if [[ -n ${LAB_NODE_IP:-} ]]; then
  bind=0.0.0.0 advertise=$LAB_NODE_IP reconciler=lease
  disabled_admission=${LAB_DISABLE_ADMISSION:-}
  node_args=(--enable-admission-plugins NodeRestriction --kubelet-preferred-address-types InternalIP,Hostname
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt"
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key"
    --requestheader-client-ca-file "$PKI/ca.crt" --requestheader-allowed-names front-proxy-client
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group
    --requestheader-extra-headers-prefix X-Remote-Extra-
    --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key")
fi
start kube-apiserver \
  --bind-address "$bind" --secure-port "${PORT[api]}" --advertise-address "$advertise" \
  --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
  --client-ca-file "$PKI/ca.crt" \
  --etcd-servers "$ETCD_URL" --etcd-cafile "$PKI/ca.crt" \
  --etcd-certfile "$PKI/apiserver-etcd-client.crt" --etcd-keyfile "$PKI/apiserver-etcd-client.key" \
  --token-auth-file "$PKI/tokens.csv" \
  --authorization-mode Node,RBAC \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$PKI/sa.pub" \
  --service-account-signing-key-file "$PKI/sa.key" \
  --service-account-max-token-expiration 8760h \
  --service-cluster-ip-range 10.0.0.0/24 \
  --disable-admission-plugins "$disabled_admission" \
  --endpoint-reconciler-type "$reconciler" \
  "${node_args[@]}" \
  --enable-priority-and-fairness=false \
  --allow-privileged=true \
  --profiling=false \
  --v=1
api_ready() {
  curl -sf --max-time 2 --cacert "$PKI/ca.crt" -H @"$ADMIN_HEADER" "$API_URL/readyz"
}
wait_for kube-apiserver "/readyz" api_ready
log "phase kube-apiserver: ready at $API_URL (pid $(cat "$STATE/run/kube-apiserver.pid"))"

# kapi METHOD PATH [CONTENT_TYPE BODY_FILE]: one admin API call. Prints the
# HTTP status; the response body is left in $RESP.
RESP=$STATE/run/last-response.json
kapi() {
  local args=(-sS --max-time 30 -o "$RESP" -w '%{http_code}' --cacert "$PKI/ca.crt" -H @"$ADMIN_HEADER" -X "$1")
  [[ -n ${3:-} ]] && args+=(-H "Content-Type: $3" --data-binary "@$4")
  curl "${args[@]}" "$API_URL$2"
}
# json EXPR: evaluate a Python expression over the last response (as `r`).
json() { python3 -c "import json, sys; r = json.load(open(sys.argv[1])); print($1)" "$RESP"; }

# apply PATH BODY: server-side apply (create or update) of one object;
# BODY is JSON or YAML. Idempotent across restarts.
apply() {
  local body=$STATE/run/body code
  printf '%s\n' "$2" >"$body"
  code=$(kapi PATCH "$1?fieldManager=$FIELD_MANAGER&force=true" application/apply-patch+yaml "$body")
  [[ $code == 200 || $code == 201 ]] || die "apply $1: HTTP $code: $(cat "$RESP")"
}

# Phase 6: CRDs. Each manifest is POSTed as YAML (the apiserver decodes it);
# one that exists already is server-side applied instead, so a newer chart or
# module updates it. A restart with kept state whose CRD files are unchanged
# skips this: applying the big Velero CRDs again costs seconds.
CRD_API=/apis/apiextensions.k8s.io/v1/customresourcedefinitions
crd_files=("$LAB_CRDS"/snapshot/*.yaml "$LAB_CRDS"/velero/*.yaml)
crd_hash=$(cat "${crd_files[@]}" | sha256sum | cut -d' ' -f1)
crd_names=()
if [[ -f $STATE/crds.applied && $(head -n1 "$STATE/crds.applied") == "$crd_hash" ]]; then
  mapfile -t crd_names < <(tail -n +2 "$STATE/crds.applied")
  log "phase crds: unchanged since the last start, not re-applied"
else
  docs=$STATE/run/crd-docs
  rm -rf "$docs" && mkdir -p "$docs"
  python3 - "$docs" "${crd_files[@]}" <<'EOF'
# Split multi-document YAML files into one file per non-empty document.
import re, sys, pathlib
out, n = pathlib.Path(sys.argv[1]), 0
for f in sys.argv[2:]:
    for doc in re.split(r"(?m)^---[ \t]*$", pathlib.Path(f).read_text()):
        if any(l.strip() and not l.lstrip().startswith("#") for l in doc.splitlines()):
            n += 1
            (out / f"{n:03d}.yaml").write_text(doc)
EOF
  for doc in "$docs"/*.yaml; do
    code=$(kapi POST "$CRD_API?fieldManager=$FIELD_MANAGER" application/yaml "$doc")
    if [[ $code == 409 ]]; then
      name=$(json 'r["details"]["name"]')
      code=$(kapi PATCH "$CRD_API/$name?fieldManager=$FIELD_MANAGER&force=true" application/apply-patch+yaml "$doc")
    fi
    [[ $code == 200 || $code == 201 ]] || die "installing CRD from $doc: HTTP $code: $(cat "$RESP")"
    crd_names+=("$(json 'r["metadata"]["name"]')")
  done
  rm -rf "$docs"
  # Stays in step with etcd: both live in the state dir and go with --purge.
  printf '%s\n' "$crd_hash" "${crd_names[@]}" >"$STATE/crds.applied"
fi
crds_established() {
  [[ $(kapi GET "$CRD_API") == 200 ]] || return 1
  python3 - "$RESP" "${crd_names[@]}" <<'EOF'
import json, sys
items = {i["metadata"]["name"]: i for i in json.load(open(sys.argv[1]))["items"]}
def established(name):
    conds = items.get(name, {}).get("status", {}).get("conditions", [])
    return any(c["type"] == "Established" and c["status"] == "True" for c in conds)
sys.exit(0 if all(established(n) for n in sys.argv[2:]) else 1)
EOF
}
wait_for kube-apiserver "CRDs to be Established" crds_established
# The watch cache of a resource starts on its first request, and until it
# has synced (milliseconds) requests get 429 "storage is (re)initializing".
# client-go retries that; other clients (Node's) fail. So make the first
# request here, for every served version and for the built-in resources that
# the portal reads, and wait until each answers 200.
list_paths=$(python3 - "$RESP" "${crd_names[@]}" <<'EOF'
import json, sys
items = {i["metadata"]["name"]: i for i in json.load(open(sys.argv[1]))["items"]}
for name in sys.argv[2:]:
    spec = items[name]["spec"]
    for v in spec["versions"]:
        if v.get("served"):
            print(f"/apis/{spec['group']}/{v['name']}/{spec['names']['plural']}")
EOF
)
list_ok() { [[ $(kapi GET "$1?limit=1") == 200 ]]; }
for p in $list_paths /api/v1/pods /api/v1/persistentvolumeclaims /api/v1/persistentvolumes \
  /api/v1/namespaces /apis/storage.k8s.io/v1/storageclasses; do
  wait_for kube-apiserver "GET $p to answer 200" list_ok "$p"
done
log "phase crds: ${#crd_names[@]} CRDs established and served (velero.io, snapshot.storage.k8s.io)"

# Phase 7: namespaces and the Backstage ServiceAccount with read access to
# what the portal shows, plus create on the Velero objects it requests.
apply /api/v1/namespaces/velero '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"velero"}}'
apply /api/v1/namespaces/backstage-system '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"backstage-system"}}'
# The RBAC shipped for production (deploy/backstage-rbac.yaml), applied as is,
# so that tests run with exactly the permissions a real install grants.
rbac_docs=$STATE/run/rbac
rm -rf "$rbac_docs" && mkdir -p "$rbac_docs"
while IFS=$'\t' read -r path file; do
  apply "$path" "$(cat "$file")"
done < <(python3 - "$REPO_ROOT/deploy/backstage-rbac.yaml" "$rbac_docs" <<'EOF'
# One file per document, printed with the API path to apply it at.
import re, sys, pathlib
plural = {"ServiceAccount": "serviceaccounts", "ClusterRole": "clusterroles", "Role": "roles",
          "ClusterRoleBinding": "clusterrolebindings", "RoleBinding": "rolebindings",
          "ValidatingAdmissionPolicy": "validatingadmissionpolicies",
          "ValidatingAdmissionPolicyBinding": "validatingadmissionpolicybindings"}
out = pathlib.Path(sys.argv[2])
docs = [d for d in re.split(r"^---\s*$", open(sys.argv[1]).read(), flags=re.M) if re.search(r"^kind:", d, flags=re.M)]
for i, doc in enumerate(docs):
    field = lambda pattern: re.search(pattern, doc, flags=re.M)
    kind, api, name = field(r"^kind:\s*(\S+)").group(1), field(r"^apiVersion:\s*(\S+)").group(1), field(r"^  name:\s*(\S+)").group(1)
    ns = field(r"^  namespace:\s*(\S+)")
    base = f"/apis/{api}" if "/" in api else f"/api/{api}"
    if ns:
        base += f"/namespaces/{ns.group(1)}"
    (out / f"{i}.yaml").write_text(doc)
    print(f"{base}/{plural[kind]}/{name}\t{out / f'{i}.yaml'}")
EOF
)
# A fresh token on every start (old ones stay valid: the signing key is kept).
printf '%s' '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":31536000}}' >"$STATE/run/body"
code=$(kapi POST /api/v1/namespaces/backstage-system/serviceaccounts/backstage/token application/json "$STATE/run/body")
[[ $code == 201 ]] || die "TokenRequest: HTTP $code: $(cat "$RESP")"
BACKSTAGE_TOKEN=$(json 'r["status"]["token"]')
log "phase rbac: ServiceAccount backstage-system/backstage, token valid until $(json 'r["status"]["expirationTimestamp"]')"
rm -f "$RESP" "$STATE/run/body"

# Phase 8: the env file contract (lab/README.md) and kubeconfigs.
CA_DATA=$(base64 -w0 "$PKI/ca.crt")
kubeconfig() { # USER TOKEN
  cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: openebs-lab
  cluster:
    server: $API_URL
    certificate-authority-data: $CA_DATA
users:
- name: $1
  user:
    token: $2
contexts:
- name: openebs-lab
  context:
    cluster: openebs-lab
    user: $1
current-context: openebs-lab
EOF
}
(
  umask 077
  kubeconfig lab-admin "$ADMIN_TOKEN" >"$STATE/kubeconfig"
  kubeconfig backstage "$BACKSTAGE_TOKEN" >"$STATE/backstage.kubeconfig"
)
declare -A ENV=(
  [LAB_STATE_DIR]=$STATE
  [LAB_API_URL]=$API_URL
  [LAB_API_PORT]=${PORT[api]}
  [LAB_ETCD_URL]=$ETCD_URL
  [LAB_CA_FILE]=$PKI/ca.crt
  [LAB_CA_DATA]=$CA_DATA
  [LAB_ADMIN_TOKEN]=$ADMIN_TOKEN
  [LAB_BACKSTAGE_TOKEN]=$BACKSTAGE_TOKEN
  [LAB_KUBECONFIG]=$STATE/kubeconfig
  [LAB_BACKSTAGE_KUBECONFIG]=$STATE/backstage.kubeconfig
  [LAB_ETCD_PID]=$(cat "$STATE/run/etcd.pid")
  [LAB_APISERVER_PID]=$(cat "$STATE/run/kube-apiserver.pid")
)
keys=(LAB_STATE_DIR LAB_API_URL LAB_API_PORT LAB_ETCD_URL LAB_CA_FILE LAB_CA_DATA LAB_ADMIN_TOKEN
  LAB_BACKSTAGE_TOKEN LAB_KUBECONFIG LAB_BACKSTAGE_KUBECONFIG LAB_ETCD_PID LAB_APISERVER_PID)
(
  umask 077
  # KEY='value' lines: valid shell (source it) and dotenv syntax. Values never
  # contain a single quote (paths from mkdir -p above could, in theory: refuse).
  for k in "${keys[@]}"; do
    [[ ${ENV[$k]} != *\'* ]] || die "$k contains a single quote: ${ENV[$k]}"
    printf "%s='%s'\n" "$k" "${ENV[$k]}"
  done >"$STATE/env.tmp"
  for k in "${keys[@]}"; do printf '%s\0%s\0' "$k" "${ENV[$k]}"; done |
    python3 -c 'import json, sys; p = sys.stdin.read().split("\0")[:-1]; print(json.dumps(dict(zip(p[::2], p[1::2])), indent=2))' \
      >"$STATE/env.json"
  mv -f "$STATE/env.tmp" "$STATE/env"
)
started=() # success: keep them running
log "up: $API_URL (state $STATE; source $STATE/env)"
cat "$STATE/env"
