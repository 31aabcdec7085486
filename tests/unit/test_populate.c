/* test_populate.c: the populator (src/sync/populate.c, fswalk.c) over the fixture
 * project tests/fixtures/project: which files are found (mix.exs, lib/, test/,
 * config/; _build and deps skipped unless asked), the exact modules, functions and
 * callers, the syntax error of lib/broken.ex recorded while the rest is indexed, the
 * stdlib layer (calls resolved into it, kept out of project listings), symlink loops.
 * Run from the repository root (scripts/test.sh does). */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exscope.h"
#include "harness.h"
#include "sync/fswalk.h"

#define FIX "tests/fixtures/project"
#define STDLIB "corpus/elixir-lang/lib"

typedef struct text {
    char buf[16384];
    size_t len;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void add(text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof(t->buf) - t->len, fmt, ap);
    va_end(ap);
    ASSERT(n >= 0 && (size_t)n < sizeof(t->buf) - t->len);
    t->len += (size_t)n;
}

static const char *rel(const char *path) {
    size_t n = strlen(FIX "/");
    return strncmp(path, FIX "/", n) == 0 ? path + n : path;
}

static bool on_module(void *ctx, const exs_module_info *m) {
    add(ctx, "%s %s %s:%u:%u %u\n", m->name, m->kind, rel(m->path), m->line_first, m->column,
        m->function_count);
    return true;
}

static bool on_function(void *ctx, const exs_function_info *f) {
    add(ctx, "%s.%s/%u %s %s:%u:%u cc=%u clauses=%u%s\n", f->module, f->name, f->arity, f->kind,
        rel(f->path), f->line, f->column, f->complexity, f->clauses,
        f->generated ? " generated" : "");
    return true;
}

static bool on_call(void *ctx, const exs_call_info *c) {
    add(ctx, "%s:%u:%u %s.%s/%u -> %s.%s/%u %s\n", rel(c->path), c->line, c->column,
        c->caller_module, c->caller_name ? c->caller_name : "-", c->caller_arity,
        c->target_module ? c->target_module : "?", c->name, c->arity, c->resolution);
    return true;
}

static exs_repo *index_fixture(const exs_index_options *o, exs_index_report *rep) {
    exs_repo *r = exs_repo_new();
    ASSERT(r);
    ASSERT_EQ(exs_repo_index_dir(r, FIX, o, rep), EXS_OK);
    return r;
}

TEST(discovery) {
    fs_list l = {0};
    ASSERT_EQ(fswalk_project(FIX, false, &l), 0);
    text t = {0};
    for (uint32_t i = 0; i < l.count; i++) add(&t, "%s\n", rel(l.items[i]));
    ASSERT_STR_EQ(t.buf, "mix.exs\n"
                         "config/config.exs\n"
                         "lib/app/shape.ex\n"
                         "lib/app/util.ex\n"
                         "lib/app.ex\n"
                         "lib/broken.ex\n"
                         "test/app_test.exs\n");
    fs_list_free(&l);
    ASSERT_EQ(fswalk_project(FIX, true, &l), 0);
    ASSERT_EQ(l.count, 7); /* a mix project: only its source folders, even with all_dirs */
    fs_list_free(&l);
    ASSERT_EQ(fswalk_project(FIX "/lib", false, &l), 0); /* not a mix project: all below */
    ASSERT_EQ(l.count, 4);
    fs_list_free(&l);
    ASSERT_EQ(fswalk_project(FIX "/nope", false, &l), 2 /* ENOENT */);
}

