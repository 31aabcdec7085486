/* node_id.c: stable 64-bit IDs for the AST nodes of one file (docs/node_ids.md).
 *
 * Layout: file (22 bits) | anchor (22 bits) | local (20 bits); printable form
 * "exs:<file hex>:<anchor hex>:<local hex>" (lowercase, no leading zeros).
 *
 * Design: the file is cut into *anchors*, each named by an identity key that does not
 * depend on what comes before it in the file except for its own repetitions:
 *   - a definition (def, defp, defmacro, defmacrop, defguard, defguardp, defdelegate,
 *     defn, defnp) met outside another definition: "<module path>|<kind>|<name>/<arity>"
 *   - a module (defmodule, defprotocol, defimpl): "<module path>|module"
 *   - any other top-level expression of a module body or of the file:
 *     "<module path>|expr|<call name>" (for `@attr` the name is "@attr")
 *   - the file itself (the nodes of the root that are no expression): "|file"
 * Keys that repeat get an occurrence ordinal ("#0", "#1", ...), counted in file order.
 * The anchor number is a 22-bit hash of "<key>#<ordinal>"; when two anchors of one
 * file hash alike, the later one (in pre-order) probes to the next free number.
 * `local` is the pre-order index of the node among the AST nodes of its anchor (a
 * definition's own call node is 0); the nodes of a nested anchor are not counted in
 * the enclosing one, so adding nodes to one function shifts nothing elsewhere. An
 * anchor with more than 2^20 nodes continues in an overflow anchor keyed
 * "<key>#<ordinal>~<k>".
 *
 * Only AST nodes (3-tuples whose second element is META) get IDs; literals, lists and
 * metadata get 0, like nodes unreachable from the root. A node reachable twice (shared
 * ref) keeps the ID of its first visit.
 *
 * Invariants: IDs are unique within a file (anchors are distinct by probing, locals
 * by counting) and across files when callers give distinct 22-bit file ids. The
 * walk recurses once per term nesting level, bounded by the parser's depth limit. */
#include "node_id.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exscope.h"

#define FILE_BITS 22
#define ANCHOR_BITS 22
#define LOCAL_BITS 20
#define ANCHOR_COUNT (1u << ANCHOR_BITS)
#define LOCAL_LIMIT (1u << LOCAL_BITS)

/* ---- Printable form -------------------------------------------------------------- */

char *exs_node_id_format(exs_node_id id, char buf[40]) {
    unsigned file = (unsigned)(id >> (ANCHOR_BITS + LOCAL_BITS));
    unsigned anchor = (unsigned)((id >> LOCAL_BITS) & (ANCHOR_COUNT - 1));
    unsigned local = (unsigned)(id & (LOCAL_LIMIT - 1));
    snprintf(buf, 40, "exs:%x:%x:%x", file, anchor, local);
    return buf;
}

static const char *parse_hex(const char *s, unsigned bits, uint64_t *out) {
    uint64_t v = 0;
    const char *p = s;
    for (; *p; p++) {
        int d;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (*p >= 'a' && *p <= 'f')
            d = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'F')
            d = *p - 'A' + 10;
        else
            break;
        if (p - s >= 8) return NULL;
        v = (v << 4) | (uint64_t)d;
    }
    if (p == s || v >= ((uint64_t)1 << bits)) return NULL;
    *out = v;
    return p;
}

bool exs_node_id_parse(const char *s, exs_node_id *out) {
    uint64_t f, a, l;
    if (!s || strncmp(s, "exs:", 4) != 0) return false;
    s = parse_hex(s + 4, FILE_BITS, &f);
    if (!s || *s++ != ':') return false;
    s = parse_hex(s, ANCHOR_BITS, &a);
    if (!s || *s++ != ':') return false;
    s = parse_hex(s, LOCAL_BITS, &l);
    if (!s || *s) return false;
    if (out) *out = (f << (ANCHOR_BITS + LOCAL_BITS)) | (a << LOCAL_BITS) | l;
    return true;
}

/* ---- Hashing --------------------------------------------------------------------- */

static uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

#define FNV_INIT 0xcbf29ce484222325ull

/* ---- Walk state ------------------------------------------------------------------ */

