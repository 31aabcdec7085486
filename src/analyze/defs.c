/* defs.c: the definitions analyzer: modules and functions of one parsed file.
 *
 * Design: one recursive walk over the AST that mirrors how Elixir compiles module
 * bodies. `walk` classifies each expression of a body: defmodule/defprotocol/defimpl
 * open a nested module (name resolved like Kernel.defmodule: nested `B` in `A` is
 * A.B, `__MODULE__` is the enclosing module); def-family calls add a clause; module
 * attributes set the pending @doc/@impl of the next definition; directives are
 * recorded; `quote` is skipped (its definitions belong to whoever unquotes it, except
 * in `defmacro __using__`, where they are kept as templates with in_using set); any
 * other call (if, case, for, Enum.each, unknown macros) is descended with the
 * `conditional` flag. Function bodies are never descended.
 *
 * Invariants: results are built in malloc'd vectors during the walk and copied into
 * the caller's arena at the end (`finish`), grouped per module/function by a stable
 * counting sort, so the arena holds only final arrays. A function is identified by
 * (module, name, arity); a clause with default arguments belongs to every arity it
 * makes. The walk recurses once per AST nesting level, which the parser bounds
 * (EXS_DEFAULT_MAX_DEPTH). Allocation failure sets `oom` and the walk runs on;
 * defs_extract checks it once.
 *
 * Called by the populator (one file per job) and tests/tools/defsdump.c. */
#include "defs.h"

#include <stdlib.h>
#include <string.h>

/* ---- small growable vectors (malloc'd, freed at the end of defs_extract) ------------ */

typedef struct {
    void *data;
    uint32_t count, cap;
} vec;

static void *vec_push(vec *v, size_t size, bool *oom) {
    if (v->count == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 16;
        void *d = realloc(v->data, (size_t)cap * size);
        if (!d) {
            *oom = true;
            return NULL;
        }
        v->data = d;
        v->cap = cap;
    }
    void *p = (char *)v->data + (size_t)v->count++ * size;
    memset(p, 0, size);
    return p;
}

typedef struct {
    uint32_t owner; /* module or function index */
    const char *s;
} owned_str;

typedef struct {
    uint32_t owner;
    defs_directive d;
} owned_dir;

typedef struct {
    uint32_t owner;
    defs_clause c;
} owned_clause;

typedef struct {
    uint32_t module;
    const char *name;
    uint32_t arity;
} spec_key;

typedef struct {
    uint32_t module;
    const char *name;
    exs_ref value;
} attr_val;

typedef struct {
    uint32_t owner;
    exs_ref ref;
} owned_ref;

/* Pending module attributes: they apply to the next definition. */
typedef struct {
    uint8_t doc;
    const char *impl;
} pending;

typedef struct {
    const exs_tree *t;
    const uint64_t *ids;
    exs_arena *a;
    bool oom;
    vec mods;      /* defs_module */
    vec funs;      /* defs_function */
    vec clauses;   /* owned_clause (owner: function) */
    vec behaviours; /* owned_str (owner: module) */
    vec fields;    /* owned_str (owner: module) */
    vec dirs;      /* owned_dir (owner: module) */
    vec specs;     /* spec_key */
    vec derives;   /* owned_ref: @derive values per module, used by defstruct */
    vec attrs;     /* attr_val: list-valued module attributes, for `for x <- @attr` */
    /* per module: first function index, to bound the (module, name, arity) lookup */
    vec mod_first_fun; /* uint32_t */
} ctx;

/* A compile-time variable bound by `for var <- [literal list]` at module level, so
 * `def unquote(var)(...)` in its body has a known name per element. */
typedef struct binding {
    const char *var;
    exs_ref value;
    const struct binding *next;
} binding;

/* The walk's position: the module whose body we are in, and how we got there. */
typedef struct {
    const binding *bind;
    uint32_t module; /* DEFS_NONE outside any module */
    bool conditional;
    bool in_using;
    bool in_protocol; /* def heads of defprotocol */
    pending *pend;
} scope;

/* ---- AST helpers ------------------------------------------------------------------ */

static const exs_term *T(const ctx *c, exs_ref r) { return tree_get(c->t, r); }

static exs_ref kid(const ctx *c, exs_ref r, uint32_t i) { return T(c, r)->v.kids[i]; }

/* The atom name of a call `{name, meta, args}`, or NULL. */
static const char *call_name(const ctx *c, exs_ref r) {
    if (!tree_is_call(c->t, r)) return NULL;
    const exs_term *h = T(c, kid(c, r, 0));
    return h->kind == EXS_TERM_ATOM ? h->v.s : NULL;
}

/* Arguments of a call: a list, or NULL with *n = 0 for a variable-like `{name, meta, ctx}`. */
static const exs_ref *call_args(const ctx *c, exs_ref r, uint32_t *n) {
    if (!tree_is_call(c->t, r) || T(c, kid(c, r, 2))->kind != EXS_TERM_LIST) {
        *n = 0;
        return NULL;
    }
    const exs_term *a = T(c, kid(c, r, 2));
    *n = a->len;
    return a->v.kids;
}

static bool args_are_list(const ctx *c, exs_ref r) {
    return tree_is_call(c->t, r) && T(c, kid(c, r, 2))->kind == EXS_TERM_LIST;
}

static uint32_t line_of(const ctx *c, exs_ref r) {
    int64_t l = tree_meta_int(c->t, r, EXS_META_LINE);
    return l > 0 ? (uint32_t)l : 0;
}

static uint64_t id_of(const ctx *c, exs_ref r) { return c->ids ? c->ids[r] : 0; }

