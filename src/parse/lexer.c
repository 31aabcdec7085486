/* lexer.c: Elixir source bytes -> tokens, a clause-by-clause port of Elixir 1.14's
 * elixir_tokenizer.erl and elixir_interpolation.erl.
 *
 * Design. One forward pass over the bytes with a switch on the current byte; every
 * `case` tries the Erlang clauses that can start with that byte in the order the
 * Erlang function lists them, so the first match wins exactly as in Elixir. Like the
 * Erlang code we keep the tokens produced so far and rewrite the last one when Elixir
 * does (identifier -> do_identifier / op_identifier, `not` + `in`, eol counts merged
 * into ',' ';' eol, eol dropped before operators by add_token_with_eol, reset by
 * comments). Strings, heredocs, sigils and quoted atoms go through extract(), the port
 * of elixir_interpolation:extract/6: it collects the raw text of each literal part and
 * tokenizes each `#{...}` by calling the main loop recursively with a fresh terminator
 * stack; the inner loop stops at the first unmatched `}` (Elixir does the same by
 * catching the "unexpected token: }" error). Literal parts are then indentation-
 * stripped (heredocs) and unescaped exactly as elixir_interpolation:unescape_tokens.
 *
 * Positions. Lines and columns are Elixir's: columns count code points, except inside
 * strings where Elixir counts grapheme clusters of non-Latin-1 text (unicode_util:gc);
 * we approximate the cluster rules with tables generated from OTP's unicode_util.
 *
 * Invariants.
 *  - Never reads at or past `end`: every look-ahead goes through at()/AT().
 *  - The input is validated as UTF-8 first (Elixir's String.to_charlist rejects
 *    invalid UTF-8 before tokenizing), so later decoding may assume well-formedness.
 *  - Recursion happens only per interpolation level and is bounded by max_depth, which
 *    also bounds the terminator stack; everything else is iterative.
 *  - Token arrays are built directly in the arena (the top level is pre-sized to
 *    len/4+16 tokens, which real code rarely exceeds; growth doubles and copies, the
 *    old array stays in the arena). Temporary memory: the terminator stack and three
 *    shared scratch buffers (raw string bytes, string parts, unescape/number digits)
 *    used in stack discipline by nested extractions; all malloc'd and freed before
 *    returning.
 *
 * Deviations from Elixir (documented, not bugs): no NFC normalisation of Unicode
 * identifiers and no mixed-script ("not highly restrictive") check; no NFKC/confusable
 * suggestions in errors; warnings are not produced; integer literals longer than
 * MAX_INT_DIGITS digits are rejected (Elixir accepts them) to keep time bounded;
 * nesting deeper than max_depth is an error; a quoted atom whose escapes make it
 * invalid UTF-8 (`:"\xF6"`) is a syntax error where Elixir raises ArgumentError. */
#define _POSIX_C_SOURCE 200809L
#include "lexer.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INT_DIGITS 200000
#define DEFAULT_MAX_DEPTH 1000

/* ---- growable scratch vectors (malloc'd, freed at the end) ---- */

typedef struct {
    exs_tok *v;
    size_t count, cap;
} tokvec;

enum { T_PAREN, T_BRACKET, T_CURLY, T_BIT, T_DO, T_FN };
static const char *const term_open[] = {"(", "[", "{", "<<", "do", "fn"};
static const char *const term_close[] = {")", "]", "}", ">>", "end", "end"};

typedef struct {
    uint8_t kind;
    uint32_t line;
    uint32_t indent;
} term;

/* The per-loop state of elixir_tokenizer's #elixir_tokenizer{} scope that matters to
 * tokens and errors: terminators, indentation and mismatch hints. */
typedef struct {
    tokvec toks;
    term *terms;
    size_t nterms, tcap;
    uint32_t indentation;
    uint32_t hint_do, hint_fn, hint_end; /* line of the latest hint of each kind, 0 = none */
    unsigned depth;                      /* interpolation nesting level */
} scope;

/* A part under construction: literal text lives in lexer.sb at [off, off+len). */
typedef struct {
    bool is_interp;
    size_t off, len;
    exs_tok *toks;
    uint32_t tok_count;
    uint32_t line, column, end_line, end_column;
} rpart;

typedef struct {
    exs_arena *a;
    const uint8_t *src, *end;
    unsigned max_depth;
    bool too_deep; /* the error is the nesting limit (LEX_ERR_DEPTH) */
    bool nomem;
    exs_diag diag;
    /* shared scratch stacks */
    uint8_t *sb;
    size_t sb_len, sb_cap;
    rpart *ps;
    size_t ps_count, ps_cap;
    uint8_t *ub; /* unescape / number buffer */
    size_t ub_len, ub_cap;
    exs_tok dummy;
} lexer;

typedef struct {
    const uint8_t *p;
    uint32_t line, col;
} cur;

enum { R_EOF = 0, R_ERR = 1, R_CLOSE = 2 };
enum { X_OK = 0, X_ERR = 1, X_ERR_STR = 2 };

static bool grow(lexer *L, void **v, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return true;
    size_t n = *cap ? *cap : 16;
    while (n < need) n *= 2;
    void *p = realloc(*v, n * elem);
    if (!p) {
        L->nomem = true;
        return false;
    }
    *v = p;
    *cap = n;
    return true;
}

static bool sb_put(lexer *L, const void *s, size_t n) {
    if (n == 0) return true;
    if (L->sb_len + n > L->sb_cap && !grow(L, (void **)&L->sb, &L->sb_cap, L->sb_len + n, 1))
        return false;
    memcpy(L->sb + L->sb_len, s, n);
    L->sb_len += n;
    return true;
}

static inline bool sb_putc(lexer *L, uint8_t ch) {
    if (L->sb_len >= L->sb_cap && !grow(L, (void **)&L->sb, &L->sb_cap, L->sb_len + 1, 1))
        return false;
    L->sb[L->sb_len++] = ch;
    return true;
}

static inline bool ub_putc(lexer *L, uint8_t ch) {
    if (L->ub_len >= L->ub_cap && !grow(L, (void **)&L->ub, &L->ub_cap, L->ub_len + 1, 1))
        return false;
    L->ub[L->ub_len++] = ch;
    return true;
}

static bool ub_put(lexer *L, const void *s, size_t n) {
    if (n == 0) return true;
    if (L->ub_len + n > L->ub_cap && !grow(L, (void **)&L->ub, &L->ub_cap, L->ub_len + n, 1))
        return false;
    memcpy(L->ub + L->ub_len, s, n);
    L->ub_len += n;
    return true;
}

/* ---- errors ---- */

static int fail(lexer *L, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(lexer *L, uint32_t line, uint32_t col, const char *fmt, ...) {
    L->diag.line = line;
    L->diag.column = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->diag.message, sizeof(L->diag.message), fmt, ap);
    va_end(ap);
    return R_ERR;
}

static void append_msg(lexer *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void append_msg(lexer *L, const char *fmt, ...) {
    size_t n = strlen(L->diag.message);
    if (n + 1 >= sizeof(L->diag.message)) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->diag.message + n, sizeof(L->diag.message) - n, fmt, ap);
    va_end(ap);
}

/* ---- UTF-8 ---- */

static int enc_utf8(uint32_t cp, char *out) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes one code point at p (< end). Input is pre-validated; on anything odd it
 * returns the byte itself with length 1 so callers always make progress. */
static inline uint32_t dec(const uint8_t *p, const uint8_t *end, int *len) {
    uint8_t b = p[0];
    if (b < 0x80) {
        *len = 1;
        return b;
    }
    int n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (n == 1 || end - p < n) {
        *len = 1;
        return b;
    }
    uint32_t cp = n == 2 ? (b & 0x1Fu) : n == 3 ? (b & 0x0Fu) : (b & 0x07u);
    for (int i = 1; i < n; i++) cp = (cp << 6) | (p[i] & 0x3Fu);
    *len = n;
    return cp;
}

/* Returns NULL if valid, else the first offending byte. */
static const uint8_t *utf8_invalid(const uint8_t *p, const uint8_t *end) {
    while (p < end) {
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            if (w & 0x8080808080808080ull) break;
            p += 8;
        }
        if (p >= end) break;
        uint8_t b = *p;
        if (b < 0x80) {
            p++;
            continue;
        }
        int n;
        uint32_t cp, min;
        if (b >= 0xC2 && b <= 0xDF) n = 2, cp = b & 0x1F, min = 0x80;
        else if (b >= 0xE0 && b <= 0xEF) n = 3, cp = b & 0x0F, min = 0x800;
        else if (b >= 0xF0 && b <= 0xF4) n = 4, cp = b & 0x07, min = 0x10000;
        else return p;
        if (end - p < n) return p;
        for (int i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80) return p;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return p;
        p += n;
    }
    return NULL;
}

/* ---- Unicode tables (generated from Elixir 1.14 String.Tokenizer and OTP 25
 * unicode_util:gc by probing every code point; see the file header) ---- */

/* Identifier classes of non-ASCII code points: 1 continue only, 2 start (identifier),
 * 3 upper-case start (tokenized as an atom-kind identifier, valid only after `:`). */
