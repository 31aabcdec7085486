/* test_lexer.c: focused tests of the lexer's tricky cases (src/parse/lexer.c).
 *
 * The bulk of conformance is checked against Elixir itself by
 * tests/conformance/tokens.sh; these tests pin the cases that are easy to break: space
 * sensitivity (a -1), call kinds (foo [1] vs foo[1]), token rewriting (not in, do
 * identifiers), heredocs, sigils, numbers, chars, unicode identifiers, error
 * positions, and robustness (deep nesting, truncated input, NUL bytes, inputs that
 * end exactly at a page boundary are exercised by ASan builds of this file). */
#include <stdint.h>

#include "harness.h"
#include "parse/lexer.h"

typedef struct {
    exs_arena *a;
    exs_tok *t;
    unsigned n;
    exs_diag d;
    lex_status st;
    char *src; /* tokens may point into it (x.lit.original): freed by done() */
} lexed;

/* Token names are length-delimited (token.h): compare as such. */
#define ASSERT_NAME(tok, str)                                                          \
    do {                                                                               \
        if ((tok).name_len != strlen(str) || memcmp((tok).name, (str), strlen(str)))   \
            TEST_FAIL_("name of %s: got '%.*s', expected '%s'", #tok, (int)(tok).name_len, \
                       (tok).name ? (tok).name : "", (str));                            \
    } while (0)

static lexed lex_n(const char *s, size_t len) {
    lexed r;
    memset(&r, 0, sizeof(r));
    r.a = arena_new(0);
    /* copy into an exact-size heap buffer so ASan catches any over-read */
    char *buf = malloc(len ? len : 1);
    memcpy(buf, s, len);
    r.st = lex_tokenize(r.a, buf, len, 0, &r.t, &r.n, &r.d);
    r.src = buf;
    return r;
}

static lexed lex(const char *s) { return lex_n(s, strlen(s)); }

static void done(lexed *r) {
    arena_free(r->a);
    free(r->src);
}

/* Kinds of all tokens joined by spaces (EOF excluded), for compact assertions. */
static const char *kinds(const lexed *r) {
    static char buf[4096];
    buf[0] = 0;
    for (unsigned i = 0; i < r->n; i++) {
        if (r->t[i].kind == EXS_TOK_EOF) continue;
        if (buf[0]) strcat(buf, " ");
        strcat(buf, exs_tok_kind_name((exs_tok_kind)r->t[i].kind));
    }
    return buf;
}

TEST(dual_op_spacing) {
    lexed r = lex("a -1");
    ASSERT_EQ(r.st, LEX_OK);
    ASSERT_STR_EQ(kinds(&r), "op_identifier dual_op int");
    done(&r);
    r = lex("a - 1");
    ASSERT_STR_EQ(kinds(&r), "identifier dual_op int");
    done(&r);
    r = lex("a -(1)");
    ASSERT_STR_EQ(kinds(&r), "identifier dual_op ( int )");
    done(&r);
}

TEST(call_kinds) {
    lexed r = lex("foo [1]");
    ASSERT_STR_EQ(kinds(&r), "identifier [ int ]");
    done(&r);
    r = lex("foo[1]");
    ASSERT_STR_EQ(kinds(&r), "bracket_identifier [ int ]");
    done(&r);
    r = lex("foo(1)");
    ASSERT_STR_EQ(kinds(&r), "paren_identifier ( int )");
    done(&r);
    r = lex("if a do\nend");
    ASSERT_STR_EQ(kinds(&r), "identifier do_identifier do eol end");
    done(&r);
}

TEST(not_in) {
    lexed r = lex("a not in b");
    ASSERT_STR_EQ(kinds(&r), "identifier in_op identifier");
    ASSERT_NAME(r.t[1], "not in");
    ASSERT_EQ(r.t[1].column, 3);
    done(&r);
}

