/* qparse.c: the query language's parser (model: Lua's lparser.c: recursive descent
 * over the lexer's tokens, one function per grammar rule; docs/queries.md).
 *
 *   query   := ['explain'] 'from' source ['where' expr] ['select' ('*' | field {',' field})]
 *              ['order' 'by' field ['asc'|'desc'] {',' ...}] ['limit' INT] ['offset' INT]
 *              ['after' STRING]
 *   expr    := and {'or' and};   and := unary {'and' unary};   unary := 'not' unary | prim
 *   prim    := '(' expr ')' | 'calls' STRING | 'called_by' STRING | field pred
 *   pred    := cmp lit | ['not'] 'in' '(' lit {',' lit} ')' | ['not'] 'contains' STRING
 *            | ['not'] 'starts_with' STRING | ['not'] 'ends_with' STRING
 *            | ['not'] 'matches' (REGEX | STRING) | 'is' ['not'] 'null'
 *   lit     := STRING | INT | 'true' | 'false'
 *
 * Design: keywords are case-insensitive words; fields are resolved against the
 * source's schema as soon as they are read, and literals are type-checked against the
 * field (a string field compared with a number is an error with a hint, not a silent
 * empty result). The first error stops the parse: it carries the byte offset of the
 * offending token and a hint (a close field name, the expected token). `x not in (..)`
 * and friends are sugar for `not (x in (..))`.
 * Invariants: every node lives in the query's arena; every regex is on q->regexes.
 * Called by exec.c (exs_query_parse) and the builder. */
#include "qparse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qlex.h"

/* ---- schema ------------------------------------------------------------------------ */

static const qfield fun_fields[FF_COUNT] = {
    {"module", QF_STR, "the module"},
    {"name", QF_STR, "the function name"},
    {"arity", QF_INT, "the arity"},
    {"mfa", QF_STR, "Module.name/arity"},
    {"kind", QF_STR, "def, defp, defmacro, defmacrop, defguard, defguardp, ..."},
    {"file", QF_STR, "the file (as indexed)"},
    {"line", QF_INT, "line of the first clause"},
    {"column", QF_INT, "column of the first clause (0 if unknown)"},
    {"last_line", QF_INT, "last line of the last clause"},
    {"clauses", QF_INT, "number of clauses"},
    {"complexity", QF_INT, "cyclomatic complexity (docs/metrics.md)"},
    {"cognitive", QF_INT, "cognitive complexity"},
    {"nesting", QF_INT, "maximum nesting"},
    {"lines", QF_INT, "lines of code"},
    {"public", QF_BOOL, "def/defmacro/defguard (not the p variants)"},
    {"macro", QF_BOOL, "a macro"},
    {"generated", QF_BOOL, "generated (defstruct, defdelegate, ...)"},
    {"callers", QF_INT, "number of project call sites resolved to it"},
    {"callees", QF_INT, "number of call sites inside it"},
};
static const qfield call_fields[CF_COUNT] = {
    {"file", QF_STR, "the file"},
    {"line", QF_INT, "line of the call"},
    {"column", QF_INT, "column of the call"},
    {"caller_module", QF_STR, "the enclosing module (null outside modules)"},
    {"caller_name", QF_STR, "the enclosing function (null at module level)"},
    {"caller_arity", QF_INT, "the enclosing function's arity (null at module level)"},
    {"caller", QF_STR, "the enclosing function as Module.name/arity (null at module level)"},
    {"module", QF_STR, "the resolved module, or the module as written (null for a local "
                       "unresolved call)"},
    {"name", QF_STR, "the name as called"},
    {"arity", QF_INT, "the number of arguments"},
    {"callee", QF_STR, "the resolved target Module.name/arity (null when unresolved)"},
    {"resolution", QF_STR, "local, import, remote or unresolved"},
    {"dynamic", QF_BOOL, "a dynamic call (mod.fun() with a variable module, apply)"},
    {"node", QF_INT, "the call's node ID (as an integer)"},
};
static const qfield mod_fields[MF_COUNT] = {
    {"name", QF_STR, "the module"},
    {"kind", QF_STR, "module, protocol, impl, exception, struct"},
    {"file", QF_STR, "the file"},
    {"line", QF_INT, "line of the defmodule"},
    {"last_line", QF_INT, "last line"},
    {"column", QF_INT, "column of the defmodule"},
    {"functions", QF_INT, "number of functions"},
};
static const qfield file_fields[PF_COUNT] = {
    {"file", QF_STR, "the path (as indexed)"},
    {"modules", QF_INT, "modules defined"},
    {"functions", QF_INT, "functions defined"},
    {"calls", QF_INT, "call sites"},
    {"error", QF_BOOL, "the file has a syntax or i/o error"},
    {"error_line", QF_INT, "line of the error (null without one)"},
    {"error_message", QF_STR, "the error (null without one)"},
};