static const uint32_t id_ranges[][3] = {
    {0xB5, 0xB5, 2},
    {0xB7, 0xB7, 1},
    {0xC0, 0xD6, 3},
    {0xD8, 0xDE, 3},
    {0xDF, 0xF6, 2},
    {0xF8, 0xFF, 2},
    {0x100, 0x100, 3},
    {0x101, 0x101, 2},
    {0x102, 0x102, 3},
    {0x103, 0x103, 2},
    {0x104, 0x104, 3},
    {0x105, 0x105, 2},
    {0x106, 0x106, 3},
    {0x107, 0x107, 2},
    {0x108, 0x108, 3},
    {0x109, 0x109, 2},
    {0x10A, 0x10A, 3},
    {0x10B, 0x10B, 2},
    {0x10C, 0x10C, 3},
    {0x10D, 0x10D, 2},
    {0x10E, 0x10E, 3},
    {0x10F, 0x10F, 2},
    {0x110, 0x110, 3},
    {0x111, 0x111, 2},
    {0x112, 0x112, 3},
    {0x113, 0x113, 2},
    {0x114, 0x114, 3},
    {0x115, 0x115, 2},
    {0x116, 0x116, 3},
    {0x117, 0x117, 2},
    {0x118, 0x118, 3},
    {0x119, 0x119, 2},
    {0x11A, 0x11A, 3},
    {0x11B, 0x11B, 2},
    {0x11C, 0x11C, 3},
    {0x11D, 0x11D, 2},
    {0x11E, 0x11E, 3},
    {0x11F, 0x11F, 2},
    {0x120, 0x120, 3},
    {0x121, 0x121, 2},
    {0x122, 0x122, 3},
    {0x123, 0x123, 2},
    {0x124, 0x124, 3},
    {0x125, 0x125, 2},
    {0x126, 0x126, 3},
    {0x127, 0x127, 2},
    {0x128, 0x128, 3},
    {0x129, 0x129, 2},
    {0x12A, 0x12A, 3},
    {0x12B, 0x12B, 2},
    {0x12C, 0x12C, 3},
    {0x12D, 0x12D, 2},
    {0x12E, 0x12E, 3},
    {0x12F, 0x12F, 2},
    {0x130, 0x130, 3},
    {0x131, 0x131, 2},
    {0x134, 0x134, 3},
    {0x135, 0x135, 2},
    {0x136, 0x136, 3},
    {0x137, 0x138, 2},
    {0x139, 0x139, 3},
    {0x13A, 0x13A, 2},
    {0x13B, 0x13B, 3},
    {0x13C, 0x13C, 2},
    {0x13D, 0x13D, 3},
    {0x13E, 0x13E, 2},
    {0x141, 0x141, 3},
    {0x142, 0x142, 2},
    {0x143, 0x143, 3},
    {0x144, 0x144, 2},
    {0x145, 0x145, 3},
    {0x146, 0x146, 2},
    {0x147, 0x147, 3},
    {0x148, 0x148, 2},
    {0x14A, 0x14A, 3},
    {0x14B, 0x14B, 2},
    {0x14C, 0x14C, 3},
    {0x14D, 0x14D, 2},
    {0x14E, 0x14E, 3},
    {0x14F, 0x14F, 2},
    {0x150, 0x150, 3},
    {0x151, 0x151, 2},
    {0x152, 0x152, 3},
    {0x153, 0x153, 2},
    {0x154, 0x154, 3},
    {0x155, 0x155, 2},
    {0x156, 0x156, 3},
    {0x157, 0x157, 2},
    {0x158, 0x158, 3},
    {0x159, 0x159, 2},
    {0x15A, 0x15A, 3},
    {0x15B, 0x15B, 2},
    {0x15C, 0x15C, 3},
    {0x15D, 0x15D, 2},
    {0x15E, 0x15E, 3},
    {0x15F, 0x15F, 2},
    {0x160, 0x160, 3},
    {0x161, 0x161, 2},
    {0x162, 0x162, 3},
    {0x163, 0x163, 2},
    {0x164, 0x164, 3},
    {0x165, 0x165, 2},
    {0x166, 0x166, 3},
    {0x167, 0x167, 2},
    {0x168, 0x168, 3},
    {0x169, 0x169, 2},
    {0x16A, 0x16A, 3},
    {0x16B, 0x16B, 2},
    {0x16C, 0x16C, 3},
    {0x16D, 0x16D, 2},
    {0x16E, 0x16E, 3},
    {0x16F, 0x16F, 2},
    {0x170, 0x170, 3},
    {0x171, 0x171, 2},
    {0x172, 0x172, 3},
    {0x173, 0x173, 2},
    {0x174, 0x174, 3},
    {0x175, 0x175, 2},
    {0x176, 0x176, 3},
    {0x177, 0x177, 2},
    {0x178, 0x179, 3},
    {0x17A, 0x17A, 2},
    {0x17B, 0x17B, 3},
    {0x17C, 0x17C, 2},
    {0x17D, 0x17D, 3},
    {0x17E, 0x17E, 2},
    {0x18F, 0x18F, 3},
    {0x1A0, 0x1A0, 3},
    {0x1A1, 0x1A1, 2},
    {0x1AF, 0x1AF, 3},
    {0x1B0, 0x1B0, 2},
    {0x1CD, 0x1CD, 3},
    {0x1CE, 0x1CE, 2},
    {0x1CF, 0x1CF, 3},
    {0x1D0, 0x1D0, 2},
    {0x1D1, 0x1D1, 3},
    {0x1D2, 0x1D2, 2},
    {0x1D3, 0x1D3, 3},
    {0x1D4, 0x1D4, 2},
    {0x1D5, 0x1D5, 3},
    {0x1D6, 0x1D6, 2},
    {0x1D7, 0x1D7, 3},
    {0x1D8, 0x1D8, 2},
    {0x1D9, 0x1D9, 3},
    {0x1DA, 0x1DA, 2},
    {0x1DB, 0x1DB, 3},
    {0x1DC, 0x1DC, 2},
    {0x1DE, 0x1DE, 3},
    {0x1DF, 0x1DF, 2},
    {0x1E0, 0x1E0, 3},
    {0x1E1, 0x1E1, 2},
    {0x1E2, 0x1E2, 3},
    {0x1E3, 0x1E3, 2},
    {0x1E6, 0x1E6, 3},
    {0x1E7, 0x1E7, 2},
    {0x1E8, 0x1E8, 3},
    {0x1E9, 0x1E9, 2},
    {0x1EA, 0x1EA, 3},
    {0x1EB, 0x1EB, 2},
    {0x1EC, 0x1EC, 3},
    {0x1ED, 0x1ED, 2},
    {0x1EE, 0x1EE, 3},
    {0x1EF, 0x1F0, 2},
    {0x1F4, 0x1F4, 3},
    {0x1F5, 0x1F5, 2},
    {0x1F8, 0x1F8, 3},
    {0x1F9, 0x1F9, 2},
    {0x1FA, 0x1FA, 3},
    {0x1FB, 0x1FB, 2},
    {0x1FC, 0x1FC, 3},
    {0x1FD, 0x1FD, 2},
    {0x1FE, 0x1FE, 3},
    {0x1FF, 0x1FF, 2},
    {0x200, 0x200, 3},
    {0x201, 0x201, 2},
    {0x202, 0x202, 3},
    {0x203, 0x203, 2},
    {0x204, 0x204, 3},
    {0x205, 0x205, 2},
    {0x206, 0x206, 3},
    {0x207, 0x207, 2},
    {0x208, 0x208, 3},
    {0x209, 0x209, 2},
    {0x20A, 0x20A, 3},
    {0x20B, 0x20B, 2},
    {0x20C, 0x20C, 3},
    {0x20D, 0x20D, 2},
    {0x20E, 0x20E, 3},
    {0x20F, 0x20F, 2},
    {0x210, 0x210, 3},
    {0x211, 0x211, 2},
    {0x212, 0x212, 3},
    {0x213, 0x213, 2},
    {0x214, 0x214, 3},
    {0x215, 0x215, 2},
    {0x216, 0x216, 3},
    {0x217, 0x217, 2},
    {0x218, 0x218, 3},
    {0x219, 0x219, 2},
    {0x21A, 0x21A, 3},
    {0x21B, 0x21B, 2},
    {0x21E, 0x21E, 3},
    {0x21F, 0x21F, 2},
    {0x226, 0x226, 3},
    {0x227, 0x227, 2},
    {0x228, 0x228, 3},
    {0x229, 0x229, 2},
    {0x22A, 0x22A, 3},
    {0x22B, 0x22B, 2},
    {0x22C, 0x22C, 3},
    {0x22D, 0x22D, 2},
    {0x22E, 0x22E, 3},
    {0x22F, 0x22F, 2},
    {0x230, 0x230, 3},
    {0x231, 0x231, 2},
    {0x232, 0x232, 3},
    {0x233, 0x233, 2},
    {0x259, 0x259, 2},
    {0x2BB, 0x2BC, 2},
    {0x2EC, 0x2EC, 2},
    {0x300, 0x304, 1},
    {0x306, 0x30C, 1},
    {0x30F, 0x311, 1},
    {0x313, 0x314, 1},
    {0x31B, 0x31B, 1},
    {0x323, 0x328, 1},
    {0x32D, 0x32E, 1},
    {0x330, 0x331, 1},
    {0x335, 0x335, 1},
    {0x338, 0x339, 1},
    {0x342, 0x342, 1},
    {0x345, 0x345, 1},
    {0x37B, 0x37D, 2},
    {0x386, 0x386, 3},
    {0x388, 0x38A, 3},
    {0x38C, 0x38C, 3},
    {0x38E, 0x38F, 3},
    {0x390, 0x390, 2},
    {0x391, 0x3A1, 3},
    {0x3A3, 0x3AB, 3},
    {0x3AC, 0x3CE, 2},
    {0x3FC, 0x3FC, 2},
    {0x3FD, 0x42F, 3},
    {0x430, 0x45F, 2},
    {0x48A, 0x48A, 3},
    {0x48B, 0x48B, 2},
    {0x48C, 0x48C, 3},
    {0x48D, 0x48D, 2},
    {0x48E, 0x48E, 3},
    {0x48F, 0x48F, 2},
    {0x490, 0x490, 3},
    {0x491, 0x491, 2},
    {0x492, 0x492, 3},
    {0x493, 0x493, 2},
    {0x494, 0x494, 3},
    {0x495, 0x495, 2},
    {0x496, 0x496, 3},
    {0x497, 0x497, 2},
    {0x498, 0x498, 3},
    {0x499, 0x499, 2},
    {0x49A, 0x49A, 3},
    {0x49B, 0x49B, 2},
    {0x49C, 0x49C, 3},
    {0x49D, 0x49D, 2},
    {0x49E, 0x49E, 3},
    {0x49F, 0x49F, 2},
    {0x4A0, 0x4A0, 3},
    {0x4A1, 0x4A1, 2},
    {0x4A2, 0x4A2, 3},
    {0x4A3, 0x4A3, 2},
    {0x4A4, 0x4A4, 3},
    {0x4A5, 0x4A5, 2},
    {0x4A6, 0x4A6, 3},
    {0x4A7, 0x4A7, 2},
    {0x4A8, 0x4A8, 3},
    {0x4A9, 0x4A9, 2},
    {0x4AA, 0x4AA, 3},
    {0x4AB, 0x4AB, 2},
    {0x4AC, 0x4AC, 3},
    {0x4AD, 0x4AD, 2},
    {0x4AE, 0x4AE, 3},
    {0x4AF, 0x4AF, 2},
    {0x4B0, 0x4B0, 3},
    {0x4B1, 0x4B1, 2},
    {0x4B2, 0x4B2, 3},
    {0x4B3, 0x4B3, 2},
    {0x4B4, 0x4B4, 3},
    {0x4B5, 0x4B5, 2},
    {0x4B6, 0x4B6, 3},
    {0x4B7, 0x4B7, 2},
    {0x4B8, 0x4B8, 3},
    {0x4B9, 0x4B9, 2},
    {0x4BA, 0x4BA, 3},
    {0x4BB, 0x4BB, 2},
    {0x4BC, 0x4BC, 3},
    {0x4BD, 0x4BD, 2},
    {0x4BE, 0x4BE, 3},
    {0x4BF, 0x4BF, 2},
    {0x4C0, 0x4C1, 3},
    {0x4C2, 0x4C2, 2},
    {0x4C3, 0x4C3, 3},
    {0x4C4, 0x4C4, 2},
    {0x4C5, 0x4C5, 3},
    {0x4C6, 0x4C6, 2},
    {0x4C7, 0x4C7, 3},
    {0x4C8, 0x4C8, 2},
    {0x4C9, 0x4C9, 3},
    {0x4CA, 0x4CA, 2},
    {0x4CB, 0x4CB, 3},
    {0x4CC, 0x4CC, 2},
    {0x4CD, 0x4CD, 3},
    {0x4CE, 0x4CF, 2},
    {0x4D0, 0x4D0, 3},
    {0x4D1, 0x4D1, 2},
    {0x4D2, 0x4D2, 3},
    {0x4D3, 0x4D3, 2},
    {0x4D4, 0x4D4, 3},
    {0x4D5, 0x4D5, 2},
    {0x4D6, 0x4D6, 3},
    {0x4D7, 0x4D7, 2},
    {0x4D8, 0x4D8, 3},
    {0x4D9, 0x4D9, 2},
    {0x4DA, 0x4DA, 3},
    {0x4DB, 0x4DB, 2},
    {0x4DC, 0x4DC, 3},
    {0x4DD, 0x4DD, 2},
    {0x4DE, 0x4DE, 3},
    {0x4DF, 0x4DF, 2},
    {0x4E0, 0x4E0, 3},
    {0x4E1, 0x4E1, 2},
    {0x4E2, 0x4E2, 3},
    {0x4E3, 0x4E3, 2},
    {0x4E4, 0x4E4, 3},
    {0x4E5, 0x4E5, 2},
    {0x4E6, 0x4E6, 3},
    {0x4E7, 0x4E7, 2},
    {0x4E8, 0x4E8, 3},
    {0x4E9, 0x4E9, 2},
    {0x4EA, 0x4EA, 3},
    {0x4EB, 0x4EB, 2},
    {0x4EC, 0x4EC, 3},
    {0x4ED, 0x4ED, 2},
    {0x4EE, 0x4EE, 3},
    {0x4EF, 0x4EF, 2},
    {0x4F0, 0x4F0, 3},
    {0x4F1, 0x4F1, 2},
    {0x4F2, 0x4F2, 3},
    {0x4F3, 0x4F3, 2},
    {0x4F4, 0x4F4, 3},
    {0x4F5, 0x4F5, 2},
    {0x4F6, 0x4F6, 3},
    {0x4F7, 0x4F7, 2},
    {0x4F8, 0x4F8, 3},
    {0x4F9, 0x4F9, 2},
    {0x4FA, 0x4FA, 3},
    {0x4FB, 0x4FB, 2},
    {0x4FC, 0x4FC, 3},
    {0x4FD, 0x4FD, 2},
    {0x4FE, 0x4FE, 3},
    {0x4FF, 0x4FF, 2},
    {0x510, 0x510, 3},
    {0x511, 0x511, 2},
    {0x512, 0x512, 3},
    {0x513, 0x513, 2},
    {0x514, 0x514, 3},
    {0x515, 0x515, 2},
    {0x516, 0x516, 3},
    {0x517, 0x517, 2},
    {0x518, 0x518, 3},
    {0x519, 0x519, 2},
    {0x51A, 0x51A, 3},
    {0x51B, 0x51B, 2},
    {0x51C, 0x51C, 3},
    {0x51D, 0x51D, 2},
    {0x51E, 0x51E, 3},
    {0x51F, 0x51F, 2},
    {0x520, 0x520, 3},
    {0x521, 0x521, 2},
    {0x522, 0x522, 3},
    {0x523, 0x523, 2},
    {0x524, 0x524, 3},
    {0x525, 0x525, 2},
    {0x526, 0x526, 3},
    {0x527, 0x527, 2},
    {0x528, 0x528, 3},
    {0x529, 0x529, 2},
    {0x52E, 0x52E, 3},
    {0x52F, 0x52F, 2},
    {0x531, 0x556, 3},
    {0x559, 0x559, 2},
    {0x561, 0x586, 2},
    {0x5B4, 0x5B4, 1},
    {0x5D0, 0x5EA, 2},
    {0x5EF, 0x5F2, 2},
    {0x620, 0x63F, 2},
    {0x641, 0x64A, 2},
    {0x64B, 0x655, 1},
    {0x660, 0x669, 1},
    {0x670, 0x670, 1},
    {0x671, 0x672, 2},
    {0x674, 0x674, 2},
    {0x679, 0x68D, 2},
    {0x68F, 0x6A0, 2},
    {0x6A2, 0x6D3, 2},
    {0x6D5, 0x6D5, 2},
    {0x6E5, 0x6E6, 2},
    {0x6EE, 0x6EF, 2},
    {0x6F0, 0x6F9, 1},
    {0x6FA, 0x6FC, 2},
    {0x6FF, 0x6FF, 2},
    {0x750, 0x7A5, 2},
    {0x7A6, 0x7B0, 1},
    {0x7B1, 0x7B1, 2},
    {0x870, 0x887, 2},
    {0x889, 0x88E, 2},
    {0x8A0, 0x8AC, 2},
    {0x8B2, 0x8B2, 2},
    {0x8B5, 0x8C9, 2},
    {0x901, 0x903, 1},
    {0x904, 0x939, 2},
    {0x93A, 0x93C, 1},
    {0x93D, 0x93D, 2},
    {0x93E, 0x94D, 1},
    {0x94F, 0x94F, 1},
    {0x950, 0x950, 2},
    {0x956, 0x957, 1},
    {0x960, 0x961, 2},
    {0x962, 0x963, 1},
    {0x966, 0x96F, 1},
    {0x971, 0x977, 2},
    {0x979, 0x97F, 2},
    {0x981, 0x983, 1},
    {0x985, 0x98C, 2},
    {0x98F, 0x990, 2},
    {0x993, 0x9A8, 2},
    {0x9AA, 0x9B0, 2},
    {0x9B2, 0x9B2, 2},
    {0x9B6, 0x9B9, 2},
    {0x9BC, 0x9BC, 1},
    {0x9BD, 0x9BD, 2},
    {0x9BE, 0x9C4, 1},
    {0x9C7, 0x9C8, 1},
    {0x9CB, 0x9CD, 1},
    {0x9CE, 0x9CE, 2},
    {0x9D7, 0x9D7, 1},
    {0x9E0, 0x9E1, 2},
    {0x9E2, 0x9E3, 1},
    {0x9E6, 0x9EF, 1},
    {0x9F0, 0x9F1, 2},
    {0x9FE, 0x9FE, 1},
    {0xA01, 0xA03, 1},
    {0xA05, 0xA0A, 2},
    {0xA0F, 0xA10, 2},
    {0xA13, 0xA28, 2},
    {0xA2A, 0xA30, 2},
    {0xA32, 0xA32, 2},
    {0xA35, 0xA35, 2},
    {0xA38, 0xA39, 2},
    {0xA3C, 0xA3C, 1},
    {0xA3E, 0xA42, 1},
    {0xA47, 0xA48, 1},
    {0xA4B, 0xA4D, 1},
    {0xA5C, 0xA5C, 2},
    {0xA66, 0xA71, 1},
    {0xA72, 0xA74, 2},
    {0xA81, 0xA83, 1},
    {0xA85, 0xA8D, 2},
    {0xA8F, 0xA91, 2},
    {0xA93, 0xAA8, 2},
    {0xAAA, 0xAB0, 2},
    {0xAB2, 0xAB3, 2},
    {0xAB5, 0xAB9, 2},
    {0xABC, 0xABC, 1},
    {0xABD, 0xABD, 2},
    {0xABE, 0xAC5, 1},
    {0xAC7, 0xAC9, 1},
    {0xACB, 0xACD, 1},
    {0xAD0, 0xAD0, 2},
    {0xAE0, 0xAE1, 2},
    {0xAE2, 0xAE3, 1},
    {0xAE6, 0xAEF, 1},
    {0xAFA, 0xAFF, 1},
    {0xB01, 0xB03, 1},
    {0xB05, 0xB0C, 2},
    {0xB0F, 0xB10, 2},
    {0xB13, 0xB28, 2},
    {0xB2A, 0xB30, 2},
    {0xB32, 0xB33, 2},
    {0xB35, 0xB39, 2},
    {0xB3C, 0xB3C, 1},
    {0xB3D, 0xB3D, 2},
    {0xB3E, 0xB43, 1},
    {0xB47, 0xB48, 1},
    {0xB4B, 0xB4D, 1},
    {0xB55, 0xB57, 1},
    {0xB5F, 0xB61, 2},
    {0xB66, 0xB6F, 1},
    {0xB71, 0xB71, 2},
    {0xB82, 0xB82, 1},
    {0xB83, 0xB83, 2},
    {0xB85, 0xB8A, 2},
    {0xB8E, 0xB90, 2},
    {0xB92, 0xB95, 2},
    {0xB99, 0xB9A, 2},
    {0xB9C, 0xB9C, 2},
    {0xB9E, 0xB9F, 2},
    {0xBA3, 0xBA4, 2},
    {0xBA8, 0xBAA, 2},
    {0xBAE, 0xBB9, 2},
    {0xBBE, 0xBC2, 1},
    {0xBC6, 0xBC8, 1},
    {0xBCA, 0xBCD, 1},
    {0xBD0, 0xBD0, 2},
    {0xBD7, 0xBD7, 1},
    {0xBE6, 0xBEF, 1},
    {0xC01, 0xC04, 1},
    {0xC05, 0xC0C, 2},
    {0xC0E, 0xC10, 2},
    {0xC12, 0xC28, 2},
    {0xC2A, 0xC33, 2},
    {0xC35, 0xC39, 2},
    {0xC3C, 0xC3C, 1},
    {0xC3D, 0xC3D, 2},
    {0xC3E, 0xC44, 1},
    {0xC46, 0xC48, 1},
    {0xC4A, 0xC4D, 1},
    {0xC55, 0xC56, 1},
    {0xC5D, 0xC5D, 2},
    {0xC60, 0xC61, 2},
    {0xC66, 0xC6F, 1},
    {0xC80, 0xC80, 2},
    {0xC82, 0xC83, 1},
    {0xC85, 0xC8C, 2},
    {0xC8E, 0xC90, 2},
    {0xC92, 0xCA8, 2},
    {0xCAA, 0xCB3, 2},
    {0xCB5, 0xCB9, 2},
    {0xCBC, 0xCBC, 1},
    {0xCBD, 0xCBD, 2},
    {0xCBE, 0xCC4, 1},
    {0xCC6, 0xCC8, 1},
    {0xCCA, 0xCCD, 1},
    {0xCD5, 0xCD6, 1},
    {0xCDD, 0xCDD, 2},
    {0xCE0, 0xCE1, 2},
    {0xCE2, 0xCE3, 1},
    {0xCE6, 0xCEF, 1},
    {0xCF1, 0xCF2, 2},
    {0xD00, 0xD00, 1},
    {0xD02, 0xD03, 1},
    {0xD05, 0xD0C, 2},
    {0xD0E, 0xD10, 2},
    {0xD12, 0xD3A, 2},
    {0xD3D, 0xD3D, 2},
    {0xD3E, 0xD43, 1},
    {0xD46, 0xD48, 1},
    {0xD4A, 0xD4D, 1},
    {0xD4E, 0xD4E, 2},
    {0xD54, 0xD56, 2},
    {0xD57, 0xD57, 1},
    {0xD60, 0xD61, 2},
    {0xD66, 0xD6F, 1},
    {0xD7A, 0xD7F, 2},
    {0xD82, 0xD83, 1},
    {0xD85, 0xD8E, 2},
    {0xD91, 0xD96, 2},
    {0xD9A, 0xDA5, 2},
    {0xDA7, 0xDB1, 2},
    {0xDB3, 0xDBB, 2},
    {0xDBD, 0xDBD, 2},
    {0xDC0, 0xDC6, 2},
    {0xDCA, 0xDCA, 1},
    {0xDCF, 0xDD4, 1},
    {0xDD6, 0xDD6, 1},
    {0xDD8, 0xDDE, 1},
    {0xDF2, 0xDF2, 1},
    {0xE01, 0xE30, 2},
    {0xE31, 0xE31, 1},
    {0xE32, 0xE32, 2},
    {0xE34, 0xE3A, 1},
    {0xE40, 0xE46, 2},
    {0xE47, 0xE4E, 1},
    {0xE50, 0xE59, 1},
    {0xE81, 0xE82, 2},
    {0xE84, 0xE84, 2},
    {0xE86, 0xE8A, 2},
    {0xE8C, 0xEA3, 2},
    {0xEA5, 0xEA5, 2},
    {0xEA7, 0xEB0, 2},
    {0xEB1, 0xEB1, 1},
    {0xEB2, 0xEB2, 2},
    {0xEB4, 0xEBC, 1},
    {0xEBD, 0xEBD, 2},
    {0xEC0, 0xEC4, 2},
    {0xEC6, 0xEC6, 2},
    {0xEC8, 0xECD, 1},
    {0xED0, 0xED9, 1},
    {0xEDE, 0xEDF, 2},
    {0xF00, 0xF00, 2},
    {0xF20, 0xF29, 1},
    {0xF35, 0xF35, 1},
    {0xF37, 0xF37, 1},
    {0xF3E, 0xF3F, 1},
    {0xF40, 0xF42, 2},
    {0xF44, 0xF47, 2},
    {0xF49, 0xF4C, 2},
    {0xF4E, 0xF51, 2},
    {0xF53, 0xF56, 2},
    {0xF58, 0xF5B, 2},
    {0xF5D, 0xF68, 2},
    {0xF6A, 0xF6C, 2},
    {0xF71, 0xF72, 1},
    {0xF74, 0xF74, 1},
    {0xF7A, 0xF80, 1},
    {0xF82, 0xF84, 1},
    {0xF86, 0xF87, 1},
    {0xF88, 0xF8C, 2},
    {0xF8D, 0xF92, 1},
    {0xF94, 0xF97, 1},
    {0xF99, 0xF9C, 1},
    {0xF9E, 0xFA1, 1},
    {0xFA3, 0xFA6, 1},
    {0xFA8, 0xFAB, 1},
    {0xFAD, 0xFB8, 1},
    {0xFBA, 0xFBC, 1},
    {0xFC6, 0xFC6, 1},
    {0x1000, 0x102A, 2},
    {0x102B, 0x103E, 1},
    {0x103F, 0x103F, 2},
    {0x1040, 0x1049, 1},
    {0x1050, 0x1055, 2},
    {0x1056, 0x1059, 1},
    {0x105A, 0x105D, 2},
    {0x105E, 0x1060, 1},
    {0x1061, 0x1061, 2},
    {0x1062, 0x1064, 1},
    {0x1065, 0x1066, 2},
    {0x1067, 0x106D, 1},
    {0x106E, 0x1070, 2},
    {0x1071, 0x1074, 1},
    {0x1075, 0x1081, 2},
    {0x1082, 0x108D, 1},
    {0x108E, 0x108E, 2},
    {0x108F, 0x109D, 1},
    {0x10C7, 0x10C7, 3},
    {0x10CD, 0x10CD, 3},
    {0x10D0, 0x10F0, 2},
    {0x10F7, 0x10FA, 2},
    {0x10FD, 0x10FF, 2},
    {0x1200, 0x1248, 2},
    {0x124A, 0x124D, 2},
    {0x1250, 0x1256, 2},
    {0x1258, 0x1258, 2},
    {0x125A, 0x125D, 2},
    {0x1260, 0x1288, 2},
    {0x128A, 0x128D, 2},
    {0x1290, 0x12B0, 2},
    {0x12B2, 0x12B5, 2},
    {0x12B8, 0x12BE, 2},
    {0x12C0, 0x12C0, 2},
    {0x12C2, 0x12C5, 2},
    {0x12C8, 0x12D6, 2},
    {0x12D8, 0x1310, 2},
    {0x1312, 0x1315, 2},
    {0x1318, 0x135A, 2},
    {0x135D, 0x135F, 1},
    {0x1380, 0x138F, 2},
    {0x1780, 0x17A2, 2},
    {0x17A5, 0x17A7, 2},
    {0x17A9, 0x17B3, 2},
    {0x17B6, 0x17CD, 1},
    {0x17D0, 0x17D0, 1},
    {0x17D2, 0x17D2, 1},
    {0x17D7, 0x17D7, 2},
    {0x17DC, 0x17DC, 2},
    {0x17E0, 0x17E9, 1},
    {0x1C90, 0x1CBA, 3},
    {0x1CBD, 0x1CBF, 3},
    {0x1E00, 0x1E00, 3},
    {0x1E01, 0x1E01, 2},
    {0x1E02, 0x1E02, 3},
    {0x1E03, 0x1E03, 2},
    {0x1E04, 0x1E04, 3},
    {0x1E05, 0x1E05, 2},
    {0x1E06, 0x1E06, 3},
    {0x1E07, 0x1E07, 2},
    {0x1E08, 0x1E08, 3},
    {0x1E09, 0x1E09, 2},
    {0x1E0A, 0x1E0A, 3},
    {0x1E0B, 0x1E0B, 2},
    {0x1E0C, 0x1E0C, 3},
    {0x1E0D, 0x1E0D, 2},
    {0x1E0E, 0x1E0E, 3},
    {0x1E0F, 0x1E0F, 2},
    {0x1E10, 0x1E10, 3},
    {0x1E11, 0x1E11, 2},
    {0x1E12, 0x1E12, 3},
    {0x1E13, 0x1E13, 2},
    {0x1E14, 0x1E14, 3},
    {0x1E15, 0x1E15, 2},
    {0x1E16, 0x1E16, 3},
    {0x1E17, 0x1E17, 2},
    {0x1E18, 0x1E18, 3},
    {0x1E19, 0x1E19, 2},
    {0x1E1A, 0x1E1A, 3},
    {0x1E1B, 0x1E1B, 2},
    {0x1E1C, 0x1E1C, 3},
    {0x1E1D, 0x1E1D, 2},
    {0x1E1E, 0x1E1E, 3},
    {0x1E1F, 0x1E1F, 2},
    {0x1E20, 0x1E20, 3},
    {0x1E21, 0x1E21, 2},
    {0x1E22, 0x1E22, 3},
    {0x1E23, 0x1E23, 2},
    {0x1E24, 0x1E24, 3},
    {0x1E25, 0x1E25, 2},
    {0x1E26, 0x1E26, 3},
    {0x1E27, 0x1E27, 2},
    {0x1E28, 0x1E28, 3},
    {0x1E29, 0x1E29, 2},
    {0x1E2A, 0x1E2A, 3},
    {0x1E2B, 0x1E2B, 2},
    {0x1E2C, 0x1E2C, 3},
    {0x1E2D, 0x1E2D, 2},
    {0x1E2E, 0x1E2E, 3},
    {0x1E2F, 0x1E2F, 2},
    {0x1E30, 0x1E30, 3},
    {0x1E31, 0x1E31, 2},
    {0x1E32, 0x1E32, 3},
    {0x1E33, 0x1E33, 2},
    {0x1E34, 0x1E34, 3},
    {0x1E35, 0x1E35, 2},
    {0x1E36, 0x1E36, 3},
    {0x1E37, 0x1E37, 2},
    {0x1E38, 0x1E38, 3},
    {0x1E39, 0x1E39, 2},
    {0x1E3A, 0x1E3A, 3},
    {0x1E3B, 0x1E3B, 2},
    {0x1E3C, 0x1E3C, 3},
    {0x1E3D, 0x1E3D, 2},
    {0x1E3E, 0x1E3E, 3},
    {0x1E3F, 0x1E3F, 2},
    {0x1E40, 0x1E40, 3},
    {0x1E41, 0x1E41, 2},
    {0x1E42, 0x1E42, 3},
    {0x1E43, 0x1E43, 2},
    {0x1E44, 0x1E44, 3},
    {0x1E45, 0x1E45, 2},
    {0x1E46, 0x1E46, 3},
    {0x1E47, 0x1E47, 2},
    {0x1E48, 0x1E48, 3},
    {0x1E49, 0x1E49, 2},
    {0x1E4A, 0x1E4A, 3},
    {0x1E4B, 0x1E4B, 2},
    {0x1E4C, 0x1E4C, 3},
    {0x1E4D, 0x1E4D, 2},
    {0x1E4E, 0x1E4E, 3},
    {0x1E4F, 0x1E4F, 2},
    {0x1E50, 0x1E50, 3},
    {0x1E51, 0x1E51, 2},
    {0x1E52, 0x1E52, 3},
    {0x1E53, 0x1E53, 2},
    {0x1E54, 0x1E54, 3},
    {0x1E55, 0x1E55, 2},
    {0x1E56, 0x1E56, 3},
    {0x1E57, 0x1E57, 2},
    {0x1E58, 0x1E58, 3},
    {0x1E59, 0x1E59, 2},
    {0x1E5A, 0x1E5A, 3},
    {0x1E5B, 0x1E5B, 2},
    {0x1E5C, 0x1E5C, 3},
    {0x1E5D, 0x1E5D, 2},
    {0x1E5E, 0x1E5E, 3},
    {0x1E5F, 0x1E5F, 2},
    {0x1E60, 0x1E60, 3},
    {0x1E61, 0x1E61, 2},
    {0x1E62, 0x1E62, 3},
    {0x1E63, 0x1E63, 2},
    {0x1E64, 0x1E64, 3},
    {0x1E65, 0x1E65, 2},
    {0x1E66, 0x1E66, 3},
    {0x1E67, 0x1E67, 2},
    {0x1E68, 0x1E68, 3},
    {0x1E69, 0x1E69, 2},
    {0x1E6A, 0x1E6A, 3},
    {0x1E6B, 0x1E6B, 2},
    {0x1E6C, 0x1E6C, 3},
    {0x1E6D, 0x1E6D, 2},
    {0x1E6E, 0x1E6E, 3},
    {0x1E6F, 0x1E6F, 2},
    {0x1E70, 0x1E70, 3},
    {0x1E71, 0x1E71, 2},
    {0x1E72, 0x1E72, 3},
    {0x1E73, 0x1E73, 2},
    {0x1E74, 0x1E74, 3},
    {0x1E75, 0x1E75, 2},
    {0x1E76, 0x1E76, 3},
    {0x1E77, 0x1E77, 2},
    {0x1E78, 0x1E78, 3},
    {0x1E79, 0x1E79, 2},
    {0x1E7A, 0x1E7A, 3},
    {0x1E7B, 0x1E7B, 2},
    {0x1E7C, 0x1E7C, 3},
    {0x1E7D, 0x1E7D, 2},
    {0x1E7E, 0x1E7E, 3},
    {0x1E7F, 0x1E7F, 2},
    {0x1E80, 0x1E80, 3},
    {0x1E81, 0x1E81, 2},
    {0x1E82, 0x1E82, 3},
    {0x1E83, 0x1E83, 2},
    {0x1E84, 0x1E84, 3},
    {0x1E85, 0x1E85, 2},
    {0x1E86, 0x1E86, 3},
    {0x1E87, 0x1E87, 2},
    {0x1E88, 0x1E88, 3},
    {0x1E89, 0x1E89, 2},
    {0x1E8A, 0x1E8A, 3},
    {0x1E8B, 0x1E8B, 2},
    {0x1E8C, 0x1E8C, 3},
    {0x1E8D, 0x1E8D, 2},
    {0x1E8E, 0x1E8E, 3},
    {0x1E8F, 0x1E8F, 2},
    {0x1E90, 0x1E90, 3},
    {0x1E91, 0x1E91, 2},
    {0x1E92, 0x1E92, 3},
    {0x1E93, 0x1E93, 2},
    {0x1E94, 0x1E94, 3},
    {0x1E95, 0x1E99, 2},
    {0x1E9E, 0x1E9E, 3},
    {0x1EA0, 0x1EA0, 3},
    {0x1EA1, 0x1EA1, 2},
    {0x1EA2, 0x1EA2, 3},
    {0x1EA3, 0x1EA3, 2},
    {0x1EA4, 0x1EA4, 3},
    {0x1EA5, 0x1EA5, 2},
    {0x1EA6, 0x1EA6, 3},
    {0x1EA7, 0x1EA7, 2},
    {0x1EA8, 0x1EA8, 3},
    {0x1EA9, 0x1EA9, 2},
    {0x1EAA, 0x1EAA, 3},
    {0x1EAB, 0x1EAB, 2},
    {0x1EAC, 0x1EAC, 3},
    {0x1EAD, 0x1EAD, 2},
    {0x1EAE, 0x1EAE, 3},
    {0x1EAF, 0x1EAF, 2},
    {0x1EB0, 0x1EB0, 3},
    {0x1EB1, 0x1EB1, 2},
    {0x1EB2, 0x1EB2, 3},
    {0x1EB3, 0x1EB3, 2},
    {0x1EB4, 0x1EB4, 3},
    {0x1EB5, 0x1EB5, 2},
    {0x1EB6, 0x1EB6, 3},
    {0x1EB7, 0x1EB7, 2},
    {0x1EB8, 0x1EB8, 3},
    {0x1EB9, 0x1EB9, 2},
    {0x1EBA, 0x1EBA, 3},
    {0x1EBB, 0x1EBB, 2},
    {0x1EBC, 0x1EBC, 3},
    {0x1EBD, 0x1EBD, 2},
    {0x1EBE, 0x1EBE, 3},
    {0x1EBF, 0x1EBF, 2},
    {0x1EC0, 0x1EC0, 3},
    {0x1EC1, 0x1EC1, 2},
    {0x1EC2, 0x1EC2, 3},
    {0x1EC3, 0x1EC3, 2},
    {0x1EC4, 0x1EC4, 3},
    {0x1EC5, 0x1EC5, 2},
    {0x1EC6, 0x1EC6, 3},
    {0x1EC7, 0x1EC7, 2},
    {0x1EC8, 0x1EC8, 3},
    {0x1EC9, 0x1EC9, 2},
    {0x1ECA, 0x1ECA, 3},
    {0x1ECB, 0x1ECB, 2},
    {0x1ECC, 0x1ECC, 3},
    {0x1ECD, 0x1ECD, 2},
    {0x1ECE, 0x1ECE, 3},
    {0x1ECF, 0x1ECF, 2},
    {0x1ED0, 0x1ED0, 3},
    {0x1ED1, 0x1ED1, 2},
    {0x1ED2, 0x1ED2, 3},
    {0x1ED3, 0x1ED3, 2},
    {0x1ED4, 0x1ED4, 3},
    {0x1ED5, 0x1ED5, 2},
    {0x1ED6, 0x1ED6, 3},
    {0x1ED7, 0x1ED7, 2},
    {0x1ED8, 0x1ED8, 3},
    {0x1ED9, 0x1ED9, 2},
    {0x1EDA, 0x1EDA, 3},
    {0x1EDB, 0x1EDB, 2},
    {0x1EDC, 0x1EDC, 3},
    {0x1EDD, 0x1EDD, 2},
    {0x1EDE, 0x1EDE, 3},
    {0x1EDF, 0x1EDF, 2},
    {0x1EE0, 0x1EE0, 3},
    {0x1EE1, 0x1EE1, 2},
    {0x1EE2, 0x1EE2, 3},
    {0x1EE3, 0x1EE3, 2},
    {0x1EE4, 0x1EE4, 3},
    {0x1EE5, 0x1EE5, 2},
    {0x1EE6, 0x1EE6, 3},
    {0x1EE7, 0x1EE7, 2},
    {0x1EE8, 0x1EE8, 3},
    {0x1EE9, 0x1EE9, 2},
    {0x1EEA, 0x1EEA, 3},
    {0x1EEB, 0x1EEB, 2},
    {0x1EEC, 0x1EEC, 3},
    {0x1EED, 0x1EED, 2},
    {0x1EEE, 0x1EEE, 3},
    {0x1EEF, 0x1EEF, 2},
    {0x1EF0, 0x1EF0, 3},
    {0x1EF1, 0x1EF1, 2},
    {0x1EF2, 0x1EF2, 3},
    {0x1EF3, 0x1EF3, 2},
    {0x1EF4, 0x1EF4, 3},
    {0x1EF5, 0x1EF5, 2},
    {0x1EF6, 0x1EF6, 3},
    {0x1EF7, 0x1EF7, 2},
    {0x1EF8, 0x1EF8, 3},
    {0x1EF9, 0x1EF9, 2},
    {0x1F00, 0x1F07, 2},
    {0x1F08, 0x1F0F, 3},
    {0x1F10, 0x1F15, 2},
    {0x1F18, 0x1F1D, 3},
    {0x1F20, 0x1F27, 2},
    {0x1F28, 0x1F2F, 3},
    {0x1F30, 0x1F37, 2},
    {0x1F38, 0x1F3F, 3},
    {0x1F40, 0x1F45, 2},
    {0x1F48, 0x1F4D, 3},
    {0x1F50, 0x1F57, 2},
    {0x1F59, 0x1F59, 3},
    {0x1F5B, 0x1F5B, 3},
    {0x1F5D, 0x1F5D, 3},
    {0x1F5F, 0x1F5F, 3},
    {0x1F60, 0x1F67, 2},
    {0x1F68, 0x1F6F, 3},
    {0x1F70, 0x1F70, 2},
    {0x1F72, 0x1F72, 2},
    {0x1F74, 0x1F74, 2},
    {0x1F76, 0x1F76, 2},
    {0x1F78, 0x1F78, 2},
    {0x1F7A, 0x1F7A, 2},
    {0x1F7C, 0x1F7C, 2},
    {0x1F80, 0x1F87, 2},
    {0x1F88, 0x1F8F, 3},
    {0x1F90, 0x1F97, 2},
    {0x1F98, 0x1F9F, 3},
    {0x1FA0, 0x1FA7, 2},
    {0x1FA8, 0x1FAF, 3},
    {0x1FB0, 0x1FB4, 2},
    {0x1FB6, 0x1FB7, 2},
    {0x1FB8, 0x1FBA, 3},
    {0x1FBC, 0x1FBC, 3},
    {0x1FC2, 0x1FC4, 2},
    {0x1FC6, 0x1FC7, 2},
    {0x1FC8, 0x1FC8, 3},
    {0x1FCA, 0x1FCA, 3},
    {0x1FCC, 0x1FCC, 3},
    {0x1FD0, 0x1FD2, 2},
    {0x1FD6, 0x1FD7, 2},
    {0x1FD8, 0x1FDA, 3},
    {0x1FE0, 0x1FE2, 2},
    {0x1FE4, 0x1FE7, 2},
    {0x1FE8, 0x1FEA, 3},
    {0x1FEC, 0x1FEC, 3},
    {0x1FF2, 0x1FF4, 2},
    {0x1FF6, 0x1FF7, 2},
    {0x1FF8, 0x1FF8, 3},
    {0x1FFA, 0x1FFA, 3},
    {0x1FFC, 0x1FFC, 3},
    {0x2D27, 0x2D27, 2},
    {0x2D2D, 0x2D2D, 2},
    {0x2D80, 0x2D96, 2},
    {0x2DA0, 0x2DA6, 2},
    {0x2DA8, 0x2DAE, 2},
    {0x2DB0, 0x2DB6, 2},
    {0x2DB8, 0x2DBE, 2},
    {0x2DC0, 0x2DC6, 2},
    {0x2DC8, 0x2DCE, 2},
    {0x2DD0, 0x2DD6, 2},
    {0x2DD8, 0x2DDE, 2},
    {0x3005, 0x3007, 2},
    {0x3041, 0x3096, 2},
    {0x3099, 0x309A, 1},
    {0x309D, 0x309E, 2},
    {0x30A1, 0x30FA, 2},
    {0x30FC, 0x30FE, 2},
    {0x3105, 0x312D, 2},
    {0x312F, 0x312F, 2},
    {0x31A0, 0x31BF, 2},
    {0x3400, 0x4DBF, 2},
    {0x4E00, 0x9FFF, 2},
    {0xA67F, 0xA67F, 2},
    {0xA717, 0xA71F, 2},
    {0xA788, 0xA788, 2},
    {0xA78D, 0xA78D, 3},
    {0xA792, 0xA792, 3},
    {0xA793, 0xA793, 2},
    {0xA7AA, 0xA7AA, 3},
    {0xA7AE, 0xA7AE, 3},
    {0xA7B8, 0xA7B8, 3},
    {0xA7B9, 0xA7B9, 2},
    {0xA7C0, 0xA7C0, 3},
    {0xA7C1, 0xA7C1, 2},
    {0xA7C2, 0xA7C2, 3},
    {0xA7C3, 0xA7C3, 2},
    {0xA7C4, 0xA7C7, 3},
    {0xA7C8, 0xA7C8, 2},
    {0xA7C9, 0xA7C9, 3},
    {0xA7CA, 0xA7CA, 2},
    {0xA7D0, 0xA7D0, 3},
    {0xA7D1, 0xA7D1, 2},
    {0xA7D3, 0xA7D3, 2},
    {0xA7D5, 0xA7D5, 2},
    {0xA7D6, 0xA7D6, 3},
    {0xA7D7, 0xA7D7, 2},
    {0xA7D8, 0xA7D8, 3},
    {0xA7D9, 0xA7D9, 2},
    {0xA9E7, 0xA9EF, 2},
    {0xA9F0, 0xA9F9, 1},
    {0xA9FA, 0xA9FE, 2},
    {0xAA60, 0xAA76, 2},
    {0xAA7A, 0xAA7A, 2},
    {0xAA7B, 0xAA7D, 1},
    {0xAA7E, 0xAA7F, 2},
    {0xAB01, 0xAB06, 2},
    {0xAB09, 0xAB0E, 2},
    {0xAB11, 0xAB16, 2},
    {0xAB20, 0xAB26, 2},
    {0xAB28, 0xAB2E, 2},
    {0xAB66, 0xAB67, 2},
    {0xAC00, 0xD7A3, 2},
    {0xFA0E, 0xFA0F, 2},
    {0xFA11, 0xFA11, 2},
    {0xFA13, 0xFA14, 2},
    {0xFA1F, 0xFA1F, 2},
    {0xFA21, 0xFA21, 2},
    {0xFA23, 0xFA24, 2},
    {0xFA27, 0xFA29, 2},
    {0x11301, 0x11301, 1},
    {0x11303, 0x11303, 1},
    {0x1133B, 0x1133C, 1},
    {0x16FF0, 0x16FF1, 1},
    {0x1B11F, 0x1B122, 2},
    {0x1B150, 0x1B152, 2},
    {0x1B164, 0x1B167, 2},
    {0x1DF00, 0x1DF1E, 2},
    {0x1E7E0, 0x1E7E6, 2},
    {0x1E7E8, 0x1E7EB, 2},
    {0x1E7ED, 0x1E7EE, 2},
    {0x1E7F0, 0x1E7FE, 2},
    {0x20000, 0x2A6DF, 2},
    {0x2A700, 0x2B738, 2},
    {0x2B740, 0x2B81D, 2},
    {0x2B820, 0x2CEA1, 2},
    {0x2CEB0, 0x2EBE0, 2},
    {0x30000, 0x3134A, 2},
};

