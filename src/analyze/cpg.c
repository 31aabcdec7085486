/* cpg.c: the code property graph of one function (cpg.h, docs/cpg.md).
 *
 * Design: the CPG is a join, not a new analysis. Its AST nodes are the function's
 * terms that have a node ID (pre-order over its clauses); the CFG's nodes are attached
 * to them through cfg_node.node_id, the DFG's definitions and uses through their refs'
 * node IDs, and the call sites through the node IDs the repository recorded. A node
 * ID -> node index (open addressing, built once) is the join. What has no AST node of
 * its own (entry/exit, literals, the exceptional copy of an `after` block) becomes a
 * CFG node; callees become FUNCTION nodes.
 *
 * Sizes are known before building (AST nodes counted first, CFG/DFG/call edges given),
 * so nodes and edges are allocated once in the caller's arena; edges are then grouped
 * by source with one counting sort (stable: per node, kinds keep creation order).
 *
 * Invariants: every edge's endpoints are < node_count; an AST node's parent precedes
 * it; node IDs in the index are unique (a shared ref keeps its first visit, as
 * node_id.c numbers it).
 * Called by the store's graph cache (src/store/graphs.c), the checks and the bench. */
#include "cpg.h"

#include <stdlib.h>
#include <string.h>

#include "../base/hashmap.h"
#include "calls.h"
#include "dfg.h"

static const char *const node_kind_names[] = {
#define X(name, str) str,
    CPG_NODE_KINDS(X)
#undef X
};
static const char *const edge_kind_names[] = {
#define X(name, str) str,
    CPG_EDGE_KINDS(X)
#undef X
};

const char *cpg_node_kind_name(cpg_node_kind k) {
    return k < CPG_NODE__COUNT ? node_kind_names[k] : "?";
}
const char *cpg_edge_kind_name(cpg_edge_kind k) {
    return k < CPG_EDGE__COUNT ? edge_kind_names[k] : "?";
}

/* ---- the node ID index ----------------------------------------------------------- */

uint32_t cpg_find(const cpg_graph *g, uint64_t node_id) {
    if (!node_id || !g->id_slots) return CPG_NONE;
    for (uint32_t i = hash_u64(node_id) & g->id_mask;; i = (i + 1) & g->id_mask) {
        uint32_t v = g->id_slots[i];
        if (v == CPG_NONE) return CPG_NONE;
        if (g->nodes[v].node_id == node_id) return v;
    }
}

uint32_t cpg_find_ref(const cpg_graph *g, exs_ref r) {
    if (r == EXS_REF_NONE || !g->tree || r >= g->tree->count) return CPG_NONE;
    return cpg_find(g, g->ids[r]);
}

/* Registers node v under its ID; false when the ID is already there. */
static bool id_put(cpg_graph *g, uint32_t v) {
    uint64_t id = g->nodes[v].node_id;
    for (uint32_t i = hash_u64(id) & g->id_mask;; i = (i + 1) & g->id_mask) {
        uint32_t w = g->id_slots[i];
        if (w == CPG_NONE) {
            g->id_slots[i] = v;
            return true;
        }
        if (g->nodes[w].node_id == id) return false;
    }
}

/* ---- building --------------------------------------------------------------------- */

typedef struct bld {
    cpg_graph *g;
    const exs_tree *t;
    const uint64_t *ids;
    uint32_t node_cap, edge_cap;
} bld;

/* AST nodes under r (terms with an ID; metadata skipped). Recursion follows the term
 * depth, which the parser bounds. */
static uint32_t count_ast(const exs_tree *t, const uint64_t *ids, exs_ref r) {
    const exs_term *n = tree_get(t, r);
    uint32_t k = ids[r] ? 1 : 0;
    if (n->kind == EXS_TERM_LIST || n->kind == EXS_TERM_TUPLE)
        for (uint32_t i = 0; i < n->len; i++)
            k += count_ast(t, ids, n->v.kids[i]);
    return k;
}

static uint32_t add_node(bld *b, uint8_t kind, exs_ref ref, uint64_t id) {
    cpg_graph *g = b->g;
    if (g->node_count >= b->node_cap) return CPG_NONE;
    uint32_t v = g->node_count++;
    cpg_node *n = &g->nodes[v];
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->cfg_kind = CPG_NO_CFG;
    n->ref = ref;
    n->cfg = CPG_NONE;
    n->parent = CPG_NONE;
    n->aux = CPG_NONE;
    n->node_id = id;
    if (ref != EXS_REF_NONE) {
        int64_t l = tree_meta_int(b->t, ref, EXS_META_LINE);
        int64_t c = tree_meta_int(b->t, ref, EXS_META_COLUMN);
        n->line = l > 0 ? (uint32_t)l : 0;
        n->column = c > 0 ? (uint32_t)c : 0;
    }
    return v;
}

