/* calls.c: call sites of one file (calls_extract) and their resolution (calls_resolve).
 *
 * Extraction walks the AST the way Elixir's compiler scopes names, without expanding
 * macros: the modules and function clauses come from the file's defs_result (matched by
 * the node of the defmodule/def call), and a lexical scope of aliases and imports is
 * carried down the walk. A scope is two immutable linked lists (aliases, imports) in the
 * arena: a directive pushes onto the lists of the statements that follow it in the same
 * block; leaving a call's arguments (a do-block, a fn clause, a def body) restores the
 * outer lists, so directives are lexically scoped as in Elixir. Each site keeps the
 * import list in force at that point, so resolution needs nothing but the site.
 *
 * What is a call site (docs/calls.md has the full rules):
 *   - `f(args)`, `f args`, operators (`a + b` is +/2): form LOCAL, arity = args;
 *   - `M.f(args)` with M an alias, atom or `__MODULE__`: REMOTE, aliases expanded;
 *   - `x |> f(y)`: f/2, piped; `&f/1`, `&M.f/2`, `&M.f(&1, 2)`: captured;
 *   - `var.f(x)`, `expr.f(x)`, `fun.(x)`, apply/2,3: DYNAMIC (plus apply's own site);
 *   - not sites: variables, `var.field` without parens (field access), the definition
 *     and directive macros themselves (def*, defmodule, alias, import, require, use,
 *     defstruct...), structural syntax (__block__, __aliases__, ->, {}, %{}, %, <<>>,
 *     when, \\, |, ::, =), typespec attributes, attribute reads, `quote` bodies except
 *     their `unquote`/`unquote_splicing` arguments (those run in the macro).
 * Resolution (calls_resolve) asks the lookup, which knows every module's exports
 * (Kernel's and Kernel.SpecialForms' included, from their sources).
 *
 * Names are copied into the arena (the tree may be freed first). */
#include "calls.h"

#include <stdlib.h>
#include <string.h>

/* ---- small helpers -------------------------------------------------------------------- */

typedef struct alias_ent {
    const char *as;     /* "Bar" */
    const char *target; /* "Foo.Bar" */
    const struct alias_ent *next;
} alias_ent;

typedef struct {
    uint32_t module;     /* defs module index, DEFS_NONE */
    uint32_t fun;        /* defs function index, DEFS_NONE */
    const alias_ent *aliases;
    const calls_import *imports;
} scope;

/* ref -> index map (open addressing, malloc'd). */
typedef struct {
    uint32_t *keys, *vals;
    uint32_t cap;
} refmap;

/* string interning into the arena (malloc'd table of arena strings). */
typedef struct {
    const char **slots;
    uint32_t cap, count;
} strtab;

typedef struct {
    const exs_tree *t;
    const uint64_t *ids;
    const defs_result *defs;
    exs_arena *a;
    refmap mods, clauses;
    strtab strs;
    calls_site *sites;
    uint32_t count, cap;
    calls_using *usings;
    uint32_t using_count, using_cap;
    bool oom;
} ctx;