static const uint32_t gc_extend[][2] = {
    {0x300, 0x36F},
    {0x483, 0x489},
    {0x591, 0x5BD},
    {0x5BF, 0x5BF},
    {0x5C1, 0x5C2},
    {0x5C4, 0x5C5},
    {0x5C7, 0x5C7},
    {0x610, 0x61A},
    {0x64B, 0x65F},
    {0x670, 0x670},
    {0x6D6, 0x6DC},
    {0x6DF, 0x6E4},
    {0x6E7, 0x6E8},
    {0x6EA, 0x6ED},
    {0x711, 0x711},
    {0x730, 0x74A},
    {0x7A6, 0x7B0},
    {0x7EB, 0x7F3},
    {0x7FD, 0x7FD},
    {0x816, 0x819},
    {0x81B, 0x823},
    {0x825, 0x827},
    {0x829, 0x82D},
    {0x859, 0x85B},
    {0x898, 0x89F},
    {0x8CA, 0x8E1},
    {0x8E3, 0x903},
    {0x93A, 0x93C},
    {0x93E, 0x94F},
    {0x951, 0x957},
    {0x962, 0x963},
    {0x981, 0x983},
    {0x9BC, 0x9BC},
    {0x9BE, 0x9C4},
    {0x9C7, 0x9C8},
    {0x9CB, 0x9CD},
    {0x9D7, 0x9D7},
    {0x9E2, 0x9E3},
    {0x9FE, 0x9FE},
    {0xA01, 0xA03},
    {0xA3C, 0xA3C},
    {0xA3E, 0xA42},
    {0xA47, 0xA48},
    {0xA4B, 0xA4D},
    {0xA51, 0xA51},
    {0xA70, 0xA71},
    {0xA75, 0xA75},
    {0xA81, 0xA83},
    {0xABC, 0xABC},
    {0xABE, 0xAC5},
    {0xAC7, 0xAC9},
    {0xACB, 0xACD},
    {0xAE2, 0xAE3},
    {0xAFA, 0xAFF},
    {0xB01, 0xB03},
    {0xB3C, 0xB3C},
    {0xB3E, 0xB44},
    {0xB47, 0xB48},
    {0xB4B, 0xB4D},
    {0xB55, 0xB57},
    {0xB62, 0xB63},
    {0xB82, 0xB82},
    {0xBBE, 0xBC2},
    {0xBC6, 0xBC8},
    {0xBCA, 0xBCD},
    {0xBD7, 0xBD7},
    {0xC00, 0xC04},
    {0xC3C, 0xC3C},
    {0xC3E, 0xC44},
    {0xC46, 0xC48},
    {0xC4A, 0xC4D},
    {0xC55, 0xC56},
    {0xC62, 0xC63},
    {0xC81, 0xC83},
    {0xCBC, 0xCBC},
    {0xCBE, 0xCC4},
    {0xCC6, 0xCC8},
    {0xCCA, 0xCCD},
    {0xCD5, 0xCD6},
    {0xCE2, 0xCE3},
    {0xD00, 0xD03},
    {0xD3B, 0xD3C},
    {0xD3E, 0xD44},
    {0xD46, 0xD48},
    {0xD4A, 0xD4D},
    {0xD57, 0xD57},
    {0xD62, 0xD63},
    {0xD81, 0xD83},
    {0xDCA, 0xDCA},
    {0xDCF, 0xDD4},
    {0xDD6, 0xDD6},
    {0xDD8, 0xDDF},
    {0xDF2, 0xDF3},
    {0xE31, 0xE31},
    {0xE33, 0xE3A},
    {0xE47, 0xE4E},
    {0xEB1, 0xEB1},
    {0xEB3, 0xEBC},
    {0xEC8, 0xECD},
    {0xF18, 0xF19},
    {0xF35, 0xF35},
    {0xF37, 0xF37},
    {0xF39, 0xF39},
    {0xF3E, 0xF3F},
    {0xF71, 0xF84},
    {0xF86, 0xF87},
    {0xF8D, 0xF97},
    {0xF99, 0xFBC},
    {0xFC6, 0xFC6},
    {0x102D, 0x1037},
    {0x1039, 0x103E},
    {0x1056, 0x1059},
    {0x105E, 0x1060},
    {0x1071, 0x1074},
    {0x1082, 0x1082},
    {0x1084, 0x1086},
    {0x108D, 0x108D},
    {0x109D, 0x109D},
    {0x135D, 0x135F},
    {0x1712, 0x1715},
    {0x1732, 0x1734},
    {0x1752, 0x1753},
    {0x1772, 0x1773},
    {0x17B4, 0x17D3},
    {0x17DD, 0x17DD},
    {0x180B, 0x180D},
    {0x180F, 0x180F},
    {0x1885, 0x1886},
    {0x18A9, 0x18A9},
    {0x1920, 0x192B},
    {0x1930, 0x193B},
    {0x1A17, 0x1A1B},
    {0x1A55, 0x1A5E},
    {0x1A60, 0x1A60},
    {0x1A62, 0x1A62},
    {0x1A65, 0x1A7C},
    {0x1A7F, 0x1A7F},
    {0x1AB0, 0x1ACE},
    {0x1B00, 0x1B04},
    {0x1B34, 0x1B44},
    {0x1B6B, 0x1B73},
    {0x1B80, 0x1B82},
    {0x1BA1, 0x1BAD},
    {0x1BE6, 0x1BF3},
    {0x1C24, 0x1C37},
    {0x1CD0, 0x1CD2},
    {0x1CD4, 0x1CE8},
    {0x1CED, 0x1CED},
    {0x1CF4, 0x1CF4},
    {0x1CF7, 0x1CF9},
    {0x1DC0, 0x1DFF},
    {0x200C, 0x200D},
    {0x20D0, 0x20F0},
    {0x2CEF, 0x2CF1},
    {0x2D7F, 0x2D7F},
    {0x2DE0, 0x2DFF},
    {0x302A, 0x302F},
    {0x3099, 0x309A},
    {0xA66F, 0xA672},
    {0xA674, 0xA67D},
    {0xA69E, 0xA69F},
    {0xA6F0, 0xA6F1},
    {0xA802, 0xA802},
    {0xA806, 0xA806},
    {0xA80B, 0xA80B},
    {0xA823, 0xA827},
    {0xA82C, 0xA82C},
    {0xA880, 0xA881},
    {0xA8B4, 0xA8C5},
    {0xA8E0, 0xA8F1},
    {0xA8FF, 0xA8FF},
    {0xA926, 0xA92D},
    {0xA947, 0xA953},
    {0xA980, 0xA983},
    {0xA9B3, 0xA9C0},
    {0xA9E5, 0xA9E5},
    {0xAA29, 0xAA36},
    {0xAA43, 0xAA43},
    {0xAA4C, 0xAA4D},
    {0xAA7C, 0xAA7C},
    {0xAAB0, 0xAAB0},
    {0xAAB2, 0xAAB4},
    {0xAAB7, 0xAAB8},
    {0xAABE, 0xAABF},
    {0xAAC1, 0xAAC1},
    {0xAAEB, 0xAAEF},
    {0xAAF5, 0xAAF6},
    {0xABE3, 0xABEA},
    {0xABEC, 0xABED},
    {0xFB1E, 0xFB1E},
    {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F},
    {0xFF9E, 0xFF9F},
    {0x101FD, 0x101FD},
    {0x102E0, 0x102E0},
    {0x10376, 0x1037A},
    {0x10A01, 0x10A03},
    {0x10A05, 0x10A06},
    {0x10A0C, 0x10A0F},
    {0x10A38, 0x10A3A},
    {0x10A3F, 0x10A3F},
    {0x10AE5, 0x10AE6},
    {0x10D24, 0x10D27},
    {0x10EAB, 0x10EAC},
    {0x10F46, 0x10F50},
    {0x10F82, 0x10F85},
    {0x11000, 0x11002},
    {0x11038, 0x11046},
    {0x11070, 0x11070},
    {0x11073, 0x11074},
    {0x1107F, 0x11082},
    {0x110B0, 0x110BA},
    {0x110C2, 0x110C2},
    {0x11100, 0x11102},
    {0x11127, 0x11134},
    {0x11145, 0x11146},
    {0x11173, 0x11173},
    {0x11180, 0x11182},
    {0x111B3, 0x111C0},
    {0x111C9, 0x111CC},
    {0x111CE, 0x111CF},
    {0x1122C, 0x11237},
    {0x1123E, 0x1123E},
    {0x112DF, 0x112EA},
    {0x11300, 0x11303},
    {0x1133B, 0x1133C},
    {0x1133E, 0x11344},
    {0x11347, 0x11348},
    {0x1134B, 0x1134D},
    {0x11357, 0x11357},
    {0x11362, 0x11363},
    {0x11366, 0x1136C},
    {0x11370, 0x11374},
    {0x11435, 0x11446},
    {0x1145E, 0x1145E},
    {0x114B0, 0x114C3},
    {0x115AF, 0x115B5},
    {0x115B8, 0x115C0},
    {0x115DC, 0x115DD},
    {0x11630, 0x11640},
    {0x116AB, 0x116B7},
    {0x1171D, 0x1171F},
    {0x11722, 0x1172B},
    {0x1182C, 0x1183A},
    {0x11930, 0x11935},
    {0x11937, 0x11938},
    {0x1193B, 0x1193E},
    {0x11940, 0x11940},
    {0x11942, 0x11943},
    {0x119D1, 0x119D7},
    {0x119DA, 0x119E0},
    {0x119E4, 0x119E4},
    {0x11A01, 0x11A0A},
    {0x11A33, 0x11A39},
    {0x11A3B, 0x11A3E},
    {0x11A47, 0x11A47},
    {0x11A51, 0x11A5B},
    {0x11A8A, 0x11A99},
    {0x11C2F, 0x11C36},
    {0x11C38, 0x11C3F},
    {0x11C92, 0x11CA7},
    {0x11CA9, 0x11CB6},
    {0x11D31, 0x11D36},
    {0x11D3A, 0x11D3A},
    {0x11D3C, 0x11D3D},
    {0x11D3F, 0x11D45},
    {0x11D47, 0x11D47},
    {0x11D8A, 0x11D8E},
    {0x11D90, 0x11D91},
    {0x11D93, 0x11D97},
    {0x11EF3, 0x11EF6},
    {0x16AF0, 0x16AF4},
    {0x16B30, 0x16B36},
    {0x16F4F, 0x16F4F},
    {0x16F51, 0x16F87},
    {0x16F8F, 0x16F92},
    {0x16FE4, 0x16FE4},
    {0x16FF0, 0x16FF1},
    {0x1BC9D, 0x1BC9E},
    {0x1CF00, 0x1CF2D},
    {0x1CF30, 0x1CF46},
    {0x1D165, 0x1D169},
    {0x1D16D, 0x1D172},
    {0x1D17B, 0x1D182},
    {0x1D185, 0x1D18B},
    {0x1D1AA, 0x1D1AD},
    {0x1D242, 0x1D244},
    {0x1DA00, 0x1DA36},
    {0x1DA3B, 0x1DA6C},
    {0x1DA75, 0x1DA75},
    {0x1DA84, 0x1DA84},
    {0x1DA9B, 0x1DA9F},
    {0x1DAA1, 0x1DAAF},
    {0x1E000, 0x1E006},
    {0x1E008, 0x1E018},
    {0x1E01B, 0x1E021},
    {0x1E023, 0x1E024},
    {0x1E026, 0x1E02A},
    {0x1E130, 0x1E136},
    {0x1E2AE, 0x1E2AE},
    {0x1E2EC, 0x1E2EF},
    {0x1E8D0, 0x1E8D6},
    {0x1E944, 0x1E94A},
    {0x1F3FB, 0x1F3FF},
    {0xE0020, 0xE007F},
    {0xE0100, 0xE01EF},
};
static const uint32_t gc_control[][2] = {
    {0x0, 0x1F},
    {0x7F, 0x9F},
    {0xAD, 0xAD},
    {0x61C, 0x61C},
    {0x180E, 0x180E},
    {0x200B, 0x200B},
    {0x200E, 0x200F},
    {0x2028, 0x202E},
    {0x2060, 0x206F},
    {0xFEFF, 0xFEFF},
    {0xFFF0, 0xFFFB},
    {0x13430, 0x13438},
    {0x1BCA0, 0x1BCA3},
    {0x1D173, 0x1D17A},
    {0xE0000, 0xE001F},
    {0xE0080, 0xE00FF},
    {0xE01F0, 0xE0FFF},
};
static const uint32_t gc_prepend[][2] = {
    {0x600, 0x605},
    {0x6DD, 0x6DD},
    {0x70F, 0x70F},
    {0x890, 0x891},
    {0x8E2, 0x8E2},
    {0xD4E, 0xD4E},
    {0x110BD, 0x110BD},
    {0x110CD, 0x110CD},
    {0x111C2, 0x111C3},
    {0x1193F, 0x1193F},
    {0x11941, 0x11941},
    {0x11A3A, 0x11A3A},
    {0x11A84, 0x11A89},
    {0x11D46, 0x11D46},
};
static const uint32_t gc_extpict[][2] = {
    {0xA9, 0xA9},
    {0xAE, 0xAE},
    {0x203C, 0x203C},
    {0x2049, 0x2049},
    {0x2122, 0x2122},
    {0x2139, 0x2139},
    {0x2194, 0x2199},
    {0x21A9, 0x21AA},
    {0x231A, 0x231B},
    {0x2328, 0x2328},
    {0x2388, 0x2388},
    {0x23CF, 0x23CF},
    {0x23E9, 0x23F3},
    {0x23F8, 0x23FA},
    {0x24C2, 0x24C2},
    {0x25AA, 0x25AB},
    {0x25B6, 0x25B6},
    {0x25C0, 0x25C0},
    {0x25FB, 0x25FE},
    {0x2600, 0x2605},
    {0x2607, 0x2612},
    {0x2614, 0x2685},
    {0x2690, 0x2705},
    {0x2708, 0x2712},
    {0x2714, 0x2714},
    {0x2716, 0x2716},
    {0x271D, 0x271D},
    {0x2721, 0x2721},
    {0x2728, 0x2728},
    {0x2733, 0x2734},
    {0x2744, 0x2744},
    {0x2747, 0x2747},
    {0x274C, 0x274C},
    {0x274E, 0x274E},
    {0x2753, 0x2755},
    {0x2757, 0x2757},
    {0x2763, 0x2767},
    {0x2795, 0x2797},
    {0x27A1, 0x27A1},
    {0x27B0, 0x27B0},
    {0x27BF, 0x27BF},
    {0x2934, 0x2935},
    {0x2B05, 0x2B07},
    {0x2B1B, 0x2B1C},
    {0x2B50, 0x2B50},
    {0x2B55, 0x2B55},
    {0x3030, 0x3030},
    {0x303D, 0x303D},
    {0x3297, 0x3297},
    {0x3299, 0x3299},
    {0x1F000, 0x1F0FF},
    {0x1F10D, 0x1F10F},
    {0x1F12F, 0x1F12F},
    {0x1F16C, 0x1F171},
    {0x1F17E, 0x1F17F},
    {0x1F18E, 0x1F18E},
    {0x1F191, 0x1F19A},
    {0x1F1AD, 0x1F1E5},
    {0x1F201, 0x1F20F},
    {0x1F21A, 0x1F21A},
    {0x1F22F, 0x1F22F},
    {0x1F232, 0x1F23A},
    {0x1F23C, 0x1F23F},
    {0x1F249, 0x1F3FA},
    {0x1F400, 0x1F53D},
    {0x1F546, 0x1F64F},
    {0x1F680, 0x1F6FF},
    {0x1F774, 0x1F77F},
    {0x1F7D5, 0x1F7FF},
    {0x1F80C, 0x1F80F},
    {0x1F848, 0x1F84F},
    {0x1F85A, 0x1F85F},
    {0x1F888, 0x1F88F},
    {0x1F8AE, 0x1F8FF},
    {0x1F90C, 0x1F93A},
    {0x1F93C, 0x1F945},
    {0x1F947, 0x1FAFF},
    {0x1FC00, 0x1FFFD},
};

