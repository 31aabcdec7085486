#!/usr/bin/env bash
# run.sh: golden tests of `exscope parse`: expected outputs, one file per case, checked
# without Elixir so they run anywhere.
#
#   parse/<fixture>.txt     the AST of tests/fixtures/<fixture>.exs with columns and
#                           token metadata, as Elixir's inspect/2 prints it; written by
#                           Elixir itself (the oracle) in --update mode
#   node_ids/<fixture>.txt  the same AST with node IDs (exscope's own scheme); a change
#                           here means every stored ID changes, so review it
#   json/<fixture>.json     the JSON format (docs/json.md) with node IDs
#
# Usage: tests/golden/run.sh [--update]      BUILD=dir (default build)
# --update rewrites the expected files; review `git diff tests/golden` before committing.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
exscope=${BUILD:-build}/exscope
[ -x "$exscope" ] || { echo "golden: $exscope not built" >&2; exit 2; }
update=0
[ "${1:-}" = "--update" ] && update=1
mkdir -p tests/golden/parse tests/golden/node_ids tests/golden/json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass=0 fail=0
check() { # name expected actual
  if cmp -s "$2" "$3"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "golden: FAIL $1 ($2)"
    diff <(tr ',' '\n' < "$2") <(tr ',' '\n' < "$3") | head -n 8
  fi
}

for src in tests/fixtures/*.exs; do
  name=$(basename "$src" .exs)
  if [ $update = 1 ]; then
    elixir -e '
      [src, out] = System.argv()
      ast = Code.string_to_quoted!(File.read!(src), columns: true, token_metadata: true)
      File.write!(out, inspect(ast, limit: :infinity, printable_limit: :infinity) <> "\n")
    ' "$src" "tests/golden/parse/$name.txt" 2>/dev/null || { echo "golden: elixir failed on $src"; exit 1; }
    "$exscope" parse --node-ids "$src" > "tests/golden/node_ids/$name.txt"
    "$exscope" parse --node-ids --format json "$src" > "tests/golden/json/$name.json"
    continue
  fi
  "$exscope" parse --columns --token-metadata "$src" > "$tmp/p" 2>&1
  check "parse $name" "tests/golden/parse/$name.txt" "$tmp/p"
  "$exscope" parse --node-ids "$src" > "$tmp/n" 2>&1
  check "node_ids $name" "tests/golden/node_ids/$name.txt" "$tmp/n"
  "$exscope" parse --node-ids --format json "$src" > "$tmp/j" 2>&1
  check "json $name" "tests/golden/json/$name.json" "$tmp/j"
done
if [ $update = 1 ]; then
  echo "golden: updated; review with: git diff --stat tests/golden"
  exit 0
fi
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