typedef struct key_count {
    uint64_t hash; /* 0: empty slot */
    uint32_t count;
} key_count;

typedef struct id_ctx {
    const exs_tree *t;
    uint64_t *ids;
    uint8_t *seen;       /* bitmap over refs */
    uint32_t *used;      /* claimed anchors + 1, open addressing (0: empty) */
    uint32_t used_cap;   /* power of two */
    uint32_t used_len;
    key_count *counts;   /* occurrence counts per identity key */
    uint32_t counts_cap; /* power of two */
    uint32_t counts_len;
    uint64_t file;
    bool failed;
} id_ctx;

typedef enum { A_FILE, A_MODULE, A_DEF, A_EXPR } anchor_kind;

typedef struct anchor_state {
    anchor_kind kind;
    uint64_t key_hash; /* hash of "<key>#<ordinal>" */
    uint32_t anchor;
    uint32_t next_local;
    uint32_t overflows;
} anchor_state;

static uint32_t next_ordinal(id_ctx *c, uint64_t h) {
    if (!h) h = 1;
    if (c->counts_len * 2 >= c->counts_cap) {
        uint32_t cap = c->counts_cap ? c->counts_cap * 2 : 256;
        key_count *nc = calloc(cap, sizeof *nc);
        if (!nc) {
            c->failed = true;
            return 0;
        }
        for (uint32_t i = 0; i < c->counts_cap; i++) {
            if (!c->counts[i].hash) continue;
            uint32_t j = (uint32_t)mix64(c->counts[i].hash) & (cap - 1);
            while (nc[j].hash) j = (j + 1) & (cap - 1);
            nc[j] = c->counts[i];
        }
        free(c->counts);
        c->counts = nc;
        c->counts_cap = cap;
    }
    uint32_t j = (uint32_t)mix64(h) & (c->counts_cap - 1);
    while (c->counts[j].hash && c->counts[j].hash != h) j = (j + 1) & (c->counts_cap - 1);
    if (!c->counts[j].hash) {
        c->counts[j].hash = h;
        c->counts_len++;
    }
    return c->counts[j].count++;
}

/* The set of claimed anchors is a small hash set sized to the file's anchor count
 * (a 2^22-bit bitmap costs a 512 KB clear per file, most of a small file's parse). */
static bool anchor_used(const id_ctx *c, uint32_t a) {
    uint32_t j = (uint32_t)mix64(a) & (c->used_cap - 1);
    while (c->used[j]) {
        if (c->used[j] == a + 1) return true;
        j = (j + 1) & (c->used_cap - 1);
    }
    return false;
}

static void anchor_add(id_ctx *c, uint32_t a) {
    if (c->used_len * 2 >= c->used_cap) {
        uint32_t cap = c->used_cap ? c->used_cap * 2 : 64;
        uint32_t *nu = calloc(cap, sizeof *nu);
        if (!nu) {
            c->failed = true;
            return;
        }
        for (uint32_t i = 0; i < c->used_cap; i++) {
            if (!c->used[i]) continue;
            uint32_t j = (uint32_t)mix64(c->used[i] - 1) & (cap - 1);
            while (nu[j]) j = (j + 1) & (cap - 1);
            nu[j] = c->used[i];
        }
        free(c->used);
        c->used = nu;
        c->used_cap = cap;
    }
    uint32_t j = (uint32_t)mix64(a) & (c->used_cap - 1);
    while (c->used[j]) j = (j + 1) & (c->used_cap - 1);
    c->used[j] = a + 1;
    c->used_len++;
}

static uint32_t claim_anchor(id_ctx *c, uint64_t h) {
    uint32_t a = (uint32_t)(mix64(h) & (ANCHOR_COUNT - 1));
    /* at most 2^22 anchors can exist only with > 2^22 AST nodes; wrap around */
    for (uint32_t tries = 0; tries < ANCHOR_COUNT && c->used_cap && anchor_used(c, a); tries++)
        a = (a + 1) & (ANCHOR_COUNT - 1);
    anchor_add(c, a);
    return a;
}