static bool in_ranges2(const uint32_t (*r)[2], size_t n, uint32_t cp) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid][0]) hi = mid;
        else if (cp > r[mid][1]) lo = mid + 1;
        else return true;
    }
    return false;
}
#define IN_TABLE(t, cp) in_ranges2(t, sizeof(t) / sizeof(t[0]), cp)

static int id_class(uint32_t cp) {
    size_t lo = 0, hi = sizeof(id_ranges) / sizeof(id_ranges[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < id_ranges[mid][0]) hi = mid;
        else if (cp > id_ranges[mid][1]) lo = mid + 1;
        else return (int)id_ranges[mid][2];
    }
    return 0;
}

/* ---- grapheme clusters (approximation of unicode_util:gc for column counting) ---- */

static bool is_hangul_l(uint32_t c) { return (c >= 0x1100 && c <= 0x115F) || (c >= 0xA960 && c <= 0xA97C); }
static bool is_hangul_v(uint32_t c) { return (c >= 0x1160 && c <= 0x11A7) || (c >= 0xD7B0 && c <= 0xD7C6); }
static bool is_hangul_t(uint32_t c) { return (c >= 0x11A8 && c <= 0x11FF) || (c >= 0xD7CB && c <= 0xD7FB); }
static bool is_hangul_syl(uint32_t c) { return c >= 0xAC00 && c <= 0xD7A3; }
static bool is_hangul_lv(uint32_t c) { return is_hangul_syl(c) && (c - 0xAC00) % 28 == 0; }
static bool is_ri(uint32_t c) { return c >= 0x1F1E6 && c <= 0x1F1FF; }

/* Length in bytes of the grapheme cluster starting at p (p < end). */
static size_t cluster_len(const uint8_t *p, const uint8_t *end) {
    int n;
    uint32_t prev = dec(p, end, &n);
    const uint8_t *q = p + n;
    if (prev == '\r' && q < end && *q == '\n') return (size_t)(q + 1 - p);
    if (IN_TABLE(gc_control, prev)) return (size_t)(q - p);
    bool pict = IN_TABLE(gc_extpict, prev);
    int ri = is_ri(prev) ? 1 : 0;
    while (q < end) {
        uint32_t c = dec(q, end, &n);
        bool join = false;
        if (IN_TABLE(gc_control, c)) join = false;
        else if (IN_TABLE(gc_extend, c)) join = true;
        else if (IN_TABLE(gc_prepend, prev)) join = true;
        else if (is_hangul_l(prev) && (is_hangul_l(c) || is_hangul_v(c) || is_hangul_syl(c))) join = true;
        else if ((is_hangul_lv(prev) || is_hangul_v(prev)) && (is_hangul_v(c) || is_hangul_t(c))) join = true;
        else if (((is_hangul_syl(prev) && !is_hangul_lv(prev)) || is_hangul_t(prev)) && is_hangul_t(c)) join = true;
        else if (prev == 0x200D && pict && IN_TABLE(gc_extpict, c)) join = true;
        else if (ri == 1 && is_ri(c)) join = true, ri = 2;
        if (!join) break;
        if (IN_TABLE(gc_extpict, c)) pict = true;
        else if (!IN_TABLE(gc_extend, c)) pict = false;
        prev = c;
        q += n;
    }
    return (size_t)(q - p);
}

/* ---- small predicates ---- */

