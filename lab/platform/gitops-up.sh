#!/usr/bin/env bash
# Makes the lab's Gitea repository the full lab's cluster repository and has
# the real Flux controllers (lab/scripts/flux.sh: source-, kustomize- with
# SOPS/age decryption, helm- and notification-controller) reconcile it, the
# way a cluster bootstrapped with `flux bootstrap` runs:
#
# - the repository's main gets the platform template's rendered output
#   (platform-up.sh renders it into STATE_DIR/platform/tree), as merging the
#   template's pull request would, and a kubernetes/apps/kustomization.yaml
#   listing every namespace directory (the operator's root);
# - the cluster gets the sops-age and Git credentials Secrets and
#   flux-bootstrap.yaml (the GitRepository, the root Kustomization `apps`
#   with prune, and the lab's departures as patches);
# - then waits until the platform's Kustomizations (openebs, velero,
#   openebs-monitoring) are Ready: their HelmReleases installed by
#   helm-controller from the charts in LAB_CHARTS.
#
#   lab/platform/gitops-up.sh STATE_DIR GITEA_ENV_FILE LAB_CHARTS
#
# LAB_CHARTS: the registry path the pinned charts were pushed to
# (REGISTRY/charts). Idempotent: a second run commits the platform as
# rendered again (SOPS ciphertexts differ each time) and leaves .sops.yaml
# and the workloads merged since then in place.
set -euo pipefail
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$LAB_DIR/scripts/lib.sh"

usage="usage: gitops-up.sh STATE_DIR GITEA_ENV_FILE LAB_CHARTS"
STATE=${1:?$usage}
GITEA_ENV=${2:?$usage}
CHARTS=${3:?$usage}
STATE=$(cd "$STATE" && pwd)
[[ -f $STATE/env-node ]] || die "the full lab is not up for $STATE: run lab/scripts/full-up.sh first"
TREE=$STATE/platform/tree
AGE_KEY=$STATE/platform/age.key
[[ -f $TREE/.sops.yaml && -f $AGE_KEY ]] || die "no rendered platform in $TREE: run lab/scripts/platform-up.sh"
# shellcheck disable=SC1090
. "$GITEA_ENV"
# shellcheck disable=SC1091
LAB_KUBECTL=$(. "$STATE/env-node" && echo "$LAB_KUBECTL")
kubectl() { "$LAB_KUBECTL" --kubeconfig "$STATE/kubeconfig" "$@"; }
t0=$(now_ms)

"$LAB_DIR/scripts/flux.sh" up "$STATE" \
  source-controller kustomize-controller helm-controller notification-controller >/dev/null

# The repository's side.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
remote=${GITEA_URL/:\/\//://$GITEA_USERNAME:$GITEA_TOKEN@}/$GITEA_OWNER/$GITEA_REPO.git
git clone -q --branch main "$remote" "$work/repo"
cd "$work/repo"
# .sops.yaml as the repository has it once there (workload templates add
# rules to it); the platform's files as rendered now (the S3 endpoint's port
# may have moved since).
[[ -f .sops.yaml ]] && cp .sops.yaml "$work/sops.yaml"
cp -a "$TREE/." .
[[ -f $work/sops.yaml ]] && cp "$work/sops.yaml" .sops.yaml
{
  printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n'
  for dir in kubernetes/apps/*/; do printf '  - ./%s\n' "$(basename "$dir")"; done
} >kubernetes/apps/kustomization.yaml
git add -A
if ! git diff --cached --quiet; then
  git -c user.name=lab -c user.email=lab@openebs-portal.invalid \
    commit -qm "Storage platform: the openebs-velero-platform template's output"
  git push -q origin main
fi
cd - >/dev/null

# The cluster's side.
kubectl -n flux-system create secret generic sops-age --from-file=age.agekey="$AGE_KEY" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n flux-system create secret generic gitea-auth \
  --from-literal=username="$GITEA_USERNAME" --from-literal=password="$GITEA_TOKEN" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
sed -e "s|@GIT_URL@|$GITEA_URL/$GITEA_OWNER/$GITEA_REPO.git|" -e "s|@CHARTS@|$CHARTS|" \
  "$LAB_DIR/platform/flux-bootstrap.yaml" |
  kubectl apply --server-side --force-conflicts --field-manager=lab-gitops -f - >/dev/null
kubectl -n flux-system annotate --overwrite gitrepository/flux-system \
  reconcile.fluxcd.io/requestedAt="$(date +%s)" >/dev/null

for ks in apps openebs velero openebs-monitoring; do
  if ! lab_wait_phase 600 '{.status.conditions[?(@.type=="Ready")].status}' True \
    -n flux-system "kustomization/$ks"; then
    kubectl -n flux-system get kustomizations,gitrepositories -A >&2 || true
    kubectl get helmreleases,helmcharts,helmrepositories -A >&2 || true
    die "Flux Kustomization $ks is not Ready: $LAB_WAIT_PROBLEM (see $STATE/logs/{kustomize,helm,source}-controller.log)"
  fi
  log "gitops: Kustomization $ks Ready ($(fmt_secs $(($(now_ms) - t0)))s)"
done
log "gitops: Flux reconciles $GITEA_OWNER/$GITEA_REPO main ($(fmt_secs $(($(now_ms) - t0)))s)"
