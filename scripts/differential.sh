#!/usr/bin/env bash
# Differential execution: N generated modules, each compiled by lucetc at
# -O0 and -O2 and run in V8 (node), every call compared. Builds
# lucet-differential in the normal build directory first.
#
#   scripts/differential.sh N [FIRST_SEED] [--in-bounds] [--bounds-checked]
#
# --in-bounds generates only in-bounds memory accesses, to compare the rest
# while bugs around out-of-bounds traps are open; --bounds-checked compiles
# with explicit bounds checks instead of relying on guard pages.
# Differing modules are written to $LUCET_DIFF_OUT (default
# build/differential/diffs) as <kind>-seed-<S>.wasm with a side-by-side
# <kind>-seed-<S>.txt; replay one with
#   build/fuzz/differential/lucet-differential --wasm FILE.wasm
# Exit status 1 when there was any difference. docs/fuzzing.md.
set -euo pipefail

if (($# < 1)); then
  echo "usage: $0 N [FIRST_SEED] [--in-bounds] [--bounds-checked]" >&2
  exit 2
fi
count="$1"
first="${2:-1}"
shift $(($# >= 2 ? 2 : 1))

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LUCET_BUILD_DIR:-$root/build}"
out="${LUCET_DIFF_OUT:-$build/differential}"

if [[ ! -f "$build/build.ninja" ]]; then LUCET_BUILD_DIR="$build" "$root/scripts/configure.sh"; fi
nice cmake --build "$build" -j2 --target lucet-differential
command -v node >/dev/null || { echo "differential.sh: node is needed" >&2; exit 2; }

exec nice "$build/fuzz/differential/lucet-differential" --seeds "$count" --first "$first" \
  --out "$out" "$@"
