/* plan.c: the query planner (model: SQLite's where.c, in miniature).
 *
 * Design: the filter's top-level AND chain is split into conjuncts. Each conjunct an
 * index can serve proposes an access path with its exact candidate count, read from
 * the index itself (an MFA lookup, a callers run, a callee list, complexity buckets,
 * the files whose path matches); the smallest wins, and with none the table is
 * scanned. Candidates are a superset of the answer: every conjunct, the served one
 * included, is still evaluated on each candidate, so an index only ever saves work and
 * can never change a result (the differential test checks exactly that). The other
 * conjuncts run cheapest first (integer compares, then string compares, then
 * substring, regex, and joins last), so the expensive ones see the fewest rows.
 * Invariants: candidates are distinct, in table order, of project rows or not (the
 * executor skips other layers). Called by exec.c. */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../analyze/metrics.h"

#define NONE UINT32_MAX

/* ---- printing ---------------------------------------------------------------------- */

static size_t put(char *out, size_t cap, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#include <stdarg.h>
static size_t put(char *out, size_t cap, size_t len, const char *fmt, ...) {
    if (len >= cap) return len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + len, cap - len, fmt, ap);
    va_end(ap);
    return n < 0 ? len : len + (size_t)n;
}

static size_t put_str(char *out, size_t cap, size_t len, const char *s) {
    len = put(out, cap, len, "\"");
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\') len = put(out, cap, len, "\\%c", *s);
        else if (*s == '\n') len = put(out, cap, len, "\\n");
        else len = put(out, cap, len, "%c", *s);
    }
    return put(out, cap, len, "\"");
}

static size_t put_val(const exs_query *q, int field, const qval *v, char *out, size_t cap,
                      size_t len) {
    uint32_t n;
    const qfield *fs = qschema(q->source, &n);
    if (v->type == QV_NULL) return put(out, cap, len, "null");
    if (v->type == QV_STR) return put_str(out, cap, len, v->s);
    if (field >= 0 && fs[field].type == QF_BOOL) return put(out, cap, len, v->i ? "true" : "false");
    return put(out, cap, len, "%lld", (long long)v->i);
}

static size_t print(const exs_query *q, const qexpr *e, char *out, size_t cap, size_t len) {
    static const char *ops[] = {"=", "!=", "<", "<=", ">", ">="};
    uint32_t n;
    const qfield *fs = qschema(q->source, &n);
    const char *f = e->field >= 0 ? fs[e->field].name : "?";
    switch ((qexpr_kind)e->kind) {
    case QE_AND:
    case QE_OR:
        len = put(out, cap, len, "(");
        len = print(q, e->a, out, cap, len);
        len = put(out, cap, len, e->kind == QE_AND ? " and " : " or ");
        len = print(q, e->b, out, cap, len);
        return put(out, cap, len, ")");
    case QE_NOT:
        len = put(out, cap, len, "not ");
        return print(q, e->a, out, cap, len);
    case QE_CMP:
        len = put(out, cap, len, "%s %s ", f, ops[e->op]);
        return put_val(q, e->field, &e->lit, out, cap, len);
    case QE_IN:
        len = put(out, cap, len, "%s in (", f);
        for (uint32_t i = 0; i < e->list_count; i++) {
            if (i) len = put(out, cap, len, ", ");
            len = put_val(q, e->field, &e->list[i], out, cap, len);
        }
        return put(out, cap, len, ")");
    case QE_IS_NULL: return put(out, cap, len, "%s is null", f);
    case QE_CONTAINS:
    case QE_STARTS:
    case QE_ENDS:
        len = put(out, cap, len, "%s %s ", f,
                  e->kind == QE_CONTAINS ? "contains" : e->kind == QE_STARTS ? "starts_with" : "ends_with");
        return put_str(out, cap, len, e->lit.s);
    case QE_MATCH: {
        len = put(out, cap, len, "%s matches ", f);
        return put_str(out, cap, len, e->lit.s ? e->lit.s : "");
    }
    case QE_CALLS:
    case QE_CALLED_BY:
        len = put(out, cap, len, e->kind == QE_CALLS ? "calls " : "called_by ");
        return put_str(out, cap, len, e->lit.s);
    }
    return len;
}

