/* test_parse.c: tests of the public parsing API (exs_parse, exs_file_write) as a
 * caller sees it.
 *
 * What the lexer and writer tests cannot show: errors reach the caller with Elixir's
 * line/column and the caller's path; hostile input (deep nesting of every kind, 1M-term
 * operator chains, binary files, invalid UTF-8, 10 MB lines) ends in a clean error or a
 * parse, in bounded time and memory, never a crash; results are deterministic and
 * parses may run on several threads at once. Expected terms and positions come from
 * Elixir 1.14's Code.string_to_quoted/2; the harness timeout bounds the running time.
 * Every input is copied to an exact-size heap buffer, so ASan builds catch over-reads. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <sys/resource.h>

#include "exscope.h"
#include "harness.h"

typedef struct {
    exs_status st;
    exs_file *f;
    exs_error err;
} parsed;

static parsed parse_opts(const char *src, size_t len, const exs_parse_options *o) {
    parsed r;
    memset(&r, 0, sizeof(r));
    char *buf = malloc(len ? len : 1);
    ASSERT(buf);
    memcpy(buf, src, len);
    r.st = exs_parse(buf, len, "t.ex", o, &r.f, &r.err);
    free(buf);
    if (r.st == EXS_OK)
        ASSERT(r.f);
    else
        ASSERT(r.f == NULL);
    return r;
}

static parsed parse_n(const char *src, size_t len) {
    exs_parse_options o = {.columns = true};
    return parse_opts(src, len, &o);
}

static parsed parse(const char *src) { return parse_n(src, strlen(src)); }

/* The file as Elixir text (without the newline); caller frees. */
static char *text(const exs_file *f, bool node_ids) {
    exs_write_options wo = {.node_ids = node_ids};
    char *out = NULL;
    size_t len = 0;
    ASSERT_EQ(exs_file_write(f, EXS_FORMAT_ELIXIR, &wo, &out, &len), EXS_OK);
    ASSERT(len > 0 && out[len - 1] == '\n' && out[len] == 0);
    out[len - 1] = 0;
    return out;
}

/* Parses with columns: true and expects `expected` as Elixir text. */
static void expect_term(const char *src, const char *expected) {
    parsed r = parse(src);
    if (r.st != EXS_OK)
        TEST_FAIL_("parse of %s: %s: %s", src, exs_status_name(r.st), r.err.message);
    char *s = text(r.f, false);
    ASSERT_STR_EQ(s, expected);
    exs_free(s);
    exs_file_free(r.f);
}

/* Parses and expects a syntax error at line:col whose message contains `needle`. */
static void expect_error(const char *src, size_t len, exs_status st, uint32_t line, uint32_t col,
                         const char *needle) {
    parsed r = parse_n(src, len);
    if (r.st != st)
        TEST_FAIL_("parse of %.60s: got %s (%s), expected %s", src, exs_status_name(r.st),
                   r.err.message, exs_status_name(st));
    ASSERT_EQ(r.err.code, st);
    ASSERT(r.err.message[0]);
    if (line) ASSERT_EQ(r.err.line, line);
    if (col) ASSERT_EQ(r.err.column, col);
    if (needle && !strstr(r.err.message, needle))
        TEST_FAIL_("message \"%s\" lacks \"%s\"", r.err.message, needle);
}

/* Repeats `unit` n times between `head` and `tail` (heap string; caller frees). */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail,
                    size_t *out_len) {
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    size_t len = hl + ul * n + tl;
    char *s = malloc(len + 1), *p = s;
    ASSERT(s);
    memcpy(p, head, hl), p += hl;
    for (size_t i = 0; i < n; i++)
        memcpy(p, unit, ul), p += ul;
    memcpy(p, tail, tl), p += tl;
    *p = 0;
    *out_len = len;
    return s;
}

/* unit*n + mid + close*n: n levels of nesting. */
static char *nest(const char *unit, size_t n, const char *mid, const char *close, size_t *out_len) {
    size_t ul = strlen(unit), ml = strlen(mid), cl = strlen(close);
    size_t len = (ul + cl) * n + ml;
    char *s = malloc(len + 1), *p = s;
    ASSERT(s);
    for (size_t i = 0; i < n; i++)
        memcpy(p, unit, ul), p += ul;
    memcpy(p, mid, ml), p += ml;
    for (size_t i = 0; i < n; i++)
        memcpy(p, close, cl), p += cl;
    *p = 0;
    *out_len = len;
    return s;
}

