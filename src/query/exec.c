/* exec.c: the query executor and the public query API (exs_query_*, exscope.h).
 *
 * Design: exs_query_run plans the query (plan.c), then for each candidate row of the
 * project layer fills the row's fields (qrow_fill), evaluates the conjuncts cheapest
 * first, and keeps the matches with their sort keys. The sort key is the query's
 * `order by` followed by the source's natural key (file, line, column, name, ...), so
 * the order is total and the same whichever index produced the rows. A page is then
 * cut: `after CURSOR` keeps the rows whose key is greater than the cursor's (a cursor
 * is the last row's key, hex-encoded, so it stays meaningful when rows come and go),
 * then offset, then limit. The page's selected columns are copied into the result's
 * own arena: a result outlives its snapshot.
 * Invariants: rows of the stdlib and deps layers are never results; strings of a
 * qrow are valid while its generation is held and the row is not refilled.
 * Memory: the matches and their keys live in a scratch arena freed after the run.
 * Called by the CLI (cmd_query.c) through exscope.h, and by tests. */
#define _POSIX_C_SOURCE 200809L
#include "exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan.h"
#include "../base/buf.h"

#define NONE UINT32_MAX

/* ---- rows -------------------------------------------------------------------------- */

uint32_t qrows_count(const repo_gen *g, qsource s) {
    switch (s) {
    case QS_FUNCTIONS: return repo_gen_fun_count(g);
    case QS_CALLS: return repo_gen_call_count(g);
    case QS_MODULES: return repo_gen_mod_count(g);
    default: return repo_gen_file_count(g);
    }
}

bool qrow_is_project(const repo_gen *g, qsource s, uint32_t idx) {
    uint32_t f = s == QS_FUNCTIONS ? repo_gen_fun_file(g, idx)
                 : s == QS_CALLS   ? repo_gen_call_file(g, idx)
                 : s == QS_MODULES ? repo_gen_mod_file(g, idx)
                                   : idx;
    return repo_gen_file(g, f)->layer == REPO_PROJECT;
}

static qval vi(int64_t i) { return (qval){QV_INT, i, NULL}; }
static qval vs(const char *s) { return s ? (qval){QV_STR, 0, s} : (qval){QV_NULL, 0, NULL}; }

static const char *mfa_str(char *buf, size_t cap, const char *m, const char *n, uint32_t a) {
    snprintf(buf, cap, "%s.%s/%u", m, n, a);
    return buf;
}

void qrow_fill(const repo_gen *g, qsource s, uint32_t idx, uint32_t need, qrow *r) {
    r->idx = idx;
    qval *v = r->v;
    if (s == QS_FUNCTIONS) {
        exs_function_info f;
        repo_gen_fun_info(g, idx, &f);
        v[FF_MODULE] = vs(f.module);
        v[FF_NAME] = vs(f.name);
        v[FF_ARITY] = vi(f.arity);
        /* a name made by unquote (def unquote(name)(...)) is unknown: null, as its MFA */
        v[FF_MFA] = f.module && f.name && (need & 1u << FF_MFA)
                        ? vs(mfa_str(r->buf[0], sizeof(r->buf[0]), f.module, f.name, f.arity))
                        : vs(NULL);
        v[FF_KIND] = vs(f.kind);
        v[FF_FILE] = vs(f.path);
        v[FF_LINE] = vi(f.line);
        v[FF_COLUMN] = vi(f.column);
        v[FF_LAST_LINE] = vi(f.last_line);
        v[FF_CLAUSES] = vi(f.clauses);
        v[FF_COMPLEXITY] = vi(f.complexity);
        v[FF_COGNITIVE] = vi(f.cognitive);
        v[FF_NESTING] = vi(f.nesting);
        v[FF_LINES] = vi(f.lines);
        v[FF_PUBLIC] = vi(f.is_public);
        v[FF_MACRO] = vi(f.is_macro);
        v[FF_GENERATED] = vi(f.generated);
        const uint32_t *calls;
        v[FF_CALLERS] = vi(0);
        if ((need & 1u << FF_CALLERS) && f.module && f.name) {
            /* project call sites only, as exs_snapshot_callers counts them */
            uint32_t n = repo_gen_callers_of(g, f.module, f.name, f.arity, &calls), k = 0;
            for (uint32_t i = 0; i < n; i++)
                if (repo_gen_file(g, repo_gen_call_file(g, calls[i]))->layer == REPO_PROJECT) k++;
            v[FF_CALLERS] = vi(k);
        }
        v[FF_CALLEES] = vi(repo_gen_callees_of(g, idx, &calls));
    } else if (s == QS_CALLS) {
        exs_call_info c;
        repo_gen_call_info(g, idx, &c);
        v[CF_FILE] = vs(c.path);
        v[CF_LINE] = vi(c.line);
        v[CF_COLUMN] = vi(c.column);
        v[CF_CALLER_MODULE] = vs(c.caller_module);
        v[CF_CALLER_NAME] = vs(c.caller_name);
        v[CF_CALLER_ARITY] = c.caller_name ? vi(c.caller_arity) : vs(NULL);
        v[CF_CALLER] = c.caller_name && c.caller_module && (need & 1u << CF_CALLER) ? vs(mfa_str(r->buf[1], sizeof(r->buf[1]), c.caller_module,
                                                  c.caller_name, c.caller_arity))
                                     : vs(NULL);
        v[CF_MODULE] = vs(c.target_module);
        v[CF_NAME] = vs(c.name);
        v[CF_ARITY] = vi(c.arity);
        bool resolved = c.target_module && c.name && strcmp(c.resolution, "unresolved") != 0;
        v[CF_CALLEE] = resolved && (need & 1u << CF_CALLEE) ? vs(mfa_str(r->buf[2], sizeof(r->buf[2]), c.target_module,
                                             c.name, c.arity))
                                : vs(NULL);
        v[CF_RESOLUTION] = vs(c.resolution);
        v[CF_DYNAMIC] = vi(c.is_dynamic);
        v[CF_NODE] = vi((int64_t)c.node_id);
    } else if (s == QS_MODULES) {
        exs_module_info m;
        repo_gen_mod_info(g, idx, &m);
        v[MF_NAME] = vs(m.name);
        v[MF_KIND] = vs(m.kind);
        v[MF_FILE] = vs(m.path);
        v[MF_LINE] = vi(m.line_first);
        v[MF_LAST_LINE] = vi(m.line_last);
        v[MF_COLUMN] = vi(m.column);
        v[MF_FUNCTIONS] = vi(m.function_count);
    } else {
        const repo_file *f = repo_gen_file(g, idx);
        uint32_t first;
        v[PF_FILE] = vs(f->path);
        v[PF_MODULES] = vi(repo_gen_file_mods(g, idx, &first));
        v[PF_FUNCTIONS] = vi(f->defs.function_count);
        v[PF_CALLS] = vi(f->calls.site_count);
        v[PF_ERROR] = vi(f->has_error);
        v[PF_ERROR_LINE] = f->has_error ? vi(f->err_line) : vs(NULL);
        v[PF_ERROR_MESSAGE] = f->has_error ? vs(f->err_message ? f->err_message : "") : vs(NULL);
    }
}

