#!/usr/bin/env bash
# README command 2: install what is missing, build with warnings as errors and ASan+UBSan,
# and run the whole test suite (unit, integration, benchmark smoke, browser).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/install-deps.sh --with-browser
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$(nproc)"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --preset ci
