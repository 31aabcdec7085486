/* token.h: the tokens the lexer hands the parser.
 *
 * They mirror elixir_tokenizer.erl (Elixir 1.14) one for one: same kinds, same
 * positions, same rewriting of earlier tokens (identifier -> do_identifier /
 * op_identifier, eol merging into ',' ';' and operators, `not in`), so the parser can
 * follow elixir_parser.yrl rule by rule. Where Elixir's token is
 * `{Kind, {Line, Column, Extra}, Value}`, we keep Kind, Line, Column, Extra (when it is
 * an eol count) and Value.
 *
 * Ownership: all tokens and their payloads live in the arena given to lex_tokenize(),
 * except x.lit.original and some names, which point into the source buffer (valid
 * while it is). */
#ifndef EXS_TOKEN_H
#define EXS_TOKEN_H

#include <stdbool.h>
#include <stdint.h>

/* Kind name = the Erlang token atom. */
#define EXS_TOK_KINDS(X)                                                           \
    X(EOF, "$end")                                                                 \
    X(IDENTIFIER, "identifier")                                                    \
    X(KW_IDENTIFIER, "kw_identifier")                                              \
    X(KW_IDENTIFIER_SAFE, "kw_identifier_safe")                                    \
    X(KW_IDENTIFIER_UNSAFE, "kw_identifier_unsafe")                                \
    X(BRACKET_IDENTIFIER, "bracket_identifier")                                    \
    X(PAREN_IDENTIFIER, "paren_identifier")                                        \
    X(DO_IDENTIFIER, "do_identifier")                                              \
    X(BLOCK_IDENTIFIER, "block_identifier")                                        \
    X(OP_IDENTIFIER, "op_identifier")                                              \
    X(FN, "fn")                                                                    \
    X(END, "end")                                                                  \
    X(ALIAS, "alias")                                                              \
    X(ATOM, "atom")                                                                \
    X(ATOM_QUOTED, "atom_quoted")                                                  \
    X(ATOM_SAFE, "atom_safe")                                                      \
    X(ATOM_UNSAFE, "atom_unsafe")                                                  \
    X(BIN_STRING, "bin_string")                                                    \
    X(LIST_STRING, "list_string")                                                  \
    X(SIGIL, "sigil")                                                              \
    X(BIN_HEREDOC, "bin_heredoc")                                                  \
    X(LIST_HEREDOC, "list_heredoc")                                                \
    X(COMP_OP, "comp_op")                                                          \
    X(AT_OP, "at_op")                                                              \
    X(UNARY_OP, "unary_op")                                                        \
    X(AND_OP, "and_op")                                                            \
    X(OR_OP, "or_op")                                                              \
    X(ARROW_OP, "arrow_op")                                                        \
    X(MATCH_OP, "match_op")                                                        \
    X(IN_OP, "in_op")                                                              \
    X(IN_MATCH_OP, "in_match_op")                                                  \
    X(TYPE_OP, "type_op")                                                          \
    X(DUAL_OP, "dual_op")                                                          \
    X(MULT_OP, "mult_op")                                                          \
    X(POWER_OP, "power_op")                                                        \
    X(CONCAT_OP, "concat_op")                                                      \
    X(RANGE_OP, "range_op")                                                        \
    X(XOR_OP, "xor_op")                                                            \
    X(PIPE_OP, "pipe_op")                                                          \
    X(STAB_OP, "stab_op")                                                          \
    X(WHEN_OP, "when_op")                                                          \
    X(ASSOC_OP, "assoc_op")                                                        \
    X(CAPTURE_OP, "capture_op")                                                    \
    X(REL_OP, "rel_op")                                                            \
    X(TERNARY_OP, "ternary_op")                                                    \
    X(DOT_CALL_OP, "dot_call_op")                                                  \
    X(TRUE, "true")                                                                \
    X(FALSE, "false")                                                              \
    X(NIL, "nil")                                                                  \
    X(DO, "do")                                                                    \
    X(EOL, "eol")                                                                  \
    X(SEMI, ";")                                                                   \
    X(COMMA, ",")                                                                  \
    X(DOT, ".")                                                                    \
    X(LPAREN, "(")                                                                 \
    X(RPAREN, ")")                                                                 \
    X(LBRACKET, "[")                                                               \
    X(RBRACKET, "]")                                                               \
    X(LCURLY, "{")                                                                 \
    X(RCURLY, "}")                                                                 \
    X(LBIT, "<<")                                                                  \
    X(RBIT, ">>")                                                                  \
    X(MAP, "%{}")                                                                  \
    X(PERCENT, "%")                                                                \
    X(INT, "int")                                                                  \
    X(FLT, "flt")                                                                  \
    X(CHAR, "char")

