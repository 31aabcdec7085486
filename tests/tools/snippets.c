/* snippets.c: writes deterministic random Elixir snippets (a few tokens each, from a
 * vocabulary of identifiers, literals, operators, brackets and keywords) so the
 * conformance run compares exscope with Elixir on odd combinations real code rarely
 * has (`@-a`, `%{a b}`, `a.b -c`): each must give Elixir's AST or fail where it fails.
 *
 * Usage: snippets SEED COUNT OUTDIR   writes OUTDIR/s<i>.exs for i < COUNT. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define PICK(a) a[rng_next() % (sizeof(a) / sizeof(a[0]))]

static const char *const atoms[] = {
    "a", "b", "foo", "x1", "_", "_y", "Foo", "Foo.Bar", "__MODULE__", ":a", ":\"b c\"",
    "1", "0x1F", "1.5", "1_000", "?a", "\"s\"", "\"a#{b}c\"", "'cl'", "~s(x)", "~r/a/i",
    "nil", "true", "[]", "{}", "%{}", "<<>>", "...", "&1", "@a", "a.b", "a.()", "f()",
    "f(a)", "a[1]", "[a: 1]", "{a, b}", "%{a => 1}", "%Foo{}", "<<a::8>>", "fn -> 1 end",
    "(1)", "\"\"\"\nx\n\"\"\""};
static const char *const binops[] = {
    "+", "-", "*", "/", "++", "--", "..", "..//", "<>", "in", "not in", "|>", "<<<", "~>",
    "<", ">=", "==", "!==", "=~", "&&", "and", "||", "or", "=", "|", "::", "when", "<-",
    "\\\\", "**", "=>", "->", "//", ".", ","};
static const char *const prefixes[] = {"-", "+", "!", "^", "not ", "@", "&", "~~~", "%", "..."};
static const char *const wraps[][2] = {
    {"(", ")"}, {"[", "]"}, {"{", "}"}, {"%{", "}"}, {"<<", ">>"}, {"f(", ")"},
    {"f ", ""}, {"a.b ", ""}, {"if ", " do\n 1\nend"}, {"case x do\n ", " -> 1\nend"},
    {"fn ", " -> 1 end"}, {"foo ", " do 1 end"}, {"x[", "]"}, {"\"#{", "}\""}, {"& ", "/1"},
    {"def f(", ") do\n end"}, {"for ", ", do: 1"}, {"quote do ", " end"}};
static const char *const seps[] = {" ", "", "\n", " ", ", ", "; ", " "};

static void expr(FILE *o, int depth) {
    switch (rng_next() % (depth > 2 ? 2 : 6)) {
    case 0: case 1: fputs(PICK(atoms), o); break;
    case 2: fputs(PICK(prefixes), o); expr(o, depth + 1); break;
    case 3: {
        expr(o, depth + 1);
        fputs(PICK(seps), o);
        fputs(PICK(binops), o);
        fputs(PICK(seps), o);
        expr(o, depth + 1);
        break;
    }
    case 4: {
        size_t w = rng_next() % (sizeof(wraps) / sizeof(wraps[0]));
        fputs(wraps[w][0], o);
        expr(o, depth + 1);
        if (rng_next() % 3 == 0) fputs(", ", o), expr(o, depth + 1);
        fputs(wraps[w][1], o);
        break;
    }
    default: expr(o, depth + 1); fputs(PICK(seps), o); expr(o, depth + 1); break;
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: snippets SEED COUNT OUTDIR\n");
        return 2;
    }
    rng_state = strtoull(argv[1], NULL, 10);
    long count = strtol(argv[2], NULL, 10);
    for (long i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/s%05ld.exs", argv[3], i);
        FILE *o = fopen(path, "wb");
        if (!o) {
            perror(path);
            return 1;
        }
        expr(o, 0);
        fputc('\n', o);
        fclose(o);
    }
    return 0;
}