TEST(capture_before_slash) {
    lexed r = lex("&/2");
    ASSERT_STR_EQ(kinds(&r), "identifier mult_op int");
    done(&r);
    r = lex("&//2");
    ASSERT_STR_EQ(kinds(&r), "capture_op ternary_op int");
    done(&r);
    r = lex("&(&1)");
    ASSERT_STR_EQ(kinds(&r), "capture_op ( capture_op int )");
    done(&r);
}

TEST(eol_merging) {
    lexed r = lex("a,\n\nb");
    ASSERT_STR_EQ(kinds(&r), "identifier , identifier");
    ASSERT_EQ(r.t[1].kind, EXS_TOK_COMMA);
    ASSERT_EQ(r.t[1].eol, 2);
    done(&r);
    r = lex("a\n|> b");
    ASSERT_STR_EQ(kinds(&r), "identifier arrow_op identifier");
    ASSERT_EQ(r.t[1].eol, 1);
    done(&r);
    r = lex("a # c\n# d\nb");
    ASSERT_STR_EQ(kinds(&r), "identifier eol identifier");
    ASSERT_EQ(r.t[1].eol, 1); /* reset to 0 by the comment, then +1 */
    done(&r);
}

TEST(kw_identifiers) {
    lexed r = lex("[do: 1, \"a b\": 2, \"x#{y}\": 3, +: 4]");
    ASSERT_STR_EQ(kinds(&r), "[ kw_identifier int , kw_identifier int , kw_identifier_unsafe int , kw_identifier int ]");
    ASSERT_NAME(r.t[1], "do");
    ASSERT_NAME(r.t[4], "a b");
    ASSERT_EQ(r.t[4].column, 9);
    ASSERT_NAME(r.t[10], "+");
    done(&r);
}

TEST(heredoc_indentation) {
    lexed r = lex("  x = \"\"\"\n    a\n     b\\\n  c\n    \"\"\"\n");
    ASSERT_EQ(r.st, LEX_OK);
    exs_tok *h = &r.t[2];
    ASSERT_EQ(h->kind, EXS_TOK_BIN_HEREDOC);
    ASSERT_EQ(h->v.str.indentation, 4);
    ASSERT_EQ(h->v.str.count, 1);
    ASSERT_STR_EQ(h->v.str.parts[0].data, "a\n bc\n");
    ASSERT_EQ(r.t[3].line, 5);
    done(&r);
}

TEST(sigils) {
    lexed r = lex("~r/a\\/b#{c}/iu ~S(x#{y}) ~s\"\"\"\n  q\n  \"\"\"m");
    ASSERT_EQ(r.st, LEX_OK);
    exs_tok *s = &r.t[0];
    ASSERT_EQ(s->kind, EXS_TOK_SIGIL);
    ASSERT_EQ(s->sigil, 'r');
    ASSERT_EQ(s->v.str.count, 2);
    ASSERT_STR_EQ(s->v.str.parts[0].data, "a/b");
    ASSERT(s->v.str.parts[1].is_interp);
    ASSERT_STR_EQ(s->x.sig.modifiers, "iu");
    ASSERT_STR_EQ(s->x.sig.delimiter, "/");
    ASSERT_EQ(s->v.str.indentation, -1);
    s = &r.t[1];
    ASSERT_EQ(s->v.str.count, 1);
    ASSERT_STR_EQ(s->v.str.parts[0].data, "x#{y}");
    s = &r.t[2];
    ASSERT_STR_EQ(s->x.sig.delimiter, "\"\"\"");
    ASSERT_EQ(s->v.str.indentation, 2);
    ASSERT_STR_EQ(s->v.str.parts[0].data, "q\n");
    ASSERT_STR_EQ(s->x.sig.modifiers, "m");
    done(&r);
}

