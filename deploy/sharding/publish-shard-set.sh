#!/usr/bin/env bash
# Publishes a shard set for gazette-searchd: writes ROUTER/generations/gNNNNNN, a Xapian stub
# database with one "remote HOST:PORT" line per xapian-tcpsrv, then points ROUTER/live.stub at
# it with an atomic rename. searchd on ROUTER switches to it like to any new generation (and so
# opens fresh connections to every shard). Keeps the 3 previous stubs.
#
# Usage: publish-shard-set.sh ROUTER_DIR HOST:PORT [HOST:PORT...]
# Run it when the set of shards changes, and after a shard swapped its live generation
# (reindex, rollback): a connection opened before the swap keeps reading the old generation.
set -euo pipefail
if (($# < 2)); then
  echo "usage: $0 ROUTER_DIR HOST:PORT [HOST:PORT...]" >&2
  exit 2
fi
router=$1
shift
mkdir -p "$router/generations"
last=$(find "$router/generations" -maxdepth 1 -name 'g[0-9][0-9][0-9][0-9][0-9][0-9]' -printf '%f\n' | sort | tail -n 1)
number=${last#g}
next=$(printf 'g%06d' $((10#${number:-0} + 1)))
tmp=$(mktemp "$router/generations/.stub.XXXXXX")
for shard in "$@"; do
  [[ $shard == *:* ]] || { echo "not HOST:PORT: $shard" >&2; rm -f "$tmp"; exit 2; }
  echo "remote $shard" >>"$tmp"
done
chmod 0644 "$tmp"
sync "$tmp"
mv "$tmp" "$router/generations/$next"
echo "auto generations/$next" >"$router/live.stub.tmp"
sync "$router/live.stub.tmp"
mv "$router/live.stub.tmp" "$router/live.stub"
sync "$router"
find "$router/generations" -maxdepth 1 -name 'g[0-9][0-9][0-9][0-9][0-9][0-9]' -printf '%f\n' | sort | head -n -4 |
  while read -r old; do rm -f "$router/generations/$old"; done
echo "$next: $*"
