/* arena.h: a chain-of-blocks bump allocator (model: git's mem-pool).
 *
 * Everything a parsed file owns (AST nodes' payloads, names, strings) lives in one
 * arena, so dropping a file is one arena_free(). Allocation never fails loudly: on
 * out-of-memory the arena sets a sticky `failed` flag and returns NULL; builders run on
 * and check arena_failed() once at the end. Not thread-safe: one arena per thread/job. */
#ifndef EXS_ARENA_H
#define EXS_ARENA_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct exs_arena exs_arena;

exs_arena *arena_new(size_t block_size);
void arena_free(exs_arena *a);
/* Drops every allocation but keeps the first block for reuse (scratch arenas). */
void arena_reset(exs_arena *a);
/* 8-byte aligned; NULL (and the sticky flag) on failure; n == 0 gives a valid pointer. */
void *arena_alloc(exs_arena *a, size_t n);
void *arena_alloc_zero(exs_arena *a, size_t n);
/* Copies len bytes and appends a NUL. */
char *arena_strndup(exs_arena *a, const char *s, size_t len);
void *arena_memdup(exs_arena *a, const void *p, size_t len);
bool arena_failed(const exs_arena *a);
/* Bytes obtained from the system (blocks), for memory accounting. */
size_t arena_reserved(const exs_arena *a);

#endif