TEST(modules_functions_errors) {
    exs_index_report rep;
    exs_index_options o = {.threads = 2};
    exs_repo *r = index_fixture(&o, &rep);
    ASSERT_EQ(rep.files, 7);
    ASSERT_EQ(rep.stdlib_files, 0);
    ASSERT_EQ(rep.modules, 5);
    ASSERT_EQ(rep.functions, 15);
    ASSERT_EQ(rep.error_count, 1);
    ASSERT_STR_EQ(rel(rep.errors[0].path), "lib/broken.ex");
    ASSERT_EQ(rep.errors[0].line, 4);
    ASSERT_EQ(rep.errors[0].column, 3);
    ASSERT(strstr(rep.errors[0].message, "syntax error before: end"));
    exs_index_report_free(&rep);

    exs_snapshot *s = exs_repo_snapshot(r);
    text t = {0};
    ASSERT_EQ(exs_snapshot_modules(s, false, on_module, &t), 5);
    ASSERT_STR_EQ(t.buf, "App.MixProject module mix.exs:1:1 2\n"
                         "App.Shape struct lib/app/shape.ex:1:1 3\n"
                         "App.Util module lib/app/util.ex:1:1 4\n"
                         "App module lib/app.ex:1:1 5\n"
                         "AppTest module test/app_test.exs:1:1 1\n");
    text f = {0};
    ASSERT_EQ(exs_snapshot_functions(s, 0, on_function, &f), 15);
    ASSERT_STR_EQ(f.buf, "App.Shape.area/1 def lib/app/shape.ex:4:3 cc=5 clauses=1\n"
                          "App.classify/1 def lib/app.ex:10:3 cc=5 clauses=2\n"
                          "AppTest.check/0 def test/app_test.exs:2:3 cc=2 clauses=1\n"
                          "App.MixProject.project/0 def mix.exs:4:3 cc=1 clauses=1\n"
                          "App.MixProject.deps/0 defp mix.exs:8:3 cc=1 clauses=1\n"
                          "App.Util.double/1 def lib/app/util.ex:4:3 cc=1 clauses=1\n"
                          "App.Util.twice/1 def lib/app/util.ex:6:3 cc=1 clauses=1\n"
                          "App.Util.join/1 def lib/app/util.ex:10:3 cc=1 clauses=1\n"
                          "App.Util.apply_to/2 def lib/app/util.ex:12:3 cc=1 clauses=1\n"
                          "App.run/1 def lib/app.ex:4:3 cc=1 clauses=1\n"
                          "App.helper/1 defp lib/app.ex:20:3 cc=1 clauses=1\n"
                          "App.greet/1 def lib/app.ex:22:3 cc=1 clauses=1\n"
                          "App.greet/2 def lib/app.ex:22:3 cc=1 clauses=1\n"
                          "App.Shape.__struct__/0 def lib/app/shape.ex:2:0 cc=0 clauses=0 generated\n"
                          "App.Shape.__struct__/1 def lib/app/shape.ex:2:0 cc=0 clauses=0 generated\n");
    text big = {0};
    ASSERT_EQ(exs_snapshot_functions(s, 5, on_function, &big), 2);

    exs_function_info fi;
    ASSERT(exs_snapshot_find_function(s, "App", "greet", 1, &fi));
    ASSERT_STR_EQ(fi.kind, "def");
    ASSERT_EQ(fi.line, 22);
    ASSERT(!exs_snapshot_find_function(s, "App", "greet", 3, &fi));
    ASSERT(!exs_snapshot_find_function(s, "Skipped.Build", "x", 0, &fi)); /* _build */
    ASSERT(!exs_snapshot_find_function(s, "Dep", "x", 0, &fi));           /* deps */
    ASSERT(!exs_snapshot_find_function(s, "Broken", "oops", 1, &fi));
    ASSERT(exs_snapshot_find_function(s, "App", "helper", 1, &fi));
    ASSERT(!fi.is_public);
    exs_snapshot_release(s);
    exs_repo_free(r);
}