size_t qexpr_print(const exs_query *q, const qexpr *e, char *out, size_t cap) {
    if (cap) out[0] = 0;
    return print(q, e, out, cap, 0);
}

/* ---- costs --------------------------------------------------------------------------- */

unsigned qexpr_cost(const exs_query *q, const qexpr *e) {
    uint32_t n;
    const qfield *fs = qschema(q->source, &n);
    unsigned field_cost = 0;
    if (e->field >= 0) {
        field_cost = fs[e->field].type == QF_STR ? 2 : 1;
        /* computed fields: a hash lookup or an MFA string per row */
        if (q->source == QS_FUNCTIONS && (e->field == FF_CALLERS || e->field == FF_CALLEES)) field_cost += 6;
        if (q->source == QS_FUNCTIONS && e->field == FF_MFA) field_cost += 2;
        if (q->source == QS_CALLS && (e->field == CF_CALLER || e->field == CF_CALLEE)) field_cost += 2;
    }
    switch ((qexpr_kind)e->kind) {
    case QE_AND:
    case QE_OR: return qexpr_cost(q, e->a) + qexpr_cost(q, e->b);
    case QE_NOT: return qexpr_cost(q, e->a);
    case QE_CMP:
    case QE_IS_NULL: return field_cost;
    case QE_IN: return field_cost + e->list_count / 2;
    case QE_STARTS:
    case QE_ENDS: return field_cost + 1;
    case QE_CONTAINS: return field_cost + 3;
    case QE_MATCH: return field_cost + 8;
    case QE_CALLS:
    case QE_CALLED_BY: return 40;
    }
    return 1;
}

/* ---- candidates ------------------------------------------------------------------------ */

typedef struct cands {
    uint32_t *v;
    uint32_t count, cap;
    bool failed;
} cands;

static void cpush(cands *c, uint32_t x) {
    if (c->failed) return;
    if (c->count == c->cap) {
        uint32_t nc = c->cap ? c->cap * 2 : 64;
        uint32_t *nv = realloc(c->v, (size_t)nc * sizeof(uint32_t));
        if (!nv) {
            c->failed = true;
            return;
        }
        c->v = nv;
        c->cap = nc;
    }
    c->v[c->count++] = x;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void cuniq(cands *c) {
    if (c->count < 2) return;
    qsort(c->v, c->count, sizeof(uint32_t), cmp_u32);
    uint32_t k = 1;
    for (uint32_t i = 1; i < c->count; i++)
        if (c->v[i] != c->v[k - 1]) c->v[k++] = c->v[i];
    c->count = k;
}

/* Rows of table s whose file is f: tables are in file order, so a binary search. */
static void file_rows(const repo_gen *g, qsource s, uint32_t f, cands *c) {
    if (s == QS_FILES) {
        cpush(c, f);
        return;
    }
    uint32_t n = qrows_count(g, s), lo = 0, hi = n;
    uint32_t (*file_of)(const repo_gen *, uint32_t) =
        s == QS_FUNCTIONS ? repo_gen_fun_file : s == QS_CALLS ? repo_gen_call_file : repo_gen_mod_file;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (file_of(g, mid) < f) lo = mid + 1;
        else hi = mid;
    }
    for (uint32_t i = lo; i < n && file_of(g, i) == f; i++) cpush(c, i);
}

static int file_field(qsource s) {
    return s == QS_FUNCTIONS ? FF_FILE : s == QS_CALLS ? CF_FILE : s == QS_MODULES ? MF_FILE : PF_FILE;
}