/* Hostile input must end in OK or LIMIT (never SYNTAX: it is valid Elixir). */
static void expect_limit_or_ok(char *src, size_t len) {
    parsed r = parse_n(src, len);
    if (r.st != EXS_ERR_LIMIT && r.st != EXS_OK)
        TEST_FAIL_("%.40s...: %s: %s", src, exs_status_name(r.st), r.err.message);
    if (r.st == EXS_ERR_LIMIT) {
        ASSERT(r.err.line >= 1);
        ASSERT(strstr(r.err.message, "nesting too deep"));
    } else {
        exs_free(text(r.f, true)); /* the writers cope with what the parser accepted */
    }
    exs_file_free(r.f);
    free(src);
}

/* ---- results ------------------------------------------------------------------------ */

TEST(empty_input_is_empty_block) {
    expect_term("", "{:__block__, [], []}");
    /* whitespace and comments alone: Elixir gives the block the leading eol's position */
    expect_term("  \n# comment\n", "{:__block__, [line: 1, column: 3], []}");
    /* NULL source with length 0 is the empty source */
    exs_file *f = NULL;
    ASSERT_EQ(exs_parse(NULL, 0, NULL, NULL, &f, NULL), EXS_OK);
    char *s = text(f, false);
    ASSERT_STR_EQ(s, "{:__block__, [], []}");
    exs_free(s);
    exs_file_free(f);
}

TEST(terms_and_options) {
    expect_term("foo(1, \"a\")", "{:foo, [line: 1, column: 1], [1, \"a\"]}");
    expect_term("a\nb", "{:__block__, [], [{:a, [line: 1, column: 1], nil}, "
                        "{:b, [line: 2, column: 1], nil}]}");
    /* token_metadata adds closing:, as in docs/json.md */
    exs_parse_options o = {.columns = true, .token_metadata = true};
    parsed r = parse_opts("foo(1, \"a\")", 11, &o);
    ASSERT_EQ(r.st, EXS_OK);
    char *s = text(r.f, false);
    ASSERT_STR_EQ(s, "{:foo, [closing: [line: 1, column: 11], line: 1, column: 1], [1, \"a\"]}");
    exs_free(s);
    exs_file_free(r.f);
    /* without columns: lines only */
    r = parse_opts("x", 1, NULL);
    ASSERT_EQ(r.st, EXS_OK);
    s = text(r.f, false);
    ASSERT_STR_EQ(s, "{:x, [line: 1], nil}");
    exs_free(s);
    /* node IDs carry the file id */
    exs_file_free(r.f);
    o = (exs_parse_options){.file_id = 5};
    r = parse_opts("x", 1, &o);
    s = text(r.f, true);
    ASSERT(strstr(s, "node_id: \"exs:5:"));
    exs_free(s);
    exs_file_free(r.f);
}

TEST(bad_arguments) {
    exs_file *f = (exs_file *)&f;
    exs_error err;
    ASSERT_EQ(exs_parse(NULL, 3, "p", NULL, &f, &err), EXS_ERR_ARG);
    ASSERT_EQ(err.code, EXS_ERR_ARG);
    ASSERT(err.path && !strcmp(err.path, "p"));
    ASSERT_EQ(exs_parse("x", 1, NULL, NULL, NULL, NULL), EXS_ERR_ARG);
    ASSERT_EQ(exs_file_write(NULL, EXS_FORMAT_ETF, NULL, NULL, NULL), EXS_ERR_ARG);
    /* err may be NULL on an error */
    f = (exs_file *)&f;
    ASSERT_EQ(exs_parse("[1", 2, NULL, NULL, &f, NULL), EXS_ERR_SYNTAX);
    ASSERT(f == NULL);
    exs_file_free(NULL);
}

/* ---- errors ---------------------------------------------------------------------- */

