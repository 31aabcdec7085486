/* exscope.h: the public C API of exscope, the Elixir code-intelligence engine.
 *
 * This header is the whole API. Types are opaque and made/freed in pairs
 * (exs_<noun>_new/_free, _open/_close). Functions that can fail return exs_status;
 * details go into an optional caller-owned exs_error (pass NULL if you do not care).
 *
 * Thread-safety: unless stated otherwise, one object is used by one thread at a time;
 * distinct objects may be used from distinct threads freely. A parsed exs_file is
 * immutable and may be read (written out, walked) from many threads at once. */
#ifndef EXSCOPE_H
#define EXSCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define EXS_API __attribute__((visibility("default")))
#define EXS_WUR __attribute__((warn_unused_result))
#else
#define EXS_API
#define EXS_WUR
#endif

/* Status codes: one list gives the enum and exs_status_name(). */
#define EXS_STATUS_LIST(X)                                                         \
    X(OK, "ok")                                                                    \
    X(ERR_SYNTAX, "syntax error")                                                  \
    X(ERR_NOMEM, "out of memory")                                                  \
    X(ERR_IO, "i/o error")                                                         \
    X(ERR_ARG, "invalid argument")                                                 \
    X(ERR_LIMIT, "limit exceeded")

typedef enum {
#define X(name, str) EXS_##name,
    EXS_STATUS_LIST(X)
#undef X
} exs_status;

/* A short English name for a status ("syntax error"). Never NULL. */
EXS_API const char *exs_status_name(exs_status s);

/* Where and why something failed. `path` points to the caller's path string (or is
 * NULL); line/column are 1-based, 0 when unknown. */
typedef struct exs_error {
    exs_status code;
    const char *path;
    uint32_t line;
    uint32_t column;
    char message[1024];
} exs_error;

/* ---- Parsing ------------------------------------------------------------------- */

/* A parsed source file: its AST (the term Code.string_to_quoted/2 gives) and node IDs. */
typedef struct exs_file exs_file;

typedef struct exs_parse_options {
    bool columns;        /* like Code.string_to_quoted(columns: true) */
    bool token_metadata; /* like token_metadata: true */
    uint32_t file_id;    /* high bits of every node ID; see docs/node_ids.md */
    unsigned max_depth;  /* nesting limit; 0 means the default (EXS_DEFAULT_MAX_DEPTH) */
} exs_parse_options;

#define EXS_DEFAULT_MAX_DEPTH 1000

/* Parses `len` bytes of Elixir source. `path` names the file in diagnostics (may be
 * NULL). On success *out is a new exs_file the caller frees with exs_file_free().
 * Returns EXS_ERR_SYNTAX with err->line/column/message on a syntax error (the message
 * follows Elixir's wording), EXS_ERR_LIMIT when max_depth is exceeded, EXS_ERR_NOMEM.
 * Thread-safe: any number of parses may run concurrently. */
EXS_API EXS_WUR exs_status exs_parse(const char *src, size_t len, const char *path,
                                     const exs_parse_options *opts, exs_file **out,
                                     exs_error *err);

/* Frees a parsed file and everything it owns. NULL is fine. */
EXS_API void exs_file_free(exs_file *f);

/* Sizes of a parsed file, for statistics: AST terms (every integer, atom, list, tuple
 * and metadata list the term is made of), tokens the lexer produced, and the bytes the
 * file holds on to (AST, strings and node IDs). */
EXS_API uint32_t exs_file_node_count(const exs_file *f);
EXS_API uint32_t exs_file_token_count(const exs_file *f);
EXS_API size_t exs_file_memory(const exs_file *f);

typedef enum {
    EXS_FORMAT_ELIXIR, /* the term as Elixir's inspect/2 prints it */
    EXS_FORMAT_ETF,    /* Erlang external term format (binary_to_term/1 reads it) */
    EXS_FORMAT_JSON,   /* see docs/json.md */
} exs_format;

typedef struct exs_write_options {
    bool node_ids; /* add `node_id: "..."` to the metadata of every AST node */
} exs_write_options;

/* Writes the file's AST in `format`. On success *out (NUL-terminated for text formats)
 * and *out_len are set; free *out with exs_free(). Returns EXS_ERR_NOMEM on failure. */
EXS_API EXS_WUR exs_status exs_file_write(const exs_file *f, exs_format format,
                                          const exs_write_options *opts, char **out,
                                          size_t *out_len);

/* Frees memory returned by the library. */
EXS_API void exs_free(void *p);

/* ---- Node IDs ------------------------------------------------------------------ */

/* A node ID: unique in a project, stable across re-parses of unchanged text and across
 * edits to other functions of the same file. Scheme: docs/node_ids.md. */
typedef uint64_t exs_node_id;

/* Printable form "exs:<file>:<anchor>:<local>" in hex; `buf` needs 40 bytes.
 * Returns buf. */
EXS_API char *exs_node_id_format(exs_node_id id, char buf[40]);

/* Parses the printable form; false if malformed. */
EXS_API bool exs_node_id_parse(const char *s, exs_node_id *out);

#ifdef __cplusplus
}
#endif
#endif
