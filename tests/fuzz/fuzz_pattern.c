/* fuzz_pattern.c: libFuzzer target for the pattern compiler (`$name` rewriting, parse,
 * classification) and the matcher (exs_pattern_compile, exs_pattern_match_source).
 *
 * Input layout: byte 0 splits the rest: the first (byte0 * n / 255) bytes are the
 * pattern, the remainder the subject source. Both are copied into exact-size heap
 * buffers so ASan sees any over-read.
 *
 * Invariants checked (a failure traps): compile returns OK, SYNTAX or LIMIT (NOMEM only
 * for huge inputs), with a message and a line >= 1 on SYNTAX; binding names are
 * non-empty and distinct; matching returns OK with at most one file error; every match
 * has one non-NULL value per binding, a NUL-free snippet, and lines in order; a subject
 * that compiles as a pattern (one expression, no `$`, no `...`) matches itself.
 *
 * Run by `make fuzz` and, without libFuzzer, by tests/tools/fuzz_replay.c over
 * tests/fuzz/corpus/pattern in `make test`. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exscope.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) __builtin_trap();                                                             \
    } while (0)

static char *copy(const uint8_t *p, size_t n) {
    char *b = malloc(n ? n : 1);
    if (b && n) memcpy(b, p, n);
    return b;
}

static bool has_dots(const char *s, size_t n) {
    for (size_t i = 0; i + 2 < n; i++)
        if (s[i] == '.' && s[i + 1] == '.' && s[i + 2] == '.') return true;
    return false;
}

/* Matches `p` over `src`; returns the number of matches, checking the report. */
static uint32_t run(const exs_pattern *p, const char *src, size_t len) {
    exs_pattern_report r;
    exs_status st = exs_pattern_match_source(p, src, len, "subject.ex", &r);
    if (st == EXS_ERR_NOMEM) return 0;
    CHECK(st == EXS_OK);
    CHECK(r.files == 1 && r.error_count <= 1);
    CHECK(r.error_count == 0 || r.count == 0);
    uint32_t nb = exs_pattern_binding_count(p);
    for (uint32_t i = 0; i < r.count; i++) {
        const exs_pattern_match *m = &r.matches[i];
        CHECK(m->snippet && m->values && m->path);
        CHECK(strchr(m->snippet, '\n') == NULL);
        for (uint32_t k = 0; k < nb; k++) CHECK(m->values[k] != NULL);
        if (i) CHECK(m->line > r.matches[i - 1].line ||
                     (m->line == r.matches[i - 1].line && m->column >= r.matches[i - 1].column));
    }
    uint32_t n = r.count;
    exs_pattern_report_free(&r);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    size_t n = size - 1, split = (size_t)data[0] * n / 255;
    char *pat = copy(data + 1, split), *sub = copy(data + 1 + split, n - split);
    if (!pat || !sub) goto done;
    exs_pattern *p = NULL;
    exs_error err;
    memset(&err, 0, sizeof err);
    exs_status st = exs_pattern_compile(pat, split, &p, &err);
    CHECK(st == EXS_OK || st == EXS_ERR_SYNTAX || st == EXS_ERR_LIMIT || st == EXS_ERR_NOMEM);
    if (st == EXS_ERR_SYNTAX) CHECK(err.message[0] && err.line >= 1);
    if (st == EXS_OK) {
        uint32_t nb = exs_pattern_binding_count(p);
        for (uint32_t i = 0; i < nb; i++) {
            const char *a = exs_pattern_binding_name(p, i);
            CHECK(a && a[0]);
            for (uint32_t k = 0; k < i; k++) CHECK(strcmp(a, exs_pattern_binding_name(p, k)) != 0);
        }
        CHECK(exs_pattern_binding_name(p, nb) == NULL);
        (void)run(p, sub, n - split);
        exs_pattern_free(p);
    }
    /* The subject as its own pattern matches itself. */
    if (!memchr(sub, '$', n - split) && !has_dots(sub, n - split)) {
        exs_pattern *q = NULL;
        if (exs_pattern_compile(sub, n - split, &q, NULL) == EXS_OK) {
            CHECK(run(q, sub, n - split) >= 1);
            exs_pattern_free(q);
        }
    }
done:
    free(pat);
    free(sub);
    return 0;
}
