/* pool.c: the thread pool of pool.h: a mutex-protected FIFO of jobs, workers blocked
 * on a condition variable, and a counter of unfinished jobs for pool_wait.
 *
 * Invariants: `pending` counts jobs queued or running; it is decremented only after a
 * job's function returned, so pool_wait returning means every job's writes are visible
 * (the mutex orders them). Jobs are nodes allocated by pool_submit and freed by the
 * worker that ran them. Lock order: only one lock exists. */
#define _POSIX_C_SOURCE 200809L
#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct job {
    pool_fn fn;
    void *arg;
    struct job *next;
} job;

struct exs_pool {
    pthread_mutex_t mu;
    pthread_cond_t has_work; /* signalled when a job is queued or on stop */
    pthread_cond_t idle;     /* broadcast when pending drops to 0 */
    job *head, *tail;
    size_t pending;
    bool stop;
    unsigned count;
    pthread_t *threads;
};

static void *worker(void *arg) {
    exs_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->head && !p->stop) pthread_cond_wait(&p->has_work, &p->mu);
        if (!p->head) break; /* stop, and nothing left to run */
        job *j = p->head;
        p->head = j->next;
        if (!p->head) p->tail = NULL;
        pthread_mutex_unlock(&p->mu);
        j->fn(j->arg);
        free(j);
        pthread_mutex_lock(&p->mu);
        if (--p->pending == 0) pthread_cond_broadcast(&p->idle);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

unsigned pool_cores(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

exs_pool *pool_new(unsigned threads) {
    if (!threads) threads = pool_cores();
    exs_pool *p = calloc(1, sizeof(*p));
    if (!p) return NULL;
    p->threads = calloc(threads, sizeof(pthread_t));
    if (!p->threads || pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p->threads);
        free(p);
        return NULL;
    }
    pthread_cond_init(&p->has_work, NULL);
    pthread_cond_init(&p->idle, NULL);
    for (unsigned i = 0; i < threads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0) break;
        p->count++;
    }
    if (!p->count) {
        pool_free(p);
        return NULL;
    }
    return p;
}

int pool_submit(exs_pool *p, pool_fn fn, void *arg) {
    job *j = malloc(sizeof(*j));
    if (!j) {
        fn(arg); /* degrade to running inline rather than dropping work */
        return ENOMEM;
    }
    j->fn = fn;
    j->arg = arg;
    j->next = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->tail) p->tail->next = j;
    else p->head = j;
    p->tail = j;
    p->pending++;
    pthread_cond_signal(&p->has_work);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

void pool_wait(exs_pool *p) {
    pthread_mutex_lock(&p->mu);
    while (p->pending) pthread_cond_wait(&p->idle, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void pool_free(exs_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->has_work);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->count; i++) pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->has_work);
    pthread_cond_destroy(&p->idle);
    pthread_mutex_destroy(&p->mu);
    free(p->threads);
    free(p);
}

unsigned pool_threads(const exs_pool *p) { return p ? p->count : 0; }
