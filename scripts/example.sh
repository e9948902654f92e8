#!/usr/bin/env bash
# Installs the packages, builds lucetc and lucet-wasi, and runs an example
# WASI program written in C: once compiled ahead of time to a .so, once as a
# .wasm that lucet-wasi compiles and caches itself.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LUCET_BUILD_DIR:-$root/build}"

"$root/scripts/setup.sh"
LUCET_BUILD_DIR="$build" "$root/scripts/configure.sh"
cmake --build "$build" -j2 --target lucetc lucet-wasi-cli

lucetc="$build/src/tools/lucetc/lucetc"
lucetWasi="$build/src/tools/lucet-wasi/lucet-wasi"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/sandbox"
echo "a file the host put there" > "$work/sandbox/host.txt"

set -x
"$root/scripts/wasm-guest-cc" "$work/files.wasm" "$root/tests/guests/files.c" -O2
"$lucetc" "$work/files.wasm" -o "$work/files.so"
"$lucetWasi" --dir "/sandbox:$work/sandbox" --max-heap-size 64MiB "$work/files.so" -- /sandbox
ls -R "$work/sandbox"

# A .wasm runs directly: lucet-wasi finds lucetc in PATH and caches the .so.
"$root/scripts/wasm-guest-cc" "$work/args.wasm" "$root/tests/guests/args_env.c" -O2
PATH="$(dirname "$lucetc"):$PATH" LUCET_CACHE_DIR="$work/cache" \
  "$lucetWasi" "$work/args.wasm" hello -v --from-the-host