static void add_edge(bld *b, uint32_t from, uint32_t to, uint8_t kind, uint8_t sub, uint8_t flags) {
    cpg_graph *g = b->g;
    if (from == CPG_NONE || to == CPG_NONE || g->edge_count >= b->edge_cap) return;
    g->edges[g->edge_count++] = (cpg_edge){from, to, kind, sub, flags, 0};
    g->edge_counts[kind]++;
}

/* Pre-order over the clause terms: a node per term with an ID, an AST edge from the
 * nearest AST ancestor. */
static void walk_ast(bld *b, exs_ref r, uint32_t parent) {
    const exs_term *n = tree_get(b->t, r);
    uint64_t id = b->ids[r];
    if (id) {
        uint32_t v = add_node(b, CPG_NODE_AST, r, id);
        if (v == CPG_NONE) return;
        if (!id_put(b->g, v)) { /* a shared ref met again: keep the first */
            b->g->node_count--;
            return;
        }
        b->g->nodes[v].parent = parent;
        add_edge(b, parent, v, CPG_EDGE_AST, 0, 0);
        parent = v;
    }
    if (n->kind == EXS_TERM_LIST || n->kind == EXS_TERM_TUPLE)
        for (uint32_t i = 0; i < n->len; i++)
            walk_ast(b, n->v.kids[i], parent);
}

/* Nodes kept in a summary: the skeleton of the CFG. */
static bool skeleton_kept(const cfg_graph *c, uint32_t v) {
    switch (c->nodes[v].kind) {
    case CFG_NODE_ENTRY:
    case CFG_NODE_EXIT:
    case CFG_NODE_ERROR_EXIT:
    case CFG_NODE_HEAD:
    case CFG_NODE_CALL:
    case CFG_NODE_FN:
    case CFG_NODE_FN_ENTRY:
    case CFG_NODE_FN_EXIT:
    case CFG_NODE_RAISE:
    case CFG_NODE_THROW:
    case CFG_NODE_EXIT_CALL:
        return true;
    default:
        break;
    }
    uint32_t k = 0;
    for (uint32_t e = c->out_start[v]; e < c->out_start[v + 1]; e++)
        if (!(c->edges[e].flags & CFG_EF_IMPLICIT) && c->edges[e].kind != CFG_EDGE_CLOSURE) k++;
    return k >= 2;
}

/* Attaches CFG node v: onto its AST node when it has one not yet taken, else a CFG node
 * of its own. */
static void attach_cfg(bld *b, uint32_t v, bool summary) {
    const cfg_graph *c = b->g->cfg;
    const cfg_node *cn = &c->nodes[v];
    uint32_t at = summary ? CPG_NONE : cpg_find(b->g, cn->node_id);
    if (at != CPG_NONE && b->g->nodes[at].cfg == CPG_NONE) {
        b->g->nodes[at].cfg = v;
    } else {
        bool copy = at != CPG_NONE;
        at = add_node(b, CPG_NODE_CFG, cn->ref, cn->node_id);
        if (at == CPG_NONE) return;
        cpg_node *n = &b->g->nodes[at];
        n->cfg = v;
        if (copy) n->flags |= CPG_NF_COPY;
        if (!n->line) n->line = cn->line;
        if (summary && cn->node_id && !id_put(b->g, at)) n->flags |= CPG_NF_COPY;
    }
    cpg_node *n = &b->g->nodes[at];
    n->cfg_kind = cn->kind;
    if (cn->flags & CFG_NF_UNREACHABLE) n->flags |= CPG_NF_UNREACHABLE;
    b->g->cfg_to_node[v] = at;
}

/* Summary edges: from each kept node, the kept nodes reached through left-out ones
 * (one edge per pair, with the kind of the first step). With `count_only`, just counts
 * them (the edge array is sized from that). `stamp`/`seen`/`queue` are zeroed scratch
 * arrays of the CFG's node count. */
