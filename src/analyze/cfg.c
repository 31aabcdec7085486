/* cfg.c: control-flow graph of one function (all its clauses) from its quoted AST,
 * and its DOT/JSON export.
 *
 * Design: a one-pass recursive builder in the style of a compiler's code generator
 * with "dangling exits". The builder carries a list of pending out-edges (`plist`:
 * node, edge kind, flags) that have no target yet; making a node connects every
 * pending edge to it and, for a plain node, leaves one NORMAL pending edge from it.
 * A decision node instead leaves several pending edges (TRUE/FALSE, MATCH/NOMATCH,
 * TIMEOUT), which the construct routes: to its branches, to the next clause, to the
 * exception target or back to a loop header. Joins need no node: the pending lists of
 * all branches are concatenated and the next node takes them all.
 *
 * Exceptions: `b->exc` is the pending list where exceptional edges go (raise, a
 * failed last clause): the function's ERROR_EXIT list, a `try`'s handler list, a
 * `try`/after escape list, or a closure's own ERROR_EXIT list. Inside a `try` body
 * with rescue/catch, every node that may raise also gets an IMPLICIT edge to the
 * handler (flagged, not counted), so that handlers are reachable when their body can
 * fail only through a call.
 *
 * Invariants (docs/cfg.md, tested over the stdlib): every node has exactly one
 * counted out-edge except EXIT and FN_EXIT (none) and decision nodes (two or more);
 * closure creation nodes (FN, CAPTURE with a body) have one more (CLOSURE), which
 * balances their subgraph's FN_EXIT. Hence E - N + 2 = decisions + 1. Nodes are
 * created in evaluation order; edge arrays are sorted by source at the end (CSR).
 * Memory: node/edge/pending arrays grow with malloc during the build and are copied
 * into the caller's arena at the end; any allocation failure sets b->failed, the
 * build stops descending and returns EXS_ERR_NOMEM (no node is read after a failure).
 *
 * Called by tests/tools/cfgdump, tests/unit/test_cfg and (later) the CPG builder. */
#include "cfg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ----------------------------------------------------------------------- */

static const char *const NODE_NAMES[] = {
#define X(name, str) str,
    CFG_NODE_KINDS(X)
#undef X
};
static const char *const EDGE_NAMES[] = {
#define X(name, str) str,
    CFG_EDGE_KINDS(X)
#undef X
};

const char *cfg_node_kind_name(cfg_node_kind k) {
    return (unsigned)k < CFG_NODE__COUNT ? NODE_NAMES[k] : "?";
}
const char *cfg_edge_kind_name(cfg_edge_kind k) {
    return (unsigned)k < CFG_EDGE__COUNT ? EDGE_NAMES[k] : "?";
}

/* ---- builder state ---------------------------------------------------------------- */

typedef struct pend {
    uint32_t node;
    uint8_t kind, flags;
} pend;

typedef struct plist {
    pend *v;
    uint32_t n, cap;
} plist;

typedef struct bld {
    const exs_tree *t;
    const uint64_t *ids;
    cfg_node *nodes;
    uint32_t nn, ncap;
    cfg_edge *edges;
    uint32_t ne, ecap;
    cfg_closure *clos;
    uint32_t nc, ccap;
    bool failed;
    uint32_t closure; /* current closure (0: function body) */
    plist *exc;       /* where exceptional edges go */
    bool implicit;    /* add IMPLICIT edges from may-raise nodes to *exc */
    bool copy;        /* building the exceptional copy of an after block */
    bool in_guard;    /* building a guard: errors fail the clause, nothing raises */
    uint32_t line;    /* line hint for terms without metadata */
} bld;

enum { SUB, STMT }; /* expression mode: a leaf gets a VALUE node only as a statement */

static void *grow(bld *b, void *p, uint32_t *cap, size_t elem) {
    uint32_t nc = *cap ? *cap * 2 : 16;
    if (nc < *cap) {
        b->failed = true;
        return NULL;
    }
    void *q = realloc(p, (size_t)nc * elem);
    if (!q) {
        b->failed = true;
        return NULL;
    }
    *cap = nc;
    return q;
}

static void push(bld *b, plist *l, uint32_t node, uint8_t kind, uint8_t flags) {
    if (l->n == l->cap) {
        pend *v = grow(b, l->v, &l->cap, sizeof(pend));
        if (!v) return;
        l->v = v;
    }
    l->v[l->n++] = (pend){node, kind, flags};
}

static void join(bld *b, plist *dst, plist *src) {
    for (uint32_t i = 0; i < src->n; i++)
        push(b, dst, src->v[i].node, src->v[i].kind, src->v[i].flags);
    src->n = 0;
}

static void pfree(plist *l) {
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static void edge(bld *b, uint32_t from, uint32_t to, uint8_t kind, uint8_t flags) {
    if (b->ne == b->ecap) {
        cfg_edge *e = grow(b, b->edges, &b->ecap, sizeof(cfg_edge));
        if (!e) return;
        b->edges = e;
    }
    b->edges[b->ne++] = (cfg_edge){from, to, kind, flags};
}

/* Connects every pending edge of l to `to` and empties l. */
static void connect(bld *b, plist *l, uint32_t to) {
    for (uint32_t i = 0; i < l->n; i++)
        edge(b, l->v[i].node, to, l->v[i].kind, l->v[i].flags);
    l->n = 0;
}

/* ---- AST helpers ------------------------------------------------------------------ */

static const exs_term *T(const bld *b, exs_ref r) { return tree_get(b->t, r); }

static bool is_call(const bld *b, exs_ref r) { return tree_is_call(b->t, r); }

/* The atom name of a call `{name, meta, args}`, else NULL. */
static const char *call_name(const bld *b, exs_ref r) {
    if (!is_call(b, r)) return NULL;
    const exs_term *h = T(b, T(b, r)->v.kids[0]);
    return h->kind == EXS_TERM_ATOM ? h->v.s : NULL;
}

/* The argument list term of a call when it is a list, else NULL. */
static const exs_term *call_args(const bld *b, exs_ref r) {
    if (!is_call(b, r)) return NULL;
    const exs_term *a = T(b, T(b, r)->v.kids[2]);
    return a->kind == EXS_TERM_LIST ? a : NULL;
}

static bool streq(const char *a, const char *b) { return strcmp(a, b) == 0; }

static bool is_named(const bld *b, exs_ref r, const char *name) {
    const char *n = call_name(b, r);
    return n && call_args(b, r) && streq(n, name);
}

static bool is_keyword(const bld *b, exs_ref r) {
    const exs_term *l = T(b, r);
    if (l->kind != EXS_TERM_LIST || l->len == 0) return false;
    for (uint32_t i = 0; i < l->len; i++) {
        const exs_term *p = T(b, l->v.kids[i]);
        if (p->kind != EXS_TERM_TUPLE || p->len != 2) return false;
        if (T(b, p->v.kids[0])->kind != EXS_TERM_ATOM) return false;
    }
    return true;
}

/* The value of `key` in a keyword list term, or EXS_REF_NONE. */
static exs_ref kw_get(const bld *b, exs_ref kw, const char *key) {
    if (kw == EXS_REF_NONE || !is_keyword(b, kw)) return EXS_REF_NONE;
    return tree_kw_get(b->t, kw, key);
}

/* The first keyword-list argument among args[from..n) that has `key`. */
static exs_ref block_in(const bld *b, const exs_ref *args, uint32_t n, uint32_t from,
                        const char *key) {
    for (uint32_t i = from; i < n; i++) {
        exs_ref v = kw_get(b, args[i], key);
        if (v != EXS_REF_NONE) return v;
    }
    return EXS_REF_NONE;
}

static uint32_t line_of(bld *b, exs_ref r) {
    if (r != EXS_REF_NONE && is_call(b, r)) {
        int64_t l = tree_meta_int(b->t, r, EXS_META_LINE);
        if (l > 0) return (uint32_t)l;
    }
    return b->line;
}

static bool is_nil(const bld *b, exs_ref r) { return tree_is_atom(b->t, r, "nil"); }

/* A variable (or `_`): `{name, meta, context}` with an atom context. */
static bool is_var(const bld *b, exs_ref r) {
    if (!is_call(b, r)) return false;
    const exs_term *n = T(b, r);
    return T(b, n->v.kids[0])->kind == EXS_TERM_ATOM && T(b, n->v.kids[2])->kind == EXS_TERM_ATOM;
}

/* A pattern that matches every value: a variable, `_`, `x = y` of such, `x \\ d`. */
static bool irrefutable(const bld *b, exs_ref r) {
    if (is_var(b, r)) {
        const char *n = call_name(b, r);
        /* __MODULE__ & co are not variables in patterns (they are literals) */
        size_t len = strlen(n);
        return !(len >= 4 && n[0] == '_' && n[1] == '_' && n[len - 1] == '_' && n[len - 2] == '_' &&
                 len > 4);
    }
    if ((is_named(b, r, "=") || is_named(b, r, "\\\\")) && call_args(b, r)->len == 2) {
        const exs_term *a = call_args(b, r);
        return irrefutable(b, a->v.kids[0]) &&
               (is_named(b, r, "\\\\") || irrefutable(b, a->v.kids[1]));
    }
    return false;
}

/* ---- nodes ------------------------------------------------------------------------- */

static uint32_t node_new(bld *b, uint8_t kind, exs_ref ref) {
    if (b->nn == b->ncap) {
        cfg_node *n = grow(b, b->nodes, &b->ncap, sizeof(cfg_node));
        if (!n) return 0;
        b->nodes = n;
    }
    cfg_node *n = &b->nodes[b->nn];
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->ref = ref;
    n->line = line_of(b, ref);
    n->closure = b->closure;
    n->node_id = (b->ids && ref != EXS_REF_NONE) ? b->ids[ref] : 0;
    if (b->copy) n->flags |= CFG_NF_COPY;
    return b->nn++;
}

/* A node that takes the pending edges of cur; cur is left empty (a decision). */
static uint32_t land(bld *b, uint8_t kind, exs_ref ref, plist *cur) {
    uint32_t n = node_new(b, kind, ref);
    connect(b, cur, n);
    return n;
}

/* A plain node: takes cur, leaves one NORMAL pending edge from itself. */
static uint32_t emit(bld *b, uint8_t kind, exs_ref ref, plist *cur) {
    uint32_t n = land(b, kind, ref, cur);
    push(b, cur, n, CFG_EDGE_NORMAL, 0);
    return n;
}

/* A node that may raise: inside a try with a handler, an IMPLICIT edge to it. */
static void may_raise(bld *b, uint32_t n) {
    if (b->failed || b->in_guard) return;
    b->nodes[n].flags |= CFG_NF_MAY_RAISE;
    if (b->implicit) push(b, b->exc, n, CFG_EDGE_EXCEPTION, CFG_EF_IMPLICIT);
}

/* Pending edges of l go back to loop header h: NORMAL ones become BACK. */
static void loop_back(bld *b, plist *l, uint32_t h) {
    for (uint32_t i = 0; i < l->n; i++) {
        uint8_t k = l->v[i].kind == CFG_EDGE_NORMAL ? CFG_EDGE_BACK : l->v[i].kind;
        edge(b, l->v[i].node, h, k, l->v[i].flags | CFG_EF_LOOP);
    }
    l->n = 0;
}

/* ---- expressions ------------------------------------------------------------------- */

static void expr(bld *b, exs_ref r, plist *cur, int mode);

/* A guard: an error inside it makes the guard false (Elixir), so its calls are not
 * MAY_RAISE and get no implicit edge. */
static void guard_expr(bld *b, exs_ref g, plist *cur) {
    bool saved = b->in_guard;
    b->in_guard = true;
    expr(b, g, cur, SUB);
    b->in_guard = saved;
}
static void call_expr(bld *b, exs_ref r, plist *cur, int mode, bool piped);

static bool is_operator_name(const char *name) {
    unsigned char c = (unsigned char)name[0];
    if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)
        return streq(name, "not") || streq(name, "in") || streq(name, "when");
    return true;
}

