#!/usr/bin/env bash
# Assembles the lab's container images with crane (no Docker) from binaries
# built from Go modules (lab/images/build.sh) and a few Debian files, and
# pushes them to the lab registry (lab/scripts/registry.sh, started if needed)
# under their upstream names minus the registry host:
#   docker.io/velero/velero:v1.18.1  ->  $LAB_REGISTRY/velero/velero:v1.18.1
#   registry.k8s.io/pause:3.10.1     ->  $LAB_REGISTRY/pause:3.10.1
# See lab/README.md ("Images and the local registry").
#
#   lab/scripts/images.sh [STATE_DIR] [IMAGE...]     (default: lab/_state, all)
#
# IMAGE: pause, busybox, velero, velero-plugin-for-aws (default: these four),
# local-path-provisioner, postgresql, cnpg-operator, cnpg-postgresql,
# barman-cloud-plugin, barman-cloud-sidecar.
# Each image is pushed only when a stamp of its inputs (layer bytes, config,
# names) differs from the last push or the registry no longer has it, so a
# warm run takes seconds. Prints one `UPSTREAM_REF=LOCAL_REF@DIGEST` line per
# pushed name on stdout; progress goes to stderr.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE=${1:-$LAB_DIR/_state}
shift || true
images=("$@")
((${#images[@]})) || images=(pause busybox velero velero-plugin-for-aws)

WORK=$LAB_CACHE/images
mkdir -p "$WORK"
exec 6>"$WORK/lock"
flock -w 1800 6 || die "another images.sh held $WORK/lock for 30 minutes"

"$LAB_DIR/scripts/registry.sh" up "$STATE" >/dev/null
# shellcheck disable=SC1091
. "$STATE/env-registry"
"$LAB_DIR/images/build.sh" crane >/dev/null
CRANE=$LAB_BIN/crane
crane() { "$CRANE" --insecure "$@"; }

# local_ref UPSTREAM: the name in the lab registry (first path component
# dropped when it is a registry host: has a dot or a colon, or is localhost).
local_ref() {
  local r=$1 first=${1%%/*}
  if [[ $r == */* && ($first == *.* || $first == *:* || $first == localhost) ]]; then
    r=${r#*/}
  fi
  printf '%s/%s\n' "$LAB_REGISTRY" "$r"
}

# layer NAME: $WORK/NAME.tar from the mktar.py spec on stdin.
layer() {
  python3 "$LAB_DIR/images/mktar.py" "$WORK/$1.tar.tmp"
  mv -f "$WORK/$1.tar.tmp" "$WORK/$1.tar"
}

# push_image NAME "UPSTREAM_REF..." "MUTATE_ARGS..." LAYER...: one linux/amd64
# image with these layers ($WORK/LAYER.tar, bottom first) and config, tagged
# as every UPSTREAM_REF (mapped by local_ref). MUTATE_ARGS are crane mutate
# flags (word-split; no spaces inside values).
push_image() {
  local name=$1 refs=$2 mutate=$3 stamp stampf=$WORK/$1.stamp digest="" ok=1 r first t0 l
  shift 3
  local files=()
  for l in "$@"; do files+=("$WORK/$l.tar"); done
  # shellcheck disable=SC2086
  stamp=$({
    cat "$CRANE.stamp"
    printf '%s\n' "$refs" "$mutate" "$LAB_REGISTRY_DATA"
    sha256sum "${files[@]}" | cut -d' ' -f1
  } | sha256sum | cut -d' ' -f1)
  if [[ -f $stampf && $(head -n1 "$stampf") == "$stamp" ]]; then
    digest=$(sed -n 2p "$stampf")
    for r in $refs; do
      [[ $(crane digest "$(local_ref "$r")" 2>/dev/null) == "$digest" ]] || ok=0
    done
    if ((ok)); then
      log "$name: up to date ($digest)"
      for r in $refs; do printf '%s=%s@%s\n' "$r" "$(local_ref "$r")" "$digest"; done
      return
    fi
  fi
  t0=$(now_ms)
  first=$(local_ref "${refs%% *}")
  # The layers go to a temporary tag first (crane append makes an image
  # without platform or config), so that the real tag only ever names the
  # finished image; the temporary manifest is deleted afterwards (by digest;
  # the layers stay, the final image uses them).
  local tmp=${first%:*}:lab-build-tmp tmpd appends=()
  for l in "${files[@]}"; do appends+=(-f "$l"); done
  crane append --oci-empty-base "${appends[@]}" -t "$tmp" >/dev/null 2>"$WORK/$name.log" ||
    die "$name: crane append failed: $(cat "$WORK/$name.log")"
  # shellcheck disable=SC2086
  digest=$(crane mutate "$tmp" --set-platform linux/amd64 $mutate -t "$first" 2>"$WORK/$name.log") ||
    die "$name: crane mutate failed: $(cat "$WORK/$name.log")"
  digest=${digest##*@}
  tmpd=$(crane digest "$tmp")
  [[ $tmpd == "$digest" ]] || crane delete "${tmp%:*}@$tmpd" 2>/dev/null || true
  for r in $refs; do
    [[ $(local_ref "$r") == "$first" ]] || crane copy "$first@$digest" "$(local_ref "$r")" 2>/dev/null
  done
  printf '%s\n%s\n' "$stamp" "$digest" >"$stampf"
  log "$name: pushed $first ($digest, $(image_size "$first@$digest")) in $(fmt_secs $(($(now_ms) - t0)))s"
  for r in $refs; do printf '%s=%s@%s\n' "$r" "$(local_ref "$r")" "$digest"; done
}

# image_size REF: compressed size (sum of layer blobs) as shown by registries.
image_size() {
  crane manifest "$1" | python3 -c '
import json, sys
m = json.load(sys.stdin)
n = sum(l["size"] for l in m["layers"])
print(f"{n / 1e6:.1f} MB compressed")'
}

# module_dir MODULE_DIR MODULE: where the pinned version of MODULE is unpacked.
module_dir() {
  local v
  v=$(awk -v m="$2" '$1 == m { print $2 } $1 == "require" && $2 == m { print $3 }' "$1/go.mod" | head -n1)
  [[ -n $v ]] || die "cannot read $2 version from $1/go.mod"
  (cd "$1" && go mod download -json "$2@$v") | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])'
}

DEFAULT_PATH=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Base files for images that need more than their binaries, from the Debian
# packages of this machine: CA certificates (ca-certificates), time zones
# (tzdata), /etc/services and /etc/protocols (netbase), plus the users of
# upstream's base images. (paketobuildpacks/run-jammy-tiny, Velero's base, has
# base-files, ca-certificates, libc6, libssl3, netbase, openssl, tzdata,
# zlib1g; our binaries are static, so no libraries.)
debian_base_layer() {
  local bundle=/etc/ssl/certs/ca-certificates.crt
  [[ -s $bundle ]] || die "$bundle missing: apt-get install ca-certificates"
  [[ -d /usr/share/zoneinfo ]] || die "/usr/share/zoneinfo missing: apt-get install tzdata"
  [[ -f /etc/services && -f /etc/protocols ]] || die "/etc/services missing: apt-get install netbase"
  # paketobuildpacks/run-jammy-tiny (Velero's base) runs as cnb, uid 1002
  # gid 1000 ([run] in the jammy-tiny-stack's stack.toml); nonroot (65532) as
  # distroless has it.
  printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'cnb:x:1002:1000:cnb:/home/cnb:/sbin/nologin' \
    'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
    >"$WORK/base-passwd"
  printf '%s\n' 'root:x:0:' 'cnb:x:1000:' 'nonroot:x:65532:' 'nogroup:x:65534:' >"$WORK/base-group"
  layer debian-base <<EOF
dir etc 0755 0 0
file etc/passwd 0644 0 0 $WORK/base-passwd
file etc/group 0644 0 0 $WORK/base-group
file etc/ssl/certs/ca-certificates.crt 0644 0 0 $bundle
file etc/services 0644 0 0 /etc/services
file etc/protocols 0644 0 0 /etc/protocols
tree usr/share/zoneinfo /usr/share/zoneinfo
dir tmp 1777 0 0
dir root 0700 0 0
dir home/cnb 0755 1002 1000
dir home/nonroot 0755 65532 65532
EOF
}

image_pause() {
  # registry.k8s.io/pause as upstream builds it (build/pause/Makefile:
  # `gcc -Os -Wall -Werror -static`, FROM scratch, USER 65535:65535), from
  # pause.c in the k8s.io/kubernetes module that lab/kube pins.
  local dir tag src out=$WORK/pause
  dir=$(module_dir "$LAB_DIR/kube" k8s.io/kubernetes)
  src=$dir/build/pause/linux/pause.c
  [[ -f $src ]] || die "pause: $src missing"
  tag=$(awk '$1 == "TAG" && $2 == "?=" { print $3 }' "$dir/build/pause/Makefile")
  if [[ ! -x $out || $(sha256sum <"$src")$tag != "$(cat "$out.src" 2>/dev/null)" ]]; then
    gcc -Os -Wall -Werror -static "-DVERSION=v$tag" -o "$out.tmp" "$src"
    strip "$out.tmp" && mv -f "$out.tmp" "$out"
    printf '%s' "$(sha256sum <"$src")$tag" >"$out.src"
  fi
  layer pause <<EOF
file pause 0755 0 0 $out
EOF
  # LAB_PAUSE_TAGS: the module's own tag (3.10.2, also containerd v2.4's
  # default sandbox image) plus 3.10.1 for configurations that name it.
  local refs="" t
  for t in ${LAB_PAUSE_TAGS:-$tag 3.10.1}; do refs+=" registry.k8s.io/pause:$t"; done
  push_image pause "${refs# }" "--user 65535:65535 --entrypoint /pause" pause
}

image_busybox() {
  # docker.io/library/busybox from Debian's busybox-static: /bin/busybox and
  # a symlink per applet in /bin, the users of the upstream image, CMD sh.
  local bb=/bin/busybox v
  dpkg -S "$bb" 2>/dev/null | grep -q '^busybox-static:' || die "busybox: apt-get install busybox-static"
  v=$(dpkg-query -W -f '${Version}' busybox-static)
  v=${v#*:} v=${v%%-*}
  {
    printf 'file bin/busybox 0755 0 0 %s\n' "$bb"
    "$bb" --list | grep -vx busybox | sed 's|.*|link bin/& busybox|'
    printf '%s\n' 'dir tmp 1777 0 0' 'dir root 0700 0 0' 'dir home 0755 0 0' 'dir var/spool/mail 0755 8 8' \
      'dir var/www 0755 0 0' 'dir usr/sbin 0755 0 0' "file etc/passwd 0644 0 0 $WORK/busybox-passwd" \
      "file etc/group 0644 0 0 $WORK/busybox-group"
  } >"$WORK/busybox.spec"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'daemon:x:1:1:daemon:/usr/sbin:/bin/false' \
    'bin:x:2:2:bin:/bin:/bin/false' 'sys:x:3:3:sys:/dev:/bin/false' 'sync:x:4:100:sync:/bin:/bin/sync' \
    'mail:x:8:8:mail:/var/spool/mail:/bin/false' 'www-data:x:33:33:www-data:/var/www:/bin/false' \
    'operator:x:37:37:Operator:/var:/bin/false' 'nobody:x:65534:65534:nobody:/home:/bin/false' \
    >"$WORK/busybox-passwd"
  printf '%s\n' 'root:x:0:' 'daemon:x:1:' 'bin:x:2:' 'sys:x:3:' 'adm:x:4:' 'tty:x:5:' 'disk:x:6:' \
    'wheel:x:10:root' 'mail:x:8:' 'www-data:x:33:' 'operator:x:37:' 'users:x:100:' 'nogroup:x:65534:' \
    >"$WORK/busybox-group"
  layer busybox <"$WORK/busybox.spec"
  push_image busybox "docker.io/library/busybox:$v docker.io/library/busybox:latest" \
    "--cmd sh -e $DEFAULT_PATH" busybox
}

image_velero() {
  # docker.io/velero/velero as upstream's Dockerfile lays it out: /velero,
  # /velero-restore-helper, /velero-helper on paketobuildpacks/run-jammy-tiny,
  # USER cnb:cnb, no entrypoint (the chart runs /velero). Not included:
  # /usr/bin/restic (built upstream from a patched restic 0.15.0; only used
  # to restore backups made with the legacy restic uploader).
  local v b out
  out=$("$LAB_DIR/images/build.sh" velero velero-restore-helper velero-helper)
  v=$(awk '$1 == "github.com/vmware-tanzu/velero" { print $2 }' "$LAB_DIR/images/velero/go.mod" | head -n1)
  debian_base_layer
  {
    for b in velero velero-restore-helper velero-helper; do
      printf 'file %s 0755 0 0 %s\n' "$b" "$LAB_BIN/$b"
    done
  } | layer velero-bin
  push_image velero "docker.io/velero/velero:$v" "--user cnb:cnb -e $DEFAULT_PATH" debian-base velero-bin
  : "$out"
}

image_velero_plugin_for_aws() {
  # As upstream's Dockerfile: FROM scratch, /plugins/velero-plugin-for-aws,
  # /bin/cp-plugin, USER 65532:65532, and an entrypoint that copies the
  # plugin into /target (the chart runs it as an init container with the
  # plugins volume at /target).
  local v
  "$LAB_DIR/images/build.sh" velero-plugin-for-aws cp-plugin >/dev/null
  v=$(awk '$1 == "github.com/vmware-tanzu/velero-plugin-for-aws" { print $2 }' \
    "$LAB_DIR/images/velero-plugin-for-aws/go.mod" | head -n1)
  layer velero-plugin-for-aws <<EOF
file plugins/velero-plugin-for-aws 0755 0 0 $LAB_BIN/velero-plugin-for-aws
file bin/cp-plugin 0755 0 0 $LAB_BIN/cp-plugin
EOF
  push_image velero-plugin-for-aws "docker.io/velero/velero-plugin-for-aws:$v" \
    "--user 65532:65532 -e $DEFAULT_PATH --entrypoint cp-plugin,/plugins/velero-plugin-for-aws,/target/velero-plugin-for-aws" \
    velero-plugin-for-aws
}

image_local_path_provisioner() {
  # As upstream's package/Dockerfile: /usr/bin/local-path-provisioner,
  # CMD ["local-path-provisioner"]; on our Debian-files base instead of
  # alpine (the binary is static; its helper pods use their own image).
  local v
  "$LAB_DIR/images/build.sh" local-path-provisioner local-path-leader >/dev/null
  v=$(awk '$1 == "github.com/rancher/local-path-provisioner" { print $2 }' \
    "$LAB_DIR/images/local-path-provisioner/go.mod" | head -n1)
  debian_base_layer
  layer local-path-provisioner <<EOF
file usr/bin/local-path-provisioner 0755 0 0 $LAB_BIN/local-path-provisioner
file usr/bin/local-path-leader 0755 0 0 $LAB_BIN/local-path-leader
EOF
  push_image local-path-provisioner "docker.io/rancher/local-path-provisioner:$v" \
    "--cmd local-path-provisioner -e $DEFAULT_PATH" debian-base local-path-provisioner
}

image_postgresql() {
  # A PostgreSQL server for the lab's database stories, from Debian: a
  # minimal bookworm root file system with postgresql-15 made by mmdebstrap
  # (from the Debian mirror, as any Debian machine installs it), and our
  # entrypoint (lab/images/postgresql/entrypoint.sh: initdb on the first
  # start, the fast shutdown on SIGTERM). Not upstream's docker.io/library/
  # postgres (built from PostgreSQL's own apt repository, which is not
  # reachable here), so it has a lab name. Left out: LLVM and Z3 (only the
  # JIT loads them; the entrypoint turns the JIT off), documentation,
  # locale sources, and the cluster the package's postinst makes.
  command -v mmdebstrap >/dev/null 2>&1 || "$REPO_ROOT/scripts/prereqs.sh" mmdebstrap >&2
  local v key rootfs=$WORK/postgresql-debian.tar opts=(
    --variant=essential --include=postgresql-15
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/i18n/*'
    --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/libLLVM*'
    --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/libz3*'
    --customize-hook='rm -rf "$1"/var/lib/postgresql/15 "$1"/etc/postgresql/15'
  )
  # The version the mirror serves now; the root file system is made again
  # only when it (or the options) change, so warm runs reuse it.
  apt-get update -qq >/dev/null 2>&1 || true
  v=$(apt-cache policy postgresql-15 | awk '$1 == "Candidate:" { print $2 }')
  [[ -n $v && $v != "(none)" ]] || die "postgresql: the Debian mirror offers no postgresql-15"
  key=$(printf '%s\n' "$v" "${opts[@]}" | sha256sum | cut -d' ' -f1)
  if [[ ! -s $rootfs || $(cat "$rootfs.key" 2>/dev/null) != "$key" ]]; then
    mmdebstrap -q --format=tar "${opts[@]}" bookworm "$WORK/postgresql-new.tar" http://deb.debian.org/debian >&2 ||
      die "postgresql: mmdebstrap failed"
    mv -f "$WORK/postgresql-new.tar" "$rootfs" && printf '%s' "$key" >"$rootfs.key"
  fi
  layer postgresql-entrypoint <<EOF
file usr/local/bin/lab-postgres-entrypoint 0755 0 0 $LAB_DIR/images/postgresql/entrypoint.sh
EOF
  # Tags cannot hold Debian's "+": 15.18-0+deb12u1 is tagged 15.18-0.deb12u1.
  push_image postgresql "openebs-lab/postgresql:${v//+/.} openebs-lab/postgresql:15" \
    "--user postgres -e PATH=/usr/lib/postgresql/15/bin:${DEFAULT_PATH#PATH=} -e PGDATA=/var/lib/postgresql/data/pgdata -e PGHOST=/tmp --entrypoint /usr/local/bin/lab-postgres-entrypoint" \
    postgresql-debian postgresql-entrypoint
}

image_cnpg_operator() {
  # ghcr.io/cloudnative-pg/cloudnative-pg as upstream's Dockerfile lays it
  # out: /operator/manager_amd64 with /manager linking to it, USER
  # 65532:65532, ENTRYPOINT /manager; on our Debian-files base (it has the
  # nonroot user distroless has). The same binary is copied into every
  # instance pod by its bootstrap init container.
  local v
  "$LAB_DIR/images/build.sh" cnpg-manager >/dev/null
  v=$(awk '$1 == "github.com/cloudnative-pg/cloudnative-pg" { print $2 }' \
    "$LAB_DIR/images/cloudnative-pg/go.mod" | head -n1)
  debian_base_layer
  layer cnpg-operator <<EOF
file operator/manager_amd64 0755 65532 65532 $LAB_BIN/cnpg-manager
link manager operator/manager_amd64
EOF
  push_image cnpg-operator "ghcr.io/cloudnative-pg/cloudnative-pg:${v#v}" \
    "--user 65532:65532 -e $DEFAULT_PATH --entrypoint /manager" debian-base cnpg-operator
}

image_cnpg_postgresql() {
  # A CloudNativePG instance image: the lab's Debian PostgreSQL 15 root file
  # system with the postgres user at uid and gid 26, the user CloudNativePG
  # runs PostgreSQL as by default (upstream's postgres-containers images do
  # the same with usermod). No entrypoint: the operator runs its own
  # instance manager (/controller/manager) in the pod. A lab name, like the
  # postgresql image it is made from; tagged with the major version, which
  # the operator reads from the tag.
  image_postgresql >/dev/null
  python3 - "$WORK/postgresql-debian.tar" "$WORK/cnpg-passwd" "$WORK/cnpg-group" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    passwd = t.extractfile("./etc/passwd").read().decode().splitlines()
    group = t.extractfile("./etc/group").read().decode().splitlines()
# gid 26 is Debian's "tape"; the image has no tape device, postgres takes it.
passwd = [("postgres:x:26:26:" + l.split(":", 4)[4]) if l.startswith("postgres:") else l for l in passwd]
group = [l for l in group if l.split(":")[2] != "26"]
group = ["postgres:x:26:" if l.startswith("postgres:") else l for l in group]
open(sys.argv[2], "w").write("\n".join(passwd) + "\n")
open(sys.argv[3], "w").write("\n".join(group) + "\n")
PY
  layer cnpg-postgresql-users <<EOF
file etc/passwd 0644 0 0 $WORK/cnpg-passwd
file etc/group 0644 0 0 $WORK/cnpg-group
dir var/lib/postgresql 0755 26 26
dir var/run/postgresql 2775 26 26
EOF
  push_image cnpg-postgresql "openebs-lab/cnpg-postgresql:15" \
    "--user 26:26 -e PATH=/usr/lib/postgresql/15/bin:${DEFAULT_PATH#PATH=}" \
    postgresql-debian cnpg-postgresql-users
}

image_barman_cloud_plugin() {
  # ghcr.io/cloudnative-pg/plugin-barman-cloud as upstream's
  # containers/Dockerfile.plugin: /manager, USER 65532:65532, ENTRYPOINT
  # /manager; on our Debian-files base instead of ubi-micro (the binary is
  # static).
  local v
  "$LAB_DIR/images/build.sh" barman-cloud-plugin >/dev/null
  v=$(awk '$1 == "github.com/cloudnative-pg/plugin-barman-cloud" { print $2 }' \
    "$LAB_DIR/images/plugin-barman-cloud/go.mod" | head -n1)
  debian_base_layer
  layer barman-cloud-plugin <<EOF
file manager 0755 0 0 $LAB_BIN/barman-cloud-plugin
EOF
  push_image barman-cloud-plugin "ghcr.io/cloudnative-pg/plugin-barman-cloud:$v" \
    "--user 65532:65532 -e $DEFAULT_PATH --entrypoint /manager" debian-base barman-cloud-plugin
}

image_barman_cloud_sidecar() {
  # ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar as upstream's
  # containers/Dockerfile.sidecar lays it out: the plugin's /manager (run as
  # `instance` beside PostgreSQL) and Barman's cloud tools in /venv, USER
  # 26:26. Python and psycopg2 come from Debian (bookworm, like the instance
  # image) instead of distroless and a source build; Barman and boto3 from
  # PyPI at the versions upstream's sidecar-requirements.txt pins (only the
  # S3 part: the lab has no Azure or Google storage, and no compression
  # libraries beyond Python's own gzip and bzip2).
  command -v mmdebstrap >/dev/null 2>&1 || "$REPO_ROOT/scripts/prereqs.sh" mmdebstrap >&2
  local v key rootfs=$WORK/barman-sidecar-debian.tar pins=(
    barman==3.19.1 boto3==1.43.26 botocore==1.43.26 s3transfer==0.18.0 jmespath==1.1.0
    python-dateutil==2.9.0.post0 six==1.17.0 urllib3==2.7.0
  )
  local opts=(
    --variant=essential --include=python3,python3-venv,python3-psycopg2
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
    --dpkgopt='path-exclude=/usr/share/locale/*'
    --customize-hook="chroot \"\$1\" python3 -m venv --system-site-packages /venv"
    # The wheels are fetched by this machine's pip (its proxy and CA
    # settings apply) and installed from that directory only.
    --customize-hook="copy-in $WORK/barman-wheels /tmp"
    --customize-hook="chroot \"\$1\" /venv/bin/pip install -q --no-index --find-links /tmp/barman-wheels ${pins[*]}"
    --customize-hook='rm -rf "$1"/tmp/barman-wheels'
  )
  "$LAB_DIR/images/build.sh" barman-cloud-plugin >/dev/null
  v=$(awk '$1 == "github.com/cloudnative-pg/plugin-barman-cloud" { print $2 }' \
    "$LAB_DIR/images/plugin-barman-cloud/go.mod" | head -n1)
  key=$(printf '%s\n' "${opts[@]}" | sha256sum | cut -d' ' -f1)
  if [[ ! -s $rootfs || $(cat "$rootfs.key" 2>/dev/null) != "$key" ]]; then
    python3 -m pip --version >/dev/null 2>&1 || "$REPO_ROOT/scripts/prereqs.sh" python3-pip >&2
    rm -rf "$WORK/barman-wheels"
    python3 -m pip download -q --no-deps --only-binary=:all: -d "$WORK/barman-wheels" "${pins[@]}" >&2 ||
      die "barman-cloud-sidecar: pip download failed"
    mmdebstrap -q --format=tar "${opts[@]}" bookworm "$WORK/barman-sidecar-new.tar" http://deb.debian.org/debian >&2 ||
      die "barman-cloud-sidecar: mmdebstrap failed"
    mv -f "$WORK/barman-sidecar-new.tar" "$rootfs" && printf '%s' "$key" >"$rootfs.key"
  fi
  layer barman-cloud-sidecar <<EOF
file manager 0755 0 0 $LAB_BIN/barman-cloud-plugin
EOF
  push_image barman-cloud-sidecar "ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:$v" \
    "--user 26:26 -e PATH=/venv/bin:${DEFAULT_PATH#PATH=} --entrypoint /manager" \
    barman-sidecar-debian barman-cloud-sidecar
}

t_all=$(now_ms)
for i in "${images[@]}"; do
  case $i in
  pause) image_pause ;;
  busybox) image_busybox ;;
  velero) image_velero ;;
  velero-plugin-for-aws) image_velero_plugin_for_aws ;;
  local-path-provisioner) image_local_path_provisioner ;;
  postgresql) image_postgresql ;;
  cnpg-operator) image_cnpg_operator ;;
  cnpg-postgresql) image_cnpg_postgresql ;;
  barman-cloud-plugin) image_barman_cloud_plugin ;;
  barman-cloud-sidecar) image_barman_cloud_sidecar ;;
  *) die "unknown image: $i (known: pause, busybox, velero, velero-plugin-for-aws, local-path-provisioner, postgresql, cnpg-operator, cnpg-postgresql, barman-cloud-plugin, barman-cloud-sidecar)" ;;
  esac
done
log "done in $(fmt_secs $(($(now_ms) - t_all)))s: registry $LAB_REGISTRY"
