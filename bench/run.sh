#!/usr/bin/env bash
# run.sh: parse throughput of exscope against Elixir's own parser, measured in the same
# run on the same files with the same options. `make bench` calls it after `make all`;
# it builds nothing itself.
#
#   BUILD=build bench/run.sh
#
# Corpora: the Elixir 1.14 stdlib (corpus/elixir-lang/lib), the RabbitMQ CLI
# (corpus/rabbitmq-server/deps/rabbitmq_cli), both fetched by scripts/corpus.sh (run
# here when missing), and a synthetic project from bench_gen (GEN_MODULES modules,
# seed 1), whose ASTs are first checked against Elixir's (exscope parse --batch, then
# elixir_parse.exs --verify). Options: default, --columns --token-metadata, and -j 2
# (2 threads for C, 2 processes for Elixir).
#
# Per run, bench_parse_bench and elixir_parse.exs print per-round lines and a RESULT
# line (logs in bench/out/logs/); the table of medians goes to stdout and
# bench/out/parse.txt. Environment: BUILD (default build), ROUNDS (timed rounds, default
# 7; each side also does one untimed warm-up round), GEN_MODULES (default 2000, 0 to
# skip the synthetic row), VERIFY (default 1: check the synthetic ASTs first).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
BUILD=${BUILD:-build}
ROUNDS=${ROUNDS:-7}
GEN_MODULES=${GEN_MODULES:-2000}
VERIFY=${VERIFY:-1}
OUT=bench/out
LOGS=$OUT/logs
BENCH=$BUILD/bench_parse_bench
GEN=$BUILD/bench_gen
CLI=$BUILD/exscope

if [[ ! -x $BENCH ]]; then
    echo "run.sh: $BENCH is missing; run 'make all' (or 'make bench') first" >&2
    exit 2
fi
if [[ ! -f corpus/elixir-lang.done || ! -f corpus/rabbitmq-server.done ]]; then
    scripts/corpus.sh
fi
have_elixir=1
command -v elixir >/dev/null || {
    have_elixir=0
    echo "run.sh: elixir not found (scripts/deps.sh --oracle installs it); C figures only" >&2
}
mkdir -p "$LOGS"

names=(stdlib rabbitmq-cli)
dirs=(corpus/elixir-lang/lib corpus/rabbitmq-server/deps/rabbitmq_cli)
gen_check=""
if [[ $GEN_MODULES -gt 0 && -x $GEN ]]; then
    gdir=$OUT/gen-$GEN_MODULES
    # Deterministic: regenerate only when the arguments changed.
    stamp="modules=$GEN_MODULES seed=1 functions=8 $(cksum <"$GEN" | cut -d' ' -f1)"
    if [[ ! -f $gdir.stamp || "$(cat "$gdir.stamp")" != "$stamp" ]]; then
        rm -rf "$gdir"
        "$GEN" "$gdir" --modules "$GEN_MODULES" --seed 1 --functions-per-module 8
        echo "$stamp" >"$gdir.stamp"
    fi
    names+=("gen-$GEN_MODULES")
    dirs+=("$gdir")
    if [[ $VERIFY == 1 && $have_elixir == 1 && -x $CLI ]]; then
        "$CLI" parse --batch "$gdir" -o "$LOGS/gen.batch" || true
        gen_check=$(elixir bench/elixir_parse.exs --verify "$LOGS/gen.batch" 2>&1 | tail -n 1) ||
            gen_check="MISMATCH: $gen_check (details: elixir bench/elixir_parse.exs --verify $LOGS/gen.batch)"
        rm -f "$LOGS/gen.batch"
    fi
elif [[ $GEN_MODULES -gt 0 ]]; then
    echo "run.sh: $GEN is missing; skipping the synthetic project" >&2
fi

configs=("default" "cols+tokmeta" "-j 2")
config_flags=("" "--columns --token-metadata" "-j 2")

# key=value from a RESULT line
get() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

