/* rng.h: the deterministic generator of the test tools (splitmix64): the same seed
 * gives the same mutants, snippets and terms on every machine. */
#ifndef EXS_TEST_RNG_H
#define EXS_TEST_RNG_H

#include <stdint.h>

static uint64_t rng_state;

static inline uint64_t rng_next(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif
