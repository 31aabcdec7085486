/* ast.c: the term store; see ast.h for the design.
 *
 * Invariant: nodes[0..3] are the shared atoms nil, true, false and the empty list, so a
 * builder that fails can return ref 0 (nil) and the tree stays well-formed. */
#include "ast.h"

#include <stdlib.h>
#include <string.h>

static const char *const meta_names[] = {
#define X(name, str) str,
    EXS_META_KEYS(X)
#undef X
};

const char *exs_meta_key_name(exs_meta_key k) {
    return (unsigned)k < EXS_META__COUNT ? meta_names[k] : "?";
}

static exs_ref push(exs_tree *t, exs_term n) {
    if (t->count == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 1024;
        exs_term *nn = realloc(t->nodes, (size_t)cap * sizeof(exs_term));
        if (!nn || cap < t->cap) {
            t->failed = true;
            return 0;
        }
        t->nodes = nn;
        t->cap = cap;
    }
    t->nodes[t->count] = n;
    return t->count++;
}

bool tree_reserve(exs_tree *t, uint32_t count) {
    if (count <= t->cap) return true;
    exs_term *nn = realloc(t->nodes, (size_t)count * sizeof(exs_term));
    if (!nn) return false;
    t->nodes = nn;
    t->cap = count;
    return true;
}

void tree_shrink(exs_tree *t) {
    if (t->count == t->cap || !t->count) return;
    exs_term *nn = realloc(t->nodes, (size_t)t->count * sizeof(exs_term));
    if (!nn) return; /* keeping the larger array is fine */
    t->nodes = nn;
    t->cap = t->count;
}

exs_tree *tree_new(void) { return tree_new_sized(64 * 1024); }

exs_tree *tree_new_sized(size_t arena_block) {
    exs_tree *t = calloc(1, sizeof(*t));
    if (!t) return NULL;
    t->arena = arena_new(arena_block);
    if (!t->arena) {
        free(t);
        return NULL;
    }
    t->root = EXS_REF_NONE;
    tree_atom_static(t, "nil");
    tree_atom_static(t, "true");
    tree_atom_static(t, "false");
    push(t, (exs_term){.kind = EXS_TERM_LIST});
    if (t->failed) {
        tree_free(t);
        return NULL;
    }
    return t;
}

void tree_free(exs_tree *t) {
    if (!t) return;
    free(t->nodes);
    arena_free(t->arena);
    free(t);
}

exs_ref tree_nil(const exs_tree *t) { (void)t; return 0; }
exs_ref tree_true(const exs_tree *t) { (void)t; return 1; }
exs_ref tree_false(const exs_tree *t) { (void)t; return 2; }
exs_ref tree_empty_list(const exs_tree *t) { (void)t; return 3; }

exs_ref tree_int(exs_tree *t, int64_t v) {
    return push(t, (exs_term){.kind = EXS_TERM_INT, .v.i = v});
}

exs_ref tree_bigint(exs_tree *t, const uint8_t *mag, uint32_t nbytes, bool negative) {
    const char *s = arena_memdup(t->arena, mag, nbytes);
    if (!s) {
        t->failed = true;
        return 0;
    }
    return push(t, (exs_term){.kind = EXS_TERM_BIGINT,
                              .flags = negative ? EXS_TF_NEG : 0,
                              .len = nbytes,
                              .v.s = s});
}

exs_ref tree_float(exs_tree *t, double v) {
    return push(t, (exs_term){.kind = EXS_TERM_FLOAT, .v.f = v});
}

exs_ref tree_atom(exs_tree *t, const char *name, size_t len) {
    const char *s = arena_strndup(t->arena, name, len);
    if (!s) {
        t->failed = true;
        return 0;
    }
    return push(t, (exs_term){.kind = EXS_TERM_ATOM, .len = (uint32_t)len, .v.s = s});
}

exs_ref tree_atom_static(exs_tree *t, const char *name) {
    return push(t, (exs_term){.kind = EXS_TERM_ATOM, .len = (uint32_t)strlen(name), .v.s = name});
}

exs_ref tree_binary(exs_tree *t, const char *bytes, size_t len) {
    const char *s = arena_strndup(t->arena, bytes, len);
    if (!s) {
        t->failed = true;
        return 0;
    }
    return push(t, (exs_term){.kind = EXS_TERM_BINARY, .len = (uint32_t)len, .v.s = s});
}