TEST(callers_callees) {
    exs_index_report rep;
    exs_repo *r = index_fixture(NULL, &rep);
    exs_index_report_free(&rep);
    exs_snapshot *s = exs_repo_snapshot(r);
    text t = {0};
    ASSERT_EQ(exs_snapshot_callers(s, "App.Util", "double", 1, on_call, &t), 4);
    ASSERT_STR_EQ(t.buf, "lib/app/util.ex:7:10 App.Util.twice/1 -> App.Util.double/1 local\n"
                          "lib/app/util.ex:7:22 App.Util.twice/1 -> App.Util.double/1 local\n"
                          "lib/app/util.ex:12:41 App.Util.apply_to/2 -> App.Util.double/1 local\n"
                          "lib/app.ex:6:13 App.run/1 -> App.Util.double/1 remote\n");
    text h = {0};
    exs_snapshot_callers(s, "App", "helper", 1, on_call, &h);
    exs_snapshot_callers(s, "App", "run", 1, on_call, &h);
    exs_snapshot_callers(s, "App.Util", "join", 1, on_call, &h);
    exs_snapshot_callers(s, "App.Util", "twice", 1, on_call, &h);
    ASSERT_STR_EQ(h.buf, "lib/app.ex:7:8 App.run/1 -> App.helper/1 local\n"
                          "test/app_test.exs:3:9 AppTest.check/0 -> App.run/1 remote\n"
                          "lib/app.ex:22:50 App.greet/2 -> App.Util.join/1 remote\n"
                          "test/app_test.exs:3:34 AppTest.check/0 -> App.Util.twice/1 remote\n");
    text c = {0};
    ASSERT_EQ(exs_snapshot_callees(s, "App", "run", 1, on_call, &c), 2);
    ASSERT_STR_EQ(c.buf, "lib/app.ex:6:13 App.run/1 -> App.Util.double/1 remote\n"
                          "lib/app.ex:7:8 App.run/1 -> App.helper/1 local\n");
    ASSERT_EQ(exs_snapshot_callers(s, "App", "nope", 1, on_call, &c), 0);
    ASSERT_EQ(exs_snapshot_callers(s, "Enum", "map", 2, NULL, NULL), 0); /* no stdlib */
    exs_snapshot_release(s);
    exs_repo_free(r);
}

TEST(stdlib_layer) {
    if (access(STDLIB "/elixir/lib/enum.ex", R_OK) != 0) {
        fprintf(stderr, "skipped: no %s (make corpus)\n", STDLIB);
        return;
    }
    exs_index_report rep;
    exs_index_options o = {.stdlib_dir = STDLIB};
    exs_repo *r = index_fixture(&o, &rep);
    ASSERT_EQ(rep.files, 7);
    ASSERT(rep.stdlib_files > 200);
    ASSERT_EQ(rep.modules, 5); /* project rows only */
    exs_index_report_free(&rep);
    exs_snapshot *s = exs_repo_snapshot(r);
    ASSERT_EQ(exs_snapshot_modules(s, false, NULL, NULL), 5);
    ASSERT(exs_snapshot_modules(s, true, NULL, NULL) > 200);
    exs_function_info fi;
    ASSERT(exs_snapshot_find_function(s, "Enum", "map", 2, &fi));
    ASSERT(fi.is_stdlib);
    text t = {0};
    exs_snapshot_callers(s, "Enum", "map", 2, on_call, &t);
    exs_snapshot_callers(s, "Kernel", "is_integer", 1, on_call, &t);
    exs_snapshot_callers(s, "Enum", "join", 2, on_call, &t);
    ASSERT_STR_EQ(t.buf, "lib/app/util.ex:12:32 App.Util.apply_to/2 -> Enum.map/2 remote\n"
                          "lib/app.ex:10:24 App.classify/1 -> Kernel.is_integer/1 import\n"
                          "lib/app/util.ex:10:29 App.Util.join/1 -> Enum.join/2 remote\n");
    exs_repo_stats st;
    exs_snapshot_stats(s, &st);
    ASSERT_EQ(st.files - st.stdlib_files, 7);
    exs_snapshot_release(s);
    exs_repo_free(r);
}