static bool in_set(const char *name, const char *const *set) {
    for (; *set; set++)
        if (streq(name, *set)) return true;
    return false;
}

/* Operators that never raise: comparisons are defined on all terms, `!` on all
 * values. The others may (`+` ArithmeticError, `<>` ArgumentError, `not`
 * BadBooleanError, `in` Protocol.UndefinedError, ...). */
static const char *const SAFE_OPS[] = {"==", "!=", "===", "!==", "<", ">", "<=", ">=", "!", NULL};

/* Data constructors: their elements are evaluated, the construction is not a node. */
static const char *const CONTAINERS[] = {"{}", "%{}",  "%",  "<<>>", "|",
                                         "..", "..//", "//", "->",   NULL};

/* Splits a clause left side `[p1, .., pn]` or `[when(p1, .., pn, g)]` into patterns
 * and guard. */
static void split_when(const bld *b, exs_ref lhs, const exs_ref **pats, uint32_t *npats,
                       exs_ref *guard) {
    *guard = EXS_REF_NONE;
    const exs_term *l = T(b, lhs);
    if (l->kind != EXS_TERM_LIST) {
        /* `<-`/head style: a single pattern, maybe `when` */
        *pats = NULL;
        *npats = 0;
        return;
    }
    *pats = l->v.kids;
    *npats = l->len;
    if (l->len == 1 && is_named(b, l->v.kids[0], "when")) {
        const exs_term *w = call_args(b, l->v.kids[0]);
        if (w->len >= 2) {
            *pats = w->v.kids;
            *npats = w->len - 1;
            *guard = w->v.kids[w->len - 1];
        }
    }
}

/* The variable names bound by an irrefutable pattern (x, or x = y = z). */
static uint32_t pattern_vars(const bld *b, exs_ref r, const char **out, uint32_t max) {
    if (is_var(b, r)) {
        if (max == 0) return 0;
        out[0] = call_name(b, r);
        return 1;
    }
    const exs_term *a = call_args(b, r);
    if (!a || a->len != 2) return 0;
    uint32_t k = pattern_vars(b, a->v.kids[0], out, max);
    if (is_named(b, r, "=")) k += pattern_vars(b, a->v.kids[1], out + k, max - k);
    return k;
}

/* Patterns that match any values: each irrefutable, and no variable repeated
 * (`f(x, x)` requires both arguments to be equal). `_` may repeat. */
static bool all_irrefutable(const bld *b, const exs_ref *p, uint32_t n) {
    const char *names[64];
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!irrefutable(b, p[i])) return false;
        if (k < 60) k += pattern_vars(b, p[i], names + k, 64 - k);
    }
    for (uint32_t i = 0; i < k; i++) {
        if (streq(names[i], "_")) continue;
        for (uint32_t j = i + 1; j < k; j++)
            if (streq(names[i], names[j])) return false;
    }
    return true;
}

/* A truthy literal (cond's `true ->`): anything but nil/false that is no expression. */
static bool truthy_literal(const bld *b, exs_ref r) {
    const exs_term *n = T(b, r);
    switch (n->kind) {
    case EXS_TERM_ATOM:
        return !streq(n->v.s, "nil") && !streq(n->v.s, "false");
    case EXS_TERM_INT:
    case EXS_TERM_BIGINT:
    case EXS_TERM_FLOAT:
    case EXS_TERM_BINARY:
        return true;
    default:
        return false;
    }
}

enum { CL_PATTERN, CL_COND, CL_RESCUE, CL_CATCH };

/* Builds a chain of `->` clauses (a list term, or one clause) tested in order: a
 * CLAUSE node per clause (MATCH/NOMATCH when refutable, NORMAL when not), a GUARD node
 * for a guard, the body. cur flows into the first test; body ends go to out; what the
 * last clause does not match is appended to fail. */
static void clauses(bld *b, exs_ref list, plist *cur, plist *out, plist *fail, int style) {
    const exs_ref *items = NULL;
    uint32_t count = 0;
    if (list != EXS_REF_NONE) {
        const exs_term *l = T(b, list);
        if (l->kind == EXS_TERM_LIST) {
            items = l->v.kids;
            count = l->len;
        } else if (!is_nil(b, list)) {
            items = &list;
            count = 1;
        }
    }
    plist next = {0};
    join(b, &next, cur);
    for (uint32_t i = 0; i < count; i++) {
        exs_ref c = items[i];
        if (!is_named(b, c, "->") || call_args(b, c)->len != 2) {
            /* not a clause (malformed or unquote fragment): evaluate it, fall through */
            expr(b, c, &next, STMT);
            join(b, out, &next);
            continue;
        }
        b->line = line_of(b, c);
        const exs_term *ca = call_args(b, c);
        const exs_ref *pats;
        uint32_t npats;
        exs_ref guard;
        split_when(b, ca->v.kids[0], &pats, &npats, &guard);
        plist go = {0};
        if (style == CL_COND) {
            exs_ref cond = npats ? pats[0] : EXS_REF_NONE;
            if (cond != EXS_REF_NONE && !truthy_literal(b, cond)) {
                expr(b, cond, &next, SUB);
                uint32_t n = land(b, CFG_NODE_CLAUSE, c, &next);
                push(b, &go, n, CFG_EDGE_TRUE, 0);
                push(b, &next, n, CFG_EDGE_FALSE, 0);
            } else {
                emit(b, CFG_NODE_CLAUSE, c, &next);
                join(b, &go, &next);
            }
        } else {
            bool refut;
            if (style == CL_RESCUE)
                refut = !(npats == 1 && is_var(b, pats[0]));
            else if (style == CL_CATCH)
                refut = !(npats == 2 && all_irrefutable(b, pats, npats));
            else
                refut = !all_irrefutable(b, pats, npats);
            uint32_t n = land(b, CFG_NODE_CLAUSE, c, &next);
            if (refut) {
                push(b, &go, n, CFG_EDGE_MATCH, 0);
                push(b, &next, n, CFG_EDGE_NOMATCH, 0);
            } else {
                push(b, &go, n, CFG_EDGE_NORMAL, 0);
            }
            if (guard != EXS_REF_NONE) {
                guard_expr(b, guard, &go);
                uint32_t g = land(b, CFG_NODE_GUARD, guard, &go);
                push(b, &go, g, CFG_EDGE_TRUE, 0);
                push(b, &next, g, CFG_EDGE_FALSE, 0);
            }
        }
        expr(b, ca->v.kids[1], &go, STMT);
        join(b, out, &go);
        pfree(&go);
    }
    join(b, fail, &next);
    pfree(&next);
}

/* if/unless: condition (unless piped), IF test, then the do/else blocks. */
static void if_expr(bld *b, exs_ref r, const exs_ref *args, uint32_t n, bool piped, plist *cur,
                    bool is_unless) {
    uint32_t from = piped ? 0 : 1;
    if (!piped) expr(b, args[0], cur, SUB);
    exs_ref doblk = block_in(b, args, n, from, "do");
    exs_ref elseblk = block_in(b, args, n, from, "else");
    uint32_t t = land(b, CFG_NODE_IF, r, cur);
    plist yes = {0}, no = {0};
    push(b, &yes, t, is_unless ? CFG_EDGE_FALSE : CFG_EDGE_TRUE, 0);
    push(b, &no, t, is_unless ? CFG_EDGE_TRUE : CFG_EDGE_FALSE, 0);
    expr(b, doblk, &yes, STMT);
    if (elseblk != EXS_REF_NONE) expr(b, elseblk, &no, STMT);
    join(b, cur, &yes);
    join(b, cur, &no);
    pfree(&yes);
    pfree(&no);
}

