/* test_node_id.c: unit tests of node IDs (src/ast/node_id.c, docs/node_ids.md).
 *
 * Trees are built by hand in the shape Code.string_to_quoted/2 gives. The key
 * property: two files that differ only inside one definition give every node outside
 * that definition the same ID. */
#include "ast/ast.h"
#include "ast/node_id.h"
#include "exscope.h"
#include "harness.h"

static exs_ref m1(exs_tree *t) {
    exs_meta_kv kv[] = {{EXS_META_LINE, 0, 1}};
    return tree_meta(t, kv, 1);
}
static exs_ref atom(exs_tree *t, const char *s) { return tree_atom(t, s, strlen(s)); }
static exs_ref var(exs_tree *t, const char *name) {
    return tree_tuple3(t, atom(t, name), m1(t), tree_nil(t));
}
static exs_ref call(exs_tree *t, const char *name, const exs_ref *args, uint32_t n) {
    return tree_tuple3(t, atom(t, name), m1(t), tree_list(t, args, n));
}
static exs_ref call2(exs_tree *t, const char *name, exs_ref a, exs_ref b) {
    exs_ref args[] = {a, b};
    return call(t, name, args, 2);
}
static exs_ref do_kw(exs_tree *t, exs_ref body) {
    exs_ref kv = tree_tuple2(t, atom(t, "do"), body);
    return tree_list(t, &kv, 1);
}
/* def name(param), do: body */
static exs_ref def1(exs_tree *t, const char *kind, const char *name, const char *param,
                    exs_ref body) {
    exs_ref p = var(t, param);
    exs_ref head = call(t, name, &p, 1);
    return call2(t, kind, head, do_kw(t, body));
}
static exs_ref block(exs_tree *t, const exs_ref *exprs, uint32_t n) {
    return call(t, "__block__", exprs, n);
}
static exs_ref defmodule(exs_tree *t, const char *alias, const exs_ref *exprs, uint32_t n) {
    exs_ref seg = atom(t, alias);
    exs_ref al = call(t, "__aliases__", &seg, 1);
    return call2(t, "defmodule", al, do_kw(t, block(t, exprs, n)));
}
static exs_ref attr(exs_tree *t, const char *name, exs_ref value) {
    exs_ref inner = call(t, name, &value, 1);
    return call(t, "@", &inner, 1);
}

/* The refs of interest in one version of the sample file. */
typedef struct sample {
    exs_tree *t;
    exs_ref module, doc, def_a, def_b, b_body, b_param, moduledoc;
} sample;

/* defmodule Foo do
 *   @moduledoc "m"
 *   @doc "a"
 *   def a(x), do: x + 1          (variant 1: x + 1 + 2)
 *   def b(y), do: y * 2
 * end */
static sample build(int variant) {
    sample s;
    exs_tree *t = s.t = tree_new();
    ASSERT(t);
    s.moduledoc = attr(t, "moduledoc", tree_binary(t, "m", 1));
    s.doc = attr(t, "doc", tree_binary(t, "a", 1));
    exs_ref a_body = call2(t, "+", var(t, "x"), tree_int(t, 1));
    if (variant == 1) a_body = call2(t, "+", a_body, call2(t, "*", var(t, "z"), tree_int(t, 2)));
    s.def_a = def1(t, "def", "a", "x", a_body);
    s.b_body = call2(t, "*", var(t, "y"), tree_int(t, 2));
    s.def_b = def1(t, "def", "b", "y", s.b_body);
    const exs_term *head = tree_get(t, tree_get(t, tree_get(t, s.def_b)->v.kids[2])->v.kids[0]);
    s.b_param = tree_get(t, head->v.kids[2])->v.kids[0];
    exs_ref exprs[] = {s.moduledoc, s.doc, s.def_a, s.def_b};
    s.module = defmodule(t, "Foo", exprs, 4);
    t->root = s.module;
    return s;
}

static unsigned anchor_of(uint64_t id) { return (unsigned)((id >> 20) & 0x3FFFFF); }
static unsigned local_of(uint64_t id) { return (unsigned)(id & 0xFFFFF); }

/* Every AST node reachable from the root has a distinct ID. */
static void assert_unique(const exs_tree *t, const uint64_t *ids) {
    uint64_t *seen = calloc(t->count, sizeof *seen);
    uint32_t n = 0;
    for (exs_ref r = 0; r < t->count; r++)
        if (tree_is_call(t, r)) seen[n++] = ids[r];
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = i + 1; j < n; j++)
            if (seen[i] == seen[j]) TEST_FAIL_("duplicate id %llx", (unsigned long long)seen[i]);
    free(seen);
}

