/* hashmap.c: see hashmap.h. Values index the caller's records; the caller compares
 * keys. Slots hold (hash, value) in two parallel arrays so a probe touches 8 bytes. */
#include "hashmap.h"

#include <stdlib.h>
#include <string.h>

static bool alloc_slots(hmap *m, uint32_t cap) {
    uint32_t *h = malloc((size_t)cap * sizeof(uint32_t));
    uint32_t *v = malloc((size_t)cap * sizeof(uint32_t));
    if (!h || !v) {
        free(h);
        free(v);
        return false;
    }
    memset(v, 0xff, (size_t)cap * sizeof(uint32_t));
    m->hashes = h;
    m->vals = v;
    m->mask = cap - 1;
    return true;
}

bool hmap_init(hmap *m, uint32_t expected) {
    memset(m, 0, sizeof(*m));
    uint32_t cap = 8;
    while (cap < (uint64_t)expected * 2 && cap < (1u << 31)) cap <<= 1;
    return alloc_slots(m, cap);
}

void hmap_free(hmap *m) {
    free(m->hashes);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

static void place(hmap *m, uint32_t hash, uint32_t val) {
    uint32_t i = hash & m->mask;
    while (m->vals[i] != HMAP_NONE) i = (i + 1) & m->mask;
    m->hashes[i] = hash;
    m->vals[i] = val;
    m->count++;
}

bool hmap_put(hmap *m, uint32_t hash, uint32_t val) {
    if (!m->vals && !hmap_init(m, 0)) return false;
    if ((uint64_t)(m->count + 1) * 2 > (uint64_t)m->mask + 1) {
        hmap old = *m;
        if (old.mask >= (1u << 30) || !alloc_slots(m, (old.mask + 1) * 2)) {
            *m = old;
            return false;
        }
        m->count = 0;
        for (uint32_t i = 0; i <= old.mask; i++)
            if (old.vals[i] != HMAP_NONE) place(m, old.hashes[i], old.vals[i]);
        free(old.hashes);
        free(old.vals);
    }
    place(m, hash, val);
    return true;
}

uint32_t hmap_next(const hmap *m, hmap_it *it) {
    if (!m->vals) return HMAP_NONE;
    for (;;) {
        uint32_t i = it->pos;
        uint32_t v = m->vals[i];
        if (v == HMAP_NONE) return HMAP_NONE;
        it->pos = (i + 1) & m->mask;
        if (m->hashes[i] == it->hash) return v;
    }
}

uint32_t hmap_first(const hmap *m, uint32_t hash, hmap_it *it) {
    it->hash = hash;
    it->pos = m->vals ? hash & m->mask : 0;
    return hmap_next(m, it);
}

size_t hmap_bytes(const hmap *m) { return m->vals ? ((size_t)m->mask + 1) * 8 : 0; }

uint32_t hash_str(const char *s) {
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) h = (h ^ *p) * 16777619u;
    return h;
}

uint32_t hash_u64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb53a00000000ULL | 0x85ebca6bULL;
    x ^= x >> 33;
    return (uint32_t)x;
}
