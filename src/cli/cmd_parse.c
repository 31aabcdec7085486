/* cmd_parse.c: `exscope parse`: parse files and print their AST (Elixir text, ETF or
 * JSON), check them for syntax errors, or summarise a whole tree (--stats).
 *
 * A syntax error is reported as `file:line:column: message` on stderr; the other files
 * are still parsed, and the exit status is 1 if any file failed (2 for usage errors).
 *
 * --batch writes, per file, a 4-byte big-endian length then one ETF term
 * {path, {:ok, ast}} or {path, {:error, {line, column, message}}}, so a harness reads
 * many results from one process (tests/conformance/ does). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"
#include "exscope.h"

typedef enum { OUT_AST, OUT_BATCH, OUT_STATS, OUT_CHECK } out_mode;

typedef struct stats {
    size_t files, failed, bytes, lines, tokens, terms, memory, max_memory;
    double seconds;
} stats;

static void usage(FILE *out) {
    fputs("usage: exscope parse [options] PATH...\n"
          "\n"
          "Parses Elixir source files (a directory means every .ex/.exs file below it;\n"
          "`-` is stdin) into the AST Code.string_to_quoted/2 gives, and prints it.\n"
          "\n"
          "  -f, --format FMT   elixir (as inspect/2 prints it; default), etf (Erlang\n"
          "                     external term format), json (docs/json.md)\n"
          "      --columns      add column: to the metadata (columns: true)\n"
          "      --token-metadata  add do/end/closing/newlines/... (token_metadata: true)\n"
          "      --node-ids     add node_id: \"exs:...\" to every AST node's metadata\n"
          "      --file-id N    file part of node IDs for the first file (then N+1, ...)\n"
          "      --max-depth N  nesting limit (default 1000)\n"
          "      --check        print nothing but errors\n"
          "      --stats        print a summary (files, bytes, terms, speed, memory)\n"
          "      --batch        length-prefixed ETF {path, {:ok, ast} | {:error, ...}}\n"
          "      --files-from F read more paths from F, one per line (- for stdin)\n"
          "  -o, --output FILE  write there instead of stdout\n"
          "\n"
          "Exit status: 0 if every file parsed, 1 if any had an error, 2 on bad usage.\n",
          out);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void put_be32(FILE *out, uint32_t v) {
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    fwrite(b, 1, 4, out);
}

/* ETF pieces for the batch wrapper (the AST itself comes from exs_file_write). */
static size_t etf_binary(unsigned char *dst, const char *s, size_t len) {
    if (dst) {
        dst[0] = 109; /* BINARY_EXT */
        dst[1] = (unsigned char)(len >> 24), dst[2] = (unsigned char)(len >> 16);
        dst[3] = (unsigned char)(len >> 8), dst[4] = (unsigned char)len;
        memcpy(dst + 5, s, len);
    }
    return 5 + len;
}

static size_t etf_atom(unsigned char *dst, const char *name) {
    size_t len = strlen(name);
    if (dst) {
        dst[0] = 119; /* SMALL_ATOM_UTF8_EXT */
        dst[1] = (unsigned char)len;
        memcpy(dst + 2, name, len);
    }
    return 2 + len;
}

static size_t etf_int(unsigned char *dst, uint32_t v) {
    if (dst) {
        dst[0] = 98; /* INTEGER_EXT */
        dst[1] = (unsigned char)(v >> 24), dst[2] = (unsigned char)(v >> 16);
        dst[3] = (unsigned char)(v >> 8), dst[4] = (unsigned char)v;
    }
    return 5;
}

/* {path, {:ok, ast}} with `ast` an ETF term (leading 131 included), or
 * {path, {:error, {line, column, message}}} when ast is NULL. */
static int write_frame(FILE *out, const char *path, const char *ast, size_t ast_len,
                       const exs_error *e) {
    size_t plen = strlen(path), mlen = e ? strlen(e->message) : 0;
    size_t n = 1 + 2 + etf_binary(NULL, path, plen) + 2;
    n += ast ? etf_atom(NULL, "ok") + ast_len - 1
             : etf_atom(NULL, "error") + 2 + 5 + 5 + etf_binary(NULL, e->message, mlen);
    if (n > UINT32_MAX) return EFBIG;
    unsigned char *buf = malloc(n), *p = buf;
    if (!buf) return ENOMEM;
    *p++ = 131;
    *p++ = 104, *p++ = 2; /* SMALL_TUPLE_EXT, arity 2 */
    p += etf_binary(p, path, plen);
    *p++ = 104, *p++ = 2;
    if (ast) {
        p += etf_atom(p, "ok");
        memcpy(p, ast + 1, ast_len - 1);
        p += ast_len - 1;
    } else {
        p += etf_atom(p, "error");
        *p++ = 104, *p++ = 3;
        p += etf_int(p, e->line);
        p += etf_int(p, e->column);
        p += etf_binary(p, e->message, mlen);
    }
    put_be32(out, (uint32_t)n);
    fwrite(buf, 1, n, out);
    free(buf);
    return 0;
}