static uint32_t skeleton_edges(bld *b, bool count_only, uint32_t *stamp, uint32_t *seen,
                               uint32_t *queue) {
    const cfg_graph *c = b->g->cfg;
    const uint32_t *map = b->g->cfg_to_node;
    uint32_t count = 0;
    for (uint32_t u = 0; u < c->node_count; u++) {
        if (map[u] == CPG_NONE) continue;
        for (uint32_t e = c->out_start[u]; e < c->out_start[u + 1]; e++) {
            const cfg_edge *ed = &c->edges[e];
            uint32_t head = 0, tail = 0;
            queue[tail++] = ed->to;
            seen[ed->to] = e + 1;
            while (head < tail) {
                uint32_t w = queue[head++];
                if (map[w] != CPG_NONE) {
                    if (stamp[w] != u + 1) {
                        stamp[w] = u + 1;
                        count++;
                        if (!count_only)
                            add_edge(b, map[u], map[w], CPG_EDGE_CFG, ed->kind, ed->flags);
                    }
                    continue;
                }
                for (uint32_t f = c->out_start[w]; f < c->out_start[w + 1]; f++) {
                    uint32_t x = c->edges[f].to;
                    if (seen[x] == e + 1) continue;
                    seen[x] = e + 1;
                    queue[tail++] = x;
                }
            }
        }
    }
    return count;
}

static bool same_str(const char *a, const char *b) {
    return a == b || (a && b && strcmp(a, b) == 0);
}

static void add_call(bld *b, const cpg_call *call) {
    cpg_graph *g = b->g;
    uint32_t site = cpg_find(g, call->node_id);
    if (site == CPG_NONE) return;
    uint32_t k = 0;
    for (; k < g->callee_count; k++) {
        const cpg_callee *ce = &g->callees[k];
        if (ce->arity == call->arity && ce->resolution == call->resolution &&
            same_str(ce->name, call->name) && same_str(ce->module, call->module))
            break;
    }
    if (k == g->callee_count) {
        uint32_t v = add_node(b, CPG_NODE_FUNCTION, EXS_REF_NONE, 0);
        if (v == CPG_NONE) return;
        g->nodes[v].aux = k;
        g->nodes[v].line = call->line;
        g->callees[k] = (cpg_callee){
            call->module, call->name, call->arity, call->resolution, call->path, call->line, v};
        g->callee_count++;
    }
    g->nodes[site].flags |= CPG_NF_CALL_SITE;
    /* one CALL edge per (site, callee): a site listed twice (defaults) adds nothing */
    for (uint32_t e = 0; e < g->edge_count; e++)
        if (g->edges[e].kind == CPG_EDGE_CALL && g->edges[e].from == site &&
            g->edges[e].to == g->callees[k].node)
            return;
    add_edge(b, site, g->callees[k].node, CPG_EDGE_CALL, call->resolution, 0);
}

/* Groups edges by source (stable counting sort) and builds the in-edge index. */
static bool finish_edges(cpg_graph *g, exs_arena *a) {
    uint32_t n = g->node_count, m = g->edge_count;
    g->out_start = arena_alloc_zero(a, (size_t)(n + 1) * sizeof(uint32_t));
    g->in_start = arena_alloc_zero(a, (size_t)(n + 1) * sizeof(uint32_t));
    g->in_edges = arena_alloc(a, (size_t)m * sizeof(uint32_t) + 1);
    cpg_edge *sorted = arena_alloc(a, (size_t)m * sizeof(cpg_edge) + 1);
    uint32_t *fill = malloc((size_t)(n + 1) * sizeof(uint32_t));
    if (!g->out_start || !g->in_start || !g->in_edges || !sorted || !fill) {
        free(fill);
        return false;
    }
    for (uint32_t e = 0; e < m; e++)
        g->out_start[g->edges[e].from + 1]++;
    for (uint32_t v = 0; v < n; v++)
        g->out_start[v + 1] += g->out_start[v];
    memcpy(fill, g->out_start, (size_t)(n + 1) * sizeof(uint32_t));
    /* kinds in order within a node: AST, CFG, DFG, CALL */
    for (uint8_t k = 0; k < CPG_EDGE__COUNT; k++)
        for (uint32_t e = 0; e < m; e++)
            if (g->edges[e].kind == k) sorted[fill[g->edges[e].from]++] = g->edges[e];
    g->edges = sorted;
    for (uint32_t e = 0; e < m; e++)
        g->in_start[sorted[e].to + 1]++;
    for (uint32_t v = 0; v < n; v++)
        g->in_start[v + 1] += g->in_start[v];
    memcpy(fill, g->in_start, (size_t)(n + 1) * sizeof(uint32_t));
    for (uint32_t e = 0; e < m; e++)
        g->in_edges[fill[sorted[e].to]++] = e;
    free(fill);
    return true;
}