/* && || and or: the left operand, a BOOL test, the right operand on one branch. */
static void bool_expr(bld *b, exs_ref r, const exs_ref *args, plist *cur, bool is_and) {
    expr(b, args[0], cur, SUB);
    uint32_t t = land(b, CFG_NODE_BOOL, r, cur);
    plist rhs = {0};
    push(b, &rhs, t, is_and ? CFG_EDGE_TRUE : CFG_EDGE_FALSE, 0);
    push(b, cur, t, is_and ? CFG_EDGE_FALSE : CFG_EDGE_TRUE, 0);
    expr(b, args[1], &rhs, STMT);
    join(b, cur, &rhs);
    pfree(&rhs);
}

static void case_expr(bld *b, exs_ref r, const exs_ref *args, uint32_t n, bool piped, plist *cur) {
    if (!piped && n > 0) expr(b, args[0], cur, SUB);
    exs_ref doblk = block_in(b, args, n, piped ? 0 : 1, "do");
    emit(b, CFG_NODE_CASE, r, cur);
    plist out = {0}, fail = {0};
    clauses(b, doblk, cur, &out, &fail, CL_PATTERN);
    join(b, b->exc, &fail); /* CaseClauseError */
    join(b, cur, &out);
    pfree(&out);
    pfree(&fail);
}

static void cond_expr(bld *b, exs_ref r, const exs_ref *args, uint32_t n, plist *cur) {
    exs_ref doblk = block_in(b, args, n, 0, "do");
    emit(b, CFG_NODE_COND, r, cur);
    plist out = {0}, fail = {0};
    clauses(b, doblk, cur, &out, &fail, CL_COND);
    join(b, b->exc, &fail); /* CondClauseError */
    join(b, cur, &out);
    pfree(&out);
    pfree(&fail);
}

static void with_expr(bld *b, exs_ref r, const exs_ref *args, uint32_t n, plist *cur) {
    emit(b, CFG_NODE_WITH, r, cur);
    plist fail = {0};
    for (uint32_t i = 0; i < n; i++) {
        exs_ref it = args[i];
        if (is_keyword(b, it) && kw_get(b, it, "do") != EXS_REF_NONE) continue;
        if (!is_named(b, it, "<-") || call_args(b, it)->len != 2) {
            expr(b, it, cur, SUB); /* a bare expression, e.g. `x = f()` */
            continue;
        }
        const exs_term *a = call_args(b, it);
        exs_ref pat = a->v.kids[0], guard = EXS_REF_NONE;
        if (is_named(b, pat, "when") && call_args(b, pat)->len == 2) {
            guard = call_args(b, pat)->v.kids[1];
            pat = call_args(b, pat)->v.kids[0];
        }
        expr(b, a->v.kids[1], cur, SUB);
        uint32_t c = land(b, CFG_NODE_CLAUSE, it, cur);
        if (irrefutable(b, pat)) {
            push(b, cur, c, CFG_EDGE_NORMAL, 0);
        } else {
            push(b, cur, c, CFG_EDGE_MATCH, 0);
            push(b, &fail, c, CFG_EDGE_NOMATCH, 0);
        }
        if (guard != EXS_REF_NONE) {
            guard_expr(b, guard, cur);
            uint32_t g = land(b, CFG_NODE_GUARD, guard, cur);
            push(b, cur, g, CFG_EDGE_TRUE, 0);
            push(b, &fail, g, CFG_EDGE_FALSE, 0);
        }
    }
    expr(b, block_in(b, args, n, 0, "do"), cur, STMT);
    exs_ref elseblk = block_in(b, args, n, 0, "else");
    if (elseblk != EXS_REF_NONE) {
        plist out = {0}, efail = {0};
        clauses(b, elseblk, &fail, &out, &efail, CL_PATTERN);
        join(b, b->exc, &efail); /* WithClauseError */
        join(b, cur, &out);
        pfree(&out);
        pfree(&efail);
    } else {
        join(b, cur, &fail); /* the unmatched value is the result */
    }
    pfree(&fail);
}

/* try (and the implicit try of a def with rescue/catch/after/else): blocks in kw
 * args[from..n). */
static void try_expr(bld *b, exs_ref r, const exs_ref *args, uint32_t n, uint32_t from,
                     plist *cur) {
    exs_ref doblk = block_in(b, args, n, from, "do");
    exs_ref rescue = block_in(b, args, n, from, "rescue");
    exs_ref catchb = block_in(b, args, n, from, "catch");
    exs_ref elseblk = block_in(b, args, n, from, "else");
    exs_ref after = block_in(b, args, n, from, "after");
    bool handler = rescue != EXS_REF_NONE || catchb != EXS_REF_NONE;
    emit(b, CFG_NODE_TRY, r, cur);
    plist *outer = b->exc;
    bool outer_implicit = b->implicit;
    plist escape = {0}, caught = {0}, out = {0}, fail = {0};
    b->exc = handler ? &caught : &escape;
    b->implicit = handler || outer_implicit;
    expr(b, doblk, cur, STMT);
    b->exc = &escape;
    b->implicit = outer_implicit;
    if (elseblk != EXS_REF_NONE) {
        clauses(b, elseblk, cur, &out, &fail, CL_PATTERN);
        join(b, &escape, &fail); /* TryClauseError */
    } else {
        join(b, &out, cur);
    }
    if (handler) {
        uint32_t h = land(b, CFG_NODE_HANDLER, r, &caught);
        plist hc = {0};
        push(b, &hc, h, CFG_EDGE_NORMAL, 0);
        clauses(b, rescue, &hc, &out, &fail, CL_RESCUE);
        join(b, &hc, &fail);
        clauses(b, catchb, &hc, &out, &fail, CL_CATCH);
        join(b, &escape, &fail); /* not handled: propagates */
        pfree(&hc);
    }
    b->exc = outer; /* raises in after blocks leave the try */
    if (after != EXS_REF_NONE) {
        emit(b, CFG_NODE_AFTER, r, &out);
        expr(b, after, &out, STMT);
        if (escape.n) {
            /* the after block also runs when an exception leaves the try: a copy */
            bool was_copy = b->copy;
            b->copy = true;
            b->exc = outer;
            emit(b, CFG_NODE_AFTER, r, &escape);
            expr(b, after, &escape, STMT);
            b->copy = was_copy;
            for (uint32_t i = 0; i < escape.n; i++)
                push(b, outer, escape.v[i].node, CFG_EDGE_EXCEPTION, escape.v[i].flags);
            escape.n = 0;
        }
    } else {
        join(b, outer, &escape);
    }
    b->exc = outer;
    join(b, cur, &out);
    pfree(&escape);
    pfree(&caught);
    pfree(&out);
    pfree(&fail);
}

static void receive_expr(bld *b, exs_ref r, const exs_ref *args, uint32_t n, plist *cur) {
    exs_ref doblk = block_in(b, args, n, 0, "do");
    exs_ref after = block_in(b, args, n, 0, "after");
    exs_ref timeout = EXS_REF_NONE, tbody = EXS_REF_NONE;
    if (after != EXS_REF_NONE) {
        exs_ref c = after;
        if (T(b, c)->kind == EXS_TERM_LIST && T(b, c)->len >= 1) c = T(b, c)->v.kids[0];
        if (is_named(b, c, "->") && call_args(b, c)->len == 2) {
            const exs_term *lhs = T(b, call_args(b, c)->v.kids[0]);
            if (lhs->kind == EXS_TERM_LIST && lhs->len >= 1) timeout = lhs->v.kids[0];
            tbody = call_args(b, c)->v.kids[1];
        }
        if (timeout != EXS_REF_NONE) expr(b, timeout, cur, SUB);
    }
    uint32_t rv = land(b, CFG_NODE_RECEIVE, r, cur);
    bool has_clauses = doblk != EXS_REF_NONE && !is_nil(b, doblk) &&
                       !(T(b, doblk)->kind == EXS_TERM_LIST && T(b, doblk)->len == 0) &&
                       !(is_named(b, doblk, "__block__") && call_args(b, doblk)->len == 0);
    plist out = {0}, fail = {0}, m = {0};
    if (has_clauses || after == EXS_REF_NONE) {
        push(b, &m, rv, CFG_EDGE_NORMAL, 0);
        if (has_clauses) {
            clauses(b, doblk, &m, &out, &fail, CL_PATTERN);
            loop_back(b, &fail, rv); /* unmatched messages stay; wait for the next */
        } else {
            join(b, &out, &m);
        }
    }
    if (after != EXS_REF_NONE) {
        plist t = {0};
        push(b, &t, rv, CFG_EDGE_TIMEOUT, 0);
        expr(b, tbody, &t, STMT);
        join(b, &out, &t);
        pfree(&t);
    }
    join(b, cur, &out);
    pfree(&out);
    pfree(&fail);
    pfree(&m);
}

