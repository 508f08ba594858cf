# Shared helpers for lab/scripts/*.sh. Sourced, not executed.
# shellcheck shell=bash
# shellcheck disable=SC2034 # variables here are used by the scripts that source this

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_ROOT=$(cd "$LAB_DIR/.." && pwd)
# Go 1.26+ on PATH (fetched from the Go module proxy where missing).
# shellcheck source=../../scripts/go-toolchain.sh
. "$REPO_ROOT/scripts/go-toolchain.sh"

# Build output lives outside the work tree so that a fresh clone (CI) on the
# same machine reuses binaries that an earlier checkout already built.
LAB_CACHE=${OPENEBS_LAB_CACHE:-$HOME/.cache/openebs-portal/lab}
LAB_BIN=$LAB_CACHE/bin
LAB_CRDS=$LAB_CACHE/crds

# Milliseconds since the epoch; LAB_T0 marks the start of the running script.
now_ms() { date +%s%3N; }
LAB_T0=$(now_ms)

# fmt_secs MS: milliseconds as seconds with one decimal.
fmt_secs() { printf '%d.%d' $(($1 / 1000)) $(($1 % 1000 / 100)); }

# log MSG: progress line with seconds elapsed since the script started.
log() {
  printf '[lab %5ss] %s\n' "$(fmt_secs $(($(now_ms) - LAB_T0)))" "$*" >&2
}

die() {
  printf '[lab] ERROR: %s\n' "$*" >&2
  exit 1
}

# lab_wait_phase TIMEOUT_S JSONPATH WANTED ARGS...: polls `kubectl get ARGS -o
# jsonpath=JSONPATH` until it prints one of WANTED (|-separated). `kubectl` is
# the caller's function (its lab's binary and kubeconfig). Returns 1 with
# LAB_WAIT_PROBLEM set when the value is one of Velero's failed phases or the
# time is up, for the caller to report its own way.
lab_wait_phase() {
  local timeout=$1 path=$2 wanted=$3 value deadline
  shift 3
  deadline=$((SECONDS + timeout))
  while :; do
    value=$(kubectl get "$@" -o jsonpath="$path" 2>/dev/null || true)
    [[ -n $value && "|$wanted|" == *"|$value|"* ]] && return 0
    case $value in
    Failed | PartiallyFailed | FailedValidation)
      LAB_WAIT_PROBLEM="$* is $value"
      return 1
      ;;
    esac
    if ((SECONDS >= deadline)); then
      LAB_WAIT_PROBLEM="$* is '${value:-absent}' after ${timeout}s (wanted $wanted)"
      return 1
    fi
    sleep 0.5
  done
}

# shared/ (chart mirror) sits beside the repository: ../shared from the repo
# root, both in a developer's checkout and in CI's fresh clone.
shared_dir() {
  if [[ -n ${OPENEBS_SHARED_DIR:-} ]]; then
    printf '%s\n' "$OPENEBS_SHARED_DIR"
    return
  fi
  local top
  top=$(git -C "$LAB_DIR" rev-parse --show-toplevel 2>/dev/null || printf '%s' "$REPO_ROOT")
  printf '%s\n' "$top/../shared"
}

# charts_dir: prints the folder holding the pinned charts of lab/charts.tsv,
# or stops naming each missing chart, where upstream publishes it and how to
# point the scripts at a folder that holds it (a clone outside this project's
# CI has no ../shared beside it).
charts_dir() {
  local dir=${OPENEBS_CHARTS_DIR:-$(shared_dir)/charts} name version repository missing=""
  while IFS=$'\t' read -r name version repository; do
    [[ -z $name || $name == '#'* ]] && continue
    [[ -f $dir/$name-$version.tgz ]] ||
      missing+=$(printf '\n  %s-%s.tgz   helm pull %s --repo %s --version %s' \
        "$name" "$version" "$name" "$repository" "$version")
  done <"$LAB_DIR/charts.tsv"
  [[ -z $missing ]] && {
    printf '%s\n' "$dir"
    return
  }
  die "pinned Helm charts missing from $dir:$missing
Put them in one folder and set OPENEBS_CHARTS_DIR to it (or OPENEBS_SHARED_DIR to a folder whose charts/ holds them); the list is lab/charts.tsv."
}