exs_status cpg_build(const cpg_input *in, exs_arena *a, cpg_graph *out) {
    memset(out, 0, sizeof(*out));
    if (!in || !in->tree || !in->ids || !in->cfg || !in->clause_count) return EXS_ERR_ARG;
    const exs_tree *t = in->tree;
    const cfg_graph *c = in->cfg;
    cpg_graph *g = out;
    g->tree = t;
    g->ids = in->ids;
    g->clauses = in->clauses;
    g->clause_count = in->clause_count;
    g->cfg = c;
    g->in_template = in->in_template;
    g->conditional = in->conditional;
    for (uint32_t i = 0; i < in->clause_count; i++)
        g->ast_nodes += count_ast(t, in->ids, in->clauses[i]);
    uint32_t limit = in->max_ast_nodes ? in->max_ast_nodes : CPG_DEFAULT_MAX_AST_NODES;
    bool summary = g->ast_nodes > limit;
    g->is_summary = summary;
    g->has_dfg = in->has_dfg && !summary;

    bld b = {.g = g, .t = t, .ids = in->ids};
    uint32_t ast = summary ? 0 : g->ast_nodes;
    b.node_cap = ast + c->node_count + in->call_count;
    b.edge_cap = ast + c->edge_count + (g->has_dfg ? in->flow_count : 0) + in->call_count;
    uint32_t slots = 16;
    while (slots < 2 * (ast + c->node_count) + 2)
        slots *= 2;
    g->nodes = arena_alloc(a, (size_t)b.node_cap * sizeof(cpg_node) + 1);
    g->edges = arena_alloc(a, (size_t)b.edge_cap * sizeof(cpg_edge) + 1);
    g->callees = arena_alloc(a, (size_t)in->call_count * sizeof(cpg_callee) + 1);
    g->cfg_to_node = arena_alloc(a, (size_t)c->node_count * sizeof(uint32_t) + 1);
    g->id_slots = arena_alloc(a, (size_t)slots * sizeof(uint32_t));
    if (!g->nodes || !g->edges || !g->callees || !g->cfg_to_node || !g->id_slots) goto nomem;
    g->id_mask = slots - 1;
    memset(g->id_slots, 0xff, (size_t)slots * sizeof(uint32_t));
    memset(g->cfg_to_node, 0xff, (size_t)c->node_count * sizeof(uint32_t));

    if (!summary) {
        for (uint32_t i = 0; i < in->clause_count; i++)
            walk_ast(&b, in->clauses[i], CPG_NONE);
        for (uint32_t v = 0; v < c->node_count; v++)
            attach_cfg(&b, v, false);
        for (uint32_t e = 0; e < c->edge_count; e++) {
            const cfg_edge *ed = &c->edges[e];
            add_edge(&b, g->cfg_to_node[ed->from], g->cfg_to_node[ed->to], CPG_EDGE_CFG, ed->kind,
                     ed->flags);
        }
    } else {
        uint32_t *scratch = calloc((size_t)c->node_count * 3 + 1, sizeof(uint32_t));
        if (!scratch) goto nomem;
        for (uint32_t v = 0; v < c->node_count; v++)
            if (skeleton_kept(c, v)) attach_cfg(&b, v, true);
        uint32_t n = c->node_count;
        uint32_t m = skeleton_edges(&b, true, scratch, scratch + n, scratch + 2 * n);
        b.edge_cap = m + in->call_count;
        g->edges = arena_alloc(a, (size_t)b.edge_cap * sizeof(cpg_edge) + 1);
        memset(scratch, 0, (size_t)n * 3 * sizeof(uint32_t));
        if (g->edges) skeleton_edges(&b, false, scratch, scratch + n, scratch + 2 * n);
        free(scratch);
        if (!g->edges) goto nomem;
    }

    if (g->has_dfg) {
        cpg_var *vars = arena_alloc(a, (size_t)in->var_count * sizeof(cpg_var) + 1);
        if (!vars) goto nomem;
        if (in->var_count) memcpy(vars, in->vars, (size_t)in->var_count * sizeof(cpg_var));
        g->vars = vars;
        g->var_count = in->var_count;
        for (uint32_t i = 0; i < in->var_count; i++) {
            uint32_t v = cpg_find_ref(g, vars[i].ref);
            if (v == CPG_NONE) continue;
            cpg_node *n = &g->nodes[v];
            n->flags |= CPG_NF_VAR_DEF;
            if (vars[i].def_kind == CPG_VAR_PARAM) n->flags |= CPG_NF_PARAM;
            if (vars[i].is_unused) n->flags |= CPG_NF_UNUSED;
            n->aux = i;
        }
        for (uint32_t i = 0; i < in->flow_count; i++) {
            uint32_t d = cpg_find_ref(g, in->flows[i].def);
            uint32_t u = cpg_find_ref(g, in->flows[i].use);
            if (d == CPG_NONE || u == CPG_NONE) continue;
            g->nodes[u].flags |= CPG_NF_VAR_USE;
            add_edge(&b, d, u, CPG_EDGE_DFG, in->flows[i].use_kind, 0);
        }
    }
    for (uint32_t i = 0; i < in->call_count; i++)
        add_call(&b, &in->calls[i]);
    if (!finish_edges(g, a) || arena_failed(a)) goto nomem;
    return EXS_OK;
nomem:
    memset(out, 0, sizeof(*out));
    return EXS_ERR_NOMEM;
}

