#!/usr/bin/env bash
# The plugins installed the way a stranger installs them, proven in Chromium:
#
#   1. each package built by `backstage-cli package build` and packed by
#      `yarn pack` (prepack rewrites `exports` to dist/, `workspace:^` becomes
#      a version): the tarballs a registry would serve;
#   2. a fresh app made by `@backstage/create-app` at our Backstage release
#      (backstage.json), the tarballs added as `file:` dependencies (no
#      workspace links; the common package, which npm would serve, through a
#      resolution), the READMEs' install steps applied: the backend's two
#      `backend.add` lines; the frontend plugin needs no code (create-app's
#      app discovers it);
#   3. the app type-checked and built for production, served by its own
#      backend on :7007 against a lab cluster seeded with the demo objects;
#   4. e2e/install/strangerApp.spec.ts opens shop's Storage tab.
#
#   scripts/install-check.sh
#
# Artifacts (gitignored): e2e/artifacts/install/ (packs/, logs/), the
# screenshot e2e/artifacts/install-storage-tab.png. The app is made outside the
# repository, in ~/.cache/openebs-portal/install-check/app (so that none of
# our tools takes it for ours), anew every run; its node_modules are kept for
# the next run (a warm cache, as a developer's machine has), so only the
# changed tarballs are installed again.
# create-app cannot fetch its yarn.lock seed here (GitHub is unreachable), so
# the app starts from this repository's yarn.lock: the same upstream versions
# our tests ran with.
#
# Port 7007 must be free. Starts its own lab (lab/_state-install) and stops it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)
# shellcheck source=lib.sh
source scripts/lib.sh

packages=(openebs-storage-common openebs-storage-backend openebs-storage scaffolder-backend-module-openebs)
work=$repo/e2e/artifacts/install
packs=$work/packs
cache=${XDG_CACHE_HOME:-$HOME/.cache}/openebs-portal/install-check
app=$cache/app
kept=$cache/kept-node_modules
logs=$work/logs
lab_state=$repo/lab/_state-install
backend_url=http://localhost:7007
ready_timeout=${E2E_READY_TIMEOUT:-300}

phase "prerequisites (Chromium, jq; Node 22 + Yarn 4)"
# jq: the app's package.json files are edited with it (a fresh Debian has none).
scripts/prereqs.sh chromium fonts-liberation jq
# shellcheck source=toolchain.sh
source scripts/toolchain.sh
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
code=0
curl -s -o /dev/null --max-time 5 "$backend_url" || code=$?
((code == 7)) || {
  echo "install-check: port 7007 is in use; stop that server first" >&2
  exit 1
}
mkdir -p "$packs" "$logs" "$cache"

backend_pgid=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  [[ -z $backend_pgid ]] || stop_group "the fresh app's backend" "$backend_pgid"
  timeout 120 lab/scripts/down.sh --purge "$lab_state" >/dev/null 2>&1 ||
    echo "install-check: lab/scripts/down.sh $lab_state failed or timed out" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

