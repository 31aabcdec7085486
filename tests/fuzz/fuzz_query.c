/* fuzz_query.c: libFuzzer target for the query parser (exs_query_parse, and
 * exs_query_where_text for filters), the planner and the executor.
 *
 * Input: the query text (up to the first NUL; an exact-size copy, so ASan sees any
 * over-read). Invariants checked (a failure traps): the status is OK or SYNTAX (NOMEM
 * only for huge inputs); a syntax error has a column within the text (1 .. len + 1) and
 * a non-empty message, and no query; a parsed query explains and runs on a small
 * indexed fixture (and on the empty repository) with EXS_OK, or EXS_ERR_ARG for a
 * foreign cursor; its rows are within its limit; the text and JSON writers succeed.
 * The same text is also tried as a bare filter over each source.
 *
 * Run by `make fuzz` (clang -fsanitize=fuzzer) and, without libFuzzer, by
 * tests/tools/fuzz_replay.c over tests/fuzz/corpus/query in `make test`. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exscope.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static exs_repo *repo;

static void check(bool ok) {
    if (!ok) __builtin_trap();
}

static exs_repo *fixture(void) {
    if (repo) return repo;
    char dir[] = "/tmp/exs_fuzz_query_XXXXXX";
    check(mkdtemp(dir) != NULL);
    char path[128];
    snprintf(path, sizeof(path), "%s/a.ex", dir);
    FILE *f = fopen(path, "w");
    check(f != NULL);
    fputs("defmodule A.B do\n  def f(x) do\n    case x do\n      1 -> g(x)\n      _ -> Enum.map(x, & &1)\n"
          "    end\n  end\n  defp g(y), do: A.C.h(y)\nend\n"
          "defmodule A.C do\n  def h(z) when is_list(z), do: z\n  defmacro m(a), do: a\nend\n",
          f);
    fclose(f);
    repo = exs_repo_new();
    check(repo != NULL);
    exs_index_options o = {.threads = 1};
    check(exs_repo_index_dir(repo, dir, &o, NULL) == EXS_OK);
    unlink(path);
    rmdir(dir);
    return repo;
}

static void run(exs_query *q, exs_snapshot *s) {
    char *plan = NULL;
    check(exs_query_explain(q, s, &plan) == EXS_OK && plan && plan[0]);
    exs_free(plan);
    exs_query_result *res = NULL;
    exs_error err;
    exs_status st = exs_query_run(q, s, &res, &err);
    check(st == EXS_OK || st == EXS_ERR_ARG);
    if (st != EXS_OK) {
        check(res == NULL && err.message[0]);
        return;
    }
    check(exs_query_result_rows(res) <= exs_query_result_matched(res));
    for (int json = 0; json < 2; json++) {
        char *out = NULL;
        size_t len = 0;
        check(exs_query_result_write(res, json, &out, &len) == EXS_OK);
        check(strlen(out) == len);
        exs_free(out);
    }
    exs_query_result_free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 4096) return 0;
    size_t len = strnlen((const char *)data, size);
    char *text = malloc(len + 1);
    check(text != NULL);
    memcpy(text, data, len);
    text[len] = 0;
    exs_repo *r = fixture();
    exs_snapshot *s = exs_repo_snapshot(r);
    exs_query *q = NULL;
    exs_error err;
    exs_status st = exs_query_parse(text, &q, &err);
    check(st == EXS_OK || st == EXS_ERR_SYNTAX);
    if (st == EXS_OK) {
        run(q, s);
        exs_repo *empty = exs_repo_new();
        exs_snapshot *es = exs_repo_snapshot(empty);
        run(q, es);
        exs_snapshot_release(es);
        exs_repo_free(empty);
        exs_query_free(q);
    } else {
        check(q == NULL && err.column >= 1 && err.column <= len + 1 && err.message[0]);
    }
    for (int src = 0; src < 4; src++) {
        exs_query *b = exs_query_new((exs_query_source)src);
        check(b != NULL);
        st = exs_query_where_text(b, text, &err);
        check(st == EXS_OK || st == EXS_ERR_SYNTAX);
        if (st == EXS_OK) run(b, s);
        else check(err.column >= 1 && err.column <= len + 1);
        exs_query_free(b);
    }
    exs_snapshot_release(s);
    free(text);
    return 0;
}
