/* main.c: the exscope command: dispatches to one cmd_<name>.c per subcommand.
 * Only the CLI may exit(); the library reports errors through exs_status. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exscope.h"

static void usage(FILE *out) {
    fputs("usage: exscope <command> [options]\n"
          "\n"
          "commands:\n"
          "  parse PATH...   parse Elixir files (directories: every .ex/.exs below) and\n"
          "                  print their AST; `exscope parse --help` for options\n"
          "  index [DIR]     index a project: summary of files, modules, functions, calls\n"
          "  show MFA        a function (Mod.fun/2): kind, location, clauses, complexity\n"
          "  callers MFA     the call sites that call Mod.fun/2\n"
          "  callees MFA     the call sites inside Mod.fun/2\n"
          "  modules         the project's modules\n"
          "  functions       the project's functions, most complex first (--min-complexity N)\n"
          "  stats           repository tables: rows and memory\n"
          "  cfg|dfg|cpg MFA a function's control-flow, data-flow or code property graph\n"
          "                  (--format dot|json, --max-ast-nodes N)\n"
          "  check [DIR]     the built-in checks: file:line:column: check: message\n"
          "                  (--checks a,b, --list; exit status 1 on findings)\n"
          "  query 'QUERY'   from functions|calls|modules|files where ... select ...\n"
          "                  order by ... limit N (--explain; docs/queries.md)\n"
          "                  (these take --dir DIR, --stdlib DIR, -j N, --json)\n"
          "  grep PATTERN [PATH...]  structural search: `Repo.get!(_, _)`, `$x` binds,\n"
          "                  f(...) any arguments (--json, -j N; exit 1: no match)\n"
          "  version         print the version\n"
          "  help            this text\n",
          out);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "parse") == 0) return cmd_parse(argc - 1, argv + 1);
    if (strcmp(cmd, "index") == 0) return cmd_index(argc - 1, argv + 1);
    if (strcmp(cmd, "stats") == 0) return cmd_stats(argc - 1, argv + 1);
    if (strcmp(cmd, "show") == 0) return cmd_show(argc - 1, argv + 1);
    if (strcmp(cmd, "callers") == 0) return cmd_callers(argc - 1, argv + 1);
    if (strcmp(cmd, "callees") == 0) return cmd_callees(argc - 1, argv + 1);
    if (strcmp(cmd, "modules") == 0) return cmd_modules(argc - 1, argv + 1);
    if (strcmp(cmd, "functions") == 0) return cmd_functions(argc - 1, argv + 1);
    if (strcmp(cmd, "cfg") == 0 || strcmp(cmd, "dfg") == 0 || strcmp(cmd, "cpg") == 0)
        return cmd_graph(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0) return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "query") == 0) return cmd_query(argc - 1, argv + 1);
    if (strcmp(cmd, "grep") == 0) return cmd_grep(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("exscope %s\n", EXS_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "exscope: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
