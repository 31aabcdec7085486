#!/usr/bin/env bash
# run.sh: AST conformance of exscope against Elixir's own parser (the oracle), live.
#
# Parses every .ex/.exs file of the corpora (Debian's elixir-lang and rabbitmq-server
# sources, see scripts/corpus.sh) and of tests/fixtures/ (valid and invalid) with
# `exscope parse --batch`, in three option sets (default; columns; columns +
# token_metadata), and has tests/conformance/conformance.exs compare each result with
# Code.string_to_quoted/2. Output and per-mode reports go to $BUILD/conformance/.
#
# Usage: tests/conformance/run.sh [PATH...]      (default: corpora + fixtures)
#   BUILD=dir   where exscope was built (default build)
#   MODES="..."  option sets to run (default: "default columns token_metadata")
#   STRICT_ERRORS=0  accept errors at Elixir's line with another column or wording
#                    (default 1: line, column and wording must all match)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
build=${BUILD:-build}
exscope=$build/exscope
out=${OUT:-$build/conformance}
mkdir -p "$out"
[ -x "$exscope" ] || { echo "run.sh: $exscope not built (make all)" >&2; exit 2; }
command -v elixir >/dev/null || { echo "run.sh: elixir not installed (scripts/deps.sh --oracle)" >&2; exit 2; }

if [ $# -eq 0 ]; then
  set -- tests/fixtures
  for c in corpus/elixir-lang corpus/rabbitmq-server; do
    if [ -d "$c" ]; then set -- "$@" "$c"; else echo "run.sh: $c missing (scripts/corpus.sh)" >&2; exit 2; fi
  done
fi
find "$@" -type f \( -name '*.ex' -o -name '*.exs' \) | LC_ALL=C sort > "$out/files.txt"
echo "conformance: $(wc -l < "$out/files.txt") files"

export STRICT_ERRORS=${STRICT_ERRORS:-1}
status=0
for mode in ${MODES:-default columns token_metadata}; do
  case $mode in
    default) flags=() ;;
    columns) flags=(--columns) ;;
    token_metadata) flags=(--columns --token-metadata) ;;
  esac
  # exscope exits 1 when some files are rejected; the invalid fixtures make sure of it.
  "$exscope" parse --batch "${flags[@]}" -o "$out/$mode.bin" --files-from "$out/files.txt" \
    2> "$out/$mode.stderr"
  [ -s "$out/$mode.bin" ] || { echo "run.sh: exscope wrote nothing for $mode" >&2; status=1; continue; }
  elixir tests/conformance/conformance.exs "$out/$mode.bin" "$mode" > "$out/$mode.txt" 2> "$out/$mode.elixir-warnings"
  rc=$?
  grep -m 20 '^DIFF' -A2 "$out/$mode.txt" | grep -v 'files conform' 
  tail -n 1 "$out/$mode.txt"
  [ $rc -eq 0 ] || status=1
done
exit $status