const qfield *qschema(qsource s, uint32_t *out_count) {
    switch (s) {
    case QS_FUNCTIONS: *out_count = FF_COUNT; return fun_fields;
    case QS_CALLS: *out_count = CF_COUNT; return call_fields;
    case QS_MODULES: *out_count = MF_COUNT; return mod_fields;
    default: *out_count = PF_COUNT; return file_fields;
    }
}

const char *qsource_name(qsource s) {
    static const char *n[] = {"functions", "calls", "modules", "files"};
    return (unsigned)s < QS_COUNT ? n[s] : "?";
}

static bool word_eq(const char *s, size_t len, const char *kw) {
    size_t n = strlen(kw);
    if (n != len) return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != kw[i]) return false;
    return true;
}

int qfield_find(qsource s, const char *name, size_t len) {
    uint32_t n;
    const qfield *f = qschema(s, &n);
    for (uint32_t i = 0; i < n; i++)
        if (word_eq(name, len, f[i].name)) return (int)i;
    if (word_eq(name, len, "path") && s != QS_FUNCTIONS + 100) /* alias of file */
        for (uint32_t i = 0; i < n; i++)
            if (strcmp(f[i].name, "file") == 0) return (int)i;
    return -1;
}

/* ---- query objects --------------------------------------------------------------------- */

exs_query *qquery_new(qsource source) {
    exs_arena *a = arena_new(4096);
    if (!a) return NULL;
    exs_query *q = arena_alloc_zero(a, sizeof(*q));
    if (!q) {
        arena_free(a);
        return NULL;
    }
    q->arena = a;
    q->source = source;
    q->limit = -1;
    return q;
}

pcre2_code *qregex_compile(exs_query *q, const char *pat, size_t len, uint32_t flags,
                           char *msg, size_t msg_cap, size_t *out_offset) {
    int ec;
    PCRE2_SIZE off = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, len, flags | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                                   &ec, &off, NULL);
    if (!re) {
        PCRE2_UCHAR buf[200];
        pcre2_get_error_message(ec, buf, sizeof(buf));
        snprintf(msg, msg_cap, "%s", (const char *)buf);
        *out_offset = off;
        return NULL;
    }
    qregex *r = arena_alloc(q->arena, sizeof(*r));
    if (!r) {
        pcre2_code_free(re);
        snprintf(msg, msg_cap, "out of memory");
        *out_offset = 0;
        return NULL;
    }
    r->code = re;
    r->next = q->regexes;
    q->regexes = r;
    return re;
}

bool qparse_mfa(const char *s, char *mod, size_t mod_cap, char *name, size_t name_cap,
                uint32_t *arity) {
    const char *slash = strrchr(s, '/');
    if (!slash || !slash[1]) return false;
    char *end;
    unsigned long a = strtoul(slash + 1, &end, 10);
    if (*end || a > 255 || !isdigit((unsigned char)slash[1])) return false;
    /* the name starts after the last dot before the slash; an operator name such as
       Kernel.+/2 or Kernel.../2 keeps its dots: take the first dot after the alias */
    const char *dot = NULL;
    for (const char *p = s; p < slash; p++) {
        if (*p == '.' && p + 1 < slash && !isupper((unsigned char)p[1])) {
            dot = p;
            break;
        }
        if (*p == '.') dot = p;
    }
    if (!dot || dot == s || dot + 1 >= slash) return false;
    size_t ml = (size_t)(dot - s), nl = (size_t)(slash - dot - 1);
    if (ml >= mod_cap || nl >= name_cap) return false;
    memcpy(mod, s, ml);
    mod[ml] = 0;
    memcpy(name, dot + 1, nl);
    name[nl] = 0;
    *arity = (uint32_t)a;
    return true;
}

