/* checks.h: the built-in checks over a function's code property graph (docs/cpg.md).
 *
 * Each check reads the CPG of one function (cpg.h): its AST nodes (with the tree), the
 * CFG's unreachable marks and the DFG's definitions and uses. A finding is a position
 * (the node where the problem is) and a message; the list is sorted by line, column,
 * check. Checks that need the DFG report nothing on a graph without one (a summary),
 * except apply-from-parameter, which falls back to a syntactic rule (docs/cpg.md).
 *
 * Ownership: a check_list owns its items (malloc); free with check_list_free.
 * Thread-safety: checks_run only reads the graph; distinct lists on distinct threads. */
#ifndef EXS_CHECKS_H
#define EXS_CHECKS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpg.h"

/* enum name, printed name, what it finds */
#define CHECK_KINDS(X)                                                                             \
    X(UNUSED_VARIABLE, "unused-variable", "a variable bound and never read")                       \
    X(BRANCH_VARIABLE, "branch-variable",                                                          \
      "a variable bound in every branch of case/cond/if/receive and never read")                   \
    X(UNREACHABLE_CLAUSE, "unreachable-clause",                                                    \
      "a clause after one that always matches (function, case, cond, fn)")                         \
    X(N_PLUS_ONE, "n-plus-one", "Repo.*/GenServer.call inside an Enum.* callback or a for body")   \
    X(STRING_TO_ATOM, "string-to-atom", "String.to_atom/1 on a non-literal")                       \
    X(APPLY_PARAM, "apply-from-parameter",                                                         \
      "apply/3 with a module or function that comes from a parameter")

typedef enum {
#define X(name, str, doc) CHECK_##name,
    CHECK_KINDS(X)
#undef X
    CHECK__COUNT
} check_kind;

#define CHECK_ALL ((1u << CHECK__COUNT) - 1u)

typedef struct check_finding {
    uint8_t check; /* check_kind */
    uint32_t line, column;
    uint64_t node_id; /* the AST node (0 when none) */
    char message[200];
} check_finding;

typedef struct check_list {
    check_finding *items;
    uint32_t count, cap;
    bool failed; /* an allocation failed: some findings are missing */
} check_list;

/* What the checks may ask beyond one function (the repository's call graph).
 * db_call: when module.name/arity reaches Repo.* or GenServer.call through its own
 * calls (transitively), a short text naming that call ("Repo.get/2"); else NULL. The
 * n-plus-one check then reports calls of such functions inside loops too. */
typedef struct checks_env {
    const char *(*db_call)(void *ctx, const char *module, const char *name, uint32_t arity);
    void *ctx;
} checks_env;

/* Runs the checks in `mask` (bits 1 << check_kind) over one function's graph and
 * appends the findings to `out`, sorted among themselves. `env` may be NULL. */
void checks_run(const cpg_graph *g, uint32_t mask, const checks_env *env, check_list *out);
void check_list_free(check_list *l);

const char *check_name(check_kind k);
const char *check_doc(check_kind k);
/* The check with that printed name; CHECK__COUNT when none. */
check_kind check_by_name(const char *name);

#endif