TEST(syntax_errors_have_elixir_positions) {
    /* {[line: 1, column: 6], {"unexpected token: ", ". The \"[\" at line 1 is missing
     * terminator \"]\""}, ")"} */
    expect_error("[1, 2)", 6, EXS_ERR_SYNTAX, 1, 6, "missing terminator \"]\"");
    expect_error("x = \"abc", 8, EXS_ERR_SYNTAX, 1, 9, "missing terminator: \"");
    expect_error("foo(1,,2)", 9, EXS_ERR_SYNTAX, 1, 7, "syntax error before: ','");
    const char *s = "defmodule A do\n  def f do\n    1\n";
    expect_error(s, strlen(s), EXS_ERR_SYNTAX, 4, 1, "missing terminator: end");
    s = "x = 1\ny = 2 3\n";
    expect_error(s, strlen(s), EXS_ERR_SYNTAX, 2, 7, "syntax error before: \"3\"");
    expect_error("abc\n  def )\n", 12, EXS_ERR_SYNTAX, 2, 7, "unexpected token: )");
    expect_error("\"#{", 3, EXS_ERR_SYNTAX, 1, 2, "missing interpolation terminator");
    expect_error("~r/a", 4, EXS_ERR_SYNTAX, 1, 5, "missing terminator: /");
    expect_error("1 +", 3, EXS_ERR_SYNTAX, 1, 3, NULL);
}

TEST(error_path_is_callers_path) {
    static const char path[] = "lib/some/file.ex";
    exs_file *f = NULL;
    exs_error err;
    ASSERT_EQ(exs_parse("(", 1, path, NULL, &f, &err), EXS_ERR_SYNTAX);
    ASSERT(err.path == path); /* the same pointer, not a copy */
    ASSERT_EQ(exs_parse("(", 1, NULL, NULL, &f, &err), EXS_ERR_SYNTAX);
    ASSERT(err.path == NULL);
    /* success clears err */
    memset(&err, 0x55, sizeof(err));
    ASSERT_EQ(exs_parse("1", 1, path, NULL, &f, &err), EXS_OK);
    ASSERT_EQ(err.code, EXS_OK);
    exs_file_free(f);
}

TEST(nul_bytes_invalid_utf8_binary) {
    /* {[line: 1, column: 2], "unexpected token: ", "null byte (column 2, code point U+0000)"} */
    expect_error("a\0b", 3, EXS_ERR_SYNTAX, 1, 2, "null byte");
    expect_error("a = \"\xff\xfe\"", 8, EXS_ERR_SYNTAX, 1, 0, "invalid UTF-8");
    expect_error("\xc0\xaf", 2, EXS_ERR_SYNTAX, 1, 0, "invalid UTF-8");     /* overlong */
    expect_error("\xed\xa0\x80", 3, EXS_ERR_SYNTAX, 1, 0, "invalid UTF-8"); /* surrogate */
    expect_error("x = 1\n\xf4\x90\x80\x80", 10, EXS_ERR_SYNTAX, 2, 0, "invalid UTF-8");
    /* escapes can make an atom invalid UTF-8; Elixir raises ArgumentError there */
    expect_error(":\"\\xF6\"", 7, EXS_ERR_SYNTAX, 1, 1, "invalid UTF-8 in atom");
    expect_error("[\"a\\xF6\": 1]", 12, EXS_ERR_SYNTAX, 1, 2, "invalid UTF-8 in atom");
    expect_term(":\"\\xC3\\xA9\"", ":\xc3\xa9"); /* escapes spelling valid UTF-8 */
    expect_term("\"\\xF6\"", "<<246>>");         /* binaries may be anything */
    /* random bytes with NULs: a clear syntax error, many times over */
    uint32_t seed = 12345;
    for (int round = 0; round < 200; round++) {
        char buf[512];
        size_t len = 1 + round * 2;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (char)(seed >> 16);
        }
        buf[len / 2] = 0;
        parsed r = parse_n(buf, len);
        ASSERT_EQ(r.st, EXS_ERR_SYNTAX);
        ASSERT(r.err.line >= 1 && r.err.column >= 1 && r.err.message[0]);
    }
}

TEST(every_prefix_of_a_program) {
    static const char prog[] = "defmodule M do\n  @doc \"\"\"\n  Doc #{x}\n  \"\"\"\n"
                               "  def f(%{a: [1, 2 | t]} = m, <<b::8, _::binary>>) when b > 0 do\n"
                               "    for x <- t, do: ~s(#{x} #{\"y#{1}\"}) <> 'c'\n"
                               "  rescue\n    e in [E] -> &(&1 + e).(m[:a])\n  end\nend\n";
    size_t n = sizeof(prog) - 1;
    for (size_t len = 0; len <= n; len++) {
        parsed r = parse_n(prog, len);
        if (r.st != EXS_OK && r.st != EXS_ERR_SYNTAX)
            TEST_FAIL_("prefix %zu: %s", len, exs_status_name(r.st));
        if (r.st == EXS_ERR_SYNTAX) ASSERT(r.err.line >= 1 && r.err.message[0]);
        exs_file_free(r.f);
    }
    parsed r = parse_n(prog, n);
    ASSERT_EQ(r.st, EXS_OK);
    exs_file_free(r.f);
}

