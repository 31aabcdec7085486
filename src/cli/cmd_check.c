/* cmd_check.c: `exscope check [DIR] [--json] [--checks a,b] [--stdlib DIR] [-j N]`:
 * indexes DIR (default .), runs the built-in checks over every project function
 * (exs_repo_check; docs/cpg.md) and prints one line per finding,
 * `file:line:column: check: message`, or a JSON array with --json. A summary goes to
 * stderr. Exit status 1 when there are findings, 0 when none, 2 on usage errors. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exscope.h"

int cmd_check(int argc, char **argv) {
    const char *checks = NULL;
    char **rest = calloc((size_t)argc + 1, sizeof(char *));
    if (!rest) return 2;
    int nrest = 0;
    rest[nrest++] = argv[0];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--checks") == 0) {
            if (i + 1 >= argc) {
                fputs("exscope: --checks needs a value\n", stderr);
                free(rest);
                return 2;
            }
            checks = argv[++i];
        } else if (strcmp(argv[i], "--list") == 0) {
            for (uint32_t k = 0; k < exs_check_count(); k++)
                printf("%-22s %s\n", exs_check_name(k), exs_check_doc(k));
            free(rest);
            return 0;
        } else {
            rest[nrest++] = argv[i];
        }
    }
    cli_repo_opts o;
    int rc = cli_repo_args(nrest, rest, &o, "check [DIR] [--checks a,b] [--list]");
    free(rest);
    if (rc) return rc < 0 ? 0 : rc;
    if (o.arg) o.dir = o.arg;
    exs_index_report rep;
    exs_repo *repo = cli_repo_index(&o, &rep);
    if (!repo) return 2;
    exs_index_report_free(&rep);
    exs_check_options co = {.threads = o.threads, .checks = checks};
    exs_check_report cr;
    exs_error err;
    exs_status st = exs_repo_check(repo, &co, &cr, &err);
    exs_repo_free(repo);
    if (st != EXS_OK) {
        fprintf(stderr, "exscope: check: %s\n", err.message);
        return 2;
    }
    if (o.json) fputs("[", stdout);
    for (uint32_t i = 0; i < cr.count; i++) {
        const exs_finding *f = &cr.findings[i];
        if (o.json) {
            printf("%s{\"file\":", i ? ",\n" : "");
            cli_json_str(stdout, f->path);
            printf(",\"line\":%u,\"column\":%u,\"check\":\"%s\",\"function\":", f->line, f->column,
                   f->check);
            cli_json_str(stdout, f->function);
            printf(",\"message\":");
            cli_json_str(stdout, f->message);
            putchar('}');
        } else {
            printf("%s:%u:%u: %s: %s\n", f->path, f->line, f->column, f->check, f->message);
        }
    }
    if (o.json) puts("]");
    fprintf(stderr, "check: %u findings in %u functions of %u files (%u skipped), %.1f ms\n",
            cr.count, cr.functions, cr.files, cr.skipped_files, cr.seconds * 1e3);
    int status = cr.count ? 1 : 0;
    exs_check_report_free(&cr);
    return status;
}
