/* write_etf.c: a term tree as Erlang external term format (ETF, version 131).
 *
 * Design: one recursive walk that mirrors term_to_binary/1 as closely as the term
 * store allows, so `:erlang.binary_to_term/1` accepts every output and yields the
 * exact term Code.string_to_quoted/2 returns:
 *   INT     0..255 SMALL_INTEGER_EXT, int32 INTEGER_EXT, otherwise SMALL_BIG_EXT
 *   BIGINT  SMALL_BIG_EXT (<= 255 magnitude bytes) or LARGE_BIG_EXT; the magnitude is
 *           trimmed of high zero bytes, and a bigint that fits an int is written as one
 *   FLOAT   NEW_FLOAT_EXT (IEEE-754 big-endian)
 *   ATOM    SMALL_ATOM_UTF8_EXT (< 256 bytes) or ATOM_UTF8_EXT
 *   BINARY  BINARY_EXT
 *   LIST    NIL_EXT when empty; STRING_EXT when every element is an integer 0..255
 *           and there are fewer than 65536 (as term_to_binary does); else LIST_EXT
 *   TUPLE   SMALL_TUPLE_EXT or LARGE_TUPLE_EXT
 *   META    a keyword list: LIST_EXT of {key_atom, value} 2-tuples
 * With `ids`, an AST node's (3-tuple whose second element is META) metadata gets one
 * more trailing pair {node_id, <<"exs:...">>}.
 *
 * Invariants: the walk recurses once per nesting level; the parser bounds nesting
 * (exs_parse_options.max_depth), so stack use is bounded by the caller. Floats are
 * assumed finite (Elixir has no NaN/infinity literals). Output is a pure function of
 * the tree: no allocation besides the buffer. */
#include "writers.h"

#include <string.h>

#include "exscope.h"

enum {
    ETF_VERSION = 131,
    NEW_FLOAT_EXT = 70,
    SMALL_INTEGER_EXT = 97,
    INTEGER_EXT = 98,
    SMALL_TUPLE_EXT = 104,
    LARGE_TUPLE_EXT = 105,
    NIL_EXT = 106,
    STRING_EXT = 107,
    LIST_EXT = 108,
    BINARY_EXT = 109,
    SMALL_BIG_EXT = 110,
    LARGE_BIG_EXT = 111,
    ATOM_UTF8_EXT = 118,
    SMALL_ATOM_UTF8_EXT = 119,
};

typedef struct etf_writer {
    const exs_tree *t;
    const uint64_t *ids;
    exs_buf *b;
} etf_writer;

static void put_int(exs_buf *b, int64_t v) {
    if (v >= 0 && v <= 255) {
        buf_put_u8(b, SMALL_INTEGER_EXT);
        buf_put_u8(b, (uint8_t)v);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        buf_put_u8(b, INTEGER_EXT);
        buf_put_be32(b, (uint32_t)(int32_t)v);
    } else {
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        uint8_t bytes[8];
        uint8_t n = 0;
        while (mag) {
            bytes[n++] = (uint8_t)(mag & 0xff);
            mag >>= 8;
        }
        buf_put_u8(b, SMALL_BIG_EXT);
        buf_put_u8(b, n);
        buf_put_u8(b, v < 0 ? 1 : 0);
        buf_put(b, bytes, n);
    }
}

static void put_bigint(exs_buf *b, const uint8_t *mag, uint32_t n, bool neg) {
    while (n && mag[n - 1] == 0) n--;
    if (n <= 8) {
        uint64_t m = 0;
        for (uint32_t i = n; i-- > 0;) m = (m << 8) | mag[i];
        if (!neg && m <= (uint64_t)INT64_MAX) {
            put_int(b, (int64_t)m);
            return;
        }
        if (neg && m <= (uint64_t)INT64_MAX + 1) {
            put_int(b, m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m);
            return;
        }
    }
    if (n <= 255) {
        buf_put_u8(b, SMALL_BIG_EXT);
        buf_put_u8(b, (uint8_t)n);
    } else {
        buf_put_u8(b, LARGE_BIG_EXT);
        buf_put_be32(b, n);
    }
    buf_put_u8(b, neg ? 1 : 0);
    buf_put(b, mag, n);
}

static void put_float(exs_buf *b, double f) {
    uint64_t u;
    memcpy(&u, &f, sizeof u);
    buf_put_u8(b, NEW_FLOAT_EXT);
    buf_put_be32(b, (uint32_t)(u >> 32));
    buf_put_be32(b, (uint32_t)u);
}