/* ---- limits -------------------------------------------------------------------------- */

TEST(deep_nesting_unclosed) {
    static const char *const units[] = {"(",      "[",         "{",  "<<",  "%{a: ", "\"#{",
                                        "fn -> ", "if a do\n", "f(", "'#{", "~s(#{", "quote do "};
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        size_t len;
        char *s = repeat("", units[i], 100000, "", &len);
        parsed r = parse_n(s, len);
        /* nesting limit first, else the missing terminator */
        if (r.st != EXS_ERR_LIMIT && r.st != EXS_ERR_SYNTAX)
            TEST_FAIL_("%s x 100000: %s", units[i], exs_status_name(r.st));
        ASSERT(r.err.line >= 1 && r.err.message[0]);
        free(s);
    }
}

TEST(deep_nesting_closed) {
    static const struct {
        const char *open, *mid, *close;
    } c[] = {{"(", "1", ")"},
             {"[", "", "]"},
             {"{", "", "}"},
             {"{a, ", "1", "}"},
             {"%{a: ", "1", "}"},
             {"<< ", "", " >>"},
             {"\"#{", "1", "}\""},
             {"fn -> ", "1", " end"},
             {"if a do\n", "1\n", "end\n"},
             {"f(", "1", ")"},
             {"a.b(", "1", ")"},
             {"[a: ", "1", "]"},
             {"~s(#{", "1", "})"},
             {"case a do\nb -> ", "1\n", "end\n"},
             {"x |> (", "1", ")"},
             {"%A{a: ", "1", "}"},
             {"[h | ", "t", "]"}};
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        size_t len;
        /* far past the limit: an error, never a crash */
        char *s = nest(c[i].open, 100000, c[i].mid, c[i].close, &len);
        parsed r = parse_n(s, len);
        if (r.st != EXS_ERR_LIMIT) TEST_FAIL_("%s x 100000: %s", c[i].open, exs_status_name(r.st));
        ASSERT(r.err.line >= 1 && strstr(r.err.message, "nesting too deep"));
        free(s);
        /* well within the default limit of 1000: parses */
        s = nest(c[i].open, 300, c[i].mid, c[i].close, &len);
        r = parse_n(s, len);
        if (r.st != EXS_OK) TEST_FAIL_("%s x 300: %s", c[i].open, r.err.message);
        exs_free(text(r.f, true));
        exs_file_free(r.f);
        free(s);
    }
}

TEST(max_depth_option) {
    exs_parse_options o = {.max_depth = 3};
    parsed r = parse_opts("[[[[1]]]]", 9, &o);
    ASSERT_EQ(r.st, EXS_ERR_LIMIT);
    ASSERT_EQ(r.err.code, EXS_ERR_LIMIT);
    r = parse_opts("[[1]]", 5, &o);
    ASSERT_EQ(r.st, EXS_OK);
    exs_file_free(r.f);
    o.max_depth = 5000; /* above the default */
    size_t len;
    char *s = nest("[", 2000, "", "]", &len);
    r = parse_opts(s, len, &o);
    ASSERT_EQ(r.st, EXS_OK);
    exs_free(text(r.f, true));
    exs_file_free(r.f);
    free(s);
}

/* expect_limit_or_ok on head + unit * n + tail */
#define CHAIN(head, unit, n, tail)                                                                 \
    do {                                                                                           \
        size_t len_;                                                                               \
        char *s_ = repeat(head, unit, n, tail, &len_);                                             \
        expect_limit_or_ok(s_, len_);                                                              \
    } while (0)

