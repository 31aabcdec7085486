/* dfg.c: the data-flow graph of one function (dfg_build): variable versions, their
 * uses, edges definition -> use, and the unused-variable findings.
 *
 * Design: a port of the variable bookkeeping Elixir 1.14's expander does while it
 * expands a def clause (elixir_expand.erl, elixir_clauses.erl, elixir_env.erl,
 * elixir_bitstring.erl, elixir_fn.erl), on the unexpanded AST, with the Kernel
 * macros that change scoping (if/unless, &&/||/and/or, match?, destructure, binding,
 * var!, |>) rewritten by hand. The expander threads a state S through the walk:
 *   - read:  name -> version visible now;
 *   - write: name -> version written by earlier arguments of a call, or none ("false"):
 *     arguments do not see each other's bindings (`foo(x = 1, x)` reads the outer x)
 *     but the bindings of all of them are visible after the call;
 *   - prematch: inside a pattern, the read map from before the match (what `^x` reads)
 *     and the version counter when the match began (a name already bound at or after
 *     it is a repeated occurrence, a use, not a new version).
 * Maps are keyed by a per-function name id (every variable-shaped node of the clauses
 * is interned first) and immutable: persistent radix trees updated by path copying,
 * so saving a state to restore it after a clause is keeping a pointer. They live in a
 * scratch arena reset for each clause (no version crosses clauses).
 *
 * Unused variables: Elixir records every binding and clears it on a use of that exact
 * version; clause scopes propagate uses of outer versions upwards
 * (merge_and_check_unused_vars). Since versions never leave the clause that made
 * them, that is the same as "no use reads the version", which is what is computed.
 *
 * What is not a source variable: `_`, __MODULE__/__ENV__/__DIR__/__CALLER__/
 * __STACKTRACE__, @attr, quote bodies (except unquote arguments), unquote fragments
 * outside quote, names in bitstring type specs, &name/arity, var!(x, Ctx) with a
 * non-nil context. Other macros are walked as calls (docs/dfg.md, "Limits").
 *
 * Invariants: version == index into defs; a use's def is DFG_NONE or a version made
 * before the use; every resolved use has exactly one edge; the state after a
 * construct that scopes its clauses has the vars of the state before it.
 * Called by tests/tools/dfgdump.c and the CPG. */
#include "dfg.h"

#include <stdlib.h>
#include <string.h>

#define VNONE UINT32_MAX

typedef enum { CTX_NIL, CTX_MATCH, CTX_GUARD } ctx_kind;

/* A scope state (Elixir's #elixir_ex{} vars and prematch). */
typedef struct st {
    const void *read;  /* never NULL (map: see map_get) */
    const void *write; /* NULL: false */
    const void *pre;   /* prematch read map (NULL outside patterns) */
    uint32_t pre_counter;  /* version counter when the match began */
} st;

typedef struct bld {
    const exs_tree *t;
    const uint64_t *ids;
    exs_arena *scratch;
    /* names: open addressing over name ids */
    const char **names;
    uint32_t name_count, name_cap;
    uint32_t *slots; /* id + 1, 0 empty */
    uint32_t slot_cap;
    /* results (malloc'd, copied into the caller's arena at the end) */
    dfg_def *defs;
    uint32_t def_count, def_cap;
    uint32_t *def_name;
    bool *def_nowarn;
    dfg_use *uses;
    uint32_t use_count, use_cap;
    /* walk state */
    uint32_t clause;
    uint32_t depth;   /* closure depth */
    uint8_t def_kind; /* dfg_def_kind of bindings made by the current pattern */
    bool in_size;     /* a bitstring size in a pattern: reads are DFG_USE_SIZE */
    bool nowarn;      /* bindings of a bodiless clause */
    bool failed;
    const void *empty; /* the empty map (a root node) */
    int levels;        /* radix levels of maps */
} bld;

/* ---- terms ------------------------------------------------------------------------ */

static const exs_term *T(const bld *b, exs_ref r) { return tree_get(b->t, r); }
static exs_ref kid(const bld *b, exs_ref r, uint32_t i) { return T(b, r)->v.kids[i]; }
static bool streq(const char *a, const char *b) { return strcmp(a, b) == 0; }

static bool is_node(const bld *b, exs_ref r) { return tree_is_call(b->t, r); }

/* `{name, meta, atom}`: a variable (or a special form such as __MODULE__). */
static const char *var_name(const bld *b, exs_ref r) {
    if (!is_node(b, r)) return NULL;
    const exs_term *h = T(b, kid(b, r, 0)), *c = T(b, kid(b, r, 2));
    if (h->kind != EXS_TERM_ATOM || c->kind != EXS_TERM_ATOM) return NULL;
    return h->v.s;
}

/* `{name, meta, [args]}`: the name of a local call (NULL otherwise). */
static const char *call_name(const bld *b, exs_ref r) {
    if (!is_node(b, r)) return NULL;
    const exs_term *h = T(b, kid(b, r, 0)), *c = T(b, kid(b, r, 2));
    if (h->kind != EXS_TERM_ATOM || c->kind != EXS_TERM_LIST) return NULL;
    return h->v.s;
}

static const exs_term *call_args(const bld *b, exs_ref r) { return T(b, kid(b, r, 2)); }

static bool is_named(const bld *b, exs_ref r, const char *name, uint32_t nargs) {
    const char *n = call_name(b, r);
    return n && streq(n, name) && call_args(b, r)->len == nargs;
}

static bool is_literal(const bld *b, exs_ref r) {
    uint8_t k = T(b, r)->kind;
    return k == EXS_TERM_INT || k == EXS_TERM_BIGINT || k == EXS_TERM_FLOAT ||
           k == EXS_TERM_ATOM || k == EXS_TERM_BINARY;
}

/* A keyword list: [{atom, value}, ...] (non-empty). */
static bool is_keyword(const bld *b, exs_ref r) {
    const exs_term *l = T(b, r);
    if (l->kind != EXS_TERM_LIST || l->len == 0) return false;
    for (uint32_t i = 0; i < l->len; i++) {
        const exs_term *p = T(b, l->v.kids[i]);
        if (p->kind != EXS_TERM_TUPLE || p->len != 2 || T(b, p->v.kids[0])->kind != EXS_TERM_ATOM)
            return false;
    }
    return true;
}

static bool is_special_var(const char *n) {
    return streq(n, "__MODULE__") || streq(n, "__DIR__") || streq(n, "__ENV__") ||
           streq(n, "__CALLER__") || streq(n, "__STACKTRACE__");
}

/* ---- names ------------------------------------------------------------------------ */

