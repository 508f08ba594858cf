#!/usr/bin/env bash
# Runs the portal with the OpenEBS storage plugins against a local, real
# Kubernetes API (lab/), seeded with demo objects.
#
#   scripts/dev.sh           then open http://localhost:3000
#   scripts/dev.sh --gitea   also a Gitea on http://127.0.0.1:3300 (user
#                            portal, password in lab/_state-gitea/run/), the
#                            cluster repository the openebs-workload template
#                            opens pull requests on; its first build takes
#                            about ten minutes
#   scripts/dev.sh --full    against the full lab instead (docs/lab.md): a
#                            real node with Velero, the OpenEBS class and S3
#                            applied by the real Flux from the lab's Gitea
#                            (127.0.0.1:3300, its cluster repository, so
#                            --gitea is implied), and `shop` as a real
#                            StatefulSet with a real first backup; the first
#                            build takes about an hour
#
# Stop with Ctrl-C; `lab/scripts/down.sh` stops the lab cluster (--full:
# `lab/scripts/full-down.sh`) and
# `lab/scripts/gitea.sh down` the Gitea.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

gitea=0 full=0
for a in "$@"; do
  case $a in
  --gitea) gitea=1 ;;
  --full) full=1 ;;
  *)
    sed -n '2,18p' "${BASH_SOURCE[0]}" >&2
    exit 2
    ;;
  esac
done

scripts/prereqs.sh
# shellcheck source=toolchain.sh
source scripts/toolchain.sh
yarn install

if ((full)); then
  echo "==> the full lab: node, platform from the template, shop as a real workload"
  lab/scripts/full-up.sh >/dev/null
  lab/scripts/platform-up.sh >/dev/null
  set -a
  # shellcheck disable=SC1091
  source lab/_state-node/env
  set +a
  lab/platform/demo-up.sh lab/_state-node
  lab/scripts/monitoring.sh up lab/_state-node >/dev/null
  set -a
  # shellcheck disable=SC1091
  source lab/_state-node/env-monitoring
  set +a
  gitea_env=lab/_state-node/gitea/env-gitea
else
  lab/scripts/up.sh >/dev/null
  set -a
  # shellcheck disable=SC1091
  source lab/_state/env
  set +a

  echo "==> seeding demo objects into the lab cluster"
  node --require @backstage/cli/config/nodeTransform.cjs \
    plugins/openebs-storage-backend/dev/seedDemo.ts
fi

config=()
if ((gitea && !full)); then
  echo "==> Gitea: the cluster repository on 127.0.0.1:3300"
  lab/scripts/gitea.sh up >/dev/null
  gitea_env=lab/_state-gitea/env-gitea
fi
if [[ -n ${gitea_env:-} ]]; then
  set -a
  # shellcheck disable=SC1090
  source "$gitea_env"
  set +a
  # --config replaces the default app-config.yaml: name both.
  config=(--config "$PWD/app-config.yaml" --config "$PWD/app-config.gitea.yaml")
  echo "    $GITEA_REPO_URL (user $GITEA_USERNAME)"
fi
((!full)) || config+=(--config "$PWD/app-config.monitoring.yaml")

echo "==> starting Backstage: http://localhost:3000"
exec yarn start "${config[@]}"
