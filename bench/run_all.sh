#!/usr/bin/env bash
# Reproduces the figures of bench/README.md: Release build, corpora, then every benchmark.
# Usage: bench/run_all.sh [SIZES...]   (default: 10k 100k; add 1m for the million-article run)
# Environment: OUT (default /tmp/gazette-bench) holds corpora, indexes and logs; nothing is
# written inside the repository (the source texts are research-only).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${OUT:-/tmp/gazette-bench}"
BUILD="${BUILD:-$ROOT/build-bench}"
SIZES=("${@:-10k 100k}")
[ $# -eq 0 ] && SIZES=(10k 100k)
mkdir -p "$OUT"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGAZETTE_BUILD_TESTS=OFF -DGAZETTE_BUILD_BENCH=ON >/dev/null
ninja -C "$BUILD" -j2 gazette-indexer gazette-searchd gazette_bench_index gazette_bench_load gazette_bench_micro \
  gazette_bench_facets

count() { case "$1" in 10k) echo 10000;; 100k) echo 100000;; 1m) echo 1000000;; *) echo "$1";; esac; }

for s in "${SIZES[@]}"; do
  c="$OUT/corpus-$s.jsonl"
  [ -f "$c" ] || python3 "$ROOT/bench/corpus/make_corpus.py" --count "$(count "$s")" --seed 42 --out "$c"
  rm -rf "$OUT/index-$s"
  "$BUILD/bench/gazette_bench_index" --corpus "$c" --work-dir "$OUT/index-$s" --keep | tee "$OUT/index-$s.txt"
  rm -rf "$OUT/load-$s"
  "$BUILD/bench/gazette_bench_load" --corpus "$c" --data-dir "$OUT/index-$s/gazette-data" \
      --work-dir "$OUT/load-$s" --seconds 10 | tee "$OUT/load-$s.txt"
  "$BUILD/bench/facets/gazette_bench_facets" --corpus "$c" --data-dir "$OUT/index-$s/gazette-data" \
      --rounds 5 | tee "$OUT/facets-$s.txt"
done

for real in usgov-press-2021-2022 wikipedia-en-sample; do
  c="$ROOT/../shared/data/$real/corpus.jsonl"
  rm -rf "$OUT/index-$real" "$OUT/load-$real"
  "$BUILD/bench/gazette_bench_index" --corpus "$c" --work-dir "$OUT/index-$real" --keep | tee "$OUT/index-$real.txt"
  "$BUILD/bench/gazette_bench_load" --corpus "$c" --data-dir "$OUT/index-$real/gazette-data" \
      --work-dir "$OUT/load-$real" --seconds 10 | tee "$OUT/load-$real.txt"
done

GAZETTE_BENCH_CORPUS="$OUT/corpus-10k.jsonl" "$BUILD/bench/gazette_bench_micro" | tee "$OUT/micro.txt"