/* ---- parser ---------------------------------------------------------------------------- */

typedef struct parser {
    qlex lx;
    qtok t; /* current token */
    exs_query *q;
    exs_error *err;
    bool failed;
    exs_status code;
    unsigned depth;
} parser;

static void next(parser *p) { p->t = qlex_next(&p->lx); }

static bool is_kw(parser *p, const char *kw) {
    return p->t.kind == QT_IDENT && word_eq(p->lx.src + p->t.pos, p->t.len, kw);
}

/* Records the first error: the token's offset and "message\nhint: hint". */
static void fail_at(parser *p, uint32_t pos, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#include <stdarg.h>
static void fail_at(parser *p, uint32_t pos, const char *hint, const char *fmt, ...) {
    if (p->failed) return;
    p->failed = true;
    p->code = EXS_ERR_SYNTAX;
    if (!p->err) return;
    p->err->code = EXS_ERR_SYNTAX;
    p->err->path = NULL;
    p->err->line = 1;
    p->err->column = pos + 1;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
    va_end(ap);
    if (hint && n >= 0 && (size_t)n < sizeof(p->err->message))
        snprintf(p->err->message + n, sizeof(p->err->message) - (size_t)n, "\nhint: %s", hint);
}

static void fail_tok(parser *p, const char *hint, const char *what) {
    if (p->t.kind == QT_ERROR && (p->lx.src[p->t.pos] == '"' || p->lx.src[p->t.pos] == '\'')) {
        fail_at(p, p->t.pos, "close the string with the quote it opens with", "unterminated string");
        return;
    }
    if (p->t.kind == QT_EOF) fail_at(p, p->t.pos, hint, "expected %s, got the end of the query", what);
    else
        fail_at(p, p->t.pos, hint, "expected %s, got '%.*s'", what, (int)(p->t.len > 40 ? 40 : p->t.len),
                p->lx.src + p->t.pos);
}

static qexpr *node(parser *p, qexpr_kind k, uint32_t pos) {
    qexpr *e = arena_alloc_zero(p->q->arena, sizeof(*e));
    if (!e) {
        if (!p->failed) {
            p->failed = true;
            p->code = EXS_ERR_NOMEM;
            if (p->err) {
                p->err->code = EXS_ERR_NOMEM;
                snprintf(p->err->message, sizeof(p->err->message), "out of memory");
            }
        }
        return NULL;
    }
    e->kind = (uint8_t)k;
    e->pos = pos;
    e->field = -1;
    return e;
}

static char *tok_string(parser *p, qtok t) {
    char *s = arena_alloc(p->q->arena, t.len + 1);
    if (!s) return NULL;
    qlex_string(p->lx.src, t, s);
    return s;
}

/* Levenshtein distance, bounded by short names: for the "did you mean" hint. */
static unsigned edit_distance(const char *a, size_t al, const char *b) {
    size_t bl = strlen(b);
    if (al > 40 || bl > 40) return 99;
    unsigned d[41][41];
    for (size_t i = 0; i <= al; i++) d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= bl; j++) d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= al; i++)
        for (size_t j = 1; j <= bl; j++) {
            unsigned c = d[i - 1][j - 1] + (tolower((unsigned char)a[i - 1]) != b[j - 1]);
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[al][bl];
}

static void field_hint(parser *p, char *out, size_t cap) {
    uint32_t n;
    const qfield *f = qschema(p->q->source, &n);
    const char *best = NULL;
    unsigned bd = 3;
    for (uint32_t i = 0; i < n; i++) {
        unsigned d = edit_distance(p->lx.src + p->t.pos, p->t.len, f[i].name);
        if (d < bd) bd = d, best = f[i].name;
    }
    size_t len = 0;
    if (best) len = (size_t)snprintf(out, cap, "did you mean '%s'? ", best);
    len += (size_t)snprintf(out + len, cap - len, "fields of %s:", qsource_name(p->q->source));
    for (uint32_t i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, " %s", f[i].name);
}