size_t cpg_bytes(const cpg_graph *g) {
    return (size_t)g->node_count * sizeof(cpg_node) +
           (size_t)g->edge_count * (sizeof(cpg_edge) + sizeof(uint32_t)) +
           (size_t)(g->node_count + 1) * 2 * sizeof(uint32_t) +
           (size_t)(g->id_mask + 1) * sizeof(uint32_t) +
           (size_t)g->callee_count * sizeof(cpg_callee) + (size_t)g->var_count * sizeof(cpg_var) +
           (g->cfg ? (size_t)g->cfg->node_count * sizeof(uint32_t) : 0);
}

/* ---- writers ---------------------------------------------------------------------- */

static bool node_shown(const cpg_graph *g, uint32_t v, unsigned mask, const uint8_t *touched) {
    const cpg_node *n = &g->nodes[v];
    if (touched[v]) return true;
    if ((mask & CPG_MASK(CPG_EDGE_AST)) && n->kind == CPG_NODE_AST) return true;
    if ((mask & CPG_MASK(CPG_EDGE_CFG)) && n->cfg != CPG_NONE) return true;
    return false;
}

static uint8_t *touched_nodes(const cpg_graph *g, unsigned mask) {
    uint8_t *t = calloc((size_t)g->node_count + 1, 1);
    if (!t) return NULL;
    for (uint32_t e = 0; e < g->edge_count; e++)
        if (mask & CPG_MASK(g->edges[e].kind)) t[g->edges[e].from] = t[g->edges[e].to] = 1;
    return t;
}

static void label(const cpg_graph *g, uint32_t v, exs_buf *o) {
    const cpg_node *n = &g->nodes[v];
    if (n->kind == CPG_NODE_FUNCTION) {
        const cpg_callee *ce = &g->callees[n->aux];
        if (ce->module) buf_printf(o, "%s.", ce->module);
        buf_puts(o, ce->name && *ce->name ? ce->name : "<dynamic>");
        if (ce->arity == CALLS_ARITY_UNKNOWN)
            buf_puts(o, "/?");
        else
            buf_printf(o, "/%u", ce->arity);
        if (ce->path) buf_printf(o, " (%s:%u)", ce->path, ce->line);
        return;
    }
    if (n->ref == EXS_REF_NONE) {
        buf_puts(o, n->cfg_kind != CPG_NO_CFG ? cfg_node_kind_name(n->cfg_kind) : "?");
        return;
    }
    if (n->kind == CPG_NODE_CFG && n->cfg_kind != CPG_NO_CFG)
        buf_printf(o, "%s: ", cfg_node_kind_name(n->cfg_kind));
    cfg_snippet(g->tree, n->ref, 48, o);
    if (n->line) buf_printf(o, " :%u", n->line);
}

static void esc(exs_buf *o, const char *s, size_t len, bool json) {
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            buf_putc(o, '\\');
            buf_putc(o, (char)ch);
        } else if (ch == '\n') {
            buf_puts(o, "\\n");
        } else if (ch < 0x20) {
            if (json)
                buf_printf(o, "\\u%04x", ch);
            else
                buf_putc(o, ' ');
        } else {
            buf_putc(o, (char)ch);
        }
    }
}

