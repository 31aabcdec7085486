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
