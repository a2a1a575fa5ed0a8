#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 60), growing its corpus in fuzz/corpus/.
#   fuzz/run.sh [SECONDS] [TARGET...]
# Needs Debian's clang-14 and libclang-rt-14-dev (scripts/install-deps.sh --fuzz). New inputs
# found are kept in the corpus (commit them); a crash stops with the reproducer in build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
(( ${#targets[@]} )) || targets=(query_parser page_token sigv4 request)
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNUMBERPOOL_FUZZ=ON -DNUMBERPOOL_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target $(printf '%s_fuzzer ' "${targets[@]}")
for t in "${targets[@]}"; do
  echo "== $t: ${seconds}s"
  (cd build-fuzz && ./fuzz/"${t}"_fuzzer -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
      -max_len=65536 ../fuzz/corpus/"$t")
done