int qval_cmp(const qval *a, const qval *b) {
    if (a->type != b->type) return a->type < b->type ? -1 : 1; /* null < int < string */
    if (a->type == QV_INT) return a->i < b->i ? -1 : a->i > b->i;
    if (a->type == QV_STR) {
        int c = strcmp(a->s, b->s);
        return c < 0 ? -1 : c > 0;
    }
    return 0;
}

static bool ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && memcmp(s + a - b, suf, b) == 0;
}

/* Does function fun (gen index `caller`) have a resolved call to module.name/arity? */
static bool has_call_to(const repo_gen *g, uint32_t caller, const char *m, const char *n,
                        uint32_t a) {
    const uint32_t *calls;
    uint32_t k = repo_gen_callees_of(g, caller, &calls);
    for (uint32_t i = 0; i < k; i++) {
        exs_call_info c;
        repo_gen_call_info(g, calls[i], &c);
        if (c.arity == a && c.target_module && c.name && strcmp(c.resolution, "unresolved") != 0 &&
            strcmp(c.name, n) == 0 && strcmp(c.target_module, m) == 0)
            return true;
    }
    return false;
}

bool qexpr_eval(const repo_gen *g, qsource s, const qexpr *e, const qrow *r,
                pcre2_match_data *md) {
    const qval *v = e->field >= 0 ? &r->v[e->field] : NULL;
    switch ((qexpr_kind)e->kind) {
    case QE_AND: return qexpr_eval(g, s, e->a, r, md) && qexpr_eval(g, s, e->b, r, md);
    case QE_OR: return qexpr_eval(g, s, e->a, r, md) || qexpr_eval(g, s, e->b, r, md);
    case QE_NOT: return !qexpr_eval(g, s, e->a, r, md);
    case QE_IS_NULL: return v->type == QV_NULL;
    case QE_CMP: {
        /* SQL-like: a comparison with null is false (use `is null`) */
        if (v->type == QV_NULL || e->lit.type == QV_NULL) return false;
        int c = qval_cmp(v, &e->lit);
        switch ((qop)e->op) {
        case QOP_EQ: return c == 0;
        case QOP_NE: return c != 0;
        case QOP_LT: return c < 0;
        case QOP_LE: return c <= 0;
        case QOP_GT: return c > 0;
        case QOP_GE: return c >= 0;
        }
        return false;
    }
    case QE_IN:
        if (v->type == QV_NULL) return false;
        for (uint32_t i = 0; i < e->list_count; i++)
            if (qval_cmp(v, &e->list[i]) == 0) return true;
        return false;
    case QE_CONTAINS: return v->type == QV_STR && strstr(v->s, e->lit.s) != NULL;
    case QE_STARTS:
        return v->type == QV_STR && strncmp(v->s, e->lit.s, strlen(e->lit.s)) == 0;
    case QE_ENDS: return v->type == QV_STR && ends_with(v->s, e->lit.s);
    case QE_MATCH:
        return v->type == QV_STR &&
               pcre2_match(e->re, (PCRE2_SPTR)v->s, strlen(v->s), 0, 0, md, NULL) >= 0;
    case QE_CALLS:
        return s == QS_FUNCTIONS &&
               has_call_to(g, r->idx, e->mfa_mod, e->mfa_name, e->mfa_arity);
    case QE_CALLED_BY: {
        if (s != QS_FUNCTIONS) return false;
        uint32_t k = repo_gen_find_fun(g, e->mfa_mod, e->mfa_name, e->mfa_arity);
        return k != NONE && r->v[FF_MODULE].s && r->v[FF_NAME].s &&
               has_call_to(g, k, r->v[FF_MODULE].s, r->v[FF_NAME].s,
                                        (uint32_t)r->v[FF_ARITY].i);
    }
    }
    return false;
}

