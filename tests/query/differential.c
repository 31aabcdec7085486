/* differential.c: the query engine against a naive reference evaluator, on the
 * elixir-lang corpus (issue 5).
 *
 * The test generates random queries (a filter tree over random fields, operators and
 * literals drawn from real rows, joins with real MFAs, a random order by, limit and
 * offset), renders each as query text for the engine, and evaluates the same tree
 * itself: a full scan of the table, the fields computed here from the public row
 * structs, its own comparison rules (null never compares; strings by bytes), its own
 * sort (order by, then the natural key) and page. The engine plans with its indexes;
 * the rows (identity columns, in order) must be identical.
 * Usage: differential [DIR] [N] [SEED]; prints "differential: N/M queries identical". */
#define _POSIX_C_SOURCE 200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exscope.h"
#include "store/repo.h"

enum { T_INT, T_STR, T_BOOL };
typedef struct fdef {
    const char *name;
    int type;
} fdef;

static const fdef FUN[] = {{"module", T_STR}, {"name", T_STR}, {"arity", T_INT}, {"mfa", T_STR},
                           {"kind", T_STR}, {"file", T_STR}, {"line", T_INT}, {"column", T_INT},
                           {"last_line", T_INT}, {"clauses", T_INT}, {"complexity", T_INT},
                           {"cognitive", T_INT}, {"nesting", T_INT}, {"lines", T_INT},
                           {"public", T_BOOL}, {"macro", T_BOOL}, {"generated", T_BOOL},
                           {"callers", T_INT}, {"callees", T_INT}};
static const fdef CALL[] = {{"file", T_STR}, {"line", T_INT}, {"column", T_INT},
                            {"caller_module", T_STR}, {"caller_name", T_STR},
                            {"caller_arity", T_INT}, {"caller", T_STR}, {"module", T_STR},
                            {"name", T_STR}, {"arity", T_INT}, {"callee", T_STR},
                            {"resolution", T_STR}, {"dynamic", T_BOOL}, {"node", T_INT}};
static const fdef MOD[] = {{"name", T_STR}, {"kind", T_STR}, {"file", T_STR}, {"line", T_INT},
                           {"last_line", T_INT}, {"column", T_INT}, {"functions", T_INT}};
static const fdef FIL[] = {{"file", T_STR}, {"modules", T_INT}, {"functions", T_INT},
                           {"calls", T_INT}, {"error", T_BOOL}};
static const char *SRC[] = {"functions", "calls", "modules", "files"};
static const fdef *DEFS[] = {FUN, CALL, MOD, FIL};
static const int NDEF[] = {19, 14, 7, 5};
/* identity columns (selected, compared) and the natural key (tie-break), by name */
static const char *IDENT[] = {"mfa, file, line", "file, line, column, name, arity, node",
                              "name, file, line", "file"};
static const char *NAT[4][7] = {{"file", "line", "column", "name", "arity", "module", NULL},
                                {"file", "line", "column", "name", "arity", "node", NULL},
                                {"file", "line", "column", "name", NULL},
                                {"file", NULL}};

typedef struct val {
    int null;
    long long i;
    char *s;
} val;
typedef struct row {
    val v[20];
    uint32_t fun; /* functions: gen index (for the joins) */
} row;
typedef struct table {
    row *rows;
    uint32_t count;
} table;

static table T[4];
static const repo_gen *G;

static val I(long long i) { return (val){0, i, NULL}; }
static val S(const char *s) { return s ? (val){0, 0, strdup(s)} : (val){1, 0, NULL}; }
static val N(void) { return (val){1, 0, NULL}; }
static char *mfa(const char *m, const char *n, uint32_t a) {
    if (!m || !n) return NULL;
    char *s = malloc(strlen(m) + strlen(n) + 16);
    sprintf(s, "%s.%s/%u", m, n, a);
    return s;
}

static bool cb_count(void *ctx, const exs_call_info *c) {
    (void)c;
    ++*(uint32_t *)ctx;
    return true;
}