static void report(const char *path, const exs_error *e) {
    if (e->line && e->column)
        fprintf(stderr, "%s:%u:%u: %s\n", path, e->line, e->column, e->message);
    else if (e->line) /* errors placed on a node without columns: true have no column */
        fprintf(stderr, "%s:%u: %s\n", path, e->line, e->message);
    else
        fprintf(stderr, "%s: %s\n", path, e->message);
}

/* --files-from: one path per line ("-" reads the list from stdin). */
static int add_list(cli_paths *paths, const char *list) {
    char *text;
    size_t len;
    int e = cli_read_file(list, &text, &len);
    if (e) {
        fprintf(stderr, "%s: %s\n", list, strerror(e));
        return e;
    }
    for (char *line = text; line < text + len;) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        char *end = nl ? nl : text + len;
        *end = '\0';
        const char *bad;
        if (*line && (e = cli_paths_add(paths, line, &bad)) != 0) {
            fprintf(stderr, "%s: %s\n", bad, strerror(e));
            break;
        }
        line = end + 1;
    }
    free(text);
    return e;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || end == s || *end || v > max || s[0] == '-') return false;
    *out = v;
    return true;
}

int cmd_parse(int argc, char **argv) {
    exs_parse_options po = {0};
    exs_write_options wo = {0};
    exs_format fmt = EXS_FORMAT_ELIXIR;
    out_mode mode = OUT_AST;
    const char *output = NULL;
    cli_paths paths = {0};
    int rc = 0;
    bool opts_done = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        if (!opts_done && a[0] == '-' && a[1]) {
            bool takes = strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0 ||
                         strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
                         strcmp(a, "--file-id") == 0 || strcmp(a, "--max-depth") == 0 ||
                         strcmp(a, "--files-from") == 0;
            if (takes) {
                if (i + 1 >= argc) {
                    fprintf(stderr, "exscope parse: %s needs a value\n", a);
                    rc = 2;
                    goto done;
                }
                val = argv[++i];
            }
            unsigned long n;
            if (strcmp(a, "--") == 0) {
                opts_done = true;
            } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
                usage(stdout);
                goto done;
            } else if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) {
                if (strcmp(val, "elixir") == 0) fmt = EXS_FORMAT_ELIXIR;
                else if (strcmp(val, "etf") == 0) fmt = EXS_FORMAT_ETF;
                else if (strcmp(val, "json") == 0) fmt = EXS_FORMAT_JSON;
                else {
                    fprintf(stderr, "exscope parse: unknown format '%s' (elixir, etf, json)\n",
                            val);
                    rc = 2;
                    goto done;
                }
            } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
                output = val;
            } else if (strcmp(a, "--file-id") == 0 || strcmp(a, "--max-depth") == 0) {
                bool is_id = a[2] == 'f';
                if (!parse_uint(val, is_id ? 0x3FFFFFul : 1000000ul, &n) || (!is_id && !n)) {
                    fprintf(stderr, "exscope parse: bad value for %s: '%s'\n", a, val);
                    rc = 2;
                    goto done;
                }
                if (is_id) po.file_id = (uint32_t)n;
                else po.max_depth = (unsigned)n;
            } else if (strcmp(a, "--files-from") == 0) {
                if (add_list(&paths, val) != 0) {
                    rc = 1;
                    goto done;
                }
            } else if (strcmp(a, "--columns") == 0) {
                po.columns = true;
            } else if (strcmp(a, "--token-metadata") == 0) {
                po.token_metadata = true;
            } else if (strcmp(a, "--node-ids") == 0) {
                wo.node_ids = true;
            } else if (strcmp(a, "--check") == 0) {
                mode = OUT_CHECK;
            } else if (strcmp(a, "--stats") == 0) {
                mode = OUT_STATS;
            } else if (strcmp(a, "--batch") == 0) {
                mode = OUT_BATCH;
            } else {
                fprintf(stderr, "exscope parse: unknown option '%s'\n", a);
                usage(stderr);
                rc = 2;
                goto done;
            }
            continue;
        }
        const char *bad;
        int e = cli_paths_add(&paths, a, &bad);
        if (e) {
            fprintf(stderr, "%s: %s\n", bad, strerror(e));
            rc = 1;
        }
    }
    if (!paths.count) {
        if (rc) goto done;
        fprintf(stderr, "exscope parse: no input files\n");
        usage(stderr);
        rc = 2;
        goto done;
    }
    if (mode == OUT_AST && fmt == EXS_FORMAT_ETF && paths.count > 1) {
        fprintf(stderr, "exscope parse: --format etf takes one file; use --batch for many\n");
        rc = 2;
        goto done;
    }
    if (mode == OUT_BATCH) fmt = EXS_FORMAT_ETF;

    FILE *out = stdout;
    if (output && !(out = fopen(output, "wb"))) {
        fprintf(stderr, "%s: %s\n", output, strerror(errno));
        rc = 1;
        goto done;
    }
    stats s = {0};
    double t_start = now();
    for (size_t i = 0; i < paths.count; i++) {
        const char *path = paths.items[i];
        char *src;
        size_t len;
        int e = cli_read_file(path, &src, &len);
        if (e) {
            fprintf(stderr, "%s: %s\n", path, strerror(e));
            rc = 1;
            s.failed++;
            continue;
        }
        exs_error err;
        exs_file *f = NULL;
        double t0 = now();
        const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
        exs_status st = exs_parse(src, len, shown, &po, &f, &err);
        s.seconds += now() - t0;
        s.files++;
        s.bytes += len;
        for (size_t k = 0; k < len; k++) s.lines += src[k] == '\n';
        if (len && src[len - 1] != '\n') s.lines++;
        free(src);
        if (po.file_id) po.file_id = (po.file_id + 1) & 0x3FFFFF;
        if (st != EXS_OK) {
            report(shown, &err);
            rc = 1;
            s.failed++;
            if (mode == OUT_BATCH) write_frame(out, path, NULL, 0, &err);
            continue;
        }
        size_t mem = exs_file_memory(f);
        s.tokens += exs_file_token_count(f);
        s.terms += exs_file_node_count(f);
        s.memory += mem;
        if (mem > s.max_memory) s.max_memory = mem;
        if (mode == OUT_AST || mode == OUT_BATCH) {
            char *text;
            size_t text_len;
            st = exs_file_write(f, fmt, &wo, &text, &text_len);
            if (st != EXS_OK) {
                fprintf(stderr, "%s: %s\n", path, exs_status_name(st));
                rc = 1;
            } else if (mode == OUT_BATCH) {
                write_frame(out, path, text, text_len, NULL);
            } else {
                if (paths.count > 1 && fmt == EXS_FORMAT_ELIXIR) fprintf(out, "# %s\n", path);
                fwrite(text, 1, text_len, out);
            }
            exs_free(text);
        }
        exs_file_free(f);
    }
    double wall = now() - t_start;
    if (mode == OUT_STATS) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        double mb = (double)s.bytes / 1e6;
        fprintf(out,
                "files        %zu (%zu with errors)\n"
                "source       %.2f MB, %zu lines\n"
                "tokens       %zu\n"
                "AST terms    %zu (%.1f per line)\n"
                "AST memory   %.2f MB in all, %.1f KB per file (largest %.1f KB)\n"
                "parse time   %.3f s (%.1f MB/s, one thread; %.3f s with file reading)\n"
                "peak RSS     %.1f MB\n",
                s.files, s.failed, mb, s.lines, s.tokens, s.terms,
                s.lines ? (double)s.terms / (double)s.lines : 0.0, (double)s.memory / 1e6,
                s.files ? (double)s.memory / 1024.0 / (double)s.files : 0.0,
                (double)s.max_memory / 1024.0, s.seconds,
                s.seconds > 0 ? mb / s.seconds : 0.0, wall, (double)ru.ru_maxrss / 1024.0);
    }
    if (fflush(out) != 0 || (out != stdout && fclose(out) != 0)) {
        fprintf(stderr, "%s: %s\n", output ? output : "stdout", strerror(errno));
        rc = 1;
    }
done:
    cli_paths_free(&paths);
    return rc;
}
