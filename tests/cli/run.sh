#!/usr/bin/env bash
# run.sh: tests of the exscope command line: exit statuses, the `file:line:column:
# message` error form, directories, stdin, options and their errors.
# Usage: tests/cli/run.sh   (BUILD=dir, default build)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
x=${BUILD:-build}/exscope
[ -x "$x" ] || { echo "cli: $x not built" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

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
    echo "cli: FAIL $name (status $got, want $want)"
    head -c 400 "$tmp/out"; head -c 400 "$tmp/err"; echo
  fi
}

printf 'defmodule A do\n  def f(x), do: x + 1\nend\n' > "$tmp/ok.ex"
printf 'defmodule B do\n  def g(x) do\n    x +\n  end\nend\n' > "$tmp/bad.ex"
printf '%s' "$(printf '(%.0s' $(seq 1 3000))" > "$tmp/deep.ex"
mkdir -p "$tmp/proj/lib/sub" "$tmp/proj/_build" "$tmp/proj/deps/x" "$tmp/proj/.hidden"
cp "$tmp/ok.ex" "$tmp/proj/lib/a.ex"
printf '1 + 2\n' > "$tmp/proj/lib/sub/b.exs"
printf 'not elixir (\n' > "$tmp/proj/_build/skip.ex"
cp "$tmp/bad.ex" "$tmp/proj/deps/x/skip.ex"
cp "$tmp/bad.ex" "$tmp/proj/.hidden/skip.ex"
printf 'not an elixir file (\n' > "$tmp/proj/lib/readme.txt"

expect help 0 'usage: exscope parse' EMPTY -- "$x" parse --help
expect top-help 0 'commands:' EMPTY -- "$x" help
expect version 0 '^exscope [0-9]+\.[0-9]+\.[0-9]+' EMPTY -- "$x" version
expect no-command 2 EMPTY 'usage' -- "$x"
expect unknown-command 2 EMPTY "unknown command 'frob'" -- "$x" frob
expect unknown-option 2 EMPTY "unknown option '--frob'" -- "$x" parse --frob "$tmp/ok.ex"
expect bad-format 2 EMPTY "unknown format 'xml'" -- "$x" parse --format xml "$tmp/ok.ex"
expect missing-value 2 EMPTY '--format needs a value' -- "$x" parse "$tmp/ok.ex" --format
expect bad-depth 2 EMPTY "bad value for --max-depth" -- "$x" parse --max-depth 0 "$tmp/ok.ex"
expect no-input 2 EMPTY 'no input files' -- "$x" parse
expect elixir 0 '^\{:defmodule, \[line: 1\], \[\{:__aliases__' EMPTY -- "$x" parse "$tmp/ok.ex"
expect columns 0 '\[line: 2, column: 19\]' EMPTY -- "$x" parse --columns "$tmp/ok.ex"
expect token-metadata 0 'closing: \[line: 2\]' EMPTY -- "$x" parse --token-metadata "$tmp/ok.ex"
expect node-ids 0 'node_id: "exs:7:[0-9a-f]+:0"' EMPTY -- "$x" parse --node-ids --file-id 7 "$tmp/ok.ex"
expect json 0 '^\{"node":"defmodule","meta":\{"line":1\}' EMPTY -- "$x" parse --format json "$tmp/ok.ex"
expect etf-many 2 EMPTY 'use --batch' -- "$x" parse --format etf "$tmp/ok.ex" "$tmp/ok.ex"
expect syntax-error 1 EMPTY 'bad.ex:4:3: syntax error before: end. "end" is a reserved word' -- "$x" parse "$tmp/bad.ex"
expect error-keeps-going 1 'defmodule' 'bad.ex:4:3' -- "$x" parse "$tmp/bad.ex" "$tmp/ok.ex"
expect missing-file 1 EMPTY 'nope.ex: No such file or directory' -- "$x" parse "$tmp/nope.ex"
expect depth-limit 1 EMPTY 'deep.ex:1:[0-9]+: .*(nesting|too deep|limit)' -- "$x" parse --max-depth 100 "$tmp/deep.ex"
expect stdin 0 '^\{:\+, \[line: 1\], \[1, 2\]\}$' EMPTY -- sh -c "printf '1 + 2' | $x parse -"
expect binary-input 1 EMPTY 'invalid UTF-8|unexpected|syntax' -- "$x" parse /bin/true
expect files-from 0 '^files +3 \(0 with errors\)' EMPTY -- sh -c "printf '%s\n\n%s\n' $tmp/ok.ex $tmp/proj | $x parse --stats --files-from -"
expect check 0 EMPTY EMPTY -- "$x" parse --check "$tmp/ok.ex"
expect directory 0 '^# .*/proj/lib/a.ex$' EMPTY -- "$x" parse "$tmp/proj"
expect directory-skips 0 '^files +2 \(0 with errors\)' EMPTY -- "$x" parse --stats "$tmp/proj"
expect output-file 0 EMPTY EMPTY -- "$x" parse -o "$tmp/o.txt" "$tmp/ok.ex"
if cmp -s "$tmp/o.txt" <("$x" parse "$tmp/ok.ex"); then pass=$((pass + 1)); else fail=$((fail + 1)); echo "cli: FAIL -o content"; fi

# --batch: 4-byte big-endian length, then ETF (131 ...) per file, errors included.
"$x" parse --batch "$tmp/ok.ex" "$tmp/bad.ex" -o "$tmp/b.bin" 2> /dev/null
first=$(od -An -tu1 -N5 "$tmp/b.bin" | tr -s ' ')
size=$(stat -c %s "$tmp/b.bin")
if [ "$(echo "$first" | awk '{print $5}')" = 131 ] && [ "$size" -gt 40 ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "cli: FAIL batch framing ($first, $size bytes)"
fi
if command -v elixir > /dev/null; then
  got=$(elixir -e '
    defmodule F do
      def f(<<>>), do: []
      def f(<<n::32, t::binary-size(n), r::binary>>), do: [:erlang.binary_to_term(t) | f(r)]
    end
    [{_, {:ok, a}}, {_, {:error, {l, c, m}}}] = F.f(File.read!(hd(System.argv())))
    ^a = Code.string_to_quoted!(File.read!(Enum.at(System.argv(), 1)))
    IO.puts("#{l}:#{c} #{m}")' "$tmp/b.bin" "$tmp/ok.ex" 2>&1)
  if echo "$got" | grep -Eq '^4:3 '; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "cli: FAIL batch decode: $got"; fi
fi

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
