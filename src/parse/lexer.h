/* lexer.h: Elixir source bytes -> token array (the port of elixir_tokenizer.erl). */
#ifndef EXS_LEXER_H
#define EXS_LEXER_H

#include <stddef.h>

#include "../base/arena.h"
#include "diag.h"
#include "token.h"

typedef enum {
    LEX_OK = 0,
    LEX_ERR_SYNTAX = 1, /* *err holds line, column and message */
    LEX_ERR_NOMEM = 2,
    LEX_ERR_DEPTH = 3, /* *err filled: nesting deeper than max_depth */
} lex_status;

/* Tokenizes `len` bytes of `src` (need not be NUL-terminated) starting at line 1,
 * column 1. On success *out_toks holds *out_count tokens, the last one EXS_TOK_EOF;
 * everything is allocated in `a`. On a syntax error returns LEX_ERR_SYNTAX and fills
 * `err` (may be NULL) with Elixir's line, column and message. Never reads past
 * src+len. `max_depth` bounds nesting of interpolations/terminators (error beyond). */
/* Elixir's explanation after "unexpected reserved word: do" / "unexpected keyword: do:"
 * (elixir_tokenizer:invalid_do_error/1), shared with the parser. */
extern const char lex_invalid_do_suffix[];

lex_status lex_tokenize(exs_arena *a, const char *src, size_t len, unsigned max_depth,
                        exs_tok **out_toks, unsigned *out_count, exs_diag *err);

#endif