typedef enum {
#define X(name, str) EXS_TOK_##name,
    EXS_TOK_KINDS(X)
#undef X
    EXS_TOK__COUNT
} exs_tok_kind;

const char *exs_tok_kind_name(exs_tok_kind k);

typedef struct exs_tok exs_tok;

/* One part of a string, heredoc, quoted atom/keyword or sigil: either a literal piece
 * (already unescaped exactly as Elixir's tokenizer does for that token kind; for
 * sigils the raw text as tokens_to_binary gives it) or an interpolation `#{...}` with
 * its own token list (the tokens Elixir's tokenizer produced for the inside, ending
 * with an EOF token) and the positions of `#{` and `}`. */
typedef struct exs_part {
    bool is_interp;
    const char *data; /* literal: bytes (may contain NUL) */
    uint32_t len;
    exs_tok *toks; /* interpolation: tokens, toks[tok_count-1].kind == EXS_TOK_EOF */
    uint32_t tok_count;
    uint32_t line, column;         /* interpolation: position of '#' of "#{" */
    uint32_t end_line, end_column; /* interpolation: position of the closing '}' */
} exs_part;

/* 64 bytes: the lexer writes about one token per 6 bytes of source, so the size of
 * this struct is most of the lexer's memory traffic. */
struct exs_tok {
    uint8_t kind;  /* exs_tok_kind */
    bool is_big;   /* INT: value does not fit int64; see big */
    uint8_t sigil; /* SIGIL: the letter */
    uint8_t reserved;
    uint32_t line;
    uint32_t column;
    /* The third element of Elixir's location when it is an eol count (for ',' ';' eol
     * and tokens built with previous_was_eol/next_is_eol): -1 means `nil`. */
    int32_t eol;
    uint32_t offset; /* byte offset of the token's first byte in its source */
    uint32_t name_len;
    /* Atom value for identifiers, keywords, aliases, atoms, operators (e.g. "+",
     * "not in", "when"), block identifiers ("else") and kw_identifier ("do" for do:).
     * UTF-8, name_len bytes, NOT NUL-terminated: ASCII identifiers and aliases point
     * straight into the source buffer. */
    const char *name;
    union {
        int64_t i; /* INT (when !is_big), CHAR (code point) */
        double f;  /* FLT */
        struct {
            const uint8_t *mag; /* little-endian magnitude bytes; ints are never negative */
            uint32_t len;
        } big;
        struct {
            exs_part *parts; /* strings, heredocs, quoted atoms/keywords, sigils */
            uint32_t count;
            int32_t indentation; /* heredocs and sigils: -1 = nil */
        } str;
    } v;
    union {
        struct {
            const char *modifiers; /* modifier letters, NUL-terminated ("" if none) */
            const char *delimiter; /* the opening delimiter: "(", "\"\"\"", ... */
        } sig;                     /* SIGIL */
        struct {
            const char *original; /* source text of the literal ("0x1F", "?a"); points
                                     into the source buffer, not NUL-terminated */
            uint32_t original_len;
        } lit; /* INT, FLT, CHAR */
    } x;
};


#endif