TEST(interpolation_positions) {
    lexed r = lex("\"a#{b + 1}c\"");
    exs_tok *s = &r.t[0];
    ASSERT_EQ(s->v.str.count, 3);
    exs_part *p = &s->v.str.parts[1];
    ASSERT(p->is_interp);
    ASSERT_EQ(p->line, 1);
    ASSERT_EQ(p->column, 3);
    ASSERT_EQ(p->end_column, 10);
    ASSERT_EQ(p->tok_count, 4); /* b + 1 EOF */
    ASSERT_EQ(p->toks[p->tok_count - 1].kind, EXS_TOK_EOF);
    ASSERT_EQ(p->toks[2].column, 9);
    done(&r);
}

TEST(big_ints_and_floats) {
    lexed r = lex("18446744073709551616 0xFF_FF 1_000 0b11 0o17 1.5e-3 9223372036854775807");
    ASSERT_EQ(r.st, LEX_OK);
    ASSERT(r.t[0].is_big);
    ASSERT_EQ(r.t[0].v.big.len, 9);
    ASSERT_EQ(r.t[0].v.big.mag[8], 1);
    ASSERT_EQ(r.t[1].v.i, 0xFFFF);
    ASSERT(r.t[1].x.lit.original_len == sizeof("0xFF_FF") - 1 && memcmp(r.t[1].x.lit.original, "0xFF_FF", sizeof("0xFF_FF") - 1) == 0);
    ASSERT_EQ(r.t[2].v.i, 1000);
    ASSERT_EQ(r.t[3].v.i, 3);
    ASSERT_EQ(r.t[4].v.i, 15);
    ASSERT(r.t[5].v.f == 1.5e-3);
    ASSERT(!r.t[6].is_big);
    ASSERT_EQ(r.t[6].v.i, INT64_MAX);
    done(&r);
    r = lex("1.0e400");
    ASSERT_EQ(r.st, LEX_ERR_SYNTAX);
    ASSERT_STR_EQ(r.d.message, "invalid float number 1.0e400");
    done(&r);
}

TEST(chars) {
    lexed r = lex("?a ?\\n ?\\s ?é ?\\x");
    ASSERT_EQ(r.t[0].v.i, 'a');
    ASSERT_EQ(r.t[1].v.i, '\n');
    ASSERT_EQ(r.t[2].v.i, ' ');
    ASSERT_EQ(r.t[3].v.i, 0xE9);
    ASSERT_EQ(r.t[3].column, 12);
    ASSERT_EQ(r.t[4].v.i, 'x');
    ASSERT(r.t[1].x.lit.original_len == sizeof("?\\n") - 1 && memcmp(r.t[1].x.lit.original, "?\\n", sizeof("?\\n") - 1) == 0);
    done(&r);
}

TEST(unicode_identifiers_and_columns) {
    lexed r = lex("héllo = \"ça\" <> olá");
    ASSERT_EQ(r.st, LEX_OK);
    ASSERT_NAME(r.t[0], "héllo");
    ASSERT_EQ(r.t[1].column, 7);
    ASSERT_EQ(r.t[3].column, 14);
    ASSERT_EQ(r.t[4].column, 17);
    done(&r);
    r = lex("x = \"e\xcc\x81\" + y"); /* e + combining acute: one grapheme column */
    ASSERT_EQ(r.t[3].column, 9);
    done(&r);
}

TEST(unterminated_string_position) {
    lexed r = lex("a = \"abc\n  def");
    ASSERT_EQ(r.st, LEX_ERR_SYNTAX);
    ASSERT_EQ(r.d.line, 2);
    ASSERT_EQ(r.d.column, 6);
    ASSERT_STR_EQ(r.d.message, "missing terminator: \" (for string starting at line 1)");
    done(&r);
}

TEST(terminator_errors) {
    lexed r = lex("if a do\n  (1]\nend");
    ASSERT_EQ(r.st, LEX_ERR_SYNTAX);
    ASSERT_EQ(r.d.line, 2);
    ASSERT_EQ(r.d.column, 5);
    ASSERT_STR_EQ(r.d.message, "unexpected token: ]. The \"(\" at line 2 is missing terminator \")\"");
    done(&r);
    r = lex("foo do\n");
    ASSERT_STR_EQ(r.d.message, "missing terminator: end (for \"do\" starting at line 1)");
    ASSERT_EQ(r.d.line, 2);
    ASSERT_EQ(r.d.column, 1);
    done(&r);
}

