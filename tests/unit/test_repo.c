/* test_repo.c: the repository (src/store/repo.c): an empty repository, inserting,
 * replacing and removing files (each one publish), lookups by MFA and node ID,
 * callers/callees, complexity buckets, memory accounting, snapshots outliving
 * writes and the repository, and readers running concurrently with a writer (pthreads;
 * `make tsan` runs this under ThreadSanitizer). Files are written to a temp dir. */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exscope.h"
#include "harness.h"
#include "store/repo.h"

static char tmpdir[64];
static char path_a[128], path_b[128];

static void write_file(const char *path, const char *src) {
    FILE *f = fopen(path, "w");
    ASSERT(f);
    fputs(src, f);
    fclose(f);
}

static void setup(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/exs_repo_XXXXXX");
    ASSERT(mkdtemp(tmpdir));
    snprintf(path_a, sizeof path_a, "%s/a.ex", tmpdir);
    snprintf(path_b, sizeof path_b, "%s/b.ex", tmpdir);
}

static void teardown(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    ASSERT_EQ(system(cmd), 0);
}

static const char *SRC_A1 = "defmodule A do\n"
                            "  def f(x), do: x\n"
                            "  def g(x), do: f(x)\n"
                            "end\n";
/* version 2: f/1 gets a second caller h/1, and a branchy k/1 */
static const char *SRC_A2 = "defmodule A do\n"
                            "  def f(x), do: x\n"
                            "  def g(x), do: f(x)\n"
                            "  def h(x), do: f(f(x))\n"
                            "  def k(x) do\n"
                            "    cond do\n"
                            "      x == 1 -> 1\n"
                            "      x == 2 -> 2\n"
                            "      x == 3 -> 3\n"
                            "      x == 4 -> 4\n"
                            "      x == 5 -> 5\n"
                            "      true -> 0\n"
                            "    end\n"
                            "  end\n"
                            "end\n";
static const char *SRC_B = "defmodule B do\n"
                           "  def run, do: A.f(1) + A.g(2)\n"
                           "end\n";

static void update(exs_repo *r, const char *path) {
    exs_index_report rep;
    ASSERT_EQ(exs_repo_update_files(r, &path, 1, NULL, &rep), EXS_OK);
    ASSERT_EQ(rep.error_count, 0);
    exs_index_report_free(&rep);
}

static uint32_t callers(exs_snapshot *s, const char *m, const char *f, uint32_t a) {
    return exs_snapshot_callers(s, m, f, a, NULL, NULL);
}

TEST(empty) {
    exs_repo *r = exs_repo_new();
    ASSERT(r);
    exs_snapshot *s = exs_repo_snapshot(r);
    exs_repo_stats st;
    exs_snapshot_stats(s, &st);
    ASSERT_EQ(st.generation, 0);
    ASSERT_EQ(st.files, 0);
    ASSERT(!exs_snapshot_find_function(s, "A", "f", 1, NULL));
    ASSERT_EQ(callers(s, "A", "f", 1), 0);
    ASSERT_EQ(exs_snapshot_modules(s, true, NULL, NULL), 0);
    ASSERT_EQ(exs_snapshot_functions(s, 0, NULL, NULL), 0);
    ASSERT_EQ(exs_repo_remove_file(r, "nope.ex"), EXS_ERR_ARG);
    exs_snapshot_release(s);
    exs_repo_free(r);
    exs_repo_free(NULL);
}