static void load(const exs_snapshot *snap) {
    G = (const repo_gen *)snap;
    for (int s = 0; s < 4; s++) T[s].rows = calloc(300000, sizeof(row));
    for (uint32_t i = 0; i < repo_gen_fun_count(G); i++) {
        if (repo_gen_file(G, repo_gen_fun_file(G, i))->layer != REPO_PROJECT) continue;
        exs_function_info f;
        repo_gen_fun_info(G, i, &f);
        row *r = &T[0].rows[T[0].count++];
        r->fun = i;
        uint32_t callers = 0, callees = 0;
        exs_snapshot_callers(snap, f.module, f.name, f.arity, cb_count, &callers);
        const uint32_t *cs;
        callees = repo_gen_callees_of(G, i, &cs);
        char *fm = mfa(f.module, f.name, f.arity);
        val v[] = {S(f.module), S(f.name), I(f.arity), {!fm, 0, fm},
                   S(f.kind), S(f.path), I(f.line), I(f.column), I(f.last_line), I(f.clauses),
                   I(f.complexity), I(f.cognitive), I(f.nesting), I(f.lines), I(f.is_public),
                   I(f.is_macro), I(f.generated), I(callers), I(callees)};
        memcpy(r->v, v, sizeof(v));
    }
    for (uint32_t i = 0; i < repo_gen_call_count(G); i++) {
        if (repo_gen_file(G, repo_gen_call_file(G, i))->layer != REPO_PROJECT) continue;
        exs_call_info c;
        repo_gen_call_info(G, i, &c);
        row *r = &T[1].rows[T[1].count++];
        bool resolved = c.target_module && c.name && strcmp(c.resolution, "unresolved") != 0;
        val v[] = {S(c.path), I(c.line), I(c.column), S(c.caller_module), S(c.caller_name),
                   c.caller_name ? I(c.caller_arity) : N(),
                   c.caller_name && c.caller_module ? (val){0, 0, mfa(c.caller_module, c.caller_name, c.caller_arity)} : N(),
                   S(c.target_module), S(c.name), I(c.arity),
                   resolved ? (val){0, 0, mfa(c.target_module, c.name, c.arity)} : N(),
                   S(c.resolution), I(c.is_dynamic), I((long long)c.node_id)};
        memcpy(r->v, v, sizeof(v));
    }
    for (uint32_t i = 0; i < repo_gen_mod_count(G); i++) {
        if (repo_gen_file(G, repo_gen_mod_file(G, i))->layer != REPO_PROJECT) continue;
        exs_module_info m;
        repo_gen_mod_info(G, i, &m);
        row *r = &T[2].rows[T[2].count++];
        val v[] = {S(m.name), S(m.kind), S(m.path), I(m.line_first), I(m.line_last),
                   I(m.column), I(m.function_count)};
        memcpy(r->v, v, sizeof(v));
    }
    for (uint32_t i = 0; i < repo_gen_file_count(G); i++) {
        const repo_file *f = repo_gen_file(G, i);
        if (f->layer != REPO_PROJECT) continue;
        uint32_t first, mods = repo_gen_file_mods(G, i, &first);
        row *r = &T[3].rows[T[3].count++];
        val v[] = {S(f->path), I(mods), I(f->defs.function_count), I(f->calls.site_count),
                   I(f->has_error)};
        memcpy(r->v, v, sizeof(v));
    }
}

/* ---- random filters ------------------------------------------------------------------ */

enum { E_AND, E_OR, E_NOT, E_CMP, E_IN, E_NULL, E_CONTAINS, E_STARTS, E_ENDS, E_MATCH, E_CALLS,
       E_CALLED_BY };
typedef struct ex {
    int kind, op, field;
    val lit, list[4];
    int nlist;
    char *mfa_m, *mfa_n;
    uint32_t mfa_a;
    pcre2_code *re;
    char *pattern;
    struct ex *a, *b;
} ex;

