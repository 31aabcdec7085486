/* write_json.c: a term tree as JSON, in the lossless encoding of docs/json.md.
 *
 * Design (summary; docs/json.md is the contract):
 *   nil / true / false          null / true / false
 *   integer |v| < 2^53          a JSON number: 42, -7
 *   other integers              {"int": "123456789012345678901234567890"}
 *   float                       {"float": 0.1}  (shortest round-trip digits)
 *   other atoms                 {"atom": "foo"}
 *   binary, valid UTF-8         a JSON string
 *   binary, not UTF-8           {"bytes": "<base64>"}
 *   list                        a JSON array
 *   tuple (not an AST node)     {"tuple": [...]}
 *   AST node {name, meta, args} {"node": "name", "meta": {...}, "args": ...}
 *                               ("callee": <term> instead of "node" when the name is
 *                               not an atom, e.g. a remote call)
 *   META (keyword metadata)     a JSON object {"line": 1, "column": 2, ...} in order
 * Every tagged object's first key is one of int, float, atom, bytes, tuple, node,
 * callee; metadata keys never are, so an object is META exactly when its first key
 * is not a tag (or it is empty). With `ids`, an AST node's meta object ends with
 * "node_id": "exs:...".
 *
 * Invariants: output is valid JSON (RFC 8259): strings are valid UTF-8 with every
 * control character escaped; numbers never are NaN or infinite (Elixir has none).
 * Recursion depth equals term nesting depth, which the parser bounds. */
#include "writers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exscope.h"

typedef struct json_writer {
    const exs_tree *t;
    const uint64_t *ids;
    exs_buf *b;
} json_writer;

#define SAFE_INT ((int64_t)1 << 53)

static bool valid_utf8(const unsigned char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF)
            n = 2, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            n = 3, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            n = 4, cp = c & 0x07, min = 0x10000;
        else
            return false;
        if (len - i < n) return false;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n;
    }
    return true;
}

/* A JSON string of valid UTF-8 text. */
static void put_string(exs_buf *b, const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        buf_put(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\b': buf_puts(b, "\\b"); break;
        case '\f': buf_puts(b, "\\f"); break;
        default: buf_printf(b, "\\u%04x", (unsigned)c); break;
        }
    }
    buf_put(b, s + run, len - run);
    buf_putc(b, '"');
}

static void put_base64(exs_buf *b, const unsigned char *s, size_t len) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    buf_putc(b, '"');
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < len) v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < len) v |= s[i + 2];
        buf_putc(b, tab[(v >> 18) & 63]);
        buf_putc(b, tab[(v >> 12) & 63]);
        buf_putc(b, i + 1 < len ? tab[(v >> 6) & 63] : '=');
        buf_putc(b, i + 2 < len ? tab[v & 63] : '=');
    }
    buf_putc(b, '"');
}

/* Decimal digits of a little-endian magnitude (nbytes > 0, normalized). */
static void put_decimal(exs_buf *b, const uint8_t *mag, uint32_t nbytes, bool neg) {
    uint32_t nl = (nbytes + 3) / 4;
    uint32_t *limbs = calloc(nl, sizeof *limbs);
    uint32_t *chunks = malloc(((size_t)nl * 10 / 9 + 2) * sizeof *chunks);
    if (!limbs || !chunks) {
        free(limbs);
        free(chunks);
        b->failed = true;
        return;
    }
    for (uint32_t i = 0; i < nbytes; i++) limbs[i / 4] |= (uint32_t)mag[i] << (8 * (i % 4));
    size_t nc = 0;
    do {
        uint64_t rem = 0;
        for (uint32_t i = nl; i-- > 0;) {
            uint64_t cur = (rem << 32) | limbs[i];
            limbs[i] = (uint32_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        chunks[nc++] = (uint32_t)rem;
        while (nl && limbs[nl - 1] == 0) nl--;
    } while (nl);
    if (neg) buf_putc(b, '-');
    buf_printf(b, "%u", chunks[nc - 1]);
    for (size_t i = nc - 1; i-- > 0;) buf_printf(b, "%09u", chunks[i]);
    free(limbs);
    free(chunks);
}

static void put_int(exs_buf *b, int64_t v) {
    if (v > -SAFE_INT && v < SAFE_INT) {
        buf_printf(b, "%lld", (long long)v);
        return;
    }
    buf_printf(b, "{\"int\":\"%lld\"}", (long long)v);
}

static void put_bigint(exs_buf *b, const uint8_t *mag, uint32_t n, bool neg) {
    while (n && mag[n - 1] == 0) n--;
    if (n <= 7) { /* < 2^56: maybe a safe integer */
        int64_t m = 0;
        for (uint32_t i = n; i-- > 0;) m = (m << 8) | mag[i];
        put_int(b, neg ? -m : m);
        return;
    }
    buf_puts(b, "{\"int\":\"");
    put_decimal(b, mag, n, neg);
    buf_puts(b, "\"}");
}

static void put_float(exs_buf *b, double f) {
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, f);
        if (strtod(tmp, NULL) == f) break;
    }
    buf_puts(b, "{\"float\":");
    buf_puts(b, tmp);
    buf_putc(b, '}');
}

