#!/bin/sh
# writers_oracle.sh: live oracle check of the ETF, Elixir-text and JSON writers.
# Builds tests/tools/termgen.c (or uses build/termgen), generates COUNT random terms for
# each of SEEDS, and checks them with Elixir (writers_oracle.exs).
# Usage: tests/conformance/writers_oracle.sh [COUNT] [SEEDS...]
set -eu
cd "$(dirname "$0")/../.."
COUNT=${1:-2000}
[ $# -gt 0 ] && shift
SEEDS=${*:-"1 2 3"}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
GEN=${BUILD:-build}/termgen
if [ ! -x "$GEN" ]; then
    GEN=$TMP/termgen
    ${CC:-cc} -std=c11 -O1 -g -Isrc -Iinclude src/base/*.c src/ast/*.c tests/tools/termgen.c -o "$GEN" -lm
fi
status=0
for seed in $SEEDS; do
    "$GEN" "$seed" "$COUNT" "$TMP/t$seed"
    printf 'seed %s: ' "$seed"
    elixir tests/conformance/writers_oracle.exs "$TMP/t$seed" | tail -n 20 || status=1
done
exit $status
