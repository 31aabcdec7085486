/* diag.c: fills an exs_diag; a NULL diag means the caller does not care. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

void diag_set(exs_diag *d, uint32_t line, uint32_t column, const char *fmt, ...) {
    if (!d) return;
    d->line = line;
    d->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof(d->message), fmt, ap);
    va_end(ap);
}