static void put_atom_name(exs_buf *b, const char *s, size_t len) {
    if (valid_utf8((const unsigned char *)s, len)) {
        put_string(b, s, len);
    } else { /* not produced by the parser; kept lossless anyway */
        buf_puts(b, "{\"bytes\":");
        put_base64(b, (const unsigned char *)s, len);
        buf_putc(b, '}');
    }
}

static void put_term(json_writer *w, exs_ref r, exs_ref owner);

static void put_meta(json_writer *w, const exs_term *m, exs_ref owner) {
    exs_buf *b = w->b;
    buf_putc(b, '{');
    for (uint32_t i = 0; i < m->len; i++) {
        const exs_meta_kv *kv = &m->v.kv[i];
        if (i) buf_putc(b, ',');
        const char *key = exs_meta_key_name((exs_meta_key)kv->key);
        put_string(b, key, strlen(key));
        buf_putc(b, ':');
        if (kv->is_term)
            put_term(w, kv->value, EXS_REF_NONE);
        else
            buf_printf(b, "%u", (unsigned)kv->value);
    }
    if (w->ids && owner != EXS_REF_NONE) {
        char idbuf[40];
        exs_node_id_format(w->ids[owner], idbuf);
        if (m->len) buf_putc(b, ',');
        buf_puts(b, "\"node_id\":\"");
        buf_puts(b, idbuf);
        buf_putc(b, '"');
    }
    buf_putc(b, '}');
}

static void put_term(json_writer *w, exs_ref r, exs_ref owner) {
    const exs_tree *t = w->t;
    exs_buf *b = w->b;
    const exs_term *n = tree_get(t, r);
    if (b->failed) return;
    switch ((exs_term_kind)n->kind) {
    case EXS_TERM_INT:
        put_int(b, n->v.i);
        break;
    case EXS_TERM_BIGINT:
        put_bigint(b, (const uint8_t *)n->v.s, n->len, n->flags & EXS_TF_NEG);
        break;
    case EXS_TERM_FLOAT:
        put_float(b, n->v.f);
        break;
    case EXS_TERM_ATOM:
        if (tree_is_atom(t, r, "nil")) {
            buf_puts(b, "null");
        } else if (tree_is_atom(t, r, "true") || tree_is_atom(t, r, "false")) {
            buf_put(b, n->v.s, n->len);
        } else {
            buf_puts(b, "{\"atom\":");
            put_atom_name(b, n->v.s, n->len);
            buf_putc(b, '}');
        }
        break;
    case EXS_TERM_BINARY:
        if (valid_utf8((const unsigned char *)n->v.s, n->len)) {
            put_string(b, n->v.s, n->len);
        } else {
            buf_puts(b, "{\"bytes\":");
            put_base64(b, (const unsigned char *)n->v.s, n->len);
            buf_putc(b, '}');
        }
        break;
    case EXS_TERM_LIST:
        buf_putc(b, '[');
        for (uint32_t i = 0; i < n->len; i++) {
            if (i) buf_putc(b, ',');
            put_term(w, n->v.kids[i], EXS_REF_NONE);
        }
        buf_putc(b, ']');
        break;
    case EXS_TERM_TUPLE:
        if (tree_is_call(t, r)) {
            const exs_term *name = tree_get(t, n->v.kids[0]);
            if (name->kind == EXS_TERM_ATOM) {
                buf_puts(b, "{\"node\":");
                put_atom_name(b, name->v.s, name->len);
            } else {
                buf_puts(b, "{\"callee\":");
                put_term(w, n->v.kids[0], EXS_REF_NONE);
            }
            buf_puts(b, ",\"meta\":");
            put_term(w, n->v.kids[1], r);
            buf_puts(b, ",\"args\":");
            put_term(w, n->v.kids[2], EXS_REF_NONE);
            buf_putc(b, '}');
        } else {
            buf_puts(b, "{\"tuple\":[");
            for (uint32_t i = 0; i < n->len; i++) {
                if (i) buf_putc(b, ',');
                put_term(w, n->v.kids[i], EXS_REF_NONE);
            }
            buf_puts(b, "]}");
        }
        break;
    case EXS_TERM_META:
        put_meta(w, n, owner);
        break;
    }
}

bool write_json(const exs_tree *t, exs_ref root, const uint64_t *ids, exs_buf *out) {
    json_writer w = {t, ids, out};
    put_term(&w, root, EXS_REF_NONE);
    buf_putc(out, '\n');
    return !out->failed;
}
