/* test_query.c: the query language (docs/queries.md): every operator, ordering, the
 * projection, limit/offset, cursor pagination across a concurrent change, the
 * planner's index choices (explain), the builder, and errors with their positions.
 * A small fixture project is written to a temporary directory and indexed. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exscope.h"
#include "harness.h"

static char tmpdir[64];
static char path_a[128], path_b[128], path_c[128];

static void write_file(const char *path, const char *src) {
    FILE *f = fopen(path, "w");
    ASSERT(f);
    fputs(src, f);
    fclose(f);
}

static const char *SRC_A = "defmodule Shop.Cart do\n"
                           "  def add(cart, item) do\n"
                           "    if item do\n"
                           "      Enum.map(cart, &(&1))\n"
                           "    else\n"
                           "      cart\n"
                           "    end\n"
                           "  end\n"
                           "  defp total(cart), do: Enum.sum(cart)\n"
                           "  def empty?(cart), do: total(cart) == 0\n"
                           "  defmacro cart_macro(x), do: x\n"
                           "end\n";
static const char *SRC_B = "defmodule Shop.Order do\n"
                           "  def place(o) do\n"
                           "    case o do\n"
                           "      :a -> Shop.Cart.add(o, 1)\n"
                           "      :b -> Shop.Cart.add(o, 2)\n"
                           "      :c -> Enum.map(o, fn x -> x end)\n"
                           "      _ -> nil\n"
                           "    end\n"
                           "  end\n"
                           "  def cancel(o), do: Shop.Cart.empty?(o)\n"
                           "end\n";
static const char *SRC_C = "defmodule Util do\n"
                           "  def a_1(x), do: x\n"
                           "  def b_2(x), do: x\n"
                           "  def c_3(x), do: x\n"
                           "  def d_4(x), do: x\n"
                           "  def e_5(x), do: x\n"
                           "end\n";

static exs_repo *setup(void) {
    strcpy(tmpdir, "/tmp/exs_query_XXXXXX");
    ASSERT(mkdtemp(tmpdir));
    snprintf(path_a, sizeof(path_a), "%s/cart.ex", tmpdir);
    snprintf(path_b, sizeof(path_b), "%s/order.ex", tmpdir);
    snprintf(path_c, sizeof(path_c), "%s/util.ex", tmpdir);
    write_file(path_a, SRC_A);
    write_file(path_b, SRC_B);
    write_file(path_c, SRC_C);
    exs_repo *r = exs_repo_new();
    ASSERT(r);
    exs_index_options o = {.threads = 2};
    ASSERT_EQ(exs_repo_index_dir(r, tmpdir, &o, NULL), EXS_OK);
    return r;
}

static void teardown(exs_repo *r) {
    exs_repo_free(r);
    unlink(path_a);
    unlink(path_b);
    unlink(path_c);
    rmdir(tmpdir);
}

/* Runs `text` and returns the rows as one string "v1 v2|v1 v2|..." of the selected
 * columns (malloc'd). */
static char *run(exs_repo *r, const char *text) {
    exs_query *q = NULL;
    exs_error err;
    exs_status st = exs_query_parse(text, &q, &err);
    if (st != EXS_OK) TEST_FAIL_("parse failed: %s: %s", text, err.message);
    exs_snapshot *s = exs_repo_snapshot(r);
    exs_query_result *res = NULL;
    ASSERT_EQ(exs_query_run(q, s, &res, &err), EXS_OK);
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(1, cap);
    for (uint32_t i = 0; i < exs_query_result_rows(res); i++) {
        if (i) len += (size_t)snprintf(out + len, cap - len, "|");
        for (uint32_t c = 0; c < exs_query_result_columns(res); c++) {
            exs_query_value v = exs_query_result_value(res, i, c);
            if (c) len += (size_t)snprintf(out + len, cap - len, " ");
            if (v.is_null) len += (size_t)snprintf(out + len, cap - len, "null");
            else if (v.is_int) len += (size_t)snprintf(out + len, cap - len, "%lld", (long long)v.i);
            else len += (size_t)snprintf(out + len, cap - len, "%s", v.s);
        }
    }
    exs_query_result_free(res);
    exs_snapshot_release(s);
    exs_query_free(q);
    return out;
}

