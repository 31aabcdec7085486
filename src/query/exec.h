/* exec.h: rows of the query sources and the filter evaluator, shared by the planner
 * (plan.c) and the executor (exec.c).
 *
 * A row is the values of every field of one table row of a generation: strings point
 * into the generation or into the row's own buffers (the MFA strings it builds).
 * Thread-safety: everything here reads an immutable generation. */
#ifndef EXS_QEXEC_H
#define EXS_QEXEC_H

#include "qparse.h"
#include "../store/repo.h"

typedef struct qrow {
    uint32_t idx;
    qval v[QF_MAX];
    char buf[3][640]; /* built strings: mfa / caller / callee */
} qrow;

/* Rows of the source's table (all layers: check qrow_is_project). */
uint32_t qrows_count(const repo_gen *g, qsource s);
bool qrow_is_project(const repo_gen *g, qsource s, uint32_t idx);
/* Fills the row; computed fields (MFA strings, caller counts) only when their bit
 * (1 << field id) is in `need` (else they read as null or 0). */
void qrow_fill(const repo_gen *g, qsource s, uint32_t idx, uint32_t need, qrow *out);
/* The filter e on a filled row (pcre2 match data: md). */
bool qexpr_eval(const repo_gen *g, qsource s, const qexpr *e, const qrow *r,
                pcre2_match_data *md);
/* Three-way comparison of two values (null first; ints; strings by bytes). */
int qval_cmp(const qval *a, const qval *b);

#endif