static void for_expr(bld *b, exs_ref r, const exs_ref *args, uint32_t n, plist *cur) {
    emit(b, CFG_NODE_FOR, r, cur);
    exs_ref body = EXS_REF_NONE, reduce = EXS_REF_NONE;
    /* options are evaluated before the generators */
    for (uint32_t i = 0; i < n; i++) {
        if (!is_keyword(b, args[i])) continue;
        const exs_term *l = T(b, args[i]);
        for (uint32_t k = 0; k < l->len; k++) {
            const exs_term *p = T(b, l->v.kids[k]);
            const char *key = T(b, p->v.kids[0])->v.s;
            if (streq(key, "do"))
                body = p->v.kids[1];
            else {
                if (streq(key, "reduce")) reduce = p->v.kids[1];
                expr(b, p->v.kids[1], cur, SUB);
            }
        }
    }
    plist done = {0};
    uint32_t inner = CFG_NONE;
    for (uint32_t i = 0; i < n; i++) {
        exs_ref it = args[i];
        if (is_keyword(b, it)) continue;
        exs_ref gen = EXS_REF_NONE;
        if (is_named(b, it, "<-"))
            gen = it;
        else if (is_named(b, it, "<<>>") && call_args(b, it)->len == 1 &&
                 is_named(b, call_args(b, it)->v.kids[0], "<-"))
            gen = call_args(b, it)->v.kids[0];
        if (gen != EXS_REF_NONE && call_args(b, gen)->len == 2) {
            const exs_term *a = call_args(b, gen);
            exs_ref pat = a->v.kids[0], guard = EXS_REF_NONE;
            if (is_named(b, pat, "when") && call_args(b, pat)->len == 2) {
                guard = call_args(b, pat)->v.kids[1];
                pat = call_args(b, pat)->v.kids[0];
            }
            expr(b, a->v.kids[1], cur, SUB);
            uint32_t g = land(b, CFG_NODE_GENERATOR, it, cur);
            if (inner == CFG_NONE)
                push(b, &done, g, CFG_EDGE_FALSE, 0);
            else
                edge(b, g, inner, CFG_EDGE_FALSE, CFG_EF_LOOP);
            inner = g;
            push(b, cur, g, CFG_EDGE_TRUE, 0);
            if (!irrefutable(b, pat)) {
                uint32_t c = land(b, CFG_NODE_CLAUSE, gen, cur);
                push(b, cur, c, CFG_EDGE_MATCH, 0);
                edge(b, c, inner, CFG_EDGE_NOMATCH, CFG_EF_LOOP);
            }
            if (guard != EXS_REF_NONE) {
                guard_expr(b, guard, cur);
                uint32_t gt = land(b, CFG_NODE_GUARD, guard, cur);
                push(b, cur, gt, CFG_EDGE_TRUE, 0);
                edge(b, gt, inner, CFG_EDGE_FALSE, CFG_EF_LOOP);
            }
        } else {
            expr(b, it, cur, SUB);
            uint32_t f = land(b, CFG_NODE_FILTER, it, cur);
            push(b, cur, f, CFG_EDGE_TRUE, 0);
            if (inner == CFG_NONE)
                push(b, &done, f, CFG_EDGE_FALSE, 0);
            else
                edge(b, f, inner, CFG_EDGE_FALSE, CFG_EF_LOOP);
        }
    }
    if (reduce != EXS_REF_NONE) {
        plist out = {0}, fail = {0};
        clauses(b, body, cur, &out, &fail, CL_PATTERN);
        join(b, b->exc, &fail); /* FunctionClauseError on the accumulator */
        join(b, cur, &out);
        pfree(&out);
        pfree(&fail);
    } else {
        expr(b, body, cur, STMT);
    }
    if (inner != CFG_NONE) loop_back(b, cur, inner);
    join(b, cur, &done);
    pfree(&done);
}

/* A closure: `kind` (FN or CAPTURE) in the enclosing flow, with a CLOSURE edge to its
 * own subgraph FN_ENTRY .. FN_EXIT. For `fn` (body == EXS_REF_NONE) the subgraph is
 * its clause chain; for a capture `&(...)` the body expression. */
static void closure_expr(bld *b, exs_ref r, uint8_t kind, exs_ref body, plist *cur) {
    uint32_t f = emit(b, kind, r, cur);
    if (b->nc == b->ccap) {
        cfg_closure *c = grow(b, b->clos, &b->ccap, sizeof(cfg_closure));
        if (!c) return;
        b->clos = c;
    }
    uint32_t k = b->nc++;
    uint32_t saved_closure = b->closure, saved_line = b->line;
    plist *saved_exc = b->exc;
    bool saved_implicit = b->implicit;
    plist exc = {0}, in = {0}, out = {0}, fail = {0};
    /* a closure runs where it is called: its raises never reach the enclosing try */
    b->closure = k + 1;
    b->exc = &exc;
    b->implicit = false;
    uint32_t entry = node_new(b, CFG_NODE_FN_ENTRY, r);
    edge(b, f, entry, CFG_EDGE_CLOSURE, 0);
    push(b, &in, entry, CFG_EDGE_NORMAL, 0);
    if (body == EXS_REF_NONE) {
        /* `fn` clauses: a call that matches none raises FunctionClauseError */
        clauses(b, T(b, r)->v.kids[2], &in, &out, &fail, CL_PATTERN);
    } else {
        expr(b, body, &in, STMT);
        join(b, &out, &in);
    }
    uint32_t x = land(b, CFG_NODE_FN_EXIT, r, &out);
    join(b, &exc, &fail);
    if (exc.n) {
        uint32_t e = land(b, CFG_NODE_ERROR_EXIT, r, &exc);
        edge(b, e, x, CFG_EDGE_EXCEPTION, 0);
    }
    if (!b->failed) b->clos[k] = (cfg_closure){f, entry, x, saved_closure};
    b->closure = saved_closure;
    b->exc = saved_exc;
    b->implicit = saved_implicit;
    b->line = saved_line;
    pfree(&exc);
    pfree(&in);
    pfree(&out);
    pfree(&fail);
}

/* `&name/arity`, `&Mod.name/arity`, `&(unquote(n)/1)`: a reference, nothing runs. */
static bool is_capture_ref(const bld *b, exs_ref r) {
    if (!is_named(b, r, "/") || call_args(b, r)->len != 2) return false;
    exs_ref f = call_args(b, r)->v.kids[0];
    if (is_var(b, f)) return true;
    const exs_term *fa = call_args(b, f);
    return fa && fa->len == 0; /* M.f, or a name with an empty argument list */
}

/* quote: the arguments of unquote/unquote_splicing inside run first. */
static void unquotes(bld *b, exs_ref r, plist *cur) {
    const exs_term *n = T(b, r);
    if (n->kind != EXS_TERM_LIST && n->kind != EXS_TERM_TUPLE) return;
    if (is_call(b, r)) {
        const char *name = call_name(b, r);
        const exs_term *a = call_args(b, r);
        if (name && a && (streq(name, "unquote") || streq(name, "unquote_splicing"))) {
            for (uint32_t i = 0; i < a->len; i++)
                expr(b, a->v.kids[i], cur, SUB);
            return;
        }
        if (name && a && streq(name, "quote")) return; /* nested quote: not this level */
        if (T(b, n->v.kids[0])->kind != EXS_TERM_ATOM) unquotes(b, n->v.kids[0], cur);
        unquotes(b, n->v.kids[2], cur);
        return;
    }
    for (uint32_t i = 0; i < n->len; i++)
        unquotes(b, n->v.kids[i], cur);
}

static bool is_raise_name(const char *name, uint32_t argc, uint8_t *kind) {
    if ((streq(name, "raise") && (argc == 1 || argc == 2)) ||
        (streq(name, "reraise") && (argc == 2 || argc == 3))) {
        *kind = CFG_NODE_RAISE;
        return true;
    }
    if (streq(name, "throw") && argc == 1) {
        *kind = CFG_NODE_THROW;
        return true;
    }
    if (streq(name, "exit") && argc == 1) {
        *kind = CFG_NODE_EXIT_CALL;
        return true;
    }
    return false;
}

/* Kernel.raise/2, :erlang.error/1, :erlang.throw/1, :erlang.exit/1, :erlang.raise/3. */
static bool is_remote_raise(const bld *b, exs_ref recv, const char *fun, uint32_t argc,
                            uint8_t *kind) {
    if (is_named(b, recv, "__aliases__")) {
        const exs_term *segs = call_args(b, recv);
        if (segs->len == 1 && tree_is_atom(b->t, segs->v.kids[0], "Kernel"))
            return is_raise_name(fun, argc, kind);
        return false;
    }
    if (tree_is_atom(b->t, recv, "erlang")) {
        if ((streq(fun, "error") && (argc == 1 || argc == 2)) ||
            (streq(fun, "raise") && argc == 3)) {
            *kind = CFG_NODE_RAISE;
            return true;
        }
        if (streq(fun, "throw") && argc == 1) {
            *kind = CFG_NODE_THROW;
            return true;
        }
        if (streq(fun, "exit") && argc == 1) {
            *kind = CFG_NODE_EXIT_CALL;
            return true;
        }
    }
    return false;
}

static void raise_node(bld *b, uint8_t kind, exs_ref r, plist *cur) {
    uint32_t n = land(b, kind, r, cur);
    push(b, b->exc, n, CFG_EDGE_EXCEPTION, 0);
}

/* A call node `{head, meta, args}` with list args (or a piped bare name). When piped,
 * the value of an implicit first argument has already been evaluated. */
