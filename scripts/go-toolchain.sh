# Source this file: it makes sure Go 1.26 or newer is on PATH for this shell.
# shellcheck shell=bash
#
# The lab builds Kubernetes, Velero, Flux and the rest from their Go modules.
# A fresh Debian 12 has no Go (its package is 1.19), so where none is found,
# or one older than 1.26, the pinned release is fetched the way `go` itself
# fetches toolchains: as the module golang.org/toolchain from the Go module
# proxy. Its checksum is pinned here and checked before anything is unpacked.
GO_TOOLCHAIN_VERSION="1.26.8"
GO_TOOLCHAIN_MODULE_VERSION="v0.0.1-go$GO_TOOLCHAIN_VERSION.linux-amd64"
# sha256 of the proxy's zip for that version (recorded when it was pinned).
GO_TOOLCHAIN_SHA256="30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7"
GO_TOOLCHAIN_MIN_MINOR=26

# go_toolchain_usable: true when `go` on PATH is Go 1.<MIN_MINOR> or newer.
go_toolchain_usable() {
  command -v go >/dev/null 2>&1 || return 1
  local minor
  minor=$(go env GOVERSION 2>/dev/null | sed -nE 's/^go1\.([0-9]+).*/\1/p')
  [[ -n $minor ]] && ((minor >= GO_TOOLCHAIN_MIN_MINOR))
}

if ! go_toolchain_usable; then
  go_toolchain_dir="${OPENEBS_PORTAL_CACHE:-$HOME/.cache/openebs-portal}/go$GO_TOOLCHAIN_VERSION"
  if [[ ! -x $go_toolchain_dir/bin/go ]]; then (
    set -euo pipefail
    [[ $(uname -m) == x86_64 ]] || {
      echo "go-toolchain: no Go 1.$GO_TOOLCHAIN_MIN_MINOR on PATH, and only linux-amd64 is pinned here; install Go $GO_TOOLCHAIN_VERSION for $(uname -m) and retry" >&2
      exit 1
    }
    proxy=${GOPROXY:-https://proxy.golang.org}
    proxy=${proxy%%[,|]*}
    [[ $proxy == http* || $proxy == file:* ]] || proxy=https://proxy.golang.org
    url="$proxy/golang.org/toolchain/@v/$GO_TOOLCHAIN_MODULE_VERSION.zip"
    echo "go-toolchain: no Go 1.$GO_TOOLCHAIN_MIN_MINOR+ on PATH; fetching Go $GO_TOOLCHAIN_VERSION from $url into $go_toolchain_dir" >&2
    rm -rf "$go_toolchain_dir.tmp" && mkdir -p "$go_toolchain_dir.tmp"
    curl -fsSL --retry 3 -o "$go_toolchain_dir.tmp/toolchain.zip" "$url"
    echo "$GO_TOOLCHAIN_SHA256  $go_toolchain_dir.tmp/toolchain.zip" | sha256sum --check --quiet - || {
      echo "go-toolchain: $url does not have the pinned sha256 $GO_TOOLCHAIN_SHA256; refusing to use it" >&2
      rm -rf "$go_toolchain_dir.tmp"
      exit 1
    }
    python3 - "$go_toolchain_dir.tmp" "golang.org/toolchain@$GO_TOOLCHAIN_MODULE_VERSION/" <<'PY'
import os, sys, zipfile
# Module zips hold every file under "<module>@<version>/" and keep no file
# modes; `go` marks bin/ and pkg/tool/ executable when it unpacks a
# toolchain, and so does this.
out, prefix = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(os.path.join(out, "toolchain.zip")) as z:
    for info in z.infolist():
        if not info.filename.startswith(prefix):
            sys.exit(f"go-toolchain: unexpected entry in the toolchain zip: {info.filename}")
        name = info.filename[len(prefix):]
        if not name or name.endswith("/"):
            continue
        path = os.path.join(out, "go", name)
        if os.path.commonpath([path, out]) != out:
            sys.exit(f"go-toolchain: refusing a path outside the toolchain: {info.filename}")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with z.open(info) as src, open(path, "wb") as dst:
            dst.write(src.read())
        if name.startswith("bin/") or name.startswith("pkg/tool/"):
            os.chmod(path, 0o755)
PY
    rm "$go_toolchain_dir.tmp/toolchain.zip"
    rm -rf "$go_toolchain_dir" && mv "$go_toolchain_dir.tmp/go" "$go_toolchain_dir" && rm -rf "$go_toolchain_dir.tmp"
  ) || return 1 2>/dev/null || exit 1
  fi
  export PATH="$go_toolchain_dir/bin:$PATH"
  # This toolchain is the one wanted: never let `go` switch to another.
  export GOTOOLCHAIN=local
  go_toolchain_usable || {
    echo "go-toolchain: $go_toolchain_dir/bin/go does not run as Go $GO_TOOLCHAIN_VERSION" >&2
    return 1 2>/dev/null || exit 1
  }
fi