static inline bool is_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static inline bool is_lower(int c) { return c >= 'a' && c <= 'z'; }
static inline bool is_hex(int c) { return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); }
static inline bool is_hspace(int c) { return c == ' ' || c == '\t'; }
static inline bool is_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static inline bool is_quote(int c) { return c == '"' || c == '\''; }
static inline bool is_bidi(uint32_t c) {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* Byte at p+i, or -1 past the end. */
static inline int at(const lexer *L, const uint8_t *p, size_t i) {
    return (size_t)(L->end - p) > i ? p[i] : -1;
}
static inline bool starts(const lexer *L, const uint8_t *p, const char *s) {
    size_t n = strlen(s);
    return (size_t)(L->end - p) >= n && memcmp(p, s, n) == 0;
}
static inline size_t hspaces(const lexer *L, const uint8_t *p) {
    const uint8_t *q = p;
    while (q < L->end && is_hspace(*q)) q++;
    return (size_t)(q - p);
}

/* ---- tokens ---- */

/* Token arrays live in the arena from the start (no final copy): growing allocates a
 * bigger array and copies; the top level starts with an estimate that is rarely
 * exceeded, and untouched pages of a big arena block cost nothing. */
static bool tok_grow(lexer *L, tokvec *tv, size_t cap) {
    exs_tok *v = arena_alloc(L->a, cap * sizeof(exs_tok));
    if (!v) {
        L->nomem = true;
        return false;
    }
    if (tv->count) memcpy(v, tv->v, tv->count * sizeof(exs_tok));
    tv->v = v;
    tv->cap = cap;
    return true;
}

static exs_tok *push(lexer *L, scope *S, int kind, uint32_t line, uint32_t col, const uint8_t *at_p) {
    tokvec *tv = &S->toks;
    if (tv->count == tv->cap && !tok_grow(L, tv, tv->cap ? tv->cap * 2 : 8)) {
        memset(&L->dummy, 0, sizeof(L->dummy));
        return &L->dummy;
    }
    static const exs_tok blank = {.eol = -1, .v.str.indentation = -1};
    exs_tok *t = &tv->v[tv->count++];
    *t = blank; /* fixed-size copy: vector stores, not a rep stos */
    t->kind = (uint8_t)kind;
    t->line = line;
    t->column = col;
    t->offset = (uint32_t)(at_p - L->src);
    return t;
}

static inline exs_tok *top(scope *S) { return S->toks.count ? &S->toks.v[S->toks.count - 1] : NULL; }

static int32_t previous_was_eol(scope *S) {
    exs_tok *t = top(S);
    if (t && (t->kind == EXS_TOK_COMMA || t->kind == EXS_TOK_SEMI || t->kind == EXS_TOK_EOL) && t->eol > 0)
        return t->eol;
    return -1;
}

/* add_token_with_eol: drops a trailing eol token unless the new token is a unary_op. */
static exs_tok *push_with_eol(lexer *L, scope *S, int kind, uint32_t line, uint32_t col, const uint8_t *p) {
    exs_tok *t = top(S);
    if (kind != EXS_TOK_UNARY_OP && t && t->kind == EXS_TOK_EOL) S->toks.count--;
    return push(L, S, kind, line, col, p);
}

static void set_name(exs_tok *t, const char *name) {
    t->name = name;
    t->name_len = (uint32_t)strlen(name);
}

static bool set_name_copy(lexer *L, exs_tok *t, const uint8_t *s, size_t n) {
    char *c = arena_strndup(L->a, (const char *)s, n);
    if (!c) {
        L->nomem = true;
        return false;
    }
    t->name = c;
    t->name_len = (uint32_t)n;
    return true;
}

/* Identifier names: String.Tokenizer maps MICRO SIGN (C2 B5) to GREEK SMALL LETTER MU
 * (CE BC), same length in UTF-8. (NFC normalisation is not done; see the header.) */
static bool set_ident_name(lexer *L, exs_tok *t, const uint8_t *s, size_t n, bool ascii) {
    if (ascii) {
        /* No normalisation needed: the name is the source text itself (see token.h). */
        t->name = (const char *)s;
        t->name_len = (uint32_t)n;
        return true;
    }
    char *c = arena_strndup(L->a, (const char *)s, n);
    if (!c) {
        L->nomem = true;
        return false;
    }
    if (!ascii)
        for (size_t i = 0; i + 1 < n; i++)
            if ((uint8_t)c[i] == 0xC2 && (uint8_t)c[i + 1] == 0xB5) c[i] = (char)0xCE, c[i + 1] = (char)0xBC;
    t->name = c;
    t->name_len = (uint32_t)n;
    return true;
}

/* ---- messages ---- */

static const char *char_name(uint32_t c, const char **escape) {
    const char *e = NULL, *n = NULL;
    switch (c) {
    case 0: e = "\\0", n = "null byte"; break;
    case 7: e = "\\a", n = "alert"; break;
    case 8: e = "\\b", n = "backspace"; break;
    case 127: e = "\\d", n = "delete"; break;
    case 27: e = "\\e", n = "escape"; break;
    case 12: e = "\\f", n = "form feed"; break;
    case 10: e = "\\n", n = "newline"; break;
    case 13: e = "\\r", n = "carriage return"; break;
    case 32: e = "\\s", n = "space"; break;
    case 9: e = "\\t", n = "tab"; break;
    case 11: e = "\\v", n = "vertical tab"; break;
    default: break;
    }
    if (escape) *escape = e;
    return n;
}

/* io_lib:format("~4.16.0B", [C]): four upper-case hex digits; a wider value overflows
 * the field and Erlang prints "****". */
static const char *hex4(uint32_t c, char buf[8]) {
    if (c > 0xFFFF) return "****";
    snprintf(buf, 8, "%04X", c);
    return buf;
}

static int unexpected_token(lexer *L, const uint8_t *p, uint32_t line, uint32_t col) {
    int n;
    uint32_t c = dec(p, L->end, &n);
    const char *name = char_name(c, NULL);
    char hb[8];
    if (name)
        return fail(L, line, col, "unexpected token: %s (column %u, code point U+%s)", name, col, hex4(c, hb));
    char buf[5];
    int k = enc_utf8(c, buf);
    buf[k] = 0;
    return fail(L, line, col, "unexpected token: \"%s\" (column %u, code point U+%s)", buf, col, hex4(c, hb));
}

const char lex_invalid_do_suffix[] =
    ". In case you wanted to write a \"do\" expression, "
    "you must either use do-blocks or separate the keyword argument with comma. "
    "For example, you should either write:\n\n"
    "    if some_condition? do\n"
    "      :this\n"
    "    else\n"
    "      :that\n"
    "    end\n\n"
    "or the equivalent construct:\n\n"
    "    if(some_condition?, do: :this, else: :that)\n\n"
    "where \"some_condition?\" is the first argument and the second argument is a keyword list.\n\n"
    "You may see this error if you forget a trailing comma before the \"do\" in a \"do\" block";

static uint32_t hint_line(scope *S, int kind) {
    return kind == T_DO ? S->hint_do : kind == T_FN ? S->hint_fn : 0;
}

static void missing_terminator_hint(lexer *L, scope *S, int kind) {
    uint32_t h = hint_line(S, kind);
    if (h)
        append_msg(L, "\n\n    HINT: it looks like the \"%s\" on line %u does not have a matching \"%s\"\n",
                   term_open[kind], h, term_close[kind]);
}

/* ---- terminators (check_terminator) ---- */

static int open_term(lexer *L, scope *S, int kind, uint32_t line, uint32_t col) {
    if (S->nterms + S->depth >= L->max_depth) {
        L->too_deep = true;
        return fail(L, line, col, "nesting too deep (more than %u levels)", L->max_depth);
    }
    if (kind == T_DO || kind == T_FN) {
        if (S->nterms && S->terms[S->nterms - 1].kind == kind &&
            S->indentation <= S->terms[S->nterms - 1].indent) {
            if (kind == T_DO) S->hint_do = S->terms[S->nterms - 1].line;
            else S->hint_fn = S->terms[S->nterms - 1].line;
        }
    }
    if (!grow(L, (void **)&S->terms, &S->tcap, S->nterms + 1, sizeof(term))) return R_ERR;
    S->terms[S->nterms++] = (term){(uint8_t)kind, line, S->indentation};
    return R_EOF;
}

/* Returns R_EOF (fine), R_ERR, or R_CLOSE for an unmatched `}` inside an
 * interpolation. `close` is the index into term_close of the closing token (T_DO for
 * end). */
static int close_term(lexer *L, scope *S, int close, uint32_t line, uint32_t col, bool in_interp) {
    const char *end_name = term_close[close];
    if (S->nterms == 0) {
        if (close == T_DO) {
            fail(L, line, col, "unexpected reserved word: end");
            if (S->hint_end)
                append_msg(L, "\n\n    HINT: it looks like the \"end\" on line %u does not have a matching \"do\" defined before it\n",
                           S->hint_end);
            return R_ERR;
        }
        if (close == T_CURLY && in_interp) return R_CLOSE;
        return fail(L, line, col, "unexpected token: %s", end_name);
    }
    term *t = &S->terms[S->nterms - 1];
    if (close == T_DO && t->kind == T_DO) {
        if (S->indentation > t->indent) S->hint_end = line;
        S->nterms--;
        return R_EOF;
    }
    if (strcmp(term_close[t->kind], end_name) == 0) {
        S->nterms--;
        return R_EOF;
    }
    fail(L, line, col, "%s%s. The \"%s\" at line %u is missing terminator \"%s\"",
         close == T_DO ? "unexpected reserved word: " : "unexpected token: ", end_name,
         term_open[t->kind], t->line, term_close[t->kind]);
    missing_terminator_hint(L, S, t->kind);
    return R_ERR;
}

/* ---- numbers ---- */

/* Converts digits (values 0..base-1) to a little-endian magnitude in the arena.
 * Returns false on OOM. Sets *out_small when the value fits in int64. */
static bool make_int(lexer *L, exs_tok *t, const uint8_t *digits, size_t n, unsigned base) {
    uint64_t v = 0;
    size_t i = 0;
    bool small = true;
    for (; i < n; i++) {
        if (v > (uint64_t)INT64_MAX / base || v * base + digits[i] > (uint64_t)INT64_MAX) {
            small = false;
            break;
        }
        v = v * base + digits[i];
    }
    if (small) {
        t->v.i = (int64_t)v;
        return true;
    }
    /* Big: 32-bit limbs, chunked multiply-add. */
    unsigned chunk = 1;
    uint64_t mul = base;
    while (mul * base <= 0xFFFFFFFFull) mul *= base, chunk++;
    size_t maxlimbs = n / 8 + 4;
    uint32_t *limbs = calloc(maxlimbs, sizeof(uint32_t));
    if (!limbs) {
        L->nomem = true;
        return false;
    }
    size_t nl = 0;
    for (i = 0; i < n;) {
        unsigned k = 0;
        uint64_t m = 1, add = 0;
        while (k < chunk && i < n) add = add * base + digits[i++], m *= base, k++;
        uint64_t carry = add;
        for (size_t j = 0; j < nl; j++) {
            uint64_t x = (uint64_t)limbs[j] * m + carry;
            limbs[j] = (uint32_t)x;
            carry = x >> 32;
        }
        if (carry && nl < maxlimbs) limbs[nl++] = (uint32_t)carry;
    }
    size_t nbytes = nl * 4;
    uint8_t *mag = arena_alloc(L->a, nbytes ? nbytes : 1);
    if (!mag) {
        free(limbs);
        L->nomem = true;
        return false;
    }
    for (size_t j = 0; j < nl; j++)
        for (int b = 0; b < 4; b++) mag[j * 4 + (size_t)b] = (uint8_t)(limbs[j] >> (8 * b));
    while (nbytes > 0 && mag[nbytes - 1] == 0) nbytes--;
    free(limbs);
    t->is_big = true;
    t->v.big.mag = mag;
    t->v.big.len = (uint32_t)nbytes;
    return true;
}

/* The literal's text stays in the source buffer (see token.h): no copy. */
static bool set_original(lexer *L, exs_tok *t, const uint8_t *s, size_t n) {
    (void)L;
    t->x.lit.original = (const char *)s;
    t->x.lit.original_len = (uint32_t)n;
    return true;
}

/* tokenize_hex/octal/bin: p at the first digit after the prefix. */
static int lex_base_int(lexer *L, scope *S, cur *c, unsigned base) {
    const uint8_t *start = c->p, *p = c->p + 2;
    L->ub_len = 0;
#define OKD(ch) (base == 16 ? is_hex(ch) : base == 8 ? ((ch) >= '0' && (ch) <= '7') : ((ch) == '0' || (ch) == '1'))
#define DV(ch) (uint8_t)(is_digit(ch) ? (ch) - '0' : ((ch) | 0x20) - 'a' + 10)
    for (;;) {
        int ch = at(L, p, 0);
        if (ch >= 0 && OKD(ch)) {
            if (!ub_putc(L, DV(ch))) return R_ERR;
            p++;
        } else if (ch == '_' && at(L, p, 1) >= 0 && OKD(at(L, p, 1))) {
            if (!ub_putc(L, DV(p[1]))) return R_ERR;
            p += 2;
        } else
            break;
    }
#undef OKD
#undef DV
    if (L->ub_len > MAX_INT_DIGITS) return fail(L, c->line, c->col, "integer literal too long");
    exs_tok *t = push(L, S, EXS_TOK_INT, c->line, c->col, start);
    if (!make_int(L, t, L->ub, L->ub_len, base) || !set_original(L, t, start, (size_t)(p - start)))
        return R_ERR;
    c->col += (uint32_t)(p - start);
    c->p = p;
    return R_EOF;
}

/* tokenize_number: decimal ints and floats. */
static int lex_number(lexer *L, scope *S, cur *c) {
    const uint8_t *start = c->p, *p = c->p;
    bool is_float = false;
    L->ub_len = 0;
    for (;;) {
        int ch = at(L, p, 0), c1 = at(L, p, 1), c2 = at(L, p, 2);
        if (ch == '.' && !is_float && is_digit(c1)) {
            is_float = true;
            if (!ub_putc(L, '.') || !ub_putc(L, (uint8_t)c1)) return R_ERR;
            p += 2;
        } else if (ch == '_' && is_digit(c1)) {
            if (!ub_putc(L, (uint8_t)c1)) return R_ERR;
            p += 2;
        } else if (is_float && (ch == 'e' || ch == 'E') && (c1 == '+' || c1 == '-') && is_digit(c2)) {
            if (!ub_putc(L, 'e') || !ub_putc(L, (uint8_t)c1) || !ub_putc(L, (uint8_t)c2)) return R_ERR;
            p += 3;
        } else if (is_float && (ch == 'e' || ch == 'E') && is_digit(c1)) {
            if (!ub_putc(L, 'e') || !ub_putc(L, (uint8_t)c1)) return R_ERR;
            p += 2;
        } else if (is_digit(ch)) {
            if (!ub_putc(L, (uint8_t)ch)) return R_ERR;
            p++;
        } else
            break;
    }
    size_t olen = (size_t)(p - start);
    int next = at(L, p, 0);
    if (is_float) {
        if (!ub_putc(L, 0)) return R_ERR;
        double d = strtod((const char *)L->ub, NULL);
        if (isinf(d))
            return fail(L, c->line, c->col, "invalid float number %.*s", (int)olen, (const char *)start);
    }
    if (is_upper(next) || is_lower(next) || next == '_') {
        fail(L, c->line, c->col,
             "invalid character \"%c\" after number %.*s. If you intended to write a number, "
             "make sure to separate the number from the character (using comma, space, etc). "
             "If you meant to write a function name or a variable, note that identifiers in "
             "Elixir cannot start with numbers. Unexpected token: %c",
             next, (int)olen, (const char *)start, next);
        return R_ERR;
    }
    exs_tok *t;
    if (is_float) {
        t = push(L, S, EXS_TOK_FLT, c->line, c->col, start);
        t->v.f = strtod((const char *)L->ub, NULL);
    } else {
        if (L->ub_len > MAX_INT_DIGITS) return fail(L, c->line, c->col, "integer literal too long");
        for (size_t i = 0; i < L->ub_len; i++) L->ub[i] = (uint8_t)(L->ub[i] - '0');
        t = push(L, S, EXS_TOK_INT, c->line, c->col, start);
        if (!make_int(L, t, L->ub, L->ub_len, 10)) return R_ERR;
    }
    if (!set_original(L, t, start, olen)) return R_ERR;
    c->col += (uint32_t)olen;
    c->p = p;
    return R_EOF;
}

/* ---- identifiers (String.Tokenizer.tokenize/1) ---- */

enum { ID_EMPTY = 0, ID_ALIAS, ID_IDENT, ID_ATOM, ID_UNEXPECTED };

typedef struct {
    int kind;
    const uint8_t *end; /* rest */
    uint32_t length;    /* code points */
    bool ascii, has_at, has_punct;
    const uint8_t *bad; /* ID_UNEXPECTED: the offending code point */
} ident;

/* [A-Za-z0-9_] */
static const uint8_t ident_ascii[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['_'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
};

static void scan_ident(const lexer *L, const uint8_t *p, ident *r) {
    const uint8_t *end = L->end;
    memset(r, 0, sizeof(*r));
    int n = 1;
    uint8_t b = *p;
    if (is_upper(b)) r->kind = ID_ALIAS, r->ascii = true;
    else if (is_lower(b) || b == '_') r->kind = ID_IDENT, r->ascii = true;
    else if (b >= 0x80) {
        uint32_t cp = dec(p, end, &n);
        int cl = id_class(cp);
        if (cl == 3) r->kind = ID_ATOM;
        else if (cl == 2) r->kind = ID_IDENT;
        else return;
        r->ascii = false;
    } else
        return;
    p += n;
    r->length = 1;
    while (p < end) {
        b = *p;
        if (b == '!' || b == '?') {
            p++;
            r->length++;
            r->has_punct = true;
            break;
        }
        if (b == '@') {
            p++;
            r->length++;
            r->has_at = true;
            continue;
        }
        if (b < 0x80) {
            if (ident_ascii[b]) {
                /* Run of ASCII identifier characters. */
                const uint8_t *q = p + 1;
                while (q < end && ident_ascii[*q]) q++;
                r->length += (uint32_t)(q - p);
                p = q;
                continue;
            }
            break;
        }
        uint32_t cp = dec(p, end, &n);
        if (id_class(cp) == 0) {
            r->kind = ID_UNEXPECTED;
            r->bad = p;
            r->length++;
            r->end = p;
            return;
        }
        r->ascii = false;
        p += n;
        r->length++;
    }
    r->end = p;
}

/* Keywords (keyword_or_unsafe_to_atom): returns the token kind or -1; *ktype is 0 for
 * terminators (fn do end), 1 plain tokens (true false nil), 2 operators, 3 blocks. */
static int keyword_kind(const uint8_t *s, size_t n, int *ktype, const char **name) {
    static const struct {
        const char *s;
        uint8_t n, kind, type;
    } kws[] = {{"fn", 2, EXS_TOK_FN, 0},           {"do", 2, EXS_TOK_DO, 0},
               {"end", 3, EXS_TOK_END, 0},         {"true", 4, EXS_TOK_TRUE, 1},
               {"false", 5, EXS_TOK_FALSE, 1},     {"nil", 3, EXS_TOK_NIL, 1},
               {"not", 3, EXS_TOK_UNARY_OP, 2},    {"and", 3, EXS_TOK_AND_OP, 2},
               {"or", 2, EXS_TOK_OR_OP, 2},        {"when", 4, EXS_TOK_WHEN_OP, 2},
               {"in", 2, EXS_TOK_IN_OP, 2},        {"after", 5, EXS_TOK_BLOCK_IDENTIFIER, 3},
               {"else", 4, EXS_TOK_BLOCK_IDENTIFIER, 3}, {"catch", 5, EXS_TOK_BLOCK_IDENTIFIER, 3},
               {"rescue", 6, EXS_TOK_BLOCK_IDENTIFIER, 3}};
    if (n < 2 || n > 6) return -1;
    /* Only words starting with one of these letters can be keywords. */
    switch (s[0]) {
    case 'a': case 'c': case 'd': case 'e': case 'f': case 'i': case 'n': case 'o':
    case 'r': case 't': case 'w':
        break;
    default:
        return -1;
    }
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++) {
        if (kws[i].n == n && kws[i].s[0] == s[0] && memcmp(kws[i].s, s, n) == 0) {
            *ktype = kws[i].type;
            *name = kws[i].s;
            return kws[i].kind;
        }
    }
    return -1;
}

static int check_call_kind(lexer *L, const uint8_t *rest) {
    int ch = at(L, rest, 0);
    return ch == '(' ? EXS_TOK_PAREN_IDENTIFIER : ch == '[' ? EXS_TOK_BRACKET_IDENTIFIER : EXS_TOK_IDENTIFIER;
}

/* ---- strings (elixir_interpolation) ---- */

static int run(lexer *L, scope *S, cur *c, bool in_interp);

static bool part_push(lexer *L, rpart p) {
    if (L->ps_count == L->ps_cap && !grow(L, (void **)&L->ps, &L->ps_cap, L->ps_count + 1, sizeof(rpart)))
        return false;
    L->ps[L->ps_count++] = p;
    return true;
}

/* build_string: the literal buffer [*lit_off, sb_len) becomes a part if non-empty. */
static bool flush_lit(lexer *L, size_t *lit_off) {
    if (L->sb_len > *lit_off) {
        rpart p = {0};
        p.off = *lit_off;
        p.len = L->sb_len - *lit_off;
        if (!part_push(L, p)) return false;
    }
    *lit_off = L->sb_len;
    return true;
}

static bool copy_toks(lexer *L, scope *S, exs_tok **out, uint32_t *count) {
    if (L->nomem) return false;
    *out = S->toks.v;
    *count = (uint32_t)S->toks.count;
    return true;
}

static void scope_free(scope *S) {
    free(S->terms);
}

/* extract/6. c->p is at the first byte after the opening delimiter (for heredocs, at
 * the first byte after the header newline, with c->line the opening line: the fake
 * leading "\n" of Elixir is added here). `last` is the closing byte; heredocs close
 * with three of `last` at the start of a line. Parts are pushed on L->ps. */
static int extract(lexer *L, scope *outer, cur *c, bool interpol, uint8_t last, bool heredoc) {
    const uint8_t *p = c->p, *end = L->end;
    uint32_t line = c->line, col = c->col;
    size_t lit = L->sb_len;
    int rc = X_OK;
    if (heredoc) {
        if (!sb_putc(L, '\n')) return X_ERR;
        goto newline;
    }
    for (;;) {
        if (L->nomem) return X_ERR;
        if (p >= end) {
            if (heredoc)
                fail(L, line, col, "missing terminator: %c%c%c", last, last, last);
            else
                fail(L, line, col, "missing terminator: %c", last);
            rc = X_ERR_STR;
            goto out;
        }
        uint8_t ch = *p;
        if (ch < 0x80 && ch != '\\' && ch != '\n' && ch != '#' && ch != last) {
            /* Fast path: a run of plain ASCII is copied at once, one column per byte.
             * The run stops before any byte the slow path treats specially; its last
             * byte goes the slow way when a non-Latin-1 code point follows it (the
             * grapheme-cluster column rule below). */
            const uint8_t *q = p + 1;
            /* Eight bytes at a time while none is special (SWAR zero-byte test). */
            const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
            const uint64_t rb = ones * '\\', rn = ones * '\n', rh = ones * '#', rl = ones * last;
            while ((size_t)(end - q) >= 8) {
                uint64_t w;
                memcpy(&w, q, 8);
                uint64_t x1 = w ^ rb, x2 = w ^ rn, x3 = w ^ rh, x4 = w ^ rl;
                uint64_t z = ((x1 - ones) & ~x1) | ((x2 - ones) & ~x2) | ((x3 - ones) & ~x3) |
                             ((x4 - ones) & ~x4) | w;
                if (z & highs) break;
                q += 8;
            }
            while (q < end) {
                uint8_t d = *q;
                if (d >= 0x80 || d == '\\' || d == '\n' || d == '#' || d == last) break;
                q++;
            }
            if (q < end && *q >= 0x80 && *q != 0xC2 && *q != 0xC3) q--;
            if (q > p) {
                size_t n = (size_t)(q - p);
                if (!sb_put(L, p, n)) return X_ERR;
                p = q;
                col += (uint32_t)n;
                continue;
            }
        }
        if (!heredoc && ch == last) {
            p++;
            col++;
            break;
        }
        if (ch == '\\') {
            int c1 = at(L, p, 1);
            if (c1 == '\r' && at(L, p, 2) == '\n') {
                sb_put(L, "\\\r\n", 3);
                p += 3;
                goto newline;
            }
            if (c1 == '\n') {
                sb_put(L, "\\\n", 2);
                p += 2;
                goto newline;
            }
            if (!heredoc && c1 == last) {
                sb_putc(L, last);
                p += 2;
                col += 2;
                continue;
            }
            if (heredoc && c1 == last && at(L, p, 2) == last && at(L, p, 3) == last) {
                sb_putc(L, last), sb_putc(L, last), sb_putc(L, last);
                p += 4;
                col += 4;
                continue;
            }
            if (interpol && c1 == '#' && at(L, p, 2) == '{') {
                sb_put(L, "\\#{", 3);
                p += 3;
                col += 1;
                continue;
            }
            sb_putc(L, '\\');
            p++;
            col++;
            goto extract_char;
        }
        if (ch == '\n') {
            sb_putc(L, '\n');
            p++;
            goto newline;
        }
        if (interpol && ch == '#' && at(L, p, 1) == '{') {
            if (!flush_lit(L, &lit)) return X_ERR;
            if (outer->depth + 1 >= L->max_depth) {
                L->too_deep = true;
                fail(L, line, col, "nesting too deep (more than %u levels)", L->max_depth);
                rc = X_ERR;
                goto out;
            }
            scope in = {0};
            in.indentation = outer->indentation;
            in.hint_do = outer->hint_do;
            in.hint_fn = outer->hint_fn;
            in.hint_end = outer->hint_end;
            in.depth = outer->depth + 1;
            cur ic = {p + 2, line, col + 2};
            int r = run(L, &in, &ic, true);
            if (r == R_CLOSE) {
                rpart ip = {0};
                ip.is_interp = true;
                ip.line = line;
                ip.column = col;
                ip.end_line = ic.line;
                ip.end_column = ic.col;
                exs_tok *e = push(L, &in, EXS_TOK_EOF, ic.line, ic.col, ic.p);
                (void)e;
                bool ok = !L->nomem && copy_toks(L, &in, &ip.toks, &ip.tok_count) && part_push(L, ip);
                scope_free(&in);
                if (!ok) return X_ERR;
                p = ic.p + 1;
                line = ic.line;
                col = ic.col + 1;
                lit = L->sb_len;
                continue;
            }
            scope_free(&in);
            if (r == R_ERR) {
                rc = X_ERR;
                goto out;
            }
            fail(L, line, col, "missing interpolation terminator: \"}\"");
            rc = X_ERR_STR;
            goto out;
        }
        if (ch < 0x80) {
            /* Char1 =< 255 and Char2 =< 255: one column per char. */
            int c1 = at(L, p, 1);
            if (c1 >= 0 && (c1 < 0x80 || c1 == 0xC2 || c1 == 0xC3)) {
                sb_putc(L, ch);
                p++;
                col++;
                continue;
            }
        } else if (ch == 0xC2 || ch == 0xC3) {
            int c2 = at(L, p, 2);
            if (c2 >= 0 && (c2 < 0x80 || c2 == 0xC2 || c2 == 0xC3)) {
                sb_put(L, p, 2);
                p += 2;
                col++;
                continue;
            }
        }
    extract_char:
        if (p >= end) continue;
        {
            int n;
            uint32_t cp = dec(p, end, &n);
            if (is_bidi(cp)) {
                fail(L, line, col,
                     "invalid bidirectional formatting character in string: \\u%04X. If you want to "
                     "use such character, use it in its escaped \\u%04X form instead",
                     cp, cp);
                rc = X_ERR;
                goto out;
            }
            size_t k = cluster_len(p, end);
            /* a cluster never swallows the terminator or a newline we must see */
            sb_put(L, p, k);
            p += k;
            col++;
        }
        continue;
    newline:
        line++;
        if (heredoc) {
            size_t ns = hspaces(L, p);
            if (at(L, p, ns) == last && at(L, p, ns + 1) == last && at(L, p, ns + 2) == last) {
                p += ns + 3;
                col = (uint32_t)(1 + ns + 3);
                break;
            }
            sb_put(L, p, ns);
            p += ns;
            col = (uint32_t)(1 + ns);
        } else
            col = 1;
    }
    if (!flush_lit(L, &lit)) return X_ERR;
out:
    c->p = p;
    c->line = line;
    c->col = col;
    return L->nomem ? X_ERR : rc;
}

/* Heredoc indentation stripping (extract_heredoc_indent) and head removal, in place on
 * the raw parts [pbase, ps_count): text is rewritten into sb past its current end. */
static bool heredoc_strip(lexer *L, size_t pbase, size_t indent) {
    for (size_t i = pbase; i < L->ps_count; i++) {
        rpart *rp = &L->ps[i];
        if (rp->is_interp) continue;
        size_t start = L->sb_len, off = rp->off, len = rp->len;
        if (!grow(L, (void **)&L->sb, &L->sb_cap, L->sb_len + len, 1)) return false;
        rp = &L->ps[i];
        const uint8_t *s = L->sb + off;
        size_t j = 0;
        if (i == pbase && len > 0 && s[0] == '\n') {
            /* extract_heredoc_head drops the fake leading newline (after trimming) */
        }
        while (j < len) {
            uint8_t ch = s[j++];
            L->sb[L->sb_len++] = ch;
            if (ch == '\n') {
                size_t k = 0;
                while (k < indent && j < len && is_hspace(s[j])) {
                    if (j + 1 <= len && (s[j] == '\n')) break;
                    j++, k++;
                }
            }
        }
        rp->off = start;
        rp->len = L->sb_len - start;
        if (i == pbase && rp->len > 0 && L->sb[rp->off] == '\n') rp->off++, rp->len--;
    }
    return true;
}

static int hexval(int c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

/* unescape_chars with unescape_map into L->ub. Returns 0, or 1 with err and tok set. */
static int unescape(lexer *L, const uint8_t *s, size_t n, const char **err, const char **tok) {
    size_t i = 0;
    while (i < n) {
        const uint8_t *bs = memchr(s + i, '\\', n - i);
        size_t stop = bs ? (size_t)(bs - s) : n;
        if (!ub_put(L, s + i, stop - i)) return 0;
        i = stop;
        if (i >= n) break;
        i++; /* backslash */
        if (i >= n) {
            ub_putc(L, '\\');
            break;
        }
        uint8_t e = s[i++];
        uint32_t cp = 0;
        int ndig = 0;
        bool is_u = false;
        switch (e) {
        case 'x':
            if (i + 1 < n && is_hex(s[i]) && is_hex(s[i + 1])) {
                ub_putc(L, (uint8_t)(hexval(s[i]) * 16 + hexval(s[i + 1])));
                i += 2;
                continue;
            }
            if (i < n && is_hex(s[i])) {
                cp = (uint32_t)hexval(s[i]);
                i++;
                ndig = 1;
                goto append_cp;
            }
            goto braces;
        case 'u':
            is_u = true;
            if (i + 3 < n && is_hex(s[i]) && is_hex(s[i + 1]) && is_hex(s[i + 2]) && is_hex(s[i + 3])) {
                for (int k = 0; k < 4; k++) cp = cp * 16 + (uint32_t)hexval(s[i + (size_t)k]);
                ndig = 4;
                i += 4;
                goto append_cp;
            }
            goto braces;
        case '\n': continue;
        case '\r':
            if (i < n && s[i] == '\n') {
                i++;
                continue;
            }
            ub_putc(L, '\r');
            continue;
        case '0': ub_putc(L, 0); continue;
        case 'a': ub_putc(L, 7); continue;
        case 'b': ub_putc(L, 8); continue;
        case 'd': ub_putc(L, 127); continue;
        case 'e': ub_putc(L, 27); continue;
        case 'f': ub_putc(L, 12); continue;
        case 'n': ub_putc(L, 10); continue;
        case 'r': ub_putc(L, 13); continue;
        case 's': ub_putc(L, 32); continue;
        case 't': ub_putc(L, 9); continue;
        case 'v': ub_putc(L, 11); continue;
        default: ub_putc(L, e); continue;
        }
    braces:
        /* \x{H..} / \u{H..}: 1 to 6 hex digits then '}' */
        if (i < n && s[i] == '{') {
            size_t k = i + 1;
            while (k < n && k - i - 1 < 7 && is_hex(s[k])) k++;
            size_t nd = k - i - 1;
            if (nd >= 1 && nd <= 6 && k < n && s[k] == '}') {
                for (size_t q = i + 1; q < k; q++) cp = cp * 16 + (uint32_t)hexval(s[q]);
                ndig = (int)nd;
                i = k + 1;
                goto append_cp;
            }
        }
        if (is_u) {
            *err = "invalid Unicode escape character, expected \\uHHHH or \\u{H*} where H is a hexadecimal digit";
            *tok = "\\u";
        } else {
            *err = "invalid hex escape character, expected \\xHH where H is a hexadecimal digit";
            *tok = "\\x";
        }
        return 1;
    append_cp:
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            /* the message quotes the digits as written */
            static char msg[64];
            const uint8_t *digs = s + i - (size_t)ndig - ((s[i - 1] == '}') ? 1 : 0);
            snprintf(msg, sizeof(msg), "invalid or reserved Unicode code point \\u{%.*s}", ndig, (const char *)digs);
            *err = msg;
            *tok = "\\u";
            return 1;
        }
        char buf[4];
        int k = enc_utf8(cp, buf);
        ub_put(L, buf, (size_t)k);
    }
    return 0;
}

/* Turns the raw parts [pbase, ps_count) into arena exs_parts, unescaping literal
 * text when `unesc`. Pops the parts and the raw text. Returns X_OK or X_ERR (with
 * message set at line/col for unescape errors). */
static int finish_parts(lexer *L, size_t pbase, size_t sbase, bool unesc, uint32_t line, uint32_t col,
                        exs_part **out, uint32_t *out_count) {
    size_t n = L->ps_count - pbase;
    int rc = X_OK;
    if (n == 0) {
        /* finish_extraction: [] -> [[]] */
        rpart e = {0};
        e.off = L->sb_len;
        if (!part_push(L, e)) return X_ERR;
        n = 1;
    }
    exs_part *parts = arena_alloc_zero(L->a, n * sizeof(exs_part));
    if (!parts) {
        L->nomem = true;
        return X_ERR;
    }
    for (size_t i = 0; i < n; i++) {
        rpart *rp = &L->ps[pbase + i];
        exs_part *dp = &parts[i];
        if (rp->is_interp) {
            dp->is_interp = true;
            dp->toks = rp->toks;
            dp->tok_count = rp->tok_count;
            dp->line = rp->line;
            dp->column = rp->column;
            dp->end_line = rp->end_line;
            dp->end_column = rp->end_column;
            continue;
        }
        size_t len = rp->len;
        const uint8_t *s = len ? L->sb + rp->off : (const uint8_t *)""; /* sb may be unallocated */
        if (unesc && len && memchr(s, '\\', len)) {
            L->ub_len = 0;
            const char *err = NULL, *tok = NULL;
            if (unescape(L, s, len, &err, &tok)) {
                fail(L, line, col, "%s. Syntax error after: %s", err, tok);
                rc = X_ERR;
                break;
            }
            s = L->ub;
            len = L->ub_len;
        }
        char *d = arena_alloc(L->a, len + 1);
        if (!d) {
            L->nomem = true;
            rc = X_ERR;
            break;
        }
        if (len) memcpy(d, s, len);
        d[len] = 0;
        dp->data = d;
        dp->len = (uint32_t)len;
    }
    L->ps_count = pbase;
    L->sb_len = sbase;
    *out = parts;
    *out_count = (uint32_t)n;
    return L->nomem ? X_ERR : rc;
}

static void drop_parts(lexer *L, size_t pbase, size_t sbase) {
    L->ps_count = pbase;
    L->sb_len = sbase;
}

/* Appends Elixir's interpolation_format suffix to a {string, ...} error. */
static int string_error(lexer *L, int xr, const char *what, uint32_t line) {
    if (xr == X_ERR_STR) append_msg(L, " (for %s starting at line %u)", what, line);
    return R_ERR;
}

/* extract_heredoc_with_interpolation. c->p at the byte after the opening triple. On
 * success the parts are on L->ps and *indent is set. */
static int extract_heredoc(lexer *L, scope *S, cur *c, bool interpol, uint8_t h, uint32_t line, uint32_t col,
                           size_t pbase, int32_t *indent) {
    const uint8_t *p = c->p;
    while (p < L->end && is_hspace(*p)) p++;
    if (at(L, p, 0) == '\r' && at(L, p, 1) == '\n') p += 2;
    else if (at(L, p, 0) == '\n') p += 1;
    else {
        fail(L, line, col,
             "heredoc allows only zero or more whitespace characters followed by a new line after %c%c%c", h, h, h);
        return X_ERR;
    }
    cur ec = {p, line, col};
    int xr = extract(L, S, &ec, interpol, h, true);
    if (xr != X_OK) {
        if (xr == X_ERR_STR) append_msg(L, " (for heredoc starting at line %u)", line);
        return X_ERR;
    }
    *indent = (int32_t)ec.col - 4;
    if (!heredoc_strip(L, pbase, (size_t)*indent)) return X_ERR;
    *c = ec;
    return X_OK;
}

static int atom_too_long(lexer *L, uint32_t line, uint32_t col, const char *s, size_t n) {
    return fail(L, line, col, "atom length must be less than system limit: %.*s", (int)n, s);
}

/* `:"\xF6"`: escapes can make an atom invalid UTF-8; Elixir's binary_to_atom(_, utf8)
 * raises ArgumentError there. An atom must be UTF-8 (ETF writes ATOM_UTF8_EXT). */
static bool atom_not_utf8(lexer *L, uint32_t line, uint32_t col, const exs_part *part) {
    const uint8_t *s = (const uint8_t *)part->data;
    if (!utf8_invalid(s, s + part->len)) return false;
    fail(L, line, col,
         "invalid UTF-8 in atom (Elixir raises ArgumentError: invalid UTF8 encoding)");
    return true;
}

/* ---- the main loop (tokenize/5) ---- */

/* handle_op / handle_unary_op. */
static int handle_op(lexer *L, scope *S, cur *c, int kind, size_t len, const char *name, bool unary) {
    const uint8_t *rest = c->p + len;
    if (at(L, rest, 0) == ':' && is_space(at(L, rest, 1))) {
        exs_tok *t = push(L, S, EXS_TOK_KW_IDENTIFIER, c->line, c->col, c->p);
        set_name(t, name);
        c->col += (uint32_t)len + 1;
        c->p = rest + 1;
        return R_EOF;
    }
    size_t extra = hspaces(L, rest);
    exs_tok *t;
    if (at(L, rest, extra) == '/') {
        t = push(L, S, EXS_TOK_IDENTIFIER, c->line, c->col, c->p);
    } else if (unary) {
        t = push(L, S, kind, c->line, c->col, c->p);
    } else {
        int32_t eol = previous_was_eol(S);
        t = push_with_eol(L, S, kind, c->line, c->col, c->p);
        t->eol = eol;
    }
    set_name(t, name);
    c->col += (uint32_t)(len + extra);
    c->p = rest + extra;
    return R_EOF;
}

/* The op table used by `:op` atoms and `.op` calls: returns the length (3, 2, 1) of
 * the operator at p (0 if none), per the clause lists of tokenize/5 and handle_dot/6.
 * `dot` selects handle_dot's lists (adds ::, drops -> and .). */
static size_t op_atom_len(const lexer *L, const uint8_t *p, bool dot) {
    int a = at(L, p, 0), b = at(L, p, 1), c3 = at(L, p, 2);
    if (a < 0) return 0;
    /* three */
    if ((a == '~' && b == '~' && c3 == '~') || (a == '=' && b == '=' && c3 == '=') ||
        (a == '!' && b == '=' && c3 == '=') || (a == '&' && b == '&' && c3 == '&') ||
        (a == '|' && b == '|' && c3 == '|') || (a == '<' && b == '<' && c3 == '<') ||
        (a == '>' && b == '>' && c3 == '>') || (a == '~' && b == '>' && c3 == '>') ||
        (a == '<' && b == '<' && c3 == '~') || (a == '<' && b == '~' && c3 == '>') ||
        (a == '<' && b == '|' && c3 == '>') || (a == '^' && b == '^' && c3 == '^') ||
        (a == '+' && b == '+' && c3 == '+') || (a == '-' && b == '-' && c3 == '-'))
        return 3;
    /* two */
    if ((a == '=' && b == '=') || (a == '=' && b == '~') || (a == '!' && b == '=') ||
        (a == '<' && b == '=') || (a == '>' && b == '=') || (a == '&' && b == '&') ||
        (a == '|' && b == '|') || (a == '|' && b == '>') || (a == '~' && b == '>') ||
        (a == '<' && b == '~') || (a == '<' && b == '-') || (a == '\\' && b == '\\') ||
        (a == '+' && b == '+') || (a == '-' && b == '-') || (a == '<' && b == '>') ||
        (a == '*' && b == '*') || (a == '.' && b == '.'))
        return 2;
    if (!dot && a == '-' && b == '>') return 2;
    if (dot && a == ':' && b == ':') return 2;
    /* one */
    if (a == '@' || a == '!' || a == '^' || a == '&' || a == '+' || a == '-' || a == '*' || a == '/' ||
        a == '<' || a == '>' || a == '=' || a == '|')
        return 1;
    if (!dot && a == '.') return 1;
    return 0;
}

static const char *op_name(lexer *L, const uint8_t *p, size_t n) {
    /* Operators are ASCII; names are interned as arena copies (small, once per use). */
    char *s = arena_strndup(L->a, (const char *)p, n);
    if (!s) L->nomem = true;
    return s ? s : "";
}

/* Static names for the common operators avoid an arena copy per token. */
static const char *static_op(const uint8_t *p, size_t n) {
    static const char *const ops[] = {
        "+", "-", "*", "/", "=", "|", "<", ">", "!", "^", "@", "&", ".", "%", "==", "!=", "=~", "<=",
        ">=", "&&", "||", "|>", "~>", "<~", "<-", "\\\\", "++", "--", "<>", "**", "..", "::", "->",
        "//", "=>", "{}", "===", "!==", "&&&", "|||", "<<<", ">>>", "~>>", "<<~", "<~>", "<|>", "^^^",
        "+++", "---", "~~~", "...", "%{}", "..//", "<<>>", NULL};
    for (size_t i = 0; ops[i]; i++)
        if (ops[i][0] == p[0] && strlen(ops[i]) == n && memcmp(ops[i], p, n) == 0) return ops[i];
    return NULL;
}

static const char *opname(lexer *L, const uint8_t *p, size_t n) {
    const char *s = static_op(p, n);
    return s ? s : op_name(L, p, n);
}

/* Binary operator kinds for the 2- and 3-byte operators of tokenize/5. */
static int op3_kind(int a, int b, int c, bool *unary) {
    *unary = false;
    if (a == '~' && b == '~' && c == '~') return (*unary = true), EXS_TOK_UNARY_OP;
    if ((a == '=' && b == '=' && c == '=') || (a == '!' && b == '=' && c == '=')) return EXS_TOK_COMP_OP;
    if (a == '&' && b == '&' && c == '&') return EXS_TOK_AND_OP;
    if (a == '|' && b == '|' && c == '|') return EXS_TOK_OR_OP;
    if (a == '^' && b == '^' && c == '^') return EXS_TOK_XOR_OP;
    if ((a == '+' && b == '+' && c == '+') || (a == '-' && b == '-' && c == '-')) return EXS_TOK_CONCAT_OP;
    if ((a == '<' && b == '<' && c == '<') || (a == '>' && b == '>' && c == '>') ||
        (a == '~' && b == '>' && c == '>') || (a == '<' && b == '<' && c == '~') ||
        (a == '<' && b == '~' && c == '>') || (a == '<' && b == '|' && c == '>'))
        return EXS_TOK_ARROW_OP;
    return -1;
}

/* Two-char operators handled by handle_op, in clause order (// is separate). */
static int op2_kind(int a, int b) {
    if (a == '*' && b == '*') return EXS_TOK_POWER_OP;
    if (a == '.' && b == '.') return EXS_TOK_RANGE_OP;
    if ((a == '+' && b == '+') || (a == '-' && b == '-') || (a == '<' && b == '>')) return EXS_TOK_CONCAT_OP;
    if ((a == '|' && b == '>') || (a == '~' && b == '>') || (a == '<' && b == '~')) return EXS_TOK_ARROW_OP;
    if ((a == '=' && b == '=') || (a == '=' && b == '~') || (a == '!' && b == '=')) return EXS_TOK_COMP_OP;
    if ((a == '<' && b == '=') || (a == '>' && b == '=')) return EXS_TOK_REL_OP;
    if (a == '&' && b == '&') return EXS_TOK_AND_OP;
    if (a == '|' && b == '|') return EXS_TOK_OR_OP;
    if ((a == '<' && b == '-') || (a == '\\' && b == '\\')) return EXS_TOK_IN_MATCH_OP;
    if (a == ':' && b == ':') return EXS_TOK_TYPE_OP;
    if (a == '-' && b == '>') return EXS_TOK_STAB_OP;
    return -1;
}

static int skip_comment(lexer *L, cur *c, const uint8_t **pp) {
    const uint8_t *p = *pp, *end = L->end;
    /* fast scan to newline; bidi characters (E2 80 AA..AE, E2 81 A6..A9) are errors */
    while (p < end) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        const uint8_t *stop = nl ? nl : end;
        const uint8_t *q = p;
        while (q < stop && (q = memchr(q, 0xE2, (size_t)(stop - q))) != NULL) {
            if (stop - q >= 3 && ((q[1] == 0x80 && q[2] >= 0xAA && q[2] <= 0xAE) ||
                                  (q[1] == 0x81 && q[2] >= 0xA6 && q[2] <= 0xA9))) {
                int n;
                uint32_t cp = dec(q, end, &n);
                return fail(L, c->line, c->col, "invalid bidirectional formatting character in comment: \\u%04X", cp);
            }
            q++;
        }
        if (!nl) {
            p = end;
            break;
        }
        /* a comment ends before "\n" or "\r\n"; a lone \r stays in the comment */
        p = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
        break;
    }
    *pp = p;
    return R_EOF;
}

