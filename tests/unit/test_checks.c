/* test_checks.c: the built-in checks (src/analyze/checks.c) through the public API
 * (exs_repo_check) over their fixture sets: tests/checks/fixtures/<check>/ (.ex files), one
 * directory per check, each indexed as a project and checked with that check alone.
 * Expected findings are written in the fixtures: a line ending in `# expect: <check>`
 * expects one finding of <check> on that line; `# expect: <line>:<check>` (anywhere)
 * expects one on <line>. The findings must equal the expectations exactly (file, line,
 * check, multiplicity). Then: no unused-variable findings on the elixir-lang `lib/`
 * .ex sources (they compile without warnings), and bad check names are refused. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <sys/stat.h>

#include "exscope.h"
#include "harness.h"

#define FIXTURES "tests/checks/fixtures"

typedef struct lines {
    char **items;
    size_t count, cap;
} lines;

static void add(lines *l, const char *s) {
    if (l->count == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = realloc(l->items, l->cap * sizeof(char *));
        ASSERT(l->items);
    }
    l->items[l->count++] = strdup(s);
}

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *base(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Expectations of one fixture file. */
static void expectations(const char *dir, const char *file, lines *out) {
    char path[1024], buf[4096], key[1200];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    ASSERT(f);
    unsigned lineno = 0;
    while (fgets(buf, sizeof(buf), f)) {
        lineno++;
        char *e = strstr(buf, "# expect: ");
        if (!e) continue;
        e += 10;
        e[strcspn(e, " \r\n")] = 0;
        unsigned at = lineno;
        char *colon = strchr(e, ':');
        if (colon) {
            at = (unsigned)strtoul(e, NULL, 10);
            e = colon + 1;
        }
        snprintf(key, sizeof(key), "%s:%u:%s", file, at, e);
        add(out, key);
    }
    fclose(f);
}

static int run_dir(const char *check) {
    char dir[512];
    snprintf(dir, sizeof(dir), "%s/%s", FIXTURES, check);
    lines want = {0}, got = {0};
    DIR *d = opendir(dir);
    ASSERT(d);
    struct dirent *de;
    int files = 0;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 4 || strcmp(de->d_name + n - 3, ".ex") != 0) continue;
        expectations(dir, de->d_name, &want);
        files++;
    }
    closedir(d);
    ASSERT(files > 0);
    exs_repo *repo = exs_repo_new();
    ASSERT(repo);
    exs_index_options io = {.threads = 2};
    exs_index_report rep;
    ASSERT_EQ(exs_repo_index_dir(repo, dir, &io, &rep), EXS_OK);
    ASSERT_EQ(rep.error_count, 0);
    exs_index_report_free(&rep);
    exs_check_options co = {.threads = 2, .checks = check};
    exs_check_report cr;
    exs_error err;
    ASSERT_EQ(exs_repo_check(repo, &co, &cr, &err), EXS_OK);
    ASSERT_EQ(cr.skipped_files, 0);
    char key[1200];
    for (uint32_t i = 0; i < cr.count; i++) {
        ASSERT_STR_EQ(cr.findings[i].check, check);
        ASSERT(cr.findings[i].column > 0);
        ASSERT(cr.findings[i].function && cr.findings[i].message[0]);
        snprintf(key, sizeof(key), "%s:%u:%s", base(cr.findings[i].path), cr.findings[i].line,
                 cr.findings[i].check);
        add(&got, key);
    }
    exs_check_report_free(&cr);
    exs_repo_free(repo);
    qsort(want.items, want.count, sizeof(char *), cmp);
    qsort(got.items, got.count, sizeof(char *), cmp);
    int bad = 0;
    for (size_t i = 0, j = 0; i < want.count || j < got.count;) {
        int c = i == want.count ? 1 : j == got.count ? -1 : strcmp(want.items[i], got.items[j]);
        if (c < 0)
            fprintf(stderr, "  missing:    %s\n", want.items[i++]), bad++;
        else if (c > 0)
            fprintf(stderr, "  unexpected: %s\n", got.items[j++]), bad++;
        else
            i++, j++;
    }
    ASSERT(want.count > 0);
    for (size_t i = 0; i < want.count; i++)
        free(want.items[i]);
    for (size_t i = 0; i < got.count; i++)
        free(got.items[i]);
    free(want.items);
    free(got.items);
    return bad;
}

