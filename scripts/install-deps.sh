#!/usr/bin/env bash
# Installs the Debian 12 packages Gazette needs, only when something is missing.
# Usage: scripts/install-deps.sh [--with-browser]   (the browser tests need Chromium and Node)
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libxapian-dev xapian-tools
  libboost1.81-dev libboost-json1.81-dev
  libsimdjson-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtomlplusplus-dev libcli11-dev libcld2-dev libgumbo-dev libjemalloc-dev
  curl python3
)
if [[ "${1:-}" == "--with-browser" ]]; then
  packages+=(chromium)
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
