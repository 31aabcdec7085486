/* test_writers.c: unit tests of the ETF, Elixir-text and JSON writers.
 *
 * Each test builds a small term tree by hand and compares the exact output. The
 * expected Elixir strings were taken from Elixir 1.14's
 * `inspect(term, limit: :infinity, printable_limit: :infinity)`, the expected ETF
 * from `:erlang.term_to_binary(term, minor_version: 2)`; the live, randomized version
 * of these checks is tests/conformance/writers_oracle.sh. */
#include <math.h>

#include "ast/ast.h"
#include "ast/node_id.h"
#include "ast/writers.h"
#include "base/buf.h"
#include "exscope.h"
#include "harness.h"

/* Renders `r` as Elixir text without the trailing newline into a static buffer. */
static const char *ex(exs_tree *t, exs_ref r, const uint64_t *ids) {
    static char out[4096];
    exs_buf b;
    buf_init(&b);
    ASSERT(write_elixir(t, r, ids, &b));
    ASSERT(b.len > 0 && b.data[b.len - 1] == '\n');
    ASSERT(b.len < sizeof out);
    memcpy(out, b.data, b.len - 1);
    out[b.len - 1] = 0;
    buf_free(&b);
    return out;
}

static const char *js(exs_tree *t, exs_ref r, const uint64_t *ids) {
    static char out[4096];
    exs_buf b;
    buf_init(&b);
    ASSERT(write_json(t, r, ids, &b));
    ASSERT(b.len > 0 && b.data[b.len - 1] == '\n');
    ASSERT(b.len < sizeof out);
    memcpy(out, b.data, b.len - 1);
    out[b.len - 1] = 0;
    buf_free(&b);
    return out;
}

static void assert_etf(exs_tree *t, exs_ref r, const uint64_t *ids, const unsigned char *want,
                       size_t want_len) {
    exs_buf b;
    buf_init(&b);
    ASSERT(write_etf(t, r, ids, &b));
    if (b.len != want_len || memcmp(b.data, want, want_len) != 0) {
        fprintf(stderr, "ETF mismatch, got:");
        for (size_t i = 0; i < b.len; i++) fprintf(stderr, " %u", (unsigned char)b.data[i]);
        fprintf(stderr, "\n");
        ASSERT(0);
    }
    buf_free(&b);
}

#define ETF(t, r, ids, ...)                                                            \
    do {                                                                               \
        static const unsigned char w_[] = {__VA_ARGS__};                               \
        assert_etf(t, r, ids, w_, sizeof w_);                                          \
    } while (0)

static exs_ref atom(exs_tree *t, const char *s) { return tree_atom(t, s, strlen(s)); }
static exs_ref bin(exs_tree *t, const char *s) { return tree_binary(t, s, strlen(s)); }

TEST(etf_integers) {
    exs_tree *t = tree_new();
    ETF(t, tree_int(t, 0), NULL, 131, 97, 0);
    ETF(t, tree_int(t, 255), NULL, 131, 97, 255);
    ETF(t, tree_int(t, 256), NULL, 131, 98, 0, 0, 1, 0);
    ETF(t, tree_int(t, -1), NULL, 131, 98, 255, 255, 255, 255);
    ETF(t, tree_int(t, 2147483648LL), NULL, 131, 110, 4, 0, 0, 0, 0, 128);
    ETF(t, tree_int(t, -2147483649LL), NULL, 131, 110, 4, 1, 1, 0, 0, 128);
    ETF(t, tree_int(t, INT64_MIN), NULL, 131, 110, 8, 1, 0, 0, 0, 0, 0, 0, 0, 128);
    static const uint8_t mag[] = {1, 0, 0, 0, 0, 0, 0, 0, 1, 0}; /* 2^64 + 1, unnormalized */
    ETF(t, tree_bigint(t, mag, sizeof mag, true), NULL, 131, 110, 9, 1, 1, 0, 0, 0, 0, 0, 0,
        0, 1);
    static const uint8_t small[] = {5, 0, 0};
    ETF(t, tree_bigint(t, small, 3, false), NULL, 131, 97, 5);
    tree_free(t);
}