#define ASSERT_ROWS(r, text, expected)                                                 \
    do {                                                                               \
        char *got_ = run(r, text);                                                     \
        if (strcmp(got_, expected) != 0)                                               \
            TEST_FAIL_("%s\n  got:      %s\n  expected: %s", text, got_, expected);    \
        free(got_);                                                                    \
    } while (0)

TEST(comparisons) {
    exs_repo *r = setup();
    ASSERT_ROWS(r, "from functions where module = \"Util\" and name = \"c_3\" select name", "c_3");
    ASSERT_ROWS(r, "from functions where module = \"Util\" and name != \"c_3\" select name",
                "a_1|b_2|d_4|e_5");
    ASSERT_ROWS(r, "from functions where module = \"Util\" and line < 3 select name", "a_1");
    ASSERT_ROWS(r, "from functions where module = \"Util\" and line <= 3 select name", "a_1|b_2");
    ASSERT_ROWS(r, "from functions where module = \"Util\" and line > 5 select name", "e_5");
    ASSERT_ROWS(r, "from functions where module = \"Util\" and line >= 5 select name", "d_4|e_5");
    ASSERT_ROWS(r, "from functions where module = \"Util\" and name in (\"b_2\", \"e_5\", \"zz\") select name",
                "b_2|e_5");
    ASSERT_ROWS(r, "from functions where module = \"Util\" and name not in (\"b_2\", \"e_5\") select name",
                "a_1|c_3|d_4");
    ASSERT_ROWS(r, "from functions where name > \"d\" and module == 'Util' select name", "d_4|e_5");
    teardown(r);
}

TEST(string_operators) {
    exs_repo *r = setup();
    ASSERT_ROWS(r, "from functions where name contains \"_3\" select mfa", "Util.c_3/1");
    ASSERT_ROWS(r, "from functions where module starts_with \"Shop.O\" select mfa",
                "Shop.Order.place/1|Shop.Order.cancel/1");
    ASSERT_ROWS(r, "from functions where name ends_with \"?\" select mfa", "Shop.Cart.empty?/1");
    ASSERT_ROWS(r, "from functions where name matches /^[a-c]_\\d$/ select name", "a_1|b_2|c_3");
    ASSERT_ROWS(r, "from functions where name matches \"^E_5$\" select name", "");
    ASSERT_ROWS(r, "from functions where name matches /^E_5$/i select name", "e_5");
    ASSERT_ROWS(r, "from functions where module = \"Util\" and not name matches /[a-d]/ select name", "e_5");
    ASSERT_ROWS(r, "from functions where module = \"Util\" and name not contains \"_\" select name", "");
    teardown(r);
}

TEST(booleans_null_and_logic) {
    exs_repo *r = setup();
    ASSERT_ROWS(r, "from functions where public = false select name", "total");
    ASSERT_ROWS(r, "from functions where macro = true select name", "cart_macro");
    ASSERT_ROWS(r, "from calls where caller is null select name", "");
    /* no stdlib layer here: Enum.map is unresolved, its callee null */
    ASSERT_ROWS(r, "from calls where callee is null and name = \"map\" select module, resolution",
                "Enum unresolved|Enum unresolved");
    ASSERT_ROWS(r, "from calls where callee is not null and caller = \"Shop.Order.cancel/1\" select callee",
                "Shop.Cart.empty?/1");
    ASSERT_ROWS(r, "from functions where (name = \"a_1\" or name = \"b_2\") and not (line = 2) select name",
                "b_2");
    ASSERT_ROWS(r, "from functions where name = \"a_1\" or name = \"b_2\" and line = 2 select name",
                "a_1");
    ASSERT_ROWS(r, "from functions where not not name = \"a_1\" select name", "a_1");
    teardown(r);
}