static uint32_t hash32(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

static bool refmap_init(refmap *m, uint32_t n) {
    uint32_t cap = 16;
    while (cap < n * 2 + 2) cap *= 2;
    m->keys = malloc(cap * sizeof(uint32_t));
    m->vals = malloc(cap * sizeof(uint32_t));
    m->cap = cap;
    if (!m->keys || !m->vals) return false;
    memset(m->keys, 0xff, cap * sizeof(uint32_t));
    return true;
}

/* Keeps the first value put for a key unless `replace`. */
static void refmap_put(refmap *m, uint32_t k, uint32_t v, bool replace) {
    uint32_t i = hash32(k) & (m->cap - 1);
    while (m->keys[i] != UINT32_MAX && m->keys[i] != k) i = (i + 1) & (m->cap - 1);
    if (m->keys[i] == k && !replace) return;
    m->keys[i] = k;
    m->vals[i] = v;
}

static uint32_t refmap_get(const refmap *m, uint32_t k) {
    if (!m->cap) return DEFS_NONE;
    uint32_t i = hash32(k) & (m->cap - 1);
    while (m->keys[i] != UINT32_MAX) {
        if (m->keys[i] == k) return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return DEFS_NONE;
}

static uint32_t hash_str(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

/* An arena copy of s[0..n), the same pointer for equal strings. */
static const char *intern(ctx *c, const char *s, size_t n) {
    if (c->strs.count * 2 >= c->strs.cap) {
        uint32_t cap = c->strs.cap ? c->strs.cap * 2 : 256;
        const char **ns = calloc(cap, sizeof(char *));
        if (!ns) {
            c->oom = true;
            return NULL;
        }
        for (uint32_t i = 0; i < c->strs.cap; i++) {
            const char *o = c->strs.slots[i];
            if (!o) continue;
            uint32_t j = hash_str(o, strlen(o)) & (cap - 1);
            while (ns[j]) j = (j + 1) & (cap - 1);
            ns[j] = o;
        }
        free(c->strs.slots);
        c->strs.slots = ns;
        c->strs.cap = cap;
    }
    uint32_t j = hash_str(s, n) & (c->strs.cap - 1);
    while (c->strs.slots[j]) {
        const char *o = c->strs.slots[j];
        if (strncmp(o, s, n) == 0 && o[n] == 0) return o;
        j = (j + 1) & (c->strs.cap - 1);
    }
    char *r = arena_strndup(c->a, s, n);
    if (!r) {
        c->oom = true;
        return NULL;
    }
    c->strs.slots[j] = r;
    c->strs.count++;
    return r;
}

static const char *intern_z(ctx *c, const char *s) { return s ? intern(c, s, strlen(s)) : NULL; }

/* "a" + "." + "b" interned. */
static const char *join(ctx *c, const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char buf[512];
    if (la + lb + 2 > sizeof buf) return NULL;
    memcpy(buf, a, la);
    buf[la] = '.';
    memcpy(buf + la + 1, b, lb + 1);
    return intern(c, buf, la + lb + 1);
}

/* ---- AST helpers ---------------------------------------------------------------------- */

static const exs_term *T(const ctx *c, exs_ref r) { return tree_get(c->t, r); }
static exs_ref kid(const ctx *c, exs_ref r, uint32_t i) { return T(c, r)->v.kids[i]; }

static const char *call_name(const ctx *c, exs_ref r) {
    if (!tree_is_call(c->t, r)) return NULL;
    const exs_term *h = T(c, kid(c, r, 0));
    return h->kind == EXS_TERM_ATOM ? h->v.s : NULL;
}

static bool args_are_list(const ctx *c, exs_ref r) {
    return tree_is_call(c->t, r) && T(c, kid(c, r, 2))->kind == EXS_TERM_LIST;
}

static const exs_ref *call_args(const ctx *c, exs_ref r, uint32_t *n) {
    if (!args_are_list(c, r)) {
        *n = 0;
        return NULL;
    }
    const exs_term *a = T(c, kid(c, r, 2));
    *n = a->len;
    return a->v.kids;
}

/* A variable `{name, meta, ctx_atom}`. */
static bool is_var(const ctx *c, exs_ref r) {
    return tree_is_call(c->t, r) && T(c, kid(c, r, 0))->kind == EXS_TERM_ATOM &&
           T(c, kid(c, r, 2))->kind == EXS_TERM_ATOM;
}

static bool meta_has_no_parens(const ctx *c, exs_ref call) {
    const exs_term *m = T(c, kid(c, call, 1));
    for (uint32_t i = 0; i < m->len; i++)
        if (m->v.kv[i].key == EXS_META_NO_PARENS) return true;
    return false;
}

static const char *module_name(const ctx *c, uint32_t m) {
    return m == DEFS_NONE ? NULL : c->defs->modules[m].name;
}

static const char *alias_lookup(const scope *s, const char *as) {
    for (const alias_ent *e = s->aliases; e; e = e->next)
        if (strcmp(e->as, as) == 0) return e->target;
    return NULL;
}

/* A module expression: atom (":lists"; "Elixir.X" is "X"), `__MODULE__`, or
 * `__aliases__` with the first segment expanded through the aliases in scope (a leading
 * `Elixir.` prevents that, a leading `__MODULE__` is the current module). NULL when not
 * literal. */
static const char *module_expr(ctx *c, exs_ref r, const scope *s) {
    const exs_term *n = T(c, r);
    if (n->kind == EXS_TERM_ATOM) {
        if (strncmp(n->v.s, "Elixir.", 7) == 0) return intern_z(c, n->v.s + 7);
        if (!strcmp(n->v.s, "nil") || !strcmp(n->v.s, "true") || !strcmp(n->v.s, "false"))
            return NULL;
        char buf[512];
        if (n->len + 2 > sizeof buf) return NULL;
        buf[0] = ':';
        memcpy(buf + 1, n->v.s, n->len + 1);
        return intern(c, buf, n->len + 1);
    }
    const char *cn = call_name(c, r);
    if (!cn) return NULL;
    if (strcmp(cn, "__MODULE__") == 0 && !args_are_list(c, r)) return module_name(c, s->module);
    if (strcmp(cn, "__aliases__") != 0) return NULL;
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
        } else {
            acc = alias_lookup(s, h->v.s);
            if (acc) i = 1;
        }
    } else {
        const char *hn = call_name(c, segs[0]);
        if (!hn || strcmp(hn, "__MODULE__") != 0 || args_are_list(c, segs[0])) return NULL;
        acc = module_name(c, s->module);
        if (!acc) return NULL;
        i = 1;
    }
    for (; i < k; i++) {
        const exs_term *sg = T(c, segs[i]);
        if (sg->kind != EXS_TERM_ATOM) return NULL;
        acc = acc ? join(c, acc, sg->v.s) : intern_z(c, sg->v.s);
        if (!acc) return NULL;
    }
    return acc;
}

static const char *last_segment(const char *name) {
    const char *d = strrchr(name, '.');
    return d ? d + 1 : name;
}

/* ---- sites ---------------------------------------------------------------------------- */

static calls_site *add_site(ctx *c, exs_ref node, const scope *s, calls_form form,
                            const char *module, const char *name, uint32_t arity) {
    if (c->count == c->cap) {
        uint32_t cap = c->cap ? c->cap * 2 : 64;
        calls_site *ns = realloc(c->sites, cap * sizeof(calls_site));
        if (!ns) {
            c->oom = true;
            return NULL;
        }
        c->sites = ns;
        c->cap = cap;
    }
    calls_site *x = &c->sites[c->count++];
    memset(x, 0, sizeof(*x));
    x->caller_fun = s->fun;
    x->caller_module = s->module;
    x->module = module;
    x->name = name ? intern_z(c, name) : intern(c, "", 0);
    x->arity = arity;
    x->form = (uint8_t)form;
    int64_t l = tree_meta_int(c->t, node, EXS_META_LINE);
    int64_t col = tree_meta_int(c->t, node, EXS_META_COLUMN);
    x->line = l > 0 ? (uint32_t)l : 0;
    x->column = col > 0 ? (uint32_t)col : 0;
    x->node = node;
    x->node_id = c->ids ? c->ids[node] : 0;
    x->resolution = CALLS_UNRESOLVED;
    x->imports = s->imports;
    return x;
}

/* ---- the walk ------------------------------------------------------------------------- */

static void walk(ctx *c, exs_ref r, scope *s);

/* Walks each child with a copy of the scope (directives inside do not leak out). */
static void walk_kids(ctx *c, const exs_ref *k, uint32_t n, const scope *s) {
    for (uint32_t i = 0; i < n; i++) {
        scope cs = *s;
        walk(c, k[i], &cs);
    }
}

static void walk_in(ctx *c, exs_ref r, const scope *s) {
    scope cs = *s;
    walk(c, r, &cs);
}

static bool is_one_of(const char *name, const char *const *set) {
    for (; *set; set++)
        if ((*set)[0] == name[0] && strcmp(name, *set) == 0) return true;
    return false;
}

/* Syntax that is never a call site (its arguments are walked). */
static const char *const structural[] = {"__block__", "__aliases__", "->", "{}", "%{}", "%",
                                         "<<>>", "when", "\\\\", "|", "=", "^", "<-",
                                         "__MODULE__", "__ENV__", "__DIR__", "__CALLER__",
                                         "__STACKTRACE__", NULL};
/* Definition and directive macros: not recorded (handled or skipped). */
static const char *const definers[] = {"defmodule", "defprotocol", "defimpl", "defstruct",
                                       "defexception", "alias", "import", "require", "use",
                                       NULL};
static const char *const def_kinds[] = {"def", "defp", "defmacro", "defmacrop", "defguard",
                                        "defguardp", "defdelegate", NULL};
static const char *const typespec_attrs[] = {"spec", "type", "typep", "opaque", "callback",
                                             "macrocallback", "doc", "moduledoc", "typedoc",
                                             "impl", "behaviour", NULL};

/* `Foo.{A, B.C}`: the full names (at most cap); UINT32_MAX when `r` is not that form. */
static uint32_t multi_targets(ctx *c, exs_ref r, const scope *s, const char **out, uint32_t cap) {
    exs_ref head = tree_is_call(c->t, r) ? kid(c, r, 0) : EXS_REF_NONE;
    if (head == EXS_REF_NONE || !call_name(c, head) || strcmp(call_name(c, head), ".") != 0)
        return UINT32_MAX;
    uint32_t dn, kn, k = 0;
    const exs_ref *d = call_args(c, head, &dn);
    const exs_ref *subs = call_args(c, r, &kn);
    if (dn != 2 || !tree_is_atom(c->t, d[1], "{}")) return UINT32_MAX;
    const char *base = module_expr(c, d[0], s);
    if (!base) return 0;
    for (uint32_t i = 0; i < kn && k < cap; i++) {
        uint32_t sn;
        const exs_ref *segs = call_args(c, subs[i], &sn);
        if (!call_name(c, subs[i]) || strcmp(call_name(c, subs[i]), "__aliases__")) continue;
        const char *full = base;
        for (uint32_t j = 0; j < sn && full; j++)
            full = T(c, segs[j])->kind == EXS_TERM_ATOM ? join(c, full, T(c, segs[j])->v.s) : NULL;
        if (full) out[k++] = full;
    }
    return k;
}

/* alias / require ..., as: */
static void do_alias(ctx *c, exs_ref node, scope *s, bool is_require) {
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    if (n == 0) return;
    exs_ref opts = n > 1 ? a[1] : EXS_REF_NONE;
    exs_ref as = tree_kw_get(c->t, opts, "as");
    if (is_require && as == EXS_REF_NONE) return;
    /* multi-alias Foo.{A, B.C} */
    const char *multi[64];
    uint32_t mn = multi_targets(c, a[0], s, multi, 64);
    if (mn != UINT32_MAX) {
        for (uint32_t i = 0; i < mn; i++) {
            alias_ent *e = arena_alloc(c->a, sizeof(*e));
            if (!e) {
                c->oom = true;
                return;
            }
            e->target = multi[i];
            e->as = intern_z(c, last_segment(multi[i]));
            e->next = s->aliases;
            s->aliases = e;
        }
        return;
    }
    const char *target = module_expr(c, a[0], s);
    if (!target || target[0] == ':') {
        if (!target || as == EXS_REF_NONE) return;
    }
    const char *as_name = NULL;
    if (as != EXS_REF_NONE) {
        uint32_t sn;
        const exs_ref *segs = call_args(c, as, &sn);
        if (call_name(c, as) && strcmp(call_name(c, as), "__aliases__") == 0 && sn == 1 &&
            T(c, segs[0])->kind == EXS_TERM_ATOM)
            as_name = intern_z(c, T(c, segs[0])->v.s);
        else
            return; /* as: false or dynamic */
    } else {
        as_name = intern_z(c, last_segment(target));
    }
    alias_ent *e = arena_alloc(c->a, sizeof(*e));
    if (!e || !as_name) {
        c->oom = true;
        return;
    }
    e->as = as_name;
    e->target = target;
    e->next = s->aliases;
    s->aliases = e;
}

static void import_one(ctx *c, const char *target, const exs_ref *a, uint32_t n, scope *s);

static void do_import(ctx *c, exs_ref node, scope *s) {
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    if (n == 0) return;
    const char *multi[64];
    uint32_t mn = multi_targets(c, a[0], s, multi, 64);
    if (mn != UINT32_MAX) {
        for (uint32_t i = 0; i < mn; i++) import_one(c, multi[i], a, n, s);
        return;
    }
    const char *target = module_expr(c, a[0], s);
    /* in a quote: `import unquote(__MODULE__)` imports the quoting module */
    uint32_t un;
    const exs_ref *ua = call_args(c, a[0], &un);
    if (!target && call_name(c, a[0]) && strcmp(call_name(c, a[0]), "unquote") == 0 && un == 1)
        target = module_expr(c, ua[0], s);
    if (target) import_one(c, target, a, n, s);
}

static void import_one(ctx *c, const char *target, const exs_ref *a, uint32_t n, scope *s) {
    calls_import *im = arena_alloc_zero(c->a, sizeof(*im));
    if (!im) {
        c->oom = true;
        return;
    }
    im->module = target;
    im->mode = CALLS_IMPORT_ALL;
    exs_ref opts = n > 1 ? a[1] : EXS_REF_NONE;
    exs_ref only = tree_kw_get(c->t, opts, "only"), except = tree_kw_get(c->t, opts, "except");
    exs_ref list = EXS_REF_NONE;
    if (only != EXS_REF_NONE) {
        if (tree_is_atom(c->t, only, "functions")) im->mode = CALLS_IMPORT_FUNCTIONS;
        else if (tree_is_atom(c->t, only, "macros")) im->mode = CALLS_IMPORT_MACROS;
        else if (tree_is_atom(c->t, only, "sigils")) im->mode = CALLS_IMPORT_SIGILS;
        else {
            im->mode = CALLS_IMPORT_ONLY;
            list = only;
        }
    } else if (except != EXS_REF_NONE) {
        im->mode = CALLS_IMPORT_EXCEPT;
        list = except;
    }
    if (list != EXS_REF_NONE && T(c, list)->kind == EXS_TERM_LIST) {
        const exs_term *l = T(c, list);
        const char **names = arena_alloc(c->a, (l->len + 1) * sizeof(char *));
        uint32_t *ar = arena_alloc(c->a, (l->len + 1) * sizeof(uint32_t));
        if (!names || !ar) {
            c->oom = true;
            return;
        }
        uint32_t k = 0;
        for (uint32_t i = 0; i < l->len; i++) {
            const exs_term *p = T(c, l->v.kids[i]);
            if (p->kind != EXS_TERM_TUPLE || p->len != 2) continue;
            const exs_term *nm = T(c, p->v.kids[0]), *av = T(c, p->v.kids[1]);
            if (nm->kind != EXS_TERM_ATOM || av->kind != EXS_TERM_INT) continue;
            names[k] = intern_z(c, nm->v.s);
            ar[k++] = (uint32_t)av->v.i;
        }
        im->names = names;
        im->arities = ar;
        im->count = k;
    }
    im->next = s->imports;
    s->imports = im;
}

/* `use M`: an import entry resolved through M's __using__ (calls_lookup.using_imports). */
static void do_use(ctx *c, exs_ref node, scope *s) {
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    if (n == 0) return;
    const char *target = module_expr(c, a[0], s);
    if (!target) return;
    calls_import *im = arena_alloc_zero(c->a, sizeof(*im));
    if (!im) {
        c->oom = true;
        return;
    }
    im->module = target;
    im->mode = CALLS_IMPORT_USING;
    im->next = s->imports;
    s->imports = im;
}

/* The imports anywhere in a __using__ quote body, onto *list. */
static void using_imports(ctx *c, exs_ref r, scope *s) {
    const exs_term *n = T(c, r);
    if (n->kind == EXS_TERM_LIST || (n->kind == EXS_TERM_TUPLE && !tree_is_call(c->t, r))) {
        for (uint32_t i = 0; i < n->len; i++) using_imports(c, n->v.kids[i], s);
        return;
    }
    if (!tree_is_call(c->t, r)) return;
    const char *name = call_name(c, r);
    if (name && strcmp(name, "import") == 0 && args_are_list(c, r)) {
        do_import(c, r, s);
        return;
    }
    if (name && strcmp(name, "use") == 0 && args_are_list(c, r)) {
        do_use(c, r, s);
        return;
    }
    if (name && (strcmp(name, "unquote") == 0 || strcmp(name, "quote") == 0)) return;
    uint32_t k;
    const exs_ref *e = call_args(c, r, &k);
    for (uint32_t i = 0; i < k; i++) using_imports(c, e[i], s);
}

/* The quotes anywhere in `body` (not inside other quotes): their imports and uses are
 * recorded as what `use <current module>` brings in; `first_use`, when set, is a module
 * whose `use` comes first (ExUnit.CaseTemplate's `using` uses ExUnit.Case). */
static void record_using_body(ctx *c, exs_ref body, const scope *s, const char *first_use) {
    exs_ref stack[256];
    uint32_t sp = 0;
    stack[sp++] = body;
    scope qs = *s;
    qs.imports = NULL;
    if (first_use) {
        calls_import *im = arena_alloc_zero(c->a, sizeof(*im));
        if (!im) {
            c->oom = true;
            return;
        }
        im->module = first_use;
        im->mode = CALLS_IMPORT_USING;
        qs.imports = im;
    }
    while (sp) {
        exs_ref r = stack[--sp];
        const exs_term *t = T(c, r);
        if (t->kind == EXS_TERM_LIST || (t->kind == EXS_TERM_TUPLE && !tree_is_call(c->t, r))) {
            for (uint32_t i = 0; i < t->len && sp < 256; i++) stack[sp++] = t->v.kids[i];
            continue;
        }
        if (!tree_is_call(c->t, r)) continue;
        const char *name = call_name(c, r);
        uint32_t k;
        const exs_ref *e = call_args(c, r, &k);
        if (name && strcmp(name, "quote") == 0) {
            exs_ref qb = k ? tree_kw_get(c->t, e[k - 1], "do") : EXS_REF_NONE;
            if (qb != EXS_REF_NONE) using_imports(c, qb, &qs);
            continue;
        }
        for (uint32_t i = 0; i < k && sp < 256; i++) stack[sp++] = e[i];
    }
    if (!qs.imports) return;
    if (c->using_count == c->using_cap) {
        uint32_t cap = c->using_cap ? c->using_cap * 2 : 4;
        calls_using *nu = realloc(c->usings, cap * sizeof(calls_using));
        if (!nu) {
            c->oom = true;
            return;
        }
        c->usings = nu;
        c->using_cap = cap;
    }
    c->usings[c->using_count++] = (calls_using){s->module, qs.imports};
}

/* defmacro __using__(...) do ... quote do <body> end end: record its imports. */
static void record_using(ctx *c, exs_ref def, const scope *s) {
    uint32_t n;
    const exs_ref *a = call_args(c, def, &n);
    if (n < 2 || s->module == DEFS_NONE) return;
    exs_ref head = a[0];
    uint32_t wn;
    const exs_ref *w = call_args(c, head, &wn);
    if (call_name(c, head) && strcmp(call_name(c, head), "when") == 0 && wn == 2) head = w[0];
    if (!call_name(c, head) || strcmp(call_name(c, head), "__using__") != 0) return;
    record_using_body(c, a[n - 1], s, NULL);
}

static bool uses(const scope *s, const char *module) {
    for (const calls_import *im = s->imports; im; im = im->next)
        if (im->mode == CALLS_IMPORT_USING && strcmp(im->module, module) == 0) return true;
    return false;
}

/* Inside `quote`: only unquote/unquote_splicing arguments run (in the macro). */
static void walk_quote(ctx *c, exs_ref r, const scope *s) {
    const exs_term *n = T(c, r);
    if (n->kind == EXS_TERM_LIST || (n->kind == EXS_TERM_TUPLE && !tree_is_call(c->t, r))) {
        for (uint32_t i = 0; i < n->len; i++) walk_quote(c, n->v.kids[i], s);
        return;
    }
    if (!tree_is_call(c->t, r)) return;
    const char *name = call_name(c, r);
    uint32_t k;
    const exs_ref *e = call_args(c, r, &k);
    if (name && (strcmp(name, "unquote") == 0 || strcmp(name, "unquote_splicing") == 0)) {
        walk_kids(c, e, k, s);
        return;
    }
    walk_quote(c, kid(c, r, 0), s);
    for (uint32_t i = 0; i < k; i++) walk_quote(c, e[i], s);
}

/* The function of `f`'s module and name with that arity (a default-argument arity). */
static uint32_t default_fun(const ctx *c, uint32_t f, uint32_t arity) {
    if (f == DEFS_NONE) return f;
    const defs_function *full = &c->defs->functions[f];
    for (uint32_t i = 0; i < c->defs->function_count; i++) {
        const defs_function *g = &c->defs->functions[i];
        if (g->module == full->module && g->arity == arity && g->name && full->name &&
            g->default_of == full->arity && strcmp(g->name, full->name) == 0)
            return i;
    }
    return f;
}

/* def/defp/... : the head is not a call; default values and the guard are, and the body. */
static void do_def(ctx *c, exs_ref node, const scope *s, const char *kind) {
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    uint32_t f = refmap_get(&c->clauses, node);
    if (n == 0) return;
    if (f != DEFS_NONE && c->defs->functions[f].module != s->module) {
        /* a clause of several impl modules (defimpl for: [A, B]): this module's copy */
        const defs_function *g = &c->defs->functions[f];
        uint32_t own = DEFS_NONE;
        for (uint32_t i = 0; i < c->defs->function_count && own == DEFS_NONE; i++) {
            const defs_function *h = &c->defs->functions[i];
            if (h->module == s->module && h->arity == g->arity && h->name && g->name &&
                !h->generated && strcmp(h->name, g->name) == 0)
                own = i;
        }
        f = own;
    }
    scope fs = *s;
    fs.fun = f;
    exs_ref head = a[0];
    const char *hn = call_name(c, head);
    if (hn && strcmp(hn, "when") == 0) {
        uint32_t wn;
        const exs_ref *w = call_args(c, head, &wn);
        if (wn == 2) {
            head = w[0];
            walk_in(c, w[1], &fs);
        }
    }
    uint32_t hn_args;
    const exs_ref *ha = call_args(c, head, &hn_args);
    /* `def f(a, b \\ x(), c \\ y())` compiles to f/1 (fills b and c), f/2 (fills c) and
     * f/3: a default value runs in the lower arities that fill it; its calls are
     * recorded once for each (x() in f/1; y() in f/1 and f/2). */
    uint32_t required = 0, nth = 0;
    for (uint32_t i = 0; i < hn_args; i++) {
        const char *an = call_name(c, ha[i]);
        if (!an || strcmp(an, "\\\\") != 0) required++;
    }
    for (uint32_t i = 0; i < hn_args; i++) {
        const char *an = call_name(c, ha[i]);
        uint32_t dn;
        const exs_ref *d = call_args(c, ha[i], &dn);
        if (!an || strcmp(an, "\\\\") != 0 || dn != 2) continue;
        for (uint32_t ar = required; ar <= required + nth; ar++) {
            scope ds = fs;
            ds.fun = default_fun(c, f, ar);
            walk_in(c, d[1], &ds);
        }
        nth++;
    }
    if (strcmp(kind, "defdelegate") == 0) {
        if (n < 2 || f == DEFS_NONE) return;
        exs_ref to = tree_kw_get(c->t, a[1], "to"), as = tree_kw_get(c->t, a[1], "as");
        const char *mod = to != EXS_REF_NONE ? module_expr(c, to, s) : NULL;
        const char *name = c->defs->functions[f].name;
        if (as != EXS_REF_NONE && T(c, as)->kind == EXS_TERM_ATOM) name = T(c, as)->v.s;
        if (mod && name) add_site(c, node, &fs, CALLS_REMOTE, mod, name, hn_args);
        return;
    }
    if (n >= 2) walk_in(c, a[n - 1], &fs);
    if (strcmp(kind, "defmacro") == 0) record_using(c, node, s);
}

static void do_module(ctx *c, exs_ref node, scope *s, const char *name) {
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    if (n == 0) return;
    uint32_t m = refmap_get(&c->mods, node);
    /* Kernel.defmodule: `defmodule Foo.Bar` nested in a module also aliases Foo, in the
     * enclosing scope (after the defmodule) and inside. */
    if (strcmp(name, "defmodule") == 0 && m != DEFS_NONE && s->module != DEFS_NONE &&
        c->defs->modules[m].name && call_name(c, a[0]) &&
        strcmp(call_name(c, a[0]), "__aliases__") == 0) {
        uint32_t sn;
        const exs_ref *segs = call_args(c, a[0], &sn);
        const char *outer = module_name(c, s->module);
        if (sn >= 1 && outer && T(c, segs[0])->kind == EXS_TERM_ATOM &&
            strcmp(T(c, segs[0])->v.s, "Elixir") != 0) {
            alias_ent *e = arena_alloc(c->a, sizeof(*e));
            if (!e) {
                c->oom = true;
                return;
            }
            e->as = intern_z(c, T(c, segs[0])->v.s);
            e->target = join(c, outer, T(c, segs[0])->v.s);
            e->next = s->aliases;
            if (e->as && e->target) s->aliases = e;
        }
    }
    exs_ref body = tree_kw_get(c->t, a[n - 1], "do");
    if (body == EXS_REF_NONE) return;
    /* `defimpl P, for: [A, B]` is one module per type, all from this node: the body is
     * walked once for each */
    bool walked = false;
    for (uint32_t i = m == DEFS_NONE ? c->defs->module_count : m; i < c->defs->module_count; i++) {
        if (c->defs->modules[i].node != node) continue;
        scope ms = *s;
        ms.module = i;
        ms.fun = DEFS_NONE;
        walk(c, body, &ms);
        walked = true;
    }
    if (!walked) {
        scope ms = *s;
        ms.fun = DEFS_NONE;
        walk(c, body, &ms);
    }
}

static void do_attr(ctx *c, exs_ref node, const scope *s) {
    uint32_t n;
    const exs_ref *a = call_args(c, node, &n);
    if (n != 1) return;
    const char *an = call_name(c, a[0]);
    uint32_t vn;
    const exs_ref *v = call_args(c, a[0], &vn);
    if (!an || vn == 0 || is_one_of(an, typespec_attrs)) return;
    walk_kids(c, v, vn, s);
}

/* apply(M, :f, [args]) / apply(fun, args): a dynamic site with what is known. */
static void apply_site(ctx *c, exs_ref r, const scope *s, const exs_ref *a, uint32_t n) {
    if (n == 3) {
        const char *mod = module_expr(c, a[0], s);
        const char *fname = T(c, a[1])->kind == EXS_TERM_ATOM ? T(c, a[1])->v.s : "";
        uint32_t ar = T(c, a[2])->kind == EXS_TERM_LIST ? T(c, a[2])->len : CALLS_ARITY_UNKNOWN;
        add_site(c, r, s, CALLS_DYNAMIC, mod, fname, ar);
    } else if (n == 2) {
        uint32_t ar = T(c, a[1])->kind == EXS_TERM_LIST ? T(c, a[1])->len : CALLS_ARITY_UNKNOWN;
        add_site(c, r, s, CALLS_DYNAMIC, NULL, "", ar);
    }
}

/* A call whose callee is `lhs.name` or `fun.` (head is the `.` node). `extra` adds the
 * piped argument. */
static void remote_call(ctx *c, exs_ref r, const scope *s, uint32_t extra, bool captured,
                        uint32_t capture_arity) {
    exs_ref head = kid(c, r, 0);
    uint32_t dn, n;
    const exs_ref *d = call_args(c, head, &dn);
    const exs_ref *args = call_args(c, r, &n);
    uint32_t arity = captured && capture_arity != CALLS_ARITY_UNKNOWN ? capture_arity : n + extra;
    uint32_t xi = UINT32_MAX; /* index: walking may move the sites array */
    if (dn == 1) { /* fun.(args) */
        if (add_site(c, r, s, CALLS_DYNAMIC, NULL, "", arity)) xi = c->count - 1;
        walk_in(c, d[0], s);
    } else if (dn == 2 && T(c, d[1])->kind == EXS_TERM_ATOM) {
        const char *fname = T(c, d[1])->v.s;
        const char *mod = module_expr(c, d[0], s);
        bool field = !captured && n == 0 && extra == 0 && meta_has_no_parens(c, r);
        if (mod) {
            if (add_site(c, r, s, CALLS_REMOTE, mod, fname, arity)) xi = c->count - 1;
            if (!captured && extra == 0 && (n == 2 || n == 3) && strcmp(fname, "apply") == 0 &&
                (strcmp(mod, "Kernel") == 0 || strcmp(mod, ":erlang") == 0))
                apply_site(c, r, s, args, n);
        } else if (field && (is_var(c, d[0]) || tree_is_call(c->t, d[0]))) {
            /* var.field / expr.field: map field access (or a zero-arity remote call
             * on a runtime module); not recorded */
            walk_in(c, d[0], s);
        } else {
            if (add_site(c, r, s, CALLS_DYNAMIC, NULL, fname, arity)) xi = c->count - 1;
            walk_in(c, d[0], s);
        }
    } else {
        walk_in(c, head, s);
    }
    if (xi != UINT32_MAX) {
        c->sites[xi].piped = extra > 0;
        c->sites[xi].captured = captured;
    }
    walk_kids(c, args, n, s);
}


static const char *const path_macros[] = {"put_in", "update_in", "pop_in", "get_and_update_in",
                                          NULL};

/* The path of put_in & co: `x.y[k]` nodes are not calls; keys and the root are walked. */
static void walk_path(ctx *c, exs_ref r, const scope *s) {
    if (tree_is_call(c->t, r) && !is_var(c, r)) {
        exs_ref h = kid(c, r, 0);
        uint32_t dn, n;
        const exs_ref *d = call_args(c, h, &dn);
        const exs_ref *args = call_args(c, r, &n);
        if (call_name(c, h) && strcmp(call_name(c, h), ".") == 0 && dn == 2) {
            if (tree_is_atom(c->t, d[0], "Elixir.Access") && tree_is_atom(c->t, d[1], "get") &&
                n == 2) { /* a[k] */
                walk_path(c, args[0], s);
                walk_in(c, args[1], s);
                return;
            }
            if (n == 0 && meta_has_no_parens(c, r)) { /* a.field */
                walk_path(c, d[0], s);
                return;
            }
        }
    }
    walk_in(c, r, s);
}

/* Any call node; `extra` is 1 on the right of |>. */
static void call(ctx *c, exs_ref r, scope *s, uint32_t extra, bool captured) {
    exs_ref head = kid(c, r, 0);
    if (T(c, head)->kind != EXS_TERM_ATOM) {
        if (call_name(c, head) && strcmp(call_name(c, head), ".") == 0) {
            remote_call(c, r, s, extra, captured, CALLS_ARITY_UNKNOWN);
            return;
        }
        walk_in(c, head, s); /* unquote(name)(args), f().() ... */
        uint32_t n;
        const exs_ref *args = call_args(c, r, &n);
        walk_kids(c, args, n, s);
        return;
    }
    const char *name = T(c, head)->v.s;
    uint32_t n;
    const exs_ref *a = call_args(c, r, &n);
    if (!args_are_list(c, r)) return; /* a variable */
    if (strcmp(name, "__block__") == 0) {
        for (uint32_t i = 0; i < n; i++) walk(c, a[i], s); /* directives flow on */
        return;
    }
    if (strcmp(name, "__aliases__") == 0) return;
    if (is_one_of(name, def_kinds)) {
        if (refmap_get(&c->clauses, r) != DEFS_NONE || s->module != DEFS_NONE) {
            do_def(c, r, s, name);
            return;
        }
    }
    if (strcmp(name, "defmodule") == 0 || strcmp(name, "defprotocol") == 0 ||
        strcmp(name, "defimpl") == 0) {
        do_module(c, r, s, name);
        return;
    }
    if (strcmp(name, "alias") == 0) {
        do_alias(c, r, s, false);
        return;
    }
    if (strcmp(name, "require") == 0) {
        do_alias(c, r, s, true);
        return;
    }
    if (strcmp(name, "import") == 0) {
        do_import(c, r, s);
        return;
    }
    if (strcmp(name, "use") == 0) {
        do_use(c, r, s);
        return;
    }
    if (strcmp(name, "using") == 0 && s->module != DEFS_NONE && s->fun == DEFS_NONE && n >= 1 &&
        uses(s, "ExUnit.CaseTemplate")) {
        /* ExUnit.CaseTemplate's `using do quote ... end end` is the module's __using__,
         * after `use ExUnit.Case` */
        record_using_body(c, a[n - 1], s, intern_z(c, "ExUnit.Case"));
    }
    if (strcmp(name, "@") == 0) {
        do_attr(c, r, s);
        return;
    }
    if ((strcmp(name, "unquote") == 0 || strcmp(name, "unquote_splicing") == 0) &&
        s->fun != DEFS_NONE) {
        /* an unquote fragment in a def (def unquote(n)(), do: unquote(v)): evaluated
         * when the module body runs, so a module-level call */
        scope ms = *s;
        ms.fun = DEFS_NONE;
        walk_kids(c, a, n, &ms);
        return;
    }
    if (n >= 1 && args_are_list(c, r) && is_one_of(name, path_macros)) {
        /* put_in(a.b[k], v) & co: the first argument is a path the macro takes apart;
         * its a[k] is not Access.get/2 */
        calls_site *x = add_site(c, r, s, CALLS_LOCAL, NULL, name, n + extra);
        if (x) x->piped = extra > 0;
        walk_path(c, a[0], s);
        walk_kids(c, a + 1, n - 1, s);
        return;
    }
    if (strcmp(name, "quote") == 0) {
        /* quote(opts, do: body): bind_quoted values run in the macro; with them (or
         * unquote: false) the body's unquote calls are code of the caller */
        exs_ref opts = n == 2 ? a[0] : EXS_REF_NONE;
        exs_ref bq = tree_kw_get(c->t, opts, "bind_quoted");
        exs_ref uq = tree_kw_get(c->t, opts, "unquote");
        if (bq != EXS_REF_NONE) walk_in(c, bq, s);
        if (bq == EXS_REF_NONE && !(uq != EXS_REF_NONE && tree_is_atom(c->t, uq, "false")))
            walk_quote(c, kid(c, r, 2), s);
        else if (opts != EXS_REF_NONE)
            walk_quote(c, opts, s);
        return;
    }
    if (strcmp(name, "|>") == 0 && n == 2) {
        walk_in(c, a[0], s);
        exs_ref rhs = a[1];
        if (tree_is_call(c->t, rhs) && args_are_list(c, rhs)) {
            scope cs = *s;
            call(c, rhs, &cs, extra + 1, false);
        } else if (tree_is_call(c->t, rhs) && T(c, kid(c, rhs, 0))->kind == EXS_TERM_ATOM) {
            /* x |> f (no parens, a variable-shaped node): f/1 */
            calls_site *x = add_site(c, rhs, s, CALLS_LOCAL, NULL, T(c, kid(c, rhs, 0))->v.s, 1);
            if (x) x->piped = true;
        } else {
            walk_in(c, rhs, s);
        }
        return;
    }
    if (strcmp(name, "&") == 0 && n == 1) {
        exs_ref x = a[0];
        const char *xn = call_name(c, x);
        uint32_t sn;
        const exs_ref *sl = call_args(c, x, &sn);
        if (xn && strcmp(xn, "/") == 0 && sn == 2 && T(c, sl[1])->kind == EXS_TERM_INT) {
            uint32_t ar = (uint32_t)T(c, sl[1])->v.i;
            exs_ref cal = sl[0];
            if (is_var(c, cal)) {
                calls_site *st = add_site(c, r, s, CALLS_LOCAL, NULL, T(c, kid(c, cal, 0))->v.s, ar);
                if (st) st->captured = true;
                return;
            }
            if (tree_is_call(c->t, cal) && call_name(c, kid(c, cal, 0)) &&
                strcmp(call_name(c, kid(c, cal, 0)), ".") == 0) {
                remote_call(c, cal, s, 0, true, ar);
                if (c->count && c->sites[c->count - 1].node == cal) {
                    c->sites[c->count - 1].node = r;
                    c->sites[c->count - 1].node_id = c->ids ? c->ids[r] : 0;
                }
                return;
            }
        }
        if (tree_is_call(c->t, x) && args_are_list(c, x)) {
            const char *cn = call_name(c, x);
            if (!cn || !is_one_of(cn, structural)) {
                scope cs = *s;
                call(c, x, &cs, 0, true);
                return;
            }
        }
        walk_in(c, x, s);
        return;
    }
    if (strcmp(name, "::") == 0 && n == 2) { /* <<x::size(8)>>, type annotations */
        walk_in(c, a[0], s);
        return;
    }
    if (strcmp(name, "fn") == 0 || is_one_of(name, structural)) {
        walk_kids(c, a, n, s);
        return;
    }
    if (is_one_of(name, definers)) { /* defstruct, defexception */
        walk_kids(c, a, n, s);
        return;
    }
    calls_site *x = add_site(c, r, s, CALLS_LOCAL, NULL, name, n + extra);
    if (x) {
        x->piped = extra > 0;
        x->captured = captured;
    }
    if ((strcmp(name, "apply") == 0) && (n + extra == 2 || n + extra == 3) && extra == 0)
        apply_site(c, r, s, a, n);
    walk_kids(c, a, n, s);
}

static void walk(ctx *c, exs_ref r, scope *s) {
    if (c->oom) return;
    const exs_term *n = T(c, r);
    if (n->kind == EXS_TERM_LIST || (n->kind == EXS_TERM_TUPLE && !tree_is_call(c->t, r))) {
        walk_kids(c, n->v.kids, n->len, s);
        return;
    }
    if (!tree_is_call(c->t, r)) return;
    call(c, r, s, 0, false);
}

/* ---- extract -------------------------------------------------------------------------- */

exs_status calls_extract(const exs_tree *t, const uint64_t *ids, const defs_result *defs,
                         exs_arena *a, calls_result *out) {
    memset(out, 0, sizeof(*out));
    ctx c;
    memset(&c, 0, sizeof(c));
    c.t = t;
    c.ids = ids;
    c.defs = defs;
    c.a = a;
    uint32_t nclauses = 0;
    for (uint32_t i = 0; i < defs->function_count; i++) nclauses += defs->functions[i].clause_count;
    if (!refmap_init(&c.mods, defs->module_count) || !refmap_init(&c.clauses, nclauses)) {
        c.oom = true;
        goto done;
    }
    for (uint32_t i = 0; i < defs->module_count; i++)
        refmap_put(&c.mods, defs->modules[i].node, i, false);
    /* a clause shared by default-argument arities belongs to the full arity */
    for (uint32_t i = 0; i < defs->function_count; i++) {
        const defs_function *f = &defs->functions[i];
        /* generated ones may carry nodes of another file's tree (expand_apply) */
        if (f->in_using || f->generated) continue;
        for (uint32_t k = 0; k < f->clause_count; k++)
            refmap_put(&c.clauses, f->clauses[k].node, i, f->default_of == 0);
    }
    scope s = {.module = DEFS_NONE, .fun = DEFS_NONE, .aliases = NULL, .imports = NULL};
    if (t->root != EXS_REF_NONE) walk(&c, t->root, &s);
    if (!c.oom && c.count) {
        out->sites = arena_memdup(a, c.sites, (size_t)c.count * sizeof(calls_site));
        if (!out->sites) c.oom = true;
        else out->site_count = c.count;
    }
    if (!c.oom && c.using_count) {
        out->usings = arena_memdup(a, c.usings, (size_t)c.using_count * sizeof(calls_using));
        if (!out->usings) c.oom = true;
        else out->using_count = c.using_count;
    }
done:
    free(c.mods.keys);
    free(c.mods.vals);
    free(c.clauses.keys);
    free(c.clauses.vals);
    free(c.strs.slots);
    free(c.sites);
    free(c.usings);
    if (c.oom) {
        memset(out, 0, sizeof(*out));
        return EXS_ERR_NOMEM;
    }
    return EXS_OK;
}

/* ---- resolve -------------------------------------------------------------------------- */

static bool exports(const calls_lookup *l, const char *mod, const char *name, uint32_t arity,
                    uint8_t *kind) {
    *kind = DEFS_DEF;
    return l && l->exports && mod && l->exports(l->ctx, mod, name, arity, kind);
}

static bool is_macro_kind(uint8_t k) {
    return k == DEFS_DEFMACRO || k == DEFS_DEFMACROP || k == DEFS_DEFGUARD || k == DEFS_DEFGUARDP;
}

/* Whether import `im` brings in name/arity (of kind `kind`, which M exports). */
static bool import_admits(const calls_import *im, const char *name, uint32_t arity, uint8_t kind) {
    bool macro = is_macro_kind(kind);
    switch (im->mode) {
    case CALLS_IMPORT_ALL: return true;
    case CALLS_IMPORT_FUNCTIONS: return !macro;
    case CALLS_IMPORT_MACROS: return macro;
    case CALLS_IMPORT_SIGILS: return strncmp(name, "sigil_", 6) == 0;
    case CALLS_IMPORT_ONLY:
    case CALLS_IMPORT_EXCEPT: {
        bool listed = false;
        for (uint32_t i = 0; i < im->count && !listed; i++)
            listed = im->arities[i] == arity && strcmp(im->names[i], name) == 0;
        return im->mode == CALLS_IMPORT_ONLY ? listed : !listed;
    }
    default: return false;
    }
}

/* The file's own functions by (module, name, arity): an open-addressing table of
 * function indices built once per calls_resolve (NULL table: linear search). */
typedef struct {
    uint32_t *slots; /* function index + 1; 0 empty */
    uint32_t cap;
} fun_index;

static uint32_t fun_hash(uint32_t module, const char *name, uint32_t arity) {
    return hash_str(name, strlen(name)) ^ hash32(module * 31 + arity);
}

static bool fun_matches(const defs_function *f, uint32_t module, const char *name, uint32_t arity) {
    return f->module == module && f->arity == arity && f->name && !f->in_using &&
           strcmp(f->name, name) == 0;
}

static void fun_index_build(fun_index *ix, const defs_result *d) {
    ix->cap = 16;
    while (ix->cap < d->function_count * 2 + 2) ix->cap *= 2;
    ix->slots = calloc(ix->cap, sizeof(uint32_t));
    if (!ix->slots) return;
    for (uint32_t i = 0; i < d->function_count; i++) {
        const defs_function *f = &d->functions[i];
        if (!f->name || f->in_using) continue;
        uint32_t j = fun_hash(f->module, f->name, f->arity) & (ix->cap - 1);
        bool dup = false;
        while (ix->slots[j] && !dup) {
            dup = fun_matches(&d->functions[ix->slots[j] - 1], f->module, f->name, f->arity);
            if (!dup) j = (j + 1) & (ix->cap - 1);
        }
        if (!dup) ix->slots[j] = i + 1;
    }
}

/* The module's own name/arity (any visibility; default-argument arities included). */
static const defs_function *own_fun(const defs_result *d, const fun_index *ix, uint32_t module,
                                    const char *name, uint32_t arity, bool public_only) {
    if (module == DEFS_NONE) return NULL;
    const defs_function *hit = NULL;
    if (ix->slots) {
        uint32_t j = fun_hash(module, name, arity) & (ix->cap - 1);
        for (; ix->slots[j] && !hit; j = (j + 1) & (ix->cap - 1))
            if (fun_matches(&d->functions[ix->slots[j] - 1], module, name, arity))
                hit = &d->functions[ix->slots[j] - 1];
    } else {
        for (uint32_t i = 0; i < d->function_count && !hit; i++)
            if (fun_matches(&d->functions[i], module, name, arity)) hit = &d->functions[i];
    }
    return hit && (!public_only || hit->is_public) ? hit : NULL;
}

static void set_target(calls_site *x, calls_resolution r, const char *mod, uint8_t kind) {
    x->resolution = (uint8_t)r;
    x->target_module = mod;
    x->target_kind = kind;
    x->target_is_macro = is_macro_kind(kind);
}

/* The names Kernel.SpecialForms defines (any arity: `for` and `with` take any number of
 * arguments though defined with one). */
typedef struct {
    const char *names[128];
    uint32_t arities[128];
    uint32_t count;
} special_names;

static bool is_special(const special_names *sf, const char *name) {
    for (uint32_t i = 0; i < sf->count; i++)
        if (sf->names[i][0] == name[0] && strcmp(sf->names[i], name) == 0) return true;
    return false;
}

/* `use M`: the imports of M's __using__, following its own `use`s (a few levels). */
static bool resolve_used(calls_site *x, const char *module, const calls_lookup *l,
                         calls_using_fn using, int depth) {
    if (!using || !l || depth > 4) return false;
    uint8_t k;
    for (const calls_import *ui = using(l->ctx, module); ui; ui = ui->next) {
        if (ui->mode == CALLS_IMPORT_USING) {
            if (resolve_used(x, ui->module, l, using, depth + 1)) return true;
            continue;
        }
        if (exports(l, ui->module, x->name, x->arity, &k) && import_admits(ui, x->name, x->arity, k)) {
            set_target(x, CALLS_TO_IMPORT, ui->module, k);
            return true;
        }
    }
    return false;
}

static void resolve_local(calls_site *x, const defs_result *d, const fun_index *ix,
                          const calls_lookup *l, calls_using_fn using, const special_names *sf) {
    uint8_t k;
    if (exports(l, "Kernel.SpecialForms", x->name, x->arity, &k)) {
        set_target(x, CALLS_TO_SPECIAL_FORM, "Kernel.SpecialForms", k);
        return;
    }
    if (is_special(sf, x->name)) {
        set_target(x, CALLS_TO_SPECIAL_FORM, "Kernel.SpecialForms", DEFS_DEFMACRO);
        return;
    }
    const defs_function *f = own_fun(d, ix, x->caller_module, x->name, x->arity, false);
    if (f) {
        set_target(x, CALLS_TO_LOCAL, d->modules[x->caller_module].name, f->kind);
        return;
    }
    /* imports, innermost first; a later import of the same module replaces earlier ones */
    bool kernel_seen = false;
    for (const calls_import *im = x->imports; im; im = im->next) {
        if (im->mode == CALLS_IMPORT_USING) {
            if (resolve_used(x, im->module, l, using, 0)) return;
            continue;
        }
        bool shadowed = false;
        for (const calls_import *p = x->imports; p != im; p = p->next)
            if (p->mode != CALLS_IMPORT_USING && strcmp(p->module, im->module) == 0) shadowed = true;
        if (shadowed) continue;
        if (strcmp(im->module, "Kernel") == 0) kernel_seen = true;
        if (exports(l, im->module, x->name, x->arity, &k) && import_admits(im, x->name, x->arity, k)) {
            set_target(x, CALLS_TO_IMPORT, im->module, k);
            return;
        }
    }
    if (!kernel_seen && exports(l, "Kernel", x->name, x->arity, &k)) {
        set_target(x, CALLS_TO_IMPORT, "Kernel", k);
        return;
    }
}

void calls_resolve(calls_result *calls, const defs_result *defs, const calls_lookup *lookup) {
    calls_resolve_using(calls, defs, lookup, NULL);
}

void calls_resolve_using(calls_result *calls, const defs_result *defs,
                         const calls_lookup *lookup, calls_using_fn using) {
    special_names sf;
    sf.count = 0;
    if (lookup && lookup->exports_of)
        sf.count = lookup->exports_of(lookup->ctx, "Kernel.SpecialForms", sf.names, sf.arities, 128);
    if (sf.count > 128) sf.count = 128;
    fun_index ix = {0};
    fun_index_build(&ix, defs);
    for (uint32_t i = 0; i < calls->site_count; i++) {
        calls_site *x = &calls->sites[i];
        x->resolution = CALLS_UNRESOLVED;
        x->target_module = NULL;
        x->target_kind = 0;
        x->target_is_macro = false;
        if (x->form == CALLS_LOCAL) {
            resolve_local(x, defs, &ix, lookup, using, &sf);
            continue;
        }
        if (!x->module || !x->name[0] || x->arity == CALLS_ARITY_UNKNOWN) continue;
        uint8_t k;
        if (exports(lookup, x->module, x->name, x->arity, &k)) {
            set_target(x, CALLS_TO_REMOTE, x->module, k);
            continue;
        }
        /* every compiled Elixir module has __info__/1 and module_info/0,1 */
        if (((x->arity == 1 && strcmp(x->name, "__info__") == 0) ||
             (x->arity <= 1 && strcmp(x->name, "module_info") == 0)) &&
            lookup && lookup->exports_of &&
            lookup->exports_of(lookup->ctx, x->module, NULL, NULL, 0) > 0) {
            set_target(x, CALLS_TO_REMOTE, x->module, DEFS_DEF);
            continue;
        }
        const char *own = x->caller_module != DEFS_NONE ? defs->modules[x->caller_module].name : NULL;
        const defs_function *f = own && strcmp(own, x->module) == 0
                                     ? own_fun(defs, &ix, x->caller_module, x->name, x->arity, true)
                                     : NULL;
        if (f) set_target(x, CALLS_TO_REMOTE, own, f->kind);
    }
    free(ix.slots);
}

const char *calls_form_name(calls_form f) {
    switch (f) {
    case CALLS_LOCAL: return "local";
    case CALLS_REMOTE: return "remote";
    case CALLS_DYNAMIC: return "dynamic";
    }
    return "?";
}

const char *calls_resolution_name(calls_resolution r) {
    switch (r) {
    case CALLS_UNRESOLVED: return "unresolved";
    case CALLS_TO_LOCAL: return "local";
    case CALLS_TO_IMPORT: return "import";
    case CALLS_TO_REMOTE: return "remote";
    case CALLS_TO_SPECIAL_FORM: return "special_form";
    }
    return "?";
}