/* ---- sort keys and cursors ----------------------------------------------------------- */

static const int16_t natural_fun[] = {FF_FILE, FF_LINE, FF_COLUMN, FF_NAME, FF_ARITY, FF_MODULE};
static const int16_t natural_call[] = {CF_FILE, CF_LINE, CF_COLUMN, CF_NAME, CF_ARITY, CF_NODE};
static const int16_t natural_mod[] = {MF_FILE, MF_LINE, MF_COLUMN, MF_NAME};
static const int16_t natural_file[] = {PF_FILE};

static uint32_t natural_key(qsource s, const int16_t **out) {
    switch (s) {
    case QS_FUNCTIONS: *out = natural_fun; return 6;
    case QS_CALLS: *out = natural_call; return 6;
    case QS_MODULES: *out = natural_mod; return 4;
    default: *out = natural_file; return 1;
    }
}

typedef struct sortkey {
    uint32_t count;
    int16_t field[2 * QF_MAX];
    bool desc[2 * QF_MAX];
} sortkey;

static void sortkey_make(const exs_query *q, sortkey *k) {
    k->count = 0;
    for (uint32_t i = 0; i < q->order_count; i++) {
        k->field[k->count] = q->order[i].field;
        k->desc[k->count++] = q->order[i].desc;
    }
    const int16_t *nat;
    uint32_t n = natural_key(q->source, &nat);
    for (uint32_t i = 0; i < n; i++) {
        k->field[k->count] = nat[i];
        k->desc[k->count++] = false;
    }
}

static int keys_cmp(const sortkey *k, const qval *a, const qval *b) {
    for (uint32_t i = 0; i < k->count; i++) {
        int c = qval_cmp(&a[i], &b[i]);
        if (c) return k->desc[i] ? -c : c;
    }
    return 0;
}

typedef struct match {
    uint32_t idx;
    qval *keys;
} match;

