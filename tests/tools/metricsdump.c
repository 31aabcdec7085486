/* metricsdump.c: prints the metrics of every function clause in the files given as
 * arguments, one line per clause:
 *
 *   file:line name/arity cc=.. perc=.. cog=.. nest=.. abc=..(a,b,c) lines=..
 *
 * Clauses are the def/defp/defmacro/defmacrop/defguard/defguardp calls with one or two
 * arguments found at any depth of the AST (inside quote too). The head is the first
 * argument with `when` unwrapped; arity is its argument count; a head whose name is
 * not an atom (`unquote(name)(x)`) prints as `?`. The def-finding walk is this tool's
 * own on purpose, so that it checks src/analyze/metrics.c independently of the
 * function analysis. `--check` also verifies every value lies in its range and exits
 * 1 if one does not; `--top N` prints the N clauses of greatest cc at the end.
 * Depends on the public parser API and src/analyze/metrics.h. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exscope.h"
#include "analyze/metrics.h"
#include "parse/parse.h"

typedef struct top_entry {
    uint32_t cc;
    char text[256];
} top_entry;

static top_entry *top;
static size_t top_count, top_cap;
static int bad;
static unsigned long clauses_seen;

static bool is_def_name(const char *s) {
    static const char *const defs[] = {"def",      "defp",     "defmacro", "defmacrop",
                                       "defguard", "defguardp", NULL};
    for (const char *const *d = defs; *d; d++)
        if (strcmp(s, *d) == 0) return true;
    return false;
}

static const char *atom_of(const exs_tree *t, exs_ref r) {
    const exs_term *n = tree_get(t, r);
    return n->kind == EXS_TERM_ATOM ? n->v.s : NULL;
}

static void check(const char *path, uint32_t line, const exs_metrics *m) {
    bool ok = m->cc >= 1 && m->perceived >= 1 && m->perceived <= m->cc &&
              m->clauses == 1 && m->first_line >= 1 && m->last_line >= m->first_line &&
              m->lines == m->last_line - m->first_line + 1 && m->nesting <= 1000 &&
              isfinite(m->abc) && m->abc >= 0 && m->cc < 100000 && m->cognitive < 100000;
    if (!ok) {
        fprintf(stderr, "%s:%u: metrics out of range\n", path, line);
        bad = 1;
    }
}

static void clause(const exs_tree *t, exs_ref def, const char *path, bool quiet,
                   bool do_check) {
    const exs_term *args = tree_get(t, tree_get(t, def)->v.kids[2]);
    exs_ref head = args->v.kids[0];
    if (tree_is_call(t, head) && tree_is_atom(t, tree_get(t, head)->v.kids[0], "when")) {
        const exs_term *wa = tree_get(t, tree_get(t, head)->v.kids[2]);
        if (wa->kind == EXS_TERM_LIST && wa->len >= 1) head = wa->v.kids[0];
    }
    const char *name = "?";
    unsigned arity = 0;
    if (tree_is_call(t, head)) {
        const char *a = atom_of(t, tree_get(t, head)->v.kids[0]);
        if (a) name = a;
        const exs_term *ha = tree_get(t, tree_get(t, head)->v.kids[2]);
        if (ha->kind == EXS_TERM_LIST) arity = ha->len;
    }
    exs_metrics m;
    if (metrics_compute(t, def, &m) != EXS_OK) {
        fprintf(stderr, "%s: metrics_compute failed\n", path);
        bad = 1;
        return;
    }
    clauses_seen++;
    if (do_check) check(path, m.first_line, &m);
    char text[256];
    snprintf(text, sizeof(text),
             "%s:%u %s/%u cc=%u perc=%u cog=%u nest=%u abc=%.1f(%u,%u,%u) lines=%u", path,
             m.first_line, name, arity, m.cc, m.perceived, m.cognitive, m.nesting, m.abc,
             m.abc_a, m.abc_b, m.abc_c, m.lines);
    if (!quiet) puts(text);
    if (top_cap) {
        /* keep the top_cap greatest cc, sorted descending (insertion) */
        if (top_count == top_cap && top[top_count - 1].cc >= m.cc) return;
        size_t i = top_count < top_cap ? top_count++ : top_count - 1;
        while (i > 0 && top[i - 1].cc < m.cc) {
            top[i] = top[i - 1];
            i--;
        }
        top[i].cc = m.cc;
        memcpy(top[i].text, text, sizeof(text));
    }
}

static void find_defs(const exs_tree *t, exs_ref r, const char *path, bool quiet,
                      bool do_check) {
    const exs_term *n = tree_get(t, r);
    if (n->kind != EXS_TERM_LIST && n->kind != EXS_TERM_TUPLE) return;
    if (tree_is_call(t, r)) {
        const char *a = atom_of(t, n->v.kids[0]);
        const exs_term *args = tree_get(t, n->v.kids[2]);
        if (a && is_def_name(a) && args->kind == EXS_TERM_LIST &&
            (args->len == 1 || args->len == 2))
            clause(t, r, path, quiet, do_check);
    }
    for (uint32_t i = 0; i < n->len; i++)
        if (tree_get(t, n->v.kids[i])->kind != EXS_TERM_META)
            find_defs(t, n->v.kids[i], path, quiet, do_check);
}

static char *slurp(const char *path, size_t *out_len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + len, 1, cap - len, f)) > 0) {
        len += k;
        if (len == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) free(buf);
            buf = nb;
        }
    }
    fclose(f);
    *out_len = len;
    return buf;
}

int main(int argc, char **argv) {
    bool quiet = false, do_check = false, token_meta = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--quiet") == 0) quiet = true;
        else if (strcmp(argv[i], "--check") == 0) do_check = true;
        else if (strcmp(argv[i], "--token-metadata") == 0) token_meta = true;
        else if (strcmp(argv[i], "--top") == 0 && i + 1 < argc) top_cap = strtoul(argv[++i], 0, 10);
        else {
            fprintf(stderr,
                    "usage: metricsdump [--quiet] [--check] [--token-metadata] [--top N] "
                    "file...\n");
            return 2;
        }
    }
    if (top_cap && !(top = calloc(top_cap, sizeof(*top)))) return 2;
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
        find_defs(t, t->root, argv[i], quiet, do_check);
        exs_file_free(f);
    }
    for (size_t k = 0; k < top_count; k++) printf("top %zu: %s\n", k + 1, top[k].text);
    if (do_check) fprintf(stderr, "metricsdump: %lu clauses checked\n", clauses_seen);
    free(top);
    return bad;
}
