#!/usr/bin/env bash
# Installs the packages, builds everything and runs the whole test suite.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LUCET_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
LUCET_BUILD_DIR="$build" "$root/scripts/configure.sh"
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2

# The unit, api and cli tests again with AddressSanitizer and UBSan (the spec
# suite, the examples and the benchmark smoke test only in the build above).
# The same build has libFuzzer's coverage, so scripts/fuzz.sh uses it too.
sanitized="${LUCET_SANITIZE_BUILD_DIR:-$root/build-sanitize}"
LUCET_BUILD_DIR="$sanitized" "$root/scripts/configure.sh" -DLUCET_SANITIZE=ON -DLUCET_FUZZ=ON
cmake --build "$sanitized" -j2
# shellcheck source=../fuzz/sanitizer-env.sh
source "$root/fuzz/sanitizer-env.sh"
ctest --test-dir "$sanitized" --output-on-failure -j2 -LE 'spec|bench|examples'