static _Thread_local const sortkey *tl_key; /* qsort has no context argument */
static int cmp_match(const void *a, const void *b) {
    const match *x = a, *y = b;
    int c = keys_cmp(tl_key, x->keys, y->keys);
    return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static const char hexd[] = "0123456789abcdef";

/* A cursor: "<source letter><key count>:" then the keys, hex-encoded: n | i<int>; |
 * s<len>:<bytes>. */
static char *cursor_encode(exs_arena *a, const exs_query *q, const sortkey *k, const qval *keys) {
    exs_buf raw;
    buf_init(&raw);
    for (uint32_t i = 0; i < k->count; i++) {
        char tmp[40];
        if (keys[i].type == QV_NULL) buf_puts(&raw, "n");
        else if (keys[i].type == QV_INT) {
            snprintf(tmp, sizeof(tmp), "i%lld;", (long long)keys[i].i);
            buf_puts(&raw, tmp);
        } else {
            snprintf(tmp, sizeof(tmp), "s%zu:", strlen(keys[i].s));
            buf_puts(&raw, tmp);
            buf_puts(&raw, keys[i].s);
        }
    }
    char head[32];
    int hl = snprintf(head, sizeof(head), "%c%u:", qsource_name(q->source)[0], k->count);
    char *out = arena_alloc(a, (size_t)hl + raw.len * 2 + 1);
    if (out) {
        memcpy(out, head, (size_t)hl);
        for (size_t i = 0; i < raw.len; i++) {
            out[hl + 2 * i] = hexd[(unsigned char)raw.data[i] >> 4];
            out[hl + 2 * i + 1] = hexd[(unsigned char)raw.data[i] & 15];
        }
        out[(size_t)hl + raw.len * 2] = 0;
    }
    buf_free(&raw);
    return out;
}

static int hexv(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes a cursor into keys (in the arena); false when it is not this query's. */
static bool cursor_decode(exs_arena *a, const exs_query *q, const sortkey *k, const char *cur,
                          qval *keys) {
    char head[32];
    snprintf(head, sizeof(head), "%c%u:", qsource_name(q->source)[0], k->count);
    size_t hl = strlen(head);
    if (strncmp(cur, head, hl) != 0) return false;
    cur += hl;
    size_t hexlen = strlen(cur);
    if (hexlen % 2) return false;
    size_t n = hexlen / 2;
    char *raw = arena_alloc(a, n + 1);
    if (!raw) return false;
    for (size_t i = 0; i < n; i++) {
        int h = hexv(cur[2 * i]), l = hexv(cur[2 * i + 1]);
        if (h < 0 || l < 0) return false;
        raw[i] = (char)(h * 16 + l);
    }
    raw[n] = 0;
    size_t p = 0;
    uint32_t nf;
    const qfield *fs = qschema(q->source, &nf);
    for (uint32_t i = 0; i < k->count; i++) {
        if (p >= n) return false;
        char t = raw[p++];
        bool is_str = fs[k->field[i]].type == QF_STR;
        if (t == 'n') keys[i] = vs(NULL);
        else if (t == 'i' && !is_str) {
            char *end;
            long long v = strtoll(raw + p, &end, 10);
            if (*end != ';') return false;
            keys[i] = vi(v);
            p = (size_t)(end - raw) + 1;
        } else if (t == 's' && is_str) {
            char *end;
            unsigned long long len = strtoull(raw + p, &end, 10);
            if (*end != ':' || len > n - (size_t)(end + 1 - raw)) return false;
            keys[i] = vs(arena_strndup(a, end + 1, (size_t)len));
            if (!keys[i].s) return false;
            p = (size_t)(end + 1 - raw) + (size_t)len;
        } else return false;
    }
    return p == n;
}

/* ---- results ---------------------------------------------------------------------------- */

struct exs_query_result {
    exs_arena *arena;
    qsource source;
    uint32_t rows, cols, matched;
    int16_t col_field[QF_MAX];
    qval *vals;      /* rows * cols */
    const char **file;
    uint32_t *line, *column;
    char *cursor;
    double seconds;
};

static void default_columns(qsource s, int16_t *out, uint32_t *count) {
    static const int16_t fun[] = {FF_MFA, FF_KIND, FF_COMPLEXITY};
    static const int16_t call[] = {CF_CALLER, CF_MODULE, CF_NAME, CF_ARITY, CF_RESOLUTION};
    static const int16_t mod[] = {MF_NAME, MF_KIND, MF_FUNCTIONS};
    static const int16_t file[] = {PF_MODULES, PF_FUNCTIONS, PF_CALLS, PF_ERROR};
    const int16_t *d = s == QS_FUNCTIONS ? fun : s == QS_CALLS ? call : s == QS_MODULES ? mod : file;
    *count = s == QS_FUNCTIONS ? 3 : s == QS_CALLS ? 5 : s == QS_MODULES ? 3 : 4;
    memcpy(out, d, *count * sizeof(int16_t));
}

static void loc_fields(qsource s, int *f, int *l, int *c) {
    switch (s) {
    case QS_FUNCTIONS: *f = FF_FILE, *l = FF_LINE, *c = FF_COLUMN; break;
    case QS_CALLS: *f = CF_FILE, *l = CF_LINE, *c = CF_COLUMN; break;
    case QS_MODULES: *f = MF_FILE, *l = MF_LINE, *c = MF_COLUMN; break;
    default: *f = PF_FILE, *l = -1, *c = -1; break;
    }
}

static bool in_row_buf(const qrow *r, const char *s) {
    return s >= (const char *)r->buf && s < (const char *)r->buf + sizeof(r->buf);
}

static qval keep(exs_arena *a, const qrow *r, qval v, bool always_copy) {
    if (v.type == QV_STR && (always_copy || in_row_buf(r, v.s)))
        v.s = arena_strndup(a, v.s, strlen(v.s));
    return v;
}

/* The buffer's bytes, NUL-terminated, for the caller to exs_free (NULL on ENOMEM). */
static char *buf_take(exs_buf *b) {
    buf_putc(b, 0);
    if (b->failed) {
        buf_free(b);
        return NULL;
    }
    b->len--;
    return b->data;
}

static uint32_t expr_fields(const qexpr *e) {
    if (!e) return 0;
    uint32_t m = e->field >= 0 ? 1u << e->field : 0;
    /* called_by reads the row's module, name and arity */
    if (e->kind == QE_CALLED_BY) m |= 1u << FF_MODULE | 1u << FF_NAME | 1u << FF_ARITY;
    return m | expr_fields(e->a) | expr_fields(e->b);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void set_err(exs_error *err, exs_status code, const char *msg) {
    if (!err) return;
    memset(err, 0, sizeof(*err));
    err->code = code;
    snprintf(err->message, sizeof(err->message), "%s", msg);
}

exs_status exs_query_run(const exs_query *q, const exs_snapshot *snap, exs_query_result **out,
                         exs_error *err) {
    *out = NULL;
    if (q->failed) {
        set_err(err, q->fail_code, q->fail_message);
        return q->fail_code;
    }
    double t0 = now();
    const repo_gen *g = (const repo_gen *)snap;
    qplan plan;
    exs_status st = qplan_build(q, g, &plan);
    if (st) return st;
    exs_arena *scratch = arena_new(1 << 16);
    exs_query_result *res = NULL;
    qrow *row = malloc(sizeof(*row));
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    match *m = NULL;
    uint32_t mcount = 0, mcap = 0;
    sortkey key;
    sortkey_make(q, &key);
    qval *after = NULL;
    if (!scratch || !row || !md) goto nomem;
    if (q->after) {
        after = arena_alloc(scratch, key.count * sizeof(qval));
        if (!after) goto nomem;
        if (!cursor_decode(scratch, q, &key, q->after, after)) {
            set_err(err, EXS_ERR_ARG, "the cursor does not belong to this query (its source "
                                      "or order by differ, or it was cut)");
            st = EXS_ERR_ARG;
            goto done;
        }
    }
    /* the fields the filter and the sort read: the others (MFA strings, caller counts)
       are not computed for rows that may not match */
    uint32_t need = expr_fields(q->where);
    for (uint32_t k = 0; k < key.count; k++) need |= 1u << key.field[k];
    uint32_t total = plan.access == QA_SCAN ? plan.table_rows : plan.cand_count;
    if (plan.access == QA_EMPTY) total = 0;
    for (uint32_t i = 0; i < total; i++) {
        uint32_t idx = plan.access == QA_SCAN ? i : plan.cands[i];
        if (!qrow_is_project(g, q->source, idx)) continue;
        qrow_fill(g, q->source, idx, need, row);
        bool ok = true;
        for (uint32_t f = 0; ok && f < plan.filter_count; f++)
            ok = qexpr_eval(g, q->source, plan.filters[f], row, md);
        if (!ok) continue;
        if (mcount == mcap) {
            mcap = mcap ? mcap * 2 : 256;
            match *nm = realloc(m, (size_t)mcap * sizeof(*m));
            if (!nm) goto nomem;
            m = nm;
        }
        qval *keys = arena_alloc(scratch, key.count * sizeof(qval));
        if (!keys) goto nomem;
        for (uint32_t k = 0; k < key.count; k++) keys[k] = keep(scratch, row, row->v[key.field[k]], false);
        m[mcount++] = (match){idx, keys};
    }
    if (arena_failed(scratch)) goto nomem;
    tl_key = &key;
    if (mcount > 1) qsort(m, mcount, sizeof(*m), cmp_match);
    /* the page: after the cursor, then offset, then limit */
    uint32_t start = 0;
    if (after) {
        uint32_t lo = 0, hi = mcount;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (keys_cmp(&key, m[mid].keys, after) <= 0) lo = mid + 1;
            else hi = mid;
        }
        start = lo;
    }
    if ((uint64_t)start + (uint64_t)q->offset > mcount) start = mcount;
    else start += (uint32_t)q->offset;
    uint32_t end = mcount;
    if (q->limit >= 0 && (uint64_t)start + (uint64_t)q->limit < end) end = start + (uint32_t)q->limit;

    exs_arena *ra = arena_new(1 << 14);
    if (!ra) goto nomem;
    res = arena_alloc_zero(ra, sizeof(*res));
    if (!res) {
        arena_free(ra);
        goto nomem;
    }
    res->arena = ra;
    res->source = q->source;
    res->matched = mcount;
    if (q->select_count) {
        memcpy(res->col_field, q->select, q->select_count * sizeof(int16_t));
        res->cols = q->select_count;
    } else default_columns(q->source, res->col_field, &res->cols);
    res->rows = end - start;
    res->vals = arena_alloc(ra, (size_t)res->rows * res->cols * sizeof(qval) + 1);
    res->file = arena_alloc(ra, (size_t)res->rows * sizeof(char *) + 1);
    res->line = arena_alloc(ra, (size_t)res->rows * sizeof(uint32_t) + 1);
    res->column = arena_alloc(ra, (size_t)res->rows * sizeof(uint32_t) + 1);
    if (arena_failed(ra)) goto nomem;
    int lf, ll, lc;
    loc_fields(q->source, &lf, &ll, &lc);
    for (uint32_t i = start; i < end; i++) {
        uint32_t r = i - start;
        qrow_fill(g, q->source, m[i].idx, UINT32_MAX, row);
        for (uint32_t c = 0; c < res->cols; c++)
            res->vals[(size_t)r * res->cols + c] = keep(ra, row, row->v[res->col_field[c]], true);
        res->file[r] = arena_strndup(ra, row->v[lf].s, strlen(row->v[lf].s));
        res->line[r] = ll >= 0 ? (uint32_t)row->v[ll].i : 0;
        res->column[r] = lc >= 0 ? (uint32_t)row->v[lc].i : 0;
    }
    if (end < mcount && end > start) res->cursor = cursor_encode(ra, q, &key, m[end - 1].keys);
    if (arena_failed(ra)) goto nomem;
    res->seconds = now() - t0;
    *out = res;
    res = NULL;
    st = EXS_OK;
    goto done;
nomem:
    st = EXS_ERR_NOMEM;
    set_err(err, st, "out of memory");
done:
    if (res) arena_free(res->arena);
    free(m);
    free(row);
    pcre2_match_data_free(md);
    arena_free(scratch);
    qplan_free(&plan);
    return st;
}

uint32_t exs_query_result_rows(const exs_query_result *r) { return r ? r->rows : 0; }
uint32_t exs_query_result_columns(const exs_query_result *r) { return r ? r->cols : 0; }
uint32_t exs_query_result_matched(const exs_query_result *r) { return r ? r->matched : 0; }
const char *exs_query_result_cursor(const exs_query_result *r) { return r ? r->cursor : NULL; }
double exs_query_result_seconds(const exs_query_result *r) { return r ? r->seconds : 0; }

const char *exs_query_result_column_name(const exs_query_result *r, uint32_t col) {
    if (!r || col >= r->cols) return NULL;
    uint32_t n;
    return qschema(r->source, &n)[r->col_field[col]].name;
}

exs_query_value exs_query_result_value(const exs_query_result *r, uint32_t row, uint32_t col) {
    exs_query_value v = {.is_null = true};
    if (!r || row >= r->rows || col >= r->cols) return v;
    const qval *x = &r->vals[(size_t)row * r->cols + col];
    if (x->type == QV_NULL) return v;
    v.is_null = false;
    v.is_int = x->type == QV_INT;
    v.i = x->i;
    v.s = x->s;
    return v;
}

void exs_query_result_location(const exs_query_result *r, uint32_t row, const char **out_file,
                               uint32_t *out_line, uint32_t *out_column) {
    bool ok = r && row < r->rows;
    if (out_file) *out_file = ok ? r->file[row] : NULL;
    if (out_line) *out_line = ok ? r->line[row] : 0;
    if (out_column) *out_column = ok ? r->column[row] : 0;
}

void exs_query_result_free(exs_query_result *r) {
    if (r) arena_free(r->arena);
}

static void json_str(exs_buf *b, const char *s) {
    buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)*p);
        } else if (*p < 0x20) {
            char tmp[8];
            snprintf(tmp, sizeof(tmp), "\\u%04x", *p);
            buf_puts(b, tmp);
        } else buf_putc(b, (char)*p);
    }
    buf_putc(b, '"');
}

