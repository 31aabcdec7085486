#!/usr/bin/env bash
# run.sh: `make install` into a temporary root, then builds tests/install/client.c with
# only what was installed (pkg-config exscope) and checks its output.
# Usage: tests/install/run.sh   (BUILD=dir, default build)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install: FAIL $*"; echo "install: 0 passed, 1 failed"; exit 1; }
make --no-print-directory install BUILD="${BUILD:-build}" SAN="${SAN:-}" DESTDIR="$tmp" PREFIX=/usr/local \
  > "$tmp/log" 2>&1 || fail "make install: $(tail -3 "$tmp/log")"
export PKG_CONFIG_SYSROOT_DIR=$tmp PKG_CONFIG_PATH=$tmp/usr/local/lib/pkgconfig
flags=$(pkg-config --cflags --libs --static exscope) || fail "pkg-config exscope"
# shellcheck disable=SC2086
${CC:-cc} ${SAN:+-fsanitize=$SAN} -std=c11 -Wall -Wextra -Werror tests/install/client.c $flags \
  -o "$tmp/client" ||
  fail "building the client"
out=$("$tmp/client") || fail "client exited with $?"
want='{:defmodule, [line: 1, column: 1], [{:__aliases__, [line: 1, column: 11], [:A]}, [do: {:def, [line: 2, column: 3], [{:f, [line: 2, column: 7], [{:x, [line: 2, column: 9], nil}]}, [do: {:x, [line: 2, column: 17], nil}]]}]]}'
[ "$out" = "$want" ] || fail "client printed: $out"
echo "install: 1 passed, 0 failed"