/* 1 + the depth of the deepest of kids, saturating at EXS_DEPTH_MAX. */
static uint16_t depth_over(const exs_tree *t, const exs_ref *kids, uint32_t count) {
    uint16_t d = 0;
    for (uint32_t i = 0; i < count; i++)
        if (t->nodes[kids[i]].depth > d) d = t->nodes[kids[i]].depth;
    return d < EXS_DEPTH_MAX ? (uint16_t)(d + 1) : d;
}

static exs_ref seq(exs_tree *t, uint8_t kind, const exs_ref *items, uint32_t count) {
    const exs_ref *kids = NULL;
    if (count) {
        kids = arena_memdup(t->arena, items, (size_t)count * sizeof(exs_ref));
        if (!kids) {
            t->failed = true;
            return 0;
        }
    }
    return push(t, (exs_term){.kind = kind, .depth = depth_over(t, items, count), .len = count,
                              .v.kids = kids});
}

exs_ref tree_list(exs_tree *t, const exs_ref *items, uint32_t count) {
    if (!count) return tree_empty_list(t);
    return seq(t, EXS_TERM_LIST, items, count);
}

exs_ref tree_tuple(exs_tree *t, const exs_ref *items, uint32_t count) {
    return seq(t, EXS_TERM_TUPLE, items, count);
}

/* The two most frequent shapes write their children straight into the arena. */
exs_ref tree_tuple2(exs_tree *t, exs_ref a, exs_ref b) {
    exs_ref *k = arena_alloc(t->arena, 2 * sizeof(exs_ref));
    if (!k) {
        t->failed = true;
        return 0;
    }
    k[0] = a;
    k[1] = b;
    return push(t, (exs_term){.kind = EXS_TERM_TUPLE, .depth = depth_over(t, k, 2), .len = 2,
                              .v.kids = k});
}

exs_ref tree_tuple3(exs_tree *t, exs_ref a, exs_ref b, exs_ref c) {
    exs_ref *k = arena_alloc(t->arena, 3 * sizeof(exs_ref));
    if (!k) {
        t->failed = true;
        return 0;
    }
    k[0] = a;
    k[1] = b;
    k[2] = c;
    return push(t, (exs_term){.kind = EXS_TERM_TUPLE, .depth = depth_over(t, k, 3), .len = 3,
                              .v.kids = k});
}

exs_ref tree_meta(exs_tree *t, const exs_meta_kv *kv, uint32_t count) {
    const exs_meta_kv *p = NULL;
    if (count) {
        p = arena_memdup(t->arena, kv, (size_t)count * sizeof(exs_meta_kv));
        if (!p) {
            t->failed = true;
            return 0;
        }
    }
    uint16_t d = 0; /* nested metas (closing: [...]) count as children */
    for (uint32_t i = 0; i < count; i++)
        if (kv[i].is_term && t->nodes[kv[i].value].depth > d) d = t->nodes[kv[i].value].depth;
    if (d < EXS_DEPTH_MAX) d++;
    return push(t, (exs_term){.kind = EXS_TERM_META, .depth = d, .len = count, .v.kv = p});
}

bool tree_is_atom(const exs_tree *t, exs_ref r, const char *name) {
    const exs_term *n = &t->nodes[r];
    return n->kind == EXS_TERM_ATOM && strlen(name) == n->len && memcmp(n->v.s, name, n->len) == 0;
}

bool tree_is_call(const exs_tree *t, exs_ref r) {
    const exs_term *n = &t->nodes[r];
    return n->kind == EXS_TERM_TUPLE && n->len == 3 &&
           t->nodes[n->v.kids[1]].kind == EXS_TERM_META;
}

exs_ref tree_kw_get(const exs_tree *t, exs_ref list, const char *key) {
    if (list == EXS_REF_NONE) return EXS_REF_NONE;
    const exs_term *l = &t->nodes[list];
    if (l->kind != EXS_TERM_LIST) return EXS_REF_NONE;
    for (uint32_t i = 0; i < l->len; i++) {
        const exs_term *p = &t->nodes[l->v.kids[i]];
        if (p->kind == EXS_TERM_TUPLE && p->len == 2 && tree_is_atom(t, p->v.kids[0], key))
            return p->v.kids[1];
    }
    return EXS_REF_NONE;
}

int64_t tree_meta_int(const exs_tree *t, exs_ref r, exs_meta_key key) {
    const exs_term *n = &t->nodes[r];
    if (n->kind == EXS_TERM_TUPLE && n->len == 3) n = &t->nodes[n->v.kids[1]];
    if (n->kind != EXS_TERM_META) return -1;
    for (uint32_t i = 0; i < n->len; i++)
        if (n->v.kv[i].key == key && !n->v.kv[i].is_term) return n->v.kv[i].value;
    return -1;
}