TEST(insert_replace_remove) {
    setup();
    write_file(path_a, SRC_A1);
    write_file(path_b, SRC_B);
    exs_repo *r = exs_repo_new();
    update(r, path_a);
    update(r, path_b);
    exs_snapshot *s1 = exs_repo_snapshot(r);
    exs_repo_stats st;
    exs_snapshot_stats(s1, &st);
    ASSERT_EQ(st.generation, 2);
    ASSERT_EQ(st.files, 2);
    ASSERT_EQ(st.modules, 2);
    ASSERT_EQ(st.functions, 3);
    ASSERT(st.bytes_files > 0 && st.bytes_indexes > 0 && st.bytes_calls > 0);
    ASSERT(st.bytes_total > st.bytes_files + st.bytes_modules + st.bytes_functions +
                                st.bytes_calls + st.bytes_indexes);
    ASSERT_EQ(callers(s1, "A", "f", 1), 2); /* A.g/1 and B.run/0 */
    ASSERT_EQ(callers(s1, "A", "g", 1), 1);
    exs_function_info fi;
    ASSERT(exs_snapshot_find_function(s1, "A", "g", 1, &fi));
    ASSERT_EQ(fi.line, 3);
    ASSERT_EQ(fi.column, 3);
    ASSERT_STR_EQ(fi.path, path_a);
    ASSERT(fi.node_id != 0);
    /* function by node ID */
    exs_function_info by_node;
    ASSERT(repo_find_by_node((repo_gen *)s1, fi.node_id, &by_node) != UINT32_MAX);
    ASSERT_STR_EQ(by_node.name, "g");
    ASSERT(repo_find_by_node((repo_gen *)s1, 12345, NULL) == UINT32_MAX);
    ASSERT(exs_snapshot_function_at(s1, fi.node_id, &by_node));
    ASSERT_EQ(by_node.arity, 1);
    ASSERT(!exs_snapshot_function_at(s1, 12345, NULL));
    /* modules by file */
    ASSERT_EQ(exs_snapshot_file_modules(s1, path_b, NULL, NULL), 1);
    ASSERT_EQ(exs_snapshot_file_modules(s1, "nope.ex", NULL, NULL), 0);

    /* replace a.ex: one publish; the old snapshot is unchanged */
    write_file(path_a, SRC_A2);
    update(r, path_a);
    exs_snapshot *s2 = exs_repo_snapshot(r);
    exs_snapshot_stats(s2, &st);
    ASSERT_EQ(st.generation, 3);
    ASSERT_EQ(st.files, 2);
    ASSERT_EQ(st.functions, 5);
    ASSERT_EQ(callers(s2, "A", "f", 1), 4); /* g, h twice, B.run */
    ASSERT_EQ(callers(s1, "A", "f", 1), 2);
    ASSERT(!exs_snapshot_find_function(s1, "A", "h", 1, NULL));
    ASSERT(exs_snapshot_find_function(s2, "A", "h", 1, NULL));
    ASSERT_EQ(exs_snapshot_callees(s2, "A", "h", 1, NULL, NULL), 2);
    ASSERT_EQ(exs_snapshot_functions(s2, 6, NULL, NULL), 1); /* k/1 */
    ASSERT(exs_snapshot_find_function(s2, "A", "k", 1, &fi));
    ASSERT(fi.complexity >= 6);
    /* remove b.ex: its calls go with it */
    ASSERT_EQ(exs_repo_remove_file(r, path_b), EXS_OK);
    exs_snapshot *s3 = exs_repo_snapshot(r);
    ASSERT_EQ(callers(s3, "A", "f", 1), 3);
    ASSERT_EQ(exs_snapshot_modules(s3, false, NULL, NULL), 1);
    ASSERT_EQ(exs_repo_remove_file(r, path_b), EXS_ERR_ARG);
    /* snapshots outlive the repository */
    exs_repo_free(r);
    ASSERT_EQ(callers(s2, "B", "run", 0), 0);
    ASSERT(exs_snapshot_find_function(s2, "B", "run", 0, &fi));
    ASSERT_STR_EQ(fi.module, "B");
    exs_snapshot_release(s1);
    exs_snapshot_release(s2);
    exs_snapshot_release(s3);
    teardown();
}

TEST(syntax_error_file) {
    setup();
    write_file(path_a, SRC_A1);
    write_file(path_b, "defmodule B do\n  def run, do: (\nend\n");
    exs_repo *r = exs_repo_new();
    const char *paths[] = {path_a, path_b};
    exs_index_report rep;
    ASSERT_EQ(exs_repo_update_files(r, paths, 2, NULL, &rep), EXS_OK);
    ASSERT_EQ(rep.files, 2);
    ASSERT_EQ(rep.error_count, 1);
    ASSERT_STR_EQ(rep.errors[0].path, path_b);
    ASSERT_EQ(rep.errors[0].line, 3);
    exs_index_report_free(&rep);
    exs_snapshot *s = exs_repo_snapshot(r);
    exs_repo_stats st;
    exs_snapshot_stats(s, &st);
    ASSERT_EQ(st.error_files, 1);
    ASSERT(exs_snapshot_find_function(s, "A", "g", 1, NULL));
    exs_snapshot_release(s);
    exs_repo_free(r);
    teardown();
}

/* Readers check invariants that hold in every generation: version 1 has A.f/1 with
 * callers {A.g, B.run} and no A.h/1; version 2 has A.h/1 and 4 callers. A reader must
 * never see A.h/1 with 2 callers or the reverse (half a file). */