static void put_value(exs_buf *b, const qfield *f, const qval *v, bool json) {
    char tmp[32];
    if (v->type == QV_NULL) buf_puts(b, json ? "null" : "-");
    else if (v->type == QV_INT && f->type == QF_BOOL) buf_puts(b, v->i ? "true" : "false");
    else if (v->type == QV_INT) {
        snprintf(tmp, sizeof(tmp), "%lld", (long long)v->i);
        buf_puts(b, tmp);
    } else if (json) json_str(b, v->s);
    else buf_puts(b, v->s);
}

exs_status exs_query_result_write(const exs_query_result *r, bool json, char **out,
                                  size_t *out_len) {
    exs_buf b;
    buf_init(&b);
    uint32_t nf;
    const qfield *fs = qschema(r->source, &nf);
    int lf, ll, lc;
    loc_fields(r->source, &lf, &ll, &lc);
    char tmp[64];
    if (json) {
        buf_puts(&b, "{\"columns\":[");
        for (uint32_t c = 0; c < r->cols; c++) {
            if (c) buf_putc(&b, ',');
            json_str(&b, fs[r->col_field[c]].name);
        }
        buf_puts(&b, "],\"rows\":[");
        for (uint32_t i = 0; i < r->rows; i++) {
            buf_puts(&b, i ? ",{" : "{");
            buf_puts(&b, "\"file\":");
            json_str(&b, r->file[i]);
            if (ll >= 0) {
                snprintf(tmp, sizeof(tmp), ",\"line\":%u,\"column\":%u", r->line[i], r->column[i]);
                buf_puts(&b, tmp);
            }
            for (uint32_t c = 0; c < r->cols; c++) {
                int f = r->col_field[c];
                if (f == lf || f == ll || f == lc) continue;
                buf_putc(&b, ',');
                json_str(&b, fs[f].name);
                buf_putc(&b, ':');
                put_value(&b, &fs[f], &r->vals[(size_t)i * r->cols + c], true);
            }
            buf_putc(&b, '}');
        }
        snprintf(tmp, sizeof(tmp), "],\"matched\":%u,\"cursor\":", r->matched);
        buf_puts(&b, tmp);
        if (r->cursor) json_str(&b, r->cursor);
        else buf_puts(&b, "null");
        buf_puts(&b, "}\n");
    } else
        for (uint32_t i = 0; i < r->rows; i++) {
            buf_puts(&b, r->file[i]);
            if (ll >= 0) {
                snprintf(tmp, sizeof(tmp), ":%u:%u", r->line[i], r->column[i]);
                buf_puts(&b, tmp);
            }
            for (uint32_t c = 0; c < r->cols; c++) {
                int f = r->col_field[c];
                if (f == lf || f == ll || f == lc) continue;
                buf_putc(&b, '\t');
                put_value(&b, &fs[f], &r->vals[(size_t)i * r->cols + c], false);
            }
            buf_putc(&b, '\n');
        }
    if (b.failed) {
        buf_free(&b);
        return EXS_ERR_NOMEM;
    }
    if (out_len) *out_len = b.len;
    *out = buf_take(&b);
    return *out ? EXS_OK : EXS_ERR_NOMEM;
}

