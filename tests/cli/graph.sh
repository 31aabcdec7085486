#!/usr/bin/env bash
# graph.sh: tests of `exscope cfg|dfg|cpg MFA` and `exscope check [DIR]` (cmd_graph.c,
# cmd_check.c): DOT and JSON output (DOT rendered with Graphviz when `dot` is
# installed), the summary CPG above --max-ast-nodes, call edges into the stdlib layer,
# exit statuses, and `check` over the check fixtures (file:line:column: check: message,
# --json, --checks, exit 1 on findings, 0 on a clean project).
# Prints "graph-cli: N passed, N failed". Usage: tests/cli/graph.sh (BUILD=dir)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
x=${BUILD:-build}/exscope
[ -x "$x" ] || { echo "graph-cli: $x not built" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
P=tests/fixtures/project
F=tests/checks/fixtures
S=corpus/elixir-lang/lib

matches() { if [ "$1" = EMPTY ]; then [ ! -s "$2" ]; else grep -Eq -- "$1" "$2"; fi; }

# expect NAME STATUS STDOUT_REGEX STDERR_REGEX -- command...   (regex EMPTY: no output)
expect() {
  local name=$1 want=$2 out_re=$3 err_re=$4
  shift 5
  "$@" > "$tmp/out" 2> "$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ] && matches "$out_re" "$tmp/out" && matches "$err_re" "$tmp/err"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "graph-cli: FAIL $name (status $got, want $want)"
    head -c 400 "$tmp/out"; head -c 400 "$tmp/err"; echo
  fi
}

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "graph-cli: FAIL $1"; }

# graphs of one function
expect cfg-dot 0 '^digraph cfg' '' -- "$x" cfg App.Util.twice/1 --dir $P
expect cfg-json 0 '"cyclomatic":' '' -- "$x" cfg App.Util.twice/1 --dir $P --format json
expect cpg-dot 0 '^digraph cpg' '' -- "$x" cpg App.Util.twice/1 --dir $P
expect cpg-dot-label 0 'label="[^"]* :[0-9]+"' '' -- "$x" cpg App.Util.twice/1 --dir $P
expect cpg-json 0 '"summary":false,"dfg":true' '' -- "$x" cpg App.Util.twice/1 --dir $P --format json
expect cpg-json-kinds 0 '"kind":"ast".*"kind":"cfg"' '' -- "$x" cpg App.Util.twice/1 --dir $P --format json
expect dfg-json 0 '"kind":"dfg"' '' -- "$x" dfg App.Util.twice/1 --dir $P --format json
expect dfg-dot 0 'color=blue' '' -- "$x" dfg App.Util.twice/1 --dir $P
expect call-edge 0 '"callees":.*\{"module":"App.Util","name":"double","arity":1,"resolution":"local","path":"[^"]*util.ex","line":4' '' \
  -- "$x" cpg App.Util.apply_to/2 --dir $P --format json
expect summary 0 '"summary":true' 'summary CPG' \
  -- "$x" cpg App.Util.twice/1 --dir $P --format json --max-ast-nodes 2
expect dfg-of-summary 1 EMPTY 'no DFG' -- "$x" dfg App.Util.twice/1 --dir $P --max-ast-nodes 2
expect not-found 1 EMPTY 'no such function' -- "$x" cpg App.Util.nope/9 --dir $P
expect bad-mfa 2 EMPTY 'expected Mod.fun/arity' -- "$x" cpg nonsense --dir $P
expect bad-format 2 EMPTY 'dot or json' -- "$x" cpg App.Util.twice/1 --format svg
if command -v dot >/dev/null 2>&1; then
  for k in cfg dfg cpg; do
    if "$x" $k App.Util.twice/1 --dir $P 2>/dev/null | dot -Tsvg > "$tmp/g.svg" 2>"$tmp/dot.err" \
       && grep -q '<svg' "$tmp/g.svg"; then ok; else ko "dot-render-$k"; cat "$tmp/dot.err"; fi
  done
else
  echo "graph-cli: Graphviz not installed: rendering not checked"
fi
if [ -d "$S" ]; then
  expect stdlib-callee 0 '"module":"Enum","name":"map","arity":2,"resolution":"remote","path":"[^"]*enum.ex"' '' \
    -- "$x" cpg App.Util.apply_to/2 --dir $P --stdlib $S --format json
  expect stdlib-fn 0 '^digraph cpg' '' -- "$x" cpg Enum.map/2 --dir $P --stdlib $S
fi

# checks
expect check-findings 1 '^tests/checks/fixtures/n-plus-one/basic.ex:5:28: n-plus-one: Repo.get/2 inside an Enum.map/2 callback' \
  'check: [0-9]+ findings' -- "$x" check $F
expect check-only 1 '^[^:]+:[0-9]+:[0-9]+: string-to-atom: ' '' -- "$x" check $F --checks string-to-atom
n=$("$x" check $F --checks string-to-atom 2>/dev/null | grep -vc ': string-to-atom: ')
[ "$n" -eq 0 ] && ok || ko check-only-filter
expect check-json 1 '^\[\{"file":"tests/checks/fixtures/[^"]+","line":[0-9]+,"column":[0-9]+,"check":"' '' \
  -- "$x" check $F --json
expect check-list 0 'unused-variable' EMPTY -- "$x" check --list
expect check-bad 2 EMPTY 'unknown check' -- "$x" check $F --checks nope
cat > "$tmp/clean.ex" <<'EOX'
defmodule Clean do
  def f(x), do: x + 1
end
EOX
expect check-clean 0 EMPTY 'check: 0 findings' -- "$x" check "$tmp"
# every expectation of the fixtures appears in the full run (exactness: test_checks)
"$x" check $F > "$tmp/all" 2>/dev/null
missing=0
while IFS= read -r hit; do
  file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; check=${rest##*# expect: }
  grep -q "^$file:$line:[0-9]*: $check:" "$tmp/all" || { missing=1; echo "  missing $file:$line $check"; }
done < <(grep -rn '# expect: [a-z-]*$' $F --include=*.ex)
[ $missing -eq 0 ] && ok || ko check-fixtures

echo "graph-cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
