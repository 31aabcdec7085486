/* termgen.c: writes pseudo-random terms with our writers, for the live oracle check
 * (tests/conformance/writers_oracle.sh).
 *
 * Usage: termgen SEED COUNT OUT_PREFIX
 * Writes OUT_PREFIX.etf (per term: 4-byte big-endian length, then the ETF bytes),
 * OUT_PREFIX.txt (per term: the Elixir text line), OUT_PREFIX.json (per term: one
 * JSON line). Every fourth term is written with node IDs (node_ids_compute).
 *
 * Design: a tiny xorshift generator drives a recursive term builder that covers
 * each writer rule: small/int32/int64/big integers of both signs, floats of many
 * magnitudes (incl. -0.0, subnormals, integral values near 1e16), atoms that need or
 * avoid quotes (operators, aliases, @, ?, !, unicode), binaries (printable, escapes,
 * invalid UTF-8, NUL, BOM), charlists, keyword lists, tuples, AST nodes and metadata.
 * Output depends only on SEED. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast/ast.h"
#include "ast/node_id.h"
#include "ast/writers.h"
#include "base/buf.h"

static uint64_t rng_state;

static uint64_t rnd(void) {
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static uint32_t below(uint32_t n) { return (uint32_t)(rnd() % n); }

static const char *const atoms[] = {
    "foo", "bar_baz", "_", "_x", "a1", "foo?", "foo!", "Foo", "Foo!", "foo@bar", "a@", "nil",
    "true", "false", "Elixir", "Elixir.Foo", "Elixir.Foo.Bar", "Elixir.Elixir",
    "Elixir.Elixir.Foo", "Elixir.foo", "Elixir.Foo.bar", "Elixir.Foo.", "Elixir.Foo1_x",
    "+", "-", "*", "/", "++", "--", "<>", "|>", "::", "^^^", "~~~", "<|>", "//", "\\\\", "..",
    "...", "..//", "%", "%{}", "{}", "<<>>", ".", "->", "=", "==", "===", "!==", "when", "in",
    "not", "and", "or", "&&", "||", "&", "@", "^", "!", "<-", "=~", "**", "<<<", ">>>",
    "<~>", "<<~", "~>>", "|||", "&&&", "+++", "---", "|", "=>", ";", ",", "a b", "",
    "with\"quote", "#{x}", "\\", "\n", "1a", "foo?a", "foo!!", "?", "a-b", "A.B", "Foo.Bar",
    "olá", "é", "日本", "Ωmega", "ñandú", "café", "x\x7f", "tab\there", "\xef\xbb\xbf",
    "node_id", "line", "do", "end", "fn", "__block__", "__aliases__", "defmodule", "unquote",
    "Elixir.Ünicode", "élan?", "a\xcc\x81", "ÄÖ", "ça", "µ", "ª",
    NULL};

static uint32_t natoms(void) {
    uint32_t n = 0;
    while (atoms[n]) n++;
    return n;
}

static exs_ref gen_atom(exs_tree *t) {
    if (below(4) == 0) {
        /* random short ASCII name */
        char s[8];
        uint32_t len = 1 + below(6);
        const char *alpha = "abcXYZ_09@?!. -";
        for (uint32_t i = 0; i < len; i++) s[i] = alpha[below((uint32_t)strlen(alpha))];
        return tree_atom(t, s, len);
    }
    const char *a = atoms[below(natoms())];
    return tree_atom(t, a, strlen(a));
}

