/* cmd_show.c: the repository lookups: `exscope show|callers|callees MFA`,
 * `exscope modules`, `exscope functions [--min-complexity N]`. Each indexes --dir
 * (default .), then answers; lines are `file:line:column: ...`, --json gives one JSON
 * array. An MFA is `Mod.fun/arity` (`Kernel.+/2`, `Kernel.../2` for `..`, `:lists.map/2`): the
 * module is the alias segments (or an :erlang atom) up to the first dot that is not
 * followed by an uppercase letter. Exit status 1 when the function is not found. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exscope.h"

typedef struct mfa {
    char module[512], name[256];
    uint32_t arity;
} mfa;

static bool parse_mfa(const char *s, mfa *out) {
    const char *slash = strrchr(s, '/');
    if (!slash || !slash[1]) return false;
    char *end;
    errno = 0;
    unsigned long ar = strtoul(slash + 1, &end, 10);
    if (*end || errno || ar > 255 || !isdigit((unsigned char)slash[1])) return false;
    const char *dot = NULL;
    if (s[0] == ':') {
        dot = strchr(s, '.');
    } else {
        for (const char *p = s; p < slash; p++)
            if (*p == '.' && !isupper((unsigned char)p[1])) {
                dot = p;
                break;
            }
    }
    if (!dot || dot >= slash || dot == s) return false;
    size_t ml = (size_t)(dot - s), nl = (size_t)(slash - dot - 1);
    if (ml >= sizeof(out->module) || nl == 0 || nl >= sizeof(out->name)) return false;
    memcpy(out->module, s, ml);
    out->module[ml] = 0;
    memcpy(out->name, dot + 1, nl);
    out->name[nl] = 0;
    out->arity = (uint32_t)ar;
    return true;
}

typedef struct out_ctx {
    bool json;
    uint32_t n;
} out_ctx;

static void sep(out_ctx *c) {
    if (c->json) fputs(c->n ? ",\n" : "[", stdout);
    c->n++;
}

static void end(out_ctx *c) {
    if (c->json) puts(c->n ? "]" : "[]");
}

static void json_fun(const exs_function_info *f) {
    printf("{\"module\":");
    cli_json_str(stdout, f->module);
    printf(",\"name\":");
    cli_json_str(stdout, f->name);
    printf(",\"arity\":%u,\"kind\":\"%s\",\"file\":", f->arity, f->kind);
    cli_json_str(stdout, f->path);
    char id[40];
    printf(",\"line\":%u,\"column\":%u,\"last_line\":%u,\"clauses\":%u,\"complexity\":%u,"
           "\"cognitive\":%u,\"nesting\":%u,\"lines\":%u,\"public\":%s,\"macro\":%s,"
           "\"generated\":%s,\"stdlib\":%s,\"dep\":%s,\"node_id\":\"%s\"}",
           f->line, f->column, f->last_line, f->clauses, f->complexity, f->cognitive,
           f->nesting, f->lines, f->is_public ? "true" : "false", f->is_macro ? "true" : "false",
           f->generated ? "true" : "false", f->is_stdlib ? "true" : "false",
           f->is_dep ? "true" : "false",
           exs_node_id_format(f->node_id, id));
}

static bool print_call(void *ctx, const exs_call_info *c) {
    out_ctx *o = ctx;
    sep(o);
    if (o->json) {
        char id[40];
        printf("{\"file\":");
        cli_json_str(stdout, c->path);
        printf(",\"line\":%u,\"column\":%u,\"caller_module\":", c->line, c->column);
        cli_json_str(stdout, c->caller_module);
        printf(",\"caller_name\":");
        cli_json_str(stdout, c->caller_name);
        printf(",\"caller_arity\":%u,\"target_module\":", c->caller_arity);
        cli_json_str(stdout, c->target_module);
        printf(",\"name\":");
        cli_json_str(stdout, c->name);
        printf(",\"arity\":%u,\"resolution\":\"%s\",\"dynamic\":%s,\"node_id\":\"%s\"}",
               c->arity, c->resolution, c->is_dynamic ? "true" : "false",
               exs_node_id_format(c->node_id, id));
        return true;
    }
    printf("%s:%u:%u: ", c->path, c->line, c->column);
    if (c->caller_name)
        printf("%s.%s/%u", c->caller_module ? c->caller_module : "?", c->caller_name,
               c->caller_arity);
    else
        printf("%s", c->caller_module ? c->caller_module : "(top level)");
    printf(" -> ");
    if (c->target_module) printf("%s.", c->target_module);
    printf("%s/%u (%s%s)\n", c->name ? c->name : "?", c->arity, c->resolution,
           c->is_dynamic ? ", dynamic" : "");
    return true;
}

typedef enum { Q_SHOW, Q_CALLERS, Q_CALLEES } query;

static int lookup(int argc, char **argv, query q, const char *synopsis) {
    cli_repo_opts o;
    int rc = cli_repo_args(argc, argv, &o, synopsis);
    if (rc) return rc < 0 ? 0 : rc;
    mfa m;
    if (!o.arg || !parse_mfa(o.arg, &m)) {
        fprintf(stderr, "exscope: expected Module.function/arity, got '%s'\n",
                o.arg ? o.arg : "");
        return 2;
    }
    exs_index_report rep;
    exs_repo *repo = cli_repo_index(&o, &rep);
    if (!repo) return 1;
    exs_snapshot *s = exs_repo_snapshot(repo);
    exs_function_info f;
    bool found = exs_snapshot_find_function(s, m.module, m.name, m.arity, &f);
    out_ctx c = {o.json, 0};
    if (q == Q_SHOW) {
        if (found && o.json) {
            json_fun(&f);
            putchar('\n');
        } else if (found) {
            char id[40];
            printf("%s:%u:%u: %s.%s/%u %s%s%s\n", f.path, f.line, f.column, f.module, f.name,
                   f.arity, f.kind, f.generated ? " (generated)" : "",
                   f.is_stdlib ? " (stdlib)" : f.is_dep ? " (deps)" : "");
            if (f.is_stdlib || f.is_dep)
                printf("  clauses %u, %s (%s layer: definitions only)\n", f.clauses,
                       f.is_public ? "public" : "private", f.is_stdlib ? "stdlib" : "deps");
            else
                printf("  clauses %u, lines %u-%u, complexity %u, cognitive %u, nesting %u, %s\n",
                       f.clauses, f.line, f.last_line ? f.last_line : f.line, f.complexity,
                       f.cognitive, f.nesting, f.is_public ? "public" : "private");
            printf("  node %s\n", exs_node_id_format(f.node_id, id));
        }
    } else if (q == Q_CALLERS) {
        exs_snapshot_callers(s, m.module, m.name, m.arity, print_call, &c);
        end(&c);
    } else {
        exs_snapshot_callees(s, m.module, m.name, m.arity, print_call, &c);
        end(&c);
    }
    if (!found && q != Q_CALLERS)
        fprintf(stderr, "exscope: %s.%s/%u: no such function\n", m.module, m.name, m.arity);
    exs_snapshot_release(s);
    exs_index_report_free(&rep);
    exs_repo_free(repo);
    return found || q == Q_CALLERS ? 0 : 1;
}

int cmd_show(int argc, char **argv) { return lookup(argc, argv, Q_SHOW, "show Mod.fun/arity"); }
int cmd_callers(int argc, char **argv) {
    return lookup(argc, argv, Q_CALLERS, "callers Mod.fun/arity");
}
int cmd_callees(int argc, char **argv) {
    return lookup(argc, argv, Q_CALLEES, "callees Mod.fun/arity");
}

static bool print_module(void *ctx, const exs_module_info *m) {
    out_ctx *o = ctx;
    sep(o);
    if (o->json) {
        char id[40];
        printf("{\"name\":");
        cli_json_str(stdout, m->name);
        printf(",\"kind\":\"%s\",\"file\":", m->kind);
        cli_json_str(stdout, m->path);
        printf(",\"line\":%u,\"column\":%u,\"last_line\":%u,\"functions\":%u,"
               "\"node_id\":\"%s\"}",
               m->line_first, m->column, m->line_last, m->function_count,
               exs_node_id_format(m->node_id, id));
    } else {
        printf("%s:%u:%u: %s %s, %u functions\n", m->path, m->line_first, m->column,
               m->name ? m->name : "(dynamic)", m->kind, m->function_count);
    }
    return true;
}

static bool print_function(void *ctx, const exs_function_info *f) {
    out_ctx *o = ctx;
    sep(o);
    if (o->json) json_fun(f);
    else
        printf("%s:%u:%u: %s.%s/%u %s complexity %u\n", f->path, f->line, f->column,
               f->module ? f->module : "?", f->name ? f->name : "(dynamic)", f->arity,
               f->kind, f->complexity);
    return true;
}

static int listing(int argc, char **argv, bool functions) {
    cli_repo_opts o;
    int rc = cli_repo_args(argc, argv, &o,
                           functions ? "functions [--min-complexity N]" : "modules");
    if (rc) return rc < 0 ? 0 : rc;
    if (o.arg) {
        fprintf(stderr, "exscope: unexpected argument '%s' (use --dir DIR)\n", o.arg);
        return 2;
    }
    exs_index_report rep;
    exs_repo *repo = cli_repo_index(&o, &rep);
    if (!repo) return 1;
    exs_snapshot *s = exs_repo_snapshot(repo);
    out_ctx c = {o.json, 0};
    if (functions) exs_snapshot_functions(s, o.min_complexity, print_function, &c);
    else exs_snapshot_modules(s, false, print_module, &c);
    end(&c);
    exs_snapshot_release(s);
    exs_index_report_free(&rep);
    exs_repo_free(repo);
    return 0;
}

int cmd_modules(int argc, char **argv) { return listing(argc, argv, false); }
int cmd_functions(int argc, char **argv) { return listing(argc, argv, true); }