static uint64_t rng;
static uint32_t rnd(uint32_t n) {
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static const row *any_row(int s) { return &T[s].rows[rnd(T[s].count)]; }

/* a literal of field f's type, usually taken from a real row */
static val lit_for(int s, int f) {
    const row *r = any_row(s);
    const fdef *d = &DEFS[s][f];
    if (d->type == T_BOOL) return I(rnd(2));
    if (d->type == T_INT) {
        if (r->v[f].null || rnd(5) == 0) return I(rnd(12));
        return I(r->v[f].i + (long long)rnd(3) - 1);
    }
    if (r->v[f].null) return S("Enum");
    return S(r->v[f].s);
}

static char *substr_of(int s, int f) {
    const row *r = any_row(s);
    const char *x = r->v[f].null ? "e" : r->v[f].s;
    size_t len = strlen(x), a = len ? rnd((uint32_t)len) : 0, n = 1 + rnd(4);
    if (a + n > len) n = len - a;
    char *out = malloc(n + 1);
    memcpy(out, x + a, n);
    out[n] = 0;
    return out;
}

static int str_field(int s) {
    for (;;) {
        int f = (int)rnd((uint32_t)NDEF[s]);
        if (DEFS[s][f].type == T_STR) return f;
    }
}

static bool parse_mfa(const char *s, char **m, char **n, uint32_t *a) {
    const char *slash = strrchr(s, '/');
    const char *dot = NULL;
    for (const char *p = s; p < slash; p++)
        if (*p == '.') {
            if (p + 1 < slash && !(p[1] >= 'A' && p[1] <= 'Z')) {
                dot = p;
                break;
            }
            dot = p;
        }
    if (!slash || !dot) return false;
    *m = strndup(s, (size_t)(dot - s));
    *n = strndup(dot + 1, (size_t)(slash - dot - 1));
    *a = (uint32_t)atoi(slash + 1);
    return true;
}

static ex *gen(int s, int depth) {
    ex *e = calloc(1, sizeof(*e));
    uint32_t k = rnd(depth > 0 ? 16 : 12);
    if (depth > 0 && k >= 12) {
        e->kind = k == 12 || k == 13 ? E_AND : k == 14 ? E_OR : E_NOT;
        e->a = gen(s, depth - 1);
        if (e->kind != E_NOT) e->b = gen(s, depth - 1);
        return e;
    }
    e->field = (int)rnd((uint32_t)NDEF[s]);
    const fdef *d = &DEFS[s][e->field];
    if (s == 0 && k >= 10) {
        /* joins: an MFA that has callers / callees */
        const row *c = any_row(1);
        const char *target = k == 10 ? (c->v[10].null ? "Enum.map/2" : c->v[10].s)
                                     : (c->v[6].null ? "Kernel.foo/1" : c->v[6].s);
        e->kind = k == 10 ? E_CALLS : E_CALLED_BY;
        e->lit = S(target);
        if (!parse_mfa(target, &e->mfa_m, &e->mfa_n, &e->mfa_a)) e->kind = E_NULL, e->field = 0;
        return e;
    }
    switch (k % 8) {
    case 0: case 1: case 2:
        e->kind = E_CMP;
        e->op = (int)rnd(6);
        e->lit = lit_for(s, e->field);
        if (d->type == T_BOOL) e->op = (int)rnd(2);
        break;
    case 3:
        e->kind = E_IN;
        e->nlist = 1 + (int)rnd(4);
        for (int i = 0; i < e->nlist; i++) e->list[i] = lit_for(s, e->field);
        break;
    case 4: e->kind = E_NULL; break;
    default: {
        e->field = str_field(s);
        uint32_t w = rnd(4);
        e->kind = w == 0 ? E_CONTAINS : w == 1 ? E_STARTS : w == 2 ? E_ENDS : E_MATCH;
        char *sub = substr_of(s, e->field);
        if (e->kind == E_STARTS) {
            const row *r = any_row(s);
            free(sub);
            const char *x = r->v[e->field].null ? "lib" : r->v[e->field].s;
            sub = strndup(x, 1 + rnd(20));
        }
        if (e->kind == E_MATCH) {
            /* a small regex from the substring: anchored or not, a class or a dot */
            char *pat = malloc(strlen(sub) * 2 + 16);
            size_t n = 0;
            if (rnd(2)) pat[n++] = '^';
            for (const char *p = sub; *p; p++) {
                if (strchr("\\^$.|?*+()[]{}/", *p)) pat[n++] = '\\';
                pat[n++] = rnd(6) == 0 ? '.' : *p;
                if (pat[n - 1] == '.' && n >= 2 && pat[n - 2] == '\\') pat[n - 1] = *p;
            }
            if (rnd(3) == 0) pat[n++] = '$';
            pat[n] = 0;
            e->pattern = pat;
            int ec;
            PCRE2_SIZE off;
            e->re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec, &off, NULL);
            if (!e->re) e->kind = E_CONTAINS;
        }
        e->lit = (val){0, 0, sub};
        break;
    }
    }
    return e;
}

