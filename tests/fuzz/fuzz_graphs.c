/* fuzz_graphs.c: libFuzzer target for the analyzers behind the graphs: whatever parses
 * goes through defs_extract, calls_extract, and cfg_build and dfg_build for every
 * function, and the graph writers.
 *
 * Input: the Elixir source (byte 0 is kept, unlike fuzz_parse: any parsed input will
 * do). Invariants checked, trapping on failure: analyzers return OK (or NOMEM); every
 * CFG satisfies E - N + 2 = decisions + 1, has its entry and exit in range, edges
 * within the node range, and DOT/JSON output that is NUL-free text; every DFG has one
 * edge per resolved use, indices in range, and unused findings that are unused defs.
 *
 * Run by `make fuzz` and, without libFuzzer, by its replay binary over
 * tests/fuzz/corpus/graphs in `make test`. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyze/calls.h"
#include "analyze/cfg.h"
#include "analyze/defs.h"
#include "analyze/dfg.h"
#include "base/arena.h"
#include "base/buf.h"
#include "exscope.h"
#include "parse/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                                   \
    do {                                                                           \
        if (!(c)) __builtin_trap();                                                \
    } while (0)

static void check_graph(const cfg_graph *g) {
    CHECK(g->entry < g->node_count && g->exit < g->node_count);
    for (uint32_t i = 0; i < g->edge_count; i++)
        CHECK(g->edges[i].from < g->node_count && g->edges[i].to < g->node_count);
    CHECK(cfg_cyclomatic(g) == g->decisions + 1);
    exs_buf b;
    buf_init(&b);
    cfg_write_dot(g, "f", &b);
    cfg_write_json(g, "f", &b);
    CHECK(b.failed || memchr(b.data, 0, b.len) == NULL);
    buf_free(&b);
}

static void check_dfg(const dfg_graph *d) {
    uint32_t resolved = 0;
    for (uint32_t i = 0; i < d->use_count; i++) {
        CHECK(d->uses[i].def == DFG_NONE || d->uses[i].def < d->def_count);
        resolved += d->uses[i].def != DFG_NONE;
    }
    CHECK(d->edge_count == resolved);
    for (uint32_t i = 0; i < d->edge_count; i++)
        CHECK(d->edges[i].def < d->def_count && d->edges[i].use < d->use_count &&
              d->uses[d->edges[i].use].def == d->edges[i].def);
    for (uint32_t i = 0; i < d->unused_count; i++)
        CHECK(d->unused[i] < d->def_count && d->defs[d->unused[i]].is_unused);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    exs_parse_options po = {.columns = true, .max_depth = 200};
    exs_file *f = NULL;
    if (exs_parse((const char *)data, size, "fuzz.ex", &po, &f, NULL) != EXS_OK) return 0;
    const exs_tree *t = parse_file_tree(f);
    const uint64_t *ids = parse_file_ids(f);
    exs_arena *a = arena_new(1 << 16);
    CHECK(a);
    defs_result defs;
    exs_status st = defs_extract(t, ids, a, &defs);
    CHECK(st == EXS_OK || st == EXS_ERR_NOMEM);
    if (st == EXS_OK) {
        calls_result calls;
        st = calls_extract(t, ids, &defs, a, &calls);
        CHECK(st == EXS_OK || st == EXS_ERR_NOMEM);
        for (uint32_t i = 0; i < defs.function_count; i++) {
            const defs_function *fn = &defs.functions[i];
            if (!fn->clause_count) continue;
            exs_ref refs[64];
            uint32_t n = 0;
            for (uint32_t k = 0; k < fn->clause_count && n < 64; k++)
                refs[n++] = fn->clauses[k].node;
            cfg_graph g;
            st = cfg_build(t, ids, refs, n, a, &g);
            CHECK(st == EXS_OK || st == EXS_ERR_NOMEM || st == EXS_ERR_ARG);
            if (st == EXS_OK) check_graph(&g);
            dfg_graph d;
            st = dfg_build(t, ids, refs, n, a, &d);
            CHECK(st == EXS_OK || st == EXS_ERR_NOMEM || st == EXS_ERR_ARG);
            if (st == EXS_OK) check_dfg(&d);
        }
    }
    arena_free(a);
    exs_file_free(f);
    return 0;
}
