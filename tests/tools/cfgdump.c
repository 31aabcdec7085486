/* cfgdump.c: builds the control-flow graph (src/analyze/cfg.c) of every function of
 * the files given and prints one line per function:
 *
 *   Mod.fun/arity nodes=N edges=E cc=C decisions=D unreachable=U implicit=I closures=K
 *                 credo=M
 *
 * `edges` counts the edges cfg_cyclomatic counts (all but the implicit may-raise edges,
 * which `implicit` counts), so cc = edges - nodes + 2. Functions come from defs_extract (all
 * clauses of one name/arity form one graph). credo is metrics.c's Credo-style cc summed over the
 * clauses (metrics_add), for comparison (docs/cfg.md).
 *
 *   cfgdump [--quiet] [--check] [--token-metadata] FILE...
 *   cfgdump --dot MFA FILE...     the DOT of function MFA ("Mod.fun/2") to stdout
 *   cfgdump --json MFA FILE...    its JSON
 *
 * --check verifies the counting invariant (cc == decisions + 1, every node but the
 * exits has an out-edge) and exits 1 on a violation; --quiet prints only the summary
 * (functions, nodes, edges, time) on stderr. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exscope.h"
#include "analyze/cfg.h"
#include "analyze/defs.h"
#include "analyze/metrics.h"
#include "parse/parse.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        char *nb = realloc(buf, cap *= 2);
        if (!nb) free(buf);
        buf = nb;
    }
    fclose(f);
    *len = n;
    return buf;
}

static bool invariant_ok(const cfg_graph *g) {
    if (cfg_cyclomatic(g) != g->decisions + 1) return false;
    for (uint32_t v = 0; v < g->node_count; v++) {
        uint32_t k = 0;
        for (uint32_t e = g->out_start[v]; e < g->out_start[v + 1]; e++)
            if (!(g->edges[e].flags & CFG_EF_IMPLICIT)) k++;
        bool sink = g->nodes[v].kind == CFG_NODE_EXIT || g->nodes[v].kind == CFG_NODE_FN_EXIT;
        if (sink ? k != 0 : k == 0) return false;
    }
    return true;
}

int main(int argc, char **argv) {
    bool quiet = false, check = false, token_meta = false;
    const char *want = NULL;
    int format = 0; /* 0 summary, 1 dot, 2 json */
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--quiet") == 0)
            quiet = true;
        else if (strcmp(argv[i], "--check") == 0)
            check = true;
        else if (strcmp(argv[i], "--token-metadata") == 0)
            token_meta = true;
        else if (strcmp(argv[i], "--dot") == 0 && i + 1 < argc)
            want = argv[++i], format = 1;
        else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
            want = argv[++i], format = 2;
        else {
            fprintf(stderr, "usage: cfgdump [--quiet] [--check] [--token-metadata] "
                            "[--dot MFA | --json MFA] file...\n");
            return 2;
        }
    }
    int bad = 0, found = 0;
    unsigned long funcs = 0, nodes = 0, edges = 0, implicit = 0, unreach = 0, same_cc = 0;
    double secs = 0;
    for (; i < argc; i++) {
        size_t len;
        char *src = slurp(argv[i], &len);
        if (!src) {
            fprintf(stderr, "%s: cannot read\n", argv[i]);
            bad = 1;
            continue;
        }
        exs_parse_options o = {.token_metadata = token_meta};
        exs_file *f = NULL;
        exs_error err;
        exs_status st = exs_parse(src, len, argv[i], &o, &f, &err);
        free(src);
        if (st != EXS_OK) {
            fprintf(stderr, "%s:%u: %s\n", argv[i], err.line, err.message);
            bad = 1;
            continue;
        }
        const exs_tree *t = parse_file_tree(f);
        const uint64_t *ids = parse_file_ids(f);
        exs_arena *a = arena_new(1 << 16);
        defs_result dr;
        if (!a || defs_extract(t, ids, a, &dr) != EXS_OK) {
            fprintf(stderr, "%s: defs_extract failed\n", argv[i]);
            bad = 1;
            arena_free(a);
            exs_file_free(f);
            continue;
        }
        for (uint32_t k = 0; k < dr.function_count; k++) {
            const defs_function *fn = &dr.functions[k];
            if (!fn->clause_count) continue;
            exs_ref *refs = malloc(fn->clause_count * sizeof(exs_ref));
            if (!refs) return 2;
            for (uint32_t c = 0; c < fn->clause_count; c++)
                refs[c] = fn->clauses[c].node;
            char mfa[512];
            const char *mod = dr.modules[fn->module].name;
            snprintf(mfa, sizeof(mfa), "%s.%s/%u", mod ? mod : "?", fn->name ? fn->name : "?",
                     fn->arity);
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            cfg_graph g;
            st = cfg_build(t, ids, refs, fn->clause_count, a, &g);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            secs += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
            free(refs);
            if (st != EXS_OK) {
                fprintf(stderr, "%s: %s: cfg_build: %s\n", argv[i], mfa, exs_status_name(st));
                bad = 1;
                continue;
            }
            exs_metrics credo;
            memset(&credo, 0, sizeof(credo));
            for (uint32_t c = 0; c < fn->clause_count; c++) {
                exs_metrics m;
                if (metrics_compute(t, fn->clauses[c].node, &m) == EXS_OK) metrics_add(&credo, &m);
            }
            same_cc += credo.cc == cfg_cyclomatic(&g);
            funcs++;
            nodes += g.node_count;
            edges += g.edge_count;
            implicit += g.implicit_edges;
            unreach += g.unreachable;
            if (check && !invariant_ok(&g)) {
                fprintf(stderr, "%s: %s: counting invariant violated\n", argv[i], mfa);
                bad = 1;
            }
            if (want) {
                if (strcmp(want, mfa) != 0) continue;
                found = 1;
                exs_buf b;
                buf_init(&b);
                if (format == 1)
                    cfg_write_dot(&g, mfa, &b);
                else
                    cfg_write_json(&g, mfa, &b);
                if (b.failed) return 2;
                fwrite(b.data, 1, b.len, stdout);
                buf_free(&b);
            } else if (!quiet) {
                printf("%s nodes=%u edges=%u cc=%u decisions=%u unreachable=%u implicit=%u "
                       "closures=%u credo=%u\n",
                       mfa, g.node_count, cfg_counted_edges(&g), cfg_cyclomatic(&g), g.decisions,
                       g.unreachable, g.implicit_edges, g.closure_count, credo.cc);
            }
        }
        arena_free(a);
        exs_file_free(f);
    }
    if (want && !found) {
        fprintf(stderr, "cfgdump: %s not found\n", want);
        return 1;
    }
    if (!want)
        fprintf(stderr,
                "cfgdump: %lu functions, %lu nodes, %lu edges (%lu implicit), %lu unreachable, "
                "%.3f s building, cc equal to credo's for %lu\n",
                funcs, nodes, edges, implicit, unreach, secs, same_cc);
    return bad;
}
