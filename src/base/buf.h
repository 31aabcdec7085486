/* buf.h: a growable byte buffer for writers (ETF, JSON, Elixir text).
 * On allocation failure the sticky `failed` flag is set and appends become no-ops. */
#ifndef EXS_BUF_H
#define EXS_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef struct exs_buf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
} exs_buf;

void buf_init(exs_buf *b);
void buf_free(exs_buf *b);
bool buf_reserve(exs_buf *b, size_t extra);
void buf_put(exs_buf *b, const void *p, size_t n);
void buf_putc(exs_buf *b, char c);
void buf_puts(exs_buf *b, const char *s);
void buf_printf(exs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_put_u8(exs_buf *b, uint8_t v);
void buf_put_be16(exs_buf *b, uint16_t v);
void buf_put_be32(exs_buf *b, uint32_t v);

#endif