static bool parse_mfa_lit(const qval *v, char *m, char *n, uint32_t *a) {
    return v->type == QV_STR && qparse_mfa(v->s, m, 256, n, 256, a);
}

/* Proposes an access path for conjunct e; true with *c filled (and *kind, text). */
static bool propose(const exs_query *q, const repo_gen *g, const qexpr *e, cands *c,
                    qaccess *kind, char *text, size_t cap) {
    char m[256], n[256];
    uint32_t a;
    qsource s = q->source;
    if (e->kind == QE_CMP && e->op == QOP_EQ && s == QS_FUNCTIONS && e->field == FF_MFA &&
        parse_mfa_lit(&e->lit, m, n, &a)) {
        uint32_t found[64], k = repo_gen_find_funs(g, m, n, a, found, 64);
        for (uint32_t i = 0; i < k && i < 64; i++) cpush(c, found[i]);
        cuniq(c);
        if (k > 64) return false; /* not worth an index */
        *kind = QA_MFA;
        snprintf(text, cap, "function index (by MFA) %.120s.%.120s/%u", m, n, a);
        return true;
    }
    if (e->kind == QE_CALLS && s == QS_FUNCTIONS) {
        const uint32_t *calls;
        uint32_t k = repo_gen_callers_of(g, e->mfa_mod, e->mfa_name, e->mfa_arity, &calls);
        for (uint32_t i = 0; i < k; i++) {
            uint32_t f = repo_gen_call_caller(g, calls[i]);
            if (f != NONE) cpush(c, f);
        }
        cuniq(c);
        *kind = QA_CALLERS;
        snprintf(text, cap, "callers index (call sites resolved to %.200s) -> their functions", e->lit.s);
        return true;
    }
    if (e->kind == QE_CALLED_BY && s == QS_FUNCTIONS) {
        uint32_t k = repo_gen_find_fun(g, e->mfa_mod, e->mfa_name, e->mfa_arity);
        if (k != NONE) {
            const uint32_t *calls;
            uint32_t cnt = repo_gen_callees_of(g, k, &calls);
            for (uint32_t i = 0; i < cnt; i++) {
                exs_call_info ci;
                repo_gen_call_info(g, calls[i], &ci);
                if (!ci.target_module || strcmp(ci.resolution, "unresolved") == 0) continue;
                /* every function with that MFA (a module may be defined twice) */
                uint32_t t = repo_gen_find_fun(g, ci.target_module, ci.name, ci.arity);
                if (t != NONE) cpush(c, t);
            }
        }
        cuniq(c);
        *kind = QA_CALLEES;
        snprintf(text, cap, "callees index (call sites inside %.200s) -> function index", e->lit.s);
        return true;
    }
    if (e->kind == QE_CMP && e->op == QOP_EQ && s == QS_CALLS &&
        (e->field == CF_CALLEE || e->field == CF_CALLER) && parse_mfa_lit(&e->lit, m, n, &a)) {
        const uint32_t *calls;
        uint32_t k;
        if (e->field == CF_CALLEE) {
            k = repo_gen_callers_of(g, m, n, a, &calls);
            *kind = QA_CALLS_TO;
            snprintf(text, cap, "callers index (calls resolved to %.120s.%.120s/%u)", m, n, a);
        } else {
            uint32_t f = repo_gen_find_fun(g, m, n, a);
            k = f == NONE ? 0 : repo_gen_callees_of(g, f, &calls);
            *kind = QA_CALLS_FROM;
            snprintf(text, cap, "callees index (call sites inside %.120s.%.120s/%u)", m, n, a);
        }
        for (uint32_t i = 0; i < k; i++) cpush(c, calls[i]);
        cuniq(c);
        return true;
    }
    if (e->kind == QE_CMP && e->op == QOP_EQ && e->lit.type == QV_STR &&
        ((s == QS_FUNCTIONS && e->field == FF_MODULE) || (s == QS_MODULES && e->field == MF_NAME))) {
        uint32_t mods[64], k = repo_gen_find_mods(g, e->lit.s, mods, 64);
        if (k > 64) return false;
        for (uint32_t i = 0; i < k; i++) {
            if (s == QS_MODULES) {
                cpush(c, mods[i]);
                continue;
            }
            uint32_t first, nf = repo_gen_mod_funs(g, mods[i], &first);
            for (uint32_t j = 0; j < nf; j++) cpush(c, first + j);
        }
        cuniq(c);
        *kind = QA_MODULE;
        snprintf(text, cap, "module index (name = \"%.200s\": %u modules)", e->lit.s, k);
        return true;
    }
    if ((e->kind == QE_CMP && e->op == QOP_EQ) || e->kind == QE_STARTS) {
        if (e->field != file_field(s) || e->lit.type != QV_STR) return false;
        if (e->kind == QE_CMP) {
            uint32_t f = repo_gen_find_file(g, e->lit.s);
            if (f != NONE) file_rows(g, s, f, c);
            snprintf(text, cap, "file index (path = \"%.200s\")", e->lit.s);
        } else {
            size_t pl = strlen(e->lit.s);
            uint32_t files = 0;
            for (uint32_t f = 0; f < repo_gen_file_count(g); f++)
                if (strncmp(repo_gen_file(g, f)->path, e->lit.s, pl) == 0) {
                    file_rows(g, s, f, c);
                    files++;
                }
            snprintf(text, cap, "file index (path starts_with \"%.200s\": %u files)", e->lit.s, files);
        }
        *kind = QA_FILES;
        return true;
    }
    return false;
}

