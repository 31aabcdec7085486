/* defsdump.c: prints what the definitions analyzer (src/analyze/defs.c) extracts from
 * each file on the command line.
 *
 *   defsdump [--exports] [--stdin] FILE...
 *
 * Default output, per module:
 *   module NAME KIND LINE-LAST [for=T] [moduledoc|moduledoc=false] [conditional]
 *     behaviour B / field F / use|import|alias|require TARGET [as=A] [only] [except]
 *   NAME.fun/arity KIND LINE [flags: private macro generated conditional dynamic spec
 *                             doc doc=false impl=X defaults_of=N clauses=N guard]
 * --exports prints the oracle format of tests/analyze/defs_oracle.exs instead: for each
 * module "NAME -module FILE", then "NAME fun/arity function|macro" for every public,
 * non-dynamic definition (generated ones included, __using__ templates excluded).
 * `use M` is applied across all the files given (src/analyze/expand.c).
 * --stdin reads paths from stdin. Exit 1 if a file cannot be read or parsed. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exscope.h"
#include "analyze/defs.h"
#include "analyze/expand.h"
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

static const char *nm(const char *s) { return s ? s : "<dynamic>"; }

static void dump(const char *path, const defs_result *r, bool exports) {
    for (uint32_t i = 0; i < r->module_count; i++) {
        const defs_module *m = &r->modules[i];
        if (exports) {
            if (m->name) printf("%s -module %s\n", m->name, path);
        } else {
            printf("module %s %s %u-%u", nm(m->name), defs_module_kind_name(m->kind),
                   m->line_first, m->line_last);
            if (m->impl_for) printf(" for=%s", m->impl_for);
            if (m->moduledoc == DEFS_DOC_STRING) printf(" moduledoc");
            if (m->moduledoc == DEFS_DOC_FALSE) printf(" moduledoc=false");
            if (m->conditional) printf(" conditional");
            putchar('\n');
            for (uint32_t k = 0; k < m->behaviour_count; k++)
                printf("  behaviour %s\n", m->behaviours[k]);
            for (uint32_t k = 0; k < m->field_count; k++) printf("  field %s\n", m->fields[k]);
            for (uint32_t k = 0; k < m->directive_count; k++) {
                const defs_directive *d = &m->directives[k];
                printf("  %s %s", defs_directive_kind_name(d->kind), nm(d->target));
                if (d->as) printf(" as=%s", d->as);
                if (d->only != EXS_REF_NONE) printf(" only");
                if (d->except != EXS_REF_NONE) printf(" except");
                printf(" line=%u\n", d->line);
            }
        }
    }
    for (uint32_t i = 0; i < r->function_count; i++) {
        const defs_function *f = &r->functions[i];
        const char *mod = nm(r->modules[f->module].name);
        if (exports) {
            if (!f->is_public || f->dynamic || f->in_using || !r->modules[f->module].name)
                continue;
            printf("%s %s/%u %s\n", mod, f->name, f->arity, f->is_macro ? "macro" : "function");
            continue;
        }
        printf("%s.%s/%u %s %u", mod, nm(f->name), f->arity, defs_fun_kind_name(f->kind),
               f->line);
        if (f->generated) printf(" generated");
        if (f->conditional) printf(" conditional");
        if (f->dynamic) printf(" dynamic");
        if (f->in_using) printf(" using");
        if (f->has_spec) printf(" spec");
        if (f->doc == DEFS_DOC_STRING) printf(" doc");
        if (f->doc == DEFS_DOC_FALSE) printf(" doc=false");
        if (f->impl) printf(" impl=%s", f->impl);
        if (f->default_of) printf(" defaults_of=%u", f->default_of);
        printf(" clauses=%u", f->clause_count);
        for (uint32_t k = 0; k < f->clause_count; k++)
            if (f->clauses[k].has_guard) {
                printf(" guard");
                break;
            }
        putchar('\n');
    }
}

typedef struct {
    const char *path;
    exs_file *f;
    exs_arena *a;
    defs_result r;
} loaded;

/* Parses and extracts one file into *out; 1 on failure. */
static int load(const char *path, loaded *out) {
    memset(out, 0, sizeof(*out));
    size_t len;
    char *src = slurp(path, &len);
    if (!src) {
        perror(path);
        return 1;
    }
    exs_error err;
    exs_parse_options o = {0};
    exs_status st = exs_parse(src, len, path, &o, &out->f, &err);
    free(src);
    if (st != EXS_OK) {
        fprintf(stderr, "%s:%u:%u: %s\n", path, err.line, err.column, err.message);
        return 1;
    }
    out->a = arena_new(1 << 14);
    if (!out->a || defs_extract(parse_file_tree(out->f), parse_file_ids(out->f), out->a,
                                &out->r) != EXS_OK) {
        fprintf(stderr, "%s: out of memory\n", path);
        arena_free(out->a);
        exs_file_free(out->f);
        out->f = NULL;
        out->a = NULL;
        return 1;
    }
    out->path = path;
    return 0;
}

static int add_path(const char *path, loaded **files, size_t *n, size_t *cap) {
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        loaded *nf = realloc(*files, *cap * sizeof(loaded));
        if (!nf) return 1;
        *files = nf;
    }
    char *p = strdup(path);
    if (!p) return 1;
    if (load(p, &(*files)[*n])) {
        free(p);
        return 1;
    }
    (*n)++;
    return 0;
}

/* All files are loaded first: `use M` needs M's __using__ from whichever file has it. */
int main(int argc, char **argv) {
    bool exports = false, from_stdin = false;
    int rc = 0;
    loaded *files = NULL;
    size_t n = 0, cap = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--exports") == 0)
            exports = true;
        else if (strcmp(argv[i], "--stdin") == 0)
            from_stdin = true;
        else
            rc |= add_path(argv[i], &files, &n, &cap);
    }
    if (from_stdin) {
        char line[4096];
        while (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\n")] = 0;
            if (line[0]) rc |= add_path(line, &files, &n, &cap);
        }
    }
    defs_result **rs = malloc((n ? n : 1) * sizeof(*rs));
    exs_arena **as = malloc((n ? n : 1) * sizeof(*as));
    if (!rs || !as) return 1;
    for (size_t i = 0; i < n; i++) {
        rs[i] = &files[i].r;
        as[i] = files[i].a;
    }
    if (expand_apply(rs, as, n) != EXS_OK) {
        fprintf(stderr, "defsdump: out of memory\n");
        rc = 1;
    }
    for (size_t i = 0; i < n; i++) {
        dump(files[i].path, &files[i].r, exports);
        arena_free(files[i].a);
        exs_file_free(files[i].f);
        free((char *)files[i].path);
    }
    free(rs);
    free(as);
    free(files);
    return rc;
}
