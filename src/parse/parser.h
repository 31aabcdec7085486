/* parser.h: tokens -> Elixir AST (the port of elixir_parser.yrl to recursive descent). */
#ifndef EXS_PARSER_H
#define EXS_PARSER_H

#include <stdbool.h>

#include "../ast/ast.h"
#include "diag.h"
#include "token.h"

typedef struct parse_opts {
    bool columns;
    bool token_metadata;
    unsigned max_depth; /* expression nesting limit */
} parse_opts;

typedef enum {
    PARSE_OK = 0,
    PARSE_ERR_SYNTAX = 1, /* *err filled */
    PARSE_ERR_NOMEM = 2,
    PARSE_ERR_DEPTH = 3, /* *err filled: nesting deeper than max_depth */
} parse_status;

/* Parses toks[0..count) (last is EXS_TOK_EOF) into `t`, setting t->root.
 * Terms are built in `t`; the tokens are not referenced afterwards. */
parse_status parse_tokens(exs_tree *t, const exs_tok *toks, unsigned count,
                          const parse_opts *opts, exs_diag *err);

#endif