static void put_atom(exs_buf *b, const char *s, size_t len) {
    if (len < 256) {
        buf_put_u8(b, SMALL_ATOM_UTF8_EXT);
        buf_put_u8(b, (uint8_t)len);
    } else {
        buf_put_u8(b, ATOM_UTF8_EXT);
        buf_put_be16(b, (uint16_t)len);
    }
    buf_put(b, s, len);
}

static void put_tuple_head(exs_buf *b, uint32_t n) {
    if (n < 256) {
        buf_put_u8(b, SMALL_TUPLE_EXT);
        buf_put_u8(b, (uint8_t)n);
    } else {
        buf_put_u8(b, LARGE_TUPLE_EXT);
        buf_put_be32(b, n);
    }
}

static void put_term(etf_writer *w, exs_ref r, exs_ref owner);

static void put_meta(etf_writer *w, const exs_term *m, exs_ref owner) {
    exs_buf *b = w->b;
    bool with_id = w->ids && owner != EXS_REF_NONE;
    uint32_t n = m->len + (with_id ? 1 : 0);
    if (!n) {
        buf_put_u8(b, NIL_EXT);
        return;
    }
    buf_put_u8(b, LIST_EXT);
    buf_put_be32(b, n);
    for (uint32_t i = 0; i < m->len; i++) {
        const exs_meta_kv *kv = &m->v.kv[i];
        const char *key = exs_meta_key_name((exs_meta_key)kv->key);
        put_tuple_head(b, 2);
        put_atom(b, key, strlen(key));
        if (kv->is_term)
            put_term(w, kv->value, EXS_REF_NONE);
        else
            put_int(b, (int64_t)kv->value);
    }
    if (with_id) {
        char idbuf[40];
        exs_node_id_format(w->ids[owner], idbuf);
        const char *key = exs_meta_key_name(EXS_META_NODE_ID);
        put_tuple_head(b, 2);
        put_atom(b, key, strlen(key));
        size_t len = strlen(idbuf);
        buf_put_u8(b, BINARY_EXT);
        buf_put_be32(b, (uint32_t)len);
        buf_put(b, idbuf, len);
    }
    buf_put_u8(b, NIL_EXT);
}

static bool is_byte_list(const exs_tree *t, const exs_term *n) {
    if (n->len >= 65536) return false;
    for (uint32_t i = 0; i < n->len; i++) {
        const exs_term *k = tree_get(t, n->v.kids[i]);
        if (k->kind != EXS_TERM_INT || k->v.i < 0 || k->v.i > 255) return false;
    }
    return true;
}

/* `owner` is the AST node whose metadata `r` is, or EXS_REF_NONE. */
static void put_term(etf_writer *w, exs_ref r, exs_ref owner) {
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
        put_atom(b, n->v.s, n->len);
        break;
    case EXS_TERM_BINARY:
        buf_put_u8(b, BINARY_EXT);
        buf_put_be32(b, n->len);
        buf_put(b, n->v.s, n->len);
        break;
    case EXS_TERM_LIST:
        if (!n->len) {
            buf_put_u8(b, NIL_EXT);
        } else if (is_byte_list(t, n)) {
            buf_put_u8(b, STRING_EXT);
            buf_put_be16(b, (uint16_t)n->len);
            for (uint32_t i = 0; i < n->len; i++)
                buf_put_u8(b, (uint8_t)tree_get(t, n->v.kids[i])->v.i);
        } else {
            buf_put_u8(b, LIST_EXT);
            buf_put_be32(b, n->len);
            for (uint32_t i = 0; i < n->len; i++) put_term(w, n->v.kids[i], EXS_REF_NONE);
            buf_put_u8(b, NIL_EXT);
        }
        break;
    case EXS_TERM_TUPLE: {
        bool is_node = tree_is_call(t, r);
        put_tuple_head(b, n->len);
        for (uint32_t i = 0; i < n->len; i++)
            put_term(w, n->v.kids[i], is_node && i == 1 ? r : EXS_REF_NONE);
        break;
    }
    case EXS_TERM_META:
        put_meta(w, n, owner);
        break;
    }
}

bool write_etf(const exs_tree *t, exs_ref root, const uint64_t *ids, exs_buf *out) {
    etf_writer w = {t, ids, out};
    buf_put_u8(out, ETF_VERSION);
    put_term(&w, root, EXS_REF_NONE);
    return !out->failed;
}
