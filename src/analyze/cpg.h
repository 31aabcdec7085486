/* cpg.h: the code property graph of one function: its AST, CFG, DFG and call edges in
 * one graph whose nodes are joined on node IDs (docs/cpg.md).
 *
 * Nodes:
 *   AST      one per AST node of the function's clauses (a term with a node ID), in
 *            pre-order; it carries its CFG node when the CFG evaluates it (cfg field)
 *            and its DFG role (flags VAR_DEF / VAR_USE) when it is a variable.
 *   CFG      a CFG node with no AST node of its own: ENTRY, EXIT, ERROR_EXIT, FN_ENTRY,
 *            FN_EXIT, literals evaluated as values (literals have no node ID), and a
 *            second CFG node of an AST node (the exceptional copy of a try's `after`).
 *   FUNCTION a callee (one per distinct target MFA), reached by CALL edges.
 * Edges: AST (parent -> child between AST nodes, lists and 2-tuples looked through),
 * CFG (every CFG edge; `sub` is its cfg_edge_kind), DFG (definition -> use; `sub` the
 * use kind), CALL (call node -> FUNCTION; `sub` the calls_resolution).
 *
 * The DFG comes in as plain arrays (cpg_var, cpg_flow) keyed by AST refs, so this
 * file does not depend on the DFG builder; the store fills them from dfg_build.
 * Call edges come in as cpg_call keyed by node ID (the repository's resolved sites).
 *
 * Summary graphs: a function with more than `max_ast_nodes` AST nodes gets a summary:
 * no AST or DFG edges, only the CFG skeleton (entry/exit/error exit, clause heads,
 * decision nodes, calls, raise/throw/exit, closure entry/exit, with edges contracted
 * over the nodes left out) and the call edges. `is_summary` says so.
 *
 * Ownership: everything is allocated in the arena given to cpg_build; `tree`, `ids`,
 * `clauses` and `cfg` are borrowed and must outlive the graph.
 * Thread-safety: cpg_build touches only its arguments; a built graph is immutable. */
#ifndef EXS_CPG_H
#define EXS_CPG_H

#include <stdbool.h>
#include <stdint.h>

#include "exscope.h"
#include "../ast/ast.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "cfg.h"

#define CPG_NONE UINT32_MAX
#define CPG_DEFAULT_MAX_AST_NODES 5000u

#define CPG_NODE_KINDS(X)                                                                          \
    X(AST, "ast")                                                                                  \
    X(CFG, "cfg")                                                                                  \
    X(FUNCTION, "function")

typedef enum {
#define X(name, str) CPG_NODE_##name,
    CPG_NODE_KINDS(X)
#undef X
    CPG_NODE__COUNT
} cpg_node_kind;

#define CPG_EDGE_KINDS(X)                                                                          \
    X(AST, "ast")                                                                                  \
    X(CFG, "cfg")                                                                                  \
    X(DFG, "dfg")                                                                                  \
    X(CALL, "call")

typedef enum {
#define X(name, str) CPG_EDGE_##name,
    CPG_EDGE_KINDS(X)
#undef X
    CPG_EDGE__COUNT
} cpg_edge_kind;

/* Edge-kind masks for the writers. */
#define CPG_MASK(k) (1u << (k))
#define CPG_MASK_ALL 0xfu

/* Node flags. */
#define CPG_NF_UNREACHABLE 0x01u /* its CFG node is unreachable */
#define CPG_NF_VAR_DEF 0x02u     /* a DFG definition (a variable binding) */
#define CPG_NF_VAR_USE 0x04u     /* a DFG use */
#define CPG_NF_PARAM 0x08u       /* a definition in a function head */
#define CPG_NF_UNUSED 0x10u      /* a definition no use reaches (the DFG's finding) */
#define CPG_NF_COPY 0x20u        /* a CFG node duplicating an AST node's (try/after copy) */
#define CPG_NF_CALL_SITE 0x40u   /* has CALL edges */

#define CPG_NO_CFG 0xffu

typedef struct cpg_node {
    uint8_t kind;          /* cpg_node_kind */
    uint8_t cfg_kind;      /* cfg_node_kind of its CFG node, CPG_NO_CFG when none */
    uint16_t flags;        /* CPG_NF_* */
    exs_ref ref;           /* the AST term (EXS_REF_NONE for entry/exit and functions) */
    uint32_t line, column; /* 0 when unknown */
    uint32_t cfg;          /* its CFG node (index into cfg->nodes), CPG_NONE when none */
    uint32_t parent;       /* AST parent (a CPG node), CPG_NONE at a clause root */
    uint32_t aux;          /* FUNCTION: index into callees; VAR_DEF: index into vars */
    uint64_t node_id;      /* 0 when none */
} cpg_node;

typedef struct cpg_edge {
    uint32_t from, to;
    uint8_t kind;  /* cpg_edge_kind */
    uint8_t sub;   /* CFG: cfg_edge_kind; DFG: use kind; CALL: calls_resolution */
    uint8_t flags; /* CFG: CFG_EF_* */
    uint8_t pad;
} cpg_edge;