# s3_create_bucket ENDPOINT CA_FILE REGION KEY:SECRET BUCKET OUT_FILE: makes
# BUCKET through the S3 API (CreateBucket, SigV4 by curl) so that versitygw
# records its owner: 200 made, 409 BucketAlreadyOwnedByYou (kept).
s3_create_bucket() {
  local code
  code=$(curl -s -o "$6" -w '%{http_code}' --max-time 10 --cacert "$2" \
    --aws-sigv4 "aws:amz:$3:s3" --user "$4" -X PUT "$1/$5" \
    -H "x-amz-content-sha256: $(printf "" | sha256sum | cut -d" " -f1)")
  case $code in
  200) log "s3: created bucket $5" ;;
  409) grep -q BucketAlreadyOwnedByYou "$6" || die "s3: CreateBucket $5: $(cat "$6")" ;;
  *) die "s3: CreateBucket $5 answered $code: $(cat "$6")" ;;
  esac
}

VELERO_CHART_VERSION=12.1.0

# lab_pid NAME STATE_DIR: print the pid of lab process NAME (etcd,
# kube-apiserver) started for STATE_DIR; fail if it is not running. The pid
# file alone is not trusted: pids get reused, so the process's command line
# must still be that binary with this state dir in its arguments. (A zombie
# has an empty command line and so counts as not running.)
lab_pid() {
  local f=$2/run/$1.pid pid cmd
  [[ -f $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  cmd=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ $(basename -- "$(head -n1 <<<"$cmd")") == "$1" && $cmd == *"$2/"* ]] || return 1
  printf '%s\n' "$pid"
}

lab_running() { lab_pid "$1" "$2" >/dev/null; }