/* module = M and name = N and arity = A: the function index too. */
static bool propose_triple(const exs_query *q, const repo_gen *g, const qexpr **conj,
                           uint32_t count, cands *c, char *text, size_t cap,
                           const qexpr **served) {
    if (q->source != QS_FUNCTIONS) return false;
    const qexpr *m = NULL, *n = NULL, *a = NULL;
    for (uint32_t i = 0; i < count; i++) {
        const qexpr *e = conj[i];
        if (e->kind != QE_CMP || e->op != QOP_EQ) continue;
        if (e->field == FF_MODULE) m = e;
        else if (e->field == FF_NAME) n = e;
        else if (e->field == FF_ARITY) a = e;
    }
    if (!m || !n || !a || a->lit.i < 0 || a->lit.i > UINT32_MAX) return false;
    uint32_t found[64], k = repo_gen_find_funs(g, m->lit.s, n->lit.s, (uint32_t)a->lit.i, found, 64);
    if (k > 64) return false;
    for (uint32_t i = 0; i < k; i++) cpush(c, found[i]);
    cuniq(c);
    *served = m;
    snprintf(text, cap, "function index (by MFA) %.120s.%.120s/%lld", m->lit.s, n->lit.s,
             (long long)a->lit.i);
    return true;
}

/* complexity ranges: the conjuncts' bounds, then the buckets they cover. */
static bool propose_buckets(const exs_query *q, const repo_gen *g, const qexpr **conj,
                            uint32_t count, cands *c, char *text, size_t cap,
                            const qexpr **served) {
    if (q->source != QS_FUNCTIONS) return false;
    int64_t lo = 0, hi = INT64_MAX;
    bool any = false;
    for (uint32_t i = 0; i < count; i++) {
        const qexpr *e = conj[i];
        if (e->kind != QE_CMP || e->field != FF_COMPLEXITY || e->op == QOP_NE) continue;
        int64_t v = e->lit.i;
        int64_t l = 0, h = INT64_MAX;
        switch ((qop)e->op) {
        case QOP_EQ: l = h = v; break;
        case QOP_GT: l = v + 1; break;
        case QOP_GE: l = v; break;
        case QOP_LT: h = v - 1; break;
        case QOP_LE: h = v; break;
        default: break;
        }
        if (l > lo) lo = l;
        if (h < hi) hi = h;
        any = true;
        *served = e;
    }
    if (!any) return false;
    if (lo > hi || hi < 0) {
        snprintf(text, cap, "complexity buckets: empty range");
        return true;
    }
    unsigned bl = metrics_bucket(lo > UINT32_MAX ? UINT32_MAX : (uint32_t)(lo < 0 ? 0 : lo));
    unsigned bh = metrics_bucket(hi > UINT32_MAX ? UINT32_MAX : (uint32_t)hi);
    for (unsigned b = bl; b <= bh; b++) {
        const uint32_t *funs;
        uint32_t k = repo_gen_bucket_funs(g, b, &funs);
        for (uint32_t i = 0; i < k; i++) cpush(c, funs[i]);
    }
    cuniq(c);
    snprintf(text, cap, "complexity bucket index (buckets %s .. %s)", metrics_bucket_name(bl),
             metrics_bucket_name(bh));
    return true;
}

