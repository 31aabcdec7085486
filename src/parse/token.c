/* token.c: names of token kinds (the Erlang token atoms, see token.h). */
#include "token.h"

static const char *const kind_names[] = {
#define X(name, str) str,
    EXS_TOK_KINDS(X)
#undef X
};

const char *exs_tok_kind_name(exs_tok_kind k) {
    if ((unsigned)k >= EXS_TOK__COUNT) return "?";
    return kind_names[k];
}
