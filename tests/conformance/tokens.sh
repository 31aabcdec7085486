#!/usr/bin/env bash
# tokens.sh: token-stream conformance of our lexer (tests/tools/tokdump.c) against
# Elixir's own tokenizer (tests/conformance/tokens.exs) on every .ex/.exs file of the
# corpora. Prints, per corpus, how many files have identical token streams (or fail
# at the same line:column with the same message), and for each differing file the
# first differing line of both outputs.
#
# Usage: tests/conformance/tokens.sh [corpus-dir...]
#   TOKDUMP=path   tokdump binary (default build/tokdump, else compiled into a tmp dir)
#   MAXSHOW=n      differing files to show per corpus (default 50)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
maxshow=${MAXSHOW:-50}

tokdump=${TOKDUMP:-}
if [ -z "$tokdump" ]; then
  if [ -x "$root/build/tokdump" ]; then
    tokdump="$root/build/tokdump"
  else
    tokdump="$tmp/tokdump"
    ${CC:-cc} -std=c11 -O2 -I"$root/src" -I"$root/include" "$root"/src/base/arena.c \
      "$root"/src/parse/diag.c "$root"/src/parse/token.c "$root"/src/parse/lexer.c \
      "$root"/tests/tools/tokdump.c -o "$tokdump" -lm || exit 2
  fi
fi

if [ $# -eq 0 ]; then
  set -- "$root/corpus/elixir-lang" "$root/corpus/rabbitmq-server"
fi

status=0
for corpus in "$@"; do
  find "$corpus" -type f \( -name '*.ex' -o -name '*.exs' \) | LC_ALL=C sort > "$tmp/files"
  "$tokdump" --stdin < "$tmp/files" > "$tmp/ours.txt"
  elixir "$here/tokens.exs" --stdin < "$tmp/files" > "$tmp/theirs.txt"
  awk -v maxshow="$maxshow" -v corpus="$corpus" '
    FNR == 1 { which++ }
    /^@@ / { path = substr($0, 4); if (which == 1) { order[++n] = path }; line[which, path] = 0; next }
    { k = ++line[which, path]; text[which, path, k] = $0 }
    END {
      same = 0; shown = 0
      for (i = 1; i <= n; i++) {
        p = order[i]; a = line[1, p]; b = line[2, p]
        m = (a > b) ? a : b; diff = 0
        for (k = 1; k <= m; k++) {
          if (text[1, p, k] != text[2, p, k]) { diff = k; break }
        }
        if (!diff) { same++; continue }
        if (shown++ < maxshow) {
          printf "DIFF %s (line %d of dump)\n  ours:   %s\n  elixir: %s\n", p, diff, text[1, p, diff], text[2, p, diff]
        }
      }
      printf "%s: %d/%d files identical\n", corpus, same, n
      exit (same == n) ? 0 : 1
    }' "$tmp/ours.txt" "$tmp/theirs.txt" || status=1
done
exit $status