TEST(deterministic_and_unique) {
    sample s = build(0);
    uint64_t *a = node_ids_compute(s.t, 7);
    uint64_t *b = node_ids_compute(s.t, 7);
    ASSERT(a && b);
    ASSERT(memcmp(a, b, s.t->count * sizeof *a) == 0);
    assert_unique(s.t, a);
    for (exs_ref r = 0; r < s.t->count; r++) {
        if (tree_is_call(s.t, r))
            ASSERT_EQ(a[r] >> 42, 7);
        else
            ASSERT_EQ(a[r], 0);
    }
    /* a definition's own node is local 0 of its anchor */
    ASSERT_EQ(local_of(a[s.def_a]), 0);
    ASSERT_EQ(local_of(a[s.def_b]), 0);
    ASSERT_EQ(local_of(a[s.module]), 0);
    ASSERT(anchor_of(a[s.def_a]) != anchor_of(a[s.def_b]));
    ASSERT(anchor_of(a[s.doc]) != anchor_of(a[s.moduledoc]));
    free(a);
    free(b);
    tree_free(s.t);
}

TEST(file_id_is_high_bits) {
    sample s = build(0);
    uint64_t *a = node_ids_compute(s.t, 1);
    uint64_t *b = node_ids_compute(s.t, 0x3FFFFF);
    uint64_t *c = node_ids_compute(s.t, 0x400001); /* only 22 bits are kept */
    for (exs_ref r = 0; r < s.t->count; r++) {
        if (!tree_is_call(s.t, r)) continue;
        ASSERT_EQ(a[r] & ((1ull << 42) - 1), b[r] & ((1ull << 42) - 1));
        ASSERT_EQ(b[r] >> 42, 0x3FFFFF);
        ASSERT_EQ(c[r], a[r]);
    }
    free(a);
    free(b);
    free(c);
    tree_free(s.t);
}

TEST(edit_in_one_def_keeps_others) {
    sample s0 = build(0), s1 = build(1);
    uint64_t *a = node_ids_compute(s0.t, 3);
    uint64_t *b = node_ids_compute(s1.t, 3);
    ASSERT(a && b);
    ASSERT_EQ(a[s0.module], b[s1.module]);
    ASSERT_EQ(a[s0.moduledoc], b[s1.moduledoc]);
    ASSERT_EQ(a[s0.doc], b[s1.doc]);
    ASSERT_EQ(a[s0.def_a], b[s1.def_a]); /* the edited def's own node keeps its ID */
    ASSERT_EQ(a[s0.def_b], b[s1.def_b]);
    ASSERT_EQ(a[s0.b_body], b[s1.b_body]);
    ASSERT_EQ(a[s0.b_param], b[s1.b_param]);
    /* all of def b: same IDs in the same pre-order */
    const exs_term *bb0 = tree_get(s0.t, s0.b_body), *bb1 = tree_get(s1.t, s1.b_body);
    exs_ref y0 = tree_get(s0.t, bb0->v.kids[2])->v.kids[0];
    exs_ref y1 = tree_get(s1.t, bb1->v.kids[2])->v.kids[0];
    ASSERT_EQ(a[y0], b[y1]);
    assert_unique(s1.t, b);
    free(a);
    free(b);
    tree_free(s0.t);
    tree_free(s1.t);
}

TEST(inserting_a_def_above_keeps_others) {
    /* variant 0 vs. the same module with `defp helper(h), do: h` inserted first */
    sample s0 = build(0);
    exs_tree *t = tree_new();
    exs_ref moduledoc = attr(t, "moduledoc", tree_binary(t, "m", 1));
    exs_ref helper = def1(t, "defp", "helper", "h", var(t, "h"));
    exs_ref doc = attr(t, "doc", tree_binary(t, "a", 1));
    exs_ref def_a = def1(t, "def", "a", "x", call2(t, "+", var(t, "x"), tree_int(t, 1)));
    exs_ref b_body = call2(t, "*", var(t, "y"), tree_int(t, 2));
    exs_ref def_b = def1(t, "def", "b", "y", b_body);
    exs_ref exprs[] = {moduledoc, helper, doc, def_a, def_b};
    t->root = defmodule(t, "Foo", exprs, 5);
    uint64_t *a = node_ids_compute(s0.t, 9);
    uint64_t *b = node_ids_compute(t, 9);
    ASSERT_EQ(a[s0.def_a], b[def_a]);
    ASSERT_EQ(a[s0.def_b], b[def_b]);
    ASSERT_EQ(a[s0.b_body], b[b_body]);
    ASSERT_EQ(a[s0.doc], b[doc]);
    ASSERT_EQ(a[s0.module], b[t->root]);
    assert_unique(t, b);
    free(a);
    free(b);
    tree_free(s0.t);
    tree_free(t);
}

TEST(clauses_get_ordinals) {
    /* def f(a), do: a; def f(b), do: b   vs.   def f(a), do: a + 1; def f(b), do: b */
    uint64_t *ids[2];
    exs_ref second[2];
    exs_tree *trees[2];
    for (int v = 0; v < 2; v++) {
        exs_tree *t = trees[v] = tree_new();
        exs_ref body1 = v ? call2(t, "+", var(t, "a"), tree_int(t, 1)) : var(t, "a");
        exs_ref c1 = def1(t, "def", "f", "a", body1);
        exs_ref c2 = second[v] = def1(t, "def", "f", "b", var(t, "b"));
        exs_ref exprs[] = {c1, c2};
        t->root = defmodule(t, "M", exprs, 2);
        ids[v] = node_ids_compute(t, 1);
        assert_unique(t, ids[v]);
    }
    ASSERT_EQ(ids[0][second[0]], ids[1][second[1]]);
    const exs_term *d0 = tree_get(trees[0], second[0]);
    const exs_term *d1 = tree_get(trees[1], second[1]);
    exs_ref head0 = tree_get(trees[0], d0->v.kids[2])->v.kids[0];
    exs_ref head1 = tree_get(trees[1], d1->v.kids[2])->v.kids[0];
    ASSERT_EQ(ids[0][head0], ids[1][head1]);
    for (int v = 0; v < 2; v++) {
        free(ids[v]);
        tree_free(trees[v]);
    }
}

