/* gen.c: a deterministic generator of synthetic Elixir projects (bench_gen).
 *
 * Usage: bench_gen OUTDIR --modules N --seed S [--functions-per-module K]
 *
 * Writes OUTDIR/mix.exs, OUTDIR/lib/synth/{kit,guards,helpers}.ex (three support
 * modules: a `use` target, defguards, importable helpers) and N generated modules, one
 * per file, lib/synth/<area>/<noun>[/<role>].ex for Synth.<Area>.<Noun>[.<Role>], plus
 * OUTDIR/manifest.tsv: every module, every definition and every call from one generated
 * function to another (local, remote, through an alias, imported, piped, captured), with
 * its line, so a call graph built from the ASTs can be checked against it.
 *
 * Design: two phases. The plan phase fixes every module's name, aliases, imports,
 * attributes, struct and the signature of every function (name, arity, parameter and
 * return "kinds"), so the emit phase can call any function of any module with the right
 * arity. The emit phase writes code top-down, tracking the bound variables in scope
 * (copied into nested constructs, as Elixir scopes them) and a rough kind per variable
 * (integer, string, list, map, ...) so the code reads like real code.
 *
 * Invariants (what keeps the output valid, and compilable with elixirc, though only
 * parsing is checked by the benchmark):
 * - Same seed, same arguments: byte-identical output (a private splitmix64, no libc
 *   rand, no clocks, no hash-order iteration).
 * - Every referenced variable is bound; `_`-prefixed names are never read.
 * - Compile-time dependencies (use, import, require, %Struct{}) point only to support
 *   modules or to generated modules with a lower index, so they form no cycle; remote
 *   calls (runtime dependencies) go anywhere.
 * - Names: module segments avoid Elixir's own module names (no alias shadows String);
 *   function names (verb_noun) avoid Kernel's and the helpers' names, and an imported
 *   function never shares a name with a local one.
 * - Block constructs (case, cond, with, try, receive, for ... do) appear only as a
 *   statement or the right side of `=`; keyword arguments come last.
 *
 * Called by hand and by bench/run.sh (a generated-project row of the parse benchmark). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_PARAMS 4
#define MAX_VARS 48
#define MAX_ALIASES 5
#define MAX_FIELDS 6

/* ---- output buffer that counts lines --------------------------------------------- */

typedef struct buf {
    char *p;
    size_t len, cap;
    unsigned line; /* 1-based line of the next character written */
} buf;

static void die(const char *what) {
    fprintf(stderr, "bench_gen: %s\n", what);
    exit(2);
}

static void put_n(buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p) die("out of memory");
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    for (size_t i = 0; i < n; i++)
        b->line += s[i] == '\n';
}

static void put(buf *b, const char *s) { put_n(b, s, strlen(s)); }

static void putf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(buf *b, const char *fmt, ...) {
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp) die("internal: putf overflow");
    put_n(b, tmp, (size_t)n);
}

static void indent(buf *b, int n) {
    static const char sp[] = "                                                            ";
    while (n > 0) {
        int k = n > (int)sizeof sp - 1 ? (int)sizeof sp - 1 : n;
        put_n(b, sp, (size_t)k);
        n -= k;
    }
}