# lab_render TEMPLATE NAME=VALUE...: the template with each @NAME@ replaced
# by its value, on stdout. Config files live as templates beside the scripts
# (lab/node/*.yaml, *.toml) rather than as heredocs inside them.
lab_render() {
  local template=$1 pair name value
  local -a args=()
  shift
  for pair in "$@"; do
    name=${pair%%=*} value=${pair#*=}
    # Escape what sed's replacement treats specially: \, & and the delimiter.
    value=${value//\\/\\\\} value=${value//&/\\&} value=${value//|/\\|}
    args+=(-e "s|@$name@|$value|g")
  done
  sed "${args[@]}" "$template"
}

# lab_wait_ready NAME STATE_DIR TIMEOUT_S WHAT CMD...: polls CMD (quietly)
# until it succeeds. Returns 1, having said why and shown the end of NAME's
# log (STATE_DIR/logs/NAME.log), as soon as NAME's process has died or
# TIMEOUT_S have passed: the caller stops what it started and exits.
lab_wait_ready() {
  local name=$1 state=$2 timeout=$3 what=$4 deadline problem
  shift 4
  deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    problem=
    if ! lab_running "$name" "$state"; then
      problem="$name exited while waiting for $what"
    elif ((SECONDS >= deadline)); then
      problem="timed out after ${timeout}s waiting for $what"
    fi
    if [[ -n $problem ]]; then
      printf '[lab] ERROR: %s\n[lab] last lines of %s:\n' "$problem" "$state/logs/$name.log" >&2
      tail -n 40 "$state/logs/$name.log" 2>/dev/null | sed 's/^/    /' >&2
      return 1
    fi
    sleep 0.2
  done
}

# lab_stop NAME STATE_DIR: SIGTERM, up to 15 s for a clean exit, then SIGKILL.
lab_stop() {
  local pid i
  if pid=$(lab_pid "$1" "$2"); then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      lab_running "$1" "$2" || break
      sleep 0.1
    done
    if lab_running "$1" "$2"; then
      log "$1 (pid $pid) ignored SIGTERM for 15s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do
        lab_running "$1" "$2" || break
        sleep 0.1
      done
    fi
    log "stopped $1 (pid $pid)"
  fi
  rm -f "$2/run/$1.pid"
}

# lab_stop_all STATE_DIR: Flux controllers, then the apiserver before etcd,
# so that none logs the errors of the one stopped before it.
lab_stop_all() {
  # The Flux controllers (flux.sh) first: they watch the apiserver.
  local c
  for c in source-controller kustomize-controller helm-controller notification-controller; do
    lab_stop "$c" "$1"
  done
  lab_stop kube-apiserver "$1"
  lab_stop etcd "$1"
}

# Building from Go modules, shared by build.sh and lab/tools/build-tools.sh.

# stamp_of EXTRA FILE...: one hash over the inputs' contents (not their paths:
# a fresh clone elsewhere must match), EXTRA (e.g. build flags) and the
# toolchain, so a Go upgrade or a go.mod/go.sum change triggers a rebuild.
stamp_of() {
  {
    go version
    go env CGO_ENABLED GOFLAGS
    printf '%s\n' "$1"
    shift
    cat -- "$@"
  } | sha256sum | cut -d' ' -f1
}

# up_to_date OUTPUT STAMP: true when OUTPUT exists and was made from STAMP.
up_to_date() {
  [[ -e $1 && -f $1.stamp && $(cat "$1.stamp") == "$2" ]]
}

# go_build NAME MODULE_DIR PACKAGE [LDFLAGS] [TAGS]
# TAGS: comma-separated build tags (e.g. no_btrfs for containerd, whose btrfs
# snapshotter needs C headers we do not install). A module's own .go files
# (a main.go of glue) count as inputs too.
go_build() {
  local name=$1 moddir=$2 pkg=$3 ldflags=${4:-} tags=${5:-} out=$LAB_BIN/$1 stamp t0 extra=()
  [[ -f $moddir/go.mod && -f $moddir/go.sum ]] || die "$name: $moddir/go.mod or go.sum missing"
  mapfile -t extra < <(find "$moddir" -maxdepth 1 -name '*.go' | sort)
  stamp=$(stamp_of "$pkg $ldflags${tags:+ tags=$tags}" "$moddir/go.mod" "$moddir/go.sum" "${extra[@]}")
  if up_to_date "$out" "$stamp"; then
    log "$name: up to date ($out)"
    return
  fi
  log "$name: building $pkg (a cold build takes minutes on 2 cores)"
  t0=$(now_ms)
  # -trimpath: no local paths in the binary; -s -w: no symbol/DWARF tables,
  # which makes linking faster and the binary about a third smaller.
  (cd "$moddir" && go build -trimpath ${tags:+-tags "$tags"} -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg")
  mv -f "$out.tmp" "$out"
  printf '%s\n' "$stamp" >"$out.stamp"
  log "$name: built in $(fmt_secs $(($(now_ms) - t0)))s"
}

# Host services beside the API server (lab/scripts/registry.sh, s3.sh).

# lab_free_port HOST WANT: WANT when it can be listened on at HOST (0 or
# taken: a free port the kernel picks). SO_REUSEADDR as Go's listeners, so a
# port whose old connections linger in TIME_WAIT counts as free.
lab_free_port() {
  python3 - "$1" "$2" <<'PY'
import socket, sys
host, want = sys.argv[1], int(sys.argv[2])
fam = socket.AF_INET6 if ":" in host else socket.AF_INET
s = socket.socket(fam)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    if want == 0:
        raise OSError
    s.bind((host, want))
except OSError:
    s.close()
    s = socket.socket(fam)
    s.bind((host, 0))
print(s.getsockname()[1])
PY
}

# lab_daemon NAME STATE_DIR BINARY ARGS...: run BINARY detached (own session,
# stdin closed, output appended to STATE_DIR/logs/NAME.log, no inherited fds
# 6-9 so it holds none of our scripts' locks) and write STATE_DIR/run/NAME.pid. The
# binary's file name must be NAME and an argument must contain STATE_DIR/, so
# that lab_pid recognises the process.
lab_daemon() {
  local name=$1 state=$2 binary=$3
  shift 3
  mkdir -p "$state/logs" "$state/run"
  printf '\n==== start %s ====\n' "$(date -Is)" >>"$state/logs/$name.log"
  setsid "$binary" "$@" >>"$state/logs/$name.log" 2>&1 </dev/null 6>&- 7>&- 8>&- 9>&- &
  local pid=$! i
  printf '%s\n' "$pid" >"$state/run/$name.pid"
  # Until the forked shell has exec'd setsid and setsid the binary, the pid's
  # command line is not yet NAME's and lab_pid would call NAME dead; a busy
  # machine stretches that window past a caller's first readiness probe.
  for ((i = 0; i < 100; i++)); do
    lab_running "$name" "$state" && break
    # Gone, or a zombie (exited before or right after exec): let the caller's
    # readiness wait report it with the log.
    [[ $(cat "/proc/$pid/stat" 2>/dev/null) == *") "[!Z]" "* ]] || break
    sleep 0.05
  done
}