static void call_expr(bld *b, exs_ref r, plist *cur, int mode, bool piped) {
    const exs_term *n = T(b, r);
    exs_ref head = n->v.kids[0];
    const exs_term *al = call_args(b, r);
    const exs_ref *args = al ? al->v.kids : NULL;
    uint32_t argc = al ? al->len : 0;
    uint32_t eff = argc + (piped ? 1 : 0); /* arity as called */
    uint32_t saved_line = b->line;
    b->line = line_of(b, r);
    const char *name = T(b, head)->kind == EXS_TERM_ATOM ? T(b, head)->v.s : NULL;
    uint8_t rk;
    if (name) {
        if (!piped && in_set(name, CONTAINERS)) {
            for (uint32_t i = 0; i < argc; i++)
                expr(b, args[i], cur, SUB);
            if (mode == STMT) emit(b, CFG_NODE_VALUE, r, cur);
            goto done;
        }
        if (!piped && streq(name, "::") && argc == 2) { /* bitstring segment */
            expr(b, args[0], cur, SUB);
            if (mode == STMT) emit(b, CFG_NODE_VALUE, r, cur);
            goto done;
        }
        if (!piped && (streq(name, "__aliases__") || streq(name, "@") || streq(name, "^"))) {
            if (mode == STMT) emit(b, CFG_NODE_VALUE, r, cur);
            goto done;
        }
        if (!piped && streq(name, "__block__")) {
            for (uint32_t i = 0; i < argc; i++) {
                /* a literal statement has no line: it gets its predecessor's */
                if (is_call(b, args[i])) b->line = line_of(b, args[i]);
                expr(b, args[i], cur, i + 1 < argc ? STMT : mode);
            }
            goto done;
        }
        if (!piped && streq(name, "=") && argc == 2) {
            expr(b, args[1], cur, SUB);
            uint32_t m = emit(b, CFG_NODE_MATCH, r, cur);
            if (!irrefutable(b, args[0])) may_raise(b, m);
            goto done;
        }
        if (!piped && argc == 2 &&
            (streq(name, "&&") || streq(name, "and") || streq(name, "||") || streq(name, "or"))) {
            bool_expr(b, r, args, cur, name[0] == '&' || name[0] == 'a');
            goto done;
        }
        if (!piped && streq(name, "|>") && argc == 2) {
            expr(b, args[0], cur, SUB);
            exs_ref rhs = args[1];
            if (is_call(b, rhs))
                call_expr(b, rhs, cur, mode, true);
            else {
                expr(b, rhs, cur, SUB); /* not callable: evaluated anyway */
                emit(b, CFG_NODE_CALL, r, cur);
            }
            goto done;
        }
        if (!piped && streq(name, "&")) {
            if (argc == 1 && T(b, args[0])->kind == EXS_TERM_INT) {
                /* &1: an argument of the enclosing capture */
                if (mode == STMT) emit(b, CFG_NODE_VALUE, r, cur);
            } else if (argc == 1 && !is_capture_ref(b, args[0])) {
                closure_expr(b, r, CFG_NODE_CAPTURE, args[0], cur);
            } else {
                emit(b, CFG_NODE_CAPTURE, r, cur);
            }
            goto done;
        }
        if (al && (streq(name, "if") || streq(name, "unless")) &&
            block_in(b, args, argc, piped ? 0 : 1, "do") != EXS_REF_NONE && (piped || argc >= 2)) {
            if_expr(b, r, args, argc, piped, cur, name[0] == 'u');
            goto done;
        }
        if (al && streq(name, "case") && block_in(b, args, argc, 0, "do") != EXS_REF_NONE) {
            case_expr(b, r, args, argc, piped, cur);
            goto done;
        }
        if (!piped && al && streq(name, "cond")) {
            cond_expr(b, r, args, argc, cur);
            goto done;
        }
        if (!piped && al && streq(name, "with")) {
            with_expr(b, r, args, argc, cur);
            goto done;
        }
        if (!piped && al && streq(name, "try")) {
            try_expr(b, r, args, argc, 0, cur);
            goto done;
        }
        if (!piped && al && streq(name, "receive")) {
            receive_expr(b, r, args, argc, cur);
            goto done;
        }
        if (!piped && al && streq(name, "for")) {
            for_expr(b, r, args, argc, cur);
            goto done;
        }
        if (!piped && al && streq(name, "fn")) {
            closure_expr(b, r, CFG_NODE_FN, EXS_REF_NONE, cur);
            goto done;
        }
        if (!piped && al && streq(name, "quote")) {
            for (uint32_t i = 0; i < argc; i++)
                unquotes(b, args[i], cur);
            emit(b, CFG_NODE_QUOTE, r, cur);
            goto done;
        }
        for (uint32_t i = 0; i < argc; i++)
            expr(b, args[i], cur, SUB);
        if (is_raise_name(name, eff, &rk)) {
            raise_node(b, rk, r, cur);
            goto done;
        }
        bool op = is_operator_name(name) && eff >= 1 && eff <= 2;
        uint32_t c = emit(b, op ? CFG_NODE_OP : CFG_NODE_CALL, r, cur);
        if (piped && !b->failed) b->nodes[c].flags |= CFG_NF_PIPED;
        if (!op || !in_set(name, SAFE_OPS)) may_raise(b, c);
        goto done;
    }
    /* head is an expression: remote `recv.f(...)`, anonymous `fun.(...)`, or other */
    if (is_named(b, head, ".")) {
        const exs_term *d = call_args(b, head);
        if (d->len == 2 && T(b, d->v.kids[1])->kind == EXS_TERM_ATOM) {
            exs_ref recv = d->v.kids[0];
            const char *fun = T(b, d->v.kids[1])->v.s;
            if (T(b, recv)->kind != EXS_TERM_ATOM && !is_named(b, recv, "__aliases__"))
                expr(b, recv, cur, SUB);
            for (uint32_t i = 0; i < argc; i++)
                expr(b, args[i], cur, SUB);
            if (is_remote_raise(b, recv, fun, eff, &rk)) {
                raise_node(b, rk, r, cur);
                goto done;
            }
        } else {
            for (uint32_t i = 0; i < d->len; i++)
                expr(b, d->v.kids[i], cur, SUB);
            for (uint32_t i = 0; i < argc; i++)
                expr(b, args[i], cur, SUB);
        }
    } else {
        expr(b, head, cur, SUB);
        for (uint32_t i = 0; i < argc; i++)
            expr(b, args[i], cur, SUB);
    }
    {
        uint32_t c = emit(b, CFG_NODE_CALL, r, cur);
        if (piped && !b->failed) b->nodes[c].flags |= CFG_NF_PIPED;
        may_raise(b, c);
    }
done:
    b->line = saved_line;
}

static void expr(bld *b, exs_ref r, plist *cur, int mode) {
    if (r == EXS_REF_NONE || b->failed) return;
    const exs_term *n = T(b, r);
    if (n->kind == EXS_TERM_LIST || (n->kind == EXS_TERM_TUPLE && !is_call(b, r))) {
        for (uint32_t i = 0; i < n->len; i++)
            expr(b, n->v.kids[i], cur, SUB);
        if (mode == STMT) emit(b, CFG_NODE_VALUE, r, cur);
        return;
    }
    if (n->kind != EXS_TERM_TUPLE || is_var(b, r)) {
        if (mode == STMT) emit(b, CFG_NODE_VALUE, r, cur);
        return;
    }
    call_expr(b, r, cur, mode, false);
}

/* ---- functions ---------------------------------------------------------------------- */

/* One def clause: HEAD test, guard, body; body ends to out, failures to next. */
static void def_clause(bld *b, exs_ref def, plist *cur, plist *out) {
    const exs_term *args = call_args(b, def);
    const char *kind = call_name(b, def);
    bool is_guard = kind && (streq(kind, "defguard") || streq(kind, "defguardp"));
    exs_ref head = args->v.kids[0], guard = EXS_REF_NONE;
    if (is_named(b, head, "when") && call_args(b, head)->len >= 2) {
        const exs_term *w = call_args(b, head);
        guard = w->v.kids[w->len - 1];
        head = w->v.kids[0];
    }
    b->line = line_of(b, def);
    const exs_term *params = is_call(b, head) ? call_args(b, head) : NULL;
    bool refut = params && !all_irrefutable(b, params->v.kids, params->len);
    plist go = {0}, next = {0};
    uint32_t h = land(b, CFG_NODE_HEAD, def, cur);
    if (refut) {
        push(b, &go, h, CFG_EDGE_MATCH, 0);
        push(b, &next, h, CFG_EDGE_NOMATCH, 0);
    } else {
        push(b, &go, h, CFG_EDGE_NORMAL, 0);
    }
    if (is_guard) {
        /* defguard: the guard expression is the body */
        expr(b, guard, &go, STMT);
    } else {
        if (guard != EXS_REF_NONE) {
            guard_expr(b, guard, &go);
            uint32_t g = land(b, CFG_NODE_GUARD, guard, &go);
            push(b, &go, g, CFG_EDGE_TRUE, 0);
            push(b, &next, g, CFG_EDGE_FALSE, 0);
        }
        const exs_ref *kw = args->v.kids + 1;
        uint32_t nkw = args->len - 1;
        if (block_in(b, kw, nkw, 0, "rescue") != EXS_REF_NONE ||
            block_in(b, kw, nkw, 0, "catch") != EXS_REF_NONE ||
            block_in(b, kw, nkw, 0, "after") != EXS_REF_NONE ||
            block_in(b, kw, nkw, 0, "else") != EXS_REF_NONE)
            try_expr(b, def, kw, nkw, 0, &go); /* implicit try */
        else
            expr(b, block_in(b, kw, nkw, 0, "do"), &go, STMT);
    }
    join(b, out, &go);
    join(b, cur, &next);
    pfree(&go);
    pfree(&next);
}

static bool has_body(const bld *b, exs_ref def) {
    const exs_term *args = call_args(b, def);
    const char *kind = call_name(b, def);
    if (kind && (streq(kind, "defguard") || streq(kind, "defguardp")))
        return is_named(b, args->v.kids[0], "when");
    return args->len >= 2 && block_in(b, args->v.kids, args->len, 1, "do") != EXS_REF_NONE;
}