/* A variable definition of the DFG (one version). */
typedef struct cpg_var {
    exs_ref ref; /* the variable node */
    const char *name;
    uint32_t line, column;
    uint32_t use_count;
    uint8_t def_kind; /* the DFG's definition kind; CPG_VAR_PARAM marks head patterns */
    bool is_unused;   /* the DFG's unused-variable finding */
} cpg_var;
#define CPG_VAR_PARAM 0 /* dfg_def_kind DFG_DEF_PARAM */

/* A definition -> use edge of the DFG. */
typedef struct cpg_flow {
    exs_ref def, use; /* variable nodes (a use may be a call node: binding()) */
    uint8_t use_kind;
} cpg_flow;

/* A call site of the function and its target, from the repository's call index. */
typedef struct cpg_call {
    uint64_t node_id;          /* the call node */
    const char *module, *name; /* target (module NULL when unresolved and dynamic) */
    uint32_t arity;
    uint8_t resolution; /* calls_resolution */
    const char *path;   /* where the target is defined (NULL when not in the repository) */
    uint32_t line;
} cpg_call;

typedef struct cpg_callee {
    const char *module, *name;
    uint32_t arity;
    uint8_t resolution;
    const char *path;
    uint32_t line;
    uint32_t node; /* its FUNCTION node */
} cpg_callee;

typedef struct cpg_input {
    const exs_tree *tree;
    const uint64_t *ids;    /* node IDs by ref (required: the join key) */
    const exs_ref *clauses; /* the function's def calls (defs_function.clauses[].node) */
    uint32_t clause_count;
    const cfg_graph *cfg; /* built over the same clauses */
    const cpg_var *vars;  /* the DFG (NULL/0 when not available) */
    uint32_t var_count;
    const cpg_flow *flows;
    uint32_t flow_count;
    bool has_dfg; /* vars/flows are the function's DFG (even if empty) */
    const cpg_call *calls;
    uint32_t call_count;
    uint32_t max_ast_nodes; /* 0: CPG_DEFAULT_MAX_AST_NODES; UINT32_MAX: never summary */
    bool in_template;       /* a function inside `quote` (a `use` template) */
    bool conditional;       /* defined under if/case/... at module level, or in a module
                               calling defoverridable: its clauses may be alternatives
                               or replacements, not one dispatch */
} cpg_input;

typedef struct cpg_graph {
    const exs_tree *tree;
    const uint64_t *ids;
    const exs_ref *clauses;
    uint32_t clause_count;
    const cfg_graph *cfg;
    cpg_node *nodes;
    uint32_t node_count;
    cpg_edge *edges; /* sorted by `from`, then kind, then creation order */
    uint32_t edge_count;
    uint32_t *out_start; /* node_count + 1: out-edges of n are edges[out_start[n]..[n+1]) */
    uint32_t *in_start;  /* node_count + 1 offsets into in_edges */
    uint32_t *in_edges;  /* edge indices, grouped by `to` */
    cpg_callee *callees;
    uint32_t callee_count;
    const cpg_var *vars; /* copied into the arena */
    uint32_t var_count;
    uint32_t ast_nodes; /* AST nodes of the function (the summary threshold's measure) */
    uint32_t edge_counts[CPG_EDGE__COUNT];
    uint32_t *cfg_to_node; /* cfg node index -> CPG node (CPG_NONE: left out) */
    bool is_summary;
    bool has_dfg;
    bool in_template;
    bool conditional;
    /* node ID -> node: open addressing over node indices */
    uint32_t *id_slots;
    uint32_t id_mask;
} cpg_graph;

/* Builds the CPG. Returns EXS_OK, EXS_ERR_ARG (no clauses, no ids or no cfg),
 * EXS_ERR_NOMEM. */
EXS_WUR exs_status cpg_build(const cpg_input *in, exs_arena *a, cpg_graph *out);

/* The node with that node ID (the AST node, or in a summary its CFG node); CPG_NONE. */
uint32_t cpg_find(const cpg_graph *g, uint64_t node_id);
/* The node of an AST ref of the function's tree (through its node ID); CPG_NONE. */
uint32_t cpg_find_ref(const cpg_graph *g, exs_ref r);

/* Graphviz DOT / JSON of the edges whose kinds are in `mask` (CPG_MASK_ALL: all) and
 * the nodes they touch (with CPG_EDGE_AST or CFG in the mask: every AST/CFG node).
 * Labels: "snippet :line". See docs/cpg.md for the JSON fields. */
void cpg_write_dot(const cpg_graph *g, const char *title, unsigned mask, exs_buf *out);
void cpg_write_json(const cpg_graph *g, const char *title, unsigned mask, exs_buf *out);

/* Bytes the graph takes in its arena (nodes, edges, indexes), for accounting. */
size_t cpg_bytes(const cpg_graph *g);

const char *cpg_node_kind_name(cpg_node_kind k);
const char *cpg_edge_kind_name(cpg_edge_kind k);

#endif