static uint32_t hash_str(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static uint32_t name_find(const bld *b, const char *name) {
    if (!b->slot_cap) return VNONE;
    uint32_t m = b->slot_cap - 1;
    for (uint32_t i = hash_str(name) & m;; i = (i + 1) & m) {
        uint32_t s = b->slots[i];
        if (!s) return VNONE;
        if (streq(b->names[s - 1], name)) return s - 1;
    }
}

static void name_add(bld *b, const char *name) {
    if (name_find(b, name) != VNONE) return;
    if ((b->name_count + 1) * 2 > b->slot_cap) {
        uint32_t cap = b->slot_cap ? b->slot_cap * 2 : 64;
        uint32_t *slots = calloc(cap, sizeof(*slots));
        const char **names = realloc(b->names, cap / 2 * sizeof(*names));
        if (!slots || !names) {
            free(slots);
            if (names) b->names = names;
            b->failed = true;
            return;
        }
        b->names = names;
        for (uint32_t i = 0; i < b->name_count; i++) {
            uint32_t j = hash_str(names[i]) & (cap - 1);
            while (slots[j]) j = (j + 1) & (cap - 1);
            slots[j] = i + 1;
        }
        free(b->slots);
        b->slots = slots;
        b->slot_cap = cap;
    }
    uint32_t m = b->slot_cap - 1, i = hash_str(name) & m;
    while (b->slots[i]) i = (i + 1) & m;
    b->names[b->name_count] = name;
    b->slots[i] = ++b->name_count;
}

/* Every variable-shaped node of the clauses, so maps can be dense arrays. */
static void collect_names(bld *b, exs_ref r) {
    const exs_term *n = T(b, r);
    if (n->kind != EXS_TERM_LIST && n->kind != EXS_TERM_TUPLE) return;
    const char *v = var_name(b, r);
    if (v) {
        name_add(b, v);
        return;
    }
    for (uint32_t i = 0; i < n->len; i++)
        if (T(b, n->v.kids[i])->kind != EXS_TERM_META) collect_names(b, n->v.kids[i]);
}

/* ---- maps and states ----------------------------------------------------------------- */

/* A map is a persistent radix tree over name ids, 16 ways per level (b->levels
 * levels; the last holds versions), updated by path copying: a binding costs
 * b->levels small nodes, not a copy of every name, and two states that share a map
 * share its nodes. A NULL child is an all-unbound subtree. */
typedef struct pnode {
    const void *kid[16];
} pnode;
typedef struct pleaf {
    uint32_t v[16];
} pleaf;

static void *node_new(bld *b, int lvl, const void *from) {
    size_t sz = lvl ? sizeof(pnode) : sizeof(pleaf);
    void *c = arena_alloc(b->scratch, sz);
    if (!c) {
        b->failed = true;
        return NULL;
    }
    if (from)
        memcpy(c, from, sz);
    else
        memset(c, lvl ? 0 : 0xff, sz);
    return c;
}

static uint32_t map_get(const bld *b, const void *m, uint32_t id) {
    const void *n = m;
    for (int lvl = b->levels - 1; lvl > 0 && n; lvl--)
        n = ((const pnode *)n)->kid[(id >> (4 * lvl)) & 15];
    return n ? ((const pleaf *)n)->v[id & 15] : VNONE;
}

static const void *pset(bld *b, const void *n, int lvl, uint32_t id, uint32_t v) {
    if (lvl == 0) {
        pleaf *c = node_new(b, 0, n);
        if (c) c->v[id & 15] = v;
        return c ? c : n;
    }
    pnode *c = node_new(b, lvl, n);
    if (!c) return n;
    unsigned k = (id >> (4 * lvl)) & 15;
    c->kid[k] = pset(b, c->kid[k], lvl - 1, id, v);
    return c;
}

static const void *map_set(bld *b, const void *m, uint32_t id, uint32_t v) {
    return pset(b, m, b->levels - 1, id, v);
}

/* elixir_env:merge_vars/2: the newest version of each name of either map; shares
 * every subtree where nothing changes. */
static const void *pmerge(bld *b, const void *x, const void *y, int lvl) {
    if (x == y || !y) return x;
    if (!x) return y;
    if (lvl == 0) {
        const pleaf *lx = x, *ly = y;
        pleaf *c = NULL;
        for (int i = 0; i < 16; i++) {
            if (ly->v[i] == VNONE || (lx->v[i] != VNONE && lx->v[i] >= ly->v[i])) continue;
            if (!c && !(c = node_new(b, 0, x))) return x;
            c->v[i] = ly->v[i];
        }
        return c ? (const void *)c : x;
    }
    const pnode *nx = x, *ny = y;
    pnode tmp;
    bool changed = false;
    for (int k = 0; k < 16; k++) {
        tmp.kid[k] = pmerge(b, nx->kid[k], ny->kid[k], lvl - 1);
        changed |= tmp.kid[k] != nx->kid[k];
    }
    if (!changed) return x;
    pnode *c = node_new(b, lvl, &tmp);
    return c ? (const void *)c : x;
}

static const void *map_merge(bld *b, const void *x, const void *y) {
    return pmerge(b, x, y, b->levels - 1);
}

static st prepare_write(st s) {
    s.write = s.read;
    return s;
}

static st reset_read(st acc, st s) {
    acc.read = s.read;
    return acc;
}

static st close_write(bld *b, st acc, st s) {
    if (acc.write) acc.read = acc.write;
    acc.write = s.write ? map_merge(b, s.write, acc.write ? acc.write : acc.read) : NULL;
    return acc;
}

/* The vars of `inner` (read/write) with the prematch of `outer`. */
static st with_vars(st outer, st inner) {
    outer.read = inner.read;
    outer.write = inner.write;
    return outer;
}

/* ---- records ------------------------------------------------------------------------- */

static uint32_t meta_u32(const bld *b, exs_ref r, exs_meta_key k) {
    int64_t v = tree_meta_int(b->t, r, k);
    return v < 0 ? 0 : (uint32_t)v;
}

static uint32_t new_def(bld *b, exs_ref node, const char *name, uint32_t name_id, bool over) {
    if (b->def_count == b->def_cap) {
        uint32_t cap = b->def_cap ? b->def_cap * 2 : 16;
        dfg_def *d = realloc(b->defs, cap * sizeof(*d));
        if (d) b->defs = d;
        uint32_t *dn = realloc(b->def_name, cap * sizeof(*dn));
        if (dn) b->def_name = dn;
        bool *nw = realloc(b->def_nowarn, cap * sizeof(*nw));
        if (nw) b->def_nowarn = nw;
        if (!d || !dn || !nw) {
            b->failed = true;
            return VNONE;
        }
        b->def_cap = cap;
    }
    uint32_t v = b->def_count++;
    dfg_def *d = &b->defs[v];
    memset(d, 0, sizeof(*d));
    d->name = name;
    d->node = node;
    d->node_id = b->ids ? b->ids[node] : 0;
    d->line = meta_u32(b, node, EXS_META_LINE);
    d->column = meta_u32(b, node, EXS_META_COLUMN);
    d->clause = b->clause;
    d->closure_depth = b->depth;
    d->kind = b->def_kind;
    d->overrides = over;
    b->def_name[v] = name_id;
    b->def_nowarn[v] = b->nowarn;
    return v;
}

static void new_use(bld *b, exs_ref node, const char *name, uint32_t def, uint8_t kind) {
    if (b->use_count == b->use_cap) {
        uint32_t cap = b->use_cap ? b->use_cap * 2 : 32;
        dfg_use *u = realloc(b->uses, cap * sizeof(*u));
        if (!u) {
            b->failed = true;
            return;
        }
        b->uses = u;
        b->use_cap = cap;
    }
    dfg_use *u = &b->uses[b->use_count++];
    memset(u, 0, sizeof(*u));
    u->name = name;
    u->node = node;
    u->node_id = b->ids ? b->ids[node] : 0;
    u->line = meta_u32(b, node, EXS_META_LINE);
    u->column = meta_u32(b, node, EXS_META_COLUMN);
    u->def = def;
    u->clause = b->clause;
    u->closure_depth = b->depth;
    u->kind = kind;
    if (def != VNONE && def < b->def_count) b->defs[def].use_count++;
}

/* memcpy of n refs; kids arrays of empty lists may be NULL */
static void copy_refs(exs_ref *dst, const exs_ref *src, uint32_t n) {
    if (n) memcpy(dst, src, n * sizeof(exs_ref));
}

/* ---- the walk -------------------------------------------------------------------------- */

static st ex(bld *b, exs_ref r, st s, int ctx);
static st ex_call(bld *b, exs_ref node, const char *name, const exs_ref *args, uint32_t n,
                  st s, int ctx);

/* elixir_expand:expand_arg/3 inside a fold over {Acc, S}. */
static st ex_arg(bld *b, exs_ref r, st acc, st s, int ctx) {
    if (is_literal(b, r)) return acc;
    return ex(b, r, reset_read(acc, s), ctx);
}

/* Arguments isolated from each other; their bindings all visible after. */
static st ex_isolated(bld *b, const exs_ref *args, uint32_t n, st s, int ctx) {
    st acc = prepare_write(s);
    for (uint32_t i = 0; i < n; i++) acc = ex_arg(b, args[i], acc, s, ctx);
    return close_write(b, acc, s);
}

/* elixir_expand:expand_args/3. */
static st ex_args(bld *b, const exs_ref *args, uint32_t n, st s, int ctx) {
    if (n == 1) return ex(b, args[0], s, ctx);
    if (ctx == CTX_MATCH) {
        for (uint32_t i = 0; i < n; i++) s = ex(b, args[i], s, ctx);
        return s;
    }
    return ex_isolated(b, args, n, s, ctx);
}

/* A list literal (a `[h | t]` tail is `{:|, _, [h, t]}` as the last element). */
static st ex_list(bld *b, exs_ref r, st s, int ctx) {
    const exs_term *l = T(b, r);
    if (ctx == CTX_MATCH) {
        for (uint32_t i = 0; i < l->len; i++) {
            exs_ref e = l->v.kids[i];
            if (i + 1 == l->len && is_named(b, e, "|", 2)) {
                s = ex(b, call_args(b, e)->v.kids[0], s, ctx);
                s = ex(b, call_args(b, e)->v.kids[1], s, ctx);
            } else {
                s = ex(b, e, s, ctx);
            }
        }
        return s;
    }
    st acc = prepare_write(s);
    for (uint32_t i = 0; i < l->len; i++) {
        exs_ref e = l->v.kids[i];
        if (i + 1 == l->len && is_named(b, e, "|", 2)) {
            acc = ex_arg(b, call_args(b, e)->v.kids[0], acc, s, ctx);
            acc = ex_arg(b, call_args(b, e)->v.kids[1], acc, s, ctx);
        } else {
            acc = ex_arg(b, e, acc, s, ctx);
        }
    }
    return close_write(b, acc, s);
}

/* A variable in a pattern: a new version, or a use of the one this pattern made. */
static st bind_var(bld *b, exs_ref node, const char *name, st s) {
    uint32_t id = name_find(b, name);
    if (id == VNONE) return s;
    uint32_t cur = map_get(b, s.read, id);
    if (cur != VNONE && cur >= s.pre_counter) {
        new_use(b, node, name, cur, DFG_USE_REPEAT);
        return s;
    }
    uint32_t v = new_def(b, node, name, id, cur != VNONE);
    if (v == VNONE) return s;
    s.read = map_set(b, s.read, id, v);
    if (s.write) s.write = map_set(b, s.write, id, v);
    return s;
}

static void read_var(bld *b, exs_ref node, const char *name, const void *map, int ctx) {
    uint32_t id = name_find(b, name);
    uint32_t v = id == VNONE ? VNONE : map_get(b, map, id);
    uint8_t kind = ctx == CTX_GUARD ? (b->in_size ? DFG_USE_SIZE : DFG_USE_GUARD) : DFG_USE_READ;
    new_use(b, node, name, v, kind);
}

static st ex_var(bld *b, exs_ref node, const char *name, st s, int ctx) {
    if (streq(name, "_") || is_special_var(name)) return s;
    if (ctx == CTX_MATCH) return bind_var(b, node, name, s);
    read_var(b, node, name, s.read, ctx);
    return s;
}

/* elixir_clauses:match/5 from a non-pattern context: `fn` runs the pattern with the
 * vars of `after` and the prematch of `before`. */
typedef st (*pat_fn)(bld *b, const exs_ref *pats, uint32_t n, st s, void *arg);

static st run_match(bld *b, pat_fn fn, const exs_ref *pats, uint32_t n, st after, st before,
                    void *arg) {
    st call = before;
    call.pre = before.read;
    call.pre_counter = b->def_count;
    call = with_vars(call, after);
    st r = fn(b, pats, n, call, arg);
    return with_vars(after, r);
}

static st pat_args(bld *b, const exs_ref *pats, uint32_t n, st s, void *arg) {
    (void)arg;
    return ex_args(b, pats, n, s, CTX_MATCH);
}

static st ex_guard(bld *b, exs_ref g, st s) {
    if (is_named(b, g, "when", 2)) {
        s = ex_guard(b, call_args(b, g)->v.kids[0], s);
        return ex_guard(b, call_args(b, g)->v.kids[1], s);
    }
    return ex(b, g, s, CTX_GUARD);
}

/* elixir_clauses:head/3: patterns (maybe `when`) of one clause, in a new match. */
static st ex_head(bld *b, const exs_ref *pats, uint32_t n, st s, uint8_t kind) {
    uint8_t saved = b->def_kind;
    b->def_kind = kind;
    st r;
    if (n == 1 && call_name(b, pats[0]) && streq(call_name(b, pats[0]), "when") &&
        call_args(b, pats[0])->len >= 2) {
        const exs_term *w = call_args(b, pats[0]);
        r = run_match(b, pat_args, w->v.kids, w->len - 1, s, s, NULL);
        st g = r;
        g.pre = s.pre;
        g.pre_counter = s.pre_counter;
        r = with_vars(s, ex_guard(b, w->v.kids[w->len - 1], g));
    } else {
        r = run_match(b, pat_args, pats, n, s, s, NULL);
    }
    b->def_kind = saved;
    return r;
}

enum { HEAD_PATTERN, HEAD_EXPR, HEAD_RESCUE };

static st ex_rescue_head(bld *b, exs_ref arg, st s) {
    uint8_t saved = b->def_kind;
    b->def_kind = DFG_DEF_RESCUE;
    st r = s;
    if (var_name(b, arg)) {
        r = run_match(b, pat_args, &arg, 1, s, s, NULL);
    } else if (is_named(b, arg, "in", 2)) {
        exs_ref l = call_args(b, arg)->v.kids[0], rr = call_args(b, arg)->v.kids[1];
        r = run_match(b, pat_args, &l, 1, s, s, NULL);
        r = ex(b, rr, r, CTX_NIL);
    } else {
        r = ex(b, arg, s, CTX_NIL);
    }
    b->def_kind = saved;
    return r;
}

/* One `left -> right` clause in its own scope; the state is unchanged after it. */
static void ex_clause(bld *b, exs_ref c, st s, int head, uint8_t kind) {
    if (!is_named(b, c, "->", 2)) {
        ex(b, c, s, CTX_NIL);
        return;
    }
    exs_ref left = call_args(b, c)->v.kids[0], right = call_args(b, c)->v.kids[1];
    const exs_term *l = T(b, left);
    st h = s;
    if (l->kind == EXS_TERM_LIST) {
        if (head == HEAD_PATTERN)
            h = ex_head(b, l->v.kids, l->len, s, kind);
        else if (head == HEAD_RESCUE && l->len == 1)
            h = ex_rescue_head(b, l->v.kids[0], s);
        else
            h = ex_args(b, l->v.kids, l->len, s, CTX_NIL);
    } else {
        h = ex(b, left, s, CTX_NIL);
    }
    ex(b, right, h, CTX_NIL);
}

/* All clauses of one option (`do: [a -> b, ...]`); anything else is one scope. */
static void ex_clauses(bld *b, exs_ref list, st s, int head, uint8_t kind) {
    if (list == EXS_REF_NONE) return;
    const exs_term *l = T(b, list);
    if (l->kind == EXS_TERM_LIST && l->len > 0 && is_named(b, l->v.kids[0], "->", 2)) {
        for (uint32_t i = 0; i < l->len; i++) ex_clause(b, l->v.kids[i], s, head, kind);
        return;
    }
    ex(b, list, s, CTX_NIL);
}

/* ---- bitstrings ------------------------------------------------------------------------ */

static st ex_spec_arg(bld *b, exs_ref e, st s, st orig, int ctx) {
    if (is_literal(b, e)) return s;
    if (ctx == CTX_MATCH) {
        bool saved = b->in_size;
        b->in_size = true;
        st r = ex(b, e, s, CTX_GUARD);
        b->in_size = saved;
        return r;
    }
    return ex(b, e, reset_read(s, orig), ctx);
}

static st ex_spec(bld *b, exs_ref spec, st s, st orig, int ctx) {
    const char *n = call_name(b, spec);
    if (n && call_args(b, spec)->len == 2 && streq(n, "-")) {
        s = ex_spec(b, call_args(b, spec)->v.kids[0], s, orig, ctx);
        return ex_spec(b, call_args(b, spec)->v.kids[1], s, orig, ctx);
    }
    if (n && call_args(b, spec)->len == 2 && streq(n, "*")) {
        exs_ref sz = call_args(b, spec)->v.kids[0], unit = call_args(b, spec)->v.kids[1];
        const char *vn = var_name(b, sz);
        if (!vn || !streq(vn, "_")) s = ex_spec_arg(b, sz, s, orig, ctx);
        return ex_spec_arg(b, unit, s, orig, ctx);
    }
    /* size(n), unit(n): n is an expression; bare names (binary, little...) are types;
     * other calls are user bittype macros, opaque. */
    if (n && call_args(b, spec)->len == 1 && (streq(n, "size") || streq(n, "unit")))
        return ex_spec_arg(b, call_args(b, spec)->v.kids[0], s, orig, ctx);
    return s;
}

/* `"#{x}"` in a pattern: Kernel.to_string(x) stands for x itself. */
static exs_ref unwrap_to_string(const bld *b, exs_ref e) {
    if (!is_node(b, e)) return e;
    exs_ref h = kid(b, e, 0);
    if (!is_named(b, h, ".", 2) || call_args(b, e)->len != 1) return e;
    if (!tree_is_atom(b->t, call_args(b, h)->v.kids[1], "to_string")) return e;
    return call_args(b, e)->v.kids[0];
}

static st ex_bits(bld *b, const exs_ref *segs, uint32_t n, st s, int ctx) {
    if (ctx == CTX_MATCH) {
        st orig = s;
        for (uint32_t i = 0; i < n; i++) {
            exs_ref e = segs[i];
            if (is_named(b, e, "::", 2)) {
                s = ex(b, unwrap_to_string(b, call_args(b, e)->v.kids[0]), s, ctx);
                s = ex_spec(b, call_args(b, e)->v.kids[1], s, orig, ctx);
            } else {
                s = ex(b, unwrap_to_string(b, e), s, ctx);
            }
        }
        return s;
    }
    st acc = prepare_write(s);
    for (uint32_t i = 0; i < n; i++) {
        exs_ref e = segs[i];
        if (is_named(b, e, "::", 2)) {
            acc = ex_arg(b, call_args(b, e)->v.kids[0], acc, s, ctx);
            acc = ex_spec(b, call_args(b, e)->v.kids[1], acc, s, ctx);
        } else {
            acc = ex_arg(b, e, acc, s, ctx);
        }
    }
    return close_write(b, acc, s);
}

static st pat_bits(bld *b, const exs_ref *segs, uint32_t n, st s, void *arg) {
    (void)arg;
    return ex_bits(b, segs, n, s, CTX_MATCH);
}

/* ---- special forms ---------------------------------------------------------------------- */

/* try (and a def with rescue/catch/else/after): every option is its own scope. */
static void ex_try_opts(bld *b, exs_ref kw, st s) {
    const exs_term *l = T(b, kw);
    for (uint32_t i = 0; i < l->len; i++) {
        const exs_term *p = T(b, l->v.kids[i]);
        exs_ref key = p->v.kids[0], val = p->v.kids[1];
        if (tree_is_atom(b->t, key, "do") || tree_is_atom(b->t, key, "after"))
            ex(b, val, s, CTX_NIL);
        else if (tree_is_atom(b->t, key, "rescue"))
            ex_clauses(b, val, s, HEAD_RESCUE, DFG_DEF_RESCUE);
        else
            ex_clauses(b, val, s, HEAD_PATTERN, DFG_DEF_CLAUSE);
    }
}

static st ex_case(bld *b, const exs_ref *args, uint32_t n, st s) {
    s = ex(b, args[0], s, CTX_NIL);
    if (n == 2 && is_keyword(b, args[1]))
        ex_clauses(b, tree_kw_get(b->t, args[1], "do"), s, HEAD_PATTERN, DFG_DEF_CLAUSE);
    else if (n == 2)
        ex(b, args[1], s, CTX_NIL);
    return s;
}

static st ex_receive(bld *b, exs_ref kw, st s) {
    if (!is_keyword(b, kw)) return ex(b, kw, s, CTX_NIL);
    exs_ref d = tree_kw_get(b->t, kw, "do");
    if (d != EXS_REF_NONE && !(is_named(b, d, "__block__", 0)))
        ex_clauses(b, d, s, HEAD_PATTERN, DFG_DEF_CLAUSE);
    ex_clauses(b, tree_kw_get(b->t, kw, "after"), s, HEAD_EXPR, DFG_DEF_CLAUSE);
    return s;
}

/* `pat <- expr` in with/for: expr sees the chain; its own bindings are dropped
 * (reset_read) before the pattern binds. */
static st ex_arrow(bld *b, exs_ref arrow, st chain, uint8_t kind) {
    exs_ref left = call_args(b, arrow)->v.kids[0], right = call_args(b, arrow)->v.kids[1];
    st sr = ex(b, right, chain, CTX_NIL);
    st sm = reset_read(sr, chain);
    return ex_head(b, &left, 1, sm, kind);
}

static st ex_with(bld *b, const exs_ref *args, uint32_t n, st s) {
    uint32_t nexpr = n;
    exs_ref opts = EXS_REF_NONE;
    if (n > 0 && is_keyword(b, args[n - 1])) {
        opts = args[n - 1];
        nexpr = n - 1;
    }
    st chain = s;
    for (uint32_t i = 0; i < nexpr; i++) {
        if (is_named(b, args[i], "<-", 2))
            chain = ex_arrow(b, args[i], chain, DFG_DEF_WITH);
        else
            chain = ex(b, args[i], chain, CTX_NIL);
    }
    if (opts != EXS_REF_NONE) {
        exs_ref d = tree_kw_get(b->t, opts, "do");
        if (d != EXS_REF_NONE) ex(b, d, chain, CTX_NIL);
        ex_clauses(b, tree_kw_get(b->t, opts, "else"), s, HEAD_PATTERN, DFG_DEF_CLAUSE);
    }
    return s;
}

static st ex_for(bld *b, const exs_ref *args, uint32_t n, st s) {
    /* options: the last keyword list, and the one before it when the do-block came
     * separately (`for x <- l, into: %{} do ... end`) */
    uint32_t ncases = n;
    exs_ref o1 = EXS_REF_NONE, o2 = EXS_REF_NONE;
    if (ncases > 0 && is_keyword(b, args[ncases - 1])) o2 = args[--ncases];
    if (ncases > 0 && o2 != EXS_REF_NONE && is_keyword(b, args[ncases - 1])) o1 = args[--ncases];
    exs_ref body = EXS_REF_NONE;
    bool reduce = false;
    st acc = prepare_write(s);
    for (int k = 0; k < 2; k++) {
        exs_ref o = k == 0 ? o1 : o2;
        if (o == EXS_REF_NONE) continue;
        const exs_term *l = T(b, o);
        for (uint32_t i = 0; i < l->len; i++) {
            const exs_term *p = T(b, l->v.kids[i]);
            if (tree_is_atom(b->t, p->v.kids[0], "do")) {
                body = p->v.kids[1];
                continue;
            }
            if (tree_is_atom(b->t, p->v.kids[0], "reduce")) reduce = true;
            acc = ex_arg(b, p->v.kids[1], acc, s, CTX_NIL);
        }
    }
    st chain = close_write(b, acc, s);
    for (uint32_t i = 0; i < ncases; i++) {
        exs_ref c = args[i];
        if (is_named(b, c, "<-", 2)) {
            chain = ex_arrow(b, c, chain, DFG_DEF_GENERATOR);
            continue;
        }
        const char *cn = call_name(b, c);
        const exs_term *ca = cn ? call_args(b, c) : NULL;
        if (cn && streq(cn, "<<>>") && ca->len > 0 && is_named(b, ca->v.kids[ca->len - 1], "<-", 2)) {
            exs_ref arrow = ca->v.kids[ca->len - 1];
            st sr = ex(b, call_args(b, arrow)->v.kids[1], chain, CTX_NIL);
            st sm = reset_read(sr, chain);
            exs_ref *segs = arena_alloc(b->scratch, ca->len * sizeof(exs_ref));
            if (!segs) {
                b->failed = true;
                return s;
            }
            copy_refs(segs, ca->v.kids, ca->len - 1);
            segs[ca->len - 1] = call_args(b, arrow)->v.kids[0];
            uint8_t saved = b->def_kind;
            b->def_kind = DFG_DEF_GENERATOR;
            chain = run_match(b, pat_bits, segs, ca->len, sm, sm, NULL);
            b->def_kind = saved;
            continue;
        }
        chain = ex(b, c, chain, CTX_NIL); /* a filter: its bindings are visible after */
    }
    if (body != EXS_REF_NONE) {
        if (reduce)
            ex_clauses(b, body, chain, HEAD_PATTERN, DFG_DEF_CLAUSE);
        else
            ex(b, body, chain, CTX_NIL);
    }
    return s;
}

static st ex_fn(bld *b, const exs_ref *args, uint32_t n, st s) {
    b->depth++;
    for (uint32_t i = 0; i < n; i++) ex_clause(b, args[i], s, HEAD_PATTERN, DFG_DEF_CLAUSE);
    b->depth--;
    return s;
}

static st ex_capture(bld *b, exs_ref arg, st s) {
    if (T(b, arg)->kind == EXS_TERM_INT) return s;
    if (is_named(b, arg, "/", 2) && T(b, call_args(b, arg)->v.kids[1])->kind == EXS_TERM_INT) {
        exs_ref f = call_args(b, arg)->v.kids[0];
        if (var_name(b, f)) return s; /* &name/arity: a function, not a variable */
        if (is_node(b, f) && is_named(b, kid(b, f, 0), ".", 2) &&
            T(b, kid(b, f, 2))->kind == EXS_TERM_LIST && T(b, kid(b, f, 2))->len == 0)
            return ex(b, call_args(b, kid(b, f, 0))->v.kids[0], s, CTX_NIL); /* &m.f/2 */
    }
    /* any other capture is `fn &1, ... -> expr end` */
    b->depth++;
    ex(b, arg, s, CTX_NIL);
    b->depth--;
    return s;
}

/* Inside quote only unquote/unquote_splicing arguments run (in the enclosing scope);
 * nested quotes quote their unquotes. */
static st ex_unquotes(bld *b, exs_ref r, st s) {
    const exs_term *n = T(b, r);
    if (n->kind != EXS_TERM_LIST && n->kind != EXS_TERM_TUPLE) return s;
    const char *cn = call_name(b, r);
    if (cn && call_args(b, r)->len == 1 &&
        (streq(cn, "unquote") || streq(cn, "unquote_splicing")))
        return ex(b, call_args(b, r)->v.kids[0], s, CTX_NIL);
    if (cn && streq(cn, "quote")) return s;
    /* `:erlang.unquote(name)(args)`: a remote call named unquote is an unquote of the
     * function name (elixir_quote's {{'.', _, [Left, unquote]}, _, [Expr]}) */
    if (is_node(b, r) && T(b, kid(b, r, 2))->kind == EXS_TERM_LIST && call_args(b, r)->len == 1 &&
        is_named(b, kid(b, r, 0), ".", 2) &&
        tree_is_atom(b->t, call_args(b, kid(b, r, 0))->v.kids[1], "unquote"))
        return ex(b, call_args(b, r)->v.kids[0], s, CTX_NIL);
    for (uint32_t i = 0; i < n->len; i++)
        if (T(b, n->v.kids[i])->kind != EXS_TERM_META) s = ex_unquotes(b, n->v.kids[i], s);
    return s;
}

static st ex_quote(bld *b, const exs_ref *args, uint32_t n, st s) {
    exs_ref opts = args[0], body = EXS_REF_NONE;
    if (n == 2 && is_keyword(b, args[1])) body = tree_kw_get(b->t, args[1], "do");
    bool unquote = true;
    if (is_keyword(b, opts)) {
        const exs_term *l = T(b, opts);
        if (tree_kw_get(b->t, opts, "bind_quoted") != EXS_REF_NONE) unquote = false;
        exs_ref u = tree_kw_get(b->t, opts, "unquote");
        if (u != EXS_REF_NONE) unquote = !tree_is_atom(b->t, u, "false");
        for (uint32_t i = 0; i < l->len; i++) {
            const exs_term *p = T(b, l->v.kids[i]);
            if (tree_is_atom(b->t, p->v.kids[0], "do"))
                body = p->v.kids[1];
            else
                s = ex(b, p->v.kids[1], s, CTX_NIL);
        }
    } else {
        s = ex(b, opts, s, CTX_NIL);
    }
    if (unquote && body != EXS_REF_NONE) s = ex_unquotes(b, body, s);
    return s;
}

/* if/unless: the condition in the current scope, each branch in its own. */
static st ex_if(bld *b, const exs_ref *args, st s) {
    s = ex(b, args[0], s, CTX_NIL);
    const exs_term *l = T(b, args[1]);
    for (uint32_t i = 0; i < l->len; i++) ex(b, T(b, l->v.kids[i])->v.kids[1], s, CTX_NIL);
    return s;
}

/* binding(): a use of every visible variable. */
static void ex_binding(bld *b, exs_ref node, const void *map) {
    for (uint32_t i = 0; i < b->name_count; i++) {
        uint32_t v = map_get(b, map, i);
        if (v != VNONE) new_use(b, node, b->names[i], v, DFG_USE_BINDING);
    }
}

/* `left |> f(a)` is `f(left, a)`. */
static st ex_pipe(bld *b, exs_ref left, exs_ref right, st s, int ctx) {
    /* `x |> name` is the call name(x) (Macro.pipe), even when a variable `name` is
     * visible */
    if (var_name(b, right)) return ex(b, left, s, ctx);
    if (!is_node(b, right) || T(b, kid(b, right, 2))->kind != EXS_TERM_LIST) {
        exs_ref two[2] = {left, right};
        return ex_args(b, two, 2, s, ctx);
    }
    const exs_term *ra = call_args(b, right);
    exs_ref *args = arena_alloc(b->scratch, (ra->len + 2) * sizeof(exs_ref));
    if (!args) {
        b->failed = true;
        return s;
    }
    exs_ref h = kid(b, right, 0);
    if (T(b, h)->kind == EXS_TERM_ATOM) {
        args[0] = left;
        copy_refs(args + 1, ra->v.kids, ra->len);
        return ex_call(b, right, T(b, h)->v.s, args, ra->len + 1, s, ctx);
    }
    if (is_named(b, h, ".", 2)) { /* remote: receiver, piped value, arguments */
        args[0] = call_args(b, h)->v.kids[0];
        args[1] = left;
        copy_refs(args + 2, ra->v.kids, ra->len);
        return ex_isolated(b, args, ra->len + 2, s, ctx);
    }
    if (is_named(b, h, ".", 1)) args[0] = call_args(b, h)->v.kids[0];
    else args[0] = h;
    args[1] = left;
    copy_refs(args + 2, ra->v.kids, ra->len);
    return ex_args(b, args, ra->len + 2, s, ctx);
}

static st ex_call(bld *b, exs_ref node, const char *name, const exs_ref *args, uint32_t n,
                  st s, int ctx) {
    switch (name[0]) {
    case '=':
        if (n == 2 && streq(name, "=")) {
            st sr = ex(b, args[1], s, ctx);
            if (ctx == CTX_MATCH) return ex(b, args[0], sr, ctx);
            uint8_t saved = b->def_kind;
            b->def_kind = DFG_DEF_MATCH;
            st r = run_match(b, pat_args, &args[0], 1, sr, s, NULL);
            b->def_kind = saved;
            return r;
        }
        break;
    case '^':
        if (n == 1 && streq(name, "^") && ctx == CTX_MATCH) {
            const char *v = var_name(b, args[0]);
            if (v) {
                /* ^x reads the version visible before the match began */
                if (!streq(v, "_") && !is_special_var(v)) {
                    uint32_t id = name_find(b, v);
                    const void *m = s.pre ? s.pre : s.read;
                    new_use(b, args[0], v, id == VNONE ? VNONE : map_get(b, m, id), DFG_USE_PIN);
                }
                return s;
            }
            return with_vars(s, ex(b, args[0], s, CTX_NIL));
        }
        break;
    case '<':
        if (streq(name, "<<>>")) return ex_bits(b, args, n, s, ctx);
        break;
    case '&':
        if (n == 1 && streq(name, "&")) return ex_capture(b, args[0], s);
        if (n == 2 && streq(name, "&&") && ctx == CTX_NIL) {
            s = ex(b, args[0], s, ctx);
            ex(b, args[1], s, ctx);
            return s;
        }
        break;
    case '|':
        if (n == 2 && streq(name, "||") && ctx == CTX_NIL) {
            s = ex(b, args[0], s, ctx);
            ex(b, args[1], s, ctx);
            return s;
        }
        if (n == 2 && streq(name, "|>")) return ex_pipe(b, args[0], args[1], s, ctx);
        break;
    case '@':
        if (streq(name, "@")) return s; /* module attribute, not a variable */
        break;
    case '_':
        if (streq(name, "__block__")) {
            for (uint32_t i = 0; i < n; i++) s = ex(b, args[i], s, ctx);
            return s;
        }
        if (streq(name, "__aliases__")) {
            for (uint32_t i = 0; i < n; i++) s = ex(b, args[i], s, ctx);
            return s;
        }
        break;
    case 'a':
        /* alias/require/import with 1 or 2 arguments are directives (module names,
         * no variables); with more they are local calls */
        if (streq(name, "alias") && n <= 2) return s;
        if (n == 2 && streq(name, "and") && ctx == CTX_NIL) {
            s = ex(b, args[0], s, ctx);
            ex(b, args[1], s, ctx);
            return s;
        }
        break;
    case 'b':
        if (streq(name, "binding") &&
            (n == 0 || (n == 1 && tree_is_atom(b->t, args[0], "nil")))) {
            ex_binding(b, node, ctx == CTX_MATCH && s.pre ? s.pre : s.read);
            return s;
        }
        break;
    case 'c':
        if (n >= 1 && streq(name, "case")) return ex_case(b, args, n, s);
        if (n == 1 && streq(name, "cond")) {
            if (is_keyword(b, args[0]))
                ex_clauses(b, tree_kw_get(b->t, args[0], "do"), s, HEAD_EXPR, DFG_DEF_CLAUSE);
            else
                ex(b, args[0], s, CTX_NIL);
            return s;
        }
        break;
    case 'd':
        if (n == 2 && streq(name, "destructure")) {
            exs_ref eq[2] = {args[0], args[1]};
            return ex_call(b, node, "=", eq, 2, s, ctx);
        }
        break;
    case 'f':
        if (streq(name, "fn")) return ex_fn(b, args, n, s);
        if (n >= 1 && streq(name, "for")) return ex_for(b, args, n, s);
        break;
    case 'i':
        if (n == 2 && (streq(name, "if")) && is_keyword(b, args[1]) && ctx == CTX_NIL)
            return ex_if(b, args, s);
        if (streq(name, "import") && n <= 2) return s;
        break;
    case 'm':
        if (n == 2 && streq(name, "match?") && ctx == CTX_NIL) {
            s = ex(b, args[1], s, ctx);
            ex_head(b, &args[0], 1, s, DFG_DEF_MATCHQ);
            return s;
        }
        break;
    case 'o':
        if (n == 2 && streq(name, "or") && ctx == CTX_NIL) {
            s = ex(b, args[0], s, ctx);
            ex(b, args[1], s, ctx);
            return s;
        }
        break;
    case 'q':
        if (n >= 1 && n <= 2 && streq(name, "quote")) return ex_quote(b, args, n, s);
        break;
    case 'r':
        if (n == 1 && streq(name, "receive")) return ex_receive(b, args[0], s);
        if (streq(name, "require") && n <= 2) return s;
        break;
    case 't':
        if (n == 1 && streq(name, "try")) {
            if (is_keyword(b, args[0]))
                ex_try_opts(b, args[0], s);
            else
                ex(b, args[0], s, CTX_NIL);
            return s;
        }
        break;
    case 'u':
        if (n == 2 && streq(name, "unless") && is_keyword(b, args[1]) && ctx == CTX_NIL)
            return ex_if(b, args, s);
        /* unquote outside quote: an unquote fragment of the module body */
        if (streq(name, "unquote") || streq(name, "unquote_splicing")) return s;
        break;
    case 'v':
        if (streq(name, "var!") && n >= 1 && n <= 2 && var_name(b, args[0])) {
            /* var!(x, Ctx) with a non-nil context is a macro-context variable, not a
             * source one (never warned); the context is expanded at compile time */
            if (n == 2 && !tree_is_atom(b->t, args[1], "nil")) return s;
            return ex_var(b, args[0], var_name(b, args[0]), s, ctx);
        }
        break;
    case 'w':
        if (n >= 1 && streq(name, "with")) return ex_with(b, args, n, s);
        break;
    case '-':
        if (n == 2 && streq(name, "->")) {
            ex_clause(b, node, s, HEAD_PATTERN, DFG_DEF_CLAUSE);
            return s;
        }
        break;
    default:
        break;
    }
    return ex_args(b, args, n, s, ctx);
}

/* `Kernel` written as an alias. */
static bool is_kernel_alias(const bld *b, exs_ref r) {
    if (!is_named(b, r, "__aliases__", 1)) return false;
    return tree_is_atom(b->t, call_args(b, r)->v.kids[0], "Kernel");
}

/* The Kernel macros ex_call gives their own rules. */
static bool is_scoping_macro(const char *n) {
    static const char *const names[] = {"if", "unless", "&&", "||", "and", "or", "|>",
                                        "match?", "destructure", "binding", "var!", NULL};
    for (const char *const *p = names; *p; p++)
        if (streq(*p, n)) return true;
    return false;
}

static st ex(bld *b, exs_ref r, st s, int ctx) {
    if (b->failed) return s;
    const exs_term *n = T(b, r);
    switch (n->kind) {
    case EXS_TERM_LIST:
        return ex_list(b, r, s, ctx);
    case EXS_TERM_TUPLE:
        break;
    default:
        return s;
    }
    if (n->len == 2) return ex_args(b, n->v.kids, 2, s, ctx);
    if (!is_node(b, r)) return s;
    exs_ref h = n->v.kids[0];
    const exs_term *hn = T(b, h), *an = T(b, n->v.kids[2]);
    if (hn->kind == EXS_TERM_ATOM && an->kind == EXS_TERM_ATOM)
        return ex_var(b, r, hn->v.s, s, ctx);
    if (an->kind != EXS_TERM_LIST) return s;
    if (hn->kind == EXS_TERM_ATOM) return ex_call(b, r, hn->v.s, an->v.kids, an->len, s, ctx);
    if (is_named(b, h, ".", 2)) {
        exs_ref recv = call_args(b, h)->v.kids[0];
        const char *rv = var_name(b, recv);
        if (rv && streq(rv, "__ENV__")) return s;
        /* Kernel.binding(), Kernel.match?(p, e)...: the macros with their rules */
        exs_ref fname = call_args(b, h)->v.kids[1];
        if (is_kernel_alias(b, recv) && T(b, fname)->kind == EXS_TERM_ATOM &&
            is_scoping_macro(T(b, fname)->v.s))
            return ex_call(b, r, T(b, fname)->v.s, an->v.kids, an->len, s, ctx);
        exs_ref *args = arena_alloc(b->scratch, (an->len + 1) * sizeof(exs_ref));
        if (!args) {
            b->failed = true;
            return s;
        }
        args[0] = recv;
        copy_refs(args + 1, an->v.kids, an->len);
        if (ctx == CTX_MATCH) return ex_args(b, args, an->len + 1, s, ctx);
        return ex_isolated(b, args, an->len + 1, s, ctx);
    }
    if (is_named(b, h, ".", 1)) { /* fun.(args) */
        exs_ref *args = arena_alloc(b->scratch, (an->len + 1) * sizeof(exs_ref));
        if (!args) {
            b->failed = true;
            return s;
        }
        args[0] = call_args(b, h)->v.kids[0];
        copy_refs(args + 1, an->v.kids, an->len);
        return ex_args(b, args, an->len + 1, s, ctx);
    }
    /* another head (unquote(name)(args), a call's result called): head, then args */
    s = ex(b, h, s, ctx);
    return ex_args(b, an->v.kids, an->len, s, ctx);
}

/* ---- def clauses -------------------------------------------------------------------------- */

static exs_status ex_def(bld *b, exs_ref def) {
    if (!is_node(b, def) || T(b, kid(b, def, 2))->kind != EXS_TERM_LIST) return EXS_ERR_ARG;
    const exs_term *da = call_args(b, def);
    if (da->len == 0) return EXS_OK;
    const char *kind = T(b, kid(b, def, 0))->kind == EXS_TERM_ATOM ? T(b, kid(b, def, 0))->v.s : "";
    bool is_guard = streq(kind, "defguard") || streq(kind, "defguardp");
    bool is_delegate = streq(kind, "defdelegate");
    exs_ref head = da->v.kids[0], guard = EXS_REF_NONE;
    exs_ref body_kw = da->len >= 2 && is_keyword(b, da->v.kids[1]) ? da->v.kids[1] : EXS_REF_NONE;
    if (is_named(b, head, "when", 2)) {
        guard = call_args(b, head)->v.kids[1];
        head = call_args(b, head)->v.kids[0];
    }
    bool has_body = body_kw != EXS_REF_NONE && tree_kw_get(b->t, body_kw, "do") != EXS_REF_NONE;
    if (is_delegate) has_body = false;
    b->nowarn = !has_body && !is_guard;
    uint32_t first_def = b->def_count;

    st s = {.read = b->empty, .write = NULL, .pre = b->empty, .pre_counter = b->def_count};
    if (is_node(b, head) && T(b, kid(b, head, 2))->kind == EXS_TERM_LIST) {
        const exs_term *pa = call_args(b, head);
        exs_ref *pats = arena_alloc(b->scratch, (pa->len + 1) * sizeof(exs_ref));
        if (!pats) return EXS_ERR_NOMEM;
        for (uint32_t i = 0; i < pa->len; i++) {
            exs_ref p = pa->v.kids[i];
            if (is_named(b, p, "\\\\", 2)) {
                /* defaults are expanded before the clause, with no variables */
                st d = {.read = b->empty, .write = NULL, .pre = NULL, .pre_counter = 0};
                ex(b, call_args(b, p)->v.kids[1], d, CTX_NIL);
                p = call_args(b, p)->v.kids[0];
            }
            pats[i] = p;
        }
        b->def_kind = DFG_DEF_PARAM;
        s = ex_args(b, pats, pa->len, s, CTX_MATCH);
    }
    s.pre = NULL;
    if (guard != EXS_REF_NONE) s = ex_guard(b, guard, s);
    if (is_delegate)
        for (uint32_t v = first_def; v < b->def_count; v++)
            new_use(b, def, b->defs[v].name, v, DFG_USE_DELEGATE);
    if (!has_body) return EXS_OK;
    const exs_term *kw = T(b, body_kw);
    if (kw->len == 1)
        ex(b, tree_kw_get(b->t, body_kw, "do"), s, CTX_NIL);
    else
        ex_try_opts(b, body_kw, s);
    return EXS_OK;
}

/* ---- results -------------------------------------------------------------------------- */

static int cmp_unused(const void *pa, const void *pb, const dfg_def *defs) {
    const dfg_def *a = &defs[*(const uint32_t *)pa], *b = &defs[*(const uint32_t *)pb];
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->column != b->column) return a->column < b->column ? -1 : 1;
    return *(const uint32_t *)pa < *(const uint32_t *)pb ? -1 : 1;
}