TEST(order_limit_offset) {
    exs_repo *r = setup();
    ASSERT_ROWS(r, "from functions where module = \"Util\" select name order by name desc",
                "e_5|d_4|c_3|b_2|a_1");
    ASSERT_ROWS(r, "from functions where module = \"Util\" select name order by name desc limit 2",
                "e_5|d_4");
    ASSERT_ROWS(r, "from functions where module = \"Util\" select name order by name limit 2 offset 2",
                "c_3|d_4");
    ASSERT_ROWS(r, "from functions where module = \"Util\" select name limit 10 offset 9", "");
    ASSERT_ROWS(r, "from functions select mfa, complexity order by complexity desc, mfa limit 2",
                "Shop.Order.place/1 5|Shop.Cart.add/2 2");
    ASSERT_ROWS(r, "from modules select name, functions order by functions desc",
                "Util 5|Shop.Cart 4|Shop.Order 2");
    ASSERT_ROWS(r, "from files where functions >= 4 select modules, functions order by functions", "1 4|1 5");
    teardown(r);
}

TEST(joins) {
    exs_repo *r = setup();
    ASSERT_ROWS(r, "from functions where calls \"Enum.map/2\" select mfa", ""); /* unresolved */
    ASSERT_ROWS(r, "from functions where calls \"Shop.Cart.total/1\" select mfa", "Shop.Cart.empty?/1");
    ASSERT_ROWS(r, "from functions where calls \"Shop.Cart.add/2\" select mfa", "Shop.Order.place/1");
    ASSERT_ROWS(r, "from functions where called_by \"Shop.Order.place/1\" select mfa", "Shop.Cart.add/2");
    ASSERT_ROWS(r, "from functions where called_by \"Shop.Cart.empty?/1\" select mfa", "Shop.Cart.total/1");
    ASSERT_ROWS(r, "from calls where callee = \"Shop.Cart.add/2\" select caller, line",
                "Shop.Order.place/1 4|Shop.Order.place/1 5");
    ASSERT_ROWS(r, "from functions where mfa = \"Shop.Cart.add/2\" select callers, callees", "2 2");
    ASSERT_ROWS(r, "from functions where callers > 0 select mfa order by callers desc, mfa",
                "Shop.Cart.add/2|Shop.Cart.empty?/1|Shop.Cart.total/1");
    teardown(r);
}

static char *explain(exs_repo *r, const char *text) {
    exs_query *q = NULL;
    ASSERT_EQ(exs_query_parse(text, &q, NULL), EXS_OK);
    exs_snapshot *s = exs_repo_snapshot(r);
    char *out = NULL;
    ASSERT_EQ(exs_query_explain(q, s, &out), EXS_OK);
    exs_snapshot_release(s);
    exs_query_free(q);
    return out;
}

#define ASSERT_PLAN(r, text, needle)                                                   \
    do {                                                                               \
        char *p_ = explain(r, text);                                                   \
        if (!strstr(p_, needle)) TEST_FAIL_("%s\n  plan: %s\n  wanted: %s", text, p_, needle); \
        exs_free(p_);                                                                  \
    } while (0)

TEST(planner) {
    exs_repo *r = setup();
    ASSERT_PLAN(r, "from functions where mfa = \"Util.a_1/1\"", "function index (by MFA)");
    ASSERT_PLAN(r, "from functions where complexity >= 11", "complexity bucket index");
    ASSERT_PLAN(r, "from functions where calls \"Shop.Cart.add/2\"", "callers index");
    ASSERT_PLAN(r, "from functions where called_by \"Shop.Order.place/1\"", "callees index");
    ASSERT_PLAN(r, "from calls where callee = \"Shop.Cart.add/2\"", "callers index");
    ASSERT_PLAN(r, "from calls where caller = \"Shop.Order.place/1\"", "callees index");
    ASSERT_PLAN(r, "from functions where file starts_with \"/nonexistent\"", "file index");
    ASSERT_PLAN(r, "from modules where name contains \"Shop\"", "full scan");
    ASSERT_PLAN(r, "from functions where module = \"Util\"", "module index");
    ASSERT_PLAN(r, "from modules where name = \"Util\"", "module index");
    ASSERT_ROWS(r, "from functions where module = \"Shop.Order\" select name", "place|cancel");
    /* cheapest filter first: the regex after the integer compare */
    char *p = explain(r, "from functions where name matches /x/ and arity = 1");
    ASSERT(strstr(p, "arity = 1") < strstr(p, "name matches"));
    exs_free(p);
    /* the smallest candidate set wins */
    ASSERT_PLAN(r, "from functions where complexity >= 1 and mfa = \"Util.a_1/1\"", "function index");
    ASSERT_ROWS(r, "from functions where mfa = \"Nope.x/1\" select name", "");
    ASSERT_ROWS(r, "from functions where complexity >= 4 select name", "place");
    ASSERT_ROWS(r, "from functions where complexity = 2 select name", "add");
    ASSERT_ROWS(r, "from functions where complexity > 3 and complexity < 2 select name", "");
    teardown(r);
}

