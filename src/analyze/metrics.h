/* metrics.h: complexity metrics of one function clause, and their aggregation over
 * the clauses of one name/arity. The exact definitions (and where they follow or leave
 * Credo's Refactor checks) are in docs/metrics.md.
 *
 * Ownership: exs_metrics is a plain value; nothing is allocated.
 * Thread-safety: the functions are pure; the tree is only read, so any number of
 * threads may compute metrics over the same immutable tree at once. */
#ifndef EXS_METRICS_H
#define EXS_METRICS_H

#include <stdint.h>

#include "exscope.h"
#include "../ast/ast.h"

typedef struct exs_metrics {
    uint32_t cc;            /* cyclomatic complexity (Credo Refactor.CyclomaticComplexity) */
    uint32_t perceived;     /* Credo Refactor.PerceivedComplexity: perceived_x10 / 10, rounded */
    uint32_t perceived_x10; /* the same in tenths before rounding (case clauses weigh 3) */
    uint32_t cognitive;     /* cognitive complexity (SonarSource rules, adapted) */
    uint32_t nesting;       /* max depth of if/unless/case/cond/fn (Credo Refactor.Nesting) */
    uint32_t abc_a;         /* ABC assignments */
    uint32_t abc_b;         /* ABC branches (calls) */
    uint32_t abc_c;         /* ABC conditions */
    double abc;             /* sqrt(a² + b² + c²) */
    uint32_t first_line;    /* line of the def call (0 when unknown) */
    uint32_t last_line;     /* greatest line of any node or end/closing metadata inside */
    uint32_t lines;         /* per clause last - first + 1; summed over clauses */
    uint32_t clauses;       /* 1 per clause; summed over clauses */
} exs_metrics;

/* Computes the metrics of one clause. `def_call` is a def/defp/defmacro/defmacrop/
 * defguard/defguardp call node: `{def, meta, [head]}` or `{def, meta, [head, blocks]}`
 * where head may be `{:when, _, [call, guard]}`. The name is not checked (any call
 * with an argument list is measured the same way). Returns EXS_ERR_ARG (and zeroes *out) when `def_call` is not a call with arguments;
 * EXS_OK otherwise. The walk recurses once per term level (the parser bounds depth). */
EXS_WUR exs_status metrics_compute(const exs_tree *t, exs_ref def_call, exs_metrics *out);

/* Adds a clause's metrics into an aggregate of one name/arity (start from a zeroed
 * exs_metrics): cc, perceived, cognitive, ABC components, lines and clauses are
 * summed; nesting is the maximum; first_line the minimum (ignoring 0), last_line the
 * maximum; abc is recomputed from the summed components. */
void metrics_add(exs_metrics *acc, const exs_metrics *clause);

/* Complexity buckets for the index: 0: 1-5, 1: 6-10, 2: 11-20, 3: 21-50, 4: >50
 * (0 also for cc 0, which only a zeroed struct has). */
#define METRICS_BUCKET_COUNT 5
unsigned metrics_bucket(uint32_t cc);
/* "1-5", "6-10", "11-20", "21-50", ">50"; "?" out of range. */
const char *metrics_bucket_name(unsigned bucket);

#endif