/* insertion sort: findings are few */
static void sort_unused(uint32_t *u, uint32_t n, const dfg_def *defs) {
    for (uint32_t i = 1; i < n; i++) {
        uint32_t x = u[i], j = i;
        while (j > 0 && cmp_unused(&x, &u[j - 1], defs) < 0) {
            u[j] = u[j - 1];
            j--;
        }
        u[j] = x;
    }
}

static exs_status finish(bld *b, exs_arena *a, dfg_graph *out) {
    for (uint32_t v = 0; v < b->def_count; v++) {
        dfg_def *d = &b->defs[v];
        d->is_unused = d->use_count == 0 && d->name[0] != '_' && !b->def_nowarn[v];
    }
    out->def_count = b->def_count;
    out->use_count = b->use_count;
    out->defs = arena_memdup(a, b->defs, b->def_count * sizeof(dfg_def));
    out->uses = arena_memdup(a, b->uses, b->use_count * sizeof(dfg_use));
    uint32_t ne = 0, nu = 0;
    for (uint32_t i = 0; i < b->use_count; i++) ne += b->uses[i].def != VNONE;
    for (uint32_t v = 0; v < b->def_count; v++) nu += b->defs[v].is_unused;
    out->edges = arena_alloc(a, (ne ? ne : 1) * sizeof(dfg_edge));
    out->unused = arena_alloc(a, (nu ? nu : 1) * sizeof(uint32_t));
    if (arena_failed(a) || !out->edges || !out->unused || (!out->defs && b->def_count) ||
        (!out->uses && b->use_count))
        return EXS_ERR_NOMEM;
    /* edges sorted by def then use: counting sort over defs */
    uint32_t *start = calloc(b->def_count + 1, sizeof(uint32_t));
    if (!start) return EXS_ERR_NOMEM;
    for (uint32_t i = 0; i < b->use_count; i++)
        if (b->uses[i].def != VNONE) start[b->uses[i].def + 1]++;
    for (uint32_t v = 0; v < b->def_count; v++) start[v + 1] += start[v];
    for (uint32_t i = 0; i < b->use_count; i++) {
        uint32_t d = b->uses[i].def;
        if (d == VNONE) continue;
        out->edges[start[d]++] = (dfg_edge){.def = d, .use = i};
    }
    free(start);
    out->edge_count = ne;
    nu = 0;
    for (uint32_t v = 0; v < b->def_count; v++)
        if (b->defs[v].is_unused) out->unused[nu++] = v;
    sort_unused(out->unused, nu, out->defs);
    out->unused_count = nu;
    return EXS_OK;
}

