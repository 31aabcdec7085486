/* arena.c: chain-of-blocks bump allocator. See arena.h for the contract.
 *
 * Invariant: `cur` is the block being filled; blocks form a singly linked list from
 * `head`. Requests larger than a quarter block get a block of their own so a single
 * 10 MB string does not waste the tail of a regular block. */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

typedef struct block {
    struct block *next;
    size_t cap;
    size_t used;
    max_align_t data[];
} block;

struct exs_arena {
    block *head;
    block *cur;
    size_t block_size;
    size_t reserved;
    bool failed;
};

static block *block_new(exs_arena *a, size_t cap) {
    block *b = malloc(sizeof(block) + cap);
    if (!b) {
        a->failed = true;
        return NULL;
    }
    b->next = NULL;
    b->cap = cap;
    b->used = 0;
    a->reserved += sizeof(block) + cap;
    return b;
}

exs_arena *arena_new(size_t block_size) {
    exs_arena *a = calloc(1, sizeof(*a));
    if (!a) return NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->head = a->cur = block_new(a, a->block_size);
    if (!a->head) {
        free(a);
        return NULL;
    }
    return a;
}

void arena_free(exs_arena *a) {
    if (!a) return;
    block *b = a->head;
    while (b) {
        block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void arena_reset(exs_arena *a) {
    block *b = a->head->next;
    while (b) {
        block *n = b->next;
        a->reserved -= sizeof(block) + b->cap;
        free(b);
        b = n;
    }
    a->head->next = NULL;
    a->head->used = 0;
    a->cur = a->head;
    a->failed = false;
}

void *arena_alloc(exs_arena *a, size_t n) {
    n = (n + 7) & ~(size_t)7;
    block *c = a->cur;
    if (c->cap - c->used >= n) {
        void *p = (char *)c->data + c->used;
        c->used += n;
        return p;
    }
    if (n > a->block_size / 4) {
        /* Big request: its own block, linked after the current one so the current
         * block keeps filling. */
        block *b = block_new(a, n);
        if (!b) return NULL;
        b->used = n;
        b->next = c->next;
        c->next = b;
        return b->data;
    }
    block *b = block_new(a, a->block_size);
    if (!b) return NULL;
    /* Append at the end of the chain: cur is always the last regular block. */
    while (c->next) c = c->next;
    c->next = b;
    a->cur = b;
    b->used = n;
    return b->data;
}

void *arena_alloc_zero(exs_arena *a, size_t n) {
    void *p = arena_alloc(a, n);
    if (p) memset(p, 0, n);
    return p;
}

void *arena_memdup(exs_arena *a, const void *p, size_t len) {
    void *q = arena_alloc(a, len);
    if (q && len) memcpy(q, p, len);
    return q;
}

char *arena_strndup(exs_arena *a, const char *s, size_t len) {
    char *q = arena_alloc(a, len + 1);
    if (!q) return NULL;
    if (len) memcpy(q, s, len);
    q[len] = 0;
    return q;
}

bool arena_failed(const exs_arena *a) { return a->failed; }
size_t arena_reserved(const exs_arena *a) { return a->reserved; }