/* Names in a result are copies in the result's arena: the tree may go first. */
static const char *own(ctx *c, const char *s) {
    if (!s) return NULL;
    char *r = arena_strndup(c->a, s, strlen(s));
    if (!r) c->oom = true;
    return r;
}

static char *cat(ctx *c, const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *r = arena_alloc(c->a, la + lb + 2);
    if (!r) {
        c->oom = true;
        return NULL;
    }
    memcpy(r, a, la);
    r[la] = '.';
    memcpy(r + la + 1, b, lb + 1);
    return r;
}

static const char *module_name(const ctx *c, uint32_t m) {
    return m == DEFS_NONE ? NULL : ((const defs_module *)c->mods.data)[m].name;
}

/* A module name as written: `A.B` (an __aliases__ node, `Elixir.` dropped, a leading
 * `__MODULE__` replaced by the current module) or an atom (`:mod` for an Erlang name,
 * the plain name for `Elixir.X` atoms). NULL when not literal (unquote, @attr, var).
 * `*out_first` receives whether the first segment was a plain alias (the case where a
 * nested defmodule prefixes the enclosing module). */
static const char *alias_name(ctx *c, exs_ref r, uint32_t cur, bool *out_plain) {
    if (out_plain) *out_plain = false;
    const exs_term *n = T(c, r);
    if (n->kind == EXS_TERM_ATOM) {
        if (strncmp(n->v.s, "Elixir.", 7) == 0) return own(c, n->v.s + 7);
        if (strcmp(n->v.s, "nil") == 0 || strcmp(n->v.s, "true") == 0 ||
            strcmp(n->v.s, "false") == 0)
            return NULL;
        char *s = arena_alloc(c->a, n->len + 2);
        if (!s) {
            c->oom = true;
            return NULL;
        }
        s[0] = ':';
        memcpy(s + 1, n->v.s, n->len + 1);
        return s;
    }
    const char *cn = call_name(c, r);
    if (cn && strcmp(cn, "__MODULE__") == 0 && !args_are_list(c, r)) return module_name(c, cur);
    if (!cn || strcmp(cn, "__aliases__") != 0) return NULL;
    uint32_t k;
    const exs_ref *segs = call_args(c, r, &k);
    if (k == 0) return NULL;
    const char *acc = NULL;
    uint32_t i = 0;
    const exs_term *h = T(c, segs[0]);
    if (h->kind == EXS_TERM_ATOM) {
        if (strcmp(h->v.s, "Elixir") == 0) {
            if (k == 1) return NULL;
            i = 1;
        } else if (out_plain) {
            *out_plain = true;
        }
    } else {
        const char *hn = call_name(c, segs[0]);
        if (!hn || strcmp(hn, "__MODULE__") != 0 || args_are_list(c, segs[0])) return NULL;
        acc = module_name(c, cur);
        if (!acc) return NULL;
        i = 1;
    }
    for (; i < k; i++) {
        const exs_term *s = T(c, segs[i]);
        if (s->kind != EXS_TERM_ATOM) return NULL;
        acc = acc ? cat(c, acc, s->v.s) : own(c, s->v.s);
        if (!acc) return NULL;
    }
    return acc;
}

/* ---- records ---------------------------------------------------------------------- */

static uint32_t add_module(ctx *c, const char *name, defs_module_kind kind, exs_ref node,
                           const scope *s) {
    defs_module *m = vec_push(&c->mods, sizeof(defs_module), &c->oom);
    uint32_t *first = vec_push(&c->mod_first_fun, sizeof(uint32_t), &c->oom);
    if (!m || !first) return DEFS_NONE;
    *first = c->funs.count;
    m->name = name;
    m->kind = (uint8_t)kind;
    m->conditional = s->conditional;
    m->parent = s->module;
    m->node = node;
    m->node_id = id_of(c, node);
    m->line_first = line_of(c, node);
    return c->mods.count - 1;
}

static defs_module *mod_at(ctx *c, uint32_t m) { return &((defs_module *)c->mods.data)[m]; }

static void add_str(ctx *c, vec *v, uint32_t owner, const char *s) {
    owned_str *o = vec_push(v, sizeof(owned_str), &c->oom);
    if (!o) return;
    o->owner = owner;
    o->s = s;
}

/* The function (module, name, arity, in_using), created if new. Dynamic names always
 * make a new record. */
static uint32_t fun_get(ctx *c, uint32_t module, const char *name, uint32_t arity,
                        defs_fun_kind kind, const scope *s, bool *out_new) {
    defs_function *fs = c->funs.data;
    *out_new = false;
    if (name) {
        uint32_t first = ((uint32_t *)c->mod_first_fun.data)[module];
        for (uint32_t i = first; i < c->funs.count; i++)
            if (fs[i].module == module && fs[i].arity == arity && fs[i].name &&
                fs[i].in_using == s->in_using && strcmp(fs[i].name, name) == 0)
                return i;
    }
    defs_function *f = vec_push(&c->funs, sizeof(defs_function), &c->oom);
    if (!f) return DEFS_NONE;
    *out_new = true;
    f->module = module;
    f->name = own(c, name);
    f->arity = arity;
    f->kind = (uint8_t)kind;
    f->is_public = kind == DEFS_DEF || kind == DEFS_DEFMACRO || kind == DEFS_DEFGUARD ||
                   kind == DEFS_DEFDELEGATE;
    f->is_macro = kind == DEFS_DEFMACRO || kind == DEFS_DEFMACROP || kind == DEFS_DEFGUARD ||
                  kind == DEFS_DEFGUARDP;
    f->conditional = s->conditional;
    f->in_using = s->in_using;
    f->dynamic = name == NULL;
    return c->funs.count - 1;
}

