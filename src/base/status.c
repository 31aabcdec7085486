/* status.c: names of exs_status codes, generated from the one X-macro list in exscope.h
 * so a new code cannot be added without its name. */
#include "exscope.h"

static const char *const names[] = {
#define X(name, str) str,
    EXS_STATUS_LIST(X)
#undef X
};

const char *exs_status_name(exs_status s) {
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown status";
}