exs_status dfg_build(const exs_tree *t, const uint64_t *ids, const exs_ref *clauses,
                     uint32_t n, exs_arena *a, dfg_graph *out) {
    memset(out, 0, sizeof(*out));
    bld b;
    memset(&b, 0, sizeof(b));
    b.t = t;
    b.ids = ids;
    exs_status rc = EXS_OK;
    for (uint32_t i = 0; i < n; i++) {
        if (clauses[i] >= t->count || !tree_is_call(t, clauses[i])) return EXS_ERR_ARG;
        collect_names(&b, clauses[i]);
    }
    b.scratch = arena_new(1 << 14);
    if (!b.scratch || b.failed) {
        rc = EXS_ERR_NOMEM;
        goto done;
    }
    b.levels = 1;
    for (uint64_t cap = 16; cap < b.name_count; cap *= 16) b.levels++;
    for (uint32_t i = 0; i < n && rc == EXS_OK && !b.failed; i++) {
        /* maps never outlive their clause: the scratch restarts with each one */
        arena_reset(b.scratch);
        b.empty = node_new(&b, b.levels - 1, NULL);
        b.clause = i;
        b.depth = 0;
        rc = ex_def(&b, clauses[i]);
    }
    if (rc == EXS_OK && (b.failed || arena_failed(b.scratch))) rc = EXS_ERR_NOMEM;
    if (rc == EXS_OK) rc = finish(&b, a, out);
done:
    if (rc != EXS_OK) memset(out, 0, sizeof(*out));
    arena_free(b.scratch);
    free(b.names);
    free(b.slots);
    free(b.defs);
    free(b.def_name);
    free(b.def_nowarn);
    free(b.uses);
    return rc;
}

const char *dfg_def_kind_name(dfg_def_kind k) {
    static const char *const names[] = {
#define X(name, str) str,
        DFG_DEF_KINDS(X)
#undef X
    };
    return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

const char *dfg_use_kind_name(dfg_use_kind k) {
    static const char *const names[] = {
#define X(name, str) str,
        DFG_USE_KINDS(X)
#undef X
    };
    return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}
