#!/usr/bin/env bash
# Installs the Debian bookworm packages the build and tests need. Idempotent,
# and quick when everything is already there: apt is only run for what is
# missing.
set -euo pipefail

packages=(
  cmake ninja-build ccache clang-19 lld-19 llvm-19-dev wasi-libc libclang-rt-19-dev-wasm32
  libc++-19-dev-wasm32
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  clang-format libclang-rt-19-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