/* ---- explain ------------------------------------------------------------------------------ */

exs_status exs_query_explain(const exs_query *q, const exs_snapshot *snap, char **out) {
    *out = NULL;
    qplan plan;
    exs_status st = qplan_build(q, (const repo_gen *)snap, &plan);
    if (st) return st;
    exs_buf b;
    buf_init(&b);
    char line[1200], tmp[1000];
    uint32_t nf;
    const qfield *fs = qschema(q->source, &nf);
    snprintf(line, sizeof(line), "from %s (project rows only)\n", qsource_name(q->source));
    buf_puts(&b, line);
    snprintf(line, sizeof(line), "1. access: %s\n", plan.access_text);
    buf_puts(&b, line);
    int step = 2;
    for (uint32_t i = 0; i < plan.filter_count; i++) {
        qexpr_print(q, plan.filters[i], tmp, sizeof(tmp));
        snprintf(line, sizeof(line), "%d. filter: %s (cost %u%s)\n", step++, tmp,
                 qexpr_cost(q, plan.filters[i]), plan.filters[i] == plan.served ? ", served by the index" : "");
        buf_puts(&b, line);
    }
    sortkey key;
    sortkey_make(q, &key);
    size_t l = (size_t)snprintf(line, sizeof(line), "%d. sort: ", step++);
    for (uint32_t i = 0; i < key.count && l < sizeof(line); i++)
        l += (size_t)snprintf(line + l, sizeof(line) - l, "%s%s%s", i ? ", " : "",
                              fs[key.field[i]].name, key.desc[i] ? " desc" : "");
    buf_puts(&b, line);
    buf_puts(&b, q->order_count ? "\n" : " (the natural order)\n");
    if (q->after || q->offset || q->limit >= 0) {
        snprintf(line, sizeof(line), "%d. page:%s offset %lld limit %s%lld\n", step++,
                 q->after ? " after the cursor," : "", (long long)q->offset,
                 q->limit < 0 ? "none" : "", q->limit < 0 ? 0LL : (long long)q->limit);
        buf_puts(&b, line);
    }
    qplan_free(&plan);
    if (b.failed) {
        buf_free(&b);
        return EXS_ERR_NOMEM;
    }
    *out = buf_take(&b);
    return *out ? EXS_OK : EXS_ERR_NOMEM;
}

