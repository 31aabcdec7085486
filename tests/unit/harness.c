/* harness.c: runs each test in a forked child with a timeout; see harness.h.
 * Usage: test_x [name-substring]. Exit status 0 iff every selected test passed. */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int test_main(int argc, char **argv, const test_entry *tests, size_t count) {
    const char *filter = argc > 1 ? argv[1] : NULL;
    int timeout = getenv("EXS_TEST_TIMEOUT") ? atoi(getenv("EXS_TEST_TIMEOUT")) : 60;
    unsigned passed = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        if (filter && !strstr(tests[i].name, filter)) continue;
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            alarm((unsigned)timeout);
            tests[i].fn();
            fflush(NULL);
            _exit(0);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            passed++;
        } else {
            failed++;
            if (WIFSIGNALED(st))
                fprintf(stderr, "FAIL %s (signal %d%s)\n", tests[i].name, WTERMSIG(st),
                        WTERMSIG(st) == SIGALRM ? ": timeout" : "");
            else
                fprintf(stderr, "FAIL %s\n", tests[i].name);
        }
    }
    printf("%s: %u passed, %u failed\n", argv[0], passed, failed);
    return failed ? 1 : 0;
}
