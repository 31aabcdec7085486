/* fuzz_replay.c: runs the libFuzzer entry points of tests/fuzz/ over saved inputs,
 * without libFuzzer, so `make test` (gcc, plain or with sanitizers) replays the seed
 * corpora and every crash ever found.
 *
 * Usage: fuzz_replay PATH...   Each PATH is a file or a directory walked recursively
 * (entries in name order, dot-files skipped). Each input is read into an exact-size
 * heap buffer, so an over-read is caught by ASan or valgrind, and passed to
 * LLVMFuzzerTestOneInput. The targets trap on a broken invariant; before dying we
 * print which input it was (signal handler, or the sanitizer's death callback).
 * Prints "fuzz_replay: N inputs OK" and exits 0, or exits 1 on unreadable paths or
 * when no input was found. Linked by the Makefile with every tests/fuzz/fuzz_*.c. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Present when linked with a sanitizer runtime; called before it exits on an error. */
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static const char *current; /* the input being run, for crash messages */
static unsigned long ran;

static void say_current(void) {
    if (!current) return;
    /* write(2) only: this runs inside signal handlers */
    static const char pre[] = "fuzz_replay: crashed on input ";
    ssize_t r = write(2, pre, sizeof(pre) - 1);
    r = write(2, current, strlen(current));
    r = write(2, "\n", 1);
    (void)r;
}

static void on_signal(int sig) {
    say_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "%s: out of memory\n", path);
            fclose(f);
            return 1;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap) break;
        uint8_t *nb = realloc(buf, cap *= 2);
        if (!nb) free(buf);
        buf = nb;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        perror(path);
        free(buf);
        return 1;
    }
    /* exact-size copy: any read past the input is out of bounds */
    uint8_t *data = malloc(len ? len : 1);
    if (!data) {
        free(buf);
        fprintf(stderr, "%s: out of memory\n", path);
        return 1;
    }
    memcpy(data, buf, len);
    free(buf);
    current = path;
    LLVMFuzzerTestOneInput(data, len);
    current = NULL;
    free(data);
    ran++;
    return 0;
}

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) return run_file(path);
    DIR *d = opendir(path);
    if (!d) {
        perror(path);
        return 1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (count == cap) {
            char **nn = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*names));
            if (!nn) {
                rc = 1;
                break;
            }
            names = nn;
        }
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        if (!(names[count] = malloc(n))) {
            rc = 1;
            break;
        }
        snprintf(names[count++], n, "%s/%s", path, e->d_name);
    }
    closedir(d);
    if (rc) fprintf(stderr, "%s: out of memory\n", path);
    if (count) qsort(names, count, sizeof(*names), cmp_names);
    for (size_t i = 0; i < count; i++) {
        if (!rc) rc = run_path(names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(say_current);
    /* SEGV/BUS are left to a sanitizer's own handler when one is linked */
    int sigs[] = {SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGSEGV, SIGBUS};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        if ((sigs[i] == SIGSEGV || sigs[i] == SIGBUS) && __sanitizer_set_death_callback) continue;
        signal(sigs[i], on_signal);
    }
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i])) return 1;
    if (!ran) {
        fprintf(stderr, "fuzz_replay: no inputs found\n");
        return 1;
    }
    printf("fuzz_replay: %lu inputs OK\n", ran);
    return 0;
}