/* ---- deterministic randomness ------------------------------------------------------ */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next64(rng *r) { /* splitmix64 */
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static unsigned rnd(rng *r, unsigned n) { return n ? (unsigned)(next64(r) % n) : 0; }
static bool chance(rng *r, unsigned pct) { return rnd(r, 100) < pct; }
#define PICK(r, arr) ((arr)[rnd((r), (unsigned)ARRAY_LEN(arr))])

/* ---- vocabulary ---------------------------------------------------------------------
 * None of these is the name of an Elixir module, Kernel function or helper below. */

static const char *const AREAS[] = {
    "Billing",   "Catalog",  "Inventory",  "Shipping",      "Accounts",   "Analytics",
    "Messaging", "Payments", "Search",     "Scheduling",    "Reporting",  "Identity",
    "Pricing",   "Storage",  "Routing",    "Notifications", "Audit",      "Media",
    "Geo",       "Support",  "Fulfilment", "Loyalty",       "Compliance", "Telemetry"};
static const char *const NOUNS[] = {
    "Invoice", "Ledger",  "Account", "Order",      "Cart",     "Shipment", "Parcel",   "Widget",
    "Gadget",  "Sensor",  "Reading", "Metric",     "Report",   "Ticket",   "Session",  "Token",
    "Profile", "Address", "Coupon",  "Discount",   "Product",  "Variant",  "Vendor",   "Warehouse",
    "Route",   "Carrier", "Quote",   "Payment",    "Refund",   "Receipt",  "Campaign", "Segment",
    "Channel", "Message", "Thread",  "Attachment", "Document", "Folder",   "Rating",   "Review"};
static const char *const ROLES[] = {
    "Server",  "Store",     "Policy",   "Codec",    "View",     "Query",      "Worker",  "Cache",
    "Builder", "Validator", "Importer", "Exporter", "Notifier", "Projection", "Handler", "Planner"};
static const char *const AS_NAMES[] = {"Remote", "Backend", "Upstream", "Peer",
                                       "Source", "Target",  "Sink",     "Origin"};
static const char *const VERBS[] = {
    "compute",   "build",  "fetch",     "load",    "merge",   "split", "render",  "score",
    "encode",    "decode", "normalize", "collect", "rank",    "group", "resolve", "prepare",
    "summarize", "expand", "filter",    "publish", "refresh", "track", "sync",    "index"};
static const char *const BOOL_VERBS[] = {"valid", "empty",  "ready",  "stale",
                                         "known", "active", "expired"};
static const char *const FN_NOUNS[] = {
    "total",    "items", "batch",   "window",  "summary", "entry",  "record", "label",
    "weights",  "delta", "ranking", "payload", "header",  "rows",   "chunk",  "limits",
    "snapshot", "path",  "key",     "totals",  "events",  "bucket", "cursor", "quota"};
static const char *const FIELDS[] = {"id",    "name", "status",  "count",    "total",
                                     "items", "tags", "owner",   "label",    "score",
                                     "meta",  "kind", "version", "priority", "amount"};

/* ---- kinds of values ------------------------------------------------------------- */

typedef enum { K_INT, K_STR, K_LIST, K_MAP, K_ATOM, K_TUPLE, K_BOOL, K_KW, K_STRUCT, K_ANY } kind;
#define K_COUNT_PLAIN 8 /* K_INT..K_KW: the kinds any module can produce */

static const char *const SPEC_TYPE[] = {"integer()", "String.t()", "list()",    "map()", "atom()",
                                        "tuple()",   "boolean()",  "keyword()", "t()",   "term()"};

static const char *const VAR_BASE[][4] = {
    [K_INT] = {"count", "size", "n", "offset"},
    [K_STR] = {"text", "label", "name", "prefix"},
    [K_LIST] = {"items", "entries", "list", "rows"},
    [K_MAP] = {"attrs", "params", "fields", "index"},
    [K_ATOM] = {"mode", "tag", "status", "kind"},
    [K_TUPLE] = {"pair", "result", "reply", "outcome"},
    [K_BOOL] = {"flag", "enabled", "strict", "dirty"},
    [K_KW] = {"opts", "options", "config", "settings"},
    [K_STRUCT] = {"state", "record", "current", "struct"},
    [K_ANY] = {"value", "input", "term", "data"},
};

/* ---- the plan ----------------------------------------------------------------------- */

typedef struct fn_plan {
    char name[48];
    int arity, defaults; /* defaults: trailing parameters with a default (0 or 1) */
    int clauses;
    bool is_public, header;        /* header: a bodiless head carries the defaults */
    int delegate_mod, delegate_fn; /* defdelegate to that module's function, or -1 */
    kind params[MAX_PARAMS];
    kind ret;
} fn_plan;

typedef struct mod_plan {
    char name[128], last[48], path[256];
    fn_plan *fns;
    int nfns;
    bool has_struct, has_failure, has_impl, uses_kit, logger, bitwise, guards;
    char fields[MAX_FIELDS][16];
    int nfields;
    unsigned helpers;  /* bit i: helper i is imported */
    int import_mod;    /* a lower-index module imported with only:, or -1 */
    int import_fns[2]; /* its functions imported */
    int nimport;
    int aliases[MAX_ALIASES];
    char alias_as[MAX_ALIASES][48]; /* the name it is known by here */
    int naliases;
    int struct_mod; /* a lower-index module whose struct is built here, or -1 */
    bool attr_timeout, attr_prefix, attr_kinds, attr_pattern;
} mod_plan;

typedef struct helper {
    const char *name;
    int arity;
    kind params[3];
    kind ret;
} helper;

static const helper HELPERS[] = {
    {"clamp", 3, {K_INT, K_INT, K_INT}, K_INT}, {"pad_label", 2, {K_STR, K_INT}, K_STR},
    {"wrap_ok", 1, {K_ANY}, K_TUPLE},           {"unwrap_or", 2, {K_TUPLE, K_ANY}, K_ANY},
    {"merge_opts", 2, {K_KW, K_KW}, K_KW},
};
#define HELPERS_MOD "Synth.Helpers"

/* ---- generator state ------------------------------------------------------------------ */

typedef struct var {
    char name[24];
    kind k;
} var;

typedef struct scope {
    var v[MAX_VARS];
    int n;
} scope;

typedef struct gen {
    rng r;
    mod_plan *mods;
    int nmods;
    buf out;      /* the file being written */
    buf manifest; /* manifest.tsv */
    const mod_plan *mod;
    const fn_plan *fn; /* the function being written (caller in the manifest) */
    char used[96][24]; /* variable names used in this function */
    int nused;
    bool allow_pin; /* patterns of case clauses may pin variables in scope */
} gen;

/* ---- plan phase ------------------------------------------------------------------------ */

static void underscore(const char *camel, char *out, size_t cap) {
    size_t o = 0;
    for (size_t i = 0; camel[i] && o + 2 < cap; i++) {
        char c = camel[i];
        if (c == '.') {
            out[o++] = '/';
        } else if (c >= 'A' && c <= 'Z') {
            if (i > 0 && camel[i - 1] != '.') out[o++] = '_';
            out[o++] = (char)(c - 'A' + 'a');
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
}

static bool mod_name_taken(const gen *g, int upto, const char *name) {
    for (int i = 0; i < upto; i++)
        if (strcmp(g->mods[i].name, name) == 0) return true;
    return false;
}

static bool fn_name_taken(const mod_plan *m, int upto, const char *name) {
    for (int i = 0; i < upto; i++)
        if (strcmp(m->fns[i].name, name) == 0) return true;
    return false;
}

static kind pick_param_kind(rng *r) {
    static const kind ks[] = {K_INT, K_INT,  K_STR,   K_STR, K_LIST, K_LIST,
                              K_MAP, K_ATOM, K_TUPLE, K_KW,  K_ANY,  K_BOOL};
    return PICK(r, ks);
}

static void plan_function(gen *g, mod_plan *m, int fi) {
    rng *r = &g->r;
    fn_plan *f = &m->fns[fi];
    memset(f, 0, sizeof(*f));
    f->delegate_mod = f->delegate_fn = -1;
    /* At least one public function per module; about two in three are public. */
    f->is_public = fi == 0 || chance(r, 65);
    static const int arities[] = {0, 1, 1, 2, 2, 2, 3, 3, 4};
    f->arity = PICK(r, arities);
    for (int i = 0; i < f->arity; i++)
        f->params[i] = pick_param_kind(r);
    if (m->has_struct && f->arity > 0 && chance(r, 30)) f->params[0] = K_STRUCT;
    static const kind rets[] = {K_INT,   K_STR,   K_LIST, K_MAP, K_ATOM,
                                K_TUPLE, K_TUPLE, K_BOOL, K_KW};
    f->ret = PICK(r, rets);
    if (m->has_struct && chance(r, 15)) f->ret = K_STRUCT;
    f->clauses = f->arity == 0 ? 1 : 1 + (int)rnd(r, chance(r, 50) ? 3 : 1);
    if (f->arity > 0 && chance(r, 20)) {
        f->defaults = 1;
        f->header = f->clauses > 1;
    }
    char name[48];
    for (int attempt = 0;; attempt++) {
        if (f->ret == K_BOOL)
            snprintf(name, sizeof name, "%s_%s?", PICK(r, BOOL_VERBS), PICK(r, FN_NOUNS));
        else
            snprintf(name, sizeof name, "%s%s_%s%s", !f->is_public && chance(r, 40) ? "do_" : "",
                     PICK(r, VERBS), PICK(r, FN_NOUNS), f->is_public && chance(r, 5) ? "!" : "");
        if (attempt > 20) {
            size_t n = strlen(name);
            char suffix = (name[n - 1] == '?' || name[n - 1] == '!') ? name[n - 1] : 0;
            if (suffix) name[n - 1] = '\0';
            char tmp[48];
            snprintf(tmp, sizeof tmp, "%.36s%d%s", name, attempt,
                     suffix == '?' ? "?"
                     : suffix      ? "!"
                                   : "");
            memcpy(name, tmp, sizeof name);
        }
        if (!fn_name_taken(m, fi, name)) break;
    }
    memcpy(f->name, name, sizeof name);
}

static void plan_module(gen *g, int mi, int nfns) {
    rng *r = &g->r;
    mod_plan *m = &g->mods[mi];
    memset(m, 0, sizeof(*m));
    char name[128];
    const char *area = PICK(r, AREAS), *noun = PICK(r, NOUNS);
    bool role = chance(r, 40);
    const char *rl = PICK(r, ROLES);
    if (role)
        snprintf(name, sizeof name, "Synth.%s.%s.%s", area, noun, rl);
    else
        snprintf(name, sizeof name, "Synth.%s.%s", area, noun);
    for (int n = 2; mod_name_taken(g, mi, name); n++) {
        if (role)
            snprintf(name, sizeof name, "Synth.%s.%s.%s%d", area, noun, rl, n);
        else
            snprintf(name, sizeof name, "Synth.%s.%s%d", area, noun, n);
    }
    memcpy(m->name, name, sizeof name);
    snprintf(m->last, sizeof m->last, "%s", strrchr(name, '.') + 1);
    char under[200];
    underscore(name, under, sizeof under);
    snprintf(m->path, sizeof m->path, "lib/%s.ex", under);

    m->has_struct = chance(r, 35);
    if (m->has_struct) {
        m->nfields = 2 + (int)rnd(r, MAX_FIELDS - 1);
        int start = (int)rnd(r, ARRAY_LEN(FIELDS));
        for (int i = 0; i < m->nfields; i++)
            snprintf(m->fields[i], sizeof m->fields[i], "%s",
                     FIELDS[(start + i * 2) % (int)ARRAY_LEN(FIELDS)]);
        m->has_impl = chance(r, 30);
    }
    m->has_failure = chance(r, 20);
    m->uses_kit = chance(r, 40);
    m->logger = chance(r, 30);
    m->bitwise = chance(r, 15);
    m->guards = chance(r, 30);
    for (unsigned h = 0; h < ARRAY_LEN(HELPERS); h++)
        if (chance(r, 35)) m->helpers |= 1u << h;
    m->attr_timeout = chance(r, 60);
    m->attr_prefix = chance(r, 40);
    m->attr_kinds = chance(r, 30);
    m->attr_pattern = chance(r, 20);
    m->import_mod = -1;
    m->struct_mod = -1;

    m->nfns = nfns;
    m->fns = calloc((size_t)nfns + 1, sizeof(fn_plan)); /* + a defdelegate */
    if (!m->fns) die("out of memory");
    for (int fi = 0; fi < nfns; fi++)
        plan_function(g, m, fi);
}

/* Aliases, imports and struct use need every module planned first. */
static void plan_links(gen *g, int mi) {
    rng *r = &g->r;
    mod_plan *m = &g->mods[mi];
    if (g->nmods < 2) return;
    if (chance(r, 15)) { /* a defdelegate to a public function of another module */
        int j = (int)rnd(r, (unsigned)g->nmods);
        const mod_plan *o = &g->mods[j];
        const fn_plan *t = &o->fns[rnd(r, (unsigned)o->nfns)];
        if (j != mi && t->is_public && !t->defaults && t->delegate_mod < 0 &&
            !fn_name_taken(m, m->nfns, t->name)) {
            fn_plan *f = &m->fns[m->nfns++];
            *f = *t;
            f->clauses = 1;
            f->header = false;
            f->delegate_mod = j;
            f->delegate_fn = (int)(t - o->fns);
        }
    }
    int want = (int)rnd(r, MAX_ALIASES + 1);
    for (int t = 0; t < want * 3 && m->naliases < want; t++) {
        int j = (int)rnd(r, (unsigned)g->nmods);
        if (j == mi) continue;
        const mod_plan *o = &g->mods[j];
        char as[48];
        bool use_as = chance(r, 15);
        if (use_as)
            snprintf(as, sizeof as, "%s%d", PICK(r, AS_NAMES), (int)rnd(r, 10));
        else
            snprintf(as, sizeof as, "%s", o->last);
        /* One module per alias name; never the module's own last segment or its
         * nested Failure/State modules. */
        bool clash = strcmp(as, m->last) == 0;
        for (int a = 0; a < m->naliases && !clash; a++)
            clash = m->aliases[a] == j || strcmp(m->alias_as[a], as) == 0;
        if (clash) continue;
        m->aliases[m->naliases] = j;
        snprintf(m->alias_as[m->naliases], sizeof m->alias_as[0], "%s", as);
        m->naliases++;
    }
    if (mi > 0 && chance(r, 30)) {
        int j = (int)rnd(r, (unsigned)mi);
        const mod_plan *o = &g->mods[j];
        for (int k = 0; k < o->nfns && m->nimport < 2; k++) {
            const fn_plan *f = &o->fns[k];
            if (!f->is_public || fn_name_taken(m, m->nfns, f->name)) continue;
            if (chance(r, 50)) m->import_fns[m->nimport++] = k;
        }
        if (m->nimport) m->import_mod = j;
    }
    if (mi > 0 && chance(r, 40)) {
        int j = (int)rnd(r, (unsigned)mi);
        if (g->mods[j].has_struct) m->struct_mod = j;
    }
}

/* ---- manifest ---------------------------------------------------------------------------- */

static void note_def(gen *g, const char *mod, const char *name, int arity, const char *how,
                     unsigned line, int clauses, int defaults) {
    putf(&g->manifest, "def\t%s\t%s\t%d\t%s\t%u\t%d\t%d\n", mod, name, arity, how, line, clauses,
         defaults);
}

/* A call from the current function to mod.name/arity, written at the current line. */
static void note_call(gen *g, const char *mod, const char *name, int arity, const char *how) {
    putf(&g->manifest, "call\t%s\t%s\t%d\t%s\t%s\t%d\t%u\t%s\n", g->mod->name, g->fn->name,
         g->fn->arity, mod, name, arity, g->out.line, how);
}

/* ---- scopes and variables ----------------------------------------------------------------- */

static const var *find_var(gen *g, const scope *sc, kind k) {
    int idx[MAX_VARS], n = 0;
    for (int i = 0; i < sc->n; i++)
        if (sc->v[i].k == k || k == K_ANY) idx[n++] = i;
    return n ? &sc->v[idx[rnd(&g->r, (unsigned)n)]] : NULL;
}

static bool name_used(const gen *g, const char *s) {
    for (int i = 0; i < g->nused; i++)
        if (strcmp(g->used[i], s) == 0) return true;
    return false;
}

/* A name not yet used in this function, so no binding shadows another. */
static void fresh(gen *g, kind k, char out[24]) {
    const char *base = VAR_BASE[k][rnd(&g->r, 4)];
    snprintf(out, 24, "%s", base);
    for (int n = 2; name_used(g, out); n++)
        snprintf(out, 24, "%s%d", base, n);
    if (g->nused < (int)ARRAY_LEN(g->used)) snprintf(g->used[g->nused++], 24, "%s", out);
}

static void bind(scope *sc, const char *name, kind k) {
    if (sc->n == MAX_VARS) return; /* stays valid: the variable is just not reused */
    snprintf(sc->v[sc->n].name, sizeof sc->v[0].name, "%s", name);
    sc->v[sc->n].k = k;
    sc->n++;
}

/* ---- literals ----------------------------------------------------------------------------- */

static void lit(gen *g, kind k) {
    rng *r = &g->r;
    buf *b = &g->out;
    static const char *const ints[] = {"0",   "1",     "2",      "3",    "7",      "42",
                                       "100", "1_000", "65_536", "0x1F", "0b1010", "0o755",
                                       "?a",  "?\\s",  "-1",     "255"};
    static const char *const strs[] = {
        "\"\"",          "\"ok\"",       "\"pending\"",        "\"naïve café\"",
        "\"tab\\tsep\"", "\"line\\n\"",  "\"say \\\"hi\\\"\"", "\"日本語\"",
        "\"a-b-c\"",     "\"100%\"",     "\"x\\\\y\"",         "\"\\#{not_interp}\"",
        "~s(quoted)",    "~s[brackets]", "~S|raw #{x}|",       "\"\\u00e9t\\u00e9\""};
    static const char *const atoms[] = {
        ":ok",    ":error", ":pending", ":done",  ":\"needs quotes\"", ":retry?",
        ":halt!", "nil",    ":sync",    ":async", "__MODULE__"};
    switch (k) {
    case K_INT:
        put(b, PICK(r, ints));
        break;
    case K_STR:
        put(b, PICK(r, strs));
        break;
    case K_LIST: {
        static const char *const lists[] = {"[]",
                                            "[1, 2, 3]",
                                            "~w(alpha beta gamma)",
                                            "~w[red green]a",
                                            "~w{one two}s",
                                            "~w<x y>",
                                            "[:a, :b]",
                                            "[1 | [2, 3]]",
                                            "~c\"xyz\"",
                                            "[\"one\", \"two\",]",
                                            "'charlist'"};
        put(b, PICK(r, lists));
        break;
    }
    case K_MAP: {
        static const char *const maps[] = {"%{}",
                                           "%{a: 1, b: 2}",
                                           "%{\"key\" => \"value\"}",
                                           "%{1 => :one, :two => 2}",
                                           "%{nested: %{deep: true}}",
                                           "%{\"mixed\" => 1, ok: true}"};
        put(b, PICK(r, maps));
        break;
    }
    case K_ATOM:
        put(b, PICK(r, atoms));
        break;
    case K_TUPLE: {
        static const char *const tuples[] = {
            "{:ok, nil}", "{:error, :not_found}", "{}",
            "{1, 2, 3}",  "{:ok, \"done\"}",      "{:noreply, %{}}"};
        put(b, PICK(r, tuples));
        break;
    }
    case K_BOOL:
        put(b, chance(r, 50) ? "true" : "false");
        break;
    case K_KW: {
        static const char *const kws[] = {"[]",
                                          "[timeout: 5_000]",
                                          "[retries: 3, backoff: :linear]",
                                          "[\"quoted key\": 1]",
                                          "[do: 1, else: 2]",
                                          "[strict: true, mode: :fast]"};
        put(b, PICK(r, kws));
        break;
    }
    case K_STRUCT:
        if (g->mod->has_struct)
            put(b, "%__MODULE__{}");
        else
            put(b, "%{}");
        break;
    case K_ANY:
        lit(g, (kind)rnd(r, K_COUNT_PLAIN));
        break;
    }
}

/* ---- expressions (single line) -------------------------------------------------------------- */

static void expr(gen *g, const scope *sc, kind k, int d);

static void var_or_lit(gen *g, const scope *sc, kind k) {
    const var *v = find_var(g, sc, k);
    if (v && chance(&g->r, 75))
        put(&g->out, v->name);
    else
        lit(g, k);
}

/* Arguments for a call to a function with parameter kinds ps. */
static void args(gen *g, const scope *sc, const kind *ps, int n, int d) {
    for (int i = 0; i < n; i++) {
        if (i) put(&g->out, ", ");
        expr(g, sc, ps[i], d - 1);
    }
}

/* How another module is named here: its alias if it has one. */
static const char *mod_ref(gen *g, int j, const char **how) {
    const mod_plan *m = g->mod;
    for (int a = 0; a < m->naliases; a++)
        if (m->aliases[a] == j && chance(&g->r, 80)) {
            *how = "alias";
            return m->alias_as[a];
        }
    *how = "remote";
    return g->mods[j].name;
}

/* A call to a generated function returning k (or anything for K_ANY): local, imported,
 * a helper, or remote. Returns false when none fits. */
static bool gen_call(gen *g, const scope *sc, kind k, int d) {
    rng *r = &g->r;
    buf *b = &g->out;
    const mod_plan *m = g->mod;
    for (int attempt = 0; attempt < 6; attempt++) {
        unsigned what = rnd(r, 10);
        if (what < 4) { /* local */
            const fn_plan *f = &m->fns[rnd(r, (unsigned)m->nfns)];
            if (k != K_ANY && f->ret != k) continue;
            int arity = f->arity - (f->defaults && chance(r, 40) ? 1 : 0);
            bool via_module = f->is_public && chance(r, 10);
            note_call(g, m->name, f->name, arity, via_module ? "module" : "local");
            putf(b, "%s%s(", via_module ? "__MODULE__." : "", f->name);
            args(g, sc, f->params, arity, d);
            put(b, ")");
            return true;
        } else if (what < 5 && m->import_mod >= 0) { /* imported from a generated module */
            const mod_plan *o = &g->mods[m->import_mod];
            const fn_plan *f = &o->fns[m->import_fns[rnd(r, (unsigned)m->nimport)]];
            if (k != K_ANY && f->ret != k) continue;
            note_call(g, o->name, f->name, f->arity, "import");
            putf(b, "%s(", f->name);
            args(g, sc, f->params, f->arity, d);
            put(b, ")");
            return true;
        } else if (what < 6 && m->helpers) { /* imported helper */
            unsigned h = rnd(r, ARRAY_LEN(HELPERS));
            if (!(m->helpers & (1u << h))) continue;
            const helper *hp = &HELPERS[h];
            if (k != K_ANY && hp->ret != k && hp->ret != K_ANY) continue;
            note_call(g, HELPERS_MOD, hp->name, hp->arity, "import");
            putf(b, "%s(", hp->name);
            args(g, sc, hp->params, hp->arity, d);
            put(b, ")");
            return true;
        } else if (g->nmods > 1) { /* remote */
            int j = (int)rnd(r, (unsigned)g->nmods);
            const mod_plan *o = &g->mods[j];
            if (j == (int)(m - g->mods)) continue;
            const fn_plan *f = &o->fns[rnd(r, (unsigned)o->nfns)];
            if (!f->is_public || (k != K_ANY && f->ret != k)) continue;
            const char *how, *ref = mod_ref(g, j, &how);
            int arity = f->arity - (f->defaults && chance(r, 30) ? 1 : 0);
            note_call(g, o->name, f->name, arity, how);
            putf(b, "%s.%s(", ref, f->name);
            args(g, sc, f->params, arity, d);
            put(b, ")");
            return true;
        }
    }
    return false;
}

/* An anonymous function of one argument: fn item -> <expr of k> end. */
static void inline_fn(gen *g, const scope *sc, kind arg, kind k, int d) {
    scope in = *sc;
    char v[24];
    fresh(g, arg, v);
    bind(&in, v, arg);
    putf(&g->out, "fn %s -> ", v);
    expr(g, &in, k, d - 1);
    put(&g->out, " end");
}

static void expr_int(gen *g, const scope *sc, int d) {
    rng *r = &g->r;
    buf *b = &g->out;
    switch (rnd(r, 18)) {
    case 0:
    case 1:
        expr(g, sc, K_INT, d - 1);
        putf(b, " %s ", PICK(r, ((const char *const[]){"+", "-", "*", "+", "-"})));
        expr(g, sc, K_INT, d - 1);
        break;
    case 2:
        put(b, "length(");
        expr(g, sc, K_LIST, d - 1);
        put(b, ")");
        break;
    case 3:
        put(b, "map_size(");
        expr(g, sc, K_MAP, d - 1);
        put(b, ")");
        break;
    case 4:
        put(b, "String.length(");
        expr(g, sc, K_STR, d - 1);
        put(b, ")");
        break;
    case 5:
        putf(b, "%s(", PICK(r, ((const char *const[]){"div", "rem", "max", "min"})));
        expr(g, sc, K_INT, d - 1);
        put(b, ", ");
        expr(g, sc, K_INT, d - 1);
        put(b, ")");
        break;
    case 6:
        put(b, "Enum.sum(");
        expr(g, sc, K_LIST, d - 1);
        put(b, ")");
        break;
    case 7: {
        scope in = *sc;
        char x[24], acc[24];
        fresh(g, K_INT, x);
        fresh(g, K_INT, acc);
        bind(&in, x, K_INT);
        bind(&in, acc, K_INT);
        put(b, "Enum.reduce(");
        expr(g, sc, K_LIST, d - 1);
        putf(b, ", 0, fn %s, %s -> %s + ", x, acc, acc);
        expr(g, &in, K_INT, d - 1);
        put(b, " end)");
        break;
    }
    case 8:
        if (g->mod->attr_timeout) {
            put(b, "@timeout");
            break;
        }
        /* fall through */
    case 9:
        if (g->mod->bitwise) {
            expr(g, sc, K_INT, d - 1);
            putf(b, " %s ", PICK(r, ((const char *const[]){"&&&", "|||", "<<<", ">>>"})));
            lit(g, K_INT);
            break;
        }
        /* fall through */
    case 10:
        put(b, "abs(");
        expr(g, sc, K_INT, d - 1);
        put(b, ")");
        break;
    case 11:
        put(b, "Map.get(");
        expr(g, sc, K_MAP, d - 1);
        put(b, ", :count, 0)");
        break;
    case 12:
        put(b, "elem({");
        expr(g, sc, K_INT, d - 1);
        put(b, ", :x}, 0)");
        break;
    case 13:
        put(b, "2 ** ");
        lit(g, K_INT);
        break;
    case 14: {
        const var *kw = find_var(g, sc, K_KW), *st = find_var(g, sc, K_STRUCT);
        if (st && chance(r, 50))
            putf(b, "%s.%s", st->name, g->mod->fields[rnd(r, (unsigned)g->mod->nfields)]);
        else if (kw)
            putf(b, "%s[:%s] || %s", kw->name, PICK(r, FIELDS),
                 PICK(r, ((const char *const[]){"0", "1.5e3", "0.25"})));
        else
            putf(b, "%s(%s)", PICK(r, ((const char *const[]){"trunc", "round"})),
                 PICK(r, ((const char *const[]){"1.5e3", "0.25", "2.0e-2", "3.75"})));
        break;
    }
    case 15:
        put(b, "Enum.reduce(");
        expr(g, sc, K_LIST, d - 1);
        put(b, ", 0, &(&1 + &2))");
        break;
    default:
        if (!gen_call(g, sc, K_INT, d)) var_or_lit(g, sc, K_INT);
    }
}

static void expr_str(gen *g, const scope *sc, int d) {
    rng *r = &g->r;
    buf *b = &g->out;
    switch (rnd(r, 15)) {
    case 0:
    case 1: {
        /* Interpolation; the inner expressions may hold strings of their own. */
        put(b, "\"");
        int parts = 1 + (int)rnd(r, 3);
        for (int i = 0; i < parts; i++) {
            put(b, PICK(r, ((const char *const[]){"", "id=", " / ", "total: ", "é", "-"})));
            put(b, "#{");
            expr(g, sc, (kind)rnd(r, 3), d - 1);
            put(b, "}");
        }
        put(b, "\"");
        break;
    }
    case 2:
        expr(g, sc, K_STR, d - 1);
        put(b, " <> \"-\" <> ");
        expr(g, sc, K_STR, d - 1);
        break;
    case 3:
        put(b, "Integer.to_string(");
        expr(g, sc, K_INT, d - 1);
        put(b, ")");
        break;
    case 4:
        putf(b, "String.%s(",
             PICK(r, ((const char *const[]){"upcase", "downcase", "trim", "reverse"})));
        expr(g, sc, K_STR, d - 1);
        put(b, ")");
        break;
    case 5:
        put(b, "inspect(");
        expr(g, sc, K_ANY, d - 1);
        put(b, ")");
        break;
    case 6:
        put(b, "Enum.join(");
        expr(g, sc, K_LIST, d - 1);
        put(b, ", \", \")");
        break;
    case 7:
        put(b, "to_string(");
        expr(g, sc, K_ATOM, d - 1);
        put(b, ")");
        break;
    case 8:
        put(b, "~s(sigil #{");
        expr(g, sc, K_INT, d - 1);
        put(b, "} text)");
        break;
    case 11:
        put(b, "<<");
        var_or_lit(g, sc, K_INT);
        put(b, PICK(r, ((const char *const[]){"::8, \"tail\">>", "::utf8>>",
                                              "::size(16), 0::4, 1::4>>"})));
        break;
    case 9:
        if (g->mod->attr_prefix) {
            put(b, "@prefix <> ");
            expr(g, sc, K_STR, d - 1);
            break;
        }
        /* fall through */
    case 10:
        put(b, "\"");
        put(b, PICK(r, ((const char *const[]){"user", "order", "key"})));
        put(b, ":\" <> Integer.to_string(");
        expr(g, sc, K_INT, d - 1);
        put(b, ")");
        break;
    default:
        if (!gen_call(g, sc, K_STR, d)) var_or_lit(g, sc, K_STR);
    }
}

static void expr_list(gen *g, const scope *sc, int d) {
    rng *r = &g->r;
    buf *b = &g->out;
    switch (rnd(r, 14)) {
    case 0: {
        put(b, "[");
        int n = 1 + (int)rnd(r, 3);
        kind k = (kind)rnd(r, 3);
        for (int i = 0; i < n; i++) {
            if (i) put(b, ", ");
            expr(g, sc, k, d - 1);
        }
        put(b, "]");
        break;
    }
    case 1:
        put(b, "[");
        expr(g, sc, K_INT, d - 1);
        put(b, " | ");
        expr(g, sc, K_LIST, d - 1);
        put(b, "]");
        break;
    case 2:
        put(b, "Enum.map(");
        expr(g, sc, K_LIST, d - 1);
        put(b, ", ");
        inline_fn(g, sc, K_INT, K_INT, d);
        put(b, ")");
        break;
    case 3:
        expr(g, sc, K_LIST, d - 1);
        put(b, " ++ ");
        expr(g, sc, K_LIST, d - 1);
        break;
    case 4: {
        scope in = *sc;
        char x[24];
        fresh(g, K_INT, x);
        bind(&in, x, K_INT);
        /* Inside a container a no-parens `for ..., do: x` would be ambiguous. */
        putf(b, "for(%s <- ", x);
        expr(g, sc, K_LIST, d - 1);
        putf(b, ", %s > 0, do: ", x);
        expr(g, &in, K_INT, d - 1);
        put(b, ")");
        break;
    }
    case 5:
        put(b, "Enum.filter(");
        expr(g, sc, K_LIST, d - 1);
        put(b, PICK(r, ((const char *const[]){", &(&1 > 1))", ", &is_integer/1)",
                                              ", &(rem(&1, 2) == 0))"})));
        break;
    case 6:
        put(b, "Map.keys(");
        expr(g, sc, K_MAP, d - 1);
        put(b, ")");
        break;
    case 7: /* `1..a + b//2` would not parse: the bound is a variable or a literal */
        put(b, "Enum.to_list(1..");
        var_or_lit(g, sc, K_INT);
        put(b, "//2)");
        break;
    case 8:
        put(b, "String.split(");
        expr(g, sc, K_STR, d - 1);
        put(b, ", \",\", trim: true)");
        break;
    case 9:
        if (g->mod->attr_kinds) {
            put(b, "@kinds");
            break;
        }
        /* fall through */
    case 10:
        put(b, "Keyword.keys(");
        expr(g, sc, K_KW, d - 1);
        put(b, ")");
        break;
    case 11:
        put(b, "Enum.sort(");
        expr(g, sc, K_LIST, d - 1);
        put(b, ", :desc)");
        break;
    default:
        if (!gen_call(g, sc, K_LIST, d)) var_or_lit(g, sc, K_LIST);
    }
}

static void expr_map(gen *g, const scope *sc, int d) {
    rng *r = &g->r;
    buf *b = &g->out;
    switch (rnd(r, 12)) {
    case 0:
    case 1: {
        /* "k" => v pairs first, keyword pairs last, as Elixir requires. */
        put(b, "%{");
        bool any = false;
        if (chance(r, 40)) {
            put(b, "\"");
            put(b, PICK(r, FIELDS));
            put(b, "\" => ");
            expr(g, sc, K_ANY, d - 1);
            any = true;
        }
        int n = (int)rnd(r, 3) + (any ? 0 : 1);
        for (int i = 0; i < n; i++) {
            put(b, any ? ", " : "");
            putf(b, "%s: ", FIELDS[(rnd(r, 5) + (unsigned)i * 5) % ARRAY_LEN(FIELDS)]);
            expr(g, sc, (kind)rnd(r, K_COUNT_PLAIN), d - 1);
            any = true;
        }
        put(b, "}");
        break;
    }
    case 2:
        put(b, "Map.put(");
        expr(g, sc, K_MAP, d - 1);
        putf(b, ", :%s, ", PICK(r, FIELDS));
        expr(g, sc, K_ANY, d - 1);
        put(b, ")");
        break;
    case 3:
        put(b, "Map.merge(");
        expr(g, sc, K_MAP, d - 1);
        put(b, ", ");
        expr(g, sc, K_MAP, d - 1);
        put(b, ")");
        break;
    case 4: {
        const var *v = find_var(g, sc, K_MAP);
        if (v) {
            putf(b, "%%{%s | %s: ", v->name, PICK(r, FIELDS));
            expr(g, sc, K_ANY, d - 1);
            put(b, "}");
            break;
        }
    }
        /* fall through */
    case 5:
        put(b, "Map.new(");
        expr(g, sc, K_LIST, d - 1);
        put(b, ", &{&1, ");
        lit(g, K_ATOM);
        put(b, "})");
        break;
    case 6:
        if (g->mod->struct_mod >= 0) { /* another module's struct (a compile-time dep) */
            const mod_plan *o = &g->mods[g->mod->struct_mod];
            const char *how, *ref = mod_ref(g, g->mod->struct_mod, &how);
            putf(b, "%%%s{%s: ", ref, o->fields[rnd(r, (unsigned)o->nfields)]);
            expr(g, sc, K_ANY, d - 1);
            put(b, "}");
            break;
        }
        /* fall through */
    case 7:
        put(b, "Enum.into(");
        expr(g, sc, K_KW, d - 1);
        put(b, ", %{})");
        break;
    default:
        if (!gen_call(g, sc, K_MAP, d)) var_or_lit(g, sc, K_MAP);
    }
}

static void expr_bool(gen *g, const scope *sc, int d) {
    rng *r = &g->r;
    buf *b = &g->out;
    switch (rnd(r, 12)) {
    case 0:
    case 1:
        expr(g, sc, K_INT, d - 1);
        putf(b, " %s ", PICK(r, ((const char *const[]){">", "<", ">=", "==", "!==", "<="})));
        expr(g, sc, K_INT, d - 1);
        break;
    case 2:
        expr(g, sc, K_BOOL, d - 1);
        putf(b, " %s ", PICK(r, ((const char *const[]){"and", "or", "&&", "||"})));
        expr(g, sc, K_BOOL, d - 1);
        break;
    case 3:
        put(b, "is_nil(");
        expr(g, sc, K_ANY, d - 1);
        put(b, ")");
        break;
    case 4:
        expr(g, sc, K_INT, d - 1);
        put(b, chance(r, 50) ? " in [1, 2, 3]" : " not in 0..9");
        break;
    case 5:
        put(b, "Enum.empty?(");
        expr(g, sc, K_LIST, d - 1);
        put(b, ")");
        break;
    case 6:
        put(b, "Map.has_key?(");
        expr(g, sc, K_MAP, d - 1);
        putf(b, ", :%s)", PICK(r, FIELDS));
        break;
    case 7:
        expr(g, sc, K_STR, d - 1);
        put(b, g->mod->attr_pattern && chance(r, 50) ? " =~ @pattern" : " =~ ~r/^[a-z]+\\d*$/i");
        break;
    case 8: /* `not a in b` is deprecated: parenthesize */
        put(b, chance(r, 50) ? "not (" : "!(");
        expr(g, sc, K_BOOL, d - 1);
        put(b, ")");
        break;
    case 9:
        put(b, "String.starts_with?(");
        expr(g, sc, K_STR, d - 1);
        put(b, ", \"a\")");
        break;
    default:
        if (!gen_call(g, sc, K_BOOL, d)) var_or_lit(g, sc, K_BOOL);
    }
}

static void expr_struct(gen *g, const scope *sc, int d) {
    rng *r = &g->r;
    buf *b = &g->out;
    const mod_plan *m = g->mod;
    if (!m->has_struct) {
        expr(g, sc, K_MAP, d);
        return;
    }
    const var *v = find_var(g, sc, K_STRUCT);
    int nf = 1 + (int)rnd(r, 2);
    if (v && chance(r, 60))
        putf(b, "%%__MODULE__{%s | ", v->name);
    else
        put(b, "%__MODULE__{");
    int start = (int)rnd(r, (unsigned)m->nfields);
    for (int i = 0; i < nf && i < m->nfields; i++) {
        putf(b, "%s%s: ", i ? ", " : "", m->fields[(start + i) % m->nfields]);
        expr(g, sc, (kind)rnd(r, 3), d - 1);
    }
    put(b, "}");
}

static void expr(gen *g, const scope *sc, kind k, int d) {
    rng *r = &g->r;
    buf *b = &g->out;
    if (k == K_ANY) k = (kind)rnd(r, K_COUNT_PLAIN);
    if (d <= 0 || chance(r, 25)) {
        var_or_lit(g, sc, k);
        return;
    }
    switch (k) {
    case K_INT:
        expr_int(g, sc, d);
        break;
    case K_STR:
        expr_str(g, sc, d);
        break;
    case K_LIST:
        expr_list(g, sc, d);
        break;
    case K_MAP:
        expr_map(g, sc, d);
        break;
    case K_BOOL:
        expr_bool(g, sc, d);
        break;
    case K_STRUCT:
        expr_struct(g, sc, d);
        break;
    case K_ATOM:
        if (!(chance(r, 30) && gen_call(g, sc, K_ATOM, d))) var_or_lit(g, sc, K_ATOM);
        break;
    case K_TUPLE:
        switch (rnd(r, 4)) {
        case 0:
            put(b, "{:ok, ");
            expr(g, sc, K_ANY, d - 1);
            put(b, "}");
            break;
        case 1:
            put(b, "{:error, ");
            lit(g, K_ATOM);
            put(b, "}");
            break;
        case 2:
            put(b, "Map.fetch(");
            expr(g, sc, K_MAP, d - 1);
            putf(b, ", :%s)", PICK(r, FIELDS));
            break;
        default:
            if (!gen_call(g, sc, K_TUPLE, d)) var_or_lit(g, sc, K_TUPLE);
        }
        break;
    case K_KW:
        switch (rnd(r, 4)) {
        case 0:
            put(b, "Keyword.put(");
            expr(g, sc, K_KW, d - 1);
            putf(b, ", :%s, ", PICK(r, FIELDS));
            expr(g, sc, K_INT, d - 1);
            put(b, ")");
            break;
        case 2:
            put(b, "Keyword.merge(");
            expr(g, sc, K_KW, d - 1);
            put(b, ", retries: ");
            expr(g, sc, K_INT, d - 1);
            put(b, ", mode: :fast)");
            break;
        case 1:
            put(b, "[timeout: ");
            if (g->mod->attr_timeout)
                put(b, "@timeout");
            else
                expr(g, sc, K_INT, d - 1);
            put(b, ", label: ");
            expr(g, sc, K_STR, d - 1);
            put(b, "]");
            break;
        default:
            if (!gen_call(g, sc, K_KW, d)) var_or_lit(g, sc, K_KW);
        }
        break;
    case K_ANY:
        break; /* resolved above */
    }
}

/* ---- patterns --------------------------------------------------------------------------------
 * Write a pattern matching a value of kind k, binding fresh variables into sc. `specific`
 * asks for a pattern that does not match everything (for the first clauses). */
static void pattern(gen *g, scope *sc, kind k, bool specific) {
    rng *r = &g->r;
    buf *b = &g->out;
    char v[24], w[24];
    if (!specific || k == K_ANY || chance(r, 20)) {
        if (chance(r, 12)) {
            putf(b, "_%s", VAR_BASE[k][rnd(r, 4)]); /* ignored: never read */
            return;
        }
        fresh(g, k, v);
        bind(sc, v, k);
        put(b, v);
        return;
    }
    switch (k) {
    case K_INT:
        if (g->allow_pin && chance(r, 30) && find_var(g, sc, K_INT)) {
            putf(b, "^%s", find_var(g, sc, K_INT)->name);
        } else if (chance(r, 50)) {
            lit(g, K_INT);
        } else {
            fresh(g, K_INT, v);
            bind(sc, v, K_INT);
            put(b, v);
        }
        break;
    case K_STR:
        switch (rnd(r, 3)) {
        case 0:
            fresh(g, K_STR, v);
            bind(sc, v, K_STR);
            putf(b, "\"%s\" <> %s", PICK(r, ((const char *const[]){"v1:", "id_", "#", "ü"})), v);
            break;
        case 1:
            fresh(g, K_INT, v);
            fresh(g, K_STR, w);
            bind(sc, v, K_INT);
            bind(sc, w, K_STR);
            putf(b, "<<%s::utf8, %s::binary>>", v, w);
            break;
        default:
            put(b, "\"\"");
            break;
        }
        break;
    case K_LIST:
        switch (rnd(r, 3)) {
        case 0:
            put(b, "[]");
            break;
        case 1:
            fresh(g, K_INT, v);
            fresh(g, K_LIST, w);
            bind(sc, v, K_INT);
            bind(sc, w, K_LIST);
            putf(b, "[%s | %s]", v, w);
            break;
        default:
            fresh(g, K_INT, v);
            bind(sc, v, K_INT);
            putf(b, "[%s, _ | _]", v);
        }
        break;
    case K_MAP:
        fresh(g, K_INT, v);
        bind(sc, v, K_INT);
        if (chance(r, 50)) {
            putf(b, "%%{%s: %s}", PICK(r, FIELDS), v);
        } else {
            fresh(g, K_MAP, w);
            bind(sc, w, K_MAP);
            putf(b, "%%{\"%s\" => %s} = %s", PICK(r, FIELDS), v, w);
        }
        break;
    case K_ATOM:
        lit(g, K_ATOM);
        break;
    case K_TUPLE:
        fresh(g, K_ANY, v);
        bind(sc, v, K_ANY);
        putf(b, chance(r, 60) ? "{:ok, %s}" : "{:error, %s}", v);
        break;
    case K_BOOL:
        put(b, chance(r, 50) ? "true" : "false");
        break;
    case K_KW:
        if (chance(r, 50)) {
            put(b, "[]");
        } else {
            fresh(g, K_ANY, v);
            fresh(g, K_KW, w);
            bind(sc, v, K_ANY);
            bind(sc, w, K_KW);
            putf(b, "[{:mode, %s} | %s]", v, w);
        }
        break;
    case K_STRUCT:
        if (g->mod->has_struct) {
            const char *f = g->mod->fields[rnd(r, (unsigned)g->mod->nfields)];
            fresh(g, K_ANY, v);
            fresh(g, K_STRUCT, w);
            bind(sc, v, K_ANY);
            bind(sc, w, K_STRUCT);
            putf(b, "%%__MODULE__{%s: %s} = %s", f, v, w);
        } else {
            put(b, "%{}");
        }
        break;
    case K_ANY:
        break;
    }
}

/* A guard on one variable of the scope (guard-safe calls only). */
static bool guard(gen *g, const scope *sc) {
    rng *r = &g->r;
    buf *b = &g->out;
    const var *v = find_var(g, sc, K_ANY);
    if (!v) return false;
    switch (v->k) {
    case K_INT:
        if (g->mod->guards && chance(r, 40))
            putf(b, "is_small(%s)", v->name);
        else if (chance(r, 30))
            putf(b, "%s in 1..10", v->name);
        else if (chance(r, 20))
            putf(b, "is_integer(%s) when is_float(%s)", v->name, v->name);
        else
            putf(b, "is_integer(%s) and %s %s 0", v->name, v->name,
                 PICK(r, ((const char *const[]){">", ">=", "<"})));
        return true;
    case K_STR:
        if (g->mod->guards && chance(r, 40))
            putf(b, "is_label(%s)", v->name);
        else
            putf(b, "is_binary(%s) and byte_size(%s) > 0", v->name, v->name);
        return true;
    case K_LIST:
        putf(b, "is_list(%s) and length(%s) < 10", v->name, v->name);
        return true;
    case K_MAP:
        putf(b, "is_map(%s) and map_size(%s) > 0", v->name, v->name);
        return true;
    case K_ATOM:
        putf(b, "%s in [:ok, :error, nil]", v->name);
        return true;
    case K_BOOL:
        putf(b, "is_boolean(%s)", v->name);
        return true;
    case K_TUPLE:
        putf(b, "is_tuple(%s) and tuple_size(%s) == 2", v->name, v->name);
        return true;
    case K_STRUCT:
        putf(b, "is_struct(%s, __MODULE__)", v->name);
        return true;
    default:
        putf(b, "not is_nil(%s)", v->name);
        return true;
    }
}

/* ---- statements and block constructs ------------------------------------------------------- */

static void stmts(gen *g, scope *sc, kind k, int d, int ind, int n);

/* A pipeline producing k, written over several lines when long. */
static void pipeline(gen *g, const scope *sc, kind k, int d, int ind) {
    rng *r = &g->r;
    buf *b = &g->out;
    const mod_plan *m = g->mod;
    switch (k) {
    case K_INT:
    case K_LIST:
    case K_STR:
    case K_MAP:
    case K_BOOL:
        break;
    default:
        expr(g, sc, k, d);
        return;
    }
    const char *sep = chance(r, 60) ? "\n" : NULL;
    expr(g, sc, k == K_STR ? K_STR : K_LIST, d - 1);
    int steps = 1 + (int)rnd(r, 3);
    for (int i = 0; i < steps; i++) {
        if (sep) {
            put(b, "\n");
            indent(b, ind);
            put(b, "|> ");
        } else {
            put(b, " |> ");
        }
        bool last = i == steps - 1;
        if (k == K_STR) {
            if (!last && chance(r, 30)) {
                put(b, "String.pad_trailing(8)");
            } else {
                put(b, PICK(r, ((const char *const[]){"String.trim()", "String.upcase()",
                                                      "String.replace(\"-\", \"_\")",
                                                      "then(&(&1 <> \"!\"))"})));
            }
            continue;
        }
        if (!last) { /* list -> list */
            /* Pipe into a local function taking a list and giving one, when there is. */
            for (int t = 0; t < 3; t++) {
                const fn_plan *f = &m->fns[rnd(r, (unsigned)m->nfns)];
                if (f->arity >= 1 && f->params[0] == K_LIST && f->ret == K_LIST) {
                    note_call(g, m->name, f->name, f->arity, "pipe");
                    putf(b, "%s(", f->name);
                    args(g, sc, f->params + 1, f->arity - 1, d);
                    put(b, ")");
                    goto next;
                }
            }
            switch (rnd(r, 5)) {
            case 0:
                put(b, "Enum.map(&(&1 * 2))");
                break;
            case 1:
                put(b, "Enum.reject(&is_nil/1)");
                break;
            case 2:
                put(b, "Enum.uniq()");
                break;
            case 3:
                put(b, "Enum.take(");
                expr(g, sc, K_INT, d - 1);
                put(b, ")");
                break;
            default:
                put(b, "Enum.map(");
                inline_fn(g, sc, K_INT, K_INT, d);
                put(b, ")");
            }
        next:
            continue;
        }
        switch (k) {
        case K_INT:
            put(b, PICK(r, ((const char *const[]){"Enum.sum()", "Enum.count()", "length()",
                                                  "Enum.max(fn -> 0 end)"})));
            break;
        case K_MAP:
            put(b, "Map.new(&{&1, true})");
            break;
        case K_BOOL:
            put(b, "Enum.any?(&(&1 > 10))");
            break;
        case K_STR:
            break;
        default:
            put(b, "Enum.sort()");
        }
    }
}

/* One clause body (indented statements) inside a block construct. */
static void clause_body(gen *g, const scope *sc, kind k, int d, int ind) {
    scope in = *sc;
    stmts(g, &in, k, d, ind, 1 + (int)rnd(&g->r, 2));
}

/* A block construct producing k, starting at the current column; lines inside at ind+2.
 * rhs: it is the right side of `=` (no leading statements allowed). */
static void block(gen *g, const scope *sc, kind k, int d, int ind, bool rhs) {
    rng *r = &g->r;
    buf *b = &g->out;
    unsigned what = rnd(r, 10);
    if (rhs && what == 8) what = 9; /* `x = f = fn ... end` reads wrong */
    switch (what) {
    case 0:
    case 1: { /* case */
        kind sk = (kind)rnd(r, K_COUNT_PLAIN);
        put(b, "case ");
        expr(g, sc, sk, d - 1);
        put(b, " do\n");
        int n = 1 + (int)rnd(r, 3);
        for (int i = 0; i <= n; i++) {
            scope in = *sc;
            indent(b, ind + 2);
            if (i == n) {
                put(b, "_ ->\n");
            } else {
                g->allow_pin = true;
                pattern(g, &in, sk, true);
                g->allow_pin = false;
                if (chance(r, 25)) {
                    put(b, " when ");
                    if (!guard(g, &in)) put(b, "true");
                }
                put(b, " ->\n");
            }
            clause_body(g, &in, k, d - 1, ind + 4);
        }
        indent(b, ind);
        put(b, "end");
        break;
    }
    case 2: { /* cond */
        put(b, "cond do\n");
        int n = 1 + (int)rnd(r, 2);
        for (int i = 0; i <= n; i++) {
            indent(b, ind + 2);
            if (i == n)
                put(b, "true");
            else
                expr(g, sc, K_BOOL, d - 1);
            put(b, " ->\n");
            clause_body(g, sc, k, d - 1, ind + 4);
        }
        indent(b, ind);
        put(b, "end");
        break;
    }
    case 3: { /* if / unless with else */
        put(b, chance(r, 80) ? "if " : "unless ");
        expr(g, sc, K_BOOL, d - 1);
        put(b, " do\n");
        clause_body(g, sc, k, d - 1, ind + 2);
        indent(b, ind);
        put(b, "else\n");
        clause_body(g, sc, k, d - 1, ind + 2);
        indent(b, ind);
        put(b, "end");
        break;
    }
    case 4: { /* with ... else */
        scope in = *sc;
        put(b, "with ");
        int n = 1 + (int)rnd(r, 3);
        for (int i = 0; i < n; i++) {
            if (i) {
                put(b, ",\n");
                indent(b, ind + 5);
            }
            char v[24];
            if (chance(r, 25)) { /* a plain match clause */
                fresh(g, K_INT, v);
                putf(b, "%s = ", v);
                expr(g, &in, K_INT, d - 1);
                bind(&in, v, K_INT);
            } else {
                fresh(g, K_ANY, v);
                putf(b, "{:ok, %s} <- ", v);
                expr(g, &in, K_TUPLE, d - 1);
                bind(&in, v, K_ANY);
            }
        }
        put(b, " do\n");
        clause_body(g, &in, k, d - 1, ind + 2);
        indent(b, ind);
        put(b, "else\n");
        scope el = *sc;
        char reason[24];
        fresh(g, K_ATOM, reason);
        bind(&el, reason, K_ATOM);
        indent(b, ind + 2);
        putf(b, "{:error, %s} ->\n", reason);
        clause_body(g, &el, k, d - 1, ind + 4);
        indent(b, ind + 2);
        put(b, "_other ->\n");
        clause_body(g, sc, k, d - 1, ind + 4);
        indent(b, ind);
        put(b, "end");
        break;
    }
    case 5: { /* try */
        put(b, "try do\n");
        clause_body(g, sc, k, d - 1, ind + 2);
        indent(b, ind);
        put(b, "rescue\n");
        scope in = *sc;
        char e[24];
        fresh(g, K_ANY, e);
        bind(&in, e, K_ANY);
        indent(b, ind + 2);
        if (g->mod->has_failure && chance(r, 60))
            putf(b, "%s in [Failure, ArgumentError] ->\n", e);
        else
            putf(b, "%s in %s ->\n", e,
                 PICK(r, ((const char *const[]){"ArgumentError", "KeyError", "RuntimeError"})));
        indent(b, ind + 4);
        if (g->mod->logger) {
            putf(b, "Logger.warning(Exception.message(%s))\n", e);
            indent(b, ind + 4);
        }
        lit(g, k);
        put(b, "\n");
        if (chance(r, 50)) {
            indent(b, ind);
            put(b, "catch\n");
            indent(b, ind + 2);
            put(b, ":throw, thrown ->\n");
            indent(b, ind + 4);
            put(b, "_ = thrown\n");
            indent(b, ind + 4);
            lit(g, k);
            put(b, "\n");
        }
        if (chance(r, 20)) { /* else: clauses on the do block's value */
            scope el = *sc;
            char v[24];
            fresh(g, k, v);
            bind(&el, v, k);
            indent(b, ind);
            put(b, "else\n");
            indent(b, ind + 2);
            putf(b, "%s ->\n", v);
            clause_body(g, &el, k, d - 1, ind + 4);
        }
        if (chance(r, 40)) {
            indent(b, ind);
            put(b, "after\n");
            indent(b, ind + 2);
            put(b, g->mod->logger ? "Logger.debug(\"done\")\n" : ":ok\n");
        }
        indent(b, ind);
        put(b, "end");
        break;
    }
    case 6: { /* receive */
        put(b, "receive do\n");
        scope in = *sc;
        char v[24];
        fresh(g, K_ANY, v);
        bind(&in, v, K_ANY);
        indent(b, ind + 2);
        putf(b, "{:%s, %s} ->\n", PICK(r, ((const char *const[]){"reply", "event", "tick"})), v);
        clause_body(g, &in, k, d - 1, ind + 4);
        indent(b, ind + 2);
        put(b, ":stop ->\n");
        clause_body(g, sc, k, d - 1, ind + 4);
        indent(b, ind);
        putf(b, "after\n");
        indent(b, ind + 2);
        put(b, g->mod->attr_timeout ? "@timeout ->\n" : "1_000 ->\n");
        clause_body(g, sc, k, d - 1, ind + 4);
        indent(b, ind);
        put(b, "end");
        break;
    }
    case 7: { /* for ... do, into: or reduce: */
        scope in = *sc;
        char x[24];
        fresh(g, K_INT, x);
        bind(&in, x, K_INT);
        if (k == K_INT) {
            char acc[24];
            fresh(g, K_INT, acc);
            putf(b, "for %s <- ", x);
            expr(g, sc, K_LIST, d - 1);
            put(b, ", reduce: 0 do\n");
            indent(b, ind + 2);
            putf(b, "%s ->\n", acc);
            bind(&in, acc, K_INT);
            indent(b, ind + 4);
            putf(b, "%s + ", acc);
            expr(g, &in, K_INT, d - 1);
            put(b, "\n");
        } else if (k == K_MAP) {
            putf(b, "for %s <- ", x);
            expr(g, sc, K_LIST, d - 1);
            putf(b, ", is_integer(%s), into: %%{} do\n", x);
            indent(b, ind + 2);
            putf(b, "{%s, ", x);
            expr(g, &in, K_ANY, d - 1);
            put(b, "}\n");
        } else if (k == K_LIST) {
            if (chance(r, 40)) {
                putf(b, "for <<%s <- ", x);
                expr(g, sc, K_STR, d - 1);
                put(b, " >> do\n"); /* `<<x::utf8>>>>` would lex as >>> */
            } else {
                char y[24];
                fresh(g, K_ATOM, y);
                bind(&in, y, K_ATOM);
                putf(b, "for %s <- ", x);
                expr(g, sc, K_LIST, d - 1);
                putf(b, ", %s <- [:a, :b] do\n", y);
            }
            clause_body(g, &in, K_ANY, d - 1, ind + 2);
        } else {
            /* for gives a list; other kinds take an if instead. */
            put(b, "if ");
            expr(g, sc, K_BOOL, d - 1);
            put(b, " do\n");
            clause_body(g, sc, k, d - 1, ind + 2);
            indent(b, ind);
            put(b, "else\n");
            clause_body(g, sc, k, d - 1, ind + 2);
        }
        indent(b, ind);
        put(b, "end");
        break;
    }
    case 8: { /* a multi-clause anonymous function, called right away */
        char f[24];
        fresh(g, K_ANY, f);
        kind ak = (kind)rnd(r, K_COUNT_PLAIN);
        putf(b, "%s = fn\n", f);
        for (int i = 0; i < 2; i++) {
            scope in = *sc;
            indent(b, ind + 2);
            pattern(g, &in, ak, i == 0);
            put(b, " ->\n");
            clause_body(g, &in, k, d - 1, ind + 4);
        }
        indent(b, ind);
        put(b, "end\n\n");
        indent(b, ind);
        putf(b, "%s.(", f);
        expr(g, sc, ak, d - 1);
        put(b, ")");
        break;
    }
    default:
        pipeline(g, sc, k, d, ind + 2);
    }
}

/* A statement that binds a new variable or does something for its effect. */
static void stmt(gen *g, scope *sc, int d, int ind) {
    rng *r = &g->r;
    buf *b = &g->out;
    indent(b, ind);
    unsigned what = rnd(r, 24);
    if (what == 0) {
        put(b, PICK(r, ((const char *const[]){"# Keep the order stable for callers.",
                                              "# TODO: batch these once the API settles",
                                              "# The fast path: nothing to merge.",
                                              "# ünïcödé in a comment"})));
        put(b, "\n");
        indent(b, ind);
    }
    if (what == 1 && g->mod->logger) {
        putf(b, "Logger.%s(\"", PICK(r, ((const char *const[]){"debug", "info"})));
        put(b, "step #{");
        expr(g, sc, K_INT, d - 1);
        put(b, "}\")\n");
        return;
    }
    if (what == 2) {
        put(b, "send(self(), {:tick, ");
        expr(g, sc, K_ANY, d - 1);
        put(b, "})\n");
        return;
    }
    if (what == 3) { /* destructuring */
        char v[24];
        fresh(g, K_ANY, v);
        putf(b, "{:ok, %s} = ", v);
        expr(g, sc, K_TUPLE, d - 1);
        put(b, "\n");
        bind(sc, v, K_ANY);
        return;
    }
    if (what == 4) {
        put(b, "_ = ");
        if (!gen_call(g, sc, K_ANY, d)) expr(g, sc, K_ANY, d);
        put(b, "\n");
        return;
    }
    if (what == 6) { /* a multi-line fn as the last argument */
        scope in = *sc;
        char v[24];
        fresh(g, K_INT, v);
        bind(&in, v, K_INT);
        put(b, "Enum.each(");
        expr(g, sc, K_LIST, d - 1);
        putf(b, ", fn %s ->\n", v);
        stmts(g, &in, K_ANY, d - 1, ind + 2, 1 + (int)rnd(r, 2));
        indent(b, ind);
        put(b, "end)\n");
        return;
    }
    if (what == 7) { /* a heredoc with interpolation; its indentation is stripped */
        char v[24];
        fresh(g, K_STR, v);
        putf(b, "%s = \"\"\"\n", v);
        indent(b, ind);
        put(b, "Summary for #{");
        expr(g, sc, K_INT, d - 1);
        put(b, "}:\n");
        indent(b, ind + 2);
        put(b, "- \"quoted\" and \\#{escaped}\n");
        indent(b, ind);
        put(b, "\"\"\"\n");
        bind(sc, v, K_STR);
        return;
    }
    if (what == 8) { /* a keyword list or map over several lines */
        bool map = chance(r, 50);
        char v[24];
        fresh(g, map ? K_MAP : K_KW, v);
        putf(b, "%s = %s\n", v, map ? "%{" : "[");
        int n = 2 + (int)rnd(r, 3);
        for (int i = 0; i < n; i++) {
            indent(b, ind + 2);
            putf(b, "%s: ", FIELDS[(unsigned)i * 3 % ARRAY_LEN(FIELDS)]);
            expr(g, sc, (kind)rnd(r, K_COUNT_PLAIN), d - 1);
            put(b, i < n - 1 ? ",\n" : (chance(r, 30) ? ",\n" : "\n"));
        }
        indent(b, ind);
        put(b, map ? "}\n" : "]\n");
        bind(sc, v, map ? K_MAP : K_KW);
        return;
    }
    if (what == 9) { /* two statements on one line */
        char v[24], w[24];
        fresh(g, K_INT, v);
        fresh(g, K_INT, w);
        putf(b, "%s = ", v);
        expr(g, sc, K_INT, 1);
        bind(sc, v, K_INT);
        putf(b, "; %s = ", w);
        expr(g, sc, K_INT, 1);
        put(b, "\n");
        bind(sc, w, K_INT);
        return;
    }
    if (what == 5 && g->mod->has_failure) {
        put(b, "if ");
        expr(g, sc, K_BOOL, d - 1);
        put(b, ", do: raise(Failure, message: \"invalid input\")\n");
        return;
    }
    kind k = (kind)rnd(r, K_COUNT_PLAIN + (g->mod->has_struct ? 1 : 0));
    char v[24];
    fresh(g, k, v);
    putf(b, "%s =", v);
    unsigned form = rnd(r, 10);
    if (form < 2 && d > 1) {
        put(b, "\n");
        indent(b, ind + 2);
        block(g, sc, k, d, ind + 2, true);
    } else if (form < 4 && d > 1) {
        put(b, "\n");
        indent(b, ind + 2);
        pipeline(g, sc, k, d, ind + 2);
    } else if (form == 4 && k == K_INT && g->mod->nfns > 0) {
        /* A capture of a local function, then a call through it. */
        const fn_plan *f = &g->mod->fns[rnd(r, (unsigned)g->mod->nfns)];
        note_call(g, g->mod->name, f->name, f->arity, "capture");
        putf(b, " &%s/%d\n", f->name, f->arity);
        bind(sc, v, K_ANY);
        return;
    } else {
        put(b, " ");
        expr(g, sc, k, d);
    }
    if (chance(r, 5)) put(b, "  # why: keeps callers simple");
    put(b, "\n");
    bind(sc, v, k);
}

/* n statements; the last is an expression of kind k. */
static void stmts(gen *g, scope *sc, kind k, int d, int ind, int n) {
    rng *r = &g->r;
    buf *b = &g->out;
    for (int i = 0; i < n - 1; i++)
        stmt(g, sc, d, ind);
    indent(b, ind);
    unsigned form = rnd(r, 10);
    if (form < 2 && d > 1)
        block(g, sc, k, d, ind, false);
    else if (form < 3 && d > 1)
        pipeline(g, sc, k, d, ind + 2);
    else
        expr(g, sc, k, d);
    put(b, "\n");
}

/* ---- modules -------------------------------------------------------------------------------- */

/* The parameters of one clause: specific patterns in the first clauses. */
static void params(gen *g, scope *sc, const fn_plan *f, int clause, bool with_defaults) {
    rng *r = &g->r;
    buf *b = &g->out;
    bool last_clause = clause == f->clauses - 1;
    /* In a specific clause, one or two parameters are patterns; the rest variables. */
    int spec = last_clause ? -1 : (int)rnd(r, (unsigned)f->arity);
    for (int i = 0; i < f->arity; i++) {
        if (i) put(b, ", ");
        pattern(g, sc, f->params[i], i == spec || (!last_clause && chance(r, 20)));
        if (with_defaults && i == f->arity - 1 && f->defaults) {
            put(b, " \\\\ ");
            lit(g, f->params[i]);
        }
    }
}

static void spec_line(gen *g, const fn_plan *f) {
    buf *b = &g->out;
    putf(b, "  @spec %s(", f->name);
    for (int i = 0; i < f->arity; i++)
        putf(b, "%s%s", i ? ", " : "", SPEC_TYPE[f->params[i]]);
    if (f->ret == K_TUPLE)
        put(b, ") :: {:ok, term()} | {:error, atom()}\n");
    else
        putf(b, ") :: %s\n", SPEC_TYPE[f->ret]);
}

static void function(gen *g, const fn_plan *f) {
    rng *r = &g->r;
    buf *b = &g->out;
    const char *def = f->is_public ? "def" : "defp";
    g->fn = f;
    g->nused = 0;
    put(b, "\n");
    if (f->delegate_mod >= 0) {
        const mod_plan *o = &g->mods[f->delegate_mod];
        const char *how, *ref = mod_ref(g, f->delegate_mod, &how);
        note_def(g, g->mod->name, f->name, f->arity, "defdelegate", b->line, 1, 0);
        note_call(g, o->name, f->name, f->arity, "delegate");
        putf(b, "  defdelegate %s(", f->name);
        for (int i = 0; i < f->arity; i++) {
            char v[24];
            fresh(g, f->params[i], v);
            putf(b, "%s%s", i ? ", " : "", v);
        }
        putf(b, "), to: %s\n", ref);
        return;
    }
    if (f->is_public) {
        if (chance(r, 70)) {
            put(b, "  @doc \"\"\"\n");
            putf(b, "  %s, for `%s/%d`.\n",
                 PICK(r, ((const char *const[]){"Computes the value", "Builds the result",
                                                "Loads what the caller asks", "Resolves it"})),
                 f->name, f->arity);
            if (chance(r, 40)) put(b, "\n  ## Examples\n\n      iex> :ok\n      :ok\n");
            put(b, "  \"\"\"\n");
        } else if (chance(r, 20)) {
            put(b, "  @doc false\n");
        }
        if (chance(r, 75)) spec_line(g, f);
    }
    note_def(g, g->mod->name, f->name, f->arity, def, b->line, f->clauses, f->defaults);
    if (f->header) { /* defaults with several clauses need a bodiless head */
        scope sc = {0};
        putf(b, "  %s %s(", def, f->name);
        params(g, &sc, f, f->clauses - 1, true);
        put(b, ")\n\n");
        g->nused = 0;
    }
    for (int c = 0; c < f->clauses; c++) {
        scope sc = {0};
        g->nused = 0;
        if (c) put(b, "\n");
        putf(b, "  %s %s(", def, f->name);
        params(g, &sc, f, c, !f->header);
        put(b, ")");
        if (sc.n > 0 && chance(r, 25)) {
            put(b, " when ");
            guard(g, &sc);
        }
        if (chance(r, 20)) {
            put(b, ", do: ");
            expr(g, &sc, f->ret, 2);
            put(b, "\n");
        } else {
            put(b, " do\n");
            stmts(g, &sc, f->ret, 3, 4, 1 + (int)rnd(r, 4));
            put(b, "  end\n");
        }
    }
}

static void module_file(gen *g, int mi, unsigned seed) {
    rng *r = &g->r;
    const mod_plan *m = &g->mods[mi];
    buf *b = &g->out;
    g->mod = m;
    b->len = 0;
    b->line = 1;
    putf(&g->manifest, "module\t%s\t%s\t%u\n", m->name, m->path, 1u);
    putf(b, "defmodule %s do\n", m->name);
    if (chance(r, 15)) {
        put(b, "  @moduledoc ~S\"\"\"\n");
        putf(b, "  %s keeps #{raw} text; see `%s`.\n", m->last, m->name);
        put(b, "  \"\"\"\n\n");
    } else if (chance(r, 80)) {
        put(b, "  @moduledoc \"\"\"\n");
        putf(b, "  %s: generated module %d (seed %u).\n", m->last, mi, seed);
        put(b, "  \"\"\"\n\n");
    } else {
        put(b, "  @moduledoc false\n\n");
    }
    if (m->uses_kit)
        putf(b, "  use Synth.Kit, role: :%s\n",
             PICK(r, ((const char *const[]){"worker", "store", "view"})));
    if (m->logger) put(b, "  require Logger\n");
    /* Aliases: a multi-alias for two with the same parent, one line for the rest. */
    bool done[MAX_ALIASES] = {0};
    for (int a = 0; a < m->naliases; a++) {
        if (done[a]) continue;
        const mod_plan *o = &g->mods[m->aliases[a]];
        if (strcmp(m->alias_as[a], o->last) != 0) {
            putf(b, "  alias %s, as: %s\n", o->name, m->alias_as[a]);
            continue;
        }
        size_t plen = (size_t)(strrchr(o->name, '.') - o->name);
        int same = 0;
        for (int c = a + 1; c < m->naliases; c++) {
            const mod_plan *q = &g->mods[m->aliases[c]];
            same += !done[c] && strcmp(m->alias_as[c], q->last) == 0 &&
                    strrchr(q->name, '.') - q->name == (ptrdiff_t)plen &&
                    strncmp(q->name, o->name, plen) == 0;
        }
        if (!same) {
            putf(b, "  alias %s\n", o->name);
            continue;
        }
        putf(b, "  alias %.*s.{%s", (int)plen, o->name, o->last);
        for (int c = a + 1; c < m->naliases; c++) {
            const mod_plan *q = &g->mods[m->aliases[c]];
            if (!done[c] && strcmp(m->alias_as[c], q->last) == 0 &&
                strrchr(q->name, '.') - q->name == (ptrdiff_t)plen &&
                strncmp(q->name, o->name, plen) == 0) {
                putf(b, ", %s", q->last);
                done[c] = true;
            }
        }
        put(b, "}\n");
    }
    if (m->helpers) {
        put(b, "  import Synth.Helpers, only: [");
        bool first = true;
        for (unsigned h = 0; h < ARRAY_LEN(HELPERS); h++)
            if (m->helpers & (1u << h)) {
                putf(b, "%s%s: %d", first ? "" : ", ", HELPERS[h].name, HELPERS[h].arity);
                first = false;
            }
        put(b, "]\n");
    }
    if (m->guards) put(b, "  import Synth.Guards\n");
    if (m->bitwise) put(b, "  import Bitwise\n");
    if (m->import_mod >= 0) {
        const mod_plan *o = &g->mods[m->import_mod];
        putf(b, "  import %s, only: [", o->name);
        for (int i = 0; i < m->nimport; i++) {
            const fn_plan *f = &o->fns[m->import_fns[i]];
            putf(b, "%s%s: %d", i ? ", " : "", f->name, f->arity);
        }
        put(b, "]\n");
    }
    put(b, "\n");
    if (m->attr_timeout) put(b, "  @timeout 5_000\n");
    if (m->attr_prefix) put(b, "  @prefix \"synth\"\n");
    if (m->attr_kinds) put(b, "  @kinds [:draft, :open, :closed]\n");
    if (m->attr_pattern) put(b, "  @pattern ~r/^[a-z_]+\\d*$/\n");
    if (m->has_failure)
        put(b, "\n  defmodule Failure do\n    defexception [:message, reason: :unknown]\n  end\n");
    if (m->has_struct) {
        put(b, "\n  defstruct [");
        for (int i = 0; i < m->nfields; i++) {
            bool dflt = i > 0 && i >= m->nfields / 2; /* keywords after the atoms */
            putf(b, "%s%s%s%s", i ? ", " : "", dflt ? "" : ":", m->fields[i],
                 dflt ? (i % 2 ? ": 0" : ": nil") : "");
        }
        put(b, "]\n\n  @type t :: %__MODULE__{");
        for (int i = 0; i < m->nfields; i++)
            putf(b, "%s%s: term()", i ? ", " : "", m->fields[i]);
        put(b, "}\n");
    }
    for (int fi = 0; fi < m->nfns; fi++)
        function(g, &m->fns[fi]);
    put(b, "end\n");
    if (m->has_impl) {
        putf(b, "\ndefimpl String.Chars, for: %s do\n", m->name);
        putf(b, "  def to_string(value), do: \"%s<#{inspect(value.%s)}>\"\n", m->last,
             m->fields[0]);
        put(b, "end\n");
    }
}

/* ---- support modules ------------------------------------------------------------------------ */

static const char KIT_EX[] = "defmodule Synth.Kit do\n"
                             "  @moduledoc \"The `use` target of the generated modules.\"\n"
                             "\n"
                             "  defmacro __using__(opts) do\n"
                             "    role = Keyword.get(opts, :role, :generic)\n"
                             "\n"
                             "    quote do\n"
                             "      @kit_role unquote(role)\n"
                             "      def __kit__, do: @kit_role\n"
                             "    end\n"
                             "  end\n"
                             "end\n";

static const char GUARDS_EX[] =
    "defmodule Synth.Guards do\n"
    "  @moduledoc false\n"
    "\n"
    "  defguard is_small(value) when is_integer(value) and value >= 0 and value < 100\n"
    "  defguard is_label(value) when is_binary(value) or is_atom(value)\n"
    "end\n";

static const char HELPERS_EX[] =
    "defmodule Synth.Helpers do\n"
    "  @moduledoc \"Helpers the generated modules import.\"\n"
    "\n"
    "  @spec clamp(integer(), integer(), integer()) :: integer()\n"
    "  def clamp(value, low, _high) when value < low, do: low\n"
    "  def clamp(value, _low, high) when value > high, do: high\n"
    "  def clamp(value, _low, _high), do: value\n"
    "\n"
    "  def pad_label(label, width) when is_binary(label), do: String.pad_leading(label, width, "
    "\"0\")\n"
    "  def pad_label(label, width), do: label |> to_string() |> pad_label(width)\n"
    "\n"
    "  def wrap_ok({:ok, _} = ok), do: ok\n"
    "  def wrap_ok({:error, _} = error), do: error\n"
    "  def wrap_ok(value), do: {:ok, value}\n"
    "\n"
    "  def unwrap_or({:ok, value}, _default), do: value\n"
    "  def unwrap_or(_, default), do: default\n"
    "\n"
    "  def merge_opts(opts, defaults) when is_list(opts), do: Keyword.merge(defaults, opts)\n"
    "end\n";

static const char MIX_EXS[] =
    "defmodule Synth.MixProject do\n"
    "  use Mix.Project\n"
    "\n"
    "  def project do\n"
    "    [app: :synth, version: \"0.1.0\", elixir: \"~> 1.14\", deps: []]\n"
    "  end\n"
    "end\n";

/* ---- files ------------------------------------------------------------------------------------
 */

static void mkdirs(const char *path) { /* mkdir -p of path's directory part */
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "bench_gen: mkdir %s: %s\n", tmp, strerror(errno));
            exit(1);
        }
        *p = '/';
    }
}

