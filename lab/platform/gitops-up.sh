#!/usr/bin/env bash
# Makes the lab's Gitea repository the full lab's cluster repository, the way
# `flux bootstrap` would: the real source- and kustomize-controller
# (lab/scripts/flux.sh) reconcile its main branch, with SOPS decryption by
# the lab's age key (the one the platform template encrypted for). Idempotent.
#
#   lab/platform/gitops-up.sh STATE_DIR GITEA_ENV_FILE
#
# Needs full-up.sh and platform-up.sh for STATE_DIR, and a Gitea
# (lab/scripts/gitea.sh up; GITEA_ENV_FILE is its env-gitea). The platform
# itself stays deployed by platform-up.sh (docs/lab.md says why): main gets
# a .sops.yaml naming the lab's key and, so that a workload's
# `dependsOn: openebs / velero / openebs-monitoring` is met, Flux
# Kustomizations of those names whose path holds only a ConfigMap saying so.
# A workload merged into main is then applied by Flux alone.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$LAB_DIR/scripts/lib.sh"

STATE=${1:?usage: gitops-up.sh STATE_DIR GITEA_ENV_FILE}
GITEA_ENV=${2:?usage: gitops-up.sh STATE_DIR GITEA_ENV_FILE}
STATE=$(cd "$STATE" && pwd)
[[ -f $STATE/env-node ]] || die "the full lab is not up for $STATE: run lab/scripts/full-up.sh and platform-up.sh first"
AGE_KEY=$STATE/platform/age.key
[[ -f $AGE_KEY ]] || die "$AGE_KEY missing: run lab/scripts/platform-up.sh first"
# shellcheck disable=SC1090
. "$GITEA_ENV"
# shellcheck disable=SC1091
LAB_KUBECTL=$(. "$STATE/env-node" && echo "$LAB_KUBECTL")
kubectl() { "$LAB_KUBECTL" --kubeconfig "$STATE/kubeconfig" "$@"; }
t0=$(now_ms)

"$LAB_DIR/scripts/flux.sh" up "$STATE" >/dev/null

# The repository's side: what an operator's cluster repository has before
# the first workload arrives.
# The recipient the platform template encrypted for (its rendered .sops.yaml).
recipient=$(grep -o 'age1[0-9a-z]*' "$STATE/platform/tree/.sops.yaml" | head -n1) ||
  die "no age recipient in $STATE/platform/tree/.sops.yaml: run lab/scripts/platform-up.sh first"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
remote=${GITEA_URL/:\/\//://$GITEA_USERNAME:$GITEA_TOKEN@}/$GITEA_OWNER/$GITEA_REPO.git
git clone -q --branch main "$remote" "$work/repo"
cd "$work/repo"
mkdir -p kubernetes/apps kubernetes/platform
cat >.sops.yaml <<YAML
creation_rules:
  - path_regex: kubernetes/.*\.sops\.ya?ml$
    encrypted_regex: ^(data|stringData)$
    age: $recipient
YAML
cat >kubernetes/apps/kustomization.yaml <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ./platform.yaml
YAML
: >kubernetes/apps/platform.yaml
for ks in openebs velero openebs-monitoring; do
  cat >>kubernetes/apps/platform.yaml <<YAML
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: $ks
  namespace: flux-system
spec:
  interval: 30m
  path: ./kubernetes/platform
  prune: false
  sourceRef:
    kind: GitRepository
    name: flux-system
YAML
done
cat >kubernetes/platform/kustomization.yaml <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ./deployed.yaml
YAML
cat >kubernetes/platform/deployed.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: lab-platform
  namespace: flux-system
data:
  note: >-
    The storage platform of this lab is deployed by lab/scripts/platform-up.sh
    from the platform template's output; these Kustomizations only stand for
    it, so that workloads' dependsOn is met.
YAML
git add -A
if ! git diff --cached --quiet; then
  git -c user.name=lab -c user.email=lab@openebs-portal.invalid commit -qm "Cluster repository: SOPS rule and the platform's Kustomizations"
  git push -q origin main
fi
cd - >/dev/null

# The cluster's side: what `flux bootstrap` creates.
kubectl -n flux-system create secret generic sops-age --from-file=age.agekey="$AGE_KEY" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n flux-system create secret generic gitea-auth \
  --from-literal=username="$GITEA_USERNAME" --from-literal=password="$GITEA_TOKEN" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply --server-side --field-manager=lab-gitops -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: $GITEA_URL/$GITEA_OWNER/$GITEA_REPO.git
  ref:
    branch: main
  secretRef:
    name: gitea-auth
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 1m
  path: ./kubernetes/apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  decryption:
    provider: sops
    secretRef:
      name: sops-age
YAML
kubectl -n flux-system annotate --overwrite gitrepository/flux-system \
  reconcile.fluxcd.io/requestedAt="$(date +%s)" >/dev/null
for ks in apps openebs velero openebs-monitoring; do
  lab_wait_phase 120 '{.status.conditions[?(@.type=="Ready")].status}' True \
    -n flux-system "kustomization/$ks" ||
    die "Flux Kustomization $ks is not Ready: $LAB_WAIT_PROBLEM (see $STATE/logs/kustomize-controller.log)"
done
log "gitops: Flux reconciles $GITEA_OWNER/$GITEA_REPO main ($(fmt_secs $(($(now_ms) - t0)))s)"
