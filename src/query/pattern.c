/* pattern.c: structural pattern search (`exscope grep`): compile an Elixir pattern,
 * match it over one file's AST, and over a set of files on the thread pool.
 *
 * Design:
 *   - Compile: `$name` is not Elixir, so the text is first rewritten, `$name` ->
 *     `__exs_bind_name__` (outside strings, charlists, comments and `?c` literals),
 *     then parsed by our parser. Error positions are mapped back to the original text.
 *     Each pattern term gets a class: literal structure, `_` (any one subtree), `...`
 *     (any run of list elements; any subtree elsewhere), a binding slot, or an alias
 *     (`__aliases__` with its joined name precomputed).
 *   - Match: a recursive comparison that ignores metadata. Bindings are set on first
 *     sight and compared (pattern_term_equal) afterwards; `...` backtracks, and a
 *     trail undoes the bindings of a failed branch. A step budget per attempt bounds
 *     the backtracking of patterns with several `...` in one list.
 *   - Aliases: a pattern `Foo.Bar` matches a subject `Foo.Bar`, or `Bar` under
 *     `alias Foo.Bar` (the innermost enclosing module's directives, then its parents'),
 *     or `__MODULE__` inside module Foo.Bar. Only module-level `alias` directives
 *     (defs.c) count; lexical aliases inside function bodies are not seen.
 *   - Walk: only expression positions of the subject are tried (not metadata, not the
 *     argument list itself, not the `.` of a remote call nor its function-name atom).
 *   - Results: positions come from the metadata (the smallest line:column in the
 *     matched subtree); bound values are source text from that start to the end of
 *     the expression (the largest position in the subtree, closing/end tokens
 *     included, then a bracket-balanced scan to the end of its last token); literals
 *     without metadata are printed as Elixir's inspect would.
 *
 * Invariants: recursion depth is bounded by the term depth, which the parser bounds;
 * a compiled pattern is immutable after compile (shared by the search threads).
 * Callers: the public API below (exscope.h), used by cli/cmd_grep.c and the benchmark. */
#define _POSIX_C_SOURCE 200809L
#include "pattern.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../ast/writers.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/pool.h"
#include "../parse/parse.h"

#define BIND_PREFIX "__exs_bind_"
#define BIND_SUFFIX "__"
#define MATCH_BUDGET 1000000L
#define VALUE_MAX 400   /* bytes of a bound value's text before it is cut with "..." */
#define SNIPPET_MAX 200

/* A list with a `...` element; a literal leaf (atom, number, string) compared as is. */
enum { FL_ELLIPSIS = 1, FL_LEAF = 2, FL_VAR_HEAD = 4 /* the name atom of a variable */ };

enum { CLS_LIT = 0, CLS_WILD = 1, CLS_ELLIPSIS = 2, CLS_BIND = 3, CLS_ALIAS = 4 };

struct exs_pattern {
    exs_file *file;
    const exs_tree *tree;
    exs_ref root;
    uint8_t *cls;      /* per pattern term */
    uint8_t *flags;    /* per pattern term: FL_* */
    uint32_t *arg;     /* CLS_BIND: slot; CLS_ALIAS: index into alias_names */
    char **names;      /* binding names (malloc'd) */
    bool *slot_is_name; /* per binding: written where a name goes ($f(x), M.$f(x)) */
    uint32_t name_count;
    char **alias_names;
    uint32_t alias_count;
    /* Root prefilter: a call pattern needs a subject call whose name (the atom of a
     * local call or operator, the function atom of a remote call) is `key`. */
    const exs_term *key; /* NULL: no prefilter */
    bool key_remote;
};

/* ---- compile --------------------------------------------------------------------- */

static bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
static bool is_ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

/* Skips a string or charlist starting at i (a quote); returns the index after it. */
static size_t skip_quoted(const char *s, size_t len, size_t i) {
    char q = s[i];
    if (i + 2 < len && s[i + 1] == q && s[i + 2] == q) { /* heredoc */
        for (size_t k = i + 3; k + 2 < len; k++) {
            if (s[k] == '\\') { k++; continue; }
            if (s[k] == q && s[k + 1] == q && s[k + 2] == q) return k + 3;
        }
        return len;
    }
    for (size_t k = i + 1; k < len; k++) {
        if (s[k] == '\\') { k++; continue; }
        if (s[k] == q) return k + 1;
    }
    return len;
}