static void put_lit(char **o, size_t *len, int s, int f, const val *v) {
    if (DEFS[s][f].type == T_BOOL) *len += (size_t)sprintf(*o + *len, "%s", v->i ? "true" : "false");
    else if (DEFS[s][f].type == T_INT) *len += (size_t)sprintf(*o + *len, "%lld", v->i);
    else {
        (*o)[(*len)++] = '"';
        for (const char *p = v->s; *p; p++) {
            if (*p == '"' || *p == '\\') (*o)[(*len)++] = '\\';
            (*o)[(*len)++] = *p;
        }
        (*o)[(*len)++] = '"';
        (*o)[*len] = 0;
    }
}

static void render(int s, const ex *e, char **o, size_t *len) {
    static const char *ops[] = {"=", "!=", "<", "<=", ">", ">="};
    const char *f = e->field >= 0 ? DEFS[s][e->field].name : "";
    switch (e->kind) {
    case E_AND: case E_OR:
        *len += (size_t)sprintf(*o + *len, "(");
        render(s, e->a, o, len);
        *len += (size_t)sprintf(*o + *len, e->kind == E_AND ? " and " : " or ");
        render(s, e->b, o, len);
        *len += (size_t)sprintf(*o + *len, ")");
        break;
    case E_NOT:
        *len += (size_t)sprintf(*o + *len, "not ");
        render(s, e->a, o, len);
        break;
    case E_CMP:
        *len += (size_t)sprintf(*o + *len, "%s %s ", f, ops[e->op]);
        put_lit(o, len, s, e->field, &e->lit);
        break;
    case E_IN:
        *len += (size_t)sprintf(*o + *len, "%s in (", f);
        for (int i = 0; i < e->nlist; i++) {
            if (i) *len += (size_t)sprintf(*o + *len, ", ");
            put_lit(o, len, s, e->field, &e->list[i]);
        }
        *len += (size_t)sprintf(*o + *len, ")");
        break;
    case E_NULL: *len += (size_t)sprintf(*o + *len, "%s is null", f); break;
    case E_CONTAINS: case E_STARTS: case E_ENDS:
        *len += (size_t)sprintf(*o + *len, "%s %s ", f,
                                e->kind == E_CONTAINS ? "contains" : e->kind == E_STARTS ? "starts_with" : "ends_with");
        put_lit(o, len, s, e->field, &e->lit);
        break;
    case E_MATCH: {
        val p = {0, 0, e->pattern};
        *len += (size_t)sprintf(*o + *len, "%s matches ", f);
        put_lit(o, len, s, e->field, &p);
        break;
    }
    case E_CALLS: case E_CALLED_BY:
        *len += (size_t)sprintf(*o + *len, "%s ", e->kind == E_CALLS ? "calls" : "called_by");
        put_lit(o, len, s, 1, &e->lit);
        break;
    }
}

/* ---- the reference evaluator ---------------------------------------------------------- */

static int vcmp(const val *a, const val *b, int type) {
    if (a->null || b->null) return a->null == b->null ? 0 : a->null ? -1 : 1;
    if (type == T_STR) {
        int c = strcmp(a->s, b->s);
        return (c > 0) - (c < 0);
    }
    return (a->i > b->i) - (a->i < b->i);
}

/* does function `fun` (gen index) call m.n/a (a resolved call site)? */
static bool fun_calls(uint32_t fun, const char *m, const char *n, uint32_t a) {
    /* a scan of the calls table: the calls whose caller function is `fun` */
    for (uint32_t i = 0; i < repo_gen_call_count(G); i++) {
        if (repo_gen_call_caller(G, i) != fun) continue;
        exs_call_info c;
        repo_gen_call_info(G, i, &c);
        if (c.target_module && c.name && strcmp(c.resolution, "unresolved") != 0 && c.arity == a &&
            strcmp(c.target_module, m) == 0 && strcmp(c.name, n) == 0)
            return true;
    }
    return false;
}

