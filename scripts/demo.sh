#!/usr/bin/env bash
# demo.sh: what `make demo` shows, on real code from Debian's source packages:
# exscope parsing the Elixir 1.14 standard library and the RabbitMQ CLI, the ASTs
# checked against Elixir's own parser, the stdlib indexed (a function, its callers,
# the most complex functions), built-in checks and a CFG in DOT, one file's AST with
# node IDs, and an error.
# Usage: BUILD=build scripts/demo.sh   (after `make all`; scripts/corpus.sh fetched code)
set -eu
cd "$(dirname "$0")/.."
x=${BUILD:-build}/exscope
stdlib=corpus/elixir-lang/lib
rabbit=corpus/rabbitmq-server/deps/rabbitmq_cli
small=corpus/elixir-lang/lib/elixir/lib/supervisor/default.ex

echo "== exscope parse --stats $stdlib   (Elixir 1.14's standard library)"
"$x" parse --stats "$stdlib"
echo
echo "== exscope parse --stats $rabbit   (RabbitMQ's command-line tools)"
"$x" parse --stats "$rabbit"
echo
if command -v elixir > /dev/null; then
  echo "== the same ASTs as Elixir's own Code.string_to_quoted/2, file by file"
  OUT=${BUILD:-build}/demo-conformance MODES="default" tests/conformance/run.sh "$stdlib" "$rabbit" |
    grep -v '^conformance:'
  echo
fi
echo "== exscope index $stdlib   (parse, definitions, calls, metrics; all cores)"
"$x" index "$stdlib"
echo
echo "== exscope show Enum.map/2"
"$x" show Enum.map/2 --dir "$stdlib"
echo
echo "== exscope callers Enum.map/2   (first 8 of $("$x" callers Enum.map/2 --dir "$stdlib" | wc -l))"
"$x" callers Enum.map/2 --dir "$stdlib" | head -n 8
echo
echo "== exscope functions --min-complexity 40   (most complex first)"
"$x" functions --min-complexity 40 --dir "$stdlib"
echo
echo "== exscope index $rabbit --stdlib $stdlib   (a project, calls into the stdlib resolved)"
"$x" index "$rabbit" --stdlib "$stdlib"
echo
echo "== exscope callers RabbitMQ.CLI.Core.Helpers.normalise_node/2 --dir $rabbit"
"$x" callers RabbitMQ.CLI.Core.Helpers.normalise_node/2 --dir "$rabbit" | head -n 5
echo
echo "== exscope check $rabbit   (built-in CPG checks; first 5 of $("$x" check "$rabbit" 2>/dev/null | wc -l))"
"$x" check "$rabbit" 2>/dev/null | head -n 5 || true
echo
echo "== exscope cfg Enum.map/2 --format dot   (first lines; render with dot -Tsvg)"
"$x" cfg Enum.map/2 --dir "$stdlib" --format dot 2>/dev/null | head -n 12
echo
echo "== exscope parse --columns --node-ids $small"
cat -n "$small"
"$x" parse --columns --node-ids "$small"
echo
echo "== a syntax error: file:line:column: message (Elixir's wording), exit status 1"
broken='defmodule Broken do\n  def f(x) do\n    x +\n  end\nend\n'
printf "$broken"
printf "$broken" | "$x" parse - 2>&1 || echo "(exit status $?)"
