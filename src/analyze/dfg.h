/* dfg.h: the data-flow graph of one function (all its clauses): every variable
 * definition and use, with versions, and edges definition -> use.
 *
 * Versions are SSA-like and follow Elixir 1.14's own bookkeeping (elixir_expand.erl,
 * elixir_clauses.erl, elixir_env.erl): every binding of a variable creates a new
 * version, numbered from 0 in source/expansion order over the whole function; a
 * repeated occurrence in the same pattern is a use of the version the pattern made;
 * `^x` uses the version visible before the match. A version made inside a clause of
 * case/cond/receive/try/with/fn/for (or the right side of &&, ||, and, or, the
 * branches of if/unless) is visible only there: Elixir 1.14 does not export variables
 * from branches, so no merge (phi) versions exist; after the construct the version
 * visible before it is visible again. docs/dfg.md lists every rule.
 *
 * The unused-variable check: a version whose definition is not generated, whose name
 * does not start with `_`, and that no use reaches, is reported exactly where Elixir
 * 1.14 warns `variable "x" is unused` (the version's definition).
 *
 * Ownership: every array of a dfg_graph lives in the arena given to dfg_build; names
 * point into the tree (atom names). Refs point into the tree the graph was built from.
 * Thread-safety: dfg_build touches only its arguments (and a private scratch arena);
 * graphs of distinct functions may be built on distinct threads with distinct arenas.
 * A built graph is immutable. */
#ifndef EXS_DFG_H
#define EXS_DFG_H

#include <stdbool.h>
#include <stdint.h>

#include "exscope.h"
#include "../ast/ast.h"
#include "../base/arena.h"

#define DFG_NONE UINT32_MAX

/* Where a version is bound. */
#define DFG_DEF_KINDS(X)                                                           \
    X(PARAM, "param")         /* a pattern of a def/defp/defmacro head */         \
    X(MATCH, "match")         /* the left of `=` (also destructure) */            \
    X(CLAUSE, "clause")       /* a case/receive/fn/catch/else/for-reduce head */  \
    X(WITH, "with")           /* the left of `<-` in with */                      \
    X(GENERATOR, "generator") /* the left of `<-` in for (list or bitstring) */   \
    X(RESCUE, "rescue")       /* `rescue e ->` / `rescue e in [...] ->` */        \
    X(MATCHQ, "match?")       /* the pattern of match?/2 */

typedef enum {
#define X(name, str) DFG_DEF_##name,
    DFG_DEF_KINDS(X)
#undef X
} dfg_def_kind;

/* How a use reads its version. */
#define DFG_USE_KINDS(X)                                                           \
    X(READ, "read")       /* an expression */                                     \
    X(GUARD, "guard")     /* a `when` guard */                                    \
    X(PIN, "pin")         /* `^x` in a pattern */                                 \
    X(REPEAT, "repeat")   /* second occurrence in one pattern: `{x, x}` */        \
    X(SIZE, "size")       /* a bitstring size/unit in a pattern: `<<x::size(n)>>` */ \
    X(BINDING, "binding") /* binding() reads every visible variable */            \
    X(DELEGATE, "delegate") /* defdelegate passes its parameters on */

typedef enum {
#define X(name, str) DFG_USE_##name,
    DFG_USE_KINDS(X)
#undef X
} dfg_use_kind;

/* One version of a variable: one binding site. Index in dfg_graph.defs == version. */
typedef struct dfg_def {
    const char *name;  /* the variable name (no context: source variables only) */
    exs_ref node;      /* the variable node `{name, meta, nil}` */
    uint64_t node_id;  /* its node ID (0 when the caller gave no IDs) */
    uint32_t line;     /* 0 when unknown */
    uint32_t column;   /* 0 when the file was parsed without columns */
    uint32_t clause;   /* index of the function clause */
    uint32_t closure_depth; /* fn/& nesting depth of the binding (0: the clause itself) */
    uint32_t use_count;     /* uses that read this version */
    uint8_t kind;           /* dfg_def_kind */
    bool overrides;   /* a version of the same name was visible (Elixir's "there is a
                         variable with the same name in the context" wording) */
    bool is_unused;   /* the unused-variable finding (see above) */
} dfg_def;

typedef struct dfg_use {
    const char *name;
    exs_ref node;     /* the variable node (for BINDING/DELEGATE: the call / def node) */
    uint64_t node_id;
    uint32_t line, column;
    uint32_t def;     /* the version read; DFG_NONE when no variable of that name is
                         visible (Elixir then calls a local function `name()`) */
    uint32_t clause;
    uint32_t closure_depth; /* > the def's depth: captured by a closure (by value) */
    uint8_t kind;     /* dfg_use_kind */
} dfg_use;

typedef struct dfg_edge {
    uint32_t def; /* index into defs */
    uint32_t use; /* index into uses */
} dfg_edge;

typedef struct dfg_graph {
    dfg_def *defs;     /* in binding order (== version order) */
    uint32_t def_count;
    dfg_use *uses;     /* in expansion order */
    uint32_t use_count;
    dfg_edge *edges;   /* one per resolved use, sorted by def then use */
    uint32_t edge_count;
    uint32_t *unused;  /* indices into defs of the unused-variable findings, sorted by
                          line then column */
    uint32_t unused_count;
} dfg_graph;

/* Builds the DFG of one function from its clauses: `clauses[i]` is a def call node
 * (def/defp/defmacro/defmacrop/defguard/defguardp/defdelegate: `{def, meta, [head]}`
 * or `{def, meta, [head, [do: body, ...]]}`; defs_function.clauses[i].node). `ids` are
 * the file's node IDs indexed by exs_ref (may be NULL). Bodiless clauses give their
 * parameters but no findings (Elixir does not expand them). Results live in `a`.
 * Returns EXS_OK, EXS_ERR_ARG when a clause is not a call with arguments (*out is then
 * empty), or EXS_ERR_NOMEM. The walk recurses once per term level (the parser bounds
 * the depth). */
exs_status dfg_build(const exs_tree *t, const uint64_t *ids, const exs_ref *clauses,
                     uint32_t n, exs_arena *a, dfg_graph *out)
    __attribute__((warn_unused_result));

const char *dfg_def_kind_name(dfg_def_kind k);
const char *dfg_use_kind_name(dfg_use_kind k);

#endif
