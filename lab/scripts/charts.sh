#!/usr/bin/env bash
# Prints the folder holding the pinned Helm charts (lab/charts.tsv), or stops
# with what is missing and where upstream publishes it. The test and dev
# commands run it first, so a clone without the charts learns it in a second.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
charts_dir
