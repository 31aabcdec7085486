/* hashmap.h: an open-addressing hash index (model: Redis dict.c, simplified).
 *
 * The map stores 32-bit values under 32-bit hashes and knows nothing of keys: the
 * caller keeps its records in its own arrays, stores their indices here, and checks
 * key equality itself while walking the probe sequence of a hash (hmap_first /
 * hmap_next). That keeps one small generic structure for every index of the store
 * (names, MFAs, node IDs) and lets several values share a key (multi-maps).
 *
 * Linear probing, power-of-two capacity, load factor <= 1/2, grows by doubling.
 * No deletion: the store's indexes are built once per generation and then only read.
 * Thread-safety: any number of readers once built; building is one thread. */
#ifndef EXS_HASHMAP_H
#define EXS_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HMAP_NONE UINT32_MAX

typedef struct hmap {
    uint32_t *hashes; /* per slot: the hash (meaningful only when vals[i] != HMAP_NONE) */
    uint32_t *vals;   /* per slot: value, HMAP_NONE when empty */
    uint32_t mask;    /* capacity - 1 (capacity 0 until the first put or init) */
    uint32_t count;
} hmap;

/* A probe position for walking every value stored under one hash. */
typedef struct hmap_it {
    uint32_t pos, hash;
} hmap_it;

/* Sizes the map for `expected` values (0 is fine). False on allocation failure. */
bool hmap_init(hmap *m, uint32_t expected);
void hmap_free(hmap *m);
/* Adds `val` (not HMAP_NONE) under `hash`; duplicates are kept. False on ENOMEM. */
bool hmap_put(hmap *m, uint32_t hash, uint32_t val);
/* The first value stored under `hash` (HMAP_NONE if none); then hmap_next for more. */
uint32_t hmap_first(const hmap *m, uint32_t hash, hmap_it *it);
uint32_t hmap_next(const hmap *m, hmap_it *it);
/* Bytes allocated, for memory accounting. */
size_t hmap_bytes(const hmap *m);

/* Hashes for keys (FNV-1a for strings, a 64-bit mix for integers). */
uint32_t hash_str(const char *s);
uint32_t hash_u64(uint64_t x);

#endif
