#!/usr/bin/env bash
# Installs the Debian packages the portal, the lab and the tests need, once.
# Node 22 and Yarn 4 come from the npm registry instead (scripts/toolchain.sh).
#
#   scripts/prereqs.sh [EXTRA_PACKAGE...]
#
# Extra packages are for one script's own needs, e.g. `scripts/prereqs.sh
# chromium` in scripts/e2e.sh (Playwright drives Debian's Chromium; no browser
# is ever downloaded by Playwright).
set -euo pipefail

packages=(ca-certificates curl git openssl python3 make g++ npm util-linux postgresql "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
# npm may come from elsewhere (a Node.js install); only the command matters.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/npm/}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if ((${#missing[@]})); then
  echo "prereqs: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Only prometheus's promtool (it unit-tests the platform's alerts) and the
  # alertmanager binary (tests start their own) are wanted; on a host with
  # systemd the packages also start servers on :9090 and :9093.
  for package in "${missing[@]}"; do
    if [[ $package == prometheus || $package == prometheus-alertmanager ]] &&
      command -v systemctl >/dev/null 2>&1 &&
      systemctl is-enabled --quiet "$package" 2>/dev/null; then
      systemctl disable --now "$package" >/dev/null 2>&1 || true
    fi
  done
fi

# The pinned Helm charts (not in this repository): stop now, naming them and
# where to get them, rather than minutes later with a bare path error. This
# also fetches Go where it is missing (lab/scripts/lib.sh).
"$(dirname "${BASH_SOURCE[0]}")/../lab/scripts/charts.sh" >/dev/null