table=$(mktemp)
trap 'rm -f "$table"' EXIT
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
{
    echo "exscope parse benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "machine: $(nproc) cores${cpu:+, $cpu}; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [[ $have_elixir == 1 ]]; then
        echo "baseline: Code.string_to_quoted/2, $(elixir -e 'IO.write("Elixir #{System.version()}, OTP #{System.otp_release()}")')"
    fi
    echo "each cell: median of $ROUNDS timed rounds (after 1 warm-up) over all files, sources in memory"
    echo
    printf '%-13s %-13s %6s %7s %9s %9s %7s %10s %9s %10s %10s\n' corpus options files MB \
        "C MB/s" "Ex MB/s" "C/Ex" "C p95/file" "C RSS" "C AST/f" "Ex AST/f"
} >"$table"
cat "$table"

for i in "${!names[@]}"; do
    name=${names[$i]}
    list=$LOGS/$name.files
    "$BENCH" --list "${dirs[$i]}" >"$list"
    for c in "${!configs[@]}"; do
        tag="$name-${configs[$c]// /}"
        # shellcheck disable=SC2086 # the flags are words
        "$BENCH" -r "$ROUNDS" ${config_flags[$c]} --files-from "$list" >"$LOGS/$tag.c.txt"
        cres=$(grep '^RESULT' "$LOGS/$tag.c.txt")
        eres=""
        if [[ $have_elixir == 1 ]]; then
            # shellcheck disable=SC2086
            elixir bench/elixir_parse.exs -r "$ROUNDS" ${config_flags[$c]} --files-from "$list" \
                >"$LOGS/$tag.elixir.txt"
            eres=$(grep '^RESULT' "$LOGS/$tag.elixir.txt")
        fi
        files=$(get "$cres" files)
        bytes=$(get "$cres" bytes)
        cm=$(get "$cres" parse_mbps_median)
        em=$(get "$eres" parse_mbps_median)
        row=$(awk -v n="$name" -v o="${configs[$c]}" -v f="$files" -v b="$bytes" -v cm="$cm" \
            -v em="${em:-0}" -v p95="$(get "$cres" file_us_p95)" \
            -v rss="$(get "$cres" peak_rss_kb)" -v ca="$(get "$cres" ast_bytes)" \
            -v ea="$(get "$eres" ast_bytes)" 'BEGIN {
                ratio = em > 0 ? sprintf("%.1fx", cm / em) : "-"
                ems = em > 0 ? sprintf("%.1f", em) : "-"
                eaf = ea > 0 ? sprintf("%.1f KB", ea / f / 1024) : "-"
                printf "%-13s %-13s %6d %7.2f %9.1f %9s %7s %7.0f us %6.1f MB %7.1f KB %10s\n",
                    n, o, f, b / 1e6, cm, ems, ratio, p95, rss / 1024, ca / f / 1024, eaf }')
        echo "$row" | tee -a "$table"
    done
done

notes=$(
    echo "C/Ex: exscope median MB/s over Elixir median MB/s. C p95/file: 95th percentile of"
    echo "one file's parse time (all rounds). C RSS: peak RSS of bench_parse_bench while"
    echo "parsing (sources loaded, each AST freed after its parse). C AST/f: exs_file_memory"
    echo "per file; Ex AST/f: :erts_debug.flat_size of the AST per file (heap words x 8)."
    echo "-j 2: 2 threads (C) / 2 processes (Elixir) on the same cores, files handed out in order."
    if [[ -n $gen_check ]]; then
        echo "gen-$GEN_MODULES ASTs vs Elixir (default options): $gen_check"
    fi
    echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); logs: $LOGS/"
)
printf '\n%s\n' "$notes" | tee -a "$table"
cp "$table" "$OUT/parse.txt"
echo "written: $OUT/parse.txt"

# The repository (issue 3): cold populate of the stdlib on 2 threads beside Elixir's
# parser alone, lookup and callers latency, memory per module.
echo
echo "== populate (bench_populate_bench --elixir)"
"$BUILD/bench_populate_bench" --elixir | tee "$OUT/populate.txt"
echo "written: $OUT/populate.txt"

# Graphs (issue 4): full CPGs for every function of the stdlib on 2 threads, memory,
# single-function build latency.
echo
echo "== code property graphs (bench_cpg_bench)"
"$BUILD/bench_cpg_bench" | tee "$OUT/cpg.txt"
echo "written: $OUT/cpg.txt"
