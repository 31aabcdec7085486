/* diag.h: one diagnostic (error) from the lexer or parser: position and message.
 * The message follows Elixir's wording ("syntax error before: ", "missing terminator: ",
 * "unexpected token: " ...) so users recognise it. */
#ifndef EXS_DIAG_H
#define EXS_DIAG_H

#include <stdint.h>

typedef struct exs_diag {
    uint32_t line;
    uint32_t column;
    char message[1024]; /* NUL-terminated, truncated if longer */
} exs_diag;

void diag_set(exs_diag *d, uint32_t line, uint32_t column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