static bool eval(int s, const ex *e, const row *r, pcre2_match_data *md) {
    const val *v = e->field >= 0 ? &r->v[e->field] : NULL;
    int type = e->field >= 0 ? DEFS[s][e->field].type : 0;
    switch (e->kind) {
    case E_AND: return eval(s, e->a, r, md) && eval(s, e->b, r, md);
    case E_OR: return eval(s, e->a, r, md) || eval(s, e->b, r, md);
    case E_NOT: return !eval(s, e->a, r, md);
    case E_NULL: return v->null;
    case E_CMP: {
        if (v->null) return false;
        int c = vcmp(v, &e->lit, type);
        switch (e->op) {
        case 0: return c == 0;
        case 1: return c != 0;
        case 2: return c < 0;
        case 3: return c <= 0;
        case 4: return c > 0;
        default: return c >= 0;
        }
    }
    case E_IN:
        if (v->null) return false;
        for (int i = 0; i < e->nlist; i++)
            if (vcmp(v, &e->list[i], type) == 0) return true;
        return false;
    case E_CONTAINS: return !v->null && strstr(v->s, e->lit.s);
    case E_STARTS: return !v->null && strncmp(v->s, e->lit.s, strlen(e->lit.s)) == 0;
    case E_ENDS: {
        if (v->null) return false;
        size_t a = strlen(v->s), b = strlen(e->lit.s);
        return a >= b && strcmp(v->s + a - b, e->lit.s) == 0;
    }
    case E_MATCH:
        return !v->null && pcre2_match(e->re, (PCRE2_SPTR)v->s, strlen(v->s), 0, 0, md, NULL) >= 0;
    case E_CALLS: return fun_calls(r->fun, e->mfa_m, e->mfa_n, e->mfa_a);
    case E_CALLED_BY: {
        /* the caller named by the MFA: project first, as the repository resolves it */
        uint32_t k = repo_gen_find_fun(G, e->mfa_m, e->mfa_n, e->mfa_a);
        return k != UINT32_MAX && !r->v[0].null && !r->v[1].null && fun_calls(k, r->v[0].s, r->v[1].s, (uint32_t)r->v[2].i);
    }
    }
    return false;
}

static int field_of(int s, const char *name) {
    for (int i = 0; i < NDEF[s]; i++)
        if (strcmp(DEFS[s][i].name, name) == 0) return i;
    return -1;
}

static int key_s, key_n, key_f[30], key_desc[30];
static int cmp_rows(const void *a, const void *b) {
    const row *x = *(const row *const *)a, *y = *(const row *const *)b;
    for (int i = 0; i < key_n; i++) {
        int c = vcmp(&x->v[key_f[i]], &y->v[key_f[i]], DEFS[key_s][key_f[i]].type);
        if (c) return key_desc[i] ? -c : c;
    }
    return 0;
}