/* ---- the query handle and the builder ------------------------------------------------------- */

exs_status exs_query_parse(const char *text, exs_query **out, exs_error *err) {
    if (err) memset(err, 0, sizeof(*err));
    return qparse_text(text, strlen(text), out, err);
}

exs_query *exs_query_new(exs_query_source source) {
    if ((unsigned)source >= QS_COUNT) return NULL;
    return qquery_new((qsource)source);
}

void exs_query_free(exs_query *q) {
    if (!q) return;
    for (qregex *r = q->regexes; r; r = r->next) pcre2_code_free(r->code);
    arena_free(q->arena);
}

bool exs_query_is_explain(const exs_query *q) { return q && q->explain; }

static qexpr *new_expr(exs_query *q, qexpr_kind k, int field) {
    qexpr *e = arena_alloc_zero(q->arena, sizeof(*e));
    if (!e) return NULL;
    e->kind = (uint8_t)k;
    e->field = (int16_t)field;
    return e;
}

static exs_status and_in(exs_query *q, qexpr *e) {
    if (!e) return EXS_ERR_NOMEM;
    if (!q->where) {
        q->where = e;
        return EXS_OK;
    }
    qexpr *n = new_expr(q, QE_AND, -1);
    if (!n) return EXS_ERR_NOMEM;
    n->a = q->where;
    n->b = e;
    q->where = n;
    return EXS_OK;
}

