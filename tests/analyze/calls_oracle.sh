#!/bin/sh
# calls_oracle.sh: the calls oracle. Erlang's xref over the installed Elixir 1.14 beams
# (calls_oracle.exs) gives the remote call edges of the compiled stdlib; exscope's
# resolved call sites (build/callsdump --tsv) over the elixir-lang 1.14 sources of the
# same version (corpus/elixir-lang/lib/*/lib and lib/elixir/unicode) give the same edges
# as written. Both are compared as sets of edges "CallerMod.f/a -> CalleeMod.g/b".
#
# Exclusion rule (applied to both sides alike; docs/calls.md explains each):
#   1. only edges between two different Elixir modules (callee module not an Erlang
#      module: the compiler inlines Kernel functions and rewrites others to :erlang);
#   2. the caller is a function written in the sources (exscope's definitions, not
#      generated): edges from __info__/1, __struct__/0,1, protocol dispatch, defstruct,
#      defexception, `use`-made functions... exist only through macro expansion;
#   3. the callee is not a macro (a macro call is expanded at compile time, not called);
#   4. the callee is not a function the compiler inlines or rewrites into another
#      call (:elixir_rewrite.inline/3, rewrite/5 of the installed compiler: Kernel.length/1
#      is :erlang.length/1, Map.merge/2 is :maps.merge/2, ...);
#   5. the callee name does not begin with "__" (hooks that macros expand to:
#      __struct__, __impl__, Logger.__should_log__/2, ...), nor with "$" (xref's
#      '$F_EXPR': a function name known only at run time);
#   6. callees that Kernel's and Kernel.SpecialForms' macros expand to, whether written
#      or not: String.Chars.to_string/1 and List.Chars.to_charlist/1 (interpolation,
#      ~c), Enum.reduce/3, Enumerable.reduce/3, Collectable.into/1 (for), Enum.member?/2
#      (in), Range.new/2,3 (..), Exception.normalize/3 and <Mod>.exception/1 (raise,
#      rescue), Access.get_and_update/3, Access.pop/2, Map.get_and_update!/3,
#      Map.update!/3 (put_in, update_in, pop_in, get_and_update_in).
# Prints "calls oracle: precision P% (x/y), recall R% (x/z)" and exits 1 if precision
# < 98% or recall < 90%. -v lists the unmatched edges (got-only "+", expected-only "-").
# Usage: tests/analyze/calls_oracle.sh [-v]   (BUILD=dir picks the build, default build)
set -eu
cd "$(dirname "$0")/../.."
DUMP=${BUILD:-build}/callsdump
SRC=corpus/elixir-lang/lib
VERBOSE=0
[ "${1:-}" = "-v" ] && VERBOSE=1
[ -x "$DUMP" ] || { echo "calls oracle: $DUMP missing (make all)"; exit 1; }
[ -d "$SRC" ] || { echo "calls oracle: $SRC missing (scripts/corpus.sh)"; exit 1; }
command -v elixir >/dev/null || { echo "calls oracle: elixir not installed"; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

find $SRC/*/lib $SRC/elixir/unicode -name '*.ex' | sort | "$DUMP" --tsv --stdin > "$TMP/got"
elixir tests/analyze/calls_oracle.exs /usr/lib/elixir/lib "$TMP/got" > "$TMP/expected"

awk -F'\t' -v verbose="$VERBOSE" '
  function excluded(cm, cf, tm, tf, rule6) {
    if (cm == tm || tm ~ /^:/ || tm == "Kernel.SpecialForms") return 1
    if ((tm SUBSEP tf) in inlined) return 1
    if (!((cm SUBSEP cf) in written)) return 1
    if ((tm SUBSEP tf) in macro) return 1
    if (tf ~ /^__/) return 1
    if (rule6 && (tm SUBSEP tf) in expands_to) return 1
    if (tf ~ /^\$/) return 1
    if (tf == "exception/1") return 1
    return 0
  }
  BEGIN {
    # rule 6: what Kernel and Kernel.SpecialForms macros expand to
    n = split("String.Chars to_string/1|List.Chars to_charlist/1|Enum reduce/3|Enumerable reduce/3|Collectable into/1|Enum member?/2|Range new/2|Range new/3|Exception normalize/3|Access get_and_update/3|Map get_and_update!/3|Map update!/3|Access pop/2", e, "|")
    for (i = 1; i <= n; i++) { split(e[i], q, " "); expands_to[q[1] SUBSEP q[2]] = 1 }
  }
  FNR == 1 { side++ }
  side == 1 && $1 == "I" { inlined[$2 SUBSEP $3] = 1; next }
  side == 1 { if (NF == 4) want_raw[$1 SUBSEP $2 SUBSEP $3 SUBSEP $4] = 1; next }
  $1 == "D" {
    if ($5 == "written") written[$2 SUBSEP $3] = 1
    if ($4 ~ /^defmacro|^defguard/) macro[$2 SUBSEP $3] = 1
    next
  }
  $1 == "E" { if ($7 == "function") got_raw[$2 SUBSEP $3 SUBSEP $4 SUBSEP $5] = 1 }
  END {
    for (k in want_raw) { split(k, q, SUBSEP); if (!excluded(q[1], q[2], q[3], q[4], 0)) { want5[k] = 1; if (!excluded(q[1], q[2], q[3], q[4], 1)) want[k] = 1 } }
    for (k in got_raw) { split(k, q, SUBSEP); if (!excluded(q[1], q[2], q[3], q[4], 0)) { got5[k] = 1; if (!excluded(q[1], q[2], q[3], q[4], 1)) got[k] = 1 } }
    ng = ne = both = 0
    for (k in got) { ng++; if (k in want) both++; else if (verbose) { split(k, q, SUBSEP); print "+ " q[1] "." q[2] " -> " q[3] "." q[4] } }
    for (k in want) { ne++; if (!(k in got) && verbose) { split(k, q, SUBSEP); print "- " q[1] "." q[2] " -> " q[3] "." q[4] } }
    ng5 = ne5 = both5 = 0
    for (k in got5) { ng5++; if (k in want5) both5++ }
    for (k in want5) ne5++
    printf "without rule 6 (edges of Kernel macro expansions kept): precision %.1f%% (%d/%d), recall %.1f%% (%d/%d)\n", ng5 ? 100 * both5 / ng5 : 0, both5, ng5, ne5 ? 100 * both5 / ne5 : 0, both5, ne5
    p = ng ? 100 * both / ng : 0
    r = ne ? 100 * both / ne : 0
    printf "calls oracle: precision %.1f%% (%d/%d), recall %.1f%% (%d/%d)\n", p, both, ng, r, both, ne
    exit (p >= 98 && r >= 90) ? 0 : 1
  }' "$TMP/expected" "$TMP/got"
