#!/usr/bin/env bash
# Runs the portal with the OpenEBS storage plugins against a local, real
# Kubernetes API (lab/), seeded with demo objects.
#
#   scripts/dev.sh        then open http://localhost:3000
#
# Stop with Ctrl-C; `lab/scripts/down.sh` stops the lab cluster.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/prereqs.sh
# shellcheck source=toolchain.sh
source scripts/toolchain.sh
yarn install

lab/scripts/up.sh >/dev/null
set -a
# shellcheck disable=SC1091
source lab/_state/env
set +a

echo "==> seeding demo objects into the lab cluster"
node --require @backstage/cli/config/nodeTransform.cjs \
  plugins/openebs-storage-backend/dev/seedDemo.ts

echo "==> starting Backstage: http://localhost:3000"
exec yarn start
