#!/usr/bin/env bash
# test.sh: runs every test suite of exscope against an already built tree and prints
# one summary line "N passed, N failed" (exit 1 if anything failed or could not run).
# `make test` installs what is needed, builds, then runs this; `make check` runs it on
# the ASan+UBSan build.
#
# Suites: unit tests (tests/unit), fuzz-input replay (tests/fuzz/corpus), the command
# line (tests/cli), golden files (tests/golden), install, layering, and live oracles:
# token streams and ASTs against Elixir's parser (corpora, mutants, snippets, a
# generated project), definitions against the installed stdlib's __info__, and the
# ETF/inspect/JSON writers; valgrind over the CLI.
#
# Usage: BUILD=build scripts/test.sh [suite...]
#   suites: unit fuzz cli repo-cli graph-cli grep-cli golden install layering tokens ast
#           mutants snippets generated defs calls dfg queries writers valgrind
#           (default: all)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export BUILD=${BUILD:-build}
log=$BUILD/test-logs
mkdir -p "$log"
passed=0 failed=0 broken=()

# run NAME COMMAND...: runs a suite, echoes its summary lines, adds up its counts.
# A suite reports "P passed, F failed" or "P/T files ..." lines; a suite that fails
# without such a line counts as one failure.
run() {
  local name=$1
  shift
  printf '== %s\n' "$name"
  "$@" > "$log/$name.log" 2>&1
  local rc=$? p=0 f=0 found=0 line
  while IFS= read -r line; do
    if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
      p=$((p + BASH_REMATCH[1])); f=$((f + BASH_REMATCH[2])); found=1
    elif [[ $line =~ ^defs\ oracle:\ ([0-9]+)/([0-9]+)\ modules\ identical\ \(([0-9]+)\ accepted ]]; then
      # accepted differences are listed with their cause by the oracle itself
      p=$((p + BASH_REMATCH[1] + BASH_REMATCH[3]))
      f=$((f + BASH_REMATCH[2] - BASH_REMATCH[1] - BASH_REMATCH[3])); found=1
    elif [[ $line =~ ^calls\ oracle:\ precision\ [0-9.]+%\ \(([0-9]+)/([0-9]+)\),\ recall\ [0-9.]+%\ \(([0-9]+)/([0-9]+)\) ]]; then
      # edges: matched ones pass; extra (precision) and missing (recall) ones are listed
      # by the oracle, which fails below its goals
      p=$((p + BASH_REMATCH[1])); found=1
    elif [[ $line =~ ^dfg\ oracle:\ ([0-9]+)/([0-9]+)\ (fixtures|generated\ modules)\ identical ]]; then
      p=$((p + BASH_REMATCH[1])); f=$((f + BASH_REMATCH[2] - BASH_REMATCH[1])); found=1
    elif [[ $line =~ ^dfg\ oracle:\ ([0-9]+)\ unused\ variables\ on ]]; then
      # the stdlib compiles without such warnings: every finding is a false positive
      f=$((f + BASH_REMATCH[1])); [ "${BASH_REMATCH[1]}" = 0 ] && p=$((p + 1)); found=1
    elif [[ $line =~ ([0-9]+)/([0-9]+)\ files ]]; then
      p=$((p + BASH_REMATCH[1])); f=$((f + BASH_REMATCH[2] - BASH_REMATCH[1])); found=1
    elif [[ $line =~ ([0-9]+)\ terms,\ ([0-9]+)\ ok,\ ([0-9]+)\ failed ]]; then
      p=$((p + BASH_REMATCH[2])); f=$((f + BASH_REMATCH[3])); found=1
    elif [[ $line =~ ^fuzz_replay:\ ([0-9]+)\ inputs\ OK ]]; then
      p=$((p + BASH_REMATCH[1])); found=1
    fi
  done < "$log/$name.log"
  grep -E 'passed|files (conform|identical)|modules identical|calls oracle|dfg oracle|terms,|inputs OK|FAIL|DIFF|valgrind' "$log/$name.log" |
    grep -v '^ok ' | head -n 40 | sed 's/^/   /'
  if [ $rc -ne 0 ] && [ $f -eq 0 ]; then
    f=1
    echo "   $name exited with status $rc; last lines of $log/$name.log:"
    tail -n 15 "$log/$name.log" | sed 's/^/   | /'
  fi
  [ $found -eq 0 ] && [ $rc -eq 0 ] && p=$((p + 1))
  passed=$((passed + p)); failed=$((failed + f))
  [ $f -ne 0 ] && broken+=("$name")
}

unit() {
  local rc=0 t
  for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    echo "-- $t"
    "$t" || rc=1
  done
  return $rc
}

# 3000 deterministic mutants of the corpora (cut, deleted bytes, inserted brackets,
# quotes, keywords...): valid ones must give Elixir's AST, broken ones fail at its line.
mutants() {
  local dir=$BUILD/mutants
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  find corpus/elixir-lang corpus/rabbitmq-server -type f \( -name '*.ex' -o -name '*.exs' \) |
    LC_ALL=C sort | xargs -d '\n' "$BUILD/mutate" 20261125 3000 "$dir" || return 1
  # Lenient on wording: Elixir 1.14 shows some non-ASCII tokens double-encoded ("Â£").
  OUT=$BUILD/conformance-mutants MODES=columns STRICT_ERRORS=0 tests/conformance/run.sh "$dir"
}

# A synthetic project from our own generator (bench/gen.c): every file must parse to
# Elixir's AST in all three option sets.
generated() {
  local dir=$BUILD/generated
  rm -rf "$dir" && "$BUILD/bench_gen" "$dir" --modules 300 --seed 7 > /dev/null || return 1
  OUT=$BUILD/conformance-generated tests/conformance/run.sh "$dir"
}

# 5000 random snippets (a few tokens each: odd operator, bracket and keyword mixes).
snippets() {
  local dir=$BUILD/snippet-files
  rm -rf "$dir" && mkdir -p "$dir" && "$BUILD/snippets" 20261125 5000 "$dir" || return 1
  OUT=$BUILD/conformance-snippets MODES=columns STRICT_ERRORS=0 tests/conformance/run.sh "$dir"
}

# Valgrind (memcheck, leaks as errors) over the CLI and the fuzz corpus, when installed.
valgrind_suite() {
  if ! command -v valgrind > /dev/null; then echo "valgrind not installed: skipped"; return 0; fi
  if [ -n "${SAN:-}" ]; then echo "sanitizer build ($SAN): valgrind skipped"; return 0; fi
  local vg=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect)
  local files
  files=$(find corpus/elixir-lang/lib/elixir/lib -name '*.ex' | LC_ALL=C sort | head -n 40)
  # shellcheck disable=SC2086
  "${vg[@]}" "$BUILD/exscope" parse --columns --token-metadata --node-ids --format json \
    tests/fixtures $files > /dev/null 2>&1
  [ $? -eq 99 ] && { echo "valgrind: errors in exscope parse"; return 1; }
  local r
  for r in "$BUILD"/replay_*; do
    # shellcheck disable=SC2046
    "${vg[@]}" "$r" $(fuzz_inputs "${r##*/replay_}") || { echo "valgrind: errors in $r"; return 1; }
  done
  echo "valgrind: exscope parse (fixtures + 40 stdlib files) and the fuzz replays clean"
}

