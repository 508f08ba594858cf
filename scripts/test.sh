#!/usr/bin/env bash
# Runs every test: type check; unit and component tests; backend tests against
# a real kube-apiserver from lab/ and a real PostgreSQL; the end-to-end story
# in Debian's Chromium; the packed plugins installed into a fresh create-app
# app (scripts/install-check.sh); the restore proof on the full lab (a real
# node with Velero, the OpenEBS class and HTTPS S3; needs root).
#
#   scripts/test.sh            everything (about 15 min warm; docs/benchmarks.md)
#   scripts/test.sh --quick    the fast loop: type check, API reports, lint,
#                              prettier, and the tests that need no lab, no
#                              Gitea, no PostgreSQL and no Go-built tool
#                              (*.lab.test.ts, *.gitea.test.ts, *.tools.test.ts
#                              are left out); under two minutes warm
#
# Starts its own lab cluster in lab/_state-test, and the full lab in
# lab/_state-proof (one full lab per host: stop any other first), and stops
# them on exit.
set -euo pipefail
quick=0
case ${1:-} in
--quick) quick=1 ;;
'') ;;
*)
  echo "usage: scripts/test.sh [--quick]" >&2
  exit 2
  ;;
esac
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$(pwd)

# shellcheck source=lib.sh
source scripts/lib.sh

phase "prerequisites"
# prometheus: its promtool unit-tests the platform's PrometheusRules (jest);
# busybox-static: the migration's copy scripts run in its sh (jest).
((quick)) || scripts/prereqs.sh prometheus prometheus-alertmanager busybox-static
# shellcheck source=toolchain.sh
source scripts/toolchain.sh

phase "yarn install"
if [[ -n ${CI:-} ]]; then
  yarn install --immutable
else
  yarn install
fi

# Static checks first: they fail in seconds where the rest takes minutes.
static_checks() {
  phase "type check, and the API reports are current"
  # Emits declarations to dist-types/ (ignored by git), which API Extractor reads.
  yarn tsc
  yarn test:api-reports
  phase "lint and prettier"
  yarn lint:all
  yarn prettier:check
}

if ((quick)); then
  static_checks
  phase "unit and component tests (no lab, Gitea, PostgreSQL or Go tools)"
  CI=true exec yarn backstage-cli repo test \
    --testPathIgnorePatterns '\.(lab|gitea|tools)\.test\.tsx?$'
fi

phase "lab: build and start kube-apiserver + etcd"
lab_state="$repo/lab/_state-test"
proof_state="$repo/lab/_state-proof"
postgres_state=$(mktemp -d /tmp/openebs-portal-postgres.XXXXXX)
cleanup() {
  lab/scripts/down.sh "$lab_state" >/dev/null 2>&1 || true
  scripts/postgres.sh down "$postgres_state" >/dev/null 2>&1 || true
  if [[ -d $proof_state ]]; then
    # Purged: the state is this checkout's, and its volumes would pile up
    # on a reused machine.
    lab/scripts/full-down.sh --purge "$proof_state" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
lab/scripts/up.sh "$lab_state" >/dev/null
export OPENEBS_LAB_ENV="$lab_state/env"

phase "postgresql: a throwaway server for the multi-instance tests"
eval "$(scripts/postgres.sh up "$postgres_state")"
# backend-test-utils' TestDatabases reads this variable for POSTGRES_<major>.
export "BACKSTAGE_TEST_DATABASE_POSTGRES${POSTGRES_MAJOR}_CONNECTION_STRING=$POSTGRES_URL"
export OPENEBS_TEST_POSTGRES_ID="POSTGRES_${POSTGRES_MAJOR}"

phase "test tools: sops, kustomize and helm from their Go modules (lab/tools)"
lab/tools/build-tools.sh >/dev/null
# Gitea, the forge the publishing tests and the end-to-end story open pull
# requests on (lab/scripts/gitea.sh): built here, not inside a jest worker.
lab/tools/build-tools.sh gitea >/dev/null

static_checks

phase "unit, component and backend tests"
results="$repo/node_modules/.cache/jest-results.json"
mkdir -p "$(dirname "$results")"
status=0
# CI=true: outside CI, backstage-cli would start jest in watch mode.
CI=true yarn backstage-cli repo test --json --outputFile="$results" || status=$?

phase "end to end: the Storage tab in Debian's Chromium"
e2e_status=0
scripts/e2e.sh || e2e_status=$?
((e2e_status == 0)) || status=1

phase "install: the packed plugins in a fresh create-app app, in Chromium"
install_status=0
scripts/install-check.sh || install_status=$?
((install_status == 0)) || status=1

phase "full lab: three real nodes, the platform from the template's output, the restore proof"
# docs/lab.md: real bytes written, backed up by Velero to the HTTPS S3,
# destroyed, restored with the backend's Restore, compared file by file.
proof_status=0 full_e2e_status=0
# Three nodes: the node-loss story kills one (e2e/full-lab/nodeLoss.spec.ts).
if LAB_NODES=3 lab/scripts/full-up.sh "$proof_state" >/dev/null && lab/scripts/platform-up.sh "$proof_state" >/dev/null; then
  lab/proof/run.sh "$proof_state" || proof_status=$?
  phase "end to end on the full lab: a real restore from the Storage tab in Chromium"
  E2E_FULL_LAB=$proof_state scripts/e2e.sh || full_e2e_status=$?
else
  proof_status=1 full_e2e_status=1
fi
((proof_status == 0 && full_e2e_status == 0)) || status=1

# One closing line any CI reads: "N passed, N failed" (the end-to-end
# stories, the install check, the restore proof and the full-lab story count
# as one test each).
node -e '
  const r = require(process.argv[1]);
  const stories = process.argv.slice(2).map(s => s === "0");
  const passed = r.numPassedTests + stories.filter(ok => ok).length;
  const failed = r.numFailedTests + stories.filter(ok => !ok).length;
  console.log(`tests: ${passed} passed, ${failed} failed` +
    (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$results" "$e2e_status" "$install_status" "$proof_status" "$full_e2e_status" || true
exit "$status"