/* Counting sort of the edges by source (stable), CSR offsets, reachability. */
static exs_status finish(bld *b, exs_arena *a, cfg_graph *g) {
    uint32_t N = b->nn, E = b->ne;
    g->nodes = arena_memdup(a, b->nodes, (size_t)N * sizeof(cfg_node));
    g->edges = arena_alloc(a, (size_t)E * sizeof(cfg_edge) + 1);
    g->out_start = arena_alloc_zero(a, ((size_t)N + 1) * sizeof(uint32_t));
    g->in_start = arena_alloc_zero(a, ((size_t)N + 1) * sizeof(uint32_t));
    g->in_edges = arena_alloc(a, (size_t)E * sizeof(uint32_t));
    g->closures = arena_alloc(a, (size_t)b->nc * sizeof(cfg_closure));
    if (g->closures && b->nc) memcpy(g->closures, b->clos, (size_t)b->nc * sizeof(cfg_closure));
    uint32_t *queue = malloc(((size_t)N + 1) * sizeof(uint32_t));
    if (!g->nodes || !g->edges || !g->out_start || !g->in_start || !g->in_edges || !g->closures ||
        !queue || arena_failed(a)) {
        free(queue);
        return EXS_ERR_NOMEM;
    }
    g->node_count = N;
    g->edge_count = E;
    g->closure_count = b->nc;
    uint32_t *os = g->out_start;
    for (uint32_t i = 0; i < E; i++)
        os[b->edges[i].from + 1]++;
    for (uint32_t i = 0; i < N; i++)
        os[i + 1] += os[i];
    uint32_t *fill = queue; /* reuse as insertion cursors */
    memcpy(fill, os, (size_t)N * sizeof(uint32_t));
    for (uint32_t i = 0; i < E; i++)
        g->edges[fill[b->edges[i].from]++] = b->edges[i];
    uint32_t *is = g->in_start;
    for (uint32_t i = 0; i < E; i++)
        is[g->edges[i].to + 1]++;
    for (uint32_t i = 0; i < N; i++)
        is[i + 1] += is[i];
    memcpy(fill, is, (size_t)N * sizeof(uint32_t));
    for (uint32_t i = 0; i < E; i++)
        g->in_edges[fill[g->edges[i].to]++] = i;
    /* decisions: counted flow out-degree beyond one */
    g->decisions = 0;
    g->implicit_edges = 0;
    for (uint32_t v = 0; v < N; v++) {
        uint32_t k = 0;
        for (uint32_t e = os[v]; e < os[v + 1]; e++) {
            if (g->edges[e].flags & CFG_EF_IMPLICIT)
                g->implicit_edges++;
            else if (g->edges[e].kind != CFG_EDGE_CLOSURE)
                k++;
        }
        if (k > 1) g->decisions += k - 1;
    }
    /* reachability from ENTRY over every edge (CLOSURE edges reach closures from
     * their reachable creation points) */
    for (uint32_t v = 0; v < N; v++)
        g->nodes[v].flags |= CFG_NF_UNREACHABLE;
    uint32_t qh = 0, qt = 0;
    queue[qt++] = g->entry;
    g->nodes[g->entry].flags &= (uint8_t)~CFG_NF_UNREACHABLE;
    while (qh < qt) {
        uint32_t v = queue[qh++];
        for (uint32_t e = os[v]; e < os[v + 1]; e++) {
            uint32_t w = g->edges[e].to;
            if (g->nodes[w].flags & CFG_NF_UNREACHABLE) {
                g->nodes[w].flags &= (uint8_t)~CFG_NF_UNREACHABLE;
                queue[qt++] = w;
            }
        }
    }
    g->unreachable = N - qt;
    free(queue);
    return EXS_OK;
}

exs_status cfg_build(const exs_tree *t, const uint64_t *ids, const exs_ref *clauses_in,
                     uint32_t clause_count, exs_arena *a, cfg_graph *out) {
    memset(out, 0, sizeof(*out));
    if (!t || !out || !a || clause_count == 0 || !clauses_in) return EXS_ERR_ARG;
    bld b;
    memset(&b, 0, sizeof(b));
    b.t = t;
    b.ids = ids;
    for (uint32_t i = 0; i < clause_count; i++) {
        exs_ref c = clauses_in[i];
        if (c >= t->count || !call_args(&b, c) || call_args(&b, c)->len == 0) return EXS_ERR_ARG;
    }
    plist cur = {0}, body = {0}, err = {0};
    b.exc = &err;
    b.line = line_of(&b, clauses_in[0]);
    uint32_t entry = node_new(&b, CFG_NODE_ENTRY, EXS_REF_NONE);
    push(&b, &cur, entry, CFG_EDGE_NORMAL, 0);
    for (uint32_t i = 0; i < clause_count; i++)
        if (has_body(&b, clauses_in[i])) def_clause(&b, clauses_in[i], &cur, &body);
    if (body.n == 0 && err.n == 0 && b.nn == 1) join(&b, &body, &cur); /* bodiless only */
    join(&b, &err, &cur);                                              /* FunctionClauseError */
    b.line = 0;
    uint32_t exit = land(&b, CFG_NODE_EXIT, EXS_REF_NONE, &body);
    uint32_t error_exit = CFG_NONE;
    if (err.n) {
        error_exit = land(&b, CFG_NODE_ERROR_EXIT, EXS_REF_NONE, &err);
        edge(&b, error_exit, exit, CFG_EDGE_EXCEPTION, 0);
    }
    exs_status st = EXS_OK;
    if (b.failed)
        st = EXS_ERR_NOMEM;
    else {
        out->tree = t;
        out->entry = entry;
        out->exit = exit;
        out->error_exit = error_exit;
        st = finish(&b, a, out);
    }
    if (st != EXS_OK) memset(out, 0, sizeof(*out));
    pfree(&cur);
    pfree(&body);
    pfree(&err);
    free(b.nodes);
    free(b.edges);
    free(b.clos);
    return st;
}

uint32_t cfg_node_of(const cfg_graph *g, exs_ref ref) {
    for (uint32_t v = 0; v < g->node_count; v++)
        if (g->nodes[v].ref == ref && !(g->nodes[v].flags & CFG_NF_COPY) &&
            g->nodes[v].kind != CFG_NODE_FN_ENTRY && g->nodes[v].kind != CFG_NODE_FN_EXIT &&
            g->nodes[v].kind != CFG_NODE_ERROR_EXIT)
            return v;
    return CFG_NONE;
}

uint32_t cfg_counted_edges(const cfg_graph *g) { return g->edge_count - g->implicit_edges; }

uint32_t cfg_cyclomatic(const cfg_graph *g) {
    if (!g->node_count) return 0;
    return cfg_counted_edges(g) + 2 - g->node_count;
}

/* ---- snippets ------------------------------------------------------------------------ */

typedef struct snip {
    const exs_tree *t;
    exs_buf *b;
    size_t limit; /* stop rendering once b->len passes this */
} snip;

static void sn(snip *s, exs_ref r);

static bool meta_has(const exs_tree *t, exs_ref call, exs_meta_key key) {
    const exs_term *m = tree_get(t, tree_get(t, call)->v.kids[1]);
    for (uint32_t i = 0; i < m->len; i++)
        if (m->v.kv[i].key == key) return true;
    return false;
}

static bool sfull(const snip *s) { return s->b->len > s->limit; }

static void sn_list(snip *s, const exs_ref *k, uint32_t n, const char *sep) {
    for (uint32_t i = 0; i < n && !sfull(s); i++) {
        if (i) buf_puts(s->b, sep);
        sn(s, k[i]);
    }
}

/* List or map items: `{atom, v}` pairs as `atom: v`, other map pairs as `k => v`. */
static void sn_pairs(snip *s, const exs_ref *k, uint32_t n, bool is_map) {
    for (uint32_t i = 0; i < n && !sfull(s); i++) {
        if (i) buf_puts(s->b, ", ");
        const exs_term *p = tree_get(s->t, k[i]);
        if (p->kind == EXS_TERM_TUPLE && p->len == 2 && !tree_is_call(s->t, k[i])) {
            const exs_term *key = tree_get(s->t, p->v.kids[0]);
            if (key->kind == EXS_TERM_ATOM) {
                buf_printf(s->b, "%s: ", key->v.s);
                sn(s, p->v.kids[1]);
                continue;
            }
            if (is_map) {
                sn(s, p->v.kids[0]);
                buf_puts(s->b, " => ");
                sn(s, p->v.kids[1]);
                continue;
            }
        }
        sn(s, k[i]);
    }
}

static void sn_atom_name(snip *s, const char *a) {
    if (strncmp(a, "Elixir.", 7) == 0)
        buf_puts(s->b, a + 7);
    else if (streq(a, "nil") || streq(a, "true") || streq(a, "false"))
        buf_puts(s->b, a);
    else
        buf_printf(s->b, ":%s", a);
}

static const char *const BLOCK_FORMS[] = {"if",      "unless", "case",  "cond", "with", "try",
                                          "receive", "for",    "quote", "fn",   NULL};

/* An operand of a binary operator: boolean operators in parentheses, so that
 * `(a and b) or c` reads unambiguously. */
