/* qlex.c: the query language's lexer (model: Lua's llex.c, much smaller).
 *
 * Design: a cursor over the query text; each call returns one token as a slice.
 * Keywords are plain identifiers here: the parser decides (`name` is a field,
 * `contains` an operator), so a field may share a keyword's spelling. A regex literal
 * /.../ is ambiguous with nothing in this language, but it is only read where the
 * parser expects a pattern (after `matches`), which keeps the lexer context-free.
 * Invariants: pos <= len; tokens never extend past len; nothing is allocated.
 * Called by qparse.c. */
#include "qlex.h"

#include <ctype.h>
#include <string.h>

void qlex_init(qlex *lx, const char *src, size_t len) {
    lx->src = src;
    lx->len = len > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)len;
    lx->pos = 0;
}

static void skip_blank(qlex *lx) {
    while (lx->pos < lx->len) {
        char c = lx->src[lx->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') lx->pos++;
        else if (c == '#') { /* a comment to the end of the line */
            while (lx->pos < lx->len && lx->src[lx->pos] != '\n') lx->pos++;
        } else break;
    }
}

static qtok tok(qlex *lx, qtok_kind k, uint32_t start) {
    return (qtok){k, start, lx->pos - start};
}

qtok qlex_next(qlex *lx) {
    skip_blank(lx);
    uint32_t start = lx->pos;
    if (lx->pos >= lx->len) return tok(lx, QT_EOF, start);
    unsigned char c = (unsigned char)lx->src[lx->pos++];
    if (isalpha(c) || c == '_') {
        while (lx->pos < lx->len &&
               (isalnum((unsigned char)lx->src[lx->pos]) || lx->src[lx->pos] == '_'))
            lx->pos++;
        return tok(lx, QT_IDENT, start);
    }
    if (isdigit(c) || (c == '-' && lx->pos < lx->len && isdigit((unsigned char)lx->src[lx->pos]))) {
        while (lx->pos < lx->len && isdigit((unsigned char)lx->src[lx->pos])) lx->pos++;
        return tok(lx, QT_INT, start);
    }
    if (c == '"' || c == '\'') {
        while (lx->pos < lx->len && lx->src[lx->pos] != (char)c) {
            if (lx->src[lx->pos] == '\\' && lx->pos + 1 < lx->len) lx->pos++;
            lx->pos++;
        }
        if (lx->pos >= lx->len) {
            lx->pos = start + 1;
            return (qtok){QT_ERROR, start, 1};
        }
        lx->pos++;
        return tok(lx, QT_STRING, start);
    }
    switch (c) {
    case '(': return tok(lx, QT_LPAREN, start);
    case ')': return tok(lx, QT_RPAREN, start);
    case ',': return tok(lx, QT_COMMA, start);
    case '*': return tok(lx, QT_STAR, start);
    case '=':
        if (lx->pos < lx->len && lx->src[lx->pos] == '=') lx->pos++; /* == is = */
        return tok(lx, QT_EQ, start);
    case '!':
        if (lx->pos < lx->len && lx->src[lx->pos] == '=') {
            lx->pos++;
            return tok(lx, QT_NE, start);
        }
        break;
    case '<':
        if (lx->pos < lx->len && lx->src[lx->pos] == '=') lx->pos++;
        else if (lx->pos < lx->len && lx->src[lx->pos] == '>') {
            lx->pos++;
            return tok(lx, QT_NE, start);
        } else return tok(lx, QT_LT, start);
        return tok(lx, QT_LE, start);
    case '>':
        if (lx->pos < lx->len && lx->src[lx->pos] == '=') {
            lx->pos++;
            return tok(lx, QT_GE, start);
        }
        return tok(lx, QT_GT, start);
    default: break;
    }
    return (qtok){QT_ERROR, start, 1};
}

qtok qlex_regex(qlex *lx) {
    skip_blank(lx);
    uint32_t start = lx->pos;
    if (lx->pos >= lx->len || lx->src[lx->pos] != '/') return (qtok){QT_ERROR, start, 0};
    lx->pos++;
    while (lx->pos < lx->len && lx->src[lx->pos] != '/') {
        if (lx->src[lx->pos] == '\\' && lx->pos + 1 < lx->len) lx->pos++;
        lx->pos++;
    }
    if (lx->pos >= lx->len) {
        lx->pos = start + 1;
        return (qtok){QT_ERROR, start, 1};
    }
    lx->pos++;
    while (lx->pos < lx->len && strchr("imsx", lx->src[lx->pos]) && lx->src[lx->pos]) lx->pos++;
    return tok(lx, QT_REGEX, start);
}

size_t qlex_string(const char *src, qtok t, char *out) {
    size_t n = 0;
    for (uint32_t i = t.pos + 1; i + 1 < t.pos + t.len; i++) {
        char c = src[i];
        if (c == '\\' && i + 2 < t.pos + t.len) {
            c = src[++i];
            if (c == 'n') c = '\n';
            else if (c == 't') c = '\t';
        }
        out[n++] = c;
    }
    out[n] = 0;
    return n;
}

const char *qtok_name(qtok_kind k) {
    static const char *names[] = {"end of query", "a word", "a number", "a string", "a regex",
                                  "'('", "')'", "','", "'*'", "'='", "'!='", "'<'", "'<='",
                                  "'>'", "'>='", "a bad character"};
    return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}
