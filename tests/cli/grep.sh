#!/usr/bin/env bash
# grep.sh: tests of `exscope grep 'PATTERN' [PATH...] [--json]` (cmd_grep.c): the
# file:line:column: snippet  $x=... lines, bindings, aliases, --json, a directory walk,
# exit statuses (0 matches, 1 none, 2 bad pattern with a caret or usage error).
# Prints "grep-cli: N passed, N failed". Usage: tests/cli/grep.sh (BUILD=dir)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
x=${BUILD:-build}/exscope
[ -x "$x" ] || { echo "grep-cli: $x not built" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
F=tests/fixtures/patterns/sample.ex
D=tests/fixtures/patterns

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
    echo "grep-cli: FAIL $name (status $got, want $want)"
    head -c 400 "$tmp/out"; head -c 400 "$tmp/err"; echo
  fi
}
# lines NAME N -- command...: exactly N lines on stdout
lines() {
  local name=$1 want=$2
  shift 3
  local got
  got=$("$@" 2>/dev/null | wc -l)
  if [ "$got" -eq "$want" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "grep-cli: FAIL $name ($got lines, want $want)"; fi
}

expect remote 0 "^$F:5:20: def get\(id\), do: Repo.get!\(U, id\)$" '2 matches' -- "$x" grep 'MyApp.Repo.get!(_, _)' $F
lines remote-count 2 -- "$x" grep 'MyApp.Repo.get!(_, _)' $F
expect bind 0 "^$F:8:5: \{:ok, body\} = File.read\(path\)  \\\$x=body, \\\$path=path$" '' -- "$x" grep '{:ok, $x} = File.read($path)' $F
expect bind-same 0 "^$F:9:5: .*  \\\$x=same$" '1 match in' -- "$x" grep '{:ok, $x} = File.read($x)' $F
lines bind-same-count 1 -- "$x" grep '{:ok, $x} = File.read($x)' $F
expect case 0 "^$F:10:5: case body do  \\\$x=body$" '' -- "$x" grep 'case $x do ... end' $F
expect module 0 "^$F:17:15: " '' -- "$x" grep 'MyApp.Accounts.helper(...)' $F
expect alias-as 0 "^$F:5:30: " '' -- "$x" grep 'MyApp.Accounts.User' $F
expect op 0 "\\\$a=a \+ b, \\\$b=c$" '' -- "$x" grep '$a + $b' $F
expect json 0 '"line": 8, "column": 5, .*"bindings": \{"x": "body", "path": "path"\}' '' -- "$x" grep '{:ok, $x} = File.read($path)' $F --json
expect json-empty 1 '^\[\]$' '0 matches' -- "$x" grep 'nothing_here()' $F --json
expect dir 0 "^$D/sample.ex:5:20: " '' -- "$x" grep 'MyApp.Repo.get!(_, _)' $D
expect none 1 EMPTY '0 matches' -- "$x" grep 'nothing_here(_)' $F
expect bad-syntax 2 EMPTY 'bad pattern: 1:5: .*missing terminator' -- "$x" grep 'foo(' $F
expect bad-caret 2 EMPTY '^      \^$' -- "$x" grep 'foo(' $F
expect bad-dollar 2 EMPTY 'bad pattern: 1:3: `\$` must be followed by a name' -- "$x" grep 'f($)' $F
expect bad-two 2 EMPTY 'one expression' -- "$x" grep 'a; b' $F
expect usage 2 EMPTY 'usage: exscope grep' -- "$x" grep
expect bad-option 2 EMPTY "unknown option '--nope'" -- "$x" grep 'f(_)' --nope
expect missing-path 2 EMPTY 'No such file' -- "$x" grep 'f(_)' /nonexistent/dir
printf 'defmodule Bad do\n  def f(, do: 1\nend\n' > "$tmp/bad.ex"
printf 'Repo.get!(A, 1)\n' > "$tmp/good.ex"
expect skip-invalid 0 'good.ex:1:1: Repo.get!\(A, 1\)' 'bad.ex:[0-9]+:[0-9]+: skipped' -- "$x" grep 'Repo.get!(_, _)' "$tmp"
expect threads 0 'good.ex:1:1' '' -- "$x" grep 'Repo.get!(_, _)' "$tmp" -j 2
if [ -d corpus/elixir-lang/lib/elixir/lib ]; then
  expect stdlib 0 'lib/elixir/lib/.*\.ex:[0-9]+:[0-9]+: .*Enum.map\(' '' -- "$x" grep 'Enum.map(_, _)' corpus/elixir-lang/lib/elixir/lib -j 2
fi

echo "grep-cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
