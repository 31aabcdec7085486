/* mutate.c: writes deterministic mutants of real Elixir files, so the conformance run
 * also compares exscope with Elixir on broken and unusual code (errors: line, column,
 * wording; valid mutants: ASTs), not only on code that compiles.
 *
 * Mutations: cut the file at a random byte; delete 1-8 bytes; insert a fragment
 * (brackets, quotes, heredoc marks, interpolation, keywords, operators, newlines);
 * duplicate or drop a line; swap two adjacent lines.
 *
 * Usage: mutate SEED COUNT OUTDIR FILE...   writes OUTDIR/m<i>.exs (i < COUNT), each a
 * mutant of FILE[(rand) % nfiles]; same seed, same files -> same mutants. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

static size_t below(size_t n) { return n ? (size_t)(rng_next() % n) : 0; }

static const char *const fragments[] = {
    "(", ")", "[", "]", "{", "}", "<<", ">>", "%{", "%", "do", "end", "do\n", "\nend\n",
    "fn", "->", ",", ";", "\n", " ", "\"", "'", "\"\"\"\n", "'''\n", "#{", "#{x}", "\\",
    "?", "?\\", ":", "::", "::\n", "..", "..//", "//", "@", "&", "&1", "|>", "|", "when",
    "not in", "in", "and", "or", "not", "=", "==", "=>", "<-", "\\\\", ".", ".(", "~s(",
    "~r/", "~S\"\"\"\n", "0x", "1_", "1.0e", "9999999999999999999999", ":\"", "a:", "\"a\":",
    "__MODULE__", "Foo.", "%Foo{", "else", "rescue", "catch", "after", "true", "nil",
    "é", "\xff", "\xc3", "\t", "\r\n", "#", "..."};

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t r;
    while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                b = NULL;
            }
            b = nb;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

/* Start of the line holding byte i, and the start of the next line. */
static size_t line_start(const char *s, size_t i) {
    while (i > 0 && s[i - 1] != '\n') i--;
    return i;
}
static size_t line_end(const char *s, size_t len, size_t i) {
    while (i < len && s[i] != '\n') i++;
    return i < len ? i + 1 : len;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: mutate SEED COUNT OUTDIR FILE...\n");
        return 2;
    }
    rng_state = strtoull(argv[1], NULL, 10);
    long count = strtol(argv[2], NULL, 10);
    const char *dir = argv[3];
    int nfiles = argc - 4;
    for (long m = 0; m < count; m++) {
        const char *path = argv[4 + below((size_t)nfiles)];
        size_t len;
        char *s = read_all(path, &len);
        if (!s) {
            fprintf(stderr, "mutate: %s: %s\n", path, strerror(errno));
            return 1;
        }
        char out_path[4096];
        snprintf(out_path, sizeof out_path, "%s/m%05ld.exs", dir, m);
        FILE *o = fopen(out_path, "wb");
        if (!o) {
            fprintf(stderr, "mutate: %s: %s\n", out_path, strerror(errno));
            return 1;
        }
        size_t at = below(len + 1);
        switch (below(6)) {
        case 0: /* cut */
            fwrite(s, 1, at, o);
            break;
        case 1: { /* delete */
            size_t n = 1 + below(8);
            if (at + n > len) n = len - at;
            fwrite(s, 1, at, o);
            fwrite(s + at + n, 1, len - at - n, o);
            break;
        }
        case 2: case 3: { /* insert */
            const char *f = fragments[below(sizeof fragments / sizeof fragments[0])];
            fwrite(s, 1, at, o);
            fputs(f, o);
            fwrite(s + at, 1, len - at, o);
            break;
        }
        case 4: { /* duplicate or drop a line */
            size_t a = line_start(s, at), b = line_end(s, len, at);
            fwrite(s, 1, (rng_next() & 1) ? b : a, o); /* with the line, or without it */
            fwrite(s + a, 1, len - a, o);
            break;
        }
        default: { /* swap with the next line */
            size_t a = line_start(s, at), b = line_end(s, len, at), c = line_end(s, len, b);
            fwrite(s, 1, a, o);
            fwrite(s + b, 1, c - b, o);
            if (c > b && s[c - 1] != '\n') fputc('\n', o);
            fwrite(s + a, 1, b - a, o);
            fwrite(s + c, 1, len - c, o);
            break;
        }
        }
        fclose(o);
        free(s);
    }
    return 0;
}