TEST(cursor_pagination_across_a_change) {
    exs_repo *r = setup();
    exs_query *q = NULL;
    ASSERT_EQ(exs_query_parse("from functions where module = \"Util\" select name order by name limit 2",
                              &q, NULL), EXS_OK);
    exs_snapshot *s = exs_repo_snapshot(r);
    exs_query_result *res = NULL;
    ASSERT_EQ(exs_query_run(q, s, &res, NULL), EXS_OK);
    ASSERT_EQ(exs_query_result_rows(res), 2);
    ASSERT_STR_EQ(exs_query_result_value(res, 1, 0).s, "b_2");
    const char *cur = exs_query_result_cursor(res);
    ASSERT(cur);
    ASSERT_EQ(exs_query_after(q, cur), EXS_OK);
    exs_query_result_free(res);
    exs_snapshot_release(s);
    /* a concurrent change: a_1 removed, a_0 and c_2 added; the next page starts after
       b_2 whatever moved before it */
    write_file(path_c, "defmodule Util do\n  def a_0(x), do: x\n  def b_2(x), do: x\n"
                       "  def c_2(x), do: x\n  def c_3(x), do: x\n  def d_4(x), do: x\n"
                       "  def e_5(x), do: x\nend\n");
    const char *pc = path_c;
    ASSERT_EQ(exs_repo_update_files(r, &pc, 1, NULL, NULL), EXS_OK);
    s = exs_repo_snapshot(r);
    ASSERT_EQ(exs_query_run(q, s, &res, NULL), EXS_OK);
    ASSERT_EQ(exs_query_result_rows(res), 2);
    ASSERT_STR_EQ(exs_query_result_value(res, 0, 0).s, "c_2");
    ASSERT_STR_EQ(exs_query_result_value(res, 1, 0).s, "c_3");
    ASSERT(exs_query_result_cursor(res));
    ASSERT_EQ(exs_query_after(q, exs_query_result_cursor(res)), EXS_OK);
    exs_query_result_free(res);
    ASSERT_EQ(exs_query_run(q, s, &res, NULL), EXS_OK);
    ASSERT_EQ(exs_query_result_rows(res), 2);
    ASSERT_STR_EQ(exs_query_result_value(res, 1, 0).s, "e_5");
    ASSERT(!exs_query_result_cursor(res)); /* the last page */
    exs_query_result_free(res);
    /* a cursor of another query is refused */
    exs_query *q2 = NULL;
    ASSERT_EQ(exs_query_parse("from calls limit 1 after \"f7:00\"", &q2, NULL), EXS_OK);
    exs_error err;
    ASSERT_EQ(exs_query_run(q2, s, &res, &err), EXS_ERR_ARG);
    exs_query_free(q2);
    exs_snapshot_release(s);
    exs_query_free(q);
    teardown(r);
}