TEST(etf_large_big) {
    exs_tree *t = tree_new();
    uint8_t mag[300];
    memset(mag, 0xAB, sizeof mag);
    exs_buf b;
    buf_init(&b);
    ASSERT(write_etf(t, tree_bigint(t, mag, sizeof mag, false), NULL, &b));
    ASSERT_EQ(b.len, 1 + 1 + 4 + 1 + 300);
    ASSERT_EQ((unsigned char)b.data[1], 111);
    ASSERT_EQ((unsigned char)b.data[4], 1);
    ASSERT_EQ((unsigned char)b.data[5], 44);
    buf_free(&b);
    tree_free(t);
}

TEST(etf_float_atom_binary) {
    exs_tree *t = tree_new();
    ETF(t, tree_float(t, 1.5), NULL, 131, 70, 63, 248, 0, 0, 0, 0, 0, 0);
    ETF(t, atom(t, "foo"), NULL, 131, 119, 3, 'f', 'o', 'o');
    ETF(t, tree_nil(t), NULL, 131, 119, 3, 'n', 'i', 'l');
    ETF(t, atom(t, "é"), NULL, 131, 119, 2, 0xC3, 0xA9);
    ETF(t, tree_binary(t, "a\0b", 3), NULL, 131, 109, 0, 0, 0, 3, 'a', 0, 'b');
    tree_free(t);
}

TEST(etf_lists_tuples) {
    exs_tree *t = tree_new();
    ETF(t, tree_empty_list(t), NULL, 131, 106);
    exs_ref bytes[] = {tree_int(t, 97), tree_int(t, 0), tree_int(t, 255)};
    ETF(t, tree_list(t, bytes, 3), NULL, 131, 107, 0, 3, 97, 0, 255);
    exs_ref mixed[] = {tree_int(t, 1), tree_int(t, 256)};
    ETF(t, tree_list(t, mixed, 2), NULL, 131, 108, 0, 0, 0, 2, 97, 1, 98, 0, 0, 1, 0, 106);
    ETF(t, tree_tuple(t, NULL, 0), NULL, 131, 104, 0);
    ETF(t, tree_tuple2(t, tree_int(t, 1), tree_true(t)), NULL, 131, 104, 2, 97, 1, 119, 4, 't',
        'r', 'u', 'e');
    tree_free(t);
}

static exs_ref meta_lc(exs_tree *t, uint32_t line, uint32_t col) {
    exs_meta_kv kv[] = {{EXS_META_LINE, 0, line}, {EXS_META_COLUMN, 0, col}};
    return tree_meta(t, kv, 2);
}

TEST(etf_ast_node_and_ids) {
    exs_tree *t = tree_new();
    /* {:x, [line: 1], nil} */
    exs_meta_kv kv[] = {{EXS_META_LINE, 0, 1}};
    exs_ref x = tree_tuple3(t, atom(t, "x"), tree_meta(t, kv, 1), tree_nil(t));
    ETF(t, x, NULL, 131, 104, 3, 119, 1, 'x', 108, 0, 0, 0, 1, 104, 2, 119, 4, 'l', 'i', 'n',
        'e', 97, 1, 106, 119, 3, 'n', 'i', 'l');
    t->root = x;
    uint64_t *ids = calloc(t->count, sizeof *ids);
    ids[x] = ((uint64_t)1 << 42) | ((uint64_t)2 << 20) | 3; /* exs:1:2:3 */
    ETF(t, x, ids, 131, 104, 3, 119, 1, 'x', 108, 0, 0, 0, 2, 104, 2, 119, 4, 'l', 'i', 'n', 'e',
        97, 1, 104, 2, 119, 7, 'n', 'o', 'd', 'e', '_', 'i', 'd', 109, 0, 0, 0, 9, 'e', 'x', 's',
        ':', '1', ':', '2', ':', '3', 106, 119, 3, 'n', 'i', 'l');
    /* an empty meta gets just the node_id entry */
    exs_ref y = tree_tuple3(t, atom(t, "y"), tree_meta(t, NULL, 0), tree_nil(t));
    ETF(t, y, NULL, 131, 104, 3, 119, 1, 'y', 106, 119, 3, 'n', 'i', 'l');
    free(ids);
    tree_free(t);
}

