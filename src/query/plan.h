/* plan.h: the query planner: an access path (an index or a scan) and the filters in
 * the order they are evaluated. */
#ifndef EXS_QPLAN_H
#define EXS_QPLAN_H

#include "exec.h"

typedef enum {
    QA_SCAN,       /* every row of the table */
    QA_MFA,        /* functions: function by MFA */
    QA_CALLERS,    /* functions: callers-by-target index -> calling functions (calls) */
    QA_CALLEES,    /* functions: callees of a function -> their targets (called_by) */
    QA_CALLS_TO,   /* calls: callers-by-target index (callee = M.f/a) */
    QA_CALLS_FROM, /* calls: callees-by-caller index (caller = M.f/a) */
    QA_BUCKETS,    /* functions: complexity buckets */
    QA_FILES,      /* any source: files by path (= or starts_with) -> their rows */
    QA_MODULE,     /* functions, modules: modules by name -> their functions */
    QA_EMPTY,      /* the index proves there is no row */
} qaccess;

typedef struct qplan {
    qaccess access;
    const qexpr *served;   /* the conjunct the index serves (also evaluated) */
    uint32_t *cands;       /* candidate rows (malloc'd), unless QA_SCAN */
    uint32_t cand_count;
    uint32_t table_rows;
    const qexpr **filters; /* conjuncts by increasing cost (malloc'd) */
    uint32_t filter_count;
    char access_text[400];
} qplan;

/* Plans q on g. EXS_OK or EXS_ERR_NOMEM. Free with qplan_free. */
EXS_WUR exs_status qplan_build(const exs_query *q, const repo_gen *g, qplan *out);
void qplan_free(qplan *p);
/* Cost of evaluating a conjunct (relative units: int compare 1 .. join 40). */
unsigned qexpr_cost(const exs_query *q, const qexpr *e);
/* Writes a filter as query text. Returns the length (truncated at cap). */
size_t qexpr_print(const exs_query *q, const qexpr *e, char *out, size_t cap);

#endif
