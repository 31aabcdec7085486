/* harness.h: the in-house unit test harness (model: libuv's test runner).
 *
 * Each test file defines tests with TEST(name) and lists them with
 * TEST_LIST(TEST_ENTRY(a), TEST_ENTRY(b)). The runner (test_main in harness.c) runs
 * each test in its own forked process with a timeout, so one crash or hang does not
 * take the others down, and prints "N passed, N failed" at the end.
 * ASSERT_EQ & co print both expressions and their values. */
#ifndef EXS_HARNESS_H
#define EXS_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*test_fn)(void);
typedef struct test_entry {
    const char *name;
    test_fn fn;
} test_entry;

#define TEST(name) static void test_##name(void)
#define TEST_ENTRY(name) {#name, test_##name}
#define TEST_LIST(...)                                                             \
    int main(int argc, char **argv) {                                              \
        static const test_entry tests[] = {__VA_ARGS__};                           \
        return test_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));     \
    }

int test_main(int argc, char **argv, const test_entry *tests, size_t count);

#define TEST_FAIL_(...)                                                            \
    do {                                                                           \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                            \
        fprintf(stderr, __VA_ARGS__);                                              \
        fputc('\n', stderr);                                                       \
        exit(1);                                                                   \
    } while (0)

#define ASSERT(cond)                                                               \
    do {                                                                           \
        if (!(cond)) TEST_FAIL_("assertion failed: %s", #cond);                    \
    } while (0)

#define ASSERT_EQ(a, b)                                                            \
    do {                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                        \
        if (a_ != b_) TEST_FAIL_("%s == %s: %lld != %lld", #a, #b, a_, b_);        \
    } while (0)

#define ASSERT_STR_EQ(a, b)                                                        \
    do {                                                                           \
        const char *a_ = (a), *b_ = (b);                                           \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                     \
            TEST_FAIL_("%s == %s:\n  got:      %s\n  expected: %s", #a, #b,        \
                       a_ ? a_ : "(null)", b_ ? b_ : "(null)");                   \
    } while (0)

#endif