static void write_file(const char *dir, const char *rel, const char *data, size_t len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    mkdirs(path);
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
        fprintf(stderr, "bench_gen: %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

static void usage(FILE *out) {
    fputs("usage: bench_gen OUTDIR --modules N --seed S [--functions-per-module K]\n"
          "\n"
          "Writes a synthetic Elixir project: OUTDIR/mix.exs, lib/synth/*.ex (three\n"
          "support modules and N generated ones) and manifest.tsv (modules, definitions,\n"
          "calls with lines). The same arguments always give the same bytes.\n",
          out);
}

static long parse_num(const char *s, long lo, long hi) {
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || end == s || *end || v < lo || v > hi) {
        usage(stderr);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv) {
    const char *outdir = NULL;
    long nmods = -1, seed = -1, nfns = 8;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--modules") == 0)
            nmods = parse_num(argv[++i], 1, 1000000);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = parse_num(argv[++i], 0, UINT32_MAX);
        else if (strcmp(argv[i], "--functions-per-module") == 0)
            nfns = parse_num(argv[++i], 1, 1000);
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' || outdir) {
            usage(stderr);
            return 2;
        } else
            outdir = argv[i];
    }
    if (!outdir || nmods < 0 || seed < 0) {
        usage(stderr);
        return 2;
    }

    gen g = {.r = {.s = (uint64_t)seed * 0x2545F4914F6CDD1DULL + 1}, .nmods = (int)nmods};
    g.mods = calloc((size_t)nmods, sizeof(mod_plan));
    if (!g.mods) die("out of memory");
    for (int i = 0; i < g.nmods; i++)
        plan_module(&g, i, (int)nfns);
    for (int i = 0; i < g.nmods; i++)
        plan_links(&g, i);

    putf(&g.manifest,
         "# bench_gen manifest: seed=%ld modules=%ld functions_per_module=%ld\n"
         "# module\tNAME\tFILE\tLINE\n"
         "# "
         "def\tMODULE\tNAME\tARITY\tdef|defp|defdelegate|defmacro|"
         "defguard\tLINE\tCLAUSES\tDEFAULTS\n"
         "# call\tFROM_MODULE\tFROM_NAME\tFROM_ARITY\tTO_MODULE\tTO_NAME\tTO_ARITY\tLINE"
         "\tlocal|module|remote|alias|import|pipe|capture|delegate\n",
         seed, nmods, nfns);
    write_file(outdir, "mix.exs", MIX_EXS, sizeof MIX_EXS - 1);
    write_file(outdir, "lib/synth/kit.ex", KIT_EX, sizeof KIT_EX - 1);
    write_file(outdir, "lib/synth/guards.ex", GUARDS_EX, sizeof GUARDS_EX - 1);
    write_file(outdir, "lib/synth/helpers.ex", HELPERS_EX, sizeof HELPERS_EX - 1);
    putf(&g.manifest, "module\tSynth.Kit\tlib/synth/kit.ex\t1\n"
                      "def\tSynth.Kit\t__using__\t1\tdefmacro\t4\t1\t0\n"
                      "module\tSynth.Guards\tlib/synth/guards.ex\t1\n"
                      "def\tSynth.Guards\tis_small\t1\tdefguard\t4\t1\t0\n"
                      "def\tSynth.Guards\tis_label\t1\tdefguard\t5\t1\t0\n"
                      "module\tSynth.Helpers\tlib/synth/helpers.ex\t1\n"
                      "def\tSynth.Helpers\tclamp\t3\tdef\t5\t3\t0\n"
                      "def\tSynth.Helpers\tpad_label\t2\tdef\t9\t2\t0\n"
                      "call\tSynth.Helpers\tpad_label\t2\tSynth.Helpers\tpad_label\t2\t10\tpipe\n"
                      "def\tSynth.Helpers\twrap_ok\t1\tdef\t12\t3\t0\n"
                      "def\tSynth.Helpers\tunwrap_or\t2\tdef\t16\t2\t0\n"
                      "def\tSynth.Helpers\tmerge_opts\t2\tdef\t19\t1\t0\n");
    for (int i = 0; i < g.nmods; i++) {
        module_file(&g, i, (unsigned)seed);
        write_file(outdir, g.mods[i].path, g.out.p, g.out.len);
    }
    write_file(outdir, "manifest.tsv", g.manifest.p, g.manifest.len);
    for (int i = 0; i < g.nmods; i++)
        free(g.mods[i].fns);
    free(g.mods);
    free(g.out.p);
    free(g.manifest.p);
    return 0;
}