/* Opens the anchor named by `key` (its ordinal appended). */
static anchor_state open_anchor(id_ctx *c, anchor_kind kind, const char *key, size_t len) {
    uint64_t kh = fnv1a(FNV_INIT, key, len);
    uint32_t ord = next_ordinal(c, kh);
    char tail[16];
    int tl = snprintf(tail, sizeof tail, "#%u", ord);
    uint64_t h = fnv1a(kh, tail, (size_t)tl);
    anchor_state st = {kind, h, claim_anchor(c, h), 0, 0};
    return st;
}

static void assign(id_ctx *c, anchor_state *st, exs_ref r) {
    if (st->next_local == LOCAL_LIMIT) {
        char tail[16];
        int tl = snprintf(tail, sizeof tail, "~%u", ++st->overflows);
        st->anchor = claim_anchor(c, fnv1a(st->key_hash, tail, (size_t)tl));
        st->next_local = 0;
    }
    c->ids[r] = (c->file << (ANCHOR_BITS + LOCAL_BITS)) | ((uint64_t)st->anchor << LOCAL_BITS) |
                st->next_local++;
}

/* ---- Recognizing definitions and modules ---------------------------------------- */

static const char *const def_kinds[] = {"def",       "defp",        "defmacro", "defmacrop",
                                        "defguard",  "defguardp",   "defdelegate", "defn",
                                        "defnp",     NULL};
static const char *const module_kinds[] = {"defmodule", "defprotocol", "defimpl", NULL};

/* Every name in def_kinds and module_kinds starts with "def" and is 3 to 11 bytes:
 * most call names are rejected on that before any string compare. */
static bool atom_in(const exs_tree *t, exs_ref r, const char *const *set) {
    const exs_term *n = tree_get(t, r);
    if (n->kind != EXS_TERM_ATOM || n->len < 3 || n->len > 11 || memcmp(n->v.s, "def", 3) != 0)
        return false;
    for (; *set; set++)
        if (strlen(*set) == n->len && memcmp(*set, n->v.s, n->len) == 0) return true;
    return false;
}

static const exs_term *kid(const exs_tree *t, const exs_term *n, uint32_t i) {
    return tree_get(t, n->v.kids[i]);
}

/* A bounded text key builder. */
typedef struct keybuf {
    char s[512];
    size_t len;
} keybuf;

static void kb_put(keybuf *k, const char *s, size_t n) {
    if (n > sizeof k->s - 1 - k->len) n = sizeof k->s - 1 - k->len;
    memcpy(k->s + k->len, s, n);
    k->len += n;
    k->s[k->len] = 0;
}
static void kb_puts(keybuf *k, const char *s) { kb_put(k, s, strlen(s)); }

/* Appends a module name: an alias {:__aliases__, _, [:A, :B]} as "A.B", an atom as
 * itself, anything else as "?". */
static void kb_module(keybuf *k, const exs_tree *t, exs_ref r) {
    const exs_term *n = tree_get(t, r);
    if (n->kind == EXS_TERM_ATOM) {
        kb_put(k, n->v.s, n->len);
        return;
    }
    if (tree_is_call(t, r) && tree_is_atom(t, n->v.kids[0], "__aliases__")) {
        const exs_term *segs = kid(t, n, 2);
        if (segs->kind == EXS_TERM_LIST) {
            for (uint32_t i = 0; i < segs->len; i++) {
                if (i) kb_puts(k, ".");
                kb_module(k, t, segs->v.kids[i]);
            }
            return;
        }
    }
    if (tree_is_call(t, r) && tree_get(t, n->v.kids[0])->kind == EXS_TERM_ATOM) {
        kb_puts(k, "?");
        kb_put(k, kid(t, n, 0)->v.s, kid(t, n, 0)->len);
        return;
    }
    kb_puts(k, "?");
}

/* "name/arity" of a definition head (`when` guards stripped). */
static void kb_head(keybuf *k, const exs_tree *t, exs_ref head) {
    for (int guard = 0; guard < 8; guard++) {
        const exs_term *h = tree_get(t, head);
        if (!tree_is_call(t, head) || !tree_is_atom(t, h->v.kids[0], "when")) break;
        const exs_term *args = kid(t, h, 2);
        if (args->kind != EXS_TERM_LIST || args->len == 0) break;
        head = args->v.kids[0];
    }
    const exs_term *h = tree_get(t, head);
    if (!tree_is_call(t, head)) {
        kb_puts(k, "?");
        return;
    }
    const exs_term *name = kid(t, h, 0);
    if (name->kind == EXS_TERM_ATOM)
        kb_put(k, name->v.s, name->len);
    else
        kb_puts(k, "?");
    const exs_term *args = kid(t, h, 2);
    char ar[16];
    snprintf(ar, sizeof ar, "/%u", args->kind == EXS_TERM_LIST ? args->len : 0u);
    kb_puts(k, ar);
}

