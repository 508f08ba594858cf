#!/usr/bin/env bash
# Builds the lab's image tooling and the binaries that go into the lab's
# container images, from their published Go modules (consumer modules in
# lab/images/<group>; one module per group whose dependency pins differ).
#
#   lab/images/build.sh [NAME...]
#
# NAME: registry, crane (default: both), velero, velero-restore-helper,
# velero-helper, velero-plugin-for-aws, cp-plugin, versitygw,
# local-path-provisioner, local-path-leader, source-controller, kustomize-controller,
# helm-controller, notification-controller (Flux; one module each in
# lab/images/flux-NAME), cnpg-manager, barman-cloud-plugin (CloudNativePG
# and its Barman Cloud plugin: lab/scripts/cnpg.sh, lab/README.md).
#
# Output goes to $OPENEBS_LAB_CACHE/bin (default ~/.cache/openebs-portal/lab/bin)
# with the same stamp scheme as lab/scripts/build.sh (go.mod, go.sum, package,
# flags, toolchain, CGO_ENABLED). Binaries that go into images are built with
# CGO_ENABLED=0 (static), as the upstream Dockerfiles do. Prints one NAME=PATH
# line per binary on stdout; progress goes to stderr.
set -euo pipefail
IMAGES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$IMAGES_DIR/../scripts/lib.sh"

command -v go >/dev/null 2>&1 || die "go is not on PATH"
export CGO_ENABLED=0

names=("$@")
((${#names[@]})) || names=(registry crane)

mkdir -p "$LAB_BIN"

# module_version MODULE_DIR MODULE: the version go.mod pins.
module_version() {
  local v
  v=$(awk -v m="$2" '$1 == m { print $2 } $1 == "require" && $2 == m { print $3 }' "$1/go.mod" | head -n1)
  [[ -n $v ]] || die "cannot read $2 version from $1/go.mod"
  printf '%s\n' "$v"
}

# module_commit MODULE_DIR MODULE: the git commit of the pinned version, as the
# module proxy records it (Origin.Hash in the .info file); "" when unknown.
module_commit() {
  (cd "$1" && go mod download -json "$2@$(module_version "$1" "$2")") |
    python3 -c 'import json, sys; print((json.load(sys.stdin).get("Origin") or {}).get("Hash", ""))'
}

bin() {
  # A lock per binary: parallel callers of the same one wait for the first
  # and then find it up to date; a long velero build does not hold up crane.
  exec 7>"$LAB_BIN/.$1.lock"
  flock -w 1800 7 || die "another build of $1 held $LAB_BIN/.$1.lock for 30 minutes"
  go_build "$@"
  exec 7>&-
  printf '%s=%s\n' "$1" "$LAB_BIN/$1"
}

for n in "${names[@]}"; do
  case $n in
  registry)
    # As upstream's Dockerfile: version without the v, the package path.
    d=$IMAGES_DIR/registry p=github.com/distribution/distribution/v3
    v=$(module_version "$d" $p)
    bin registry "$d" $p/cmd/registry \
      "-X $p/version.version=${v#v} -X $p/version.mainpkg=$p"
    ;;
  crane)
    d=$IMAGES_DIR/registry p=github.com/google/go-containerregistry
    v=$(module_version "$d" $p)
    bin crane "$d" $p/cmd/crane "-X $p/cmd/crane/cmd.Version=$v"
    ;;
  velero | velero-restore-helper | velero-helper)
    # As upstream's Dockerfile/hack/build.sh (REGISTRY defaults to velero, as
    # in the images on docker.io): buildinfo shows in `velero version` and
    # ImageRegistry is the default image registry of `velero install`.
    d=$IMAGES_DIR/velero p=github.com/vmware-tanzu/velero
    v=$(module_version "$d" $p) sha=$(module_commit "$d" $p)
    bin "$n" "$d" "$p/cmd/$n" "-X $p/pkg/buildinfo.Version=$v -X $p/pkg/buildinfo.GitSHA=$sha -X $p/pkg/buildinfo.GitTreeState=clean -X $p/pkg/buildinfo.ImageRegistry=velero"
    ;;
  velero-plugin-for-aws | cp-plugin)
    # Upstream's Dockerfile stamps nothing.
    d=$IMAGES_DIR/velero-plugin-for-aws p=github.com/vmware-tanzu/velero-plugin-for-aws
    pkg=$p/velero-plugin-for-aws
    [[ $n == cp-plugin ]] && pkg=$p/hack/cp-plugin
    bin "$n" "$d" "$pkg"
    ;;
  versitygw)
    # As upstream's Makefile (-X main.Version, main.Build = the commit), but
    # without main.BuildTime, so that the build is reproducible.
    d=$IMAGES_DIR/versitygw p=github.com/versity/versitygw
    v=$(module_version "$d" $p) sha=$(module_commit "$d" $p)
    bin versitygw "$d" $p/cmd/versitygw "-X main.Version=$v -X main.Build=$sha"
    ;;
  local-path-provisioner)
    # As upstream's scripts/build (CGO_ENABLED=0, -X main.VERSION).
    d=$IMAGES_DIR/local-path-provisioner p=github.com/rancher/local-path-provisioner
    bin local-path-provisioner "$d" $p "-X main.VERSION=$(module_version "$d" $p)"
    ;;
  local-path-leader)
    # Ours (leader.go at the module's root): the stand-in's leader election.
    bin local-path-leader "$IMAGES_DIR/local-path-provisioner" .
    ;;
  source-controller | kustomize-controller | helm-controller | notification-controller)
    # As upstream's Dockerfiles (CGO_ENABLED=0 go build -trimpath main.go):
    # package main at the module root, no version stamped (the controllers
    # have no version flag; the module version is in the binary's build info).
    d=$IMAGES_DIR/flux-$n
    bin "$n" "$d" "github.com/fluxcd/$n"
    ;;
  cnpg-manager)
    # As upstream's .goreleaser.yml (CGO_ENABLED=0, -s -w, version and
    # commit stamped), but without buildDate, so that the build is
    # reproducible.
    d=$IMAGES_DIR/cloudnative-pg p=github.com/cloudnative-pg/cloudnative-pg
    v=$(module_version "$d" $p) sha=$(module_commit "$d" $p)
    bin cnpg-manager "$d" $p/cmd/manager \
      "-X $p/pkg/versions.buildVersion=${v#v} -X $p/pkg/versions.buildCommit=${sha:0:7}"
    ;;
  barman-cloud-plugin)
    # As upstream's containers/Dockerfile.plugin (CGO_ENABLED=0, nothing
    # stamped).
    d=$IMAGES_DIR/plugin-barman-cloud
    bin barman-cloud-plugin "$d" github.com/cloudnative-pg/plugin-barman-cloud/cmd/manager
    ;;
  *) die "unknown binary: $n" ;;
  esac
done
