/* cmd_query.c: `exscope query 'QUERY' [--json] [--explain] [--time]` (docs/queries.md).
 * The query is parsed before the project is indexed, so a malformed query fails at
 * once: the message, the query with a caret under the offending token, a hint, and
 * exit status 2. `--explain` (or a query starting with `explain`) prints the plan
 * instead of the rows. Rows: `file:line:column` then the selected columns,
 * tab-separated (--json: one JSON object). A cursor for the next page goes to stderr
 * as `next: after "<cursor>"` when the page was cut by its limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exscope.h"

static const char *synopsis = "query 'QUERY' [--explain] [--time]";

/* Prints a syntax error: message, the query line with a caret, the hint. */
static void print_error(const char *text, const exs_error *e) {
    const char *msg = e->message, *hint = strstr(msg, "\nhint: ");
    int msg_len = hint ? (int)(hint - msg) : (int)strlen(msg);
    fprintf(stderr, "exscope: query error at column %u: %.*s\n", e->column, msg_len, msg);
    /* the line of the query that holds the offset */
    size_t off = e->column ? e->column - 1 : 0, len = strlen(text);
    if (off > len) off = len;
    size_t start = off, end = off;
    while (start > 0 && text[start - 1] != '\n') start--;
    while (end < len && text[end] != '\n') end++;
    fputs("  ", stderr);
    for (size_t i = start; i < end; i++) fputc(text[i] == '\t' ? ' ' : text[i], stderr);
    fputs("\n  ", stderr);
    for (size_t i = start; i < off; i++) fputc(' ', stderr);
    fputs("^\n", stderr);
    if (hint) fprintf(stderr, "hint: %s\n", hint + 7);
}

int cmd_query(int argc, char **argv) {
    bool explain = false, timing = false;
    char **args = malloc(((size_t)argc + 1) * sizeof(char *));
    if (!args) return 1;
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if (i > 0 && strcmp(argv[i], "--explain") == 0) explain = true;
        else if (i > 0 && strcmp(argv[i], "--time") == 0) timing = true;
        else args[n++] = argv[i];
    }
    args[n] = NULL;
    cli_repo_opts o;
    int rc = cli_repo_args(n, args, &o, synopsis);
    if (rc) {
        free(args);
        if (rc < 0)
            fputs("  --explain          print the plan instead of the rows\n"
                  "  --time             print the query time on stderr\n"
                  "\nthe language: docs/queries.md\n",
                  stdout);
        return rc < 0 ? 0 : rc;
    }
    if (!o.arg) {
        fputs("exscope: query: the query is missing\n", stderr);
        cli_repo_usage(stderr, synopsis);
        free(args);
        return 2;
    }
    const char *text = o.arg;
    exs_error err;
    exs_query *q = NULL;
    exs_status st = exs_query_parse(text, &q, &err);
    free(args);
    if (st == EXS_ERR_SYNTAX) {
        print_error(text, &err);
        return 2;
    }
    if (st != EXS_OK) {
        fprintf(stderr, "exscope: query: %s\n", exs_status_name(st));
        return 1;
    }
    if (exs_query_is_explain(q)) explain = true;
    exs_index_report rep;
    exs_repo *repo = cli_repo_index(&o, &rep);
    if (!repo) {
        exs_query_free(q);
        return 1;
    }
    exs_snapshot *snap = exs_repo_snapshot(repo);
    int status = 0;
    char *out = NULL;
    size_t out_len = 0;
    if (explain) {
        st = exs_query_explain(q, snap, &out);
        if (st == EXS_OK) fputs(out, stdout);
    } else {
        exs_query_result *res = NULL;
        st = exs_query_run(q, snap, &res, &err);
        if (st == EXS_OK) st = exs_query_result_write(res, o.json, &out, &out_len);
        if (st == EXS_OK) {
            fwrite(out, 1, out_len, stdout);
            if (!o.json && exs_query_result_cursor(res))
                fprintf(stderr, "next: after \"%s\"\n", exs_query_result_cursor(res));
            if (timing)
                fprintf(stderr, "%u rows (%u matched) in %.3f ms\n", exs_query_result_rows(res),
                        exs_query_result_matched(res), exs_query_result_seconds(res) * 1e3);
        } else if (st == EXS_ERR_ARG) {
            fprintf(stderr, "exscope: query: %s\n", err.message);
            status = 2;
        }
        exs_query_result_free(res);
    }
    if (st != EXS_OK && !status) {
        fprintf(stderr, "exscope: query: %s\n", exs_status_name(st));
        status = 1;
    }
    exs_free(out);
    exs_snapshot_release(snap);
    exs_index_report_free(&rep);
    exs_repo_free(repo);
    exs_query_free(q);
    return status;
}
