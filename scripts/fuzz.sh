#!/usr/bin/env bash
# Builds one fuzz target (fuzz/TARGET.cpp) with ASan, UBSan and libFuzzer in
# build-sanitize/ and runs it for MINUTES minutes:
#
#   scripts/fuzz.sh ReaderValidatorFuzzer 20 [libFuzzer options...]
#
# The corpus persists in build-sanitize/corpus/TARGET (seeded on first use with
# the spec suite's modules for the wasm targets, or with fuzz/corpus/TARGET
# when that exists); crashing, leaking or slow inputs go to
# build-sanitize/crashes/TARGET/. At the end it prints executions, coverage and
# time. Replay an input with build-sanitize/fuzz/TARGET FILE. docs/fuzzing.md.
set -euo pipefail

if (($# < 2)); then
  echo "usage: $0 TARGET MINUTES [libFuzzer options...]" >&2
  exit 2
fi
target="$1"
minutes="$2"
shift 2

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${LUCET_FUZZ_BUILD_DIR:-$root/build-sanitize}"
spectest="${LUCET_SPECTEST_DIR:-$root/../shared/spectest}"

if [[ ! -f "$root/fuzz/$target.cpp" ]]; then
  echo "fuzz.sh: no fuzz/$target.cpp; targets: $(cd "$root/fuzz" && ls *Fuzzer.cpp | sed 's/\.cpp//' | tr '\n' ' ')" >&2
  exit 2
fi

# The same configuration as scripts/test.sh's sanitizer build, so that one
# build serves both.
LUCET_BUILD_DIR="$build" "$root/scripts/configure.sh" -DLUCET_SANITIZE=ON -DLUCET_FUZZ=ON >/dev/null
nice cmake --build "$build" -j2 --target "$target"

corpus="$build/corpus/$target"
crashes="$build/crashes/$target"
mkdir -p "$corpus" "$crashes"
if [[ -z "$(ls -A "$corpus")" ]]; then
  case "$target" in
  ReaderValidatorFuzzer | CompilePipelineFuzzer)
    # Every module of the core spec suite that lucet-spectest's text parser
    # encodes, including the malformed binary and invalid ones.
    nice cmake --build "$build" -j2 --target lucet-spectest
    scratch="$(mktemp -d)"
    TMPDIR="$scratch" "$build/src/tools/lucet-spectest/lucet-spectest" --keep-temp \
      "$spectest"/core/*.wast >/dev/null 2>&1 || true
    find "$scratch" -name '*.wasm' -exec cp {} "$corpus/" \;
    rm -rf "$scratch"
    if [[ "$target" == CompilePipelineFuzzer ]]; then
      # Inputs without the wasm magic drive the module generator.
      for i in $(seq 1 100); do head -c $((i * 40)) /dev/urandom >"$corpus/generator-$i"; done
    fi
    ;;
  TextParserFuzzer)
    # Every top-level (module ...) of the core spec scripts, as text.
    python3 - "$spectest/core" "$corpus" <<'PY'
import pathlib, sys
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
n = 0
for wast in sorted(src.glob("*.wast")):
    text = wast.read_text(errors="replace")
    depth, start, i, in_str = 0, None, 0, False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\": i += 1
            elif c == '"': in_str = False
        elif c == '"': in_str = True
        elif text.startswith(";;", i): i = text.find("\n", i) if text.find("\n", i) >= 0 else len(text)
        elif c == "(":
            if depth == 0: start = i
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0 and text.startswith("(module", start):
                (out / f"{wast.stem}-{n}.wat").write_text(text[start:i + 1]); n += 1
        i += 1
PY
    ;;
  *)
    if [[ -d "$root/fuzz/corpus/$target" ]]; then cp -r "$root/fuzz/corpus/$target/." "$corpus/"; fi
    ;;
  esac
  if [[ -n "$(ls -A "$corpus")" ]]; then echo "fuzz.sh: seeded $corpus with $(ls "$corpus" | wc -l) inputs"; fi
fi

# shellcheck source=../fuzz/sanitizer-env.sh
source "$root/fuzz/sanitizer-env.sh"
log="$build/fuzz-$target.log"
set +e
nice -n 10 "$build/fuzz/$target" -max_total_time=$((minutes * 60)) -timeout=60 \
  -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$crashes/" "$@" "$corpus" \
  2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

echo "---- $target: $minutes minute(s), exit status $status (log: $log)"
grep -E '^#[0-9]+' "$log" | tail -1 || true
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" || true
grep -E '^Done [0-9]+ runs in' "$log" || true
if ((status != 0)); then
  echo "fuzz.sh: $target found a problem; inputs are in $crashes" >&2
fi
exit "$status"