static void flatten(const qexpr *e, const qexpr **out, uint32_t *count, uint32_t cap) {
    if (!e) return;
    if (e->kind == QE_AND) {
        flatten(e->a, out, count, cap);
        flatten(e->b, out, count, cap);
    } else if (*count < cap) out[(*count)++] = e;
}


static int count_and(const qexpr *e) {
    return !e ? 0 : e->kind == QE_AND ? count_and(e->a) + count_and(e->b) : 1;
}

exs_status qplan_build(const exs_query *q, const repo_gen *g, qplan *out) {
    memset(out, 0, sizeof(*out));
    out->table_rows = qrows_count(g, q->source);
    uint32_t n = (uint32_t)count_and(q->where);
    out->filters = malloc((n + 1) * sizeof(*out->filters));
    if (!out->filters) return EXS_ERR_NOMEM;
    flatten(q->where, out->filters, &out->filter_count, n);
    /* index proposals: the fewest candidates win */
    out->access = QA_SCAN;
    snprintf(out->access_text, sizeof(out->access_text), "full scan of %s (%u rows)",
             qsource_name(q->source), out->table_rows);
    for (uint32_t i = 0; i <= out->filter_count + 1; i++) {
        cands c = {0};
        qaccess kind = QA_BUCKETS;
        char text[400];
        const qexpr *served = NULL;
        bool ok;
        if (i < out->filter_count) {
            served = out->filters[i];
            ok = propose(q, g, served, &c, &kind, text, sizeof(text));
        } else if (i == out->filter_count)
            ok = propose_buckets(q, g, out->filters, out->filter_count, &c, text, sizeof(text), &served);
        else {
            kind = QA_MFA;
            ok = propose_triple(q, g, out->filters, out->filter_count, &c, text, sizeof(text), &served);
        }
        if (c.failed) {
            free(c.v);
            qplan_free(out);
            return EXS_ERR_NOMEM;
        }
        if (ok && (out->access == QA_SCAN || c.count < out->cand_count)) {
            free(out->cands);
            out->cands = c.v;
            out->cand_count = c.count;
            out->access = c.count ? kind : QA_EMPTY;
            out->served = served;
            snprintf(out->access_text, sizeof(out->access_text), "%.300s: %u candidate rows", text, c.count);
        } else free(c.v);
    }
    /* cheapest first; a stable insertion sort (few conjuncts; keeps the written order on
       ties, and qsort has no context argument for a thread-safe comparison) */
    for (uint32_t i = 1; i < out->filter_count; i++) {
        const qexpr *e = out->filters[i];
        unsigned ce = qexpr_cost(q, e);
        uint32_t j = i;
        while (j > 0 && qexpr_cost(q, out->filters[j - 1]) > ce) {
            out->filters[j] = out->filters[j - 1];
            j--;
        }
        out->filters[j] = e;
    }
    return EXS_OK;
}

void qplan_free(qplan *p) {
    free(p->cands);
    free(p->filters);
    p->cands = NULL;
    p->filters = NULL;
}
