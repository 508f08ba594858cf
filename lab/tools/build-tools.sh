#!/usr/bin/env bash
# Builds the command-line tools the scaffolder module's tests run against,
# from their published Go modules (consumer modules in lab/tools/<name>).
#
#   lab/tools/build-tools.sh [TOOL...]
#
# TOOL: sops, kustomize, helm. Default: all three.
#
# Output goes to $OPENEBS_LAB_CACHE/bin (default ~/.cache/openebs-portal/lab/bin),
# beside the lab's binaries, with the same stamp scheme as lab/scripts/build.sh:
# one hash over go.mod, go.sum, the package, the flags and the Go toolchain. An
# output whose stamp matches is not rebuilt, so running this again is cheap.
# Prints one `NAME=PATH` line per tool on stdout; progress goes to stderr.
set -euo pipefail

TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_CACHE=${OPENEBS_LAB_CACHE:-$HOME/.cache/openebs-portal/lab}
LAB_BIN=$LAB_CACHE/bin

now_ms() { date +%s%3N; }
T0=$(now_ms)
fmt_secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }
log() { printf '[tools %5ss] %s\n' "$(fmt_secs $(($(now_ms) - T0)))" "$*" >&2; }
die() {
  printf '[tools] ERROR: %s\n' "$*" >&2
  exit 1
}

command -v go >/dev/null 2>&1 || die "go is not on PATH (Go 1.26 is needed to build the test tools)"

tools=("$@")
((${#tools[@]})) || tools=(sops kustomize helm)

mkdir -p "$LAB_BIN"
# Parallel jest workers may all call this; one builds, the others wait and
# then find the outputs up to date. A lock of its own, so that a tools build
# does not queue behind a long kube-apiserver build in lab/scripts/build.sh.
exec 9>"$LAB_CACHE/build-tools.lock"
flock -w 1800 9 || die "another build-tools.sh held $LAB_CACHE/build-tools.lock for 30 minutes"

stamp_of() {
  {
    go version
    go env CGO_ENABLED GOFLAGS
    printf '%s\n' "$1"
    shift
    cat -- "$@"
  } | sha256sum | cut -d' ' -f1
}

up_to_date() {
  [[ -x $1 && -f $1.stamp && $(cat "$1.stamp") == "$2" ]]
}

# go_build NAME MODULE_DIR PACKAGE [LDFLAGS]
go_build() {
  local name=$1 moddir=$2 pkg=$3 ldflags=${4:-} out=$LAB_BIN/$1 stamp t0
  [[ -f $moddir/go.mod && -f $moddir/go.sum ]] || die "$name: $moddir/go.mod or go.sum missing"
  stamp=$(stamp_of "$pkg $ldflags" "$moddir/go.mod" "$moddir/go.sum")
  if up_to_date "$out" "$stamp"; then
    log "$name: up to date ($out)"
  else
    log "$name: building $pkg (a cold build takes a few minutes on 2 cores)"
    t0=$(now_ms)
    (cd "$moddir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg")
    mv -f "$out.tmp" "$out"
    printf '%s\n' "$stamp" >"$out.stamp"
    log "$name: built in $(fmt_secs $(($(now_ms) - t0)))s"
  fi
  printf '%s=%s\n' "$name" "$out"
}

# module_version MODULE_DIR MODULE: the version go.mod pins (for -X stamping).
module_version() {
  awk -v m="$2" '$1 == m { print $2 } $1 == "require" && $2 == m { print $3 }' "$1/go.mod" | head -n1
}

for t in "${tools[@]}"; do
  case $t in
  sops)
    go_build sops "$TOOLS_DIR/sops" github.com/getsops/sops/v3/cmd/sops
    ;;
  kustomize)
    # Upstream stamps its release version the same way (kustomize version).
    v=$(module_version "$TOOLS_DIR/kustomize" sigs.k8s.io/kustomize/kustomize/v5)
    [[ -n $v ]] || die "cannot read sigs.k8s.io/kustomize/kustomize/v5 version from lab/tools/kustomize/go.mod"
    go_build kustomize "$TOOLS_DIR/kustomize" sigs.k8s.io/kustomize/kustomize/v5 \
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
    go_build helm "$TOOLS_DIR/helm" helm.sh/helm/v3/cmd/helm \
      "-X helm.sh/helm/v3/internal/version.version=$v -X helm.sh/helm/v3/internal/version.gitTreeState=clean${x}"
    ;;
  *) die "unknown tool: $t (known: sops, kustomize, helm)" ;;
  esac
done
