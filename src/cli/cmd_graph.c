/* cmd_graph.c: `exscope cfg|dfg|cpg MFA [--dir DIR] [--format dot|json]
 * [--max-ast-nodes N]`: indexes --dir (default .), builds the function's graphs through
 * the graphs cache (exs_graphs_write) and prints the control-flow graph, the data-flow
 * graph or the code property graph as Graphviz DOT (default; `dot -Tsvg` renders it)
 * or JSON (docs/cpg.md). A summary CPG is announced on stderr. Exit status 1 when the
 * function is not found or has no graphs, 2 on usage errors. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exscope.h"

/* `Mod.fun/arity` (as cmd_show.c reads it): the module is the alias segments up to the
 * first dot not followed by an uppercase letter, or an :erlang atom. */
static bool split_mfa(const char *s, char *mod, size_t mcap, char *name, size_t ncap,
                      uint32_t *arity) {
    const char *slash = strrchr(s, '/');
    if (!slash || !isdigit((unsigned char)slash[1])) return false;
    char *end;
    errno = 0;
    unsigned long ar = strtoul(slash + 1, &end, 10);
    if (*end || errno || ar > 255) return false;
    const char *dot = NULL;
    if (s[0] == ':')
        dot = strchr(s, '.');
    else
        for (const char *p = s; p < slash && !dot; p++)
            if (*p == '.' && !isupper((unsigned char)p[1])) dot = p;
    if (!dot || dot >= slash || dot == s) return false;
    size_t ml = (size_t)(dot - s), nl = (size_t)(slash - dot - 1);
    if (ml >= mcap || nl == 0 || nl >= ncap) return false;
    memcpy(mod, s, ml);
    mod[ml] = 0;
    memcpy(name, dot + 1, nl);
    name[nl] = 0;
    *arity = (uint32_t)ar;
    return true;
}

int cmd_graph(int argc, char **argv) {
    const char *which = argv[0];
    exs_graph_kind kind = strcmp(which, "cfg") == 0   ? EXS_GRAPH_CFG
                          : strcmp(which, "dfg") == 0 ? EXS_GRAPH_DFG
                                                      : EXS_GRAPH_CPG;
    exs_graph_format format = EXS_GRAPH_DOT;
    uint32_t max_ast = 0;
    /* our own options first; the rest goes to the common parser */
    char **rest = calloc((size_t)argc + 1, sizeof(char *));
    if (!rest) return 2;
    int nrest = 0;
    rest[nrest++] = argv[0];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 || strcmp(argv[i], "--max-ast-nodes") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "exscope: %s needs a value\n", argv[i]);
                free(rest);
                return 2;
            }
            const char *v = argv[++i];
            if (argv[i - 1][2] == 'f') {
                if (strcmp(v, "dot") == 0)
                    format = EXS_GRAPH_DOT;
                else if (strcmp(v, "json") == 0)
                    format = EXS_GRAPH_JSON;
                else {
                    fprintf(stderr, "exscope: --format: dot or json, not '%s'\n", v);
                    free(rest);
                    return 2;
                }
            } else {
                char *end;
                unsigned long n = strtoul(v, &end, 10);
                if (*end || !*v || n == 0 || n > UINT32_MAX) {
                    fprintf(stderr, "exscope: --max-ast-nodes: bad number '%s'\n", v);
                    free(rest);
                    return 2;
                }
                max_ast = (uint32_t)n;
            }
        } else {
            rest[nrest++] = argv[i];
        }
    }
    char synopsis[128];
    snprintf(synopsis, sizeof(synopsis), "%s MFA [--format dot|json] [--max-ast-nodes N]", which);
    cli_repo_opts o;
    int rc = cli_repo_args(nrest, rest, &o, synopsis);
    free(rest);
    if (rc) return rc < 0 ? 0 : rc;
    char mod[512], name[256];
    uint32_t arity;
    if (!o.arg || !split_mfa(o.arg, mod, sizeof(mod), name, sizeof(name), &arity)) {
        fprintf(stderr, "exscope: %s: expected Mod.fun/arity\n", o.arg ? o.arg : which);
        return 2;
    }
    exs_index_report rep;
    exs_repo *repo = cli_repo_index(&o, &rep);
    if (!repo) return 1;
    exs_index_report_free(&rep);
    exs_graph_options go = {.max_ast_nodes_for_full_cpg = max_ast};
    exs_graphs *g = exs_graphs_new(repo, &go);
    if (!g) {
        exs_repo_free(repo);
        fputs("exscope: out of memory\n", stderr);
        return 1;
    }
    char *out = NULL;
    size_t len = 0;
    exs_graph_info info;
    exs_error err;
    exs_status st = exs_graphs_write(g, mod, name, arity, kind, format, &out, &len, &info, &err);
    if (st == EXS_OK) {
        fwrite(out, 1, len, stdout);
        if (info.is_summary && kind != EXS_GRAPH_CFG)
            fprintf(stderr,
                    "exscope: %s: summary CPG (%u AST nodes > the full-CPG limit): call edges "
                    "and the CFG skeleton only\n",
                    o.arg, info.ast_nodes);
        exs_free(out);
    } else {
        fprintf(stderr, "exscope: %s\n", err.message);
    }
    exs_graphs_free(g);
    exs_repo_free(repo);
    return st == EXS_OK ? 0 : 1;
}
