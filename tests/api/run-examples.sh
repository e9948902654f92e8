#!/bin/sh
# Installs the project into a temporary prefix, builds each example in
# examples/ against that prefix with its own CMake invocation (as an
# embedder would, through find_package(Lucet)), runs them and checks their
# output. Also builds the C example once more through pkg-config.
#   run-examples.sh SOURCE_DIR BUILD_DIR WORK_DIR
set -eu
src=$1 build=$2 work=$3
[ -n "${LUCET_KEEP_EXAMPLES:-}" ] || rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" >"$work/install.log"

configure() { # EXAMPLE COMPILER-VARIABLE COMPILER
  cmake -G Ninja -S "$src/examples/$1" -B "$work/$1" -DCMAKE_PREFIX_PATH="$prefix" \
    "-D$2=$3" >"$work/$1.configure.log"
  cmake --build "$work/$1" >"$work/$1.build.log"
}

expect() { # FILE TEXT
  if ! grep -qF -- "$2" "$1"; then
    echo "expected '$2' in $1:" >&2
    cat "$1" >&2
    exit 1
  fi
}

configure c-host CMAKE_C_COMPILER clang-19
(cd "$work/c-host" && ./c-host guest.so) >"$work/c-host.out"
expect "$work/c-host.out" "guest says: hello from the guest"
expect "$work/c-host.out" "guest says: refused out-of-bounds string at 65530"
expect "$work/c-host.out" "run(7) returned 42"

configure cpp-server CMAKE_CXX_COMPILER clang++-19
(cd "$work/cpp-server" && ./cpp-server handler.so) >"$work/cpp-server.out"
expect "$work/cpp-server.out" "guest: apple costs 1.20"
expect "$work/cpp-server.out" "request apple: status 0"
expect "$work/cpp-server.out" "guest: fig costs 3.10"
expect "$work/cpp-server.out" "guest: no such item: banana"
expect "$work/cpp-server.out" "request banana: status 4"
expect "$work/cpp-server.out" "request crash: trapped: out of bounds memory access in main"
expect "$work/cpp-server.out" "request spin: trapped: interrupted"
expect "$work/cpp-server.out" "request pear: status 0"
expect "$work/cpp-server.out" "served 6 requests, 4 price lookups"

if command -v pkg-config >/dev/null; then
  # The library directory is lib, lib64 or a multiarch one, as GNUInstallDirs
  # chose for this system.
  pc=$(find "$prefix" -name lucet.pc | head -n 1)
  [ -n "$pc" ] || { echo "lucet.pc was not installed under $prefix" >&2; exit 1; }
  libdir=$(dirname "$(dirname "$pc")")
  flags=$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs lucet)
  # shellcheck disable=SC2086
  clang-19 -o "$work/c-host-pc" "$src/examples/c-host/main.c" $flags -Wl,-rpath,"$libdir"
  (cd "$work/c-host" && "$work/c-host-pc" guest.so) >"$work/c-host-pc.out"
  expect "$work/c-host-pc.out" "run(7) returned 42"
fi

[ -n "${LUCET_KEEP_EXAMPLES:-}" ] || rm -rf "$work"
echo "examples OK"