TEST(top_level_and_nested_modules) {
    exs_tree *t = tree_new();
    exs_ref inner_def = def1(t, "def", "g", "q", var(t, "q"));
    exs_ref inner = defmodule(t, "Inner", &inner_def, 1);
    exs_ref outer_def = def1(t, "def", "g", "q", var(t, "q"));
    exs_ref oexprs[] = {inner, outer_def};
    exs_ref outer = defmodule(t, "Outer", oexprs, 2);
    exs_ref alias_arg = var(t, "Something");
    exs_ref top_alias = call(t, "alias", &alias_arg, 1);
    exs_ref texprs[] = {top_alias, outer};
    t->root = block(t, texprs, 2);
    uint64_t *ids = node_ids_compute(t, 2);
    ASSERT(ids);
    assert_unique(t, ids);
    /* same name/arity in different modules: different anchors */
    ASSERT(anchor_of(ids[inner_def]) != anchor_of(ids[outer_def]));
    ASSERT_EQ(local_of(ids[inner]), 0);
    ASSERT_EQ(local_of(ids[top_alias]), 0);
    free(ids);
    tree_free(t);
}

TEST(shared_and_unreachable) {
    exs_tree *t = tree_new();
    exs_ref x = var(t, "x");
    exs_ref unreachable = var(t, "u");
    exs_ref args[] = {x, x};
    t->root = call(t, "+", args, 2);
    uint64_t *ids = node_ids_compute(t, 1);
    ASSERT_EQ(ids[unreachable], 0);
    ASSERT(ids[x] != 0);
    ASSERT(ids[x] != ids[t->root]);
    free(ids);
    tree_free(t);
}

TEST(empty_tree) {
    exs_tree *t = tree_new();
    uint64_t *ids = node_ids_compute(t, 1); /* root == EXS_REF_NONE */
    ASSERT(ids);
    for (exs_ref r = 0; r < t->count; r++) ASSERT_EQ(ids[r], 0);
    free(ids);
    t->root = tree_nil(t);
    ids = node_ids_compute(t, 1);
    ASSERT(ids);
    free(ids);
    tree_free(t);
}

TEST(local_overflow_spills_to_new_anchor) {
    /* one definition with more than 2^20 AST nodes */
    exs_tree *t = tree_new();
    uint32_t n = (1u << 20) + 10;
    exs_ref *vars = malloc(n * sizeof *vars);
    exs_ref meta = m1(t), name = atom(t, "v");
    for (uint32_t i = 0; i < n; i++) vars[i] = tree_tuple3(t, name, meta, tree_nil(t));
    exs_ref body = tree_list(t, vars, n);
    exs_ref d = def1(t, "def", "big", "p", body);
    t->root = defmodule(t, "Big", &d, 1);
    ASSERT(!t->failed);
    uint64_t *ids = node_ids_compute(t, 1);
    ASSERT(ids);
    /* def node, head, param, then the vars: the last vars spill over */
    ASSERT_EQ(anchor_of(ids[vars[0]]), anchor_of(ids[d]));
    ASSERT(anchor_of(ids[vars[n - 1]]) != anchor_of(ids[d]));
    ASSERT_EQ(local_of(ids[vars[(1u << 20) - 3]]), 0);
    /* uniqueness via sort */
    uint64_t *sorted = malloc(n * sizeof *sorted);
    for (uint32_t i = 0; i < n; i++) sorted[i] = ids[vars[i]];
    for (uint32_t i = 1; i < n; i++) {
        /* pre-order: strictly increasing within an anchor, anchor change at the spill */
        if (anchor_of(sorted[i]) == anchor_of(sorted[i - 1]))
            ASSERT_EQ(local_of(sorted[i]), local_of(sorted[i - 1]) + 1);
    }
    free(sorted);
    free(vars);
    free(ids);
    tree_free(t);
}

TEST_LIST(TEST_ENTRY(deterministic_and_unique), TEST_ENTRY(file_id_is_high_bits),
          TEST_ENTRY(edit_in_one_def_keeps_others), TEST_ENTRY(inserting_a_def_above_keeps_others),
          TEST_ENTRY(clauses_get_ordinals), TEST_ENTRY(top_level_and_nested_modules),
          TEST_ENTRY(shared_and_unreachable), TEST_ENTRY(empty_tree),
          TEST_ENTRY(local_overflow_spills_to_new_anchor))