static int lex_keyword(lexer *L, scope *S, cur *c, int kind, int ktype, const char *name, const uint8_t *rest,
                       size_t len) {
    if (ktype == 0) { /* fn do end */
        exs_tok *t = top(S);
        int tk;
        if (kind == EXS_TOK_DO) {
            if (t && t->kind == EXS_TOK_IDENTIFIER) {
                t->kind = EXS_TOK_DO_IDENTIFIER;
                push(L, S, EXS_TOK_DO, c->line, c->col, c->p);
            } else if (t && t->kind == EXS_TOK_FN) {
                return fail(L, c->line, c->col,
                            "unexpected reserved word: do. Anonymous functions are written as:\n\n"
                            "    fn pattern -> expression end");
            } else if (t && (t->kind == EXS_TOK_COMMA || t->kind == EXS_TOK_SEMI)) {
                return fail(L, c->line, c->col, "unexpected reserved word: do%s", lex_invalid_do_suffix);
            } else {
                push_with_eol(L, S, EXS_TOK_DO, c->line, c->col, c->p);
            }
            tk = T_DO;
        } else {
            push(L, S, kind, c->line, c->col, c->p);
            tk = kind == EXS_TOK_FN ? T_FN : -1;
        }
        exs_tok *nt = top(S);
        if (nt) set_name(nt, name);
        uint32_t line = c->line, col = c->col;
        c->col += (uint32_t)len;
        c->p = rest;
        if (tk >= 0) return open_term(L, S, tk, line, col);
        /* end */
        return close_term(L, S, T_DO, line, col, false);
    }
    if (ktype == 1) {
        exs_tok *t = push(L, S, kind, c->line, c->col, c->p);
        set_name(t, name);
    } else if (ktype == 3) {
        exs_tok *t = push(L, S, EXS_TOK_BLOCK_IDENTIFIER, c->line, c->col, c->p);
        set_name(t, name);
    } else {
        size_t ex = hspaces(L, rest);
        exs_tok *t = top(S);
        if (at(L, rest, ex) == '/') {
            t = push(L, S, EXS_TOK_IDENTIFIER, c->line, c->col, c->p);
            set_name(t, name);
        } else if (kind == EXS_TOK_IN_OP && t && t->kind == EXS_TOK_UNARY_OP && t->name_len == 3 && memcmp(t->name, "not", 3) == 0) {
            exs_tok nt = *t;
            S->toks.count--;
            exs_tok *r = push_with_eol(L, S, EXS_TOK_IN_OP, nt.line, nt.column, L->src + nt.offset);
            r->eol = nt.eol;
            set_name(r, "not in");
        } else {
            int32_t eol = previous_was_eol(S);
            t = push_with_eol(L, S, kind, c->line, c->col, c->p);
            t->eol = eol;
            set_name(t, name);
        }
    }
    c->col += (uint32_t)len;
    c->p = rest;
    return R_EOF;
}