TEST(deps_layer) {
    exs_index_report rep;
    exs_index_options o = {.deps = true};
    exs_repo *r = index_fixture(&o, &rep);
    ASSERT_EQ(rep.files, 7);
    ASSERT_EQ(rep.deps_files, 1);
    ASSERT_EQ(rep.modules, 5);
    exs_index_report_free(&rep);
    exs_snapshot *s = exs_repo_snapshot(r);
    exs_function_info fi;
    ASSERT(exs_snapshot_find_function(s, "Dep", "x", 0, &fi));
    ASSERT(fi.is_dep && !fi.is_stdlib);
    ASSERT_STR_EQ(rel(fi.path), "deps/dep/lib/dep.ex");
    ASSERT_EQ(exs_snapshot_modules(s, false, NULL, NULL), 5);
    ASSERT_EQ(exs_snapshot_modules(s, true, NULL, NULL), 6);
    ASSERT_EQ(exs_snapshot_functions(s, 0, NULL, NULL), 15);
    ASSERT(!exs_snapshot_find_function(s, "Skipped.Build", "x", 0, &fi));
    exs_repo_stats st;
    exs_snapshot_stats(s, &st);
    ASSERT_EQ(st.deps_files, 1);
    exs_snapshot_release(s);
    exs_repo_free(r);
}

TEST(symlink_loop) {
    char dir[] = "/tmp/exs_populate_XXXXXX";
    ASSERT(mkdtemp(dir));
    char p[512];
    snprintf(p, sizeof p, "%s/a", dir);
    ASSERT_EQ(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/a/m.ex", dir);
    FILE *fp = fopen(p, "w");
    ASSERT(fp);
    fputs("defmodule M do\n  def f, do: g()\n  def g, do: 1\nend\n", fp);
    fclose(fp);
    char link[512];
    snprintf(link, sizeof link, "%s/a/loop", dir);
    ASSERT_EQ(symlink("..", link), 0);
    snprintf(link, sizeof link, "%s/self", dir);
    ASSERT_EQ(symlink(".", link), 0);
    exs_repo *r = exs_repo_new();
    exs_index_report rep;
    ASSERT_EQ(exs_repo_index_dir(r, dir, NULL, &rep), EXS_OK);
    ASSERT_EQ(rep.files, 1);
    ASSERT_EQ(rep.functions, 2);
    exs_index_report_free(&rep);
    exs_snapshot *s = exs_repo_snapshot(r);
    ASSERT_EQ(exs_snapshot_callers(s, "M", "g", 0, NULL, NULL), 1);
    exs_snapshot_release(s);
    exs_repo_free(r);
    ASSERT_EQ(exs_repo_index_dir(exs_repo_new(), "/nonexistent/dir", NULL, NULL), EXS_ERR_IO);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ASSERT_EQ(system(cmd), 0);
}

static void put(const char *dir, const char *rel_path, const char *src) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel_path);
    for (char *q = p + strlen(dir) + 1; *q; q++)
        if (*q == '/') {
            *q = 0;
            mkdir(p, 0755);
            *q = '/';
        }
    FILE *fp = fopen(p, "w");
    ASSERT(fp);
    fputs(src, fp);
    fclose(fp);
}

