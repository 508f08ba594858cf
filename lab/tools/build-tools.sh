#!/usr/bin/env bash
# Builds the command-line tools the scaffolder module's tests run against,
# from their published Go modules (consumer modules in lab/tools/<name>).
#
#   lab/tools/build-tools.sh [TOOL...]
#
# TOOL: sops, kustomize, helm, gitea. Default: sops, kustomize and helm (gitea,
# the loopback forge of lab/scripts/gitea.sh, is built when asked for: it is
# by far the biggest, about ten minutes cold on 2 cores).
#
# Output goes to $OPENEBS_LAB_CACHE/bin (default ~/.cache/openebs-portal/lab/bin),
# beside the lab's binaries, with the same stamp scheme as lab/scripts/build.sh:
# one hash over go.mod, go.sum, the package, the flags and the Go toolchain. An
# output whose stamp matches is not rebuilt, so running this again is cheap.
# Prints one `NAME=PATH` line per tool on stdout; progress goes to stderr.
set -euo pipefail

TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# LAB_CACHE, LAB_BIN, log, die and go_build (with its stamps) are the lab's.
. "$TOOLS_DIR/../scripts/lib.sh"

command -v go >/dev/null 2>&1 || die "go is not on PATH (Go 1.26 is needed to build the test tools)"

tools=("$@")
((${#tools[@]})) || tools=(sops kustomize helm)

mkdir -p "$LAB_BIN"
# Parallel jest workers may all call this; one builds, the others wait and
# then find the outputs up to date. A lock of its own, so that a tools build
# does not queue behind a long kube-apiserver build in lab/scripts/build.sh.
exec 9>"$LAB_CACHE/build-tools.lock"
flock -w 1800 9 || die "another build-tools.sh held $LAB_CACHE/build-tools.lock for 30 minutes"

# tool NAME MODULE_DIR PACKAGE [LDFLAGS]: builds (or finds) it, prints NAME=PATH.
tool() {
  go_build "$@"
  printf '%s=%s\n' "$1" "$LAB_BIN/$1"
}

# module_version MODULE_DIR MODULE: the version go.mod pins (for -X stamping).
module_version() {
  awk -v m="$2" '$1 == m { print $2 } $1 == "require" && $2 == m { print $3 }' "$1/go.mod" | head -n1
}

for t in "${tools[@]}"; do
  case $t in
  sops)
    tool sops "$TOOLS_DIR/sops" github.com/getsops/sops/v3/cmd/sops
    ;;
  kustomize)
    # Upstream stamps its release version the same way (kustomize version).
    v=$(module_version "$TOOLS_DIR/kustomize" sigs.k8s.io/kustomize/kustomize/v5)
    [[ -n $v ]] || die "cannot read sigs.k8s.io/kustomize/kustomize/v5 version from lab/tools/kustomize/go.mod"
    tool kustomize "$TOOLS_DIR/kustomize" sigs.k8s.io/kustomize/kustomize/v5 \
      "-X sigs.k8s.io/kustomize/api/provenance.version=$v"
    ;;
  helm)
    # As upstream's Makefile: the release version, and the Kubernetes version
    # helm assumes by default (`helm template`), from the client-go it uses.
    v=$(module_version "$TOOLS_DIR/helm" helm.sh/helm/v3)
    k=$(module_version "$TOOLS_DIR/helm" k8s.io/client-go)
    [[ -n $v && $k =~ ^v0\.([0-9]+)\. ]] || die "cannot read helm.sh/helm/v3 and k8s.io/client-go versions from lab/tools/helm/go.mod"
    x=""
    for p in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
      x+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=${BASH_REMATCH[1]}"
    done
    tool helm "$TOOLS_DIR/helm" helm.sh/helm/v3/cmd/helm \
      "-X helm.sh/helm/v3/internal/version.version=$v -X helm.sh/helm/v3/internal/version.gitTreeState=clean${x}"
    ;;
  gitea)
    # Its consumer module sits in lab/gitea (it is a server the lab runs, not
    # a test tool). Upstream's Makefile stamps main.Version the same way; no
    # build tags: since 1.27 the default SQLite driver is the pure-Go one.
    v=$(module_version "$TOOLS_DIR/../gitea" gitea.dev)
    [[ -n $v ]] || die "cannot read gitea.dev version from lab/gitea/go.mod"
    tool gitea "$TOOLS_DIR/../gitea" gitea.dev "-X main.Version=${v#v}"
    ;;
  *) die "unknown tool: $t (known: sops, kustomize, helm, gitea)" ;;
  esac
done
