#!/usr/bin/env bash
# Guests must be the same whatever else the machine has: clang-19 runs any
# `wasm-opt` it finds in PATH at an optimising link, and binaryen's would strip
# the name section the trap messages rely on. A wasm-opt that records its call
# and fails stands in for it here; scripts/wasm-guest-cc must never run it.
#   guest-build-runs-no-wasm-opt.sh WASM_GUEST_CC CLANG SOURCE.c
set -euo pipefail
guestCc="$1" clang="$2" source="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
cat >"$work/bin/wasm-opt" <<STUB
#!/bin/sh
echo "\$@" >>"$work/wasm-opt-called"
exit 1
STUB
chmod +x "$work/bin/wasm-opt"

PATH="$work/bin:$PATH" LUCET_WASM_CC="$clang" "$guestCc" "$work/guest.wasm" "$source" -O2 -Wall
if [[ -e "$work/wasm-opt-called" ]]; then
  echo "FAIL: wasm-opt was run: $(cat "$work/wasm-opt-called")" >&2
  exit 1
fi
# The name section (custom section "name") is still there.
if ! grep -q --text 'name' "$work/guest.wasm"; then
  echo "FAIL: the guest has no name section" >&2
  exit 1
fi
echo "ok: no post-link optimizer ran and the name section is intact"