static exs_status where(exs_query *q, const char *field, const char *op, qval lit) {
    int f = qfield_find(q->source, field, strlen(field));
    if (f < 0 || !op) return EXS_ERR_ARG;
    uint32_t nf;
    const qfield *fs = qschema(q->source, &nf);
    bool is_str = fs[f].type == QF_STR;
    static const char *cmp[] = {"=", "!=", "<", "<=", ">", ">="};
    for (int i = 0; i < 6; i++)
        if (strcmp(op, cmp[i]) == 0) {
            if (is_str != (lit.type == QV_STR)) return EXS_ERR_ARG;
            qexpr *e = new_expr(q, QE_CMP, f);
            if (!e) return EXS_ERR_NOMEM;
            e->op = (uint8_t)i;
            e->lit = lit;
            if (lit.type == QV_STR && !(e->lit.s = arena_strndup(q->arena, lit.s, strlen(lit.s))))
                return EXS_ERR_NOMEM;
            return and_in(q, e);
        }
    if (strcmp(op, "is null") == 0) return and_in(q, new_expr(q, QE_IS_NULL, f));
    if (strcmp(op, "is not null") == 0) {
        qexpr *n = new_expr(q, QE_NOT, -1);
        if (!n) return EXS_ERR_NOMEM;
        if (!(n->a = new_expr(q, QE_IS_NULL, f))) return EXS_ERR_NOMEM;
        return and_in(q, n);
    }
    if (!is_str || lit.type != QV_STR) return EXS_ERR_ARG;
    qexpr_kind k;
    if (strcmp(op, "contains") == 0) k = QE_CONTAINS;
    else if (strcmp(op, "starts_with") == 0) k = QE_STARTS;
    else if (strcmp(op, "ends_with") == 0) k = QE_ENDS;
    else if (strcmp(op, "matches") == 0) k = QE_MATCH;
    else return EXS_ERR_ARG;
    qexpr *e = new_expr(q, k, f);
    if (!e) return EXS_ERR_NOMEM;
    if (k == QE_MATCH) {
        char msg[200];
        size_t off;
        e->re = qregex_compile(q, lit.s, strlen(lit.s), 0, msg, sizeof(msg), &off);
        if (!e->re) return EXS_ERR_ARG;
    }
    e->lit = lit;
    if (!(e->lit.s = arena_strndup(q->arena, lit.s, strlen(lit.s)))) return EXS_ERR_NOMEM;
    return and_in(q, e);
}

exs_status exs_query_where_str(exs_query *q, const char *field, const char *op,
                               const char *value) {
    if (!q || !field) return EXS_ERR_ARG;
    if (!value && op && strncmp(op, "is ", 3) != 0) return EXS_ERR_ARG;
    return where(q, field, op, vs(value ? value : ""));
}

exs_status exs_query_where_int(exs_query *q, const char *field, const char *op, int64_t value) {
    if (!q || !field) return EXS_ERR_ARG;
    return where(q, field, op, vi(value));
}

static exs_status where_mfa(exs_query *q, qexpr_kind k, const char *mfa) {
    if (!q || !mfa || q->source != QS_FUNCTIONS) return EXS_ERR_ARG;
    char m[256], n[256];
    uint32_t a;
    if (!qparse_mfa(mfa, m, sizeof(m), n, sizeof(n), &a)) return EXS_ERR_ARG;
    qexpr *e = new_expr(q, k, -1);
    if (!e) return EXS_ERR_NOMEM;
    e->lit = vs(arena_strndup(q->arena, mfa, strlen(mfa)));
    e->mfa_mod = arena_strndup(q->arena, m, strlen(m));
    e->mfa_name = arena_strndup(q->arena, n, strlen(n));
    e->mfa_arity = a;
    if (!e->lit.s || !e->mfa_mod || !e->mfa_name) return EXS_ERR_NOMEM;
    return and_in(q, e);
}

exs_status exs_query_where_calls(exs_query *q, const char *mfa) {
    return where_mfa(q, QE_CALLS, mfa);
}

exs_status exs_query_where_called_by(exs_query *q, const char *mfa) {
    return where_mfa(q, QE_CALLED_BY, mfa);
}

exs_status exs_query_where_text(exs_query *q, const char *filter, exs_error *err) {
    if (err) memset(err, 0, sizeof(*err));
    if (!q || !filter) return EXS_ERR_ARG;
    return qparse_filter(q, filter, strlen(filter), err);
}

exs_status exs_query_select(exs_query *q, const char *field) {
    if (!q || !field) return EXS_ERR_ARG;
    int f = qfield_find(q->source, field, strlen(field));
    if (f < 0 || q->select_count == QF_MAX) return EXS_ERR_ARG;
    q->select[q->select_count++] = (int16_t)f;
    return EXS_OK;
}

exs_status exs_query_order_by(exs_query *q, const char *field, bool desc) {
    if (!q || !field) return EXS_ERR_ARG;
    int f = qfield_find(q->source, field, strlen(field));
    if (f < 0 || q->order_count == QF_MAX) return EXS_ERR_ARG;
    q->order[q->order_count++] = (qorder){(int16_t)f, desc};
    return EXS_OK;
}

void exs_query_limit(exs_query *q, int64_t limit, int64_t offset) {
    if (!q) return;
    q->limit = limit < 0 ? -1 : limit;
    q->offset = offset < 0 ? 0 : offset;
}

exs_status exs_query_after(exs_query *q, const char *cursor) {
    if (!q) return EXS_ERR_ARG;
    if (!cursor) {
        q->after = NULL;
        return EXS_OK;
    }
    q->after = arena_strndup(q->arena, cursor, strlen(cursor));
    return q->after ? EXS_OK : EXS_ERR_NOMEM;
}