TEST(deep_nesting_is_an_error) {
    size_t n = 100000;
    char *s = malloc(n * 3 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) s[k++] = '"', s[k++] = '#', s[k++] = '{';
    lexed r = lex_n(s, k);
    ASSERT_EQ(r.st, LEX_ERR_DEPTH);
    done(&r);
    memset(s, '(', n);
    r = lex_n(s, n);
    ASSERT_EQ(r.st, LEX_ERR_DEPTH);
    done(&r);
    free(s);
}

TEST(input_ending_mid_token) {
    static const char *const cases[] = {"\"abc", "~s(", "~", "?", ":\"", "0x", "1.", "a.", "\"\"\"\n",
                                        "'#{", "\\", "%", "<<", "a \\", "?\\", ":", "1e", "&"};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lexed r = lex(cases[i]);
        ASSERT(r.st == LEX_OK || r.st == LEX_ERR_SYNTAX);
        done(&r);
    }
    /* every prefix of a tricky snippet */
    const char *src = "x = ~S\"\"\"\n  a #{b}\n  \"\"\"m <> \"c#{d <> \"e\"}\" <> ?\\n ++ :\"f\" 0x1F";
    for (size_t i = 0; i <= strlen(src); i++) {
        lexed r = lex_n(src, i);
        ASSERT(r.st == LEX_OK || r.st == LEX_ERR_SYNTAX);
        done(&r);
    }
}

TEST(nul_bytes_and_invalid_utf8) {
    lexed r = lex_n("a\0b", 3);
    ASSERT_EQ(r.st, LEX_ERR_SYNTAX);
    ASSERT_STR_EQ(r.d.message, "unexpected token: null byte (column 2, code point U+0000)");
    done(&r);
    r = lex_n("\"a\0b\"", 5);
    ASSERT_EQ(r.st, LEX_OK);
    ASSERT_EQ(r.t[0].v.str.parts[0].len, 3);
    done(&r);
    r = lex("ab\n c \xff");
    ASSERT_EQ(r.st, LEX_ERR_SYNTAX);
    ASSERT_EQ(r.d.line, 2);
    ASSERT_EQ(r.d.column, 4);
    done(&r);
}

TEST(escapes) {
    lexed r = lex("\"\\x41\\u0042\\u{1F600}\\t\\q\\\n!\"");
    ASSERT_EQ(r.st, LEX_OK);
    ASSERT_STR_EQ(r.t[0].v.str.parts[0].data, "AB\xf0\x9f\x98\x80\tq!");
    done(&r);
    r = lex("\"\\u{D800}\"");
    ASSERT_EQ(r.st, LEX_ERR_SYNTAX);
    ASSERT_STR_EQ(r.d.message, "invalid or reserved Unicode code point \\u{D800}. Syntax error after: \\u");
    done(&r);
}

TEST_LIST(TEST_ENTRY(dual_op_spacing), TEST_ENTRY(call_kinds), TEST_ENTRY(not_in),
          TEST_ENTRY(capture_before_slash), TEST_ENTRY(eol_merging), TEST_ENTRY(kw_identifiers),
          TEST_ENTRY(heredoc_indentation), TEST_ENTRY(sigils), TEST_ENTRY(interpolation_positions),
          TEST_ENTRY(big_ints_and_floats), TEST_ENTRY(chars), TEST_ENTRY(unicode_identifiers_and_columns),
          TEST_ENTRY(unterminated_string_position), TEST_ENTRY(terminator_errors),
          TEST_ENTRY(deep_nesting_is_an_error), TEST_ENTRY(input_ending_mid_token),
          TEST_ENTRY(nul_bytes_and_invalid_utf8), TEST_ENTRY(escapes))