static int field(parser *p) {
    if (p->t.kind != QT_IDENT) {
        char hint[600];
        field_hint(p, hint, sizeof(hint));
        fail_tok(p, hint, "a field name");
        return -1;
    }
    int f = qfield_find(p->q->source, p->lx.src + p->t.pos, p->t.len);
    if (f < 0) {
        char hint[600];
        field_hint(p, hint, sizeof(hint));
        fail_at(p, p->t.pos, hint, "unknown field '%.*s' for %s", (int)(p->t.len > 40 ? 40 : p->t.len),
                p->lx.src + p->t.pos, qsource_name(p->q->source));
        return -1;
    }
    next(p);
    return f;
}

static const char *type_name(uint8_t t) {
    return t == QF_INT ? "a number" : t == QF_BOOL ? "true or false" : "a string";
}

/* A literal for field f, type-checked. */
static bool literal(parser *p, int f, qval *out) {
    uint32_t n;
    const qfield *fs = qschema(p->q->source, &n);
    uint8_t ft = fs[f].type;
    char hint[160];
    snprintf(hint, sizeof(hint), "'%s' is %s", fs[f].name, type_name(ft));
    if (p->t.kind == QT_STRING && ft == QF_STR) {
        out->type = QV_STR;
        out->s = tok_string(p, p->t);
        if (!out->s) return false; /* the arena's sticky flag reports it */
    } else if (p->t.kind == QT_INT && ft == QF_INT) {
        char buf[32];
        if (p->t.len >= sizeof(buf) - 1) {
            fail_at(p, p->t.pos, hint, "number too large");
            return false;
        }
        memcpy(buf, p->lx.src + p->t.pos, p->t.len);
        buf[p->t.len] = 0;
        out->type = QV_INT;
        out->i = strtoll(buf, NULL, 10);
    } else if (ft == QF_BOOL && (is_kw(p, "true") || is_kw(p, "false"))) {
        out->type = QV_INT;
        out->i = is_kw(p, "true");
    } else {
        if (p->t.kind == QT_STRING && ft == QF_INT)
            snprintf(hint, sizeof(hint), "'%s' is a number: write it without quotes",
                     fs[f].name);
        else if (p->t.kind == QT_IDENT && ft == QF_STR)
            snprintf(hint, sizeof(hint), "'%s' is a string: quote it, \"%.*s\"", fs[f].name,
                     (int)(p->t.len > 40 ? 40 : p->t.len), p->lx.src + p->t.pos);
        fail_tok(p, hint, type_name(ft));
        return false;
    }
    next(p);
    return true;
}

static qexpr *expr(parser *p);

static qexpr *negate(parser *p, qexpr *e, uint32_t pos) {
    if (!e) return NULL;
    qexpr *n = node(p, QE_NOT, pos);
    if (n) n->a = e;
    return n;
}

static qexpr *mfa_pred(parser *p, qexpr_kind k) {
    uint32_t pos = p->t.pos;
    next(p);
    if (p->q->source != QS_FUNCTIONS) {
        fail_at(p, pos, "calls/called_by filter functions; from calls, filter on callee or caller",
                "'%s' needs from functions", k == QE_CALLS ? "calls" : "called_by");
        return NULL;
    }
    if (p->t.kind != QT_STRING) {
        fail_tok(p, "write the function as a string: calls \"Enum.map/2\"", "a string");
        return NULL;
    }
    qexpr *e = node(p, k, pos);
    if (!e) return NULL;
    e->lit.type = QV_STR;
    e->lit.s = tok_string(p, p->t);
    char m[256], n[256];
    uint32_t a = 0;
    if (!e->lit.s || !qparse_mfa(e->lit.s, m, sizeof(m), n, sizeof(n), &a)) {
        fail_at(p, p->t.pos, "write Module.name/arity, e.g. \"Enum.map/2\"",
                "not a Module.name/arity");
        return NULL;
    }
    e->mfa_mod = arena_strndup(p->q->arena, m, strlen(m));
    e->mfa_name = arena_strndup(p->q->arena, n, strlen(n));
    e->mfa_arity = a;
    next(p);
    return e;
}

