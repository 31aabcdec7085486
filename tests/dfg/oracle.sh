#!/bin/sh
# oracle.sh: the unused-variable oracle. Every fixture of tests/dfg/fixtures is
# compiled live by Elixir (oracle.exs: Code.compile_string/2, warnings captured) and
# the set of (line, variable) of its `variable "x" is unused` warnings must equal
# exscope's findings (dfgdump --unused) exactly. Then exscope runs over the
# elixir-lang 1.14 sources (corpus/elixir-lang/lib/*/lib), which compile without
# such warnings: every finding there is a false positive.
# Prints "dfg oracle: N/M fixtures identical" and "dfg oracle: K unused variables on
# elixir-lang lib/ (F files)"; exits 1 unless N = M and K = 0. -v lists the differences
# ("+" exscope only, "-" Elixir only) and the stdlib findings.
# Usage: tests/dfg/oracle.sh [-v] [FIXTURE...]   (BUILD=dir picks the build)
set -eu
cd "$(dirname "$0")/../.."
DUMP=${BUILD:-build}/dfgdump
VERBOSE=0
[ "${1:-}" = "-v" ] && { VERBOSE=1; shift; }
[ -x "$DUMP" ] || { echo "dfg oracle: $DUMP missing (make all)"; exit 1; }
command -v elixir >/dev/null || { echo "dfg oracle: elixir not installed"; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

if [ $# -gt 0 ]; then
  printf '%s\n' "$@" > "$TMP/list"
else
  ls tests/dfg/fixtures/*.ex | LC_ALL=C sort > "$TMP/list"
fi
# shellcheck disable=SC2046
elixir tests/dfg/oracle.exs $(cat "$TMP/list") > "$TMP/expected"
"$DUMP" --unused --stdin < "$TMP/list" > "$TMP/got.raw" || true
# FILE:LINE:COL: variable "x" is unused  ->  FILE<TAB>LINE<TAB>x
sed -n 's/^\(.*\):\([0-9]*\):[0-9]*: variable "\(.*\)" is unused$/\1\t\2\t\3/p' \
  "$TMP/got.raw" > "$TMP/got"

total=0 same=0
while IFS= read -r f; do
  total=$((total + 1))
  if ! grep -q "^$f	ok" "$TMP/expected"; then
    echo "FAIL $f: Elixir could not compile it: $(grep "^$f	error" "$TMP/expected" | cut -f3)"
    continue
  fi
  grep "^$f	[0-9]" "$TMP/expected" | LC_ALL=C sort -u > "$TMP/e1" || true
  grep "^$f	[0-9]" "$TMP/got" | LC_ALL=C sort -u > "$TMP/g1" || true
  if cmp -s "$TMP/e1" "$TMP/g1"; then
    same=$((same + 1))
  else
    echo "DIFF $f"
    if [ $VERBOSE -eq 1 ] || true; then
      comm -13 "$TMP/e1" "$TMP/g1" | sed 's/^/  + /'
      comm -23 "$TMP/e1" "$TMP/g1" | sed 's/^/  - /'
    fi
  fi
done < "$TMP/list"
echo "dfg oracle: $same/$total fixtures identical"

rc=0
[ "$same" -eq "$total" ] || rc=1
SRC=corpus/elixir-lang/lib
if [ -d "$SRC" ] && [ $# -eq 0 ]; then
  find $SRC/*/lib -name '*.ex' | LC_ALL=C sort > "$TMP/stdlib"
  "$DUMP" --unused --stdin < "$TMP/stdlib" > "$TMP/stdlib.out" 2> "$TMP/stdlib.err" || rc=1
  k=$(wc -l < "$TMP/stdlib.out")
  echo "dfg oracle: $k unused variables on elixir-lang lib/ ($(wc -l < "$TMP/stdlib") files)"
  [ $VERBOSE -eq 1 ] && sed 's/^/  /' "$TMP/stdlib.out"
  [ "$k" -eq 0 ] || rc=1
  [ -s "$TMP/stdlib.err" ] && { sed 's/^/  /' "$TMP/stdlib.err"; rc=1; }
elif [ $# -eq 0 ]; then
  echo "dfg oracle: $SRC missing (scripts/corpus.sh)"
  rc=1
fi
exit $rc