static const char *edge_sub_name(const cpg_edge *e) {
    switch (e->kind) {
    case CPG_EDGE_CFG:
        return cfg_edge_kind_name((cfg_edge_kind)e->sub);
    case CPG_EDGE_DFG:
        return dfg_use_kind_name((dfg_use_kind)e->sub);
    case CPG_EDGE_CALL:
        return calls_resolution_name((calls_resolution)e->sub);
    default:
        return NULL;
    }
}

void cpg_write_dot(const cpg_graph *g, const char *title, unsigned mask, exs_buf *o) {
    uint8_t *touched = touched_nodes(g, mask);
    if (!touched) {
        o->failed = true;
        return;
    }
    exs_buf tmp;
    buf_init(&tmp);
    buf_puts(o, "digraph cpg {\n  graph [labelloc=t, fontname=\"Helvetica\", label=\"");
    if (title) esc(o, title, strlen(title), false);
    if (g->is_summary) buf_printf(o, " (summary: %u AST nodes)", g->ast_nodes);
    buf_puts(o, "\"];\n  node [shape=box, fontname=\"Courier\", fontsize=10];\n"
                "  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (uint32_t v = 0; v < g->node_count; v++) {
        if (!node_shown(g, v, mask, touched)) continue;
        const cpg_node *n = &g->nodes[v];
        tmp.len = 0;
        label(g, v, &tmp);
        buf_printf(o, "  n%u [label=\"", v);
        esc(o, tmp.data ? tmp.data : "", tmp.len, false);
        buf_putc(o, '"');
        if (n->kind == CPG_NODE_FUNCTION)
            buf_puts(o, ", shape=component, color=red");
        else if (n->cfg == CPG_NONE)
            buf_puts(o, ", shape=ellipse, color=gray50");
        else if (n->kind == CPG_NODE_CFG && n->ref == EXS_REF_NONE)
            buf_puts(o, ", shape=oval");
        if (n->flags & CPG_NF_UNREACHABLE)
            buf_puts(o, ", style=filled, fillcolor=mistyrose");
        else if (n->flags & CPG_NF_UNUSED)
            buf_puts(o, ", style=filled, fillcolor=khaki");
        if (n->flags & CPG_NF_VAR_DEF) buf_puts(o, ", fontcolor=blue");
        buf_puts(o, "];\n");
    }
    for (uint32_t e = 0; e < g->edge_count; e++) {
        const cpg_edge *ed = &g->edges[e];
        if (!(mask & CPG_MASK(ed->kind))) continue;
        buf_printf(o, "  n%u -> n%u [", ed->from, ed->to);
        switch (ed->kind) {
        case CPG_EDGE_AST:
            buf_puts(o, "color=gray70, style=dotted, arrowhead=none");
            break;
        case CPG_EDGE_CFG: {
            const char *s = edge_sub_name(ed);
            if (ed->sub != CFG_EDGE_NORMAL) buf_printf(o, "label=\"%s\", ", s);
            if (ed->sub == CFG_EDGE_EXCEPTION || (ed->flags & CFG_EF_IMPLICIT))
                buf_puts(o, "color=orange, style=dashed");
            else if (ed->sub == CFG_EDGE_CLOSURE)
                buf_puts(o, "color=purple, style=dashed");
            else
                buf_puts(o, "color=black");
            break;
        }
        case CPG_EDGE_DFG: {
            const cpg_node *d = &g->nodes[ed->from];
            buf_puts(o, "color=blue, style=dashed, fontcolor=blue, label=\"");
            if (d->aux != CPG_NONE && d->aux < g->var_count && g->vars[d->aux].name)
                esc(o, g->vars[d->aux].name, strlen(g->vars[d->aux].name), false);
            buf_puts(o, "\"");
            break;
        }
        case CPG_EDGE_CALL:
            buf_printf(o, "color=red, label=\"%s\"", edge_sub_name(ed));
            break;
        }
        buf_puts(o, "];\n");
    }
    buf_puts(o, "}\n");
    buf_free(&tmp);
    free(touched);
}

static void json_str(exs_buf *o, const char *s) {
    if (!s) {
        buf_puts(o, "null");
        return;
    }
    buf_putc(o, '"');
    esc(o, s, strlen(s), true);
    buf_putc(o, '"');
}