static qexpr *primary(parser *p) {
    if (p->t.kind == QT_LPAREN) {
        uint32_t pos = p->t.pos;
        next(p);
        qexpr *e = expr(p);
        if (p->failed) return NULL;
        if (p->t.kind != QT_RPAREN) {
            fail_tok(p, "close the parenthesis opened here", "')'");
            (void)pos;
            return NULL;
        }
        next(p);
        return e;
    }
    /* the joins; `calls` is also a field of files */
    if (is_kw(p, "calls") && qfield_find(p->q->source, "calls", 5) < 0) return mfa_pred(p, QE_CALLS);
    if (is_kw(p, "called_by")) return mfa_pred(p, QE_CALLED_BY);
    uint32_t pos = p->t.pos;
    int f = field(p);
    if (f < 0) return NULL;
    uint32_t n;
    const qfield *fs = qschema(p->q->source, &n);
    bool neg = false;
    uint32_t oppos = p->t.pos;
    if (is_kw(p, "not")) {
        neg = true;
        next(p);
    }
    qexpr *e = NULL;
    qtok_kind k = p->t.kind;
    if (!neg && k >= QT_EQ && k <= QT_GE) {
        e = node(p, QE_CMP, pos);
        if (!e) return NULL;
        e->op = (uint8_t)(k - QT_EQ);
        e->field = (int16_t)f;
        next(p);
        if (!literal(p, f, &e->lit)) return NULL;
        return e;
    }
    if (is_kw(p, "in")) {
        next(p);
        if (p->t.kind != QT_LPAREN) {
            fail_tok(p, "a list: in (\"a\", \"b\")", "'('");
            return NULL;
        }
        next(p);
        qval items[256];
        uint32_t count = 0;
        for (;;) {
            if (count == 256) {
                fail_at(p, p->t.pos, "split the filter", "more than 256 values in a list");
                return NULL;
            }
            if (!literal(p, f, &items[count])) return NULL;
            count++;
            if (p->t.kind == QT_COMMA) {
                next(p);
                continue;
            }
            if (p->t.kind != QT_RPAREN) {
                fail_tok(p, "separate values with ',' and close the list with ')'", "',' or ')'");
                return NULL;
            }
            next(p);
            break;
        }
        e = node(p, QE_IN, pos);
        if (!e) return NULL;
        e->field = (int16_t)f;
        e->list = arena_memdup(p->q->arena, items, count * sizeof(qval));
        e->list_count = count;
        if (!e->list) return NULL;
    } else if (is_kw(p, "contains") || is_kw(p, "starts_with") || is_kw(p, "ends_with")) {
        qexpr_kind kk = is_kw(p, "contains") ? QE_CONTAINS : is_kw(p, "starts_with") ? QE_STARTS : QE_ENDS;
        if (fs[f].type != QF_STR) {
            fail_at(p, p->t.pos, "use = < > on numbers", "'%.*s' needs a string field; '%s' is %s",
                    (int)p->t.len, p->lx.src + p->t.pos, fs[f].name, type_name(fs[f].type));
            return NULL;
        }
        next(p);
        e = node(p, kk, pos);
        if (!e) return NULL;
        e->field = (int16_t)f;
        if (!literal(p, f, &e->lit)) return NULL;
    } else if (is_kw(p, "matches")) {
        if (fs[f].type != QF_STR) {
            fail_at(p, p->t.pos, "use = < > on numbers", "'matches' needs a string field; '%s' is %s",
                    fs[f].name, type_name(fs[f].type));
            return NULL;
        }
        /* the regex is read by the lexer from right after `matches` */
        p->lx.pos = p->t.pos + p->t.len;
        qtok r = qlex_regex(&p->lx);
        const char *pat;
        size_t plen;
        uint32_t flags = 0, ppos;
        char *str = NULL;
        if (r.kind == QT_REGEX) {
            const char *s = p->lx.src + r.pos;
            uint32_t endslash = r.len - 1;
            while (s[endslash] != '/') endslash--;
            for (uint32_t i = endslash + 1; i < r.len; i++)
                flags |= s[i] == 'i' ? PCRE2_CASELESS : s[i] == 'm' ? PCRE2_MULTILINE
                         : s[i] == 's' ? PCRE2_DOTALL : PCRE2_EXTENDED;
            pat = s + 1;
            plen = endslash - 1;
            ppos = r.pos + 1;
            p->t = r;
        } else {
            p->lx.pos = p->t.pos + p->t.len;
            next(p);
            if (p->t.kind != QT_STRING) {
                if (r.kind == QT_ERROR && r.len) fail_at(p, r.pos, "close the regex with '/'", "unterminated regex");
                else fail_tok(p, "a regex: matches /^handle_/ or matches \"^handle_\"", "a regex");
                return NULL;
            }
            str = tok_string(p, p->t);
            if (!str) return NULL;
            pat = str;
            plen = strlen(str);
            ppos = p->t.pos + 1;
        }
        char msg[256];
        size_t off;
        pcre2_code *re = qregex_compile(p->q, pat, plen, flags, msg, sizeof(msg), &off);
        if (!re) {
            fail_at(p, ppos + (uint32_t)(str ? 0 : off), "PCRE2 syntax (Perl-compatible)",
                    "bad regex: %s", msg);
            return NULL;
        }
        e = node(p, QE_MATCH, pos);
        if (!e) return NULL;
        e->field = (int16_t)f;
        e->re = re;
        e->lit.type = QV_STR;
        e->lit.s = arena_strndup(p->q->arena, pat, plen); /* for explain */
        next(p);
    } else if (!neg && is_kw(p, "is")) {
        next(p);
        bool isnot = false;
        if (is_kw(p, "not")) {
            isnot = true;
            next(p);
        }
        if (!is_kw(p, "null")) {
            fail_tok(p, "is null / is not null", "'null'");
            return NULL;
        }
        next(p);
        e = node(p, QE_IS_NULL, pos);
        if (!e) return NULL;
        e->field = (int16_t)f;
        return isnot ? negate(p, e, pos) : e;
    } else {
        fail_tok(p,
                 neg ? "not in, not contains, not starts_with, not ends_with, not matches"
                     : "= != < <= > >= in contains starts_with ends_with matches is null",
                 "an operator");
        (void)oppos;
        return NULL;
    }
    return neg ? negate(p, e, oppos) : e;
}

