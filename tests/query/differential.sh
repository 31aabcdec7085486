#!/usr/bin/env bash
# differential.sh: builds tests/query/differential.c against $BUILD/libexscope.a and runs
# it on the elixir-lang corpus (default 600 random queries): the query engine against
# a naive full-scan reference evaluator. Usage: BUILD=build tests/query/differential.sh [N] [SEED]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
dir=corpus/elixir-lang/lib
[ -d "$dir" ] || { echo "differential: $dir missing (scripts/corpus.sh)"; exit 1; }
${CC:-cc} ${SAN:+-fsanitize=$SAN} -std=c11 -O2 -g -Iinclude -Isrc tests/query/differential.c \
    "$BUILD/libexscope.a" \
    -lpcre2-8 -lm -lpthread -o "$BUILD/query_differential"
# The generator and the reference evaluator keep their strings to the end (test code);
# the library's own leak-freedom is checked by test_query under LeakSanitizer.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
exec "$BUILD/query_differential" "$dir" "${1:-600}" "${2:-1}"