static void ident(int s, const row *r, char *out, size_t cap) {
    size_t len = 0;
    char tmp[64];
    const char *cols = IDENT[s];
    char buf[128];
    strcpy(buf, cols);
    for (char *tok = strtok(buf, ", "); tok; tok = strtok(NULL, ", ")) {
        const val *v = &r->v[field_of(s, tok)];
        const char *x = v->null ? "null" : DEFS[s][field_of(s, tok)].type == T_STR ? v->s : (snprintf(tmp, sizeof(tmp), "%lld", v->i), tmp);
        len += (size_t)snprintf(out + len, cap - len, "%s ", x);
    }
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "corpus/elixir-lang/lib";
    int nq = argc > 2 ? atoi(argv[2]) : 600;
    rng = argc > 3 ? strtoull(argv[3], NULL, 10) : 0x9e3779b97f4a7c15ULL;
    if (!rng) rng = 1;
    exs_repo *repo = exs_repo_new();
    exs_index_options o = {.threads = 2};
    if (exs_repo_index_dir(repo, dir, &o, NULL) != EXS_OK) {
        fprintf(stderr, "differential: cannot index %s\n", dir);
        return 1;
    }
    exs_snapshot *snap = exs_repo_snapshot(repo);
    load(snap);
    printf("differential: %s: %u functions, %u calls, %u modules, %u files\n", dir, T[0].count,
           T[1].count, T[2].count, T[3].count);
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    char *text = malloc(1 << 16);
    const row **ref = malloc(300000 * sizeof(row *));
    int same = 0, nonempty = 0;
    double engine_seconds = 0;
    for (int qi = 0; qi < nq; qi++) {
        int s = qi % 10 < 5 ? 0 : qi % 10 < 8 ? 1 : qi % 10 < 9 ? 2 : 3;
        ex *e = gen(s, 1 + (int)rnd(3));
        size_t len = (size_t)sprintf(text, "from %s where ", SRC[s]);
        render(s, e, &text, &len);
        len += (size_t)sprintf(text + len, " select %s", IDENT[s]);
        key_s = s;
        key_n = 0;
        if (rnd(2)) {
            len += (size_t)sprintf(text + len, " order by ");
            int k = 1 + (int)rnd(2);
            for (int i = 0; i < k; i++) {
                int f = (int)rnd((uint32_t)NDEF[s]);
                key_f[key_n] = f;
                key_desc[key_n++] = (int)rnd(2);
                len += (size_t)sprintf(text + len, "%s%s%s", i ? ", " : "", DEFS[s][f].name,
                                       key_desc[key_n - 1] ? " desc" : "");
            }
        }
        for (int i = 0; NAT[s][i]; i++) key_f[key_n] = field_of(s, NAT[s][i]), key_desc[key_n++] = 0;
        long long limit = -1, offset = 0;
        if (rnd(3) == 0) {
            limit = rnd(30);
            offset = rnd(4) == 0 ? rnd(20) : 0;
            len += (size_t)sprintf(text + len, " limit %lld offset %lld", limit, offset);
        }
        /* reference: full scan, filter, sort, page */
        uint32_t n = 0;
        for (uint32_t i = 0; i < T[s].count; i++)
            if (eval(s, e, &T[s].rows[i], md)) ref[n++] = &T[s].rows[i];
        qsort(ref, n, sizeof(*ref), cmp_rows);
        uint32_t start = (uint32_t)(offset > n ? n : offset), end = n;
        if (limit >= 0 && start + limit < end) end = start + (uint32_t)limit;
        /* the engine */
        exs_query *q = NULL;
        exs_error err;
        if (exs_query_parse(text, &q, &err) != EXS_OK) {
            printf("DIFF query %d does not parse: %s\n  %s\n", qi, err.message, text);
            continue;
        }
        exs_query_result *res = NULL;
        if (exs_query_run(q, snap, &res, &err) != EXS_OK) {
            printf("DIFF query %d failed: %s\n", qi, err.message);
            exs_query_free(q);
            continue;
        }
        engine_seconds += exs_query_result_seconds(res);
        bool ok = exs_query_result_rows(res) == end - start && exs_query_result_matched(res) == n;
        for (uint32_t i = 0; ok && i < end - start; i++) {
            char a[2048], b[2048];
            size_t l = 0;
            for (uint32_t c = 0; c < exs_query_result_columns(res); c++) {
                exs_query_value v = exs_query_result_value(res, i, c);
                if (v.is_null) l += (size_t)snprintf(a + l, sizeof(a) - l, "null ");
                else if (v.is_int) l += (size_t)snprintf(a + l, sizeof(a) - l, "%lld ", (long long)v.i);
                else l += (size_t)snprintf(a + l, sizeof(a) - l, "%s ", v.s);
            }
            ident(s, ref[start + i], b, sizeof(b));
            if (strcmp(a, b) != 0) {
                ok = false;
                printf("DIFF query %d row %u: engine '%s', reference '%s'\n", qi, i, a, b);
            }
        }
        if (ok) same++;
        else
            printf("DIFF query %d: %s\n  engine %u rows (%u matched), reference %u rows (%u matched)\n",
                   qi, text, exs_query_result_rows(res), exs_query_result_matched(res), end - start, n);
        if (n) nonempty++;
        exs_query_result_free(res);
        exs_query_free(q);
    }
    printf("differential: %d/%d queries identical (%d with matches; engine %.1f ms in all)\n", same,
           nq, nonempty, engine_seconds * 1e3);
    printf("%d passed, %d failed\n", same, nq - same);
    pcre2_match_data_free(md);
    exs_snapshot_release(snap);
    exs_repo_free(repo);
    return same == nq ? 0 : 1;
}