/* A function the definition macros generate (no clause of its own). `only_if_new`:
 * skip when the user defined it (defexception's exception/1, message/1). */
static void add_generated(ctx *c, uint32_t module, const char *name, uint32_t arity,
                          exs_ref node, const scope *s) {
    bool is_new;
    uint32_t fi = fun_get(c, module, name, arity, DEFS_DEF, s, &is_new);
    if (fi == DEFS_NONE || !is_new) return;
    defs_function *f = &((defs_function *)c->funs.data)[fi];
    f->generated = true;
    f->line = line_of(c, node);
}

/* ---- definitions ------------------------------------------------------------------ */

static const struct {
    const char *name;
    defs_fun_kind kind;
} def_kinds[] = {
    {"def", DEFS_DEF},           {"defp", DEFS_DEFP},           {"defmacro", DEFS_DEFMACRO},
    {"defmacrop", DEFS_DEFMACROP}, {"defguard", DEFS_DEFGUARD}, {"defguardp", DEFS_DEFGUARDP},
    {"defdelegate", DEFS_DEFDELEGATE},
};

static int def_kind_of(const char *name) {
    if (!name || name[0] != 'd' || name[1] != 'e' || name[2] != 'f') return -1;
    for (size_t i = 0; i < sizeof(def_kinds) / sizeof(def_kinds[0]); i++)
        if (strcmp(name, def_kinds[i].name) == 0) return (int)def_kinds[i].kind;
    return -1;
}

/* `unquote(:name)` gives a known name; any other unquote is dynamic (NULL). */
static const char *head_name(ctx *c, exs_ref head, const scope *s, bool *out_dynamic) {
    *out_dynamic = false;
    exs_ref h = kid(c, head, 0);
    const exs_term *hn = T(c, h);
    if (hn->kind == EXS_TERM_ATOM) return hn->v.s;
    *out_dynamic = true;
    const char *un = call_name(c, h);
    if (un && strcmp(un, "unquote") == 0) {
        uint32_t n;
        const exs_ref *a = call_args(c, h, &n);
        exs_ref v = n == 1 ? a[0] : EXS_REF_NONE;
        /* a variable bound by an enclosing `for` over a literal list */
        const char *var = n == 1 && !args_are_list(c, v) ? call_name(c, v) : NULL;
        for (const binding *b = s->bind; var && b; b = b->next)
            if (strcmp(b->var, var) == 0) {
                v = b->value;
                break;
            }
        if (v != EXS_REF_NONE && T(c, v)->kind == EXS_TERM_ATOM) {
            *out_dynamic = false;
            return T(c, v)->v.s;
        }
    }
    return NULL;
}

static void def_clause(ctx *c, exs_ref node, defs_fun_kind kind, const scope *s) {
    if (s->module == DEFS_NONE) return;
    uint32_t n;
    const exs_ref *args = call_args(c, node, &n);
    if (n == 0 || n > 2) return;
    exs_ref head = args[0];
    bool has_guard = false;
    const char *hn0 = call_name(c, head);
    if (hn0 && strcmp(hn0, "when") == 0) {
        uint32_t wn;
        const exs_ref *w = call_args(c, head, &wn);
        if (wn == 2) {
            head = w[0];
            has_guard = true;
        }
    }
    const char *name = NULL;
    bool dynamic = true;
    uint32_t arity = 0, required = 0;
    if (tree_is_call(c->t, head)) {
        name = head_name(c, head, s, &dynamic);
        uint32_t an;
        const exs_ref *ha = call_args(c, head, &an);
        arity = an;
        for (uint32_t i = 0; i < an; i++) {
            const char *an_name = call_name(c, ha[i]);
            if (an_name && strcmp(an_name, "\\\\") == 0) continue;
            /* unquote_splicing(args) hides the arity */
            if (an_name && strcmp(an_name, "unquote_splicing") == 0) dynamic = true;
            required++;
        }
    }
    if (dynamic) name = NULL;
    bool bodiless = n == 1 && kind != DEFS_DEFGUARD && kind != DEFS_DEFGUARDP;
    if (kind == DEFS_DEFDELEGATE) bodiless = false;
    const pending *p = s->pend;
    for (uint32_t ar = dynamic ? arity : required; ar <= arity; ar++) {
        bool is_new;
        uint32_t fi = fun_get(c, s->module, name, ar, kind, s, &is_new);
        if (fi == DEFS_NONE) return;
        defs_function *f = &((defs_function *)c->funs.data)[fi];
        if (is_new) {
            f->line = line_of(c, node);
            f->default_of = ar < arity ? arity : 0;
            f->generated = s->in_protocol;
        } else {
            if (ar == arity) f->default_of = 0;
            if (!s->in_protocol) f->generated = false; /* a user override (exception/1) */
        }
        if (!s->conditional) f->conditional = false;
        if (p && p->doc && !f->doc) f->doc = p->doc;
        if (p && p->impl && !f->impl) f->impl = p->impl;
        owned_clause *oc = vec_push(&c->clauses, sizeof(owned_clause), &c->oom);
        if (!oc) return;
        oc->owner = fi;
        oc->c.line = line_of(c, node);
        oc->c.node = node;
        oc->c.node_id = id_of(c, node);
        oc->c.has_guard = has_guard;
        oc->c.bodiless = bodiless;
    }
    if (s->pend) {
        s->pend->doc = DEFS_DOC_NONE;
        s->pend->impl = NULL;
    }
}

/* ---- module attributes ------------------------------------------------------------- */