/* Strings "..." and '...' including quoted keywords "foo": */
static int lex_string(lexer *L, scope *S, cur *c, uint8_t h) {
    const uint8_t *start = c->p;
    uint32_t line = c->line, col = c->col + 1;
    size_t pbase = L->ps_count, sbase = L->sb_len;
    cur ec = {c->p + 1, line, col};
    int xr = extract(L, S, &ec, true, h, false);
    if (xr != X_OK) {
        drop_parts(L, pbase, sbase);
        return string_error(L, xr, "string", line);
    }
    bool is_kw = at(L, ec.p, 0) == ':' && is_space(at(L, ec.p, 1));
    exs_part *parts;
    uint32_t n;
    if (finish_parts(L, pbase, sbase, true, line, col, &parts, &n) != X_OK) return R_ERR;
    exs_tok *t;
    if (is_kw) {
        if (n == 1 && !parts[0].is_interp) {
            if (parts[0].len > 255) return atom_too_long(L, line, col - 1, parts[0].data, parts[0].len);
            if (atom_not_utf8(L, line, col - 1, &parts[0])) return R_ERR;
            t = push(L, S, EXS_TOK_KW_IDENTIFIER, line, col - 1, start);
            t->name = parts[0].data;
            t->name_len = parts[0].len;
        } else {
            t = push(L, S, EXS_TOK_KW_IDENTIFIER_UNSAFE, line, col - 1, start);
            t->v.str.parts = parts;
            t->v.str.count = n;
        }
        ec.p += 1;
        ec.col += 1;
    } else {
        t = push(L, S, h == '"' ? EXS_TOK_BIN_STRING : EXS_TOK_LIST_STRING, line, col - 1, start);
        t->v.str.parts = parts;
        t->v.str.count = n;
    }
    *c = ec;
    return R_EOF;
}

static int lex_heredoc(lexer *L, scope *S, cur *c, uint8_t h) {
    const uint8_t *start = c->p;
    uint32_t line = c->line, col = c->col;
    size_t pbase = L->ps_count, sbase = L->sb_len;
    cur ec = {c->p + 3, line, col};
    int32_t indent;
    if (extract_heredoc(L, S, &ec, true, h, line, col, pbase, &indent) != X_OK) {
        drop_parts(L, pbase, sbase);
        return R_ERR;
    }
    exs_part *parts;
    uint32_t n;
    if (finish_parts(L, pbase, sbase, true, line, col, &parts, &n) != X_OK) return R_ERR;
    exs_tok *t = push(L, S, h == '"' ? EXS_TOK_BIN_HEREDOC : EXS_TOK_LIST_HEREDOC, line, col, start);
    t->v.str.parts = parts;
    t->v.str.count = n;
    t->v.str.indentation = indent;
    *c = ec;
    return R_EOF;
}

static int lex_sigil(lexer *L, scope *S, cur *c) {
    const uint8_t *start = c->p;
    uint8_t s = c->p[1], h = c->p[2];
    uint32_t line = c->line, col = c->col;
    size_t pbase = L->ps_count, sbase = L->sb_len;
    bool interpol = is_lower(s);
    cur ec;
    int32_t indent = -1;
    char delim[4] = {0};
    if (is_quote(h) && at(L, c->p, 3) == h && at(L, c->p, 4) == h) {
        ec = (cur){c->p + 5, line, col};
        if (extract_heredoc(L, S, &ec, interpol, h, line, col, pbase, &indent) != X_OK) {
            drop_parts(L, pbase, sbase);
            return R_ERR;
        }
        delim[0] = delim[1] = delim[2] = (char)h;
    } else {
        uint8_t closing = h == '(' ? ')' : h == '[' ? ']' : h == '{' ? '}' : h == '<' ? '>' : h;
        ec = (cur){c->p + 3, line, col + 3};
        int xr = extract(L, S, &ec, interpol, closing, false);
        if (xr != X_OK) {
            drop_parts(L, pbase, sbase);
            if (xr == X_ERR_STR) append_msg(L, " (for sigil ~%c%c starting at line %u)", s, h, line);
            return R_ERR;
        }
        delim[0] = (char)h;
    }
    exs_part *parts;
    uint32_t n;
    if (finish_parts(L, pbase, sbase, false, line, col, &parts, &n) != X_OK) return R_ERR;
    const uint8_t *m = ec.p;
    while (m < L->end && (is_lower(*m) || is_upper(*m) || is_digit(*m))) m++;
    exs_tok *t = push(L, S, EXS_TOK_SIGIL, line, col, start);
    t->sigil = s;
    t->v.str.parts = parts;
    t->v.str.count = n;
    t->v.str.indentation = indent;
    char *mods = arena_strndup(L->a, (const char *)ec.p, (size_t)(m - ec.p));
    char *dl = arena_strndup(L->a, delim, strlen(delim));
    if (!mods || !dl) {
        L->nomem = true;
        return R_ERR;
    }
    t->x.sig.modifiers = mods;
    t->x.sig.delimiter = dl;
    ec.col += (uint32_t)(m - ec.p);
    ec.p = m;
    *c = ec;
    return R_EOF;
}

/* :"quoted atom" */
static int lex_quoted_atom(lexer *L, scope *S, cur *c) {
    const uint8_t *start = c->p;
    uint8_t h = c->p[1];
    uint32_t line = c->line, col = c->col;
    size_t pbase = L->ps_count, sbase = L->sb_len;
    cur ec = {c->p + 2, line, col + 2};
    int xr = extract(L, S, &ec, true, h, false);
    if (xr != X_OK) {
        drop_parts(L, pbase, sbase);
        return string_error(L, xr, "atom", line);
    }
    exs_part *parts;
    uint32_t n;
    if (finish_parts(L, pbase, sbase, true, line, col, &parts, &n) != X_OK) return R_ERR;
    exs_tok *t;
    if (n == 1 && !parts[0].is_interp) {
        if (parts[0].len > 255) return atom_too_long(L, line, col, parts[0].data, parts[0].len);
        if (atom_not_utf8(L, line, col, &parts[0])) return R_ERR;
        t = push(L, S, EXS_TOK_ATOM_QUOTED, line, col, start);
        t->name = parts[0].data;
        t->name_len = parts[0].len;
    } else {
        t = push(L, S, EXS_TOK_ATOM_UNSAFE, line, col, start);
        t->v.str.parts = parts;
        t->v.str.count = n;
    }
    *c = ec;
    return R_EOF;
}

static uint32_t count_cps(const uint8_t *s, size_t n) {
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++) k += (s[i] & 0xC0) != 0x80;
    return k;
}

/* tokenize_dot + handle_dot: c->p is just past the '.', c->col is its column + 1. */
static int lex_dot(lexer *L, scope *S, cur *c, const uint8_t *dot_p, uint32_t dline, uint32_t dcol) {
    for (;;) {
        size_t n = hspaces(L, c->p);
        int ch = at(L, c->p, n);
        if (ch == '#') {
            const uint8_t *q = c->p + n + 1;
            if (skip_comment(L, c, &q) != R_EOF) return R_ERR;
            c->p = q;
            c->col = 1;
            continue;
        }
        if (ch == '\r' && at(L, c->p, n + 1) == '\n') {
            c->p += n + 2;
            c->line++;
            c->col = 1;
            continue;
        }
        if (ch == '\n') {
            c->p += n + 1;
            c->line++;
            c->col = 1;
            continue;
        }
        c->p += n;
        c->col += (uint32_t)n;
        break;
    }
    const uint8_t *p = c->p;
    size_t olen = op_atom_len(L, p, true);
    if (olen) {
        exs_tok *d = push_with_eol(L, S, EXS_TOK_DOT, dline, dcol, dot_p);
        set_name(d, ".");
        exs_tok *t = push(L, S, check_call_kind(L, p + olen), c->line, c->col, p);
        t->name = opname(L, p, olen);
        t->name_len = (uint32_t)olen;
        c->p += olen;
        c->col += (uint32_t)olen;
        return R_EOF;
    }
    int ch = at(L, p, 0);
    if (ch == '(') {
        exs_tok *d = push_with_eol(L, S, EXS_TOK_DOT_CALL_OP, dline, dcol, dot_p);
        set_name(d, ".");
        return R_EOF;
    }
    if (is_quote(ch)) {
        uint32_t line = c->line, col = c->col;
        size_t pbase = L->ps_count, sbase = L->sb_len;
        cur ec = {p + 1, line, col + 1};
        int xr = extract(L, S, &ec, true, (uint8_t)ch, false);
        if (xr != X_OK) {
            drop_parts(L, pbase, sbase);
            return string_error(L, xr, "function name", line);
        }
        size_t np = L->ps_count - pbase;
        if (np > 1 || (np == 1 && L->ps[pbase].is_interp)) {
            drop_parts(L, pbase, sbase);
            return fail(L, line, col,
                        "interpolation is not allowed when calling function/macro. Found interpolation in a "
                        "call starting with: %c",
                        ch);
        }
        const uint8_t *s = np ? L->sb + L->ps[pbase].off : (const uint8_t *)"";
        size_t len = np ? L->ps[pbase].len : 0;
        if (count_cps(s, len) > 255) {
            int r = atom_too_long(L, line, col, (const char *)s, len);
            drop_parts(L, pbase, sbase);
            return r;
        }
        exs_tok *d = push_with_eol(L, S, EXS_TOK_DOT, dline, dcol, dot_p);
        set_name(d, ".");
        exs_tok *t = push(L, S, check_call_kind(L, ec.p), line, col, p);
        bool ok = set_name_copy(L, t, s, len);
        drop_parts(L, pbase, sbase);
        if (!ok) return R_ERR;
        *c = ec;
        return R_EOF;
    }
    exs_tok *d = push_with_eol(L, S, EXS_TOK_DOT, dline, dcol, dot_p);
    set_name(d, ".");
    return R_EOF;
}

static const char *kind_word(int k) {
    return k == ID_ALIAS ? "alias" : k == ID_ATOM ? "atom" : "identifier";
}

/* Identifiers, aliases, keywords, kw identifiers (the last clause of tokenize/5). */
static int lex_identifier(lexer *L, scope *S, cur *c) {
    ident id;
    scan_ident(L, c->p, &id);
    if (id.kind == ID_EMPTY) return unexpected_token(L, c->p, c->line, c->col);
    if (id.kind == ID_UNEXPECTED) return unexpected_token(L, id.bad, c->line, c->col + id.length - 1);
    const uint8_t *rest = id.end;
    size_t len = (size_t)(rest - c->p);
    exs_tok *tp = top(S);
    bool prev_dot = tp && tp->kind == EXS_TOK_DOT;
    int r0 = at(L, rest, 0), r1 = at(L, rest, 1);
    bool maybe_kw = !(r0 == ':' && r1 != ':');
    if (!prev_dot && maybe_kw && id.ascii) {
        int ktype;
        const char *kname;
        int kk = keyword_kind(c->p, len, &ktype, &kname);
        if (kk >= 0) return lex_keyword(L, S, c, kk, ktype, kname, rest, len);
    }
    if (r0 == ':' && is_space(r1)) {
        exs_tok *t = push(L, S, EXS_TOK_KW_IDENTIFIER, c->line, c->col, c->p);
        if (!set_ident_name(L, t, c->p, len, id.ascii)) return R_ERR;
        c->col += id.length + 1;
        c->p = rest + 1;
        return R_EOF;
    }
    if (r0 == ':' && r1 >= 0 && r1 != ':')
        return fail(L, c->line, c->col, "keyword argument must be followed by space after: %.*s:", (int)len,
                    (const char *)c->p);
    if (id.has_at)
        return fail(L, c->line, c->col, "invalid character \"@\" (code point U+0040) in %s: %.*s",
                    kind_word(id.kind), (int)len, (const char *)c->p);
    if ((len == 11 && memcmp(c->p, "__aliases__", 11) == 0) || (len == 9 && memcmp(c->p, "__block__", 9) == 0))
        return fail(L, c->line, c->col, "reserved token: %.*s", (int)len, (const char *)c->p);
    if (id.kind == ID_ALIAS) {
        if (!id.ascii || id.has_punct) {
            uint32_t bad = 0;
            for (const uint8_t *q = c->p; q < rest;) {
                int n;
                uint32_t cp = dec(q, L->end, &n);
                if (cp < 'A' || cp > 127) {
                    bad = cp;
                    break;
                }
                q += n;
            }
            char buf[5], hb[8];
            int k = enc_utf8(bad, buf);
            buf[k] = 0;
            return fail(L, c->line, c->col,
                        "invalid character \"%s\" (code point U+%s) in alias (only ASCII characters, without "
                        "punctuation, are allowed): %.*s",
                        buf, hex4(bad, hb), (int)len, (const char *)c->p);
        }
        exs_tok *t = push(L, S, EXS_TOK_ALIAS, c->line, c->col, c->p);
        t->name = (const char *)c->p; /* ASCII, checked above: the source text itself */
        t->name_len = (uint32_t)len;
        c->col += id.length;
        c->p = rest;
        return R_EOF;
    }
    if (id.kind == ID_IDENT) {
        exs_tok *t = push(L, S, check_call_kind(L, rest), c->line, c->col, c->p);
        if (!set_ident_name(L, t, c->p, len, id.ascii)) return R_ERR;
        c->col += id.length;
        c->p = rest;
        return R_EOF;
    }
    return unexpected_token(L, c->p, c->line, c->col);
}

static int lex_close(lexer *L, scope *S, cur *c, int kind, int tk, size_t len, bool in_interp) {
    int32_t eol = previous_was_eol(S);
    uint32_t line = c->line, col = c->col;
    int r = close_term(L, S, tk, line, col, in_interp);
    if (r != R_EOF) return r;
    exs_tok *t = push(L, S, kind, line, col, c->p);
    t->eol = eol;
    c->p += len;
    c->col += (uint32_t)len;
    return R_EOF;
}

