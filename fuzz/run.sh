#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 60), growing its corpus in fuzz/corpus/,
# then minimizes the corpus (libFuzzer's -merge=1: the smallest set of inputs with the same
# coverage), so that what is committed stays small.
#   fuzz/run.sh [SECONDS] [TARGET...]
# Needs Debian's clang-14 and libclang-rt-14-dev (scripts/install-deps.sh --fuzz). Commit the
# corpus changes; a crash stops with the reproducer in build-fuzz/.
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
  minimized="build-fuzz/corpus-$t"
  rm -rf "$minimized" && mkdir -p "$minimized"
  # The corpus is replaced only once the merge has succeeded.
  if build-fuzz/fuzz/"${t}"_fuzzer -merge=1 -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
      "$minimized" fuzz/corpus/"$t" > "build-fuzz/merge-$t.log" 2>&1; then
    grep -E '^MERGE-OUTER: [0-9]+ new files' "build-fuzz/merge-$t.log" || true
    rm -rf fuzz/corpus/"$t" && mv "$minimized" fuzz/corpus/"$t"
  else
    echo "merging the $t corpus failed (build-fuzz/merge-$t.log); it is left as it is" >&2
    exit 1
  fi
done