static void spec_attr(ctx *c, exs_ref v, const scope *s) {
    const char *n = call_name(c, v);
    if (n && strcmp(n, "when") == 0) {
        uint32_t k;
        const exs_ref *a = call_args(c, v, &k);
        if (k != 2) return;
        v = a[0];
        n = call_name(c, v);
    }
    if (!n || strcmp(n, "::") != 0) return;
    uint32_t k;
    const exs_ref *a = call_args(c, v, &k);
    if (k != 2 || !tree_is_call(c->t, a[0])) return;
    const exs_term *fn = T(c, kid(c, a[0], 0));
    if (fn->kind != EXS_TERM_ATOM) return;
    uint32_t ar;
    call_args(c, a[0], &ar);
    spec_key *sk = vec_push(&c->specs, sizeof(spec_key), &c->oom);
    if (!sk) return;
    sk->module = s->module;
    sk->name = fn->v.s;
    sk->arity = ar;
}

static void attribute(ctx *c, exs_ref node, const scope *s) {
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    if (n != 1 || s->module == DEFS_NONE) return;
    const char *attr = call_name(c, a[0]);
    if (!attr) return;
    uint32_t vn;
    const exs_ref *v = call_args(c, a[0], &vn);
    if (vn != 1) return;
    const exs_term *val = T(c, v[0]);
    bool is_false = tree_is_atom(c->t, v[0], "false") || tree_is_atom(c->t, v[0], "nil");
    if (val->kind == EXS_TERM_LIST && !s->in_using) {
        attr_val *av = vec_push(&c->attrs, sizeof(attr_val), &c->oom);
        if (av) {
            av->module = s->module;
            av->name = attr;
            av->value = v[0];
        }
    }
    if (strcmp(attr, "doc") == 0 || strcmp(attr, "moduledoc") == 0) {
        uint8_t d = is_false ? DEFS_DOC_FALSE : DEFS_DOC_STRING;
        if (attr[0] == 'd') {
            if (s->pend) s->pend->doc = d;
        } else if (!s->in_using) {
            mod_at(c, s->module)->moduledoc = d;
        }
    } else if (strcmp(attr, "impl") == 0) {
        if (!s->pend) return;
        if (val->kind == EXS_TERM_ATOM)
            s->pend->impl = own(c, val->v.s);
        else
            s->pend->impl = alias_name(c, v[0], s->module, NULL);
    } else if (strcmp(attr, "behaviour") == 0) {
        const char *b = alias_name(c, v[0], s->module, NULL);
        if (b && !s->in_using) add_str(c, &c->behaviours, s->module, b);
    } else if (strcmp(attr, "derive") == 0 && !s->in_using) {
        /* @derive P | {P, opts} | [P, {Q, opts}]: applied by the next defstruct */
        const exs_term *l = T(c, v[0]);
        uint32_t cnt = l->kind == EXS_TERM_LIST ? l->len : 1;
        for (uint32_t i = 0; i < cnt; i++) {
            exs_ref e = l->kind == EXS_TERM_LIST ? l->v.kids[i] : v[0];
            const exs_term *et = T(c, e);
            if (et->kind == EXS_TERM_TUPLE && et->len == 2) e = et->v.kids[0];
            owned_ref *o = vec_push(&c->derives, sizeof(owned_ref), &c->oom);
            if (!o) return;
            o->owner = s->module;
            o->ref = e;
        }
    } else if (strcmp(attr, "spec") == 0) {
        spec_attr(c, v[0], s);
    }
}

/* ---- directives -------------------------------------------------------------------- */

