#!/usr/bin/env bash
# Installs the packages, builds everything and runs the whole test suite.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LUCET_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
LUCET_BUILD_DIR="$build" "$root/scripts/configure.sh"
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2
