#!/usr/bin/env bash
# README command 1: install what is missing, build, index the bundled sample archive, and
# start gazette-searchd with its search page on http://127.0.0.1:8080/
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

data_dir="${GAZETTE_DEMO_DATA:-$root/demo-data}"
if [[ ! -e "$data_dir/live.stub" ]]; then
  build/release/indexer/gazette-indexer index --data-dir "$data_dir" --config config/demo.toml sample/usgov-press-clean.jsonl
else
  echo "using the existing index in $data_dir (delete it to re-index)"
fi
echo "starting gazette-searchd on http://127.0.0.1:8080/  (Ctrl-C to stop)"
exec build/release/searchd/gazette-searchd --data-dir "$data_dir" --config config/demo.toml --listen 127.0.0.1:8080