static const char *last_segment(const char *name) {
    const char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

static void add_directive(ctx *c, defs_directive_kind kind, const char *target, exs_ref opts,
                          exs_ref node, const scope *s) {
    owned_dir *o = vec_push(&c->dirs, sizeof(owned_dir), &c->oom);
    if (!o) return;
    o->owner = s->module;
    defs_directive *d = &o->d;
    d->kind = (uint8_t)kind;
    d->target = target;
    d->opts = opts;
    d->only = tree_kw_get(c->t, opts, "only");
    d->except = tree_kw_get(c->t, opts, "except");
    d->line = line_of(c, node);
    d->node = node;
    if (kind == DEFS_ALIAS) {
        exs_ref as = tree_kw_get(c->t, opts, "as");
        if (as != EXS_REF_NONE)
            d->as = alias_name(c, as, s->module, NULL);
        else if (target && target[0] != ':')
            d->as = last_segment(target);
    }
}

static void directive(ctx *c, exs_ref node, defs_directive_kind kind, const scope *s) {
    if (s->module == DEFS_NONE || s->in_using) return;
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    if (n < 1 || n > 2) return;
    exs_ref opts = n == 2 ? a[1] : EXS_REF_NONE;
    /* multi-alias `alias Foo.{A, B}`: {{:., _, [Foo, :{}]}, _, [A, B]} */
    exs_ref target = a[0];
    if (tree_is_call(c->t, target)) {
        const char *dn = call_name(c, kid(c, target, 0));
        exs_ref dot = kid(c, target, 0);
        if (dn && strcmp(dn, ".") == 0) {
            uint32_t dk;
            const exs_ref *da = call_args(c, dot, &dk);
            if (dk == 2 && tree_is_atom(c->t, da[1], "{}")) {
                const char *base = alias_name(c, da[0], s->module, NULL);
                uint32_t ik;
                const exs_ref *items = call_args(c, target, &ik);
                for (uint32_t i = 0; i < ik; i++) {
                    const char *leaf = alias_name(c, items[i], DEFS_NONE, NULL);
                    const char *full = base && leaf ? cat(c, base, leaf) : NULL;
                    add_directive(c, kind, full, opts, node, s);
                }
                return;
            }
        }
    }
    add_directive(c, kind, alias_name(c, target, s->module, NULL), opts, node, s);
}

/* ---- modules ----------------------------------------------------------------------- */

static void walk(ctx *c, exs_ref r, const scope *s);

/* The body of a `do:` keyword list. */
static exs_ref do_body(const ctx *c, exs_ref kw) { return tree_kw_get(c->t, kw, "do"); }

/* Largest line of any node in the subtree: a module's last line without `end:` meta. */
static uint32_t max_line(const ctx *c, exs_ref r) {
    const exs_term *n = T(c, r);
    uint32_t best = 0;
    if (n->kind == EXS_TERM_META) {
        int64_t l = tree_meta_int(c->t, r, EXS_META_LINE);
        best = l > 0 ? (uint32_t)l : 0;
        for (uint32_t i = 0; i < n->len; i++)
            if (n->v.kv[i].is_term) {
                uint32_t m = max_line(c, n->v.kv[i].value);
                if (m > best) best = m;
            }
        return best;
    }
    if (n->kind != EXS_TERM_LIST && n->kind != EXS_TERM_TUPLE) return 0;
    for (uint32_t i = 0; i < n->len; i++) {
        uint32_t m = max_line(c, n->v.kids[i]);
        if (m > best) best = m;
    }
    return best;
}

static void walk_body(ctx *c, exs_ref body, uint32_t module, const scope *outer, bool in_protocol) {
    pending p = {0};
    scope s = {.module = module,
               .conditional = false,
               .in_using = outer->in_using,
               .in_protocol = in_protocol,
               .pend = &p};
    if (body != EXS_REF_NONE) walk(c, body, &s);
}

static void finish_module(ctx *c, uint32_t m, exs_ref node) {
    if (m == DEFS_NONE) return;
    uint32_t last = max_line(c, node);
    defs_module *mod = mod_at(c, m);
    mod->line_last = last > mod->line_first ? last : mod->line_first;
}

static void defmodule(ctx *c, exs_ref node, const scope *s) {
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    if (n != 2 || s->in_using) return;
    bool plain;
    const char *name = alias_name(c, a[0], s->module, &plain);
    /* Kernel.defmodule: a nested plain alias `B` inside `A` is `A.B` */
    const char *outer = module_name(c, s->module);
    if (name && plain && outer) name = cat(c, outer, name);
    uint32_t m = add_module(c, name, DEFS_MOD_MODULE, node, s);
    if (m == DEFS_NONE) return;
    walk_body(c, do_body(c, a[1]), m, s, false);
    finish_module(c, m, node);
}

static void defprotocol(ctx *c, exs_ref node, const scope *s) {
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    if (n != 2 || s->in_using) return;
    bool plain;
    const char *name = alias_name(c, a[0], s->module, &plain);
    const char *outer = module_name(c, s->module);
    if (name && plain && outer) name = cat(c, outer, name);
    uint32_t m = add_module(c, name, DEFS_MOD_PROTOCOL, node, s);
    if (m == DEFS_NONE) return;
    scope gs = {.module = m, .conditional = false};
    add_generated(c, m, "__protocol__", 1, node, &gs);
    add_generated(c, m, "impl_for", 1, node, &gs);
    add_generated(c, m, "impl_for!", 1, node, &gs);
    walk_body(c, do_body(c, a[1]), m, s, true);
    finish_module(c, m, node);
}

/* defimpl P, for: T [do ... end]; `for:` may be a list (one impl each); without it the
 * enclosing module is the type. */
static void defimpl(ctx *c, exs_ref node, const scope *s) {
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    if (n < 2 || n > 3 || s->in_using) return;
    const char *proto = alias_name(c, a[0], s->module, NULL);
    exs_ref opts = a[1];
    exs_ref body = n == 3 ? do_body(c, a[2]) : do_body(c, a[1]);
    exs_ref fors = tree_kw_get(c->t, opts, "for");
    const exs_ref *targets = &fors;
    uint32_t tn = 1;
    if (fors != EXS_REF_NONE && T(c, fors)->kind == EXS_TERM_LIST) {
        targets = T(c, fors)->v.kids;
        tn = T(c, fors)->len;
    }
    for (uint32_t i = 0; i < tn; i++) {
        const char *type = targets[i] == EXS_REF_NONE ? module_name(c, s->module)
                                                      : alias_name(c, targets[i], s->module, NULL);
        const char *name = proto && type ? cat(c, proto, type[0] == ':' ? type + 1 : type) : NULL;
        uint32_t m = add_module(c, name, DEFS_MOD_IMPL, node, s);
        if (m == DEFS_NONE) return;
        mod_at(c, m)->protocol = proto;
        mod_at(c, m)->impl_for = type;
        scope gs = {.module = m, .conditional = false};
        add_generated(c, m, "__impl__", 1, node, &gs);
        walk_body(c, body, m, s, false);
        finish_module(c, m, node);
    }
}

static void defstruct(ctx *c, exs_ref node, const scope *s, bool exception) {
    if (s->module == DEFS_NONE || s->in_using) return;
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    defs_module *m = mod_at(c, s->module);
    if (m->kind == DEFS_MOD_MODULE || m->kind == DEFS_MOD_STRUCT)
        m->kind = exception ? DEFS_MOD_EXCEPTION : DEFS_MOD_STRUCT;
    bool has_message = false;
    if (n == 1 && T(c, a[0])->kind == EXS_TERM_LIST) {
        const exs_term *l = T(c, a[0]);
        for (uint32_t i = 0; i < l->len; i++) {
            const exs_term *e = T(c, l->v.kids[i]);
            const char *f = NULL;
            if (e->kind == EXS_TERM_ATOM)
                f = e->v.s;
            else if (e->kind == EXS_TERM_TUPLE && e->len == 2 &&
                     T(c, e->v.kids[0])->kind == EXS_TERM_ATOM)
                f = T(c, e->v.kids[0])->v.s;
            if (!f) {
                mod_at(c, s->module)->fields_dynamic = true;
                continue;
            }
            if (strcmp(f, "message") == 0) has_message = true;
            add_str(c, &c->fields, s->module, own(c, f));
        }
    } else {
        m->fields_dynamic = true;
    }
    scope gs = *s;
    gs.pend = NULL;
    /* @derive'd protocols: impl modules "P.<this module>" */
    const char *self = m->name;
    for (uint32_t i = 0; i < c->derives.count; i++) {
        owned_ref *d = &((owned_ref *)c->derives.data)[i];
        if (d->owner != s->module) continue;
        d->owner = DEFS_NONE; /* consumed */
        const char *proto = alias_name(c, d->ref, s->module, NULL);
        if (!proto || !self) continue;
        scope ds = {.module = s->module, .conditional = s->conditional};
        uint32_t im = add_module(c, cat(c, proto, self), DEFS_MOD_IMPL, node, &ds);
        if (im == DEFS_NONE) return;
        defs_module *imod = mod_at(c, im);
        imod->generated = true;
        imod->protocol = proto;
        imod->impl_for = self;
        imod->line_last = imod->line_first;
        scope is = {.module = im};
        add_generated(c, im, "__impl__", 1, node, &is);
    }
    add_generated(c, s->module, "__struct__", 0, node, &gs);
    add_generated(c, s->module, "__struct__", 1, node, &gs);
    if (exception) {
        /* Kernel.defexception: exception/1 always; message/1 when there is a
         * :message field. Both overridable: a user definition is the same function. */
        add_generated(c, s->module, "exception", 1, node, &gs);
        if (has_message) add_generated(c, s->module, "message", 1, node, &gs);
    }
}

/* ---- the walk ---------------------------------------------------------------------- */

/* defmacro __using__(...) do quote do BODY end end: BODY holds templates for `use`. */
static void using_templates(ctx *c, exs_ref node, const scope *s) {
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    if (n != 2 || s->in_using || s->module == DEFS_NONE) return;
    exs_ref head = a[0];
    const char *hn = call_name(c, head);
    if (hn && strcmp(hn, "when") == 0) {
        uint32_t wn;
        const exs_ref *w = call_args(c, head, &wn);
        if (wn != 2) return;
        head = w[0];
    }
    if (!tree_is_call(c->t, head) || !tree_is_atom(c->t, kid(c, head, 0), "__using__")) return;
    exs_ref body = do_body(c, a[1]);
    if (body == EXS_REF_NONE) return;
    /* the quote may be the whole body or the last expression of a block */
    const char *bn = call_name(c, body);
    if (bn && strcmp(bn, "__block__") == 0) {
        uint32_t k;
        const exs_ref *e = call_args(c, body, &k);
        if (k == 0) return;
        body = e[k - 1];
        bn = call_name(c, body);
    }
    if (!bn || strcmp(bn, "quote") != 0) return;
    uint32_t qn;
    const exs_ref *qa = call_args(c, body, &qn);
    if (qn == 0) return;
    exs_ref qbody = do_body(c, qa[qn - 1]);
    if (qbody == EXS_REF_NONE) return;
    pending p = {0};
    scope us = {.module = s->module, .conditional = false, .in_using = true, .pend = &p};
    walk(c, qbody, &us);
}

/* `Kernel.def`, `Record.defrecord`: the function name of a remote call on Kernel or
 * Record (the definition macros are sometimes written qualified). */
static const char *qualified_name(const ctx *c, exs_ref r) {
    if (!tree_is_call(c->t, r)) return NULL;
    exs_ref dot = kid(c, r, 0);
    const char *dn = call_name(c, dot);
    if (!dn || strcmp(dn, ".") != 0) return NULL;
    uint32_t k;
    const exs_ref *a = call_args(c, dot, &k);
    if (k != 2 || T(c, a[1])->kind != EXS_TERM_ATOM) return NULL;
    const char *an = call_name(c, a[0]);
    if (!an || strcmp(an, "__aliases__") != 0) return NULL;
    uint32_t sk;
    const exs_ref *segs = call_args(c, a[0], &sk);
    if (sk != 1) return NULL;
    if (!tree_is_atom(c->t, segs[0], "Kernel") && !tree_is_atom(c->t, segs[0], "Record"))
        return NULL;
    return T(c, a[1])->v.s;
}

/* The literal list a `for` generator runs over: [..] or @attr holding one. */
static exs_ref literal_list(const ctx *c, exs_ref r, uint32_t module) {
    if (T(c, r)->kind == EXS_TERM_LIST) return r;
    const char *n = call_name(c, r);
    if (!n || strcmp(n, "@") != 0 || module == DEFS_NONE) return EXS_REF_NONE;
    uint32_t k;
    const exs_ref *a = call_args(c, r, &k);
    const char *attr = k == 1 ? call_name(c, a[0]) : NULL;
    if (!attr || args_are_list(c, a[0])) return EXS_REF_NONE;
    const attr_val *av = c->attrs.data;
    for (uint32_t i = c->attrs.count; i-- > 0;)
        if (av[i].module == module && strcmp(av[i].name, attr) == 0) return av[i].value;
    return EXS_REF_NONE;
}

/* `for var <- LIST, do: body` with LIST literal: the body once per element, with var
 * bound, so `def unquote(var)(...)` has a name. False when not of that form. */
static bool for_literal(ctx *c, exs_ref r, const scope *s) {
    uint32_t k;
    const exs_ref *a = call_args(c, r, &k);
    if (k != 2 || s->module == DEFS_NONE) return false;
    const char *gn = call_name(c, a[0]);
    if (!gn || strcmp(gn, "<-") != 0) return false;
    uint32_t gk;
    const exs_ref *g = call_args(c, a[0], &gk);
    if (gk != 2 || args_are_list(c, g[0])) return false;
    const char *var = call_name(c, g[0]);
    exs_ref list = literal_list(c, g[1], s->module);
    exs_ref body = tree_kw_get(c->t, a[1], "do");
    if (!var || list == EXS_REF_NONE || body == EXS_REF_NONE) return false;
    const exs_term *l = T(c, list);
    for (uint32_t i = 0; i < l->len; i++) {
        binding b = {.var = var, .value = l->v.kids[i], .next = s->bind};
        scope bs = *s;
        bs.bind = &b;
        bs.conditional = true;
        walk(c, body, &bs);
    }
    return true;
}

/* Record.defrecord(:name, ...) makes the macros name/0, name/1 and name/2 (defrecordp:
 * private ones). */
static void defrecord(ctx *c, exs_ref r, bool is_private, const scope *s) {
    uint32_t k;
    const exs_ref *a = call_args(c, r, &k);
    if (k < 1 || s->module == DEFS_NONE || T(c, a[0])->kind != EXS_TERM_ATOM) return;
    for (uint32_t ar = 0; ar <= 2; ar++) {
        bool is_new;
        uint32_t fi = fun_get(c, s->module, T(c, a[0])->v.s, ar,
                              is_private ? DEFS_DEFMACROP : DEFS_DEFMACRO, s, &is_new);
        if (fi == DEFS_NONE || !is_new) continue;
        defs_function *f = &((defs_function *)c->funs.data)[fi];
        f->generated = true;
        f->line = line_of(c, r);
    }
}

static void walk(ctx *c, exs_ref r, const scope *s) {
    const exs_term *n = T(c, r);
    if (n->kind == EXS_TERM_LIST || (n->kind == EXS_TERM_TUPLE && !tree_is_call(c->t, r))) {
        scope cs = *s;
        cs.conditional = true;
        for (uint32_t i = 0; i < n->len; i++) walk(c, n->v.kids[i], &cs);
        return;
    }
    if (!tree_is_call(c->t, r)) return;
    const char *name = call_name(c, r);
    if (!name) name = qualified_name(c, r);
    if (name) {
        if (strcmp(name, "for") == 0 && for_literal(c, r, s)) return;
        if (strcmp(name, "defrecord") == 0 || strcmp(name, "defrecordp") == 0) {
            defrecord(c, r, name[9] == 'p', s);
            return;
        }
        int dk = def_kind_of(name);
        if (dk >= 0 && args_are_list(c, r)) {
            def_clause(c, r, (defs_fun_kind)dk, s);
            if (dk == DEFS_DEFMACRO) using_templates(c, r, s);
            return;
        }
        if (strcmp(name, "__block__") == 0) {
            uint32_t k;
            const exs_ref *e = call_args(c, r, &k);
            for (uint32_t i = 0; i < k; i++) walk(c, e[i], s);
            return;
        }
        if (strcmp(name, "defmodule") == 0) {
            defmodule(c, r, s);
            return;
        }
        if (strcmp(name, "defprotocol") == 0) {
            defprotocol(c, r, s);
            return;
        }
        if (strcmp(name, "defimpl") == 0) {
            defimpl(c, r, s);
            return;
        }
        if (strcmp(name, "defstruct") == 0) {
            defstruct(c, r, s, false);
            return;
        }
        if (strcmp(name, "defexception") == 0) {
            defstruct(c, r, s, true);
            return;
        }
        if (strcmp(name, "@") == 0) {
            attribute(c, r, s);
            return;
        }
        if (strcmp(name, "quote") == 0) return;
        if (strcmp(name, "use") == 0) {
            directive(c, r, DEFS_USE, s);
            return;
        }
        if (strcmp(name, "import") == 0) {
            directive(c, r, DEFS_IMPORT, s);
            return;
        }
        if (strcmp(name, "alias") == 0) {
            directive(c, r, DEFS_ALIAS, s);
            return;
        }
        if (strcmp(name, "require") == 0) {
            directive(c, r, DEFS_REQUIRE, s);
            return;
        }
    }
    /* any other call: if/case/for/Enum.each/unknown macros; its definitions compile
     * conditionally (or repeatedly) */
    scope cs = *s;
    cs.conditional = true;
    if (!args_are_list(c, r)) return;
    uint32_t k;
    const exs_ref *e = call_args(c, r, &k);
    if (!name) walk(c, kid(c, r, 0), &cs);
    for (uint32_t i = 0; i < k; i++) walk(c, e[i], &cs);
}

/* ---- result assembly ------------------------------------------------------------------ */

/* Copies items of `v` (each `size` bytes, an owner index first) grouped by owner into one
 * arena array; sets per owner its slice through `set`. Stable: source order is kept. */
typedef void (*slice_fn)(ctx *c, uint32_t owner, void *items, uint32_t count);

static void group(ctx *c, vec *v, size_t size, size_t payload_off, size_t payload_size,
                  uint32_t owners, slice_fn set) {
    if (v->count == 0 || owners == 0) return;
    uint32_t *cnt = calloc((size_t)owners + 1, sizeof(uint32_t));
    char *out = arena_alloc(c->a, (size_t)v->count * payload_size);
    if (!cnt || !out) {
        free(cnt);
        c->oom = true;
        return;
    }
    for (uint32_t i = 0; i < v->count; i++) {
        uint32_t o = *(uint32_t *)((char *)v->data + (size_t)i * size);
        if (o < owners) cnt[o + 1]++;
    }
    for (uint32_t i = 1; i <= owners; i++) cnt[i] += cnt[i - 1];
    uint32_t *pos = malloc((size_t)owners * sizeof(uint32_t));
    if (!pos) {
        free(cnt);
        c->oom = true;
        return;
    }
    memcpy(pos, cnt, (size_t)owners * sizeof(uint32_t));
    for (uint32_t i = 0; i < v->count; i++) {
        char *item = (char *)v->data + (size_t)i * size;
        uint32_t o = *(uint32_t *)item;
        if (o >= owners) continue;
        memcpy(out + (size_t)pos[o]++ * payload_size, item + payload_off, payload_size);
    }
    for (uint32_t o = 0; o < owners; o++)
        if (cnt[o + 1] > cnt[o])
            set(c, o, out + (size_t)cnt[o] * payload_size, cnt[o + 1] - cnt[o]);
    free(pos);
    free(cnt);
}

static void set_behaviours(ctx *c, uint32_t o, void *items, uint32_t count) {
    mod_at(c, o)->behaviours = items;
    mod_at(c, o)->behaviour_count = count;
}
static void set_fields(ctx *c, uint32_t o, void *items, uint32_t count) {
    mod_at(c, o)->fields = items;
    mod_at(c, o)->field_count = count;
}
static void set_dirs(ctx *c, uint32_t o, void *items, uint32_t count) {
    mod_at(c, o)->directives = items;
    mod_at(c, o)->directive_count = count;
}
static void set_clauses(ctx *c, uint32_t o, void *items, uint32_t count) {
    defs_function *f = &((defs_function *)c->funs.data)[o];
    f->clauses = items;
    f->clause_count = count;
}

static void mark_specs(ctx *c) {
    defs_function *fs = c->funs.data;
    const spec_key *sk = c->specs.data;
    for (uint32_t i = 0; i < c->specs.count; i++)
        for (uint32_t j = ((uint32_t *)c->mod_first_fun.data)[sk[i].module]; j < c->funs.count;
             j++)
            if (fs[j].module == sk[i].module && fs[j].arity == sk[i].arity && fs[j].name &&
                !fs[j].in_using && strcmp(fs[j].name, sk[i].name) == 0)
                fs[j].has_spec = true;
}

exs_status defs_extract(const exs_tree *t, const uint64_t *ids, exs_arena *a,
                        defs_result *out) {
    memset(out, 0, sizeof(*out));
    ctx c = {.t = t, .ids = ids, .a = a};
    scope top = {.module = DEFS_NONE};
    walk(&c, t->root, &top);
    mark_specs(&c);
    group(&c, &c.behaviours, sizeof(owned_str), offsetof(owned_str, s), sizeof(const char *),
          c.mods.count, set_behaviours);
    group(&c, &c.fields, sizeof(owned_str), offsetof(owned_str, s), sizeof(const char *),
          c.mods.count, set_fields);
    group(&c, &c.dirs, sizeof(owned_dir), offsetof(owned_dir, d), sizeof(defs_directive),
          c.mods.count, set_dirs);
    group(&c, &c.clauses, sizeof(owned_clause), offsetof(owned_clause, c), sizeof(defs_clause),
          c.funs.count, set_clauses);
    /* functions grouped by module (nested modules interleave), source order kept */
    defs_function *funs = NULL;
    if (c.funs.count) {
        funs = arena_alloc(a, (size_t)c.funs.count * sizeof(defs_function));
        uint32_t *cnt = calloc((size_t)c.mods.count + 1, sizeof(uint32_t));
        if (!funs || !cnt) {
            c.oom = true;
        } else {
            const defs_function *src = c.funs.data;
            for (uint32_t i = 0; i < c.funs.count; i++) cnt[src[i].module + 1]++;
            for (uint32_t i = 1; i <= c.mods.count; i++) cnt[i] += cnt[i - 1];
            for (uint32_t i = 0; i < c.funs.count; i++) funs[cnt[src[i].module]++] = src[i];
        }
        free(cnt);
    }
    defs_module *mods = c.mods.count
                            ? arena_memdup(a, c.mods.data, (size_t)c.mods.count * sizeof(defs_module))
                            : NULL;
    if (c.mods.count && !mods) c.oom = true;
    free(c.mods.data);
    free(c.funs.data);
    free(c.clauses.data);
    free(c.behaviours.data);
    free(c.fields.data);
    free(c.dirs.data);
    free(c.specs.data);
    free(c.attrs.data);
    free(c.derives.data);
    free(c.mod_first_fun.data);
    if (c.oom || arena_failed(a)) return EXS_ERR_NOMEM;
    out->modules = mods;
    out->module_count = c.mods.count;
    out->functions = funs;
    out->function_count = c.funs.count;
    return EXS_OK;
}

const char *defs_fun_kind_name(defs_fun_kind k) {
    for (size_t i = 0; i < sizeof(def_kinds) / sizeof(def_kinds[0]); i++)
        if (def_kinds[i].kind == k) return def_kinds[i].name;
    return "?";
}

const char *defs_module_kind_name(defs_module_kind k) {
    static const char *const names[] = {"module", "protocol", "impl", "exception", "struct"};
    return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

const char *defs_directive_kind_name(defs_directive_kind k) {
    static const char *const names[] = {"use", "import", "alias", "require"};
    return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}