TEST(unused_variable) { ASSERT_EQ(run_dir("unused-variable"), 0); }
TEST(branch_variable) { ASSERT_EQ(run_dir("branch-variable"), 0); }
TEST(unreachable_clause) { ASSERT_EQ(run_dir("unreachable-clause"), 0); }
TEST(n_plus_one) { ASSERT_EQ(run_dir("n-plus-one"), 0); }
TEST(string_to_atom) { ASSERT_EQ(run_dir("string-to-atom"), 0); }
TEST(apply_from_parameter) { ASSERT_EQ(run_dir("apply-from-parameter"), 0); }

/* Every check has a fixture directory. */
TEST(every_check_has_fixtures) {
    ASSERT_EQ(exs_check_count(), 6);
    for (uint32_t k = 0; k < exs_check_count(); k++) {
        char dir[512];
        struct stat st;
        snprintf(dir, sizeof(dir), "%s/%s", FIXTURES, exs_check_name(k));
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) TEST_FAIL_("no fixtures: %s", dir);
        ASSERT(exs_check_doc(k) && exs_check_doc(k)[0]);
    }
    ASSERT(exs_check_name(exs_check_count()) == NULL);
}

TEST(unknown_check) {
    exs_repo *repo = exs_repo_new();
    exs_check_options co = {.checks = "unused-variable,nope"};
    exs_check_report cr;
    exs_error err;
    ASSERT_EQ(exs_repo_check(repo, &co, &cr, &err), EXS_ERR_ARG);
    ASSERT(strstr(err.message, "nope"));
    ASSERT_EQ(cr.count, 0);
    exs_repo_free(repo);
}

/* The elixir-lang sources compile without unused-variable warnings: 0 findings in
 * their .ex files (the .exs tests under lib/ contain deliberate ones). */
TEST(elixir_lib_no_unused) {
    struct stat st;
    if (stat("corpus/elixir-lang/lib", &st) != 0) {
        fprintf(stderr, "  (no corpus: skipped)\n");
        return;
    }
    exs_repo *repo = exs_repo_new();
    exs_index_options io = {.threads = 2};
    exs_index_report rep;
    ASSERT_EQ(exs_repo_index_dir(repo, "corpus/elixir-lang/lib", &io, &rep), EXS_OK);
    exs_index_report_free(&rep);
    exs_check_options co = {.threads = 2, .checks = "unused-variable"};
    exs_check_report cr;
    ASSERT_EQ(exs_repo_check(repo, &co, &cr, NULL), EXS_OK);
    ASSERT(cr.functions > 5000);
    uint32_t in_ex = 0;
    for (uint32_t i = 0; i < cr.count; i++) {
        size_t n = strlen(cr.findings[i].path);
        if (n > 3 && strcmp(cr.findings[i].path + n - 3, ".ex") == 0) {
            fprintf(stderr, "  %s:%u: %s\n", cr.findings[i].path, cr.findings[i].line,
                    cr.findings[i].message);
            in_ex++;
        }
    }
    ASSERT_EQ(in_ex, 0);
    exs_check_report_free(&cr);
    exs_repo_free(repo);
}

TEST_LIST(TEST_ENTRY(unused_variable), TEST_ENTRY(branch_variable), TEST_ENTRY(unreachable_clause),
          TEST_ENTRY(n_plus_one), TEST_ENTRY(string_to_atom), TEST_ENTRY(apply_from_parameter),
          TEST_ENTRY(every_check_has_fixtures), TEST_ENTRY(unknown_check),
          TEST_ENTRY(elixir_lib_no_unused))