TEST(elixir_integers) {
    exs_tree *t = tree_new();
    ASSERT_STR_EQ(ex(t, tree_int(t, 0), NULL), "0");
    ASSERT_STR_EQ(ex(t, tree_int(t, -42), NULL), "-42");
    ASSERT_STR_EQ(ex(t, tree_int(t, INT64_MIN), NULL), "-9223372036854775808");
    static const uint8_t mag[] = {0, 0, 0, 0, 0, 0, 0, 0, 1}; /* 2^64 */
    ASSERT_STR_EQ(ex(t, tree_bigint(t, mag, sizeof mag, false), NULL), "18446744073709551616");
    ASSERT_STR_EQ(ex(t, tree_bigint(t, mag, sizeof mag, true), NULL), "-18446744073709551616");
    static const uint8_t e30[] = {0x00, 0x00, 0x00, 0x40, 0xEA, 0xED, 0x74, 0x46, 0xD0, 0x9C,
                                  0x2C, 0x9F, 0x0C}; /* 10^30 */
    ASSERT_STR_EQ(ex(t, tree_bigint(t, e30, sizeof e30, false), NULL),
                  "1000000000000000000000000000000");
    tree_free(t);
}

TEST(elixir_floats) {
    exs_tree *t = tree_new();
    static const struct {
        double v;
        const char *s;
    } cases[] = {
        {0.0, "0.0"},         {-0.0, "-0.0"},         {1.0, "1.0"},
        {0.1, "0.1"},         {1.0e20, "1.0e20"},     {1.0e-5, "1.0e-5"},
        {1.0e16, "1.0e16"},   {1.0e15, "1000000000000000.0"},     {9007199254740992.0, "9007199254740992.0"},
        {1.5e300, "1.5e300"}, {5e-324, "5.0e-324"},   {0.0001, "0.0001"},
        {1.2e-4, "1.2e-4"},   {12345.678, "12345.678"}, {100.5, "100.5"},
        {1.2e5, "120000.0"},     {-2.5, "-2.5"},         {3.760142857142858e16, "3.760142857142858e16"},
        {1.7976931348623157e308, "1.7976931348623157e308"}, {0.3, "0.3"}, {0.002, "0.002"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ASSERT_STR_EQ(ex(t, tree_float(t, cases[i].v), NULL), cases[i].s);
    tree_free(t);
}

TEST(elixir_atoms) {
    exs_tree *t = tree_new();
    static const struct {
        const char *name, *s;
    } cases[] = {
        {"nil", "nil"},           {"true", "true"},           {"false", "false"},
        {"foo", ":foo"},          {"foo?", ":foo?"},          {"foo!", ":foo!"},
        {"Foo", ":Foo"},          {"foo@bar", ":foo@bar"},    {"_", ":_"},
        {"Elixir.Foo", "Foo"},    {"Elixir.Foo.Bar", "Foo.Bar"}, {"Elixir", "Elixir"},
        {"Elixir.Elixir", "Elixir.Elixir"}, {"Elixir.Elixir.Foo", "Elixir.Elixir.Foo"},
        {"Elixir.foo", ":\"Elixir.foo\""}, {"Foo.Bar", ":\"Foo.Bar\""},
        {"+", ":+"},              {"::", ":\"::\""},          {"//", ":\"//\""},
        {"\\\\", ":\\\\"},        {"..//", ":..//"},          {"%{}", ":%{}"},
        {"when", ":when"},        {"a b", ":\"a b\""},        {"", ":\"\""},
        {"foo?a", ":\"foo?a\""},  {"1a", ":\"1a\""},          {"with\"q", ":\"with\\\"q\""},
        {"#{x}", ":\"\\#{x}\""},  {"\n", ":\"\\n\""},         {"é", ":é"},
        {"olá", ":olá"},          {"日本", ":日本"},           {"Ωmega", ":\"Ωmega\""},
        {"µ", ":\"µ\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        ASSERT_STR_EQ(ex(t, atom(t, cases[i].name), NULL), cases[i].s);
    tree_free(t);
}

TEST(elixir_binaries) {
    exs_tree *t = tree_new();
    ASSERT_STR_EQ(ex(t, bin(t, ""), NULL), "\"\"");
    ASSERT_STR_EQ(ex(t, bin(t, "hello"), NULL), "\"hello\"");
    ASSERT_STR_EQ(ex(t, bin(t, "a\"b\\c#{d}\n\t\x1b\x7f"), NULL),
                  "\"a\\\"b\\\\c\\#{d}\\n\\t\\e\\d\"");
    ASSERT_STR_EQ(ex(t, bin(t, "olá \xef\xbb\xbf"), NULL), "\"olá \\uFEFF\"");
    ASSERT_STR_EQ(ex(t, tree_binary(t, "a\0", 2), NULL), "<<97, 0>>");
    ASSERT_STR_EQ(ex(t, bin(t, "\xff"), NULL), "<<255>>");
    ASSERT_STR_EQ(ex(t, bin(t, "\x01"), NULL), "<<1>>");
    ASSERT_STR_EQ(ex(t, bin(t, "\xc2\x85"), NULL), "<<194, 133>>"); /* U+0085 */
    tree_free(t);
}

TEST(elixir_lists) {
    exs_tree *t = tree_new();
    ASSERT_STR_EQ(ex(t, tree_empty_list(t), NULL), "[]");
    exs_ref abc[] = {tree_int(t, 'a'), tree_int(t, '\''), tree_int(t, '\n'), tree_int(t, '#'),
                     tree_int(t, '{')};
    ASSERT_STR_EQ(ex(t, tree_list(t, abc, 5), NULL), "'a\\'\\n\\#{'");
    exs_ref nums[] = {tree_int(t, 1), tree_int(t, 2)};
    ASSERT_STR_EQ(ex(t, tree_list(t, nums, 2), NULL), "[1, 2]");
    exs_ref kw[] = {tree_tuple2(t, atom(t, "line"), tree_int(t, 1)),
                    tree_tuple2(t, atom(t, "a b"), tree_nil(t)),
                    tree_tuple2(t, atom(t, "Elixir"), tree_true(t)),
                    tree_tuple2(t, atom(t, "+"), bin(t, "x"))};
    ASSERT_STR_EQ(ex(t, tree_list(t, kw, 4), NULL),
                  "[line: 1, \"a b\": nil, \"Elixir\": true, +: \"x\"]");
    exs_ref notkw[] = {tree_tuple2(t, atom(t, "Elixir.Foo"), tree_int(t, 1))};
    ASSERT_STR_EQ(ex(t, tree_list(t, notkw, 1), NULL), "[{Foo, 1}]");
    tree_free(t);
}

TEST(elixir_ast_node_and_ids) {
    exs_tree *t = tree_new();
    exs_ref one = tree_int(t, 1);
    exs_ref args[] = {tree_tuple3(t, atom(t, "x"), meta_lc(t, 1, 1), tree_nil(t)), one};
    exs_meta_kv kv[] = {{EXS_META_LINE, 0, 1}, {EXS_META_COLUMN, 0, 3},
                        {EXS_META_CLOSING, 1, meta_lc(t, 1, 6)}};
    exs_ref call = tree_tuple3(t, atom(t, "+"), tree_meta(t, kv, 3), tree_list(t, args, 2));
    ASSERT_STR_EQ(ex(t, call, NULL),
                  "{:+, [line: 1, column: 3, closing: [line: 1, column: 6]], "
                  "[{:x, [line: 1, column: 1], nil}, 1]}");
    uint64_t *ids = calloc(t->count, sizeof *ids);
    ids[call] = 5;
    ids[args[0]] = 6;
    ASSERT_STR_EQ(ex(t, call, ids),
                  "{:+, [line: 1, column: 3, closing: [line: 1, column: 6], node_id: "
                  "\"exs:0:0:5\"], [{:x, [line: 1, column: 1, node_id: \"exs:0:0:6\"], nil}, 1]}");
    ASSERT_STR_EQ(js(t, call, NULL),
                  "{\"node\":\"+\",\"meta\":{\"line\":1,\"column\":3,\"closing\":{\"line\":1,"
                  "\"column\":6}},\"args\":[{\"node\":\"x\",\"meta\":{\"line\":1,\"column\":1},"
                  "\"args\":null},1]}");
    ASSERT_STR_EQ(js(t, args[0], ids),
                  "{\"node\":\"x\",\"meta\":{\"line\":1,\"column\":1,\"node_id\":\"exs:0:0:6\"},"
                  "\"args\":null}");
    free(ids);
    tree_free(t);
}

TEST(elixir_tuples_and_meta) {
    exs_tree *t = tree_new();
    ASSERT_STR_EQ(ex(t, tree_tuple(t, NULL, 0), NULL), "{}");
    exs_ref three[] = {tree_int(t, 1), atom(t, "a"), bin(t, "b")};
    ASSERT_STR_EQ(ex(t, tree_tuple(t, three, 3), NULL), "{1, :a, \"b\"}");
    ASSERT_STR_EQ(ex(t, tree_meta(t, NULL, 0), NULL), "[]");
    exs_meta_kv kv[] = {{EXS_META_DELIMITER, 1, bin(t, "\"")}, {EXS_META_NO_PARENS, 1, 1}};
    ASSERT_STR_EQ(ex(t, tree_meta(t, kv, 2), NULL), "[delimiter: \"\\\"\", no_parens: true]");
    tree_free(t);
}

TEST(json_scalars) {
    exs_tree *t = tree_new();
    ASSERT_STR_EQ(js(t, tree_nil(t), NULL), "null");
    ASSERT_STR_EQ(js(t, tree_true(t), NULL), "true");
    ASSERT_STR_EQ(js(t, atom(t, "ok"), NULL), "{\"atom\":\"ok\"}");
    ASSERT_STR_EQ(js(t, tree_int(t, -12), NULL), "-12");
    ASSERT_STR_EQ(js(t, tree_int(t, 9007199254740992LL), NULL), "{\"int\":\"9007199254740992\"}");
    ASSERT_STR_EQ(js(t, tree_int(t, 9007199254740991LL), NULL), "9007199254740991");
    static const uint8_t mag[] = {0, 0, 0, 0, 0, 0, 0, 0, 1};
    ASSERT_STR_EQ(js(t, tree_bigint(t, mag, sizeof mag, true), NULL),
                  "{\"int\":\"-18446744073709551616\"}");
    ASSERT_STR_EQ(js(t, tree_float(t, 0.1), NULL), "{\"float\":0.1}");
    ASSERT_STR_EQ(js(t, tree_float(t, 1.0), NULL), "{\"float\":1}");
    ASSERT_STR_EQ(js(t, tree_float(t, 1e20), NULL), "{\"float\":1e+20}");
    ASSERT_STR_EQ(js(t, tree_float(t, -0.0), NULL), "{\"float\":-0}");
    ASSERT_STR_EQ(js(t, bin(t, "a\"\\\n\x01\x7f é"), NULL), "\"a\\\"\\\\\\n\\u0001\x7f é\"");
    ASSERT_STR_EQ(js(t, bin(t, "\xff\xfe"), NULL), "{\"bytes\":\"//4=\"}");
    ASSERT_STR_EQ(js(t, tree_binary(t, "", 0), NULL), "\"\"");
    exs_ref two[] = {tree_int(t, 1), tree_empty_list(t)};
    ASSERT_STR_EQ(js(t, tree_tuple(t, two, 2), NULL), "{\"tuple\":[1,[]]}");
    ASSERT_STR_EQ(js(t, tree_meta(t, NULL, 0), NULL), "{}");
    tree_free(t);
}

TEST(json_callee) {
    exs_tree *t = tree_new();
    /* {{:., [], [Foo, :bar]}, [], []} */
    exs_ref dargs[] = {atom(t, "Elixir.Foo"), atom(t, "bar")};
    exs_ref dot = tree_tuple3(t, atom(t, "."), tree_meta(t, NULL, 0), tree_list(t, dargs, 2));
    exs_ref call = tree_tuple3(t, dot, tree_meta(t, NULL, 0), tree_empty_list(t));
    ASSERT_STR_EQ(js(t, call, NULL),
                  "{\"callee\":{\"node\":\".\",\"meta\":{},\"args\":[{\"atom\":\"Elixir.Foo\"},"
                  "{\"atom\":\"bar\"}]},\"meta\":{},\"args\":[]}");
    ASSERT_STR_EQ(ex(t, call, NULL), "{{:., [], [Foo, :bar]}, [], []}");
    tree_free(t);
}

TEST(node_id_printable) {
    char buf[40];
    exs_node_id id = ((uint64_t)0x3FFFFF << 42) | ((uint64_t)0xABCDE << 20) | 0xFFFFF;
    ASSERT_STR_EQ(exs_node_id_format(id, buf), "exs:3fffff:abcde:fffff");
    exs_node_id back = 0;
    ASSERT(exs_node_id_parse(buf, &back));
    ASSERT_EQ(back, id);
    ASSERT(exs_node_id_parse("exs:0:0:0", &back));
    ASSERT_EQ(back, 0);
    ASSERT(exs_node_id_parse("exs:A:B:C", &back));
    ASSERT_EQ(back, ((uint64_t)10 << 42) | ((uint64_t)11 << 20) | 12);
    ASSERT(!exs_node_id_parse("exs:400000:0:0", &back)); /* file > 22 bits */
    ASSERT(!exs_node_id_parse("exs:0:0:100000", &back)); /* local > 20 bits */
    ASSERT(!exs_node_id_parse("exs:0:0", &back));
    ASSERT(!exs_node_id_parse("exs:0:0:0:", &back));
    ASSERT(!exs_node_id_parse("exs::0:0", &back));
    ASSERT(!exs_node_id_parse("xs:0:0:0", &back));
    ASSERT(!exs_node_id_parse("exs:0:0:0 ", &back));
    ASSERT(!exs_node_id_parse("exs:000000001:0:0", &back));
    ASSERT(!exs_node_id_parse(NULL, &back));
}

TEST_LIST(TEST_ENTRY(etf_integers), TEST_ENTRY(etf_large_big), TEST_ENTRY(etf_float_atom_binary),
          TEST_ENTRY(etf_lists_tuples), TEST_ENTRY(etf_ast_node_and_ids),
          TEST_ENTRY(elixir_integers), TEST_ENTRY(elixir_floats), TEST_ENTRY(elixir_atoms),
          TEST_ENTRY(elixir_binaries), TEST_ENTRY(elixir_lists),
          TEST_ENTRY(elixir_ast_node_and_ids), TEST_ENTRY(elixir_tuples_and_meta),
          TEST_ENTRY(json_scalars), TEST_ENTRY(json_callee), TEST_ENTRY(node_id_printable))