TEST(builder_matches_text) {
    exs_repo *r = setup();
    exs_query *q = exs_query_new(EXS_QUERY_FUNCTIONS);
    ASSERT(q);
    ASSERT_EQ(exs_query_where_str(q, "module", "starts_with", "Shop"), EXS_OK);
    ASSERT_EQ(exs_query_where_int(q, "complexity", ">=", 1), EXS_OK);
    ASSERT_EQ(exs_query_where_text(q, "public = true or macro = true", NULL), EXS_OK);
    ASSERT_EQ(exs_query_where_calls(q, "Shop.Cart.add/2"), EXS_OK);
    ASSERT_EQ(exs_query_select(q, "mfa"), EXS_OK);
    ASSERT_EQ(exs_query_order_by(q, "line", true), EXS_OK);
    exs_query_limit(q, 5, 0);
    ASSERT_EQ(exs_query_where_str(q, "nope", "=", "x"), EXS_ERR_ARG);
    ASSERT_EQ(exs_query_where_int(q, "name", "=", 3), EXS_ERR_ARG);
    ASSERT_EQ(exs_query_where_str(q, "name", "matches", "("), EXS_ERR_ARG);
    ASSERT_EQ(exs_query_where_calls(q, "not an mfa"), EXS_ERR_ARG);
    exs_snapshot *s = exs_repo_snapshot(r);
    exs_query_result *res = NULL;
    ASSERT_EQ(exs_query_run(q, s, &res, NULL), EXS_OK);
    ASSERT_EQ(exs_query_result_rows(res), 1);
    ASSERT_STR_EQ(exs_query_result_value(res, 0, 0).s, "Shop.Order.place/1");
    char *json = NULL;
    size_t len;
    ASSERT_EQ(exs_query_result_write(res, true, &json, &len), EXS_OK);
    ASSERT(strstr(json, "\"columns\":[\"mfa\"]"));
    ASSERT(strstr(json, "\"mfa\":\"Shop.Order.place/1\""));
    ASSERT(strstr(json, "\"matched\":1"));
    exs_free(json);
    exs_query_result_free(res);
    exs_snapshot_release(s);
    exs_query_free(q);
    teardown(r);
}

/* Every malformed query: EXS_ERR_SYNTAX, the column of the offending token, a hint. */
TEST(errors) {
    static const struct {
        const char *text;
        uint32_t column;
        const char *msg;
    } cases[] = {
        {"", 1, "expected 'from'"},
        {"select name", 1, "expected 'from'"},
        {"from fns", 6, "expected a source"},
        {"from functions where complexty > 3", 22, "unknown field 'complexty'"},
        {"from functions where name = 3", 29, "expected a string"},
        {"from functions where arity = \"2\"", 30, "expected a number"},
        {"from functions where name contains", 35, "expected a string"},
        {"from functions where (name = \"a\"", 33, "expected ')'"},
        {"from functions where name matches /(/", 37, "bad regex"},
        {"from functions where name matches /abc", 35, "unterminated regex"},
        {"from functions where arity contains \"1\"", 28, "needs a string field"},
        {"from functions where name = \"a\" limit -1", 39, "non-negative"},
        {"from functions where name = \"a\" name", 33, "expected the end"},
        {"from functions where name is nul", 30, "expected 'null'"},
        {"from functions where name ~ \"a\"", 27, "expected an operator"},
        {"from calls where calls \"A.b/1\"", 18, "needs from functions"},
        {"from functions where calls \"A.b\"", 28, "not a Module.name/arity"},
        {"from functions where name = \"unterminated", 29, "unterminated string"},
        {"from functions order by nope", 25, "unknown field"},
        {"from functions where public = yes", 31, "true or false"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        exs_query *q = NULL;
        exs_error err;
        exs_status st = exs_query_parse(cases[i].text, &q, &err);
        if (st != EXS_ERR_SYNTAX) TEST_FAIL_("'%s' parsed (status %d)", cases[i].text, st);
        if (err.column != cases[i].column || !strstr(err.message, cases[i].msg))
            TEST_FAIL_("'%s': column %u, message '%s'; expected column %u, '%s'", cases[i].text,
                       err.column, err.message, cases[i].column, cases[i].msg);
        if (!strstr(err.message, "\nhint: ") && !strstr(cases[i].msg, "bad character"))
            TEST_FAIL_("'%s': no hint in '%s'", cases[i].text, err.message);
        ASSERT(!q);
    }
    /* deep nesting is an error, not a stack overflow */
    char deep[3000];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof(deep), "from functions where ");
    for (int i = 0; i < 500; i++) deep[n++] = '(';
    snprintf(deep + n, sizeof(deep) - n, "arity = 1");
    exs_query *q = NULL;
    ASSERT_EQ(exs_query_parse(deep, &q, NULL), EXS_ERR_SYNTAX);
}

TEST_LIST(TEST_ENTRY(comparisons), TEST_ENTRY(string_operators),
          TEST_ENTRY(booleans_null_and_logic), TEST_ENTRY(order_limit_offset), TEST_ENTRY(joins),
          TEST_ENTRY(planner), TEST_ENTRY(cursor_pagination_across_a_change),
          TEST_ENTRY(builder_matches_text), TEST_ENTRY(errors))
