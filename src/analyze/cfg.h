/* cfg.h: the control-flow graph of one function (all its clauses), built from the AST.
 *
 * One graph per function: an ENTRY and an EXIT node, a node per evaluated expression
 * in evaluation order (arguments left to right, then the call; `a |> f(b)` evaluates
 * a, b, then f), a test node per clause head, guard, `->` clause, condition and
 * short-circuit operator, and the constructs of docs/cfg.md (case, cond, if/unless,
 * with/else, try/rescue/catch/else/after, receive/after, for, fn). Each `fn` gets its
 * own subgraph (FN_ENTRY .. FN_EXIT) linked from its creation node by a CLOSURE edge,
 * which is not control flow; so does a capture with a body, `&(&1 + 1)`.
 *
 * Counting invariant (what makes cyclomatic complexity E - N + 2 = decisions + 1):
 * every node has exactly one counted out-edge, except the function's EXIT (none) and
 * decision nodes (k >= 2 counted out-edges: k - 1 decisions). A closure's FN_EXIT has
 * none either, and the CLOSURE edge of its FN (or CAPTURE) node balances it. ERROR_EXIT (uncaught
 * exception or FunctionClauseError) has one EXCEPTION edge into EXIT, so EXIT is the
 * only sink. IMPLICIT edges (a call that may raise, inside a `try` with rescue/catch,
 * to its handler) are real flow for reachability but are not counted.
 *
 * Ownership: cfg_build allocates everything of a cfg_graph in the arena it is given;
 * the graph lives until that arena is freed or reset. `tree` is borrowed: writers read
 * it, so it must outlive the graph's use.
 * Thread-safety: cfg_build only reads the tree (immutable after parsing); graphs of
 * distinct functions may be built on distinct threads with distinct arenas. A built
 * graph is immutable. */
#ifndef EXS_CFG_H
#define EXS_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "exscope.h"
#include "../ast/ast.h"
#include "../base/arena.h"
#include "../base/buf.h"

#define CFG_NONE UINT32_MAX

/* Node kinds: enum name, printed name. */
#define CFG_NODE_KINDS(X)                                                                          \
    X(ENTRY, "entry")           /* function entry */                                               \
    X(EXIT, "exit")             /* function exit: the only sink */                                 \
    X(ERROR_EXIT, "error exit") /* an exception leaves the function */                             \
    X(HEAD, "head")             /* a def clause's head match (ref: the def call) */                \
    X(GUARD, "guard")           /* a `when` guard test (ref: the guard) */                         \
    X(CLAUSE, "clause")         /* a `->`/`<-` clause pattern or cond test */                      \
    X(VALUE, "value")           /* a literal/variable as a statement or result */                  \
    X(CALL, "call")             /* local, remote or anonymous call; field access */                \
    X(OP, "op")                 /* operator (+, ==, <>, not, in, ...) */                           \
    X(MATCH, "match")           /* `=` */                                                          \
    X(BOOL, "bool")             /* && || and or: test of the left operand */                       \
    X(IF, "if")                 /* if/unless: test of the condition */                             \
    X(CASE, "case")             /* case: after the scrutinee, before the clauses */                \
    X(COND, "cond")                                                                                \
    X(WITH, "with")                                                                                \
    X(TRY, "try")                                                                                  \
    X(HANDLER, "handler") /* rescue/catch: where exceptions arrive */                              \
    X(AFTER, "after")     /* try's after block starts */                                           \
    X(RECEIVE, "receive") /* waits for a message (test: message/timeout) */                        \
    X(FOR, "for")                                                                                  \
    X(GENERATOR, "generator") /* next element (true) or done (false) */                            \
    X(FILTER, "filter")       /* a for filter's test */                                            \
    X(FN, "fn")               /* closure creation (CLOSURE edge to FN_ENTRY) */                    \
    X(FN_ENTRY, "fn entry")                                                                        \
    X(FN_EXIT, "fn exit")                                                                          \
    X(CAPTURE, "capture") /* &f/1; &(&1 + 1) also has a closure subgraph */                        \
    X(QUOTE, "quote")     /* quote (its unquote arguments come first) */                           \
    X(RAISE, "raise")     /* raise/reraise: exception edge only */                                 \
    X(THROW, "throw")                                                                              \
    X(EXIT_CALL, "exit call") /* exit(reason) */

typedef enum {
#define X(name, str) CFG_NODE_##name,
    CFG_NODE_KINDS(X)
#undef X
        CFG_NODE__COUNT
} cfg_node_kind;

#define CFG_EDGE_KINDS(X)                                                                          \
    X(NORMAL, "normal")                                                                            \
    X(TRUE, "true")   /* condition truthy; generator has a next element */                         \
    X(FALSE, "false") /* condition falsy; generator done */                                        \
    X(MATCH, "match") /* pattern (and arity) matched */                                            \
    X(NOMATCH, "nomatch")                                                                          \
    X(EXCEPTION, "exception") /* raise/throw/exit, or propagation */                               \
    X(TIMEOUT, "timeout")     /* receive's after */                                                \
    X(BACK, "back")           /* end of a for body back to its generator */                        \
    X(CLOSURE, "closure")     /* fn creation -> FN_ENTRY; not control flow */

