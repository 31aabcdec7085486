/* ast.h: the term store of one parsed file: Elixir's quoted form, node by node.
 *
 * Design: the AST is exactly the Erlang term Code.string_to_quoted/2 returns, stored
 * compactly. Terms are 16-byte nodes in one growable array and are referenced by
 * `exs_ref` (uint32 index); payloads (child arrays, strings, metadata) live in the
 * file's arena. A call/variable node `{name, meta, args}` is a 3-element TUPLE whose
 * second element is a META node (Elixir never puts a literal 3-tuple in an AST: those
 * become {:{}, meta, args}), so "is this an AST node" is a cheap check.
 *
 * Metadata is a keyword list in Elixir; it is stored as an ordered array of
 * (key, value) pairs where the key is an exs_meta_key and the value is either an
 * integer (line, column, newlines, indentation) or a ref to another term (nested
 * meta for closing/do/end/end_of_expression/last, a binary for delimiter, an atom
 * for format/no_parens/ambiguous_op). The order is Elixir's order, so writers emit
 * byte-identical ETF.
 *
 * Every term records its nesting depth, so the parser can bound the depth of what it
 * builds (the writers and the node-ID walk recurse once per level) even where a loop,
 * not recursion, nests terms (`1+1+1`, `a.b.c`, `f()()`).
 *
 * Ownership: an exs_tree owns its node array and its arena; tree_free() drops all.
 * Thread-safety: a tree is built by one thread; afterwards it is immutable and may be
 * read by any number of threads. */
#ifndef EXS_AST_H
#define EXS_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"

typedef uint32_t exs_ref;
#define EXS_REF_NONE UINT32_MAX

#define EXS_TERM_KINDS(X)                                                          \
    X(INT, "integer")        /* v.i */                                           \
    X(BIGINT, "bigint")      /* v.s: magnitude, little-endian bytes; len bytes;   \
                                flags & EXS_TF_NEG for negative */               \
    X(FLOAT, "float")        /* v.f */                                           \
    X(ATOM, "atom")          /* v.s, len: UTF-8 name, NUL-terminated */          \
    X(BINARY, "binary")      /* v.s, len: bytes (may contain NUL) */             \
    X(LIST, "list")          /* v.kids, len: proper list */                      \
    X(TUPLE, "tuple")        /* v.kids, len */                                   \
    X(META, "meta")          /* v.kv, len: keyword list of metadata */

typedef enum {
#define X(name, str) EXS_TERM_##name,
    EXS_TERM_KINDS(X)
#undef X
} exs_term_kind;

#define EXS_TF_NEG 1u

/* Metadata keys, in no particular order; the X-macro gives their atom names. */
#define EXS_META_KEYS(X)                                                           \
    X(LINE, "line")                                                                \
    X(COLUMN, "column")                                                            \
    X(NEWLINES, "newlines")                                                        \
    X(CLOSING, "closing")                                                          \
    X(DO, "do")                                                                    \
    X(END, "end")                                                                  \
    X(END_OF_EXPRESSION, "end_of_expression")                                      \
    X(DELIMITER, "delimiter")                                                      \
    X(INDENTATION, "indentation")                                                  \
    X(LAST, "last")                                                                \
    X(NO_PARENS, "no_parens")                                                      \
    X(AMBIGUOUS_OP, "ambiguous_op")                                                \
    X(FORMAT, "format")                                                            \
    X(TOKEN, "token")                                                              \
    X(NODE_ID, "node_id")

typedef enum {
#define X(name, str) EXS_META_##name,
    EXS_META_KEYS(X)
#undef X
    EXS_META__COUNT
} exs_meta_key;

const char *exs_meta_key_name(exs_meta_key k);

typedef struct exs_meta_kv {
    uint16_t key;     /* exs_meta_key */
    uint16_t is_term; /* 0: value is an integer; 1: value is an exs_ref */
    uint32_t value;
} exs_meta_kv;

typedef struct exs_term {
    uint8_t kind;  /* exs_term_kind */
    uint8_t flags; /* EXS_TF_* */
    uint16_t depth; /* nesting: 0 for leaves, else 1 + the deepest child (saturates) */
    uint32_t len;   /* children, bytes or meta entries */
    union {
        int64_t i;
        double f;
        const char *s;
        const exs_ref *kids;
        const exs_meta_kv *kv;
    } v;
} exs_term;

typedef struct exs_tree {
    exs_term *nodes;
    uint32_t count;
    uint32_t cap;
    exs_ref root;
    exs_arena *arena;
    bool failed; /* sticky: an allocation failed while building */
} exs_tree;

exs_tree *tree_new(void);
/* With the arena's block size chosen by the caller (small files: small blocks). */
exs_tree *tree_new_sized(size_t arena_block);
void tree_free(exs_tree *t);
/* Grows the node array to hold at least `count` nodes (avoids repeated regrowth when
 * the caller can estimate the size). False on allocation failure. */
bool tree_reserve(exs_tree *t, uint32_t count);
/* Gives back unused reserved node slots (after building). */
void tree_shrink(exs_tree *t);

static inline const exs_term *tree_get(const exs_tree *t, exs_ref r) { return &t->nodes[r]; }

#define EXS_DEPTH_MAX UINT16_MAX

/* Builders. Each returns the new node's ref; on allocation failure t->failed is set
 * and a valid placeholder ref (nil) is returned so callers can run on. */
exs_ref tree_int(exs_tree *t, int64_t v);
exs_ref tree_bigint(exs_tree *t, const uint8_t *mag_le, uint32_t nbytes, bool negative);
exs_ref tree_float(exs_tree *t, double v);
/* Atom names are copied into the arena unless `is_static` (string literal lifetime). */
exs_ref tree_atom(exs_tree *t, const char *name, size_t len);
exs_ref tree_atom_static(exs_tree *t, const char *name);
exs_ref tree_binary(exs_tree *t, const char *bytes, size_t len);
exs_ref tree_list(exs_tree *t, const exs_ref *items, uint32_t count);
exs_ref tree_tuple(exs_tree *t, const exs_ref *items, uint32_t count);
exs_ref tree_tuple2(exs_tree *t, exs_ref a, exs_ref b);
exs_ref tree_tuple3(exs_tree *t, exs_ref a, exs_ref b, exs_ref c);
exs_ref tree_meta(exs_tree *t, const exs_meta_kv *kv, uint32_t count);

/* Shared singletons made on tree_new(): nil, true, false, and the empty list. */
exs_ref tree_nil(const exs_tree *t);
exs_ref tree_true(const exs_tree *t);
exs_ref tree_false(const exs_tree *t);
exs_ref tree_empty_list(const exs_tree *t);

/* Queries. */
bool tree_is_atom(const exs_tree *t, exs_ref r, const char *name);
/* An AST node: a 3-tuple whose second element is META. */
bool tree_is_call(const exs_tree *t, exs_ref r);
/* Looks up an integer meta key of an AST node (or META node); -1 when absent. */
/* The value of keyword `key` in a keyword-list term (2-tuples with atom keys):
 * EXS_REF_NONE when `list` is EXS_REF_NONE, not a list, or has no such key. */
exs_ref tree_kw_get(const exs_tree *t, exs_ref list, const char *key);
int64_t tree_meta_int(const exs_tree *t, exs_ref node_or_meta, exs_meta_key key);

#endif