phase "build and pack ${packages[*]}"
# Declarations come from the repository's type check (dist-types/).
yarn tsc
rm -f "$packs"/*.tgz
for p in "${packages[@]}"; do
  (cd "plugins/$p" && yarn backstage-cli package build && yarn pack --out "$packs/$p.tgz") >"$logs/pack-$p.log" 2>&1 || {
    echo "install-check: packing $p failed; see $logs/pack-$p.log" >&2
    exit 1
  }
done
ls -l "$packs"

phase "a fresh app from @backstage/create-app at Backstage $(jq -r .version backstage.json)"
# The create-app release that makes apps of our Backstage release.
create_app_version=0.9.2
# move_deps FROM TO: the app's installed dependencies (node_modules at the
# root and in its two packages, and Yarn's install state), kept between runs
# (see above).
move_deps() {
  local from=$1 to=$2 d
  [[ -d $from/node_modules ]] || return 0
  for d in node_modules packages/app/node_modules packages/backend/node_modules .yarn/install-state.gz; do
    [[ -e $from/$d ]] || continue
    mkdir -p "$(dirname "$to/$d")"
    mv "$from/$d" "$to/$d"
  done
}
# (A run stopped between the two moves left them in $kept: keep those then.)
[[ ! -d $app/node_modules ]] || rm -rf "$kept"
move_deps "$app" "$kept"
rm -rf "$app"
BACKSTAGE_APP_NAME=stranger yarn dlx -q -p "@backstage/create-app@$create_app_version" \
  backstage-create-app --path "$app" --skip-install >"$logs/create-app.log" 2>&1 || {
  echo "install-check: create-app failed; see $logs/create-app.log" >&2
  exit 1
}
[[ $(jq -r .version "$app/backstage.json") == "$(jq -r .version backstage.json)" ]] || {
  echo "install-check: create-app@$create_app_version made a Backstage $(jq -r .version "$app/backstage.json") app, not $(jq -r .version backstage.json)" >&2
  exit 1
}
move_deps "$kept" "$app"
cp yarn.lock "$app/yarn.lock"

phase "the READMEs' install steps, with the tarballs"
# `yarn add` of a file: tarball, written straight into package.json so that
# one install does all three.
edit_json() {
  local file=$1
  shift
  jq "$@" "$file" >"$file.new" && mv "$file.new" "$file"
}
edit_json "$app/package.json" --arg c "file:$packs/openebs-storage-common.tgz" \
  '.resolutions["@openebs-portal/plugin-openebs-storage-common"] = $c'
edit_json "$app/packages/app/package.json" --arg f "file:$packs/openebs-storage.tgz" \
  '.dependencies["@openebs-portal/plugin-openebs-storage"] = $f'
# Not ours, but any create-app@0.9.2 app hits it today: its `^0.3.19` takes
# plugin-signals-backend 0.3.21 (2026-11-17), which needs the WebSocket
# router of backend-defaults 0.19 (same day), where the app asks `^0.18.0`:
# the backend stops at startup with "httpRouter.addWebSocketHandler is not a
# function". The app gets the backend-defaults our backend runs on.
edit_json "$app/packages/backend/package.json" \
  --arg b "file:$packs/openebs-storage-backend.tgz" \
  --arg s "file:$packs/scaffolder-backend-module-openebs.tgz" \
  --arg d "$(jq -r '.dependencies["@backstage/backend-defaults"]' packages/backend/package.json)" \
  '.dependencies["@openebs-portal/plugin-openebs-storage-backend"] = $b
   | .dependencies["@openebs-portal/plugin-scaffolder-backend-module-openebs"] = $s
   | .dependencies["@backstage/backend-defaults"] = $d'
# The backend lines, exactly as the READMEs write them (a README that changes
# them fails here).
backend_lines=(
  "plugins/openebs-storage-backend/README.md:backend.add(import('@openebs-portal/plugin-openebs-storage-backend'));"
  "plugins/scaffolder-backend-module-openebs/README.md:backend.add(import('@openebs-portal/plugin-scaffolder-backend-module-openebs'));"
)
for entry in "${backend_lines[@]}"; do
  readme=${entry%%:*} line=${entry#*:}
  grep -qF "$line" "$readme" || {
    echo "install-check: $readme no longer says: $line" >&2
    exit 1
  }
  # Before `backend.start();`, like the README's other additions.
  sed -i "s|^backend.start();|$line\n&|" "$app/packages/backend/src/index.ts"
done
grep -q "plugin-openebs-storage-backend" "$app/packages/backend/src/index.ts"

phase "yarn install in the fresh app"
# --no-immutable: under CI (CI=true) Yarn refuses to change a lockfile, and
# the app's must change (our yarn.lock is only its seed).
(cd "$app" && yarn install --no-immutable) >"$logs/yarn-install.log" 2>&1 || {
  echo "install-check: yarn install failed; last lines of $logs/yarn-install.log:" >&2
  tail -n 30 "$logs/yarn-install.log" >&2
  exit 1
}
tail -n 1 "$logs/yarn-install.log"

phase "type check and production build of the fresh app"
(cd "$app" && yarn tsc && yarn workspace app build) >"$logs/build.log" 2>&1 || {
  echo "install-check: the fresh app does not build; last lines of $logs/build.log:" >&2
  tail -n 30 "$logs/build.log" >&2
  exit 1
}
# The tab's code is in the production bundle (found by feature discovery).
grep -lq "openebs-storage" "$app"/packages/app/dist/static/*.js

phase "lab: a fresh kube-apiserver + etcd with the demo objects"
timeout 120 lab/scripts/down.sh --purge "$lab_state" >/dev/null 2>&1 || true
lab/scripts/up.sh "$lab_state" >/dev/null
set -a
# shellcheck disable=SC1091
source "$lab_state/env"
set +a
export OPENEBS_LAB_ENV=$lab_state/env
node --require @backstage/cli/config/nodeTransform.cjs \
  plugins/openebs-storage-backend/dev/seedDemo.ts

phase "the fresh app's backend ($backend_url), serving the built app"
export OPENEBS_INSTALL_ENTITIES=$repo/examples/entities.yaml
t=$(now_ms)
# Its own session: one kill stops yarn, backstage-cli and the backend.
(cd "$app" && exec setsid yarn workspace backend start \
  --config ../../app-config.yaml --config "$repo/e2e/install/app-config.yaml") \
  >"$logs/backend.log" 2>&1 </dev/null &
backend_pgid=$!
ready() {
  local token
  token=$(curl -sf -X POST "$backend_url/api/auth/guest/refresh" |
    jq -r .backstageIdentity.token) || return 1
  curl -sf -H "Authorization: Bearer $token" \
    "$backend_url/api/openebs-storage/entities/component/default/shop/storage" |
    grep -q '"data-postgres-1"'
}
deadline=$((SECONDS + ready_timeout))
until ready; do
  # (In development mode the process outlives a failed startup.)
  if ! pgid_alive "$backend_pgid" || ((SECONDS >= deadline)) ||
    grep -q "Backend startup failed" "$logs/backend.log"; then
    echo "install-check: the fresh app's backend did not get ready; its last lines but requests ($logs/backend.log):" >&2
    grep -v rootHttpRouter "$logs/backend.log" | tail -n 20 | cut -c1-600 >&2
    exit 1
  fi
  sleep 1
done
printf '  ready after %ss\n' "$(secs $(($(now_ms) - t)))"

phase "playwright: shop's Storage tab in the fresh app"
E2E_INSTALL=1 PLAYWRIGHT_URL=$backend_url yarn playwright test e2e/install
printf 'install check: %ss in all\n' "$(($(date +%s) - PHASE_STARTED))"