static size_t put_utf8(char *s, uint32_t cp) {
    if (cp < 0x80) {
        s[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    s[0] = (char)(0xF0 | (cp >> 18));
    s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    s[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static exs_ref gen_binary(exs_tree *t) {
    char s[256];
    size_t len = 0;
    uint32_t n = below(12);
    int mode = (int)below(5);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t cp;
        switch (mode) {
        case 0: cp = 32 + below(95); break;
        case 1: {
            static const uint32_t special[] = {'"', '\\', '#', '{', '\n', '\t', 0, 7, 8, 11, 12,
                                               13, 27, 127, 0xFEFF, 0x85, 0xA0, 0xE9, 0x2028,
                                               0x1F600, 1, 31, 'a', '\'', 0xFFFD, 0xD7FF,
                                               0xE000, 0x10FFFF};
            cp = special[below(sizeof special / sizeof special[0])];
            break;
        }
        case 2: cp = below(0x3000); if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'x'; break;
        case 3: s[len++] = (char)below(256); continue;
        default: cp = 'a' + below(26); break;
        }
        len += put_utf8(s + len, cp);
    }
    return tree_binary(t, s, len);
}

static exs_ref gen_int(exs_tree *t) {
    switch (below(7)) {
    case 0: return tree_int(t, below(256));
    case 1: return tree_int(t, -(int64_t)below(1000));
    case 2: {
        static const int64_t edges[] = {255, 256, -1, INT32_MAX, INT32_MIN, (int64_t)INT32_MAX + 1,
                                        (int64_t)INT32_MIN - 1, INT64_MAX, INT64_MIN, 0,
                                        1000000000, -1000000000, 999999999};
        return tree_int(t, edges[below(sizeof edges / sizeof edges[0])]);
    }
    case 3: return tree_int(t, (int64_t)rnd());
    case 4: return tree_int(t, (int64_t)(rnd() >> below(64)));
    default: {
        uint8_t mag[400];
        uint32_t n = below(6) == 0 ? 256 + below(100) : 1 + below(40);
        for (uint32_t i = 0; i < n; i++) mag[i] = (uint8_t)rnd();
        if (below(4) == 0) mag[n - 1] = 0; /* unnormalized */
        return tree_bigint(t, mag, n, below(2));
    }
    }
}

static exs_ref gen_float(exs_tree *t) {
    double f;
    switch (below(6)) {
    case 0: {
        uint64_t u;
        do {
            u = rnd();
            memcpy(&f, &u, sizeof f);
        } while (f != f || f - f != 0);
        break;
    }
    case 1: {
        static const double v[] = {0.0, -0.0, 0.1, 1.0, -1.0, 1.0e16, 1.0e15, 9999999999999998.0,
                                   1.0e-5, 1.0e-4, 5e-324, 1.7976931348623157e308, 2.5,
                                   100.5, 1.0e20, 123456.789, 0.001, 1.0e21, 1.0e22,
                                   2.2250738585072014e-308, 4.35, 0.3, 1e23, 9007199254740993.0};
        f = v[below(sizeof v / sizeof v[0])];
        break;
    }
    case 2: {
        double m = (double)(rnd() % 100000) / (double)(1 + below(1000));
        int e = (int)below(60) - 30;
        f = m;
        for (int i = 0; i < (e < 0 ? -e : e); i++) f = e < 0 ? f / 10 : f * 10;
        break;
    }
    case 3: f = (double)(int64_t)(rnd() >> below(64)); break;
    case 4: f = (double)below(1000) / 8.0; break;
    default: f = (double)(rnd() >> 11) / 9007199254740992.0; break;
    }
    if (below(3) == 0) f = -f;
    return tree_float(t, f);
}

static exs_ref gen(exs_tree *t, int depth);

static exs_ref gen_meta(exs_tree *t, int depth) {
    exs_meta_kv kv[6];
    uint32_t n = below(5);
    for (uint32_t i = 0; i < n; i++) {
        kv[i].key = (uint16_t)below(EXS_META_NODE_ID);
        if (depth > 0 && below(4) == 0) {
            kv[i].is_term = 1;
            kv[i].value = below(2) ? gen_meta(t, depth - 1) : gen(t, depth - 1);
        } else {
            kv[i].is_term = 0;
            kv[i].value = below(3) == 0 ? (uint32_t)rnd() : below(200);
        }
    }
    return tree_meta(t, kv, n);
}

static exs_ref gen(exs_tree *t, int depth) {
    uint32_t k = below(depth > 0 ? 13 : 6);
    switch (k) {
    case 0: return gen_int(t);
    case 1: return gen_float(t);
    case 2: return gen_atom(t);
    case 3: return gen_binary(t);
    case 4: return below(2) ? tree_nil(t) : tree_empty_list(t);
    case 5: { /* charlist */
        exs_ref items[16];
        uint32_t n = 1 + below(10);
        for (uint32_t i = 0; i < n; i++) {
            static const int sp[] = {'\'', '"', '\\', '#', '{', '\n', 7, 8, 9, 10, 11, 12, 13,
                                     27, 127, 6, 14, 31, 126, 128, 0x100};
            int c = below(3) ? 32 + (int)below(95) : sp[below(sizeof sp / sizeof sp[0])];
            items[i] = tree_int(t, c);
        }
        return tree_list(t, items, n);
    }
    case 6:
    case 7: { /* list */
        exs_ref items[6];
        uint32_t n = below(6);
        for (uint32_t i = 0; i < n; i++) items[i] = gen(t, depth - 1);
        return tree_list(t, items, n);
    }
    case 8: { /* keyword list */
        exs_ref items[5];
        uint32_t n = 1 + below(4);
        for (uint32_t i = 0; i < n; i++) items[i] = tree_tuple2(t, gen_atom(t), gen(t, depth - 1));
        return tree_list(t, items, n);
    }
    case 9: { /* tuple */
        exs_ref items[5];
        uint32_t n = below(5);
        for (uint32_t i = 0; i < n; i++) items[i] = gen(t, depth - 1);
        return tree_tuple(t, items, n);
    }
    case 10:
    case 11: { /* AST node */
        exs_ref args[4];
        uint32_t n = below(4);
        for (uint32_t i = 0; i < n; i++) args[i] = gen(t, depth - 1);
        exs_ref a = below(4) ? tree_list(t, args, n) : (below(2) ? tree_nil(t) : gen_atom(t));
        return tree_tuple3(t, gen_atom(t), gen_meta(t, depth - 1), a);
    }
    default: return gen_meta(t, depth - 1);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: termgen SEED COUNT OUT_PREFIX\n");
        return 2;
    }
    rng_state = strtoull(argv[1], NULL, 10) * 2654435761u + 88172645463325252ull;
    long count = strtol(argv[2], NULL, 10);
    char path[4096];
    snprintf(path, sizeof path, "%s.etf", argv[3]);
    FILE *fe = fopen(path, "wb");
    snprintf(path, sizeof path, "%s.txt", argv[3]);
    FILE *ft = fopen(path, "wb");
    snprintf(path, sizeof path, "%s.json", argv[3]);
    FILE *fj = fopen(path, "wb");
    if (!fe || !ft || !fj) {
        perror("termgen");
        return 1;
    }
    for (long i = 0; i < count; i++) {
        exs_tree *t = tree_new();
        if (!t) return 1;
        t->root = gen(t, 1 + (int)below(5));
        uint64_t *ids = NULL;
        if (i % 4 == 3) ids = node_ids_compute(t, (uint32_t)i);
        exs_buf e, x, j;
        buf_init(&e);
        buf_init(&x);
        buf_init(&j);
        if (!write_etf(t, t->root, ids, &e) || !write_elixir(t, t->root, ids, &x) ||
            !write_json(t, t->root, ids, &j))
            return 1;
        unsigned char len[4] = {(unsigned char)(e.len >> 24), (unsigned char)(e.len >> 16),
                                (unsigned char)(e.len >> 8), (unsigned char)e.len};
        fwrite(len, 1, 4, fe);
        fwrite(e.data, 1, e.len, fe);
        fwrite(x.data, 1, x.len, ft);
        fwrite(j.data, 1, j.len, fj);
        buf_free(&e);
        buf_free(&x);
        buf_free(&j);
        free(ids);
        tree_free(t);
    }
    fclose(fe);
    fclose(ft);
    fclose(fj);
    return 0;
}