static void sn_operand(snip *s, exs_ref r) {
    static const char *const BOOL_OPS[] = {"and", "or", "&&", "||", NULL};
    const exs_term *n = tree_get(s->t, r);
    const exs_term *h = tree_is_call(s->t, r) ? tree_get(s->t, n->v.kids[0]) : NULL;
    const exs_term *al = h ? tree_get(s->t, n->v.kids[2]) : NULL;
    if (h && h->kind == EXS_TERM_ATOM && al->kind == EXS_TERM_LIST && al->len == 2 &&
        in_set(h->v.s, BOOL_OPS)) {
        buf_putc(s->b, '(');
        sn(s, r);
        buf_putc(s->b, ')');
        return;
    }
    sn(s, r);
}

static void sn(snip *s, exs_ref r) {
    if (sfull(s)) return;
    const exs_tree *t = s->t;
    const exs_term *n = tree_get(t, r);
    switch (n->kind) {
    case EXS_TERM_INT:
        buf_printf(s->b, "%lld", (long long)n->v.i);
        return;
    case EXS_TERM_BIGINT:
        buf_puts(s->b, "<bigint>");
        return;
    case EXS_TERM_FLOAT:
        buf_printf(s->b, "%g", n->v.f);
        return;
    case EXS_TERM_ATOM:
        sn_atom_name(s, n->v.s);
        return;
    case EXS_TERM_BINARY:
        buf_putc(s->b, '"');
        for (uint32_t i = 0; i < n->len && i < 40; i++) {
            unsigned char c = (unsigned char)n->v.s[i];
            if (c == '"' || c == '\\')
                buf_putc(s->b, '\\'), buf_putc(s->b, (char)c);
            else if (c == '\n')
                buf_puts(s->b, "\\n");
            else if (c < 32)
                buf_putc(s->b, ' ');
            else
                buf_putc(s->b, (char)c);
        }
        if (n->len > 40) buf_puts(s->b, "...");
        buf_putc(s->b, '"');
        return;
    case EXS_TERM_LIST:
        buf_putc(s->b, '[');
        sn_pairs(s, n->v.kids, n->len, false);
        buf_putc(s->b, ']');
        return;
    case EXS_TERM_TUPLE:
        break;
    default:
        return;
    }
    if (!tree_is_call(t, r)) {
        buf_putc(s->b, '{');
        sn_list(s, n->v.kids, n->len, ", ");
        buf_putc(s->b, '}');
        return;
    }
    const exs_term *h = tree_get(t, n->v.kids[0]);
    const exs_term *al = tree_get(t, n->v.kids[2]);
    if (h->kind == EXS_TERM_ATOM) {
        const char *name = h->v.s;
        if (al->kind != EXS_TERM_LIST) { /* variable */
            buf_puts(s->b, name);
            return;
        }
        const exs_ref *k = al->v.kids;
        uint32_t c = al->len;
        if (streq(name, "__aliases__")) {
            for (uint32_t i = 0; i < c; i++) {
                if (i) buf_putc(s->b, '.');
                const exs_term *seg = tree_get(t, k[i]);
                if (seg->kind == EXS_TERM_ATOM)
                    buf_puts(s->b, seg->v.s);
                else
                    sn(s, k[i]);
            }
            return;
        }
        if (streq(name, "__block__")) {
            if (c == 1)
                sn(s, k[0]);
            else
                buf_puts(s->b, "(...)");
            return;
        }
        if (streq(name, "{}")) {
            buf_putc(s->b, '{');
            sn_list(s, k, c, ", ");
            buf_putc(s->b, '}');
            return;
        }
        if (streq(name, "%{}")) {
            buf_puts(s->b, "%{");
            sn_pairs(s, k, c, true);
            buf_putc(s->b, '}');
            return;
        }
        if (streq(name, "<<>>")) {
            buf_puts(s->b, "<<");
            sn_list(s, k, c, ", ");
            buf_puts(s->b, ">>");
            return;
        }
        if (streq(name, "%") && c == 2) {
            buf_putc(s->b, '%');
            sn(s, k[0]);
            const exs_term *m = tree_get(t, k[1]);
            if (tree_is_call(t, k[1]) && tree_get(t, m->v.kids[2])->kind == EXS_TERM_LIST) {
                const exs_term *ml = tree_get(t, m->v.kids[2]);
                buf_putc(s->b, '{');
                sn_pairs(s, ml->v.kids, ml->len, true);
                buf_putc(s->b, '}');
            }
            return;
        }
        if (streq(name, "&") && c == 1 && tree_is_call(t, k[0]) &&
            tree_is_atom(t, tree_get(t, k[0])->v.kids[0], "/")) {
            /* &f/1, &M.f/2: no spaces around the arity slash */
            const exs_term *sl = tree_get(t, tree_get(t, k[0])->v.kids[2]);
            if (sl->kind == EXS_TERM_LIST && sl->len == 2) {
                buf_putc(s->b, '&');
                sn(s, sl->v.kids[0]);
                buf_putc(s->b, '/');
                sn(s, sl->v.kids[1]);
                return;
            }
        }
        if (streq(name, "@") && c == 1) {
            buf_putc(s->b, '@');
            sn(s, k[0]);
            return;
        }
        if (streq(name, "fn")) {
            buf_puts(s->b, "fn ... end");
            return;
        }
        if (streq(name, "->") && c == 2) {
            const exs_term *lhs = tree_get(t, k[0]);
            if (lhs->kind == EXS_TERM_LIST)
                sn_list(s, lhs->v.kids, lhs->len, ", ");
            else
                sn(s, k[0]);
            buf_puts(s->b, " ->");
            return;
        }
        if (in_set(name, BLOCK_FORMS)) {
            buf_puts(s->b, name);
            if (c > 0 && !(tree_get(t, k[0])->kind == EXS_TERM_LIST)) {
                buf_putc(s->b, ' ');
                sn(s, k[0]);
            }
            return;
        }
        /* binary operators infix (`&` with two arguments is no operator form) */
        if (c == 2 && !streq(name, "&") &&
            (is_operator_name(name) || streq(name, "and") || streq(name, "or"))) {
            sn_operand(s, k[0]);
            buf_printf(s->b, " %s ", name);
            sn_operand(s, k[1]);
            return;
        }
        if (c == 1 && is_operator_name(name)) {
            buf_puts(s->b, name);
            if (streq(name, "not")) buf_putc(s->b, ' ');
            sn(s, k[0]);
            return;
        }
        buf_puts(s->b, name);
        buf_putc(s->b, '(');
        sn_list(s, k, c, ", ");
        buf_putc(s->b, ')');
        return;
    }
    /* head is an expression: `.` */
    if (tree_is_call(t, n->v.kids[0]) && tree_is_atom(t, h->v.kids[0], ".")) {
        const exs_term *d = tree_get(t, h->v.kids[2]);
        if (d->kind == EXS_TERM_LIST && d->len == 2 &&
            tree_get(t, d->v.kids[1])->kind == EXS_TERM_ATOM) {
            const exs_term *recv = tree_get(t, d->v.kids[0]);
            if (recv->kind == EXS_TERM_ATOM && strncmp(recv->v.s, "Elixir.", 7) != 0)
                buf_printf(s->b, ":%s", recv->v.s);
            else
                sn(s, d->v.kids[0]);
            buf_printf(s->b, ".%s", tree_get(t, d->v.kids[1])->v.s);
            bool no_parens =
                al->kind == EXS_TERM_LIST && al->len == 0 && meta_has(t, r, EXS_META_NO_PARENS);
            if (al->kind == EXS_TERM_LIST && !no_parens) {
                buf_putc(s->b, '(');
                sn_list(s, al->v.kids, al->len, ", ");
                buf_putc(s->b, ')');
            }
            return;
        }
        if (d->kind == EXS_TERM_LIST && d->len == 1) {
            sn(s, d->v.kids[0]);
            buf_puts(s->b, ".(");
            if (al->kind == EXS_TERM_LIST) sn_list(s, al->v.kids, al->len, ", ");
            buf_putc(s->b, ')');
            return;
        }
    }
    sn(s, n->v.kids[0]);
    buf_putc(s->b, '(');
    if (al->kind == EXS_TERM_LIST) sn_list(s, al->v.kids, al->len, ", ");
    buf_putc(s->b, ')');
}

/* cfg_snippet; `operand`: parenthesize a boolean operator (sn_operand). */
static void snippet(const exs_tree *t, exs_ref r, size_t max, exs_buf *out, bool operand) {
    if (r == EXS_REF_NONE || !t || r >= t->count) return;
    size_t start = out->len;
    snip s = {t, out, start + max};
    if (operand)
        sn_operand(&s, r);
    else
        sn(&s, r);
    if (out->failed) return;
    if (out->len - start > max) {
        size_t cut = start + (max > 3 ? max - 3 : 0);
        /* never cut inside a UTF-8 sequence */
        while (cut > start && ((unsigned char)out->data[cut] & 0xC0) == 0x80)
            cut--;
        out->len = cut;
        buf_puts(out, "...");
    }
}

void cfg_snippet(const exs_tree *t, exs_ref r, size_t max, exs_buf *out) {
    snippet(t, r, max, out, false);
}

/* ---- export ---------------------------------------------------------------------------- */

