/* qlex.h: tokens of the query language (docs/queries.md) and its lexer.
 * The lexer never allocates: a token is a kind and a slice of the query text.
 * Thread-safety: a qlex is used by one thread. */
#ifndef EXS_QLEX_H
#define EXS_QLEX_H

#include <stdint.h>
#include <stddef.h>

typedef enum {
    QT_EOF,
    QT_IDENT,  /* a word: keyword or field name (keywords are matched by the parser) */
    QT_INT,
    QT_STRING, /* "..." or '...' with \" \' \\ \n \t escapes (decoded by qlex_string) */
    QT_REGEX,  /* /.../flags, only where the parser asks for it (qlex_regex) */
    QT_LPAREN, QT_RPAREN, QT_COMMA, QT_STAR,
    QT_EQ, QT_NE, QT_LT, QT_LE, QT_GT, QT_GE,
    QT_ERROR,  /* a bad character or an unterminated string: text says where */
} qtok_kind;

typedef struct qtok {
    qtok_kind kind;
    uint32_t pos, len; /* byte offset and length in the query text */
} qtok;

typedef struct qlex {
    const char *src;
    uint32_t len, pos;
} qlex;

void qlex_init(qlex *lx, const char *src, size_t len);
/* The next token (QT_ERROR for a bad character or an unterminated string). */
qtok qlex_next(qlex *lx);
/* Reads a /regex/flags token at the current position (after blanks); QT_ERROR if
 * unterminated. */
qtok qlex_regex(qlex *lx);
/* Decodes a QT_STRING's escapes into out (capacity cap >= tok.len); returns the length. */
size_t qlex_string(const char *src, qtok t, char *out);
const char *qtok_name(qtok_kind k);

#endif
