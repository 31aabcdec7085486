/* qparse.h: the query language's syntax tree, field schema and parser
 * (docs/queries.md has the grammar).
 *
 * A query (struct exs_query, the public handle) owns an arena with its tree, its
 * strings and literals, and the PCRE2 codes of its regexes. It is built either by
 * qparse_text (from text) or by the exs_query_* builder functions (exec.c), and is
 * immutable while it runs. Field names are resolved at parse time against the
 * source's schema, so the executor works on field ids and never on names.
 * Thread-safety: building is single-threaded; a built query may be run from several
 * threads at once (PCRE2 match data is per run). */
#ifndef EXS_QPARSE_H
#define EXS_QPARSE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stdint.h>

#include "exscope.h"
#include "../base/arena.h"

typedef enum { QS_FUNCTIONS, QS_CALLS, QS_MODULES, QS_FILES, QS_COUNT } qsource;

typedef enum { QV_NULL, QV_INT, QV_STR } qval_type;
typedef struct qval {
    uint8_t type; /* qval_type */
    int64_t i;
    const char *s;
} qval;

typedef enum { QF_INT, QF_STR, QF_BOOL } qfield_type;
typedef struct qfield {
    const char *name;
    uint8_t type; /* qfield_type */
    const char *doc;
} qfield;

/* Field ids of each source (index into qschema(source)). */
enum { FF_MODULE, FF_NAME, FF_ARITY, FF_MFA, FF_KIND, FF_FILE, FF_LINE, FF_COLUMN,
       FF_LAST_LINE, FF_CLAUSES, FF_COMPLEXITY, FF_COGNITIVE, FF_NESTING, FF_LINES,
       FF_PUBLIC, FF_MACRO, FF_GENERATED, FF_CALLERS, FF_CALLEES, FF_COUNT };
enum { CF_FILE, CF_LINE, CF_COLUMN, CF_CALLER_MODULE, CF_CALLER_NAME, CF_CALLER_ARITY,
       CF_CALLER, CF_MODULE, CF_NAME, CF_ARITY, CF_CALLEE, CF_RESOLUTION, CF_DYNAMIC,
       CF_NODE, CF_COUNT };
enum { MF_NAME, MF_KIND, MF_FILE, MF_LINE, MF_LAST_LINE, MF_COLUMN, MF_FUNCTIONS,
       MF_COUNT };
enum { PF_FILE, PF_MODULES, PF_FUNCTIONS, PF_CALLS, PF_ERROR, PF_ERROR_LINE,
       PF_ERROR_MESSAGE, PF_COUNT };
#define QF_MAX 20

const qfield *qschema(qsource s, uint32_t *out_count);
const char *qsource_name(qsource s);
/* Field id by name (case-insensitive), -1 when unknown. */
int qfield_find(qsource s, const char *name, size_t len);

typedef enum {
    QE_AND, QE_OR, QE_NOT,
    QE_CMP,      /* field op literal */
    QE_IN,       /* field in (literals) */
    QE_IS_NULL,
    QE_CONTAINS, QE_STARTS, QE_ENDS,
    QE_MATCH,    /* field matches regex */
    QE_CALLS,    /* functions: has a call site resolved to mfa */
    QE_CALLED_BY /* functions: mfa has a call site resolved to this function */
} qexpr_kind;

typedef enum { QOP_EQ, QOP_NE, QOP_LT, QOP_LE, QOP_GT, QOP_GE } qop;

typedef struct qexpr {
    uint8_t kind; /* qexpr_kind */
    uint8_t op;   /* qop, for QE_CMP */
    int16_t field;
    uint32_t pos; /* offset in the text (0 for built queries) */
    qval lit;     /* QE_CMP, QE_CONTAINS..QE_ENDS; QE_CALLS/QE_CALLED_BY: the MFA text */
    qval *list;   /* QE_IN */
    uint32_t list_count;
    pcre2_code *re; /* QE_MATCH */
    char *mfa_mod, *mfa_name; /* QE_CALLS, QE_CALLED_BY: the parsed MFA */
    uint32_t mfa_arity;
    struct qexpr *a, *b;
} qexpr;

typedef struct qorder {
    int16_t field;
    bool desc;
} qorder;

typedef struct qregex {
    pcre2_code *code;
    struct qregex *next;
} qregex;

struct exs_query {
    exs_arena *arena;
    qsource source;
    qexpr *where;
    int16_t select[QF_MAX];
    uint32_t select_count; /* 0: the source's default columns */
    qorder order[QF_MAX];
    uint32_t order_count;
    int64_t limit;  /* -1: none */
    int64_t offset;
    char *after;    /* a cursor, or NULL */
    bool explain;   /* the text began with `explain` */
    bool failed;    /* sticky: a builder call failed (reported by exs_query_run) */
    exs_status fail_code;
    char fail_message[256];
    qregex *regexes;
};

/* A new, empty query over `source` (an arena, limit -1). NULL on ENOMEM. */
exs_query *qquery_new(qsource source);
/* Parses `text` into a new query. EXS_OK, EXS_ERR_SYNTAX (err: column = 1-based byte
 * offset, message "what\nhint: how"), EXS_ERR_NOMEM. */
EXS_WUR exs_status qparse_text(const char *text, size_t len, exs_query **out, exs_error *err);
/* Compiles a PCRE2 regex for q (freed with it); NULL with a message on error. */
pcre2_code *qregex_compile(exs_query *q, const char *pat, size_t len, uint32_t flags,
                           char *msg, size_t msg_cap, size_t *out_offset);
/* Parses a filter (the `where` part) and ANDs it into q->where (the builder's
 * exs_query_where_text). Errors as qparse_text. */
EXS_WUR exs_status qparse_filter(exs_query *q, const char *text, size_t len, exs_error *err);
/* Parses "Mod.name/arity" (Mod may contain dots; name may end in ?/!). */
bool qparse_mfa(const char *s, char *mod, size_t mod_cap, char *name, size_t name_cap,
                uint32_t *arity);

#endif