void cpg_write_json(const cpg_graph *g, const char *title, unsigned mask, exs_buf *o) {
    uint8_t *touched = touched_nodes(g, mask);
    if (!touched) {
        o->failed = true;
        return;
    }
    exs_buf tmp;
    buf_init(&tmp);
    buf_puts(o, "{\"name\":");
    json_str(o, title);
    buf_printf(o, ",\"summary\":%s,\"dfg\":%s,\"ast_nodes\":%u,\"counts\":{\"nodes\":%u",
               g->is_summary ? "true" : "false", g->has_dfg ? "true" : "false", g->ast_nodes,
               g->node_count);
    for (uint8_t k = 0; k < CPG_EDGE__COUNT; k++)
        buf_printf(o, ",\"%s\":%u", edge_kind_names[k], g->edge_counts[k]);
    buf_puts(o, "},\"nodes\":[");
    bool first = true;
    char idb[40];
    for (uint32_t v = 0; v < g->node_count; v++) {
        if (!node_shown(g, v, mask, touched)) continue;
        const cpg_node *n = &g->nodes[v];
        buf_printf(o, "%s{\"id\":%u,\"kind\":\"%s\",\"cfg\":", first ? "" : ",", v,
                   node_kind_names[n->kind]);
        first = false;
        if (n->cfg_kind != CPG_NO_CFG)
            buf_printf(o, "\"%s\"", cfg_node_kind_name(n->cfg_kind));
        else
            buf_puts(o, "null");
        buf_printf(o, ",\"line\":%u,\"column\":%u,\"node_id\":", n->line, n->column);
        if (n->node_id)
            buf_printf(o, "\"%s\"", exs_node_id_format(n->node_id, idb));
        else
            buf_puts(o, "null");
        if (n->parent != CPG_NONE) buf_printf(o, ",\"parent\":%u", n->parent);
        tmp.len = 0;
        label(g, v, &tmp);
        buf_puts(o, ",\"label\":\"");
        esc(o, tmp.data ? tmp.data : "", tmp.len, true);
        buf_putc(o, '"');
        if (n->flags & CPG_NF_UNREACHABLE) buf_puts(o, ",\"unreachable\":true");
        if (n->flags & CPG_NF_VAR_DEF) {
            buf_puts(o, ",\"var_def\":");
            json_str(o, n->aux < g->var_count ? g->vars[n->aux].name : NULL);
        }
        if (n->flags & CPG_NF_VAR_USE) buf_puts(o, ",\"var_use\":true");
        if (n->flags & CPG_NF_PARAM) buf_puts(o, ",\"param\":true");
        if (n->flags & CPG_NF_UNUSED) buf_puts(o, ",\"unused\":true");
        if (n->flags & CPG_NF_COPY) buf_puts(o, ",\"copy\":true");
        buf_putc(o, '}');
    }
    buf_puts(o, "],\"edges\":[");
    first = true;
    for (uint32_t e = 0; e < g->edge_count; e++) {
        const cpg_edge *ed = &g->edges[e];
        if (!(mask & CPG_MASK(ed->kind))) continue;
        buf_printf(o, "%s{\"from\":%u,\"to\":%u,\"kind\":\"%s\"", first ? "" : ",", ed->from,
                   ed->to, edge_kind_names[ed->kind]);
        first = false;
        const char *s = edge_sub_name(ed);
        if (s) buf_printf(o, ",\"sub\":\"%s\"", s);
        if (ed->kind == CPG_EDGE_CFG && (ed->flags & CFG_EF_IMPLICIT))
            buf_puts(o, ",\"implicit\":true");
        buf_putc(o, '}');
    }
    buf_puts(o, "],\"callees\":[");
    for (uint32_t k = 0; k < g->callee_count; k++) {
        const cpg_callee *ce = &g->callees[k];
        buf_puts(o, k ? ",{\"module\":" : "{\"module\":");
        json_str(o, ce->module);
        buf_puts(o, ",\"name\":");
        json_str(o, ce->name);
        buf_printf(o, ",\"arity\":%u,\"resolution\":\"%s\",\"path\":", ce->arity,
                   calls_resolution_name((calls_resolution)ce->resolution));
        json_str(o, ce->path);
        buf_printf(o, ",\"line\":%u,\"node\":%u}", ce->line, ce->node);
    }
    buf_puts(o, "]}\n");
    buf_free(&tmp);
    free(touched);
}
