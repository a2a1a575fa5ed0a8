#!/usr/bin/env bash
# Installs what is needed, builds, and runs the whole test suite (unit, integration and fuzz
# corpus replays), then the same suite again built with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/). NUMBERPOOL_SKIP_SANITIZERS=1 skips the second run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure --timeout 900 -j 2)
if [[ "${NUMBERPOOL_SKIP_SANITIZERS:-}" != 1 ]]; then
  echo "== the same suite under AddressSanitizer and UndefinedBehaviorSanitizer"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNUMBERPOOL_SANITIZE=ON \
    -DNUMBERPOOL_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build build-asan -j "$(nproc)"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure --timeout 1800 -j 2)
fi
