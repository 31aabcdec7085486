#!/usr/bin/env bash
# repo.sh: tests of the repository subcommands (index, show, callers, callees, modules,
# functions, stats) over tests/fixtures/project: summaries, `file:line:column` lines,
# --json, exit statuses, the stdlib layer. Prints "repo-cli: N passed, N failed".
# Usage: tests/cli/repo.sh   (BUILD=dir, default build)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
x=${BUILD:-build}/exscope
[ -x "$x" ] || { echo "repo-cli: $x not built" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
P=tests/fixtures/project
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
    echo "repo-cli: FAIL $name (status $got, want $want)"
    head -c 400 "$tmp/out"; head -c 400 "$tmp/err"; echo
  fi
}

# lines NAME COUNT -- command...: exact number of stdout lines
lines() {
  local name=$1 want=$2
  shift 3
  local got
  got=$("$@" 2>/dev/null | wc -l)
  if [ "$got" -eq "$want" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "repo-cli: FAIL $name ($got lines, want $want)"; fi
}

expect index 0 'indexed tests/fixtures/project: 7 files, 5 modules, 15 functions, [0-9]+ calls, 1 errors' \
  'lib/broken.ex:4:3: syntax error before: end' -- "$x" index $P
expect index-time 0 '^time [0-9.]+ ms, memory [0-9.]+ MB' '' -- "$x" index --dir $P
expect index-json 0 '^\{"dir":"tests/fixtures/project","files":7,"stdlib_files":0,"modules":5,"functions":15,' '' \
  -- "$x" index $P --json
expect index-missing 1 EMPTY 'nope: i/o error' -- "$x" index $tmp/nope
expect index-badopt 2 EMPTY "unknown option '--bogus'" -- "$x" index --bogus
expect index-badj 2 EMPTY "bad number" -- "$x" index -j x
expect index-help 0 'usage: exscope index' EMPTY -- "$x" index --help

expect show 0 '^tests/fixtures/project/lib/app/util.ex:4:3: App.Util.double/1 def$' '' \
  -- "$x" show App.Util.double/1 --dir $P
expect show-detail 0 'clauses 2, lines 10-18, complexity 5' '' -- "$x" show App.classify/1 --dir $P
expect show-default-arity 0 'lib/app.ex:22:3: App.greet/1 def' '' -- "$x" show App.greet/1 --dir $P
expect show-json 0 '^\{"module":"App.Util","name":"double","arity":1,"kind":"def","file":"tests/fixtures/project/lib/app/util.ex","line":4,"column":3,' '' \
  -- "$x" show App.Util.double/1 --dir $P --json
expect show-missing 1 EMPTY 'App.nope/1: no such function' -- "$x" show App.nope/1 --dir $P
expect show-badmfa 2 EMPTY 'expected Module.function/arity' -- "$x" show App.run --dir $P
expect show-noarg 2 EMPTY 'expected Module.function/arity' -- "$x" show --dir $P

lines callers-count 4 -- "$x" callers App.Util.double/1 --dir $P
expect callers 0 '^tests/fixtures/project/lib/app.ex:6:13: App.run/1 -> App.Util.double/1 \(remote\)$' '' \
  -- "$x" callers App.Util.double/1 --dir $P
expect callers-capture 0 'lib/app/util.ex:12:41: App.Util.apply_to/2 -> App.Util.double/1 \(local\)' '' \
  -- "$x" callers App.Util.double/1 --dir $P
expect callers-json 0 '^\[\{"file":"tests/fixtures/project/test/app_test.exs","line":3,"column":9,"caller_module":"AppTest","caller_name":"check","caller_arity":0,"target_module":"App","name":"run","arity":1,"resolution":"remote"' '' \
  -- "$x" callers App.run/1 --dir $P --json
expect callers-none 0 '^\[\]$' '' -- "$x" callers App.nope/1 --dir $P --json
expect callees 0 'lib/app.ex:7:8: App.run/1 -> App.helper/1 \(local\)' '' -- "$x" callees App.run/1 --dir $P
lines callees-count 2 -- "$x" callees App.run/1 --dir $P

lines modules-count 5 -- "$x" modules --dir $P
expect modules 0 '^tests/fixtures/project/lib/app/shape.ex:1:1: App.Shape struct, 3 functions$' '' \
  -- "$x" modules --dir $P
expect modules-json 0 '"name":"AppTest","kind":"module"' '' -- "$x" modules --dir $P --json
expect modules-arg 2 EMPTY 'unexpected argument' -- "$x" modules $P
lines functions-count 15 -- "$x" functions --dir $P
lines functions-min 2 -- "$x" functions --dir $P --min-complexity 5
expect functions 0 '^tests/fixtures/project/lib/app/shape.ex:4:3: App.Shape.area/1 def complexity 5$' '' \
  -- "$x" functions --dir $P --min-complexity 5
expect functions-json 0 '"name":"area","arity":1' '' -- "$x" functions --dir $P --min-complexity 5 --json

expect deps-index 0 'deps layer: 1 files' '' -- "$x" index $P --deps
expect deps-show 0 'deps/dep/lib/dep.ex:2:3: Dep.x/0 def \(deps\)' '' -- "$x" show Dep.x/0 --dir $P --deps
expect deps-off 1 EMPTY 'Dep.x/0: no such function' -- "$x" show Dep.x/0 --dir $P
expect stats 0 '^functions +15 +[0-9]+$' '' -- "$x" stats --dir $P
expect stats-json 0 '"functions":\{"rows":15,"bytes":[0-9]+\}' '' -- "$x" stats --dir $P --json

if [ -f $S/elixir/lib/enum.ex ]; then
  expect stdlib-index 0 'stdlib layer: [0-9]+ files' '' -- "$x" index $P --stdlib $S
  expect stdlib-callers 0 '^tests/fixtures/project/lib/app/util.ex:12:32: App.Util.apply_to/2 -> Enum.map/2 \(remote\)$' '' \
    -- "$x" callers Enum.map/2 --dir $P --stdlib $S
  expect stdlib-import 0 'lib/app.ex:10:24: App.classify/1 -> Kernel.is_integer/1 \(import\)' '' \
    -- "$x" callers Kernel.is_integer/1 --dir $P --stdlib $S
  expect stdlib-show 0 'elixir/lib/enum.ex:[0-9]+:[0-9]+: Enum.map/2 def \(stdlib\)' '' \
    -- "$x" show Enum.map/2 --dir $P --stdlib $S
  expect stdlib-operator 0 'Kernel.\+/2 def' '' -- "$x" show Kernel.+/2 --dir $P --stdlib $S
  expect stdlib-range 0 'kernel.ex:[0-9]+:[1-9][0-9]*: Kernel.\.\./2 defmacro' '' -- "$x" show Kernel.../2 --dir $P --stdlib $S
  lines stdlib-modules 5 -- "$x" modules --dir $P --stdlib $S
else
  echo "repo-cli: stdlib tests skipped (no $S; make corpus)"
fi

echo "repo-cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
