/* tokdump.c: prints our lexer's tokens for each file on the command line, in the
 * canonical text form of tests/conformance/tokens.exs (see there for the format), so
 * the two outputs can be diffed file by file. `--stdin` reads the paths from stdin.
 * `--quiet` lexes without printing (for throughput measurement; prints MB/s).
 * Depends only on src/base and src/parse. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "parse/lexer.h"

static void q(FILE *o, const char *s, size_t n) {
    fputc('"', o);
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b == '"' || b == '\\') fprintf(o, "\\%c", b);
        else if (b >= 0x20 && b < 0x7F) fputc(b, o);
        else fprintf(o, "\\x%02x", b);
    }
    fputc('"', o);
}

static void qs(FILE *o, const char *s) { q(o, s ? s : "", s ? strlen(s) : 0); }

static void tok(FILE *o, const exs_tok *t);

static void parts(FILE *o, const exs_part *p, uint32_t n) {
    fputc('[', o);
    for (uint32_t i = 0; i < n; i++) {
        if (i) fputc(' ', o);
        if (!p[i].is_interp) {
            q(o, p[i].data, p[i].len);
            continue;
        }
        fprintf(o, "{%u:%u %u:%u ", p[i].line, p[i].column, p[i].end_line, p[i].end_column);
        bool first = true;
        for (uint32_t k = 0; k < p[i].tok_count; k++) {
            if (p[i].toks[k].kind == EXS_TOK_EOF) continue;
            if (!first) fputs(" ; ", o);
            first = false;
            tok(o, &p[i].toks[k]);
        }
        fputc('}', o);
    }
    fputc(']', o);
}

static void bighex(FILE *o, const exs_tok *t) {
    if (!t->is_big) {
        fprintf(o, "%" PRIx64, (uint64_t)t->v.i);
        return;
    }
    uint32_t n = t->v.big.len;
    while (n > 1 && t->v.big.mag[n - 1] == 0) n--;
    if (n == 0) {
        fputc('0', o);
        return;
    }
    fprintf(o, "%x", t->v.big.mag[n - 1]);
    for (uint32_t i = n - 1; i-- > 0;) fprintf(o, "%02x", t->v.big.mag[i]);
}

static void tok(FILE *o, const exs_tok *t) {
    fprintf(o, "%s %u:%u ", exs_tok_kind_name((exs_tok_kind)t->kind), t->line, t->column);
    switch (t->kind) {
    case EXS_TOK_INT:
        fputs("- ", o);
        bighex(o, t);
        fputc(' ', o);
        q(o, t->x.lit.original, t->x.lit.original_len);
        return;
    case EXS_TOK_FLT: {
        uint64_t bits;
        memcpy(&bits, &t->v.f, 8);
        fprintf(o, "- %" PRIx64 " ", bits);
        q(o, t->x.lit.original, t->x.lit.original_len);
        return;
    }
    case EXS_TOK_CHAR:
        fprintf(o, "- %" PRIx64 " ", (uint64_t)t->v.i);
        q(o, t->x.lit.original, t->x.lit.original_len);
        return;
    default: break;
    }
    if (t->eol >= 0) fprintf(o, "%d", t->eol);
    else fputc('-', o);
    switch (t->kind) {
    case EXS_TOK_EOF: case EXS_TOK_FN: case EXS_TOK_END: case EXS_TOK_TRUE: case EXS_TOK_FALSE:
    case EXS_TOK_NIL: case EXS_TOK_DO: case EXS_TOK_EOL: case EXS_TOK_SEMI: case EXS_TOK_COMMA:
    case EXS_TOK_DOT: case EXS_TOK_LPAREN: case EXS_TOK_RPAREN: case EXS_TOK_LBRACKET:
    case EXS_TOK_RBRACKET: case EXS_TOK_LCURLY: case EXS_TOK_RCURLY: case EXS_TOK_LBIT:
    case EXS_TOK_RBIT: case EXS_TOK_MAP: case EXS_TOK_PERCENT:
        return;
    case EXS_TOK_BIN_STRING: case EXS_TOK_LIST_STRING: case EXS_TOK_ATOM_UNSAFE: case EXS_TOK_ATOM_SAFE:
    case EXS_TOK_KW_IDENTIFIER_UNSAFE: case EXS_TOK_KW_IDENTIFIER_SAFE:
        fputc(' ', o);
        parts(o, t->v.str.parts, t->v.str.count);
        return;
    case EXS_TOK_BIN_HEREDOC: case EXS_TOK_LIST_HEREDOC:
        fprintf(o, " %d ", t->v.str.indentation);
        parts(o, t->v.str.parts, t->v.str.count);
        return;
    case EXS_TOK_SIGIL:
        fprintf(o, " %c ", t->sigil);
        parts(o, t->v.str.parts, t->v.str.count);
        fputc(' ', o);
        qs(o, t->x.sig.modifiers);
        if (t->v.str.indentation >= 0) fprintf(o, " %d ", t->v.str.indentation);
        else fputs(" nil ", o);
        qs(o, t->x.sig.delimiter);
        return;
    default:
        fputc(' ', o);
        q(o, t->name ? t->name : "", t->name ? t->name_len : 0);
        return;
    }
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        if (r == 0) break;
        n += r;
    }
    fclose(f);
    *len = n;
    return buf;
}

static int quiet;
static double total_bytes, total_secs;

static void dump(const char *path) {
    size_t len;
    char *src = read_file(path, &len);
    if (!src) {
        fprintf(stderr, "tokdump: cannot read %s\n", path);
        return;
    }
    exs_arena *a = arena_new(0);
    exs_tok *toks = NULL;
    unsigned n = 0;
    exs_diag d = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    lex_status st = lex_tokenize(a, src, len, 0, &toks, &n, &d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    total_secs += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    total_bytes += (double)len;
    if (!quiet) {
        printf("@@ %s\n", path);
        if (st != LEX_OK) {
            printf("error %u:%u ", d.line, d.column);
            qs(stdout, d.message);
            putchar('\n');
        } else {
            for (unsigned i = 0; i < n; i++) {
                if (toks[i].kind == EXS_TOK_EOF) continue;
                tok(stdout, &toks[i]);
                putchar('\n');
            }
        }
    }
    arena_free(a);
    free(src);
}

int main(int argc, char **argv) {
    int stdin_paths = 0, reps = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--stdin") == 0) stdin_paths = 1;
        else if (strcmp(argv[i], "--quiet") == 0) quiet = 1;
        else if (strncmp(argv[i], "--reps=", 7) == 0) reps = atoi(argv[i] + 7);
    }
    for (int r = 0; r < reps; r++) {
        if (stdin_paths) {
            char line[4096];
            while (fgets(line, sizeof(line), stdin)) {
                line[strcspn(line, "\n")] = 0;
                if (line[0]) dump(line);
            }
        }
        for (int i = 1; i < argc; i++)
            if (strncmp(argv[i], "--", 2) != 0) dump(argv[i]);
    }
    if (quiet)
        fprintf(stderr, "%.1f MB in %.3f s: %.1f MB/s\n", total_bytes / 1e6, total_secs,
                total_bytes / 1e6 / (total_secs > 0 ? total_secs : 1e-9));
    return 0;
}
