/* test_pool.c: the thread pool: every job runs exactly once, pool_wait sees all their
 * writes, pools are reusable after a wait, and freeing runs what is still queued. */
#include <stdatomic.h>

#include "base/pool.h"
#include "harness.h"

static atomic_int counter;

static void bump(void *arg) {
    int *slot = arg;
    (*slot)++;
    atomic_fetch_add(&counter, 1);
}

TEST(every_job_runs_once) {
    enum { N = 20000 };
    static int slots[N];
    exs_pool *p = pool_new(4);
    ASSERT(p);
    ASSERT_EQ(pool_threads(p), 4);
    atomic_store(&counter, 0);
    for (int i = 0; i < N; i++) ASSERT_EQ(pool_submit(p, bump, &slots[i]), 0);
    pool_wait(p);
    ASSERT_EQ(atomic_load(&counter), N);
    for (int i = 0; i < N; i++) ASSERT_EQ(slots[i], 1);
    pool_free(p);
}

TEST(reuse_after_wait) {
    static int slots[100];
    exs_pool *p = pool_new(0);
    ASSERT(p);
    ASSERT(pool_threads(p) >= 1);
    ASSERT_EQ(pool_threads(p), pool_cores());
    for (int round = 1; round <= 5; round++) {
        for (int i = 0; i < 100; i++) pool_submit(p, bump, &slots[i]);
        pool_wait(p);
        for (int i = 0; i < 100; i++) ASSERT_EQ(slots[i], round);
    }
    pool_wait(p); /* nothing pending: returns at once */
    pool_free(p);
}

TEST(free_runs_queued_jobs) {
    static int slots[1000];
    atomic_store(&counter, 0);
    exs_pool *p = pool_new(1);
    for (int i = 0; i < 1000; i++) pool_submit(p, bump, &slots[i]);
    pool_free(p);
    ASSERT_EQ(atomic_load(&counter), 1000);
    pool_free(NULL);
}

TEST_LIST(TEST_ENTRY(every_job_runs_once), TEST_ENTRY(reuse_after_wait),
          TEST_ENTRY(free_runs_queued_jobs))
