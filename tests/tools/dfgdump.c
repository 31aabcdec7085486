/* dfgdump.c: prints the data-flow graph (src/analyze/dfg.c) of every function of each
 * file on the command line.
 *
 *   dfgdump [--unused] [--stdin] FILE...
 *
 * Default output, per function (all clauses), the versions, uses and edges:
 *   Mod.fun/arity
 *     def x#0 L:C param [overrides] [unused]      (x#0: variable x, version 0)
 *     use x#0 L:C read|guard|pin|repeat|size|binding|delegate [closure]
 *     use foo L:C read unbound                     (no variable: a local call)
 *     edge x#0 L:C -> L:C
 * --unused prints only the unused-variable findings, in the compiler's place:
 *   FILE:LINE:COLUMN: variable "x" is unused
 * Templates inside `quote` (defmacro __using__) are skipped with --unused: their
 * variables are hygienic (a macro context), so Elixir never warns about them.
 * --stdin reads paths from stdin. Files are parsed with columns. Exit 1 if a file
 * cannot be read or parsed. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exscope.h"
#include "analyze/defs.h"
#include "analyze/dfg.h"
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

static void dump_fun(const char *mod, const defs_function *f, const dfg_graph *g) {
    printf("%s.%s/%u\n", mod, f->name ? f->name : "<dynamic>", f->arity);
    for (uint32_t i = 0; i < g->def_count; i++) {
        const dfg_def *d = &g->defs[i];
        printf("  def %s#%u %u:%u %s", d->name, i, d->line, d->column,
               dfg_def_kind_name(d->kind));
        if (d->overrides) printf(" overrides");
        if (d->is_unused) printf(" unused");
        putchar('\n');
    }
    for (uint32_t i = 0; i < g->use_count; i++) {
        const dfg_use *u = &g->uses[i];
        if (u->def == DFG_NONE)
            printf("  use %s %u:%u %s unbound\n", u->name, u->line, u->column,
                   dfg_use_kind_name(u->kind));
        else
            printf("  use %s#%u %u:%u %s%s\n", u->name, u->def, u->line, u->column,
                   dfg_use_kind_name(u->kind),
                   u->closure_depth > g->defs[u->def].closure_depth ? " closure" : "");
    }
    for (uint32_t i = 0; i < g->edge_count; i++) {
        const dfg_def *d = &g->defs[g->edges[i].def];
        const dfg_use *u = &g->uses[g->edges[i].use];
        printf("  edge %s#%u %u:%u -> %u:%u\n", d->name, g->edges[i].def, d->line, d->column,
               u->line, u->column);
    }
}

static int run(const char *path, bool unused_only) {
    size_t len;
    char *src = slurp(path, &len);
    if (!src) {
        perror(path);
        return 1;
    }
    exs_error err;
    exs_parse_options o = {.columns = true};
    exs_file *f = NULL;
    exs_status st = exs_parse(src, len, path, &o, &f, &err);
    free(src);
    if (st != EXS_OK) {
        fprintf(stderr, "%s:%u:%u: %s\n", path, err.line, err.column, err.message);
        return 1;
    }
    const exs_tree *t = parse_file_tree(f);
    const uint64_t *ids = parse_file_ids(f);
    exs_arena *a = arena_new(1 << 14);
    defs_result r;
    int rc = 0;
    if (!a || defs_extract(t, ids, a, &r) != EXS_OK) {
        fprintf(stderr, "%s: out of memory\n", path);
        rc = 1;
        goto done;
    }
    for (uint32_t i = 0; i < r.function_count; i++) {
        const defs_function *fn = &r.functions[i];
        if (fn->clause_count == 0) continue;
        if (unused_only && fn->in_using) continue;
        exs_ref *cl = malloc(fn->clause_count * sizeof(exs_ref));
        if (!cl) {
            rc = 1;
            break;
        }
        for (uint32_t k = 0; k < fn->clause_count; k++) cl[k] = fn->clauses[k].node;
        dfg_graph g;
        exs_status bs = dfg_build(t, ids, cl, fn->clause_count, a, &g);
        free(cl);
        if (bs != EXS_OK) {
            fprintf(stderr, "%s: dfg_build: %s\n", path, exs_status_name(bs));
            rc = 1;
            continue;
        }
        const char *mod = r.modules[fn->module].name ? r.modules[fn->module].name : "<dynamic>";
        if (!unused_only) {
            dump_fun(mod, fn, &g);
            continue;
        }
        for (uint32_t k = 0; k < g.unused_count; k++) {
            const dfg_def *d = &g.defs[g.unused[k]];
            printf("%s:%u:%u: variable \"%s\" is unused\n", path, d->line, d->column, d->name);
        }
    }
done:
    arena_free(a);
    exs_file_free(f);
    return rc;
}

int main(int argc, char **argv) {
    bool unused_only = false, from_stdin = false;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--unused") == 0)
            unused_only = true;
        else if (strcmp(argv[i], "--stdin") == 0)
            from_stdin = true;
    }
    for (int i = 1; i < argc; i++)
        if (argv[i][0] != '-' || argv[i][1] != '-') rc |= run(argv[i], unused_only);
    if (from_stdin) {
        char line[4096];
        while (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\n")] = 0;
            if (line[0]) rc |= run(line, unused_only);
        }
    }
    return rc;
}