static void set_err(exs_error *err, exs_status code, uint32_t line, uint32_t col,
                    const char *msg) {
    if (!err) return;
    err->code = code;
    err->path = NULL;
    err->line = line;
    err->column = col;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

static int add_name(exs_pattern *p, const char *s, size_t n) {
    for (uint32_t i = 0; i < p->name_count; i++)
        if (strlen(p->names[i]) == n && memcmp(p->names[i], s, n) == 0) return 0;
    char **nn = realloc(p->names, (p->name_count + 1) * sizeof *nn);
    if (!nn) return -1;
    p->names = nn;
    char *c = malloc(n + 1);
    if (!c) return -1;
    memcpy(c, s, n);
    c[n] = 0;
    p->names[p->name_count++] = c;
    return 0;
}

typedef struct rewrite {
    uint32_t line;  /* 1-based line of a `$` */
    uint32_t col;   /* its column in the rewritten text */
} rewrite;

static uint32_t name_slot(const exs_pattern *p, const char *s, size_t n) {
    for (uint32_t i = 0; i < p->name_count; i++)
        if (strlen(p->names[i]) == n && memcmp(p->names[i], s, n) == 0) return i;
    return UINT32_MAX;
}

/* Joins the segments of an `__aliases__` node of atoms into "A.B"; NULL if not all
 * atoms. malloc'd. */
static char *alias_join(const exs_tree *t, exs_ref args) {
    const exs_term *l = tree_get(t, args);
    if (l->kind != EXS_TERM_LIST || l->len == 0) return NULL;
    size_t n = 0;
    for (uint32_t i = 0; i < l->len; i++) {
        const exs_term *a = tree_get(t, l->v.kids[i]);
        if (a->kind != EXS_TERM_ATOM) return NULL;
        n += a->len + 1;
    }
    char *s = malloc(n + 1), *w = s;
    if (!s) return NULL;
    for (uint32_t i = 0; i < l->len; i++) {
        const exs_term *a = tree_get(t, l->v.kids[i]);
        if (i) *w++ = '.';
        memcpy(w, a->v.s, a->len);
        w += a->len;
    }
    *w = 0;
    return s;
}

/* The atom name of a var/call head, or NULL. */
static const exs_term *call_head_atom(const exs_tree *t, exs_ref r) {
    const exs_term *h = tree_get(t, tree_get(t, r)->v.kids[0]);
    return h->kind == EXS_TERM_ATOM ? h : NULL;
}

static bool is_var(const exs_tree *t, exs_ref r) {
    if (!tree_is_call(t, r)) return false;
    const exs_term *n = tree_get(t, r);
    return tree_get(t, n->v.kids[0])->kind == EXS_TERM_ATOM &&
           tree_get(t, n->v.kids[2])->kind == EXS_TERM_ATOM;
}

exs_status exs_pattern_compile(const char *text, size_t len, exs_pattern **out,
                               exs_error *err) {
    *out = NULL;
    if (!text) return EXS_ERR_ARG;
    exs_pattern *p = calloc(1, sizeof *p);
    exs_buf b;
    buf_init(&b);
    rewrite *rw = NULL;
    size_t rw_count = 0;
    exs_status st = EXS_ERR_NOMEM;
    if (!p) goto fail;
    /* Rewrite `$name`. */
    uint32_t line = 1, col_in = 1, col_out = 1;
    for (size_t i = 0; i < len;) {
        char c = text[i];
        if (c == '"' || c == '\'') {
            size_t e = skip_quoted(text, len, i);
            for (size_t k = i; k < e; k++) {
                if (text[k] == '\n') line++, col_in = col_out = 1;
                else if (((unsigned char)text[k] & 0xC0) != 0x80) col_in++, col_out++;
            }
            buf_put(&b, text + i, e - i);
            i = e;
            continue;
        }
        if (c == '?' && i + 1 < len && (i == 0 || !is_ident_char(text[i - 1]))) {
            /* `?$` is the character literal 36, not a binding. */
            size_t n = (text[i + 1] == '\\' && i + 2 < len) ? 3 : 2;
            buf_put(&b, text + i, n);
            i += n, col_in += (uint32_t)n, col_out += (uint32_t)n;
            continue;
        }
        if (c == '#') {
            while (i < len && text[i] != '\n') buf_putc(&b, text[i++]);
            continue;
        }
        if (c == '$') {
            size_t k = i + 1;
            if (k >= len || !is_ident_start(text[k])) {
                set_err(err, EXS_ERR_SYNTAX, line, col_in,
                        "`$` must be followed by a name: $x, $path, $my_var");
                st = EXS_ERR_SYNTAX;
                goto fail;
            }
            while (k < len && is_ident_char(text[k])) k++;
            const char *nm = text + i + 1;
            size_t nlen = k - i - 1;
            if (add_name(p, nm, nlen)) goto fail;
            rewrite *nr = realloc(rw, (rw_count + 1) * sizeof *nr);
            if (!nr) goto fail;
            rw = nr;
            rw[rw_count++] = (rewrite){line, col_out};
            buf_puts(&b, BIND_PREFIX);
            buf_put(&b, nm, nlen);
            buf_puts(&b, BIND_SUFFIX);
            col_in += (uint32_t)(nlen + 1);
            col_out += (uint32_t)(nlen + strlen(BIND_PREFIX) + strlen(BIND_SUFFIX));
            i = k;
            continue;
        }
        if (c == '\n') line++, col_in = col_out = 1;
        else if (((unsigned char)c & 0xC0) != 0x80) col_in++, col_out++;
        buf_putc(&b, c);
        i++;
    }
    if (b.failed) goto fail;
    exs_parse_options o = {.columns = true, .token_metadata = true};
    exs_error e;
    memset(&e, 0, sizeof e);
    st = exs_parse(b.data ? b.data : "", b.len, "pattern", &o, &p->file, &e);
    if (st != EXS_OK) {
        /* Map the column back: each earlier rewrite on the line added bytes. */
        uint32_t c = e.column;
        for (size_t k = rw_count; k-- > 0;)
            if (rw[k].line == e.line && rw[k].col < e.column)
                c -= (uint32_t)(strlen(BIND_PREFIX) + strlen(BIND_SUFFIX) - 1);
        set_err(err, st, e.line, c, e.message);
        goto fail;
    }
    p->tree = parse_file_tree(p->file);
    p->root = p->tree->root;
    if (tree_is_call(p->tree, p->root) && call_head_atom(p->tree, p->root) &&
        strcmp(call_head_atom(p->tree, p->root)->v.s, "__block__") == 0) {
        const exs_term *args = tree_get(p->tree, tree_get(p->tree, p->root)->v.kids[2]);
        if (args->kind == EXS_TERM_LIST && args->len != 1) {
            st = EXS_ERR_SYNTAX;
            set_err(err, st, 1, 1,
                    args->len == 0 ? "empty pattern" : "a pattern is one expression");
            goto fail;
        }
        if (args->kind == EXS_TERM_LIST) p->root = args->v.kids[0];
    }
    /* Classify the terms. */
    st = EXS_ERR_NOMEM;
    uint32_t n = p->tree->count;
    p->cls = calloc(n ? n : 1, 1);
    p->arg = calloc(n ? n : 1, sizeof *p->arg);
    p->flags = calloc(n ? n : 1, 1);
    if (!p->cls || !p->arg || !p->flags) goto fail;
    p->slot_is_name = calloc(p->name_count ? p->name_count : 1, sizeof *p->slot_is_name);
    if (!p->slot_is_name) goto fail;
    for (uint32_t r = 0; r < n; r++)
        if (is_var(p->tree, r)) p->flags[tree_get(p->tree, r)->v.kids[0]] |= FL_VAR_HEAD;
    for (uint32_t r = 0; r < n; r++) {
        const exs_term *x = tree_get(p->tree, r);
        size_t pl = strlen(BIND_PREFIX), sl = strlen(BIND_SUFFIX);
        if (x->kind == EXS_TERM_ATOM && !(p->flags[r] & FL_VAR_HEAD) && x->len > pl + sl &&
            strncmp(x->v.s, BIND_PREFIX, pl) == 0 &&
            strcmp(x->v.s + x->len - sl, BIND_SUFFIX) == 0) {
            /* `$f(x)`, `M.$f(x)`: the name atom binds (a variable's own atom is never
             * reached: the variable matches first). */
            uint32_t slot = name_slot(p, x->v.s + pl, x->len - pl - sl);
            if (slot != UINT32_MAX) {
                p->cls[r] = CLS_BIND, p->arg[r] = slot;
                p->slot_is_name[slot] = true;
            }
            continue;
        }
        if (!tree_is_call(p->tree, r)) continue;
        const exs_term *h = call_head_atom(p->tree, r);
        if (!h) continue;
        const exs_term *node = tree_get(p->tree, r);
        if (is_var(p->tree, r)) {
            if (strcmp(h->v.s, "_") == 0) {
                p->cls[r] = CLS_WILD;
            } else if (strcmp(h->v.s, "...") == 0) {
                p->cls[r] = CLS_ELLIPSIS;
            } else if (h->len > pl + sl && strncmp(h->v.s, BIND_PREFIX, pl) == 0 &&
                       strcmp(h->v.s + h->len - sl, BIND_SUFFIX) == 0) {
                uint32_t slot = name_slot(p, h->v.s + pl, h->len - pl - sl);
                if (slot != UINT32_MAX) p->cls[r] = CLS_BIND, p->arg[r] = slot;
            }
        } else if (strcmp(h->v.s, "__aliases__") == 0) {
            char *s = alias_join(p->tree, node->v.kids[2]);
            if (!s) continue;
            char **na = realloc(p->alias_names, (p->alias_count + 1) * sizeof *na);
            if (!na) {
                free(s);
                goto fail;
            }
            p->alias_names = na;
            p->alias_names[p->alias_count] = s;
            p->cls[r] = CLS_ALIAS;
            p->arg[r] = p->alias_count++;
        }
    }
    /* The root prefilter. */
    if (p->cls[p->root] == CLS_LIT && tree_is_call(p->tree, p->root)) {
        const exs_term *rn = tree_get(p->tree, p->root);
        const exs_term *h = call_head_atom(p->tree, p->root);
        if (h && p->cls[rn->v.kids[0]] == CLS_BIND) {
            p->key = NULL; /* `$f(...)`: any name */
        } else if (h && tree_get(p->tree, rn->v.kids[2])->kind == EXS_TERM_LIST) {
            p->key = h;
        } else if (!h && tree_is_call(p->tree, rn->v.kids[0])) {
            const exs_term *dh = call_head_atom(p->tree, rn->v.kids[0]);
            const exs_term *da = tree_get(p->tree, tree_get(p->tree, rn->v.kids[0])->v.kids[2]);
            if (dh && strcmp(dh->v.s, ".") == 0 && da->kind == EXS_TERM_LIST && da->len == 2 &&
                tree_get(p->tree, da->v.kids[1])->kind == EXS_TERM_ATOM &&
                p->cls[da->v.kids[1]] != CLS_BIND)
                p->key = tree_get(p->tree, da->v.kids[1]), p->key_remote = true;
        }
    }
    /* Flags for the matcher's cheap checks (after classification). */
    for (uint32_t r = 0; r < n; r++) {
        const exs_term *x = tree_get(p->tree, r);
        if (x->kind == EXS_TERM_LIST) {
            for (uint32_t i = 0; i < x->len; i++)
                if (p->cls[x->v.kids[i]] == CLS_ELLIPSIS) p->flags[r] |= FL_ELLIPSIS;
        } else if (x->kind != EXS_TERM_TUPLE && x->kind != EXS_TERM_META) {
            p->flags[r] |= FL_LEAF;
        }
    }
    buf_free(&b);
    free(rw);
    *out = p;
    return EXS_OK;
fail:
    if (st == EXS_ERR_NOMEM) set_err(err, st, 0, 0, "out of memory");
    buf_free(&b);
    free(rw);
    exs_pattern_free(p);
    return st;
}

void exs_pattern_free(exs_pattern *p) {
    if (!p) return;
    exs_file_free(p->file);
    free(p->cls);
    free(p->arg);
    free(p->flags);
    free(p->slot_is_name);
    for (uint32_t i = 0; i < p->name_count; i++) free(p->names[i]);
    free(p->names);
    for (uint32_t i = 0; i < p->alias_count; i++) free(p->alias_names[i]);
    free(p->alias_names);
    free(p);
}

uint32_t exs_pattern_binding_count(const exs_pattern *p) { return p ? p->name_count : 0; }
const char *exs_pattern_binding_name(const exs_pattern *p, uint32_t i) {
    return p && i < p->name_count ? p->names[i] : NULL;
}

/* ---- match ------------------------------------------------------------------------ */

bool pattern_term_equal(const exs_tree *a, exs_ref ra, const exs_tree *b, exs_ref rb) {
    const exs_term *x = tree_get(a, ra), *y = tree_get(b, rb);
    if (x->kind != y->kind) return false;
    switch ((exs_term_kind)x->kind) {
    case EXS_TERM_INT: return x->v.i == y->v.i;
    case EXS_TERM_FLOAT: return memcmp(&x->v.f, &y->v.f, sizeof x->v.f) == 0;
    case EXS_TERM_BIGINT:
        if (x->flags != y->flags) return false;
        /* fallthrough */
    case EXS_TERM_ATOM:
    case EXS_TERM_BINARY: return x->len == y->len && memcmp(x->v.s, y->v.s, x->len) == 0;
    case EXS_TERM_META: return true; /* metadata is ignored */
    case EXS_TERM_LIST:
    case EXS_TERM_TUPLE:
        if (x->len != y->len) return false;
        for (uint32_t i = 0; i < x->len; i++)
            if (!pattern_term_equal(a, x->v.kids[i], b, y->v.kids[i])) return false;
        return true;
    }
    return false;
}

typedef struct mctx {
    const exs_pattern *p;
    const exs_tree *t;
    const defs_result *defs;
    exs_ref *binds;
    uint32_t *trail;
    uint32_t trail_len;
    long budget;
} mctx;

static void undo(mctx *m, uint32_t to) {
    while (m->trail_len > to) m->binds[m->trail[--m->trail_len]] = EXS_REF_NONE;
}

/* The innermost module whose line range holds `line`, or DEFS_NONE. */
static uint32_t module_at(const defs_result *d, uint32_t line) {
    uint32_t best = DEFS_NONE;
    for (uint32_t i = 0; d && i < d->module_count; i++) {
        const defs_module *mo = &d->modules[i];
        if (!mo->name || line < mo->line_first || line > mo->line_last) continue;
        if (best == DEFS_NONE || mo->line_first >= d->modules[best].line_first) best = i;
    }
    return best;
}

/* Does `full` equal prefix + "." + the remaining segments (from index `from`)? */
static bool joined_equals(const char *full, const char *prefix, const exs_tree *t,
                          const exs_term *segs, uint32_t from) {
    size_t n = strlen(prefix);
    if (strncmp(full, prefix, n) != 0) return false;
    full += n;
    for (uint32_t i = from; i < segs->len; i++) {
        const exs_term *a = tree_get(t, segs->v.kids[i]);
        if (a->kind != EXS_TERM_ATOM) return false;
        if (*full++ != '.') return false;
        if (strncmp(full, a->v.s, a->len) != 0) return false;
        full += a->len;
    }
    return *full == 0;
}

static bool alias_match(mctx *m, const char *name, exs_ref sr) {
    const exs_tree *t = m->t;
    if (!tree_is_call(t, sr)) return false;
    const exs_term *h = call_head_atom(t, sr);
    if (!h) return false;
    const exs_term *node = tree_get(t, sr);
    int64_t line = tree_meta_int(t, sr, EXS_META_LINE);
    if (is_var(t, sr)) {
        if (strcmp(h->v.s, "__MODULE__") != 0) return false;
        uint32_t mi = module_at(m->defs, line < 0 ? 0 : (uint32_t)line);
        return mi != DEFS_NONE && strcmp(m->defs->modules[mi].name, name) == 0;
    }
    if (strcmp(h->v.s, "__aliases__") != 0) return false;
    const exs_term *segs = tree_get(t, node->v.kids[2]);
    if (segs->kind != EXS_TERM_LIST || segs->len == 0) return false;
    const exs_term *first = tree_get(t, segs->v.kids[0]);
    if (first->kind == EXS_TERM_ATOM) {
        if (joined_equals(name, first->v.s, t, segs, 1)) return true; /* as written */
    } else if (!is_var(t, segs->v.kids[0]) ||
               strcmp(call_head_atom(t, segs->v.kids[0])->v.s, "__MODULE__") != 0) {
        return false;
    }
    if (!m->defs || line < 0) return false;
    uint32_t mi = module_at(m->defs, (uint32_t)line);
    if (first->kind != EXS_TERM_ATOM) /* __MODULE__.Sub */
        return mi != DEFS_NONE && joined_equals(name, m->defs->modules[mi].name, t, segs, 1);
    /* `alias Foo.Bar` (or `as: Bar`) in this module or an enclosing one, before us. */
    for (; mi != DEFS_NONE; mi = m->defs->modules[mi].parent) {
        const defs_module *mo = &m->defs->modules[mi];
        const defs_directive *best = NULL;
        for (uint32_t k = 0; k < mo->directive_count; k++) {
            const defs_directive *d = &mo->directives[k];
            if (d->kind != DEFS_ALIAS || !d->as || !d->target) continue;
            if (d->line >= (uint32_t)line || strcmp(d->as, first->v.s) != 0) continue;
            if (!best || d->line >= best->line) best = d;
        }
        if (best) return joined_equals(name, best->target, t, segs, 1);
    }
    return false;
}

static bool match(mctx *m, exs_ref pr, exs_ref sr);

/* Lists with `...`: the non-ellipsis prefix one to one, then each split of the rest. */
static bool match_list(mctx *m, const exs_ref *pk, uint32_t pn, const exs_ref *sk,
                       uint32_t sn) {
    while (pn > 0 && m->p->cls[pk[0]] != CLS_ELLIPSIS) {
        if (sn == 0 || !match(m, pk[0], sk[0])) return false;
        pk++, pn--, sk++, sn--;
    }
    if (pn == 0) return sn == 0;
    pk++, pn--; /* the ellipsis */
    if (pn == 0) return true;
    for (uint32_t k = 0; k <= sn; k++) {
        uint32_t save = m->trail_len;
        /* An empty list's kids may be NULL: no arithmetic on it. */
        if (match_list(m, pk, pn, k ? sk + k : sk, sn - k)) return true;
        undo(m, save);
        if (m->budget < 0) return false;
    }
    return false;
}

static bool match(mctx *m, exs_ref pr, exs_ref sr) {
    if (--m->budget < 0) return false;
    const exs_pattern *p = m->p;
    switch (p->cls[pr]) {
    case CLS_WILD:
    case CLS_ELLIPSIS: return true;
    case CLS_BIND: {
        uint32_t k = p->arg[pr];
        /* A name binding (`$f(x)`) takes a name: a local call, not a remote one. */
        if (tree_get(p->tree, pr)->kind == EXS_TERM_ATOM &&
            tree_get(m->t, sr)->kind != EXS_TERM_ATOM)
            return false;
        if (m->binds[k] == EXS_REF_NONE) {
            m->binds[k] = sr;
            m->trail[m->trail_len++] = k;
            return true;
        }
        return pattern_term_equal(m->t, m->binds[k], m->t, sr);
    }
    case CLS_ALIAS: return alias_match(m, p->alias_names[p->arg[pr]], sr);
    default: break;
    }
    const exs_term *pt = tree_get(p->tree, pr), *st = tree_get(m->t, sr);
    if (pt->kind != st->kind) return false;
    switch ((exs_term_kind)pt->kind) {
    case EXS_TERM_TUPLE:
        if (pt->len != st->len) return false;
        if (tree_is_call(p->tree, pr)) {
            if (!tree_is_call(m->t, sr)) return false;
            /* Cheap first: the argument count, then the head (name, module), then the
             * arguments. */
            const exs_term *pa = tree_get(p->tree, pt->v.kids[2]);
            const exs_term *sa = tree_get(m->t, st->v.kids[2]);
            if (pa->kind == EXS_TERM_LIST && !(p->flags[pt->v.kids[2]] & FL_ELLIPSIS) &&
                p->cls[pt->v.kids[2]] == CLS_LIT && (sa->kind != EXS_TERM_LIST || sa->len != pa->len))
                return false;
            if (!match(m, pt->v.kids[0], st->v.kids[0])) return false;
            /* A variable's context atom (nil, or a module in macros) is metadata-like. */
            if (tree_get(p->tree, pt->v.kids[2])->kind == EXS_TERM_ATOM)
                return tree_get(m->t, st->v.kids[2])->kind == EXS_TERM_ATOM;
            return match(m, pt->v.kids[2], st->v.kids[2]);
        }
        for (uint32_t i = 0; i < pt->len; i++)
            if (!match(m, pt->v.kids[i], st->v.kids[i])) return false;
        return true;
    case EXS_TERM_LIST:
        if (!(p->flags[pr] & FL_ELLIPSIS)) {
            if (pt->len != st->len) return false;
            for (uint32_t i = 0; i < pt->len; i++) /* literal leaves before subtrees */
                if ((p->flags[pt->v.kids[i]] & FL_LEAF) && p->cls[pt->v.kids[i]] == CLS_LIT &&
                    !pattern_term_equal(p->tree, pt->v.kids[i], m->t, st->v.kids[i]))
                    return false;
        }
        return match_list(m, pt->v.kids, pt->len, st->v.kids, st->len);
    case EXS_TERM_META: return true;
    default: return pattern_term_equal(p->tree, pr, m->t, sr);
    }
}

typedef struct walker {
    mctx m;
    pattern_hit_fn fn;
    void *ctx;
    uint32_t hits;
    uint32_t line; /* of the nearest enclosing node with a line */
    bool stop;
} walker;

/* Could the pattern's root match at `sr`? A cheap look at the call name. */
static bool prefilter(const exs_pattern *p, const exs_tree *t, exs_ref sr) {
    if (!p->key) return true;
    if (!tree_is_call(t, sr)) return false;
    const exs_term *n = tree_get(t, sr);
    const exs_term *h = tree_get(t, n->v.kids[0]);
    if (p->key_remote) {
        if (!tree_is_call(t, n->v.kids[0])) return false;
        const exs_term *da = tree_get(t, h->v.kids[2]);
        if (da->kind != EXS_TERM_LIST || da->len != 2) return false;
        h = tree_get(t, da->v.kids[1]);
    }
    return h->kind == EXS_TERM_ATOM && h->len == p->key->len &&
           memcmp(h->v.s, p->key->v.s, h->len) == 0;
}

static void try_at(walker *w, exs_ref sr) {
    mctx *m = &w->m;
    if (!prefilter(m->p, m->t, sr)) return;
    undo(m, 0);
    m->budget = MATCH_BUDGET;
    if (match(m, m->p->root, sr)) {
        w->hits++;
        if (w->fn && !w->fn(w->ctx, sr, m->binds, w->line)) w->stop = true;
    }
    undo(m, 0);
}

static void walk_kids(walker *w, exs_ref r);

static void walk(walker *w, exs_ref r) {
    if (w->stop) return;
    const exs_tree *t = w->m.t;
    uint32_t saved_line = w->line;
    if (tree_is_call(t, r)) {
        int64_t l = tree_meta_int(t, r, EXS_META_LINE);
        if (l > 0) w->line = (uint32_t)l;
    }
    try_at(w, r);
    walk_kids(w, r);
    w->line = saved_line;
}

static void walk_kids(walker *w, exs_ref r) {
    const exs_tree *t = w->m.t;
    const exs_term *n = tree_get(t, r);
    if (n->kind == EXS_TERM_LIST) {
        for (uint32_t i = 0; i < n->len && !w->stop; i++) walk(w, n->v.kids[i]);
    } else if (n->kind == EXS_TERM_TUPLE && tree_is_call(t, r)) {
        exs_ref head = n->v.kids[0];
        if (tree_is_call(t, head) && call_head_atom(t, head) &&
            strcmp(call_head_atom(t, head)->v.s, ".") == 0) {
            /* Remote call: try the receiver, not the `.` node nor the name atom. */
            const exs_term *da = tree_get(t, tree_get(t, head)->v.kids[2]);
            for (uint32_t i = 0; da->kind == EXS_TERM_LIST && i < da->len; i++)
                if (tree_get(t, da->v.kids[i])->kind != EXS_TERM_ATOM) walk(w, da->v.kids[i]);
        } else if (tree_get(t, head)->kind != EXS_TERM_ATOM) {
            walk(w, head);
        }
        const exs_term *args = tree_get(t, n->v.kids[2]);
        for (uint32_t i = 0; args->kind == EXS_TERM_LIST && i < args->len && !w->stop; i++)
            walk(w, args->v.kids[i]);
    } else if (n->kind == EXS_TERM_TUPLE) {
        for (uint32_t i = 0; i < n->len && !w->stop; i++) walk(w, n->v.kids[i]);
    }
}

uint32_t pattern_match_tree(const exs_pattern *p, const exs_tree *t, const defs_result *defs,
                            pattern_hit_fn fn, void *ctx) {
    exs_ref binds_small[16];
    uint32_t trail_small[16];
    exs_ref *binds = binds_small;
    uint32_t *trail = trail_small;
    if (p->name_count > 16) {
        binds = malloc(p->name_count * sizeof *binds);
        trail = malloc(p->name_count * sizeof *trail);
        if (!binds || !trail) {
            free(binds == binds_small ? NULL : binds);
            free(trail == trail_small ? NULL : trail);
            return 0;
        }
    }
    for (uint32_t i = 0; i < p->name_count; i++) binds[i] = EXS_REF_NONE;
    walker w = {.m = {.p = p, .t = t, .defs = defs, .binds = binds, .trail = trail},
                .fn = fn,
                .ctx = ctx};
    if (t->count) walk(&w, t->root);
    if (binds != binds_small) free(binds);
    if (trail != trail_small) free(trail);
    return w.hits;
}

/* ---- source sets and reports ------------------------------------------------------ */

typedef struct src_entry {
    char *path;
    char *src;
    size_t len;
    exs_file *file;
    exs_arena *arena; /* definitions */
    defs_result defs;
    bool has_error;
    uint32_t err_line, err_column;
    char *err_message; /* malloc'd */
} src_entry;

struct exs_source_set {
    src_entry *items;
    uint32_t count;
};

typedef struct report_mem {
    exs_arena **arenas;
    uint32_t count;
} report_mem;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void entry_parse(src_entry *e) {
    exs_parse_options o = {.columns = true, .token_metadata = true};
    exs_error er;
    memset(&er, 0, sizeof er);
    exs_status st = exs_parse(e->src, e->len, e->path, &o, &e->file, &er);
    if (st != EXS_OK) {
        e->has_error = true;
        e->err_line = er.line, e->err_column = er.column;
        e->err_message = strdup(er.message[0] ? er.message : exs_status_name(st));
        return;
    }
    e->arena = arena_new(4096);
    if (!e->arena || defs_extract(parse_file_tree(e->file), parse_file_ids(e->file), e->arena,
                                  &e->defs) != EXS_OK)
        memset(&e->defs, 0, sizeof e->defs); /* no aliases: still searchable */
}

static void entry_load(void *arg) {
    src_entry *e = arg;
    FILE *f = fopen(e->path, "rb");
    if (!f) goto io;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    while (b) {
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (n < cap) break;
        char *nb = realloc(b, cap * 2 + 1);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb, cap *= 2;
    }
    bool bad = ferror(f) || !b;
    fclose(f);
    if (bad) {
        free(b);
        goto io;
    }
    b[n] = 0;
    e->src = b, e->len = n;
    entry_parse(e);
    return;
io:
    e->has_error = true;
    e->err_message = strdup(strerror(errno ? errno : EIO));
}

static void entry_free(src_entry *e) {
    free(e->path);
    free(e->src);
    exs_file_free(e->file);
    arena_free(e->arena);
    free(e->err_message);
}

exs_status exs_source_set_load(const char *const *paths, uint32_t count, unsigned threads,
                               exs_source_set **out) {
    *out = NULL;
    exs_source_set *s = calloc(1, sizeof *s);
    if (!s) return EXS_ERR_NOMEM;
    s->items = calloc(count ? count : 1, sizeof *s->items);
    if (!s->items) {
        free(s);
        return EXS_ERR_NOMEM;
    }
    s->count = count;
    for (uint32_t i = 0; i < count; i++) {
        s->items[i].path = strdup(paths[i]);
        if (!s->items[i].path) {
            exs_source_set_free(s);
            return EXS_ERR_NOMEM;
        }
    }
    exs_pool *pool = threads == 1 ? NULL : pool_new(threads);
    for (uint32_t i = 0; i < count; i++) {
        if (pool) (void)pool_submit(pool, entry_load, &s->items[i]);
        else entry_load(&s->items[i]);
    }
    pool_free(pool);
    *out = s;
    return EXS_OK;
}

void exs_source_set_free(exs_source_set *s) {
    if (!s) return;
    for (uint32_t i = 0; i < s->count; i++) entry_free(&s->items[i]);
    free(s->items);
    free(s);
}

uint32_t exs_source_set_count(const exs_source_set *s) { return s ? s->count : 0; }

/* One file's search: matches in its own arena. */
typedef struct file_job {
    const exs_pattern *p;
    const src_entry *e;
    exs_arena *arena;
    exs_pattern_match *items; /* malloc'd */
    uint32_t count, cap;
    size_t *lines; /* line start offsets */
    uint32_t line_count;
    bool load; /* read and parse the entry first, drop it after */
    bool failed;
} file_job;

/* Smallest (first) and largest (last) position in a subtree; `last` also looks at the
 * closing/end tokens. Positions are packed line << 32 | column. */
static void span_of(const exs_tree *t, exs_ref r, uint64_t *first, uint64_t *last) {
    const exs_term *n = tree_get(t, r);
    if (n->kind == EXS_TERM_LIST || n->kind == EXS_TERM_TUPLE) {
        if (tree_is_call(t, r)) {
            const exs_term *meta = tree_get(t, n->v.kids[1]);
            int64_t l = tree_meta_int(t, r, EXS_META_LINE), c = tree_meta_int(t, r, EXS_META_COLUMN);
            if (l > 0 && c > 0) {
                uint64_t pos = (uint64_t)l << 32 | (uint64_t)c;
                if (pos < *first) *first = pos;
                if (pos > *last) *last = pos;
            }
            for (uint32_t i = 0; i < meta->len; i++) {
                const exs_meta_kv *kv = &meta->v.kv[i];
                if (!kv->is_term || (kv->key != EXS_META_CLOSING && kv->key != EXS_META_END &&
                                     kv->key != EXS_META_LAST))
                    continue;
                l = tree_meta_int(t, kv->value, EXS_META_LINE);
                c = tree_meta_int(t, kv->value, EXS_META_COLUMN);
                if (l > 0 && c > 0 && ((uint64_t)l << 32 | (uint64_t)c) > *last)
                    *last = (uint64_t)l << 32 | (uint64_t)c;
            }
            span_of(t, n->v.kids[0], first, last);
            span_of(t, n->v.kids[2], first, last);
            return;
        }
        for (uint32_t i = 0; i < n->len; i++) span_of(t, n->v.kids[i], first, last);
    }
}

/* The first positioned node of a subtree in source order (an operator's left operand
 * before the operator, a remote call's receiver before its name), with the number of
 * literal containers (tuples, lists: no metadata) around it inside the subtree and
 * whether literals without metadata come before it: the start of the expression is
 * then that many openers (or one literal token) to the left in the source. */
#define FP_LEVELS 16
typedef struct first_pos {
    bool found, lit_before;
    uint32_t need;
    uint64_t pos;
    char path[FP_LEVELS]; /* the opener of each enclosing container, outermost first */
} first_pos;

static bool is_operator_name(const char *s) {
    if (!s[0]) return false;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
        return true;
    return strcmp(s, "and") == 0 || strcmp(s, "or") == 0 || strcmp(s, "in") == 0 ||
           strcmp(s, "when") == 0 || strcmp(s, "not in") == 0;
}

static uint64_t own_pos(const exs_tree *t, exs_ref r) {
    int64_t l = tree_meta_int(t, r, EXS_META_LINE), c = tree_meta_int(t, r, EXS_META_COLUMN);
    return l > 0 && c > 0 ? (uint64_t)l << 32 | (uint64_t)c : 0;
}

static void find_first(const exs_tree *t, exs_ref r, uint32_t open, first_pos *st) {
    if (st->found) return;
    const exs_term *n = tree_get(t, r);
    if (tree_is_call(t, r)) {
        uint64_t pos = own_pos(t, r);
        const exs_term *h = call_head_atom(t, r);
        const exs_term *args = tree_get(t, n->v.kids[2]);
        bool binop = h && args->kind == EXS_TERM_LIST && args->len == 2 &&
                     is_operator_name(h->v.s);
        if (binop) find_first(t, args->v.kids[0], open, st);
        else if (!h) find_first(t, n->v.kids[0], open, st); /* remote call: receiver */
        if (st->found) return;
        if (pos) {
            st->found = true, st->pos = pos, st->need = open;
            return;
        }
        for (uint32_t i = binop ? 1 : 0; args->kind == EXS_TERM_LIST && i < args->len; i++)
            find_first(t, args->v.kids[i], open, st);
        return;
    }
    if (n->kind == EXS_TERM_LIST || n->kind == EXS_TERM_TUPLE) {
        if (open < FP_LEVELS) st->path[open] = n->kind == EXS_TERM_LIST ? '[' : '{';
        for (uint32_t i = 0; i < n->len && !st->found; i++) find_first(t, n->v.kids[i], open + 1, st);
        return;
    }
    if (n->kind != EXS_TERM_META) st->lit_before = true;
}

/* Back from `i` over a balanced group, string or token that ends at s[i - 1]. */
static size_t back_token(const char *s, size_t lim, size_t i) {
    if (i <= lim) return i;
    char c = s[i - 1];
    if (c == ')' || c == ']' || c == '}') {
        int depth = 0;
        while (i > lim) {
            char d = s[--i];
            if (d == ')' || d == ']' || d == '}') depth++;
            else if ((d == '(' || d == '[' || d == '{') && --depth == 0) break;
        }
        return i;
    }
    if (c == '"' || c == '\'') {
        i--;
        while (i > lim && !(s[i - 1] == c && (i < 2 || s[i - 2] != '\\'))) i--;
        return i > lim ? i - 1 : i;
    }
    size_t k = i;
    while (k > lim && (is_ident_char(s[k - 1]) || s[k - 1] == ':' || s[k - 1] == '.' ||
                       s[k - 1] == '?' || s[k - 1] == '!' || s[k - 1] == '@'))
        k--;
    return k == i ? i - 1 : k;
}

/* The byte offset where the expression whose first positioned token is at `o` starts. */
static size_t start_back(const char *s, size_t o, const first_pos *fp) {
    if (!fp->lit_before && fp->need == 0) return o;
    size_t lim = o > 4000 ? o - 4000 : 0, k = o;
    if (fp->need == 0) { /* `1 + x`, `"a" <> b`: one literal operand before */
        while (k > lim && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\n')) k--;
        return back_token(s, lim, k);
    }
    uint32_t need = fp->need;
    if (need > FP_LEVELS) return o;
    size_t best = o;
    while (k > lim && need > 0) {
        char c = s[k - 1];
        if (c == '(' || c == '[' || c == '{') {
            /* A keyword list without brackets (`f(a, b: 1)`) has no opener: skip it. */
            while (need > 0 && fp->path[need - 1] != c) need--;
            if (need == 0) break;
            need--, k--;
            best = k;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
            k--;
            continue;
        }
        k = back_token(s, lim, k);
    }
    return best;
}

/* The 1-based line and column of byte offset `o`. */
static void pos_of(const file_job *j, size_t o, uint32_t *line, uint32_t *col) {
    uint32_t lo = 0, hi = j->line_count;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (j->lines[mid] <= o) lo = mid;
        else hi = mid;
    }
    uint32_t c = 1;
    for (size_t i = j->lines[lo]; i < o; i++)
        if (((unsigned char)j->e->src[i] & 0xC0) != 0x80) c++;
    *line = lo + 1, *col = c;
}

static size_t offset_of(const file_job *j, uint64_t pos) {
    uint32_t line = (uint32_t)(pos >> 32), col = (uint32_t)pos;
    if (line == 0 || line > j->line_count) return j->e->len;
    size_t i = j->lines[line - 1];
    const char *s = j->e->src;
    /* Columns count characters: step over UTF-8 continuation bytes. */
    for (uint32_t c = 1; c < col && i < j->e->len && s[i] != '\n'; c++) {
        i++;
        while (i < j->e->len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

/* Where the subtree `r` starts in the source: false when nothing in it has a position. */
static bool expr_start(const file_job *j, exs_ref r, size_t *out) {
    first_pos fp;
    memset(&fp, 0, sizeof fp);
    find_first(parse_file_tree(j->e->file), r, 0, &fp);
    if (!fp.found) return false;
    *out = start_back(j->e->src, offset_of(j, fp.pos), &fp);
    return true;
}

static bool is_opener(char c) { return c == '(' || c == '[' || c == '{'; }
static bool is_closer(char c) { return c == ')' || c == ']' || c == '}'; }
static bool is_op_char(char c) { return c && strchr("=<>|&!+-*/\\^~", c) != NULL; }

/* End of the expression that starts at `so` and whose last positioned token is at
 * `po`: a bracket-balanced scan that stops, once past that token, at a separator, an
 * unbalanced closer, a binary operator or `do`/`when`/`->`. */
static size_t expr_end(const char *s, size_t len, size_t so, size_t po) {
    size_t i = so;
    int depth = 0;
    bool passed = false;
    while (i < len) {
        if (!passed && i > po) { /* po was inside a string or comment we skipped */
            passed = true;
        } else if (!passed && i == po) {
            passed = true;
            if (len - i >= 3 && memcmp(s + i, "end", 3) == 0 &&
                (i + 3 == len || !is_ident_char(s[i + 3]))) {
                i += 3;
                continue;
            }
            if (is_ident_char(s[i])) { /* a name: `Foo` of `Foo.Bar` ends at the dot */
                while (i < len && (is_ident_char(s[i]) || s[i] == '?' || s[i] == '!')) i++;
                continue;
            }
            if (is_op_char(s[i]) || s[i] == '@' || s[i] == '.' || s[i] == ':') {
                while (i < len && (is_op_char(s[i]) || s[i] == '@' || s[i] == '.' || s[i] == ':'))
                    i++;
                continue;
            }
        }
        char c = s[i];
        if (c == '"' || c == '\'') {
            i = skip_quoted(s, len, i);
            continue;
        }
        if (c == '?' && i + 1 < len && (i == so || !is_ident_char(s[i - 1]))) {
            i += (s[i + 1] == '\\') ? 3 : 2;
            continue;
        }
        if (c == '#') {
            if (passed && depth == 0) break;
            while (i < len && s[i] != '\n') i++;
            continue;
        }
        if (is_opener(c)) depth++;
        else if (is_closer(c)) {
            if (depth == 0) break;
            depth--;
        } else if (passed && depth == 0) {
            if (c == ',' || c == ';' || c == '\n' || c == '\r') break;
            /* `.name` / `.(` after the expression: the parent's remote call. */
            if (c == '.' && i + 1 < len && (is_ident_char(s[i + 1]) || s[i + 1] == '(')) break;
            if (c == ' ' || c == '\t') {
                size_t k = i;
                while (k < len && (s[k] == ' ' || s[k] == '\t')) k++;
                if (k < len && is_op_char(s[k])) break;
                static const char *const words[] = {"do", "when", "and", "or", "in", "not"};
                for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
                    size_t wl = strlen(words[w]);
                    if (len - k >= wl && memcmp(s + k, words[w], wl) == 0 &&
                        (k + wl == len || !is_ident_char(s[k + wl])) && s[k + wl] != ':')
                        return i;
                }
            }
        }
        i = i < len ? i + 1 : len;
    }
    return i > len ? len : i;
}

static void put_trimmed(exs_buf *b, const char *s, size_t n, size_t max) {
    while (n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (n > max) {
        size_t k = max;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--; /* whole characters */
        buf_put(b, s, k);
        buf_puts(b, "...");
    } else {
        buf_put(b, s, n);
    }
}

static void value_text(const file_job *j, exs_ref r, exs_buf *b, unsigned depth) {
    const exs_tree *t = parse_file_tree(j->e->file);
    const exs_term *n = tree_get(t, r);
    if (depth > 50 || b->len > VALUE_MAX) {
        buf_puts(b, "...");
        return;
    }
    if (tree_is_call(t, r)) {
        uint64_t first = UINT64_MAX, last = 0;
        span_of(t, r, &first, &last);
        size_t so;
        if (first != UINT64_MAX && expr_start(j, r, &so)) {
            size_t po = offset_of(j, last);
            size_t eo = expr_end(j->e->src, j->e->len, so, po);
            if (eo > so) {
                put_trimmed(b, j->e->src + so, eo - so, VALUE_MAX);
                return;
            }
        }
    } else if (n->kind == EXS_TERM_TUPLE || n->kind == EXS_TERM_LIST) {
        buf_putc(b, n->kind == EXS_TERM_TUPLE ? '{' : '[');
        for (uint32_t i = 0; i < n->len; i++) {
            if (i) buf_puts(b, ", ");
            const exs_term *k = tree_get(t, n->v.kids[i]);
            if (n->kind == EXS_TERM_LIST && k->kind == EXS_TERM_TUPLE && k->len == 2 &&
                tree_get(t, k->v.kids[0])->kind == EXS_TERM_ATOM) { /* keyword */
                const exs_term *a = tree_get(t, k->v.kids[0]);
                buf_put(b, a->v.s, a->len);
                buf_puts(b, ": ");
                value_text(j, k->v.kids[1], b, depth + 1);
                continue;
            }
            value_text(j, n->v.kids[i], b, depth + 1);
        }
        buf_putc(b, n->kind == EXS_TERM_TUPLE ? '}' : ']');
        return;
    }
    /* A literal (or a node without positions): Elixir's inspect. */
    exs_buf tmp;
    buf_init(&tmp);
    write_elixir(t, r, NULL, &tmp);
    if (!tmp.failed) put_trimmed(b, tmp.data, tmp.len, VALUE_MAX);
    buf_free(&tmp);
}

static char *arena_buf(exs_arena *a, exs_buf *b) {
    char *s = arena_strndup(a, b->data ? b->data : "", b->len);
    b->len = 0;
    return s;
}

/* The arena and the line table, made at the first match (most files have none). */
static bool job_ready(file_job *j) {
    if (j->arena) return true;
    j->arena = arena_new(4096);
    uint32_t nl = 1;
    for (size_t i = 0; i < j->e->len; i++) nl += j->e->src[i] == '\n';
    j->lines = malloc(nl * sizeof *j->lines);
    if (!j->arena || !j->lines) {
        j->failed = true;
        return false;
    }
    j->lines[0] = 0;
    j->line_count = 1;
    for (size_t i = 0; i < j->e->len; i++)
        if (j->e->src[i] == '\n') j->lines[j->line_count++] = i + 1;
    return true;
}

static bool on_hit(void *ctx, exs_ref node, const exs_ref *binds, uint32_t line_hint) {
    file_job *j = ctx;
    const exs_tree *t = parse_file_tree(j->e->file);
    if (!job_ready(j)) return false;
    if (j->count == j->cap) {
        uint32_t nc = j->cap ? j->cap * 2 : 16;
        exs_pattern_match *ni = realloc(j->items, nc * sizeof *ni);
        if (!ni) {
            j->failed = true;
            return false;
        }
        j->items = ni, j->cap = nc;
    }
    exs_pattern_match *mt = &j->items[j->count++];
    memset(mt, 0, sizeof *mt);
    mt->path = j->e->path;
    size_t so;
    if (expr_start(j, node, &so)) pos_of(j, so, &mt->line, &mt->column);
    else mt->line = line_hint; /* a literal without metadata: the enclosing line */
    const uint64_t *ids = parse_file_ids(j->e->file);
    mt->node_id = ids && tree_is_call(t, node) ? ids[node] : 0;
    exs_buf b;
    buf_init(&b);
    if (mt->line && mt->line <= j->line_count) {
        size_t ls = j->lines[mt->line - 1], le = ls;
        while (le < j->e->len && j->e->src[le] != '\n') le++;
        put_trimmed(&b, j->e->src + ls, le - ls, SNIPPET_MAX);
    }
    mt->snippet = arena_buf(j->arena, &b);
    uint32_t nb = j->p->name_count;
    mt->values = arena_alloc(j->arena, (nb ? nb : 1) * sizeof *mt->values);
    for (uint32_t i = 0; mt->values && i < nb; i++) {
        const exs_term *bt = binds[i] != EXS_REF_NONE ? tree_get(t, binds[i]) : NULL;
        if (bt && bt->kind == EXS_TERM_ATOM && j->p->slot_is_name[i])
            buf_put(&b, bt->v.s, bt->len); /* a function name, as written */
        else if (bt)
            value_text(j, binds[i], &b, 0);
        mt->values[i] = arena_buf(j->arena, &b);
    }
    if (b.failed || arena_failed(j->arena)) j->failed = true;
    buf_free(&b);
    return !j->failed;
}

static int cmp_match(const void *a, const void *b) {
    const exs_pattern_match *x = a, *y = b;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->column != y->column) return x->column < y->column ? -1 : 1;
    return 0;
}

/* Frees what a loaded entry holds but its path and error (the report copies those). */
static void entry_drop(src_entry *e) {
    free(e->src);
    e->src = NULL;
    exs_file_free(e->file);
    e->file = NULL;
    arena_free(e->arena);
    e->arena = NULL;
}

static void file_search(void *arg) {
    file_job *j = arg;
    if (j->load) entry_load((src_entry *)j->e);
    if (!j->e->has_error && j->e->file)
        pattern_match_tree(j->p, parse_file_tree(j->e->file), &j->e->defs, on_hit, j);
    free(j->lines);
    j->lines = NULL;
    /* The walk is pre-order; sort by position (nested matches after their parent). */
    if (j->count > 1) qsort(j->items, j->count, sizeof *j->items, cmp_match);
    if (j->load) entry_drop((src_entry *)j->e); /* freed here: in parallel */
}

void exs_pattern_report_free(exs_pattern_report *r) {
    if (!r) return;
    report_mem *m = r->mem_;
    if (m) {
        for (uint32_t i = 0; i < m->count; i++) arena_free(m->arenas[i]);
        free(m->arenas);
        free(m);
    }
    free(r->matches);
    memset(r, 0, sizeof *r);
}

static exs_status search(const exs_pattern *p, const exs_source_set *s, unsigned threads,
                         bool load, exs_pattern_report *out) {
    double t0 = now_s();
    memset(out, 0, sizeof *out);
    if (!p || !s) return EXS_ERR_ARG;
    report_mem *mem = calloc(1, sizeof *mem);
    file_job *jobs = calloc(s->count ? s->count : 1, sizeof *jobs);
    exs_status st = EXS_ERR_NOMEM;
    if (!mem || !jobs) goto done;
    out->mem_ = mem;
    mem->arenas = calloc((size_t)s->count + 1, sizeof *mem->arenas);
    if (!mem->arenas) goto done;
    exs_pool *pool = threads == 1 || s->count < 2 ? NULL : pool_new(threads);
    for (uint32_t i = 0; i < s->count; i++) {
        jobs[i].p = p, jobs[i].e = &s->items[i], jobs[i].load = load;
        if (pool) (void)pool_submit(pool, file_search, &jobs[i]);
        else file_search(&jobs[i]);
    }
    pool_free(pool);
    /* Gather in file order; the strings stay in the jobs' arenas (owned by the report). */
    uint32_t total = 0, errors = 0;
    bool failed = false;
    for (uint32_t i = 0; i < s->count; i++) {
        total += jobs[i].count;
        errors += s->items[i].has_error;
        failed |= jobs[i].failed;
    }
    exs_arena *ea = arena_new(4096);
    mem->arenas[mem->count++] = ea;
    out->matches = malloc((total ? total : 1) * sizeof *out->matches);
    out->errors = ea ? arena_alloc_zero(ea, (errors ? errors : 1) * sizeof *out->errors) : NULL;
    if (!out->matches || !out->errors) failed = true;
    for (uint32_t i = 0; i < s->count; i++) {
        file_job *j = &jobs[i];
        if (j->arena) mem->arenas[mem->count++] = j->arena;
        j->arena = NULL;
        if (!failed) {
            /* Paths point into the set: one copy per file, owned by the report. */
            const char *path = j->count ? arena_strndup(ea, s->items[i].path,
                                                        strlen(s->items[i].path))
                                        : NULL;
            for (uint32_t k = 0; k < j->count; k++) {
                out->matches[out->count] = j->items[k];
                out->matches[out->count++].path = path;
            }
            const src_entry *e = &s->items[i];
            if (e->has_error) {
                exs_file_error *fe = &out->errors[out->error_count++];
                fe->path = arena_strndup(ea, e->path, strlen(e->path));
                fe->line = e->err_line, fe->column = e->err_column;
                fe->message = arena_strndup(ea, e->err_message ? e->err_message : "error",
                                            strlen(e->err_message ? e->err_message : "error"));
            }
        }
        free(j->items);
    }
    out->files = s->count;
    if (failed || arena_failed(ea)) {
        exs_pattern_report_free(out);
        mem = NULL;
        goto done;
    }
    st = EXS_OK;
    mem = NULL;
done:
    if (mem && out->mem_ != mem) free(mem);
    free(jobs);
    if (st != EXS_OK && out->mem_) exs_pattern_report_free(out);
    out->seconds = now_s() - t0;
    return st;
}

exs_status exs_pattern_search(const exs_pattern *p, const exs_source_set *s, unsigned threads,
                              exs_pattern_report *out) {
    return search(p, s, threads, false, out);
}

/* One job per file reads, parses, searches and drops it: no set is kept, and the trees
 * are freed on the workers while they are still in cache. */
exs_status exs_pattern_search_files(const exs_pattern *p, const char *const *paths,
                                    uint32_t count, unsigned threads,
                                    exs_pattern_report *out) {
    double t0 = now_s();
    memset(out, 0, sizeof *out);
    exs_source_set s = {.items = calloc(count ? count : 1, sizeof *s.items), .count = count};
    if (!s.items) return EXS_ERR_NOMEM;
    exs_status st = EXS_OK;
    for (uint32_t i = 0; i < count && st == EXS_OK; i++)
        if (!(s.items[i].path = strdup(paths[i]))) st = EXS_ERR_NOMEM;
    if (st == EXS_OK) st = search(p, &s, threads, true, out);
    for (uint32_t i = 0; i < count; i++) entry_free(&s.items[i]);
    free(s.items);
    out->seconds = now_s() - t0;
    return st;
}

exs_status exs_pattern_match_source(const exs_pattern *p, const char *src, size_t len,
                                    const char *path, exs_pattern_report *out) {
    memset(out, 0, sizeof *out);
    if (!p || (!src && len)) return EXS_ERR_ARG;
    src_entry e;
    memset(&e, 0, sizeof e);
    e.path = strdup(path ? path : "-");
    e.src = malloc(len + 1);
    if (!e.path || !e.src) {
        entry_free(&e);
        return EXS_ERR_NOMEM;
    }
    if (len) memcpy(e.src, src, len);
    e.src[len] = 0;
    e.len = len;
    entry_parse(&e);
    exs_source_set s = {.items = &e, .count = 1};
    exs_status st = search(p, &s, 1, false, out);
    entry_free(&e);
    return st;
}
