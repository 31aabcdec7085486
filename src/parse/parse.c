/* parse.c: the public parsing entry points (exs_parse, exs_file_*): source bytes ->
 * tokens -> AST -> node IDs, and the writers behind exs_file_write.
 *
 * Design: tokens live in a scratch arena that is dropped as soon as the parser has
 * built the tree; the tree copies every name and string it keeps, so an exs_file owns
 * nothing of the caller's source and freeing it is tree_free() plus the ID array.
 * Node IDs are computed once per parse (they depend only on the tree), so writing a
 * file many times, from many threads, never mutates it.
 *
 * Callers: the CLI (src/cli/cmd_parse.c), tests, benchmarks, and later the populator. */
#include "exscope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../ast/ast.h"
#include "../ast/node_id.h"
#include "../ast/writers.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "lexer.h"
#include "parse.h"
#include "parser.h"

struct exs_file {
    exs_tree *tree;
    uint64_t *ids; /* indexed by exs_ref; 0 for the shared leaves no AST node owns */
    uint32_t token_count;
};

static exs_status fail(exs_error *err, exs_status code, const char *path, uint32_t line,
                       uint32_t column, const char *message) {
    if (err) {
        err->code = code;
        err->path = path;
        err->line = line;
        err->column = column;
        snprintf(err->message, sizeof(err->message), "%s", message);
    }
    return code;
}

exs_status exs_parse(const char *src, size_t len, const char *path,
                     const exs_parse_options *opts, exs_file **out, exs_error *err) {
    if (err) memset(err, 0, sizeof(*err));
    if (!out || (!src && len)) return fail(err, EXS_ERR_ARG, path, 0, 0, "invalid argument");
    *out = NULL;
    exs_parse_options dflt = {0};
    if (!opts) opts = &dflt;
    unsigned max_depth = opts->max_depth ? opts->max_depth : EXS_DEFAULT_MAX_DEPTH;
    if (!src) src = "";

    /* Tokens take about 64 bytes per 4 source bytes; one block of that size up front. */
    size_t block = len < (1u << 16) ? (1u << 16) : (len > (64u << 20) ? (64u << 20) : len);
    exs_arena *scratch = arena_new(block);
    exs_file *f = calloc(1, sizeof(*f));
    /* Names, strings and child arrays take about 2.5 bytes per source byte. */
    exs_tree *t = tree_new_sized(len < 2048 ? 4096 : (len > (512u << 10) ? (1u << 20) : len * 2));
    exs_diag d = {0};
    exs_status st = EXS_OK;
    if (!scratch || !f || !t) {
        st = fail(err, EXS_ERR_NOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    exs_tok *toks = NULL;
    unsigned count = 0;
    switch (lex_tokenize(scratch, src, len, max_depth, &toks, &count, &d)) {
    case LEX_OK: break;
    case LEX_ERR_SYNTAX:
        st = fail(err, EXS_ERR_SYNTAX, path, d.line, d.column, d.message);
        goto out;
    case LEX_ERR_DEPTH:
        st = fail(err, EXS_ERR_LIMIT, path, d.line, d.column, d.message);
        goto out;
    case LEX_ERR_NOMEM:
        st = fail(err, EXS_ERR_NOMEM, path, d.line, d.column, "out of memory");
        goto out;
    }
    parse_opts po = {.columns = opts->columns,
                     .token_metadata = opts->token_metadata,
                     .max_depth = max_depth};
    switch (parse_tokens(t, toks, count, &po, &d)) {
    case PARSE_OK: break;
    case PARSE_ERR_SYNTAX:
        st = fail(err, EXS_ERR_SYNTAX, path, d.line, d.column, d.message);
        goto out;
    case PARSE_ERR_DEPTH:
        st = fail(err, EXS_ERR_LIMIT, path, d.line, d.column, d.message);
        goto out;
    case PARSE_ERR_NOMEM:
        st = fail(err, EXS_ERR_NOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    if (t->failed || arena_failed(t->arena)) {
        st = fail(err, EXS_ERR_NOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    tree_shrink(t); /* the parser reserved by estimate; keep only what is used */
    f->ids = node_ids_compute(t, opts->file_id);
    if (!f->ids) {
        st = fail(err, EXS_ERR_NOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    f->tree = t;
    f->token_count = count;
    t = NULL;
    *out = f;
    f = NULL;
out:
    arena_free(scratch);
    tree_free(t);
    if (f) exs_file_free(f);
    return st;
}

const exs_tree *parse_file_tree(const exs_file *f) { return f->tree; }

const uint64_t *parse_file_ids(const exs_file *f) { return f->ids; }

void exs_file_free(exs_file *f) {
    if (!f) return;
    tree_free(f->tree);
    free(f->ids);
    free(f);
}

uint32_t exs_file_node_count(const exs_file *f) { return f ? f->tree->count : 0; }

uint32_t exs_file_token_count(const exs_file *f) { return f ? f->token_count : 0; }

size_t exs_file_memory(const exs_file *f) {
    if (!f) return 0;
    return sizeof(*f) + sizeof(*f->tree) + (size_t)f->tree->cap * sizeof(exs_term) +
           arena_reserved(f->tree->arena) + (size_t)f->tree->count * sizeof(uint64_t);
}

exs_status exs_file_write(const exs_file *f, exs_format format, const exs_write_options *opts,
                          char **out, size_t *out_len) {
    if (!f || !out || !out_len) return EXS_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    const uint64_t *ids = opts && opts->node_ids ? f->ids : NULL;
    exs_buf b;
    buf_init(&b);
    bool ok;
    switch (format) {
    case EXS_FORMAT_ELIXIR: ok = write_elixir(f->tree, f->tree->root, ids, &b); break;
    case EXS_FORMAT_ETF: ok = write_etf(f->tree, f->tree->root, ids, &b); break;
    case EXS_FORMAT_JSON: ok = write_json(f->tree, f->tree->root, ids, &b); break;
    default: buf_free(&b); return EXS_ERR_ARG;
    }
    if (ok) buf_putc(&b, '\0'); /* text formats are NUL-terminated; not counted in len */
    if (!ok || b.failed) {
        buf_free(&b);
        return EXS_ERR_NOMEM;
    }
    *out_len = b.len - 1;
    *out = b.data;
    return EXS_OK;
}

void exs_free(void *p) { free(p); }
