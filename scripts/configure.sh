#!/usr/bin/env bash
# Configures the build directory (default: build) with Ninja, clang-19 and
# ccache. Used by test.sh and example.sh; extra arguments go to cmake
# (test.sh passes -DLUCET_SANITIZE=ON for the sanitizer build).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LUCET_BUILD_DIR:-$root/build}"

cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_C_COMPILER=clang-19 \
  -DCMAKE_CXX_COMPILER=clang++-19 \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  "$@"
