/* pool.h: a fixed pool of worker threads running jobs from one queue.
 *
 * Used by the CLI and (later) the populator: one job per file, each with its own
 * arena, sharing nothing; results are handed back through the job's own memory.
 * Thread-safety: pool_submit and pool_wait may be called from one thread (the owner)
 * while workers run; a job function must not call back into its pool. */
#ifndef EXS_POOL_H
#define EXS_POOL_H

#include <stddef.h>

typedef struct exs_pool exs_pool;
typedef void (*pool_fn)(void *arg);

/* Starts `threads` workers (0: one per online core). NULL on failure. */
exs_pool *pool_new(unsigned threads);
/* Queues fn(arg). Returns 0, or ENOMEM (the job is then run at once, inline). */
int pool_submit(exs_pool *p, pool_fn fn, void *arg);
/* Blocks until every job submitted so far has finished. */
void pool_wait(exs_pool *p);
/* Waits for the queued jobs, stops the workers and frees the pool. NULL is fine. */
void pool_free(exs_pool *p);
unsigned pool_threads(const exs_pool *p);
/* The number of online cores (at least 1). */
unsigned pool_cores(void);

#endif