typedef enum {
#define X(name, str) CFG_EDGE_##name,
    CFG_EDGE_KINDS(X)
#undef X
        CFG_EDGE__COUNT
} cfg_edge_kind;

/* Node flags. */
#define CFG_NF_UNREACHABLE                                                                         \
    0x01u                      /* not reachable from ENTRY (closures: from a                       \
                                  reachable FN node's FN_ENTRY) */
#define CFG_NF_MAY_RAISE 0x02u /* a call or refutable `=` that may raise */
#define CFG_NF_COPY 0x04u      /* in the exceptional copy of a try's after block */
#define CFG_NF_PIPED 0x08u     /* a call whose first argument comes from `|>` */

/* Edge flags. */
#define CFG_EF_IMPLICIT 0x01u /* may-raise edge: not counted in cfg_cyclomatic */
#define CFG_EF_LOOP 0x02u     /* goes back to a loop header (for generator, receive) */

typedef struct cfg_node {
    uint8_t kind;  /* cfg_node_kind */
    uint8_t flags; /* CFG_NF_* */
    uint16_t pad;
    uint32_t line;    /* 0 when unknown */
    exs_ref ref;      /* the AST term; EXS_REF_NONE for ENTRY/EXIT/ERROR_EXIT */
    uint32_t closure; /* 0: the function body; k: inside closures[k - 1] */
    uint64_t node_id; /* ids[ref] (0 when not an AST node or no ids) */
} cfg_node;

typedef struct cfg_edge {
    uint32_t from, to;
    uint8_t kind;  /* cfg_edge_kind */
    uint8_t flags; /* CFG_EF_* */
} cfg_edge;

/* A closure's subgraph. */
typedef struct cfg_closure {
    uint32_t fn;     /* the FN (or CAPTURE) node where it is created */
    uint32_t entry;  /* FN_ENTRY */
    uint32_t exit;   /* FN_EXIT */
    uint32_t parent; /* enclosing closure (0: the function) */
} cfg_closure;

typedef struct cfg_graph {
    const exs_tree *tree;
    cfg_node *nodes;
    uint32_t node_count;
    cfg_edge *edges; /* sorted by `from`, then in creation order */
    uint32_t edge_count;
    uint32_t *out_start; /* node_count + 1 entries: out-edges of n are
                            edges[out_start[n] .. out_start[n + 1]) */
    uint32_t *in_start;  /* node_count + 1 entries: in-edges of n are
                            edges[in_edges[i]] for i in in_start[n] .. in_start[n + 1] */
    uint32_t *in_edges;  /* edge indices grouped by target, ascending within a group */
    cfg_closure *closures;
    uint32_t closure_count;
    uint32_t entry, exit;
    uint32_t error_exit;     /* CFG_NONE when nothing can raise */
    uint32_t decisions;      /* sum over nodes of (counted out-degree - 1) when >= 2 */
    uint32_t implicit_edges; /* edges with CFG_EF_IMPLICIT */
    uint32_t unreachable;    /* nodes with CFG_NF_UNREACHABLE */
} cfg_graph;

/* Builds the CFG of one function. `clauses` are its def/defp/defmacro/defmacrop/
 * defguard/defguardp call nodes in source order (defs_function.clauses[i].node);
 * bodiless heads are skipped; defguard bodies are their guard. `ids` (may be NULL) are
 * the file's node IDs indexed by exs_ref. Everything is allocated in `a`.
 * Returns EXS_OK; EXS_ERR_ARG when clause_count is 0 or a clause is not a call with
 * arguments; EXS_ERR_NOMEM (then *out is zeroed). Recursion is one frame per few
 * AST levels, bounded by the parser's depth limit. */
EXS_WUR exs_status cfg_build(const exs_tree *t, const uint64_t *ids, const exs_ref *clauses,
                             uint32_t clause_count, exs_arena *a, cfg_graph *out);

/* E - N + 2 over the counted edges (all but CFG_EF_IMPLICIT; CLOSURE edges count and
 * balance the closure's FN_EXIT). Equals g->decisions + 1 by construction. */
uint32_t cfg_cyclomatic(const cfg_graph *g);
/* Edges that cfg_cyclomatic counts. */
uint32_t cfg_counted_edges(const cfg_graph *g);
/* The first node made for AST term `ref` (not an after-block copy), or CFG_NONE.
 * Linear in the node count. */
uint32_t cfg_node_of(const cfg_graph *g, exs_ref ref);

/* Graphviz DOT: one digraph, nodes labelled "kind: snippet :line", edges coloured by
 * kind; closures in clusters. `title` (may be NULL) names the graph. */
void cfg_write_dot(const cfg_graph *g, const char *title, exs_buf *out);
/* JSON: {"name","nodes":[{"id","kind","line","node_id","label","closure",flags...}],
 * "edges":[{"from","to","kind",...}],"cyclomatic",...}; see docs/cfg.md. */
void cfg_write_json(const cfg_graph *g, const char *title, exs_buf *out);

/* A short source-like rendering of an AST term (for labels): at most `max` bytes of
 * text written to out (truncated with "..."). */
void cfg_snippet(const exs_tree *t, exs_ref r, size_t max, exs_buf *out);

const char *cfg_node_kind_name(cfg_node_kind k);
const char *cfg_edge_kind_name(cfg_edge_kind k);

#endif