/* ---- The walk -------------------------------------------------------------------- */

static void walk(id_ctx *c, exs_ref r, anchor_state *st, const char *path);

static void walk_top_expr(id_ctx *c, exs_ref r, const char *path);

static bool mark_seen(id_ctx *c, exs_ref r) {
    if (c->seen[r >> 3] & (1u << (r & 7))) return false;
    c->seen[r >> 3] |= (uint8_t)(1u << (r & 7));
    return true;
}

/* The expressions of a body: __block__'s arguments, or the body itself. */
static void walk_body(id_ctx *c, exs_ref body, anchor_state *st, const char *path) {
    const exs_tree *t = c->t;
    const exs_term *b = tree_get(t, body);
    if (tree_is_call(t, body) && tree_is_atom(t, b->v.kids[0], "__block__") &&
        kid(t, b, 2)->kind == EXS_TERM_LIST) {
        if (!mark_seen(c, body)) return;
        assign(c, st, body);
        const exs_term *args = kid(t, b, 2);
        for (uint32_t i = 0; i < args->len; i++) walk_top_expr(c, args->v.kids[i], path);
    } else {
        walk_top_expr(c, body, path);
    }
}

static void walk_module(id_ctx *c, exs_ref r, const char *path) {
    const exs_tree *t = c->t;
    const exs_term *n = tree_get(t, r);
    const exs_term *args = kid(t, n, 2);
    keybuf k = {{0}, 0};
    kb_puts(&k, path);
    if (*path) kb_puts(&k, "/");
    if (args->kind == EXS_TERM_LIST && args->len > 0) {
        kb_module(&k, t, args->v.kids[0]);
        if (tree_is_atom(t, n->v.kids[0], "defimpl")) {
            for (uint32_t i = 1; i < args->len; i++) {
                exs_ref f = tree_kw_get(t, args->v.kids[i], "for");
                if (f != EXS_REF_NONE) {
                    kb_puts(&k, "@for:");
                    kb_module(&k, t, f);
                }
            }
        }
    }
    char mpath[512];
    memcpy(mpath, k.s, k.len + 1);
    kb_puts(&k, "|module");
    anchor_state st = open_anchor(c, A_MODULE, k.s, k.len);
    if (!mark_seen(c, r)) return;
    assign(c, &st, r);
    walk(c, n->v.kids[0], &st, mpath);
    if (args->kind != EXS_TERM_LIST) {
        walk(c, n->v.kids[2], &st, mpath);
        return;
    }
    for (uint32_t i = 0; i < args->len; i++) {
        exs_ref body = tree_kw_get(t, args->v.kids[i], "do");
        if (body == EXS_REF_NONE) {
            walk(c, args->v.kids[i], &st, mpath);
            continue;
        }
        /* the keyword list [do: body, ...]: the body's expressions are anchors of
         * their own; anything else in the list belongs to the module anchor */
        const exs_term *kw = tree_get(t, args->v.kids[i]);
        for (uint32_t j = 0; j < kw->len; j++) {
            const exs_term *p = kid(t, kw, j);
            if (p->kind != EXS_TERM_TUPLE || p->len != 2) {
                walk(c, kw->v.kids[j], &st, mpath);
                continue;
            }
            walk(c, p->v.kids[0], &st, mpath);
            if (p->v.kids[1] == body)
                walk_body(c, body, &st, mpath);
            else
                walk(c, p->v.kids[1], &st, mpath);
        }
    }
}

