#!/usr/bin/env bash
# Installs what is needed, builds, and runs the whole test suite (unit and integration).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 900 -j 2