/* The label text of a node (no escaping): construct and snippet. */
static void node_label(const cfg_graph *g, uint32_t v, exs_buf *o) {
    const cfg_node *n = &g->nodes[v];
    const exs_tree *t = g->tree;
    exs_ref r = n->ref;
    switch (n->kind) {
    case CFG_NODE_AFTER:
        buf_puts(o, n->flags & CFG_NF_COPY ? "after (exception)" : "after");
        return;
    case CFG_NODE_ENTRY:
    case CFG_NODE_EXIT:
    case CFG_NODE_ERROR_EXIT:
    case CFG_NODE_FN_ENTRY:
    case CFG_NODE_FN_EXIT:
    case CFG_NODE_HANDLER:
    case CFG_NODE_TRY:
    case CFG_NODE_COND:
    case CFG_NODE_WITH:
    case CFG_NODE_RECEIVE:
    case CFG_NODE_FOR:
        buf_puts(o, cfg_node_kind_name((cfg_node_kind)n->kind));
        return;
    case CFG_NODE_HEAD: {
        exs_ref head = EXS_REF_NONE;
        if (tree_is_call(t, r) && tree_get(t, tree_get(t, r)->v.kids[2])->kind == EXS_TERM_LIST) {
            const exs_term *al = tree_get(t, tree_get(t, r)->v.kids[2]);
            if (al->len) head = al->v.kids[0];
        }
        if (head != EXS_REF_NONE && tree_is_call(t, head) &&
            tree_is_atom(t, tree_get(t, head)->v.kids[0], "when")) {
            const exs_term *w = tree_get(t, tree_get(t, head)->v.kids[2]);
            if (w->kind == EXS_TERM_LIST && w->len) head = w->v.kids[0];
        }
        buf_puts(o, "head ");
        cfg_snippet(t, head, 60, o);
        return;
    }
    case CFG_NODE_GUARD:
        buf_puts(o, "when ");
        cfg_snippet(t, r, 60, o);
        return;
    case CFG_NODE_IF:
    case CFG_NODE_CASE:
    case CFG_NODE_CLAUSE:
    case CFG_NODE_GENERATOR:
    case CFG_NODE_FILTER:
        if (n->kind == CFG_NODE_FILTER) buf_puts(o, "filter ");
        cfg_snippet(t, r, 60, o);
        return;
    case CFG_NODE_BOOL: {
        const char *name = tree_get(t, tree_get(t, r)->v.kids[0])->v.s;
        const exs_term *al = tree_get(t, tree_get(t, r)->v.kids[2]);
        snippet(t, al->v.kids[0], 40, o, true);
        buf_printf(o, " %s ?", name);
        return;
    }
    default:
        if (n->flags & CFG_NF_PIPED) buf_puts(o, "|> ");
        cfg_snippet(t, r, 60, o);
        return;
    }
}

static void put_escaped(exs_buf *o, const char *s, size_t len, bool json) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            buf_putc(o, '\\');
            buf_putc(o, (char)c);
        } else if (c == '\n') {
            buf_puts(o, json ? "\\n" : "\\n");
        } else if (c < 32) {
            if (json)
                buf_printf(o, "\\u%04x", c);
            else
                buf_putc(o, ' ');
        } else {
            buf_putc(o, (char)c);
        }
    }
}

static const char *edge_style(const cfg_edge *e) {
    if (e->flags & CFG_EF_IMPLICIT) return "color=orange, style=dotted";
    switch (e->kind) {
    case CFG_EDGE_TRUE:
    case CFG_EDGE_MATCH:
        return "color=darkgreen";
    case CFG_EDGE_FALSE:
    case CFG_EDGE_NOMATCH:
        return "color=red";
    case CFG_EDGE_EXCEPTION:
        return "color=orange, style=dashed";
    case CFG_EDGE_TIMEOUT:
        return "color=purple";
    case CFG_EDGE_BACK:
        return "color=blue";
    case CFG_EDGE_CLOSURE:
        return "color=gray, style=dotted, arrowhead=odot";
    default:
        return "color=black";
    }
}

static const char *node_shape(const cfg_node *n) {
    switch (n->kind) {
    case CFG_NODE_ENTRY:
    case CFG_NODE_EXIT:
    case CFG_NODE_FN_ENTRY:
    case CFG_NODE_FN_EXIT:
        return "shape=oval, style=bold";
    case CFG_NODE_ERROR_EXIT:
        return "shape=oval, color=red";
    case CFG_NODE_RAISE:
    case CFG_NODE_THROW:
    case CFG_NODE_EXIT_CALL:
        return "shape=box, color=red";
    default:
        return "shape=box";
    }
}

static void dot_node(const cfg_graph *g, uint32_t v, exs_buf *o, exs_buf *tmp, const char *indent) {
    const cfg_node *n = &g->nodes[v];
    tmp->len = 0;
    node_label(g, v, tmp);
    buf_printf(o, "%sn%u [%s, label=\"", indent, v, node_shape(n));
    put_escaped(o, tmp->data ? tmp->data : "", tmp->len, false);
    if (n->line) buf_printf(o, "\\nline %u", n->line);
    buf_puts(o, "\"");
    if (n->flags & CFG_NF_UNREACHABLE)
        buf_puts(o, ", style=\"filled,dashed\", fillcolor=lightgray");
    buf_puts(o, "];\n");
}

void cfg_write_dot(const cfg_graph *g, const char *title, exs_buf *o) {
    exs_buf tmp;
    buf_init(&tmp);
    buf_puts(o, "digraph cfg {\n  graph [label=\"");
    if (title) put_escaped(o, title, strlen(title), false);
    buf_printf(o, " (cc=%u)\", labelloc=t, fontname=\"Helvetica\"];\n", cfg_cyclomatic(g));
    buf_puts(o, "  node [fontname=\"Helvetica\", fontsize=10];\n"
                "  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (uint32_t v = 0; v < g->node_count; v++)
        if (g->nodes[v].closure == 0) dot_node(g, v, o, &tmp, "  ");
    for (uint32_t k = 0; k < g->closure_count; k++) {
        const cfg_node *fnn = &g->nodes[g->closures[k].fn];
        buf_printf(o, "  subgraph cluster_fn%u {\n    label=\"%s line %u\"; style=dashed;\n", k + 1,
                   fnn->kind == CFG_NODE_CAPTURE ? "&" : "fn", fnn->line);
        for (uint32_t v = 0; v < g->node_count; v++)
            if (g->nodes[v].closure == k + 1) dot_node(g, v, o, &tmp, "    ");
        buf_puts(o, "  }\n");
    }
    for (uint32_t i = 0; i < g->edge_count; i++) {
        const cfg_edge *e = &g->edges[i];
        buf_printf(o, "  n%u -> n%u [%s", e->from, e->to, edge_style(e));
        if (e->kind != CFG_EDGE_NORMAL)
            buf_printf(o, ", label=\"%s\"", cfg_edge_kind_name((cfg_edge_kind)e->kind));
        if (e->kind == CFG_EDGE_CLOSURE) buf_puts(o, ", constraint=false");
        buf_puts(o, "];\n");
    }
    buf_puts(o, "}\n");
    buf_free(&tmp);
}

void cfg_write_json(const cfg_graph *g, const char *title, exs_buf *o) {
    exs_buf tmp;
    buf_init(&tmp);
    buf_puts(o, "{\"name\":");
    if (title) {
        buf_putc(o, '"');
        put_escaped(o, title, strlen(title), true);
        buf_putc(o, '"');
    } else {
        buf_puts(o, "null");
    }
    buf_printf(o, ",\"entry\":%u,\"exit\":%u,\"error_exit\":", g->entry, g->exit);
    if (g->error_exit == CFG_NONE)
        buf_puts(o, "null");
    else
        buf_printf(o, "%u", g->error_exit);
    buf_printf(o, ",\"decisions\":%u,\"cyclomatic\":%u,\"unreachable\":%u,\"nodes\":[",
               g->decisions, cfg_cyclomatic(g), g->unreachable);
    for (uint32_t v = 0; v < g->node_count; v++) {
        const cfg_node *n = &g->nodes[v];
        tmp.len = 0;
        node_label(g, v, &tmp);
        buf_printf(
            o, "%s{\"id\":%u,\"kind\":\"%s\",\"line\":%u,\"closure\":%u,\"node_id\":", v ? "," : "",
            v, cfg_node_kind_name((cfg_node_kind)n->kind), n->line, n->closure);
        if (n->node_id) {
            char idb[40];
            buf_printf(o, "\"%s\"", exs_node_id_format(n->node_id, idb));
        } else {
            buf_puts(o, "null");
        }
        buf_puts(o, ",\"label\":\"");
        put_escaped(o, tmp.data ? tmp.data : "", tmp.len, true);
        buf_putc(o, '"');
        if (n->flags & CFG_NF_UNREACHABLE) buf_puts(o, ",\"unreachable\":true");
        if (n->flags & CFG_NF_MAY_RAISE) buf_puts(o, ",\"may_raise\":true");
        if (n->flags & CFG_NF_COPY) buf_puts(o, ",\"copy\":true");
        if (n->flags & CFG_NF_PIPED) buf_puts(o, ",\"piped\":true");
        buf_putc(o, '}');
    }
    buf_puts(o, "],\"edges\":[");
    for (uint32_t i = 0; i < g->edge_count; i++) {
        const cfg_edge *e = &g->edges[i];
        buf_printf(o, "%s{\"from\":%u,\"to\":%u,\"kind\":\"%s\"", i ? "," : "", e->from, e->to,
                   cfg_edge_kind_name((cfg_edge_kind)e->kind));
        if (e->flags & CFG_EF_IMPLICIT) buf_puts(o, ",\"implicit\":true");
        if (e->flags & CFG_EF_LOOP) buf_puts(o, ",\"loop\":true");
        buf_putc(o, '}');
    }
    buf_puts(o, "],\"closures\":[");
    for (uint32_t k = 0; k < g->closure_count; k++)
        buf_printf(o, "%s{\"fn\":%u,\"entry\":%u,\"exit\":%u,\"parent\":%u}", k ? "," : "",
                   g->closures[k].fn, g->closures[k].entry, g->closures[k].exit,
                   g->closures[k].parent);
    buf_puts(o, "]}\n");
    buf_free(&tmp);
}