static qexpr *unary(parser *p) {
    if (++p->depth > 200) {
        fail_at(p, p->t.pos, "simplify the filter", "filter nested too deeply");
        return NULL;
    }
    qexpr *e;
    if (is_kw(p, "not")) {
        uint32_t pos = p->t.pos;
        next(p);
        e = negate(p, unary(p), pos);
    } else e = primary(p);
    p->depth--;
    return p->failed ? NULL : e;
}

static qexpr *binary(parser *p, bool is_or) {
    qexpr *l = is_or ? binary(p, false) : unary(p);
    while (l && !p->failed && is_kw(p, is_or ? "or" : "and")) {
        uint32_t pos = p->t.pos;
        next(p);
        qexpr *r = is_or ? binary(p, false) : unary(p);
        if (!r) return NULL;
        qexpr *n = node(p, is_or ? QE_OR : QE_AND, pos);
        if (!n) return NULL;
        n->a = l;
        n->b = r;
        l = n;
    }
    return p->failed ? NULL : l;
}

static qexpr *expr(parser *p) { return binary(p, true); }

static bool uint_arg(parser *p, const char *what, int64_t *out) {
    if (p->t.kind != QT_INT || p->lx.src[p->t.pos] == '-' || p->t.len > 12) {
        fail_tok(p, what, "a non-negative number");
        return false;
    }
    char buf[16];
    memcpy(buf, p->lx.src + p->t.pos, p->t.len);
    buf[p->t.len] = 0;
    *out = strtoll(buf, NULL, 10);
    next(p);
    return true;
}

static const char *clause_hint =
    "clauses go in this order: from, where, select, order by, limit, offset, after";