TEST(long_operator_chains) {
    size_t len;
    /* 1M terms, left-associative: the AST is 1M levels deep, so a limit error */
    CHAIN("1", "+1", 1000000, "");
    CHAIN("x", " |> f()", 300000, "");
    CHAIN("a", ".b", 1000000, "");
    CHAIN("a", "[1]", 1000000, "");
    CHAIN("f", ".()", 1000000, "");
    CHAIN("a", ".B.c", 300000, "");
    /* right-associative and unary chains recurse */
    CHAIN("", "a = ", 1000000, "1");
    CHAIN("", "- ", 1000000, "1");
    CHAIN("", "not ", 1000000, "a");
    CHAIN("", "!", 1000000, "a");
    CHAIN("", "& ", 1000000, "&1");
    CHAIN("", "a ++ ", 1000000, "b");
    /* loops nested in loops: ((1+1+...)+1+...)... , quadratic depth if unchecked */
    char *s = malloc(3000 * 1001 + 1), *p = s;
    for (int i = 0; i < 3000; i++)
        *p++ = '(';
    *p++ = '1';
    for (int i = 0; i < 3000; i++) {
        for (int k = 0; k < 333; k++)
            memcpy(p, "+1", 2), p += 2;
        *p++ = ')';
    }
    expect_limit_or_ok(s, (size_t)(p - s));
    /* a chain within the limit parses */
    s = repeat("1", "+1", 500, "", &len);
    parsed r = parse_n(s, len);
    ASSERT_EQ(r.st, EXS_OK);
    exs_file_free(r.f);
    free(s);
}

/* Peak resident memory of this (forked) test process, bytes. */
static size_t peak_rss(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (size_t)ru.ru_maxrss * 1024;
}

#if defined(__SANITIZE_ADDRESS__)
#define RSS_PER_BYTE 200 /* shadow memory, redzones and quarantine */
#elif defined(__SANITIZE_THREAD__)
#define RSS_PER_BYTE 400 /* TSan's shadow (4-8x) and its allocator */
#else
#define RSS_PER_BYTE 48
#endif

TEST(ten_mb_single_line) {
    size_t cap = 10u << 20, len = 0;
    char *s = malloc(cap + 16);
    ASSERT(s);
    s[len++] = '[';
    for (unsigned i = 1; len < cap; i++)
        len += (size_t)sprintf(s + len, "%u,", i);
    s[len - 1] = ']';
    size_t before = peak_rss();
    parsed r = parse_n(s, len);
    ASSERT_EQ(r.st, EXS_OK);
    ASSERT(exs_file_memory(r.f) < 16 * len);
    char *out = NULL;
    size_t out_len = 0;
    ASSERT_EQ(exs_file_write(r.f, EXS_FORMAT_ETF, NULL, &out, &out_len), EXS_OK);
    ASSERT(out_len > len / 2);
    exs_free(out);
    exs_file_free(r.f);
    size_t used = peak_rss() - before;
    if (used > RSS_PER_BYTE * len) TEST_FAIL_("peak RSS grew by %zu bytes for %zu", used, len);
    /* one 10 MB string literal */
    memset(s, 'a', cap);
    s[0] = '"';
    s[cap - 1] = '"';
    r = parse_n(s, cap);
    ASSERT_EQ(r.st, EXS_OK);
    exs_file_free(r.f);
    /* and 10 MB of one unterminated string: an error at its start */
    s[cap - 1] = 'a';
    r = parse_n(s, cap);
    ASSERT_EQ(r.st, EXS_ERR_SYNTAX);
    ASSERT(strstr(r.err.message, "missing terminator"));
    free(s);
}

/* ---- determinism and threads --------------------------------------------------------- */

static const char sample[] =
    "defmodule Sample do\n  @moduledoc \"\"\"\n  Docs with #{interp}.\n  \"\"\"\n"
    "  alias Foo.{Bar, Baz}\n"
    "  def run(%{items: items} = state, opts \\\\ []) when is_list(items) do\n"
    "    items\n    |> Enum.map(&transform(&1, opts[:mode]))\n"
    "    |> Enum.reduce(%{}, fn {k, v}, acc -> Map.put(acc, k, v) end)\n"
    "    |> then(&{:ok, &1, ~w(a b c)a, <<1, 2::4>>, 'cl', 1.5e3, 0xFF})\n"
    "  end\n\n  defp transform(x, :double), do: x * 2\n"
    "  defp transform(x, _), do: case x do\n    0 -> :zero\n    n when n > 0 -> :pos\n"
    "    _ -> :neg\n  end\nend\n";