# The saved inputs of fuzz target NAME: its corpus folder; the graph builders also take
# the parser's seeds and fixtures (not copied).
fuzz_inputs() {
  [ -d "tests/fuzz/corpus/$1" ] && echo "tests/fuzz/corpus/$1"
  [ "$1" = graphs ] && echo tests/fuzz/corpus/parse tests/fixtures
  return 0
}

# Every fuzz target's replay over its saved inputs (seeds and every crash ever found).
fuzz_suite() {
  local rc=0 r
  for r in "$BUILD"/replay_*; do
    # shellcheck disable=SC2046
    "$r" $(fuzz_inputs "${r##*/replay_}") || rc=1
  done
  return $rc
}

# `scripts/test.sh --fuzz-inputs NAME`: the seed folders of a fuzz target (for make fuzz).
if [ "${1:-}" = --fuzz-inputs ]; then fuzz_inputs "$2"; exit 0; fi

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(unit fuzz cli repo-cli graph-cli grep-cli golden install layering tokens ast mutants snippets generated defs calls dfg queries writers valgrind)
for s in "${suites[@]}"; do
  case $s in
    unit) run unit unit ;;
    fuzz) run fuzz fuzz_suite ;;
    cli) run cli tests/cli/run.sh ;;
    repo-cli) run repo-cli tests/cli/repo.sh ;;
    graph-cli) run graph-cli tests/cli/graph.sh ;;
    grep-cli) run grep-cli tests/cli/grep.sh ;;
    golden) run golden tests/golden/run.sh ;;
    install) run install tests/install/run.sh ;;
    layering) run layering scripts/layering.sh ;;
    tokens) run tokens env TOKDUMP="$BUILD/tokdump" tests/conformance/tokens.sh ;;
    ast) run ast tests/conformance/run.sh ;;
    defs) run defs tests/analyze/defs_oracle.sh ;;
    calls) run calls tests/analyze/calls_oracle.sh ;;
    dfg) run dfg tests/dfg/oracle.sh ;;
    queries) run queries tests/query/differential.sh ;;
    mutants) run mutants mutants ;;
    generated) run generated generated ;;
    snippets) run snippets snippets ;;
    valgrind) run valgrind valgrind_suite ;;
    writers) run writers tests/conformance/writers_oracle.sh 2000 1 2 3 ;;
    *) echo "test.sh: unknown suite '$s'" >&2; exit 2 ;;
  esac
done
echo
[ ${#broken[@]} -ne 0 ] && echo "failing suites: ${broken[*]} (logs in $log/)"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