typedef struct shared {
    exs_repo *repo;
    atomic_bool stop;
    atomic_uint checks;
    atomic_uint bad;
} shared;

static void *reader(void *arg) {
    shared *sh = arg;
    while (!atomic_load(&sh->stop)) {
        exs_snapshot *s = exs_repo_snapshot(sh->repo);
        bool has_h = exs_snapshot_find_function(s, "A", "h", 1, NULL);
        uint32_t n = callers(s, "A", "f", 1);
        exs_function_info fi;
        bool has_g = exs_snapshot_find_function(s, "A", "g", 1, &fi);
        if (!has_g || strcmp(fi.name, "g") != 0 || n != (has_h ? 4u : 2u))
            atomic_fetch_add(&sh->bad, 1);
        exs_snapshot_release(s);
        atomic_fetch_add(&sh->checks, 1);
    }
    return NULL;
}

TEST(concurrent_readers) {
    setup();
    char a1[160], a2[160];
    snprintf(a1, sizeof a1, "%s/v1", tmpdir);
    snprintf(a2, sizeof a2, "%s/v2", tmpdir);
    write_file(path_b, SRC_B);
    write_file(path_a, SRC_A1);
    shared sh = {.repo = exs_repo_new()};
    atomic_init(&sh.stop, false);
    atomic_init(&sh.checks, 0);
    atomic_init(&sh.bad, 0);
    const char *both[] = {path_a, path_b};
    exs_index_report rep;
    ASSERT_EQ(exs_repo_update_files(sh.repo, both, 2, NULL, &rep), EXS_OK);
    exs_index_report_free(&rep);
    enum { READERS = 3, ROUNDS = 40 };
    pthread_t th[READERS];
    for (int i = 0; i < READERS; i++) ASSERT_EQ(pthread_create(&th[i], NULL, reader, &sh), 0);
    exs_index_options o = {.threads = 1};
    for (int round = 0; round < ROUNDS; round++) {
        write_file(path_a, round % 2 ? SRC_A1 : SRC_A2);
        const char *p = path_a;
        ASSERT_EQ(exs_repo_update_files(sh.repo, &p, 1, &o, NULL), EXS_OK);
    }
    /* a full re-populate while readers run */
    ASSERT_EQ(exs_repo_index_dir(sh.repo, tmpdir, &o, NULL), EXS_OK);
    usleep(20000);
    atomic_store(&sh.stop, true);
    for (int i = 0; i < READERS; i++) pthread_join(th[i], NULL);
    ASSERT_EQ(atomic_load(&sh.bad), 0);
    ASSERT(atomic_load(&sh.checks) > 0);
    exs_snapshot *s = exs_repo_snapshot(sh.repo);
    exs_repo_stats st;
    exs_snapshot_stats(s, &st);
    ASSERT_EQ(st.generation, ROUNDS + 2);
    exs_snapshot_release(s);
    exs_repo_free(sh.repo);
    teardown();
}

/* Two repositories written from two threads at once (distinct objects: no sharing). */
static void *index_own(void *arg) {
    exs_repo *r = exs_repo_new();
    exs_index_options o = {.threads = 1};
    for (int i = 0; i < 10; i++)
        if (exs_repo_index_dir(r, arg, &o, NULL) != EXS_OK) return (void *)1;
    exs_snapshot *s = exs_repo_snapshot(r);
    uintptr_t bad = callers(s, "A", "f", 1) != 2;
    exs_snapshot_release(s);
    exs_repo_free(r);
    return (void *)bad;
}

TEST(two_writers) {
    setup();
    write_file(path_a, SRC_A1);
    write_file(path_b, SRC_B);
    pthread_t t1, t2;
    ASSERT_EQ(pthread_create(&t1, NULL, index_own, tmpdir), 0);
    ASSERT_EQ(pthread_create(&t2, NULL, index_own, tmpdir), 0);
    void *r1, *r2;
    pthread_join(t1, &r1);
    pthread_join(t2, &r2);
    ASSERT(r1 == NULL && r2 == NULL);
    teardown();
}

TEST_LIST(TEST_ENTRY(empty), TEST_ENTRY(insert_replace_remove), TEST_ENTRY(syntax_error_file),
          TEST_ENTRY(concurrent_readers), TEST_ENTRY(two_writers))