static void walk_def(id_ctx *c, exs_ref r, const char *path) {
    const exs_tree *t = c->t;
    const exs_term *n = tree_get(t, r);
    keybuf k = {{0}, 0};
    kb_puts(&k, path);
    kb_puts(&k, "|");
    kb_put(&k, kid(t, n, 0)->v.s, kid(t, n, 0)->len);
    kb_puts(&k, "|");
    const exs_term *args = kid(t, n, 2);
    if (args->kind == EXS_TERM_LIST && args->len > 0)
        kb_head(&k, t, args->v.kids[0]);
    else
        kb_puts(&k, "?");
    anchor_state st = open_anchor(c, A_DEF, k.s, k.len);
    walk(c, r, &st, path);
}

static void walk_top_expr(id_ctx *c, exs_ref r, const char *path) {
    const exs_tree *t = c->t;
    if (!tree_is_call(t, r)) {
        /* a literal (or list/tuple) expression: its AST nodes, if any, form one
         * anchor named by the expression kind */
        keybuf k = {{0}, 0};
        kb_puts(&k, path);
        kb_puts(&k, "|expr|literal");
        anchor_state st = open_anchor(c, A_EXPR, k.s, k.len);
        walk(c, r, &st, path);
        return;
    }
    const exs_term *n = tree_get(t, r);
    if (atom_in(t, n->v.kids[0], module_kinds)) {
        walk_module(c, r, path);
        return;
    }
    if (atom_in(t, n->v.kids[0], def_kinds)) {
        walk_def(c, r, path);
        return;
    }
    keybuf k = {{0}, 0};
    kb_puts(&k, path);
    kb_puts(&k, "|expr|");
    const exs_term *name = kid(t, n, 0);
    if (name->kind == EXS_TERM_ATOM) {
        kb_put(&k, name->v.s, name->len);
        const exs_term *args = kid(t, n, 2);
        if (tree_is_atom(t, n->v.kids[0], "@") && args->kind == EXS_TERM_LIST && args->len == 1 &&
            tree_is_call(t, args->v.kids[0])) {
            const exs_term *attr = kid(t, args, 0);
            if (kid(t, attr, 0)->kind == EXS_TERM_ATOM)
                kb_put(&k, kid(t, attr, 0)->v.s, kid(t, attr, 0)->len);
        }
    } else {
        kb_puts(&k, "?");
    }
    anchor_state st = open_anchor(c, A_EXPR, k.s, k.len);
    walk(c, r, &st, path);
}

/* Pre-order over the AST nodes of `r` in anchor `st`; definitions met outside a
 * definition open their own anchors. Metadata holds no AST nodes and is skipped. */
static void walk(id_ctx *c, exs_ref r, anchor_state *st, const char *path) {
    const exs_tree *t = c->t;
    const exs_term *n = tree_get(t, r);
    if (c->failed) return;
    if (n->kind == EXS_TERM_LIST) {
        for (uint32_t i = 0; i < n->len; i++) walk(c, n->v.kids[i], st, path);
        return;
    }
    if (n->kind != EXS_TERM_TUPLE) return;
    if (!tree_is_call(t, r)) {
        for (uint32_t i = 0; i < n->len; i++) walk(c, n->v.kids[i], st, path);
        return;
    }
    if (st->kind != A_DEF && atom_in(t, n->v.kids[0], def_kinds)) {
        walk_def(c, r, path);
        return;
    }
    if (!mark_seen(c, r)) return;
    assign(c, st, r);
    walk(c, n->v.kids[0], st, path);
    walk(c, n->v.kids[2], st, path);
}

uint64_t *node_ids_compute(const exs_tree *t, uint32_t file_id) {
    id_ctx c = {0};
    c.t = t;
    c.file = file_id & ((1u << FILE_BITS) - 1);
    c.ids = calloc(t->count ? t->count : 1, sizeof *c.ids);
    c.seen = calloc((t->count + 7) / 8 + 1, 1);
    if (!c.ids || !c.seen) goto fail;
    if (t->root != EXS_REF_NONE && t->root < t->count) {
        keybuf k = {{0}, 0};
        kb_puts(&k, "|file");
        anchor_state st = open_anchor(&c, A_FILE, k.s, k.len);
        walk_body(&c, t->root, &st, "");
    }
    if (c.failed) goto fail;
    free(c.seen);
    free(c.used);
    free(c.counts);
    return c.ids;
fail:
    free(c.ids);
    free(c.seen);
    free(c.used);
    free(c.counts);
    return NULL;
}