/* The file in all three formats, node IDs on, concatenated; caller frees. */
static char *all_formats(const exs_file *f, size_t *out_len) {
    exs_write_options wo = {.node_ids = true};
    size_t total = 0;
    char *all = NULL;
    for (int fmt = 0; fmt < 3; fmt++) {
        char *out = NULL;
        size_t len = 0;
        if (exs_file_write(f, (exs_format)fmt, &wo, &out, &len) != EXS_OK) abort();
        char *n = realloc(all, total + len);
        if (!n) abort();
        all = n;
        memcpy(all + total, out, len);
        total += len;
        exs_free(out);
    }
    *out_len = total;
    return all;
}

static char *parse_all_formats(const char *src, size_t len, size_t *out_len) {
    exs_parse_options o = {.columns = true, .token_metadata = true, .file_id = 7};
    exs_file *f = NULL;
    if (exs_parse(src, len, "sample.ex", &o, &f, NULL) != EXS_OK) abort();
    char *out = all_formats(f, out_len);
    exs_file_free(f);
    return out;
}

TEST(reparse_is_byte_identical) {
    size_t len1, len2;
    char *a = parse_all_formats(sample, sizeof(sample) - 1, &len1);
    char *b = parse_all_formats(sample, sizeof(sample) - 1, &len2);
    ASSERT_EQ(len1, len2);
    ASSERT(memcmp(a, b, len1) == 0);
    ASSERT(strstr(a, "node_id: \"exs:7:"));
    free(a);
    free(b);
}

typedef struct {
    const char *src;
    size_t len;
    const exs_file *shared; /* written concurrently by every thread */
    const char *expect, *expect_shared;
    size_t expect_len, expect_shared_len;
    int failures;
} job;

static void *worker(void *arg) {
    job *j = arg;
    for (int i = 0; i < 30; i++) {
        size_t len;
        char *out = parse_all_formats(j->src, j->len, &len);
        if (len != j->expect_len || memcmp(out, j->expect, len)) j->failures++;
        free(out);
        out = all_formats(j->shared, &len);
        if (len != j->expect_shared_len || memcmp(out, j->expect_shared, len)) j->failures++;
        free(out);
    }
    return NULL;
}

TEST(concurrent_parses_agree) {
    /* a larger source: the sample many times, plus a deep and a wide part */
    size_t n = 0, cap = (sizeof(sample) - 1) * 40 + 10000;
    char *src = malloc(cap);
    ASSERT(src);
    for (int i = 0; i < 40; i++)
        memcpy(src + n, sample, sizeof(sample) - 1), n += sizeof(sample) - 1;
    for (int i = 0; i < 300; i++)
        src[n++] = '[';
    for (int i = 0; i < 300; i++)
        src[n++] = ']';
    src[n++] = '\n';
    size_t elen, slen;
    char *expect = parse_all_formats(src, n, &elen);
    exs_file *shared = NULL;
    ASSERT_EQ(exs_parse(sample, sizeof(sample) - 1, NULL, NULL, &shared, NULL), EXS_OK);
    char *expect_shared = all_formats(shared, &slen);
    job jobs[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        jobs[i] = (job){src, n, shared, expect, expect_shared, elen, slen, 0};
        ASSERT_EQ(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < 2; i++)
        ASSERT_EQ(pthread_join(th[i], NULL), 0);
    ASSERT_EQ(jobs[0].failures, 0);
    ASSERT_EQ(jobs[1].failures, 0);
    free(expect);
    free(expect_shared);
    exs_file_free(shared);
    free(src);
}

TEST_LIST(TEST_ENTRY(empty_input_is_empty_block), TEST_ENTRY(terms_and_options),
          TEST_ENTRY(bad_arguments), TEST_ENTRY(syntax_errors_have_elixir_positions),
          TEST_ENTRY(error_path_is_callers_path), TEST_ENTRY(nul_bytes_invalid_utf8_binary),
          TEST_ENTRY(every_prefix_of_a_program), TEST_ENTRY(deep_nesting_unclosed),
          TEST_ENTRY(deep_nesting_closed), TEST_ENTRY(max_depth_option),
          TEST_ENTRY(long_operator_chains), TEST_ENTRY(ten_mb_single_line),
          TEST_ENTRY(reparse_is_byte_identical), TEST_ENTRY(concurrent_parses_agree))