static int lex_open(lexer *L, scope *S, cur *c, int kind, int tk, size_t len) {
    exs_tok *t = top(S);
    if (kind == EXS_TOK_LPAREN && t && t->kind == EXS_TOK_ALIAS) {
        return fail(L, c->line, c->col + 1,
                    "unexpected ( after alias %.*s. Function names and identifiers in Elixir "
                    "start with lowercase characters or underscore. For example:\n\n"
                    "    hello_world()\n"
                    "    _starting_with_underscore()\n"
                    "    numb3rs_are_allowed()\n"
                    "    may_finish_with_question_mark?()\n"
                    "    may_finish_with_exclamation_mark!()\n\n"
                    "Unexpected token: (",
                    (int)t->name_len, t->name);
    }
    int r = open_term(L, S, tk, c->line, c->col);
    if (r != R_EOF) return r;
    push(L, S, kind, c->line, c->col, c->p);
    c->p += len;
    c->col += (uint32_t)len;
    return R_EOF;
}

static int simple(lexer *L, scope *S, cur *c, int kind, size_t len, const char *name) {
    exs_tok *t = push(L, S, kind, c->line, c->col, c->p);
    if (name) set_name(t, name);
    c->p += len;
    c->col += (uint32_t)len;
    return R_EOF;
}

#define KW_SPACE(str) (starts(L, p, str) && is_space(at(L, p, sizeof(str) - 1)))

static int run(lexer *L, scope *S, cur *c, bool in_interp) {
    const uint8_t *end = L->end;
    for (;;) {
        if (L->nomem) return R_ERR;
        const uint8_t *p = c->p;
        if (p >= end) {
            if (S->nterms) {
                term *t = &S->terms[S->nterms - 1];
                fail(L, c->line, c->col, "missing terminator: %s (for \"%s\" starting at line %u)",
                     term_close[t->kind], term_open[t->kind], t->line);
                missing_terminator_hint(L, S, t->kind);
                return R_ERR;
            }
            return R_EOF;
        }
        int ch = *p, c1 = at(L, p, 1), c2 = at(L, p, 2);
        int r = R_EOF;
        switch (ch) {
        case ' ':
        case '\t': {
            size_t n = 1 + hspaces(L, p + 1);
            c->p += n;
            c->col += (uint32_t)n;
            /* handle_space_sensitive_tokens */
            int s = at(L, c->p, 0), m = at(L, c->p, 1);
            exs_tok *t = top(S);
            if ((s == '+' || s == '-') && m >= 0 && !is_space(m) && m != '(' && m != '[' && m != '<' && m != '{' &&
                m != '%' && m != '+' && m != '-' && m != '/' && m != '>' && m != ':' && t &&
                t->kind == EXS_TOK_IDENTIFIER) {
                t->kind = EXS_TOK_OP_IDENTIFIER;
                r = simple(L, S, c, EXS_TOK_DUAL_OP, 1, s == '+' ? "+" : "-");
            }
            break;
        }
        case '\n':
        case '\r':
            if (ch == '\r' && c1 != '\n') {
                r = unexpected_token(L, p, c->line, c->col);
                break;
            }
            {
                exs_tok *t = top(S);
                if (t && (t->kind == EXS_TOK_COMMA || t->kind == EXS_TOK_SEMI || t->kind == EXS_TOK_EOL))
                    t->eol++;
                else {
                    t = push(L, S, EXS_TOK_EOL, c->line, c->col, p);
                    t->eol = 1;
                }
                p += ch == '\r' ? 2 : 1;
                size_t n = hspaces(L, p);
                S->indentation = (uint32_t)n;
                c->p = p + n;
                c->line++;
                c->col = (uint32_t)n + 1;
            }
            break;
        case '#': {
            const uint8_t *q = p + 1;
            r = skip_comment(L, c, &q);
            if (r == R_EOF) {
                exs_tok *t = top(S);
                if (t && t->kind == EXS_TOK_EOL) t->eol = 0;
                c->p = q;
            }
            break;
        }
        case ',': {
            exs_tok *t = push(L, S, EXS_TOK_COMMA, c->line, c->col, p);
            t->eol = 0;
            c->p++;
            c->col++;
            break;
        }
        case ';': {
            exs_tok *t = top(S);
            if (t && t->kind == EXS_TOK_SEMI) {
                r = unexpected_token(L, p, c->line, c->col);
                break;
            }
            t = push(L, S, EXS_TOK_SEMI, c->line, c->col, p);
            t->eol = 0;
            c->p++;
            c->col++;
            break;
        }
        case '(': r = lex_open(L, S, c, EXS_TOK_LPAREN, T_PAREN, 1); break;
        case '[': r = lex_open(L, S, c, EXS_TOK_LBRACKET, T_BRACKET, 1); break;
        case '{':
            if (KW_SPACE("{}:")) {
                r = simple(L, S, c, EXS_TOK_KW_IDENTIFIER, 3, "{}");
            } else
                r = lex_open(L, S, c, EXS_TOK_LCURLY, T_CURLY, 1);
            break;
        case ')': r = lex_close(L, S, c, EXS_TOK_RPAREN, T_PAREN, 1, in_interp); break;
        case ']': r = lex_close(L, S, c, EXS_TOK_RBRACKET, T_BRACKET, 1, in_interp); break;
        case '}': r = lex_close(L, S, c, EXS_TOK_RCURLY, T_CURLY, 1, in_interp); break;
        case '"':
        case '\'':
            if (c1 == ch && c2 == ch) r = lex_heredoc(L, S, c, (uint8_t)ch);
            else r = lex_string(L, S, c, (uint8_t)ch);
            break;
        case '?':
            if (c1 == '\\' && c2 >= 0) {
                int n;
                uint32_t h = dec(p + 2, end, &n);
                uint32_t v = h;
                switch (h) {
                case '0': v = 0; break;
                case 'a': v = 7; break;
                case 'b': v = 8; break;
                case 'd': v = 127; break;
                case 'e': v = 27; break;
                case 'f': v = 12; break;
                case 'n': v = 10; break;
                case 'r': v = 13; break;
                case 's': v = 32; break;
                case 't': v = 9; break;
                case 'v': v = 11; break;
                default: break;
                }
                exs_tok *t = push(L, S, EXS_TOK_CHAR, c->line, c->col, p);
                t->v.i = v;
                if (!set_original(L, t, p, 2 + (size_t)n)) return R_ERR;
                c->p += 2 + n;
                c->col += 3;
            } else if (c1 >= 0) {
                int n;
                uint32_t h = dec(p + 1, end, &n);
                exs_tok *t = push(L, S, EXS_TOK_CHAR, c->line, c->col, p);
                t->v.i = h;
                if (!set_original(L, t, p, 1 + (size_t)n)) return R_ERR;
                c->p += 1 + n;
                c->col += 2;
            } else
                r = unexpected_token(L, p, c->line, c->col);
            break;
        case '~':
            if (c1 >= 0 && (is_upper(c1) || is_lower(c1)) && c2 >= 0) {
                if (c2 == '/' || c2 == '<' || c2 == '"' || c2 == '\'' || c2 == '[' || c2 == '(' || c2 == '{' ||
                    c2 == '|') {
                    r = lex_sigil(L, S, c);
                } else {
                    int n;
                    uint32_t h = dec(p + 2, end, &n);
                    char buf[5], hb[8];
                    int k = enc_utf8(h, buf);
                    buf[k] = 0;
                    r = fail(L, c->line, c->col,
                             "invalid sigil delimiter: \"%s\" (column %u, code point U+%s). The available "
                             "delimiters are: //, ||, \"\", '', (), [], {}, <>",
                             buf, c->col + 2, hex4(h, hb));
                }
                break;
            }
            goto ops;
        case ':':
            if (c1 == '"' || c1 == '\'') {
                /* op atoms are tried first but none starts with a quote */
                r = lex_quoted_atom(L, S, c);
                break;
            }
            {
                static const char *const special[] = {"...", "<<>>", "%{}", "%", "{}", "..//"};
                size_t sl = 0;
                const char *sn = NULL;
                for (size_t i = 0; i < 6; i++) {
                    size_t n = strlen(special[i]);
                    if ((size_t)(end - p) >= n + 1 && memcmp(p + 1, special[i], n) == 0) {
                        sl = n, sn = special[i];
                        break;
                    }
                }
                if (sn) {
                    r = simple(L, S, c, EXS_TOK_ATOM, sl + 1, sn);
                    break;
                }
                size_t ol = op_atom_len(L, p + 1, false);
                if (ol == 3) {
                    r = simple(L, S, c, EXS_TOK_ATOM, 4, opname(L, p + 1, 3));
                    break;
                }
                if (c1 == ':' && c2 == ':') {
                    r = simple(L, S, c, EXS_TOK_ATOM, 3, "::");
                    break;
                }
                if (ol) {
                    r = simple(L, S, c, EXS_TOK_ATOM, ol + 1, opname(L, p + 1, ol));
                    break;
                }
                if (c1 == ':') {
                    r = handle_op(L, S, c, EXS_TOK_TYPE_OP, 2, "::", false);
                    break;
                }
                if (c1 < 0) {
                    r = unexpected_token(L, p, c->line, c->col);
                    break;
                }
                ident id;
                scan_ident(L, p + 1, &id);
                if (id.kind == ID_EMPTY) {
                    r = unexpected_token(L, p, c->line, c->col);
                } else if (id.kind == ID_UNEXPECTED) {
                    r = unexpected_token(L, id.bad, c->line, c->col + id.length - 1);
                } else {
                    exs_tok *t = push(L, S, EXS_TOK_ATOM, c->line, c->col, p);
                    if (!set_ident_name(L, t, p + 1, (size_t)(id.end - p - 1), id.ascii)) return R_ERR;
                    c->col += 1 + id.length;
                    c->p = id.end;
                }
            }
            break;
        case '0':
            if (c1 == 'x' && c2 >= 0 && is_hex(c2)) {
                r = lex_base_int(L, S, c, 16);
                break;
            }
            if (c1 == 'b' && (c2 == '0' || c2 == '1')) {
                r = lex_base_int(L, S, c, 2);
                break;
            }
            if (c1 == 'o' && c2 >= '0' && c2 <= '7') {
                r = lex_base_int(L, S, c, 8);
                break;
            }
            /* fallthrough */
        case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
            r = lex_number(L, S, c);
            break;
        case '.':
            if (KW_SPACE(".:")) {
                r = simple(L, S, c, EXS_TOK_KW_IDENTIFIER, 2, ".");
            } else if (KW_SPACE("...:")) {
                r = simple(L, S, c, EXS_TOK_KW_IDENTIFIER, 4, "...");
            } else if (KW_SPACE("..//:")) {
                r = simple(L, S, c, EXS_TOK_KW_IDENTIFIER, 5, "..//");
            } else if (c1 == '.' && c2 == '.') {
                exs_tok *t = push(L, S, check_call_kind(L, p + 3), c->line, c->col, p);
                set_name(t, "...");
                c->p += 3;
                c->col += 3;
            } else if (c1 == '.' && c2 == '/' && at(L, p, 3) == '/') {
                size_t ex = hspaces(L, p + 4);
                if (at(L, p, 4 + ex) == '/') {
                    exs_tok *t = push(L, S, EXS_TOK_IDENTIFIER, c->line, c->col, p);
                    set_name(t, "..//");
                    c->p += 4 + ex;
                    c->col += (uint32_t)(4 + ex);
                } else
                    r = unexpected_token(L, p, c->line, c->col);
            } else if (c1 == '.') {
                r = handle_op(L, S, c, EXS_TOK_RANGE_OP, 2, "..", false);
            } else {
                uint32_t dl = c->line, dc = c->col;
                c->p++;
                c->col++;
                r = lex_dot(L, S, c, p, dl, dc);
            }
            break;
        case '%':
            if (KW_SPACE("%{}:")) r = simple(L, S, c, EXS_TOK_KW_IDENTIFIER, 4, "%{}");
            else if (KW_SPACE("%:")) r = simple(L, S, c, EXS_TOK_KW_IDENTIFIER, 2, "%");
            else if (c1 == '(' || c1 == '[')
                r = fail(L, c->line, c->col, "expected %%{ to define a map, got: %%%c", c1);
            else if (c1 == '{') {
                simple(L, S, c, EXS_TOK_MAP, 1, "%{}");
            } else
                r = simple(L, S, c, EXS_TOK_PERCENT, 1, "%");
            break;
        case '&':
            if (KW_SPACE("&:")) {
                r = simple(L, S, c, EXS_TOK_KW_IDENTIFIER, 2, "&");
                break;
            }
            if (c1 == '&' && c2 == '&') {
                r = handle_op(L, S, c, EXS_TOK_AND_OP, 3, "&&&", false);
                break;
            }
            if (c1 == '&') {
                r = handle_op(L, S, c, EXS_TOK_AND_OP, 2, "&&", false);
                break;
            }
            {
                size_t n = hspaces(L, p + 1);
                int kind = EXS_TOK_CAPTURE_OP;
                if (at(L, p, 1 + n) == '/') {
                    size_t m = hspaces(L, p + 2 + n);
                    if (at(L, p, 2 + n + m) != '/') kind = EXS_TOK_IDENTIFIER;
                }
                r = simple(L, S, c, kind, 1, "&");
            }
            break;
        case '<':
            if (c->col == 1 && starts(L, p, "<<<<<<<")) {
                const uint8_t *q = p;
                while (q < end && *q != '\n' && *q != '\r') q++;
                r = fail(L, c->line, 1,
                         "found an unexpected version control marker, please resolve the conflicts: %.*s",
                         (int)(q - p), (const char *)p);
                break;
            }
            if (KW_SPACE("<<>>:")) {
                r = simple(L, S, c, EXS_TOK_KW_IDENTIFIER, 5, "<<>>");
                break;
            }
            goto ops;
        case '\\':
            if (c1 == '\\') goto ops;
            if (c1 < 0 || (c1 == '\n' && c2 < 0) || (c1 == '\r' && c2 == '\n' && at(L, p, 3) < 0)) {
                r = fail(L, c->line, c->col, "invalid escape \\ at end of file");
                break;
            }
            if (c1 == '\n' || (c1 == '\r' && c2 == '\n')) {
                p += c1 == '\n' ? 2 : 3;
                size_t n = hspaces(L, p);
                S->indentation = (uint32_t)n;
                c->p = p + n;
                c->line++;
                c->col = (uint32_t)n + 1;
                break;
            }
            r = unexpected_token(L, p, c->line, c->col);
            break;
        case '=':
            if (c1 == '>') {
                int32_t eol = previous_was_eol(S);
                exs_tok *t = push_with_eol(L, S, EXS_TOK_ASSOC_OP, c->line, c->col, p);
                t->eol = eol;
                set_name(t, "=>");
                c->p += 2;
                c->col += 2;
                break;
            }
            goto ops;
        case '!': case '^': case '|': case '+': case '-': case '*': case '/': case '>': case '@':
        ops: {
            bool unary;
            int k3 = c2 >= 0 ? op3_kind(ch, c1, c2, &unary) : -1;
            if (k3 >= 0) {
                r = handle_op(L, S, c, k3, 3, opname(L, p, 3), unary);
                break;
            }
            if (ch == '<' && c1 == '<') {
                r = lex_open(L, S, c, EXS_TOK_LBIT, T_BIT, 2);
                break;
            }
            if (ch == '>' && c1 == '>') {
                r = lex_close(L, S, c, EXS_TOK_RBIT, T_BIT, 2, in_interp);
                break;
            }
            if (ch == '/' && c1 == '/') {
                int32_t eol = previous_was_eol(S);
                exs_tok *t = push_with_eol(L, S, EXS_TOK_TERNARY_OP, c->line, c->col, p);
                t->eol = eol;
                set_name(t, "//");
                c->p += 2;
                c->col += 2;
                break;
            }
            int k2 = c1 >= 0 ? op2_kind(ch, c1) : -1;
            if (k2 >= 0) {
                r = handle_op(L, S, c, k2, 2, opname(L, p, 2), false);
                break;
            }
            switch (ch) {
            case '@': r = handle_op(L, S, c, EXS_TOK_AT_OP, 1, "@", true); break;
            case '!': r = handle_op(L, S, c, EXS_TOK_UNARY_OP, 1, "!", true); break;
            case '^': r = handle_op(L, S, c, EXS_TOK_UNARY_OP, 1, "^", true); break;
            case '<': r = handle_op(L, S, c, EXS_TOK_REL_OP, 1, "<", false); break;
            case '>': r = handle_op(L, S, c, EXS_TOK_REL_OP, 1, ">", false); break;
            case '+': r = handle_op(L, S, c, EXS_TOK_DUAL_OP, 1, "+", true); break;
            case '-': r = handle_op(L, S, c, EXS_TOK_DUAL_OP, 1, "-", true); break;
            case '*': r = handle_op(L, S, c, EXS_TOK_MULT_OP, 1, "*", false); break;
            case '/': r = handle_op(L, S, c, EXS_TOK_MULT_OP, 1, "/", false); break;
            case '=': r = handle_op(L, S, c, EXS_TOK_MATCH_OP, 1, "=", false); break;
            case '|': r = handle_op(L, S, c, EXS_TOK_PIPE_OP, 1, "|", false); break;
            default: r = lex_identifier(L, S, c); break; /* '~' alone, '\\' */
            }
            break;
        }
        default:
            r = lex_identifier(L, S, c);
            break;
        }
        if (r != R_EOF) return r;
    }
}

lex_status lex_tokenize(exs_arena *a, const char *src, size_t len, unsigned max_depth, exs_tok **out_toks,
                        unsigned *out_count, exs_diag *err) {
    lexer L;
    memset(&L, 0, sizeof(L));
    L.a = a;
    L.src = (const uint8_t *)src;
    L.end = L.src + len;
    L.max_depth = max_depth ? max_depth : DEFAULT_MAX_DEPTH;
    if (out_toks) *out_toks = NULL;
    if (out_count) *out_count = 0;
    if (len > UINT32_MAX) {
        diag_set(err, 1, 1, "input too large");
        return LEX_ERR_SYNTAX;
    }
    const uint8_t *bad = utf8_invalid(L.src, L.end);
    if (bad) {
        uint32_t line = 1, col = 1;
        for (const uint8_t *q = L.src; q < bad; q++) {
            if (*q == '\n') line++, col = 1;
            else if ((*q & 0xC0) != 0x80) col++;
        }
        diag_set(err, line, col, "invalid UTF-8");
        return LEX_ERR_SYNTAX;
    }
    scope S;
    memset(&S, 0, sizeof(S));
    if (!tok_grow(&L, &S.toks, len / 4 + 16)) {
        diag_set(err, 1, 1, "out of memory");
        return LEX_ERR_NOMEM;
    }
    cur c = {L.src, 1, 1};
    int r = run(&L, &S, &c, false);
    lex_status st = LEX_OK;
    if (L.nomem || arena_failed(a)) {
        st = LEX_ERR_NOMEM;
        diag_set(err, c.line, c.col, "out of memory");
    } else if (r != R_EOF) {
        st = L.too_deep ? LEX_ERR_DEPTH : LEX_ERR_SYNTAX;
        if (err) *err = L.diag;
    } else {
        push(&L, &S, EXS_TOK_EOF, c.line, c.col, L.end);
        exs_tok *toks;
        uint32_t n;
        if (L.nomem || !copy_toks(&L, &S, &toks, &n)) {
            st = LEX_ERR_NOMEM;
            diag_set(err, c.line, c.col, "out of memory");
        } else {
            if (out_toks) *out_toks = toks;
            if (out_count) *out_count = n;
        }
    }
    scope_free(&S);
    free(L.sb);
    free(L.ps);
    free(L.ub);
    return st;
}