static void query(parser *p) {
    exs_query *q = p->q;
    if (p->failed) return;
    if (p->t.kind == QT_LPAREN || p->t.kind != QT_EOF) {
    }
    /* where */
    if (is_kw(p, "where")) {
        next(p);
        q->where = expr(p);
        if (p->failed) return;
    }
    if (is_kw(p, "select")) {
        next(p);
        if (p->t.kind == QT_STAR) {
            uint32_t n;
            qschema(q->source, &n);
            for (uint32_t i = 0; i < n; i++) q->select[i] = (int16_t)i;
            q->select_count = n;
            next(p);
        } else
            for (;;) {
                int f = field(p);
                if (f < 0) return;
                if (q->select_count == QF_MAX) {
                    fail_at(p, p->t.pos, NULL, "too many columns");
                    return;
                }
                q->select[q->select_count++] = (int16_t)f;
                if (p->t.kind != QT_COMMA) break;
                next(p);
            }
    }
    if (is_kw(p, "order")) {
        next(p);
        if (!is_kw(p, "by")) {
            fail_tok(p, "order by FIELD [asc|desc], ...", "'by'");
            return;
        }
        next(p);
        for (;;) {
            int f = field(p);
            if (f < 0) return;
            if (q->order_count == QF_MAX) {
                fail_at(p, p->t.pos, NULL, "too many sort keys");
                return;
            }
            qorder *o = &q->order[q->order_count++];
            o->field = (int16_t)f;
            if (is_kw(p, "desc")) o->desc = true, next(p);
            else if (is_kw(p, "asc")) next(p);
            if (p->t.kind != QT_COMMA) break;
            next(p);
        }
    }
    if (is_kw(p, "limit")) {
        next(p);
        if (!uint_arg(p, "limit N: at most N rows", &q->limit)) return;
    }
    if (is_kw(p, "offset")) {
        next(p);
        if (!uint_arg(p, "offset N: skip N rows", &q->offset)) return;
    }
    if (is_kw(p, "after")) {
        next(p);
        if (p->t.kind != QT_STRING) {
            fail_tok(p, "after \"CURSOR\": the cursor printed with the previous page", "a cursor string");
            return;
        }
        q->after = tok_string(p, p->t);
        next(p);
    }
    if (p->t.kind != QT_EOF) {
        if (p->t.kind == QT_IDENT && q->where == NULL && !is_kw(p, "where"))
            fail_tok(p, clause_hint, "where, select, order by, limit, offset, after or the end");
        else fail_tok(p, (p->t.kind == QT_IDENT) ? clause_hint : "combine filters with and/or",
                      "the end of the query");
    }
}

exs_status qparse_text(const char *text, size_t len, exs_query **out, exs_error *err) {
    *out = NULL;
    parser p = {0};
    p.err = err;
    qlex_init(&p.lx, text, len);
    next(&p);
    bool explain = false;
    if (is_kw(&p, "explain")) {
        explain = true;
        next(&p);
    }
    exs_query *q = NULL;
    if (!is_kw(&p, "from")) {
        p.q = NULL;
        fail_tok(&p, "a query starts with: from functions|calls|modules|files", "'from'");
        return p.code;
    }
    next(&p);
    qsource src = QS_COUNT;
    for (int s = 0; s < QS_COUNT; s++)
        if (is_kw(&p, qsource_name((qsource)s))) src = (qsource)s;
    if (src == QS_COUNT) {
        fail_tok(&p, "sources: functions, calls, modules, files", "a source");
        return p.code;
    }
    q = qquery_new(src);
    if (!q) {
        if (err) {
            err->code = EXS_ERR_NOMEM;
            snprintf(err->message, sizeof(err->message), "out of memory");
        }
        return EXS_ERR_NOMEM;
    }
    q->explain = explain;
    p.q = q;
    next(&p);
    query(&p);
    if (!p.failed && arena_failed(q->arena)) {
        p.failed = true;
        p.code = EXS_ERR_NOMEM;
    }
    if (p.failed) {
        exs_query_free(q);
        return p.code;
    }
    *out = q;
    return EXS_OK;
}

exs_status qparse_filter(exs_query *q, const char *text, size_t len, exs_error *err) {
    parser p = {0};
    p.err = err;
    p.q = q;
    qlex_init(&p.lx, text, len);
    next(&p);
    qexpr *e = expr(&p);
    if (!p.failed && p.t.kind != QT_EOF) fail_tok(&p, "combine filters with and/or", "the end of the filter");
    if (!p.failed && arena_failed(q->arena)) p.failed = true, p.code = EXS_ERR_NOMEM;
    if (p.failed) return p.code;
    if (!q->where) q->where = e;
    else {
        qexpr *n = node(&p, QE_AND, 0);
        if (!n) return EXS_ERR_NOMEM;
        n->a = q->where;
        n->b = e;
        q->where = n;
    }
    return EXS_OK;
}