TEST(umbrella) {
    char dir[] = "/tmp/exs_umbrella_XXXXXX";
    ASSERT(mkdtemp(dir));
    put(dir, "mix.exs", "defmodule Umbrella.MixProject do\n  def project, do: []\nend\n");
    put(dir, "config/config.exs", "import Config\n");
    put(dir, "apps/a/mix.exs", "defmodule A.MixProject do\n  def project, do: []\nend\n");
    put(dir, "apps/a/lib/a.ex", "defmodule A do\n  def f, do: B.g()\nend\n");
    put(dir, "apps/a/test/a_test.exs", "defmodule ATest do\n  def t, do: A.f()\nend\n");
    put(dir, "apps/a/priv/skip.exs", "defmodule Skip do\nend\n");
    put(dir, "apps/a/deps/d/lib/d.ex", "defmodule D do\nend\n");
    put(dir, "apps/b/lib/b.ex", "defmodule B do\n  def g, do: 1\nend\n");
    put(dir, "apps/b/_build/x.ex", "defmodule X do\nend\n");
    put(dir, "scripts/skip.exs", "defmodule Skip2 do\nend\n");
    fs_list l = {0};
    ASSERT_EQ(fswalk_project(dir, false, &l), 0);
    text t = {0};
    for (uint32_t i = 0; i < l.count; i++) add(&t, "%s\n", l.items[i] + strlen(dir) + 1);
    ASSERT_STR_EQ(t.buf, "mix.exs\n"
                         "config/config.exs\n"
                         "apps/a/mix.exs\n"
                         "apps/a/lib/a.ex\n"
                         "apps/a/test/a_test.exs\n"
                         "apps/b/lib/b.ex\n");
    fs_list_free(&l);
    exs_repo *r = exs_repo_new();
    ASSERT_EQ(exs_repo_index_dir(r, dir, NULL, NULL), EXS_OK);
    exs_snapshot *s = exs_repo_snapshot(r);
    text c = {0};
    exs_snapshot_callers(s, "B", "g", 0, on_call, &c);
    exs_snapshot_callers(s, "A", "f", 0, on_call, &c);
    ASSERT(strstr(c.buf, "apps/a/lib/a.ex:2:16 A.f/0 -> B.g/0 remote\n"));
    ASSERT(strstr(c.buf, "apps/a/test/a_test.exs:2:16 ATest.t/0 -> A.f/0 remote\n"));
    exs_snapshot_release(s);
    exs_repo_free(r);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ASSERT_EQ(system(cmd), 0);
}

/* `use M` brings the imports of M's __using__ quote, across files; special forms are
 * not calls. */
TEST(use_imports) {
    char dir[] = "/tmp/exs_use_XXXXXX";
    ASSERT(mkdtemp(dir));
    put(dir, "lib/helpers.ex", "defmodule Helpers do\n  def helper, do: 1\nend\n");
    put(dir, "lib/tpl.ex",
        "defmodule Tpl do\n  defmacro __using__(_) do\n    quote do\n"
        "      import Helpers\n    end\n  end\nend\n");
    put(dir, "lib/u.ex",
        "defmodule U do\n  use Tpl\n  def f(x) do\n    case x do\n"
        "      _ -> helper()\n    end\n  end\nend\n");
    /* special forms are known from Kernel.SpecialForms' sources: with the stdlib */
    bool std = access(STDLIB "/elixir/lib/kernel/special_forms.ex", R_OK) == 0;
    exs_index_options o = {.stdlib_dir = std ? STDLIB : NULL};
    exs_repo *r = exs_repo_new();
    ASSERT_EQ(exs_repo_index_dir(r, dir, &o, NULL), EXS_OK);
    exs_snapshot *s = exs_repo_snapshot(r);
    text c = {0};
    exs_snapshot_callers(s, "Helpers", "helper", 0, on_call, &c);
    ASSERT(strstr(c.buf, "lib/u.ex:5:12 U.f/1 -> Helpers.helper/0 import\n"));
    if (std) ASSERT_EQ(exs_snapshot_callees(s, "U", "f", 1, NULL, NULL), 1); /* not case */
    exs_snapshot_release(s);
    exs_repo_free(r);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ASSERT_EQ(system(cmd), 0);
}

TEST_LIST(TEST_ENTRY(discovery), TEST_ENTRY(modules_functions_errors), TEST_ENTRY(callers_callees),
          TEST_ENTRY(stdlib_layer), TEST_ENTRY(deps_layer), TEST_ENTRY(symlink_loop), TEST_ENTRY(umbrella), TEST_ENTRY(use_imports))
