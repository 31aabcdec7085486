/* parser.c: tokens -> Elixir AST, a recursive-descent port of elixir_parser.yrl (1.14).
 *
 * Design. Elixir's grammar is LALR(1) with three expression classes, and so is this
 * parser: every parse returns an expression and its class,
 *   MATCHED   plain expressions and calls with parens or one no-parens argument,
 *   UNMATCHED expressions holding a do-block call (`if a do b end + 1`),
 *   NOPARENS  no-parens calls with several arguments or an ambiguous one (`f a, b`).
 * Containers, parenthesised call arguments and no-parens arguments accept only some
 * classes, exactly as the grammar's container_expr, call_args_parens_expr and
 * call_args_no_parens_expr do, with the same errors.
 *
 * The LALR conflicts Elixir resolves by precedence become three rules here:
 *   1. a no-parens call takes its arguments greedily, commas included (`f g a, b` is
 *      f(g(a, b))), and its arguments are full expressions (`f a + b` is f(a + b));
 *   2. a `do` block belongs to the outermost no-parens call being parsed: arguments
 *      of a no-parens call are parsed with NODO, so `foo bar baz do end` is
 *      foo(bar(baz)) do end;
 *   3. binary operators use precedence climbing with the grammar's table; `@` binds
 *      tighter than `.` (`@a.b` is (@a).b), unary operators looser (`-a.b` is -(a.b)),
 *      `&` at 90.
 * Terms are built with the exact metadata (keys and order) of the grammar's Erlang
 * code, so the ETF written from the tree equals Code.string_to_quoted/2's term.
 *
 * Errors: syntax errors longjmp out to parse_tokens() with a diagnostic; the tree is
 * left for the caller to free. Recursion is bounded by opts->max_depth.
 *
 * Called by: src/parse/parse.c (exs_parse). */
#include "parser.h"
#include "lexer.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_MATCHED, C_UNMATCHED, C_NOPARENS };
#define TERMS_PER_LEVEL 8 /* term nesting per max_depth level (deep_term); a sigil with
                            interpolation takes 8, a case clause 7 */
enum { FL_NODO = 1 };

typedef struct E {
    exs_ref r;
    uint8_t cls;
    bool can_postfix; /* a `.`/`[` may follow (false after no-parens args, do blocks) */
} E;

typedef struct atom_slot {
    const char *s;
    uint32_t len;
    exs_ref ref;
} atom_slot;

typedef struct P {
    exs_tree *t;
    const exs_tok *tk;
    unsigned n, i;
    bool columns, tm;
    unsigned max_depth, depth;
    unsigned term_depth_max; /* bound on the nesting of built terms; see deep_term() */
    exs_diag *err;
    jmp_buf jb;
    parse_status status;
    exs_ref *stk;
    unsigned sp, scap;
    atom_slot *atoms;
    unsigned acap, acount;
    /* For each `(` of the current token array: index of its `)` and whether it holds
     * a top-level comma or `->` (computed once, so stab-head checks stay linear). */
    uint32_t *pmatch;
    uint8_t *pinfo;
    const exs_tok *pmatch_for;
    /* Common atoms. */
    exs_ref a_block, a_dot, a_aliases, a_stab, a_when, a_do, a_curly, a_bin, a_concat_type,
        a_kernel, a_to_string, a_binary, a_list_mod, a_to_charlist, a_erlang, a_access,
        a_get, a_pct, a_map, a_utf8, a_nil, a_keyword;
    /* Location metas ([line: l] / [line: l, column: c]) are immutable and shared:
     * a direct-mapped cache keyed by position (ref 0 is nil, never a meta: empty). */
    struct { uint32_t line, col; exs_ref ref; } mcache[512];
} P;

/* ---- errors ------------------------------------------------------------------ */

static _Noreturn void fail_at(P *p, uint32_t line, uint32_t col, parse_status st,
                              const char *fmt, ...) {
    if (p->err) {
        char msg[sizeof(p->err->message)];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        diag_set(p->err, line, col, "%s", msg);
    }
    p->status = st;
    longjmp(p->jb, 1);
}

/* How yecc prints the token an error is "before" (yecctoken2string: the token's value
 * through Erlang's ~tp), then how elixir_errors:parse_error/5 rewrites that text, so a
 * message reads exactly as Elixir's compiler reports it. */

/* Erlang writes an atom bare when it starts with a lowercase Latin-1 letter, goes on
 * with Latin-1 letters, digits, _ and @, and is no Erlang reserved word. */
static bool erl_atom_bare(const char *s, size_t n) {
    static const char *const reserved[] = {
        "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor",
        "case", "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or",
        "orelse", "receive", "rem", "try", "when", "xor"};
    if (!n) return false;
    for (size_t i = 0; i < n;) {
        uint32_t c = (uint8_t)s[i];
        size_t k = 1;
        if (c >= 0x80) { /* two-byte UTF-8 covers Latin-1; anything longer is quoted */
            if ((c & 0xE0) != 0xC0 || i + 1 >= n) return false;
            c = ((c & 0x1F) << 6) | ((uint8_t)s[i + 1] & 0x3F);
            k = 2;
        }
        bool lower = (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7);
        bool name = lower || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '@' || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
        if (i == 0 ? !lower : !name) return false;
        i += k;
    }
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strlen(reserved[i]) == n && memcmp(reserved[i], s, n) == 0) return false;
    return true;
}

static void put_atom(char *buf, size_t cap, const char *s, size_t n) {
    if (erl_atom_bare(s, n)) {
        snprintf(buf, cap, "%.*s", (int)n, s);
        return;
    }
    size_t k = 0;
    buf[k++] = '\'';
    for (size_t i = 0; i < n && k + 4 < cap; i++) {
        if (s[i] == '\'' || s[i] == '\\') buf[k++] = '\\';
        buf[k++] = s[i];
    }
    buf[k++] = '\'';
    buf[k] = 0;
}

/* A string-like token's value is a list of parts; Elixir shows the first literal part
 * in double quotes, or a lone `"` when the value starts with an interpolation. */
static void put_first_part(char *buf, size_t cap, const exs_tok *t) {
    const exs_part *pt = t->v.str.count ? &t->v.str.parts[0] : NULL;
    if (pt && !pt->is_interp)
        snprintf(buf, cap, "\"%.*s\"", (int)(pt->len > 200 ? 200 : pt->len), pt->data);
    else
        snprintf(buf, cap, "\"");
}

static void tok_text(const exs_tok *t, char *buf, size_t cap) {
    switch (t->kind) {
    case EXS_TOK_EOF: buf[0] = 0; return;
    case EXS_TOK_EOL: snprintf(buf, cap, "eol"); return;
    case EXS_TOK_BIN_STRING: case EXS_TOK_LIST_STRING: case EXS_TOK_BIN_HEREDOC:
    case EXS_TOK_LIST_HEREDOC: case EXS_TOK_ATOM_SAFE: case EXS_TOK_ATOM_UNSAFE:
    case EXS_TOK_KW_IDENTIFIER_SAFE: case EXS_TOK_KW_IDENTIFIER_UNSAFE:
        put_first_part(buf, cap, t);
        return;
    case EXS_TOK_INT: case EXS_TOK_FLT: /* the value is the source text, a charlist */
        snprintf(buf, cap, "\"%.*s\"", (int)(t->x.lit.original_len > 60 ? 60 : t->x.lit.original_len),
                 t->x.lit.original ? t->x.lit.original : "");
        return;
    case EXS_TOK_CHAR: { /* io_lib:write_char/1 gives $c; Elixir turns the $ into ? */
        static const char esc[] = {['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\v'] = 'v',
                                   ['\f'] = 'f', ['\r'] = 'r', [27] = 'e', [' '] = 's'};
        int64_t c = t->v.i;
        if (c < (int64_t)sizeof(esc) && esc[c]) snprintf(buf, cap, "?\\%c", esc[c]);
        else if (c == 127) snprintf(buf, cap, "?\\d");
        else if (c == '\\') snprintf(buf, cap, "?\\\\");
        else if (c < 32 || (c >= 127 && c < 160)) snprintf(buf, cap, "?\\%03o", (unsigned)c);
        else if (c < 128) snprintf(buf, cap, "?%c", (char)c);
        else { /* printable: the character itself, as UTF-8 */
            char u[5] = {0};
            if (c < 0x800) u[0] = (char)(0xC0 | (c >> 6)), u[1] = (char)(0x80 | (c & 0x3F));
            else if (c < 0x10000)
                u[0] = (char)(0xE0 | (c >> 12)), u[1] = (char)(0x80 | ((c >> 6) & 0x3F)),
                u[2] = (char)(0x80 | (c & 0x3F));
            else
                u[0] = (char)(0xF0 | (c >> 18)), u[1] = (char)(0x80 | ((c >> 12) & 0x3F)),
                u[2] = (char)(0x80 | ((c >> 6) & 0x3F)), u[3] = (char)(0x80 | (c & 0x3F));
            snprintf(buf, cap, "?%s", u);
        }
        return;
    }
    default:
        if (t->name) {
            put_atom(buf, cap, t->name, t->name_len);
        } else {
            const char *k = exs_tok_kind_name((exs_tok_kind)t->kind);
            put_atom(buf, cap, k, strlen(k));
        }
    }
}

static const char reserved_suffix[] =
    "\" is a reserved word in Elixir and therefore its usage is limited. For instance, it "
    "can't be used as a variable or be defined nor invoked as a regular function";

/* Whether a token of this kind can end an expression (so `<expr> foo:` follows it). */
static bool ends_expr(int k) {
    switch (k) {
    case EXS_TOK_IDENTIFIER: case EXS_TOK_ALIAS: case EXS_TOK_ATOM: case EXS_TOK_ATOM_QUOTED:
    case EXS_TOK_ATOM_SAFE: case EXS_TOK_ATOM_UNSAFE: case EXS_TOK_BIN_STRING:
    case EXS_TOK_LIST_STRING: case EXS_TOK_SIGIL: case EXS_TOK_BIN_HEREDOC:
    case EXS_TOK_LIST_HEREDOC: case EXS_TOK_INT: case EXS_TOK_FLT: case EXS_TOK_CHAR:
    case EXS_TOK_TRUE: case EXS_TOK_FALSE: case EXS_TOK_NIL: case EXS_TOK_END:
    case EXS_TOK_RPAREN: case EXS_TOK_RBRACKET: case EXS_TOK_RCURLY: case EXS_TOK_RBIT:
        return true;
    default: return false;
    }
}

static _Noreturn void fail_before(P *p, const exs_tok *t) {
    static const char *const reserved[] = {"'not'", "'and'", "'or'", "'when'", "'after'",
                                           "'catch'", "'end'", "fn", "else", "rescue",
                                           "true", "false", "nil", "in"};
    char b[300];
    if (t->kind == EXS_TOK_EOF) {
        /* yecc places an error at end of input on the last token it read. */
        const exs_tok *last = t > p->tk ? t - 1 : t;
        fail_at(p, last->line, last->column, PARSE_ERR_SYNTAX,
                "syntax error: expression is incomplete");
    }
    if (t->kind == EXS_TOK_SIGIL) {
        const exs_part *pt = t->v.str.count ? &t->v.str.parts[0] : NULL;
        bool lit = pt && !pt->is_interp;
        fail_at(p, t->line, t->column, PARSE_ERR_SYNTAX,
                "syntax error before: sigil ~%c starting with content '%.*s'", t->sigil,
                lit ? (int)(pt->len > 200 ? 200 : pt->len) : 0, lit ? pt->data : "");
    }
    /* error_invalid_kw_identifier: a keyword right after an expression (`1 foo:`);
     * after a newline yecc reports the bare name instead. */
    if (t->kind == EXS_TOK_KW_IDENTIFIER && t > p->tk && ends_expr(t[-1].kind)) {
        if (t->name_len == 2 && memcmp(t->name, "do", 2) == 0)
            fail_at(p, t->line, t->column, PARSE_ERR_SYNTAX, "unexpected keyword: do:%s",
                    lex_invalid_do_suffix);
        fail_at(p, t->line, t->column, PARSE_ERR_SYNTAX, "syntax error before: '%.*s:'",
                (int)t->name_len, t->name);
    }
    tok_text(t, b, sizeof b);
    if (strcmp(b, "eol") == 0)
        fail_at(p, t->line, t->column, PARSE_ERR_SYNTAX,
                "unexpectedly reached end of line. The current expression is invalid or "
                "incomplete");
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
        if (strcmp(b, reserved[i]) != 0) continue;
        const char *w = b[0] == '\'' ? b + 1 : b;
        int n = (int)strlen(w) - (b[0] == '\'');
        fail_at(p, t->line, t->column, PARSE_ERR_SYNTAX,
                "syntax error before: %.*s. \"%.*s%s", n, w, n, w, reserved_suffix);
    }
    fail_at(p, t->line, t->column, PARSE_ERR_SYNTAX, "syntax error before: %s", b);
}

static void check_nomem(P *p) {
    if (p->t->failed) {
        p->status = PARSE_ERR_NOMEM;
        longjmp(p->jb, 1);
    }
}

/* ---- tokens ------------------------------------------------------------------ */

static inline const exs_tok *peek(P *p) { return &p->tk[p->i]; }
static inline int kind(P *p) { return p->tk[p->i].kind; }
static inline int kind_at(P *p, unsigned k) {
    unsigned j = p->i + k;
    return j < p->n ? p->tk[j].kind : EXS_TOK_EOF;
}
static inline const exs_tok *advance(P *p) {
    const exs_tok *t = &p->tk[p->i];
    if (p->i + 1 < p->n) p->i++;
    return t;
}
static const exs_tok *expect(P *p, int k) {
    if (kind(p) != k) fail_before(p, peek(p));
    return advance(p);
}
/* Skips one optional eol; returns its newline count or -1 (next_is_eol). */
static int32_t skip_eol(P *p) {
    if (kind(p) == EXS_TOK_EOL) return advance(p)->eol;
    return -1;
}
static bool is_kw(int k) {
    return k == EXS_TOK_KW_IDENTIFIER || k == EXS_TOK_KW_IDENTIFIER_SAFE ||
           k == EXS_TOK_KW_IDENTIFIER_UNSAFE;
}

/* ---- ref stack ---------------------------------------------------------------- */

static void push(P *p, exs_ref r) {
    if (p->sp == p->scap) {
        unsigned cap = p->scap ? p->scap * 2 : 256;
        exs_ref *s = realloc(p->stk, cap * sizeof(exs_ref));
        if (!s) {
            p->status = PARSE_ERR_NOMEM;
            longjmp(p->jb, 1);
        }
        p->stk = s;
        p->scap = cap;
    }
    p->stk[p->sp++] = r;
}
static exs_ref pop_list(P *p, unsigned mark) {
    exs_ref l = tree_list(p->t, p->stk + mark, p->sp - mark);
    p->sp = mark;
    return l;
}

/* ---- terms -------------------------------------------------------------------- */

/* Word-at-a-time multiplicative hash: names are short, most fit in one or two words. */
static uint32_t hash_bytes(const char *s, uint32_t len) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 29;
        s += 8;
        len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, len);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 32;
    return (uint32_t)h;
}

/* Atoms are interned per tree: one node per distinct name (the tree is a DAG there). */
static exs_ref atom_n(P *p, const char *s, uint32_t len) {
    if (p->acount * 2 >= p->acap) {
        unsigned cap = p->acap ? p->acap * 2 : 512;
        atom_slot *na = calloc(cap, sizeof(atom_slot));
        if (!na) {
            p->status = PARSE_ERR_NOMEM;
            longjmp(p->jb, 1);
        }
        for (unsigned i = 0; i < p->acap; i++) {
            if (!p->atoms[i].s) continue;
            uint32_t h = hash_bytes(p->atoms[i].s, p->atoms[i].len) & (cap - 1);
            while (na[h].s) h = (h + 1) & (cap - 1);
            na[h] = p->atoms[i];
        }
        free(p->atoms);
        p->atoms = na;
        p->acap = cap;
    }
    uint32_t h = hash_bytes(s, len) & (p->acap - 1);
    while (p->atoms[h].s) {
        if (p->atoms[h].len == len && memcmp(p->atoms[h].s, s, len) == 0) return p->atoms[h].ref;
        h = (h + 1) & (p->acap - 1);
    }
    exs_ref r = tree_atom(p->t, s, len);
    check_nomem(p);
    const exs_term *n = tree_get(p->t, r);
    p->atoms[h] = (atom_slot){n->v.s, len, r};
    p->acount++;
    return r;
}
static exs_ref atom(P *p, const char *s) { return atom_n(p, s, (uint32_t)strlen(s)); }
static exs_ref tok_atom(P *p, const exs_tok *t) { return atom_n(p, t->name ? t->name : "", t->name_len); }

/* enter() bounds recursion, but loops nest terms too: `1+1+1...` and `a.b.c...` are
 * left-deep, `((1+1...)+1...)` nests loop in loop, so the AST could be far deeper than
 * max_depth and overflow the stack of the recursive writers and node-ID walk. Every
 * tuple (each nesting step makes one) checks its recorded depth instead. */
static void deep_term(P *p, exs_ref r) {
    if (tree_get(p->t, r)->depth <= p->term_depth_max) return;
    const exs_tok *t = p->i ? &p->tk[p->i - 1] : p->tk;
    fail_at(p, t->line, t->column, PARSE_ERR_DEPTH,
            "nesting too deep: more than %u levels (limit)", p->max_depth);
}
static exs_ref tuple3(P *p, exs_ref a, exs_ref b, exs_ref c) {
    exs_ref r = tree_tuple3(p->t, a, b, c);
    check_nomem(p);
    deep_term(p, r);
    return r;
}
static exs_ref tuple2(P *p, exs_ref a, exs_ref b) {
    exs_ref r = tree_tuple2(p->t, a, b);
    check_nomem(p);
    deep_term(p, r);
    return r;
}
static exs_ref list2(P *p, exs_ref a, exs_ref b) {
    exs_ref k[2] = {a, b};
    return tree_list(p->t, k, 2);
}
static exs_ref list1(P *p, exs_ref a) { return tree_list(p->t, &a, 1); }

/* ---- metadata ----------------------------------------------------------------- */

typedef struct MB {
    exs_meta_kv kv[16];
    unsigned n;
} MB;

static void mb_int(MB *m, exs_meta_key k, int64_t v) {
    if (m->n < 16) m->kv[m->n++] = (exs_meta_kv){(uint16_t)k, 0, (uint32_t)v};
}
static void mb_ref(MB *m, exs_meta_key k, exs_ref r) {
    if (m->n < 16) m->kv[m->n++] = (exs_meta_kv){(uint16_t)k, 1, r};
}
static void mb_loc(P *p, MB *m, uint32_t line, uint32_t col) {
    mb_int(m, EXS_META_LINE, line);
    if (p->columns) mb_int(m, EXS_META_COLUMN, col);
}
static void mb_tok(P *p, MB *m, const exs_tok *t) { mb_loc(p, m, t->line, t->column); }
/* Appends the entries of an existing META node. */
static void mb_cat(P *p, MB *m, exs_ref meta) {
    const exs_term *n = tree_get(p->t, meta);
    for (uint32_t i = 0; i < n->len && m->n < 16; i++) m->kv[m->n++] = n->v.kv[i];
}
static exs_ref mb_done(P *p, MB *m) {
    exs_ref r = tree_meta(p->t, m->kv, m->n);
    check_nomem(p);
    return r;
}
static exs_ref meta_loc(P *p, uint32_t line, uint32_t col) {
    if (!p->columns) col = 0;
    unsigned h = (line * 64u + col) & 511u;
    if (p->mcache[h].ref && p->mcache[h].line == line && p->mcache[h].col == col)
        return p->mcache[h].ref;
    MB m = {.n = 0};
    mb_loc(p, &m, line, col);
    exs_ref r = mb_done(p, &m);
    p->mcache[h].line = line;
    p->mcache[h].col = col;
    p->mcache[h].ref = r;
    return r;
}
static exs_ref meta_tok(P *p, const exs_tok *t) { return meta_loc(p, t->line, t->column); }
static exs_ref meta_empty(P *p) {
    MB m = {.n = 0};
    return mb_done(p, &m);
}
/* newlines_pair(Left, Right): [newlines: N, closing: [...]] under token_metadata. */
static void mb_newlines_pair(P *p, MB *m, int32_t open_eol, const exs_tok *close) {
    if (!p->tm) return;
    if (open_eol > 0) mb_int(m, EXS_META_NEWLINES, open_eol);
    mb_ref(m, EXS_META_CLOSING, meta_tok(p, close));
}
static void mb_newlines_op(P *p, MB *m, int32_t eol) {
    if (p->tm && eol > 0) mb_int(m, EXS_META_NEWLINES, eol);
}

static exs_ref node_meta(P *p, exs_ref node) { return tree_get(p->t, node)->v.kids[1]; }
static bool is_call(P *p, exs_ref r) { return tree_is_call(p->t, r); }
static exs_ref kid(P *p, exs_ref r, unsigned i) { return tree_get(p->t, r)->v.kids[i]; }
static void set_meta(P *p, exs_ref node, exs_ref meta) {
    /* Our own arena memory: the kids array was allocated by tree_tuple3. */
    ((exs_ref *)tree_get(p->t, node)->v.kids)[1] = meta;
    exs_term *n = &p->t->nodes[node]; /* keep its depth exact */
    uint16_t d = tree_get(p->t, meta)->depth;
    if (d < EXS_DEPTH_MAX && d + 1 > n->depth) n->depth = (uint16_t)(d + 1);
}
static bool call_is(P *p, exs_ref r, exs_ref name_atom, int nargs) {
    if (!is_call(p, r) || kid(p, r, 0) != name_atom) return false;
    if (nargs < 0) return true;
    const exs_term *a = tree_get(p->t, kid(p, r, 2));
    return a->kind == EXS_TERM_LIST && a->len == (uint32_t)nargs;
}

/* ---- forward declarations ----------------------------------------------------- */

static E parse_expr(P *p, unsigned fl);
static E parse_prec(P *p, int min_prec, unsigned fl);
static E parse_unary(P *p, unsigned fl);
static E parse_postfix(P *p, E base, unsigned fl);
static E parse_at(P *p, unsigned fl, bool outer);
static E prec_loop(P *p, E left, int min_prec, unsigned fl);
static exs_ref parse_grammar(P *p);
static exs_ref parse_kw(P *p, int mode, unsigned fl, bool *out_noparens);
static exs_ref parse_stab_block(P *p, bool *out_is_stab, const exs_tok **out_first_stab);
static void paren_index(P *p);

static void enter(P *p, const exs_tok *t) {
    if (++p->depth > p->max_depth)
        fail_at(p, t->line, t->column, PARSE_ERR_DEPTH,
                "nesting too deep: more than %u levels (limit)", p->max_depth);
}
static void leave(P *p) { p->depth--; }

/* ---- blocks -------------------------------------------------------------------- */

/* build_block/1: one expression stays itself, except `not x`/`!x` and
 * unquote_splicing(x), which are wrapped so the block survives. */
static exs_ref build_block_from(P *p, unsigned mark) {
    unsigned cnt = p->sp - mark;
    if (cnt == 1) {
        exs_ref e = p->stk[mark];
        bool wrap = false;
        if (is_call(p, e)) {
            exs_ref h = kid(p, e, 0);
            const exs_term *a = tree_get(p->t, kid(p, e, 2));
            if (a->kind == EXS_TERM_LIST && a->len == 1 &&
                (tree_is_atom(p->t, h, "not") || tree_is_atom(p->t, h, "!") ||
                 tree_is_atom(p->t, h, "unquote_splicing")))
                wrap = true;
        }
        if (!wrap) {
            p->sp = mark;
            return e;
        }
    }
    exs_ref l = pop_list(p, mark);
    return tuple3(p, p->a_block, meta_empty(p), l);
}
static exs_ref empty_block(P *p) {
    return tuple3(p, p->a_block, meta_empty(p), tree_empty_list(p->t));
}

/* annotate_eoe: prepend end_of_expression to the expression before an eoe. */
static void annotate_eoe(P *p, unsigned idx, const exs_tok *eoe) {
    if (!p->tm) return;
    exs_ref e = p->stk[idx];
    if (!is_call(p, e)) return;
    exs_ref target = e;
    if (kid(p, e, 0) == p->a_stab) {
        const exs_term *args = tree_get(p->t, kid(p, e, 2));
        if (args->kind == EXS_TERM_LIST && args->len == 2 && is_call(p, args->v.kids[1]))
            target = args->v.kids[1];
    }
    MB eo = {.n = 0};
    if (eoe->eol >= 0) mb_int(&eo, EXS_META_NEWLINES, eoe->eol);
    mb_tok(p, &eo, eoe);
    MB m = {.n = 0};
    mb_ref(&m, EXS_META_END_OF_EXPRESSION, mb_done(p, &eo));
    mb_cat(p, &m, node_meta(p, target));
    set_meta(p, target, mb_done(p, &m));
}

/* Consumes an eoe (eol | ';' | eol ';'); returns the token that carries it or NULL. */
static const exs_tok *eat_eoe(P *p) {
    if (kind(p) == EXS_TOK_EOL) {
        const exs_tok *t = advance(p);
        if (kind(p) == EXS_TOK_SEMI) advance(p);
        return t;
    }
    if (kind(p) == EXS_TOK_SEMI) return advance(p);
    return NULL;
}

/* ---- literals ------------------------------------------------------------------ */

static exs_ref number(P *p, const exs_tok *t) {
    exs_ref r;
    if (t->kind == EXS_TOK_FLT)
        r = tree_float(p->t, t->v.f);
    else if (t->kind == EXS_TOK_INT && t->is_big)
        r = tree_bigint(p->t, t->v.big.mag, t->v.big.len, false);
    else
        r = tree_int(p->t, t->v.i);
    check_nomem(p);
    return r;
}

/* Decodes UTF-8 into a charlist (list of code points); bytes that are not valid UTF-8
 * become their byte value. */
static exs_ref charlist(P *p, const char *s, uint32_t len) {
    unsigned mark = p->sp;
    const unsigned char *u = (const unsigned char *)s;
    for (uint32_t i = 0; i < len;) {
        uint32_t c = u[i];
        unsigned need = 0;
        if (c >= 0xF0 && c <= 0xF4) need = 3, c &= 7;
        else if (c >= 0xE0 && c <= 0xEF) need = 2, c &= 15;
        else if (c >= 0xC2 && c <= 0xDF) need = 1, c &= 31;
        bool ok = i + need < len;
        for (unsigned j = 1; ok && j <= need; j++) {
            if ((u[i + j] & 0xC0) != 0x80) ok = false;
            else c = (c << 6) | (u[i + j] & 0x3F);
        }
        if (!ok) {
            c = u[i];
            need = 0;
        }
        push(p, tree_int(p->t, c));
        i += need + 1;
    }
    check_nomem(p);
    return pop_list(p, mark);
}

/* The parts of a string-like token: binaries and `#{}` interpolations.
 * as_charlist selects charlist_part (List.to_charlist) over string_part (::binary). */
static exs_ref string_parts(P *p, const exs_tok *t, bool as_charlist) {
    unsigned mark = p->sp;
    for (uint32_t i = 0; i < t->v.str.count; i++) {
        const exs_part *pt = &t->v.str.parts[i];
        if (!pt->is_interp) {
            exs_ref b = tree_binary(p->t, pt->data, pt->len);
            check_nomem(p);
            push(p, b);
            continue;
        }
        /* string_tokens_parse: the inside is a whole program of its own. */
        const exs_tok *stk = p->tk;
        unsigned sn = p->n, si = p->i;
        uint32_t *spm = p->pmatch;
        uint8_t *spi = p->pinfo;
        const exs_tok *spf = p->pmatch_for;
        p->pmatch = NULL;
        p->pinfo = NULL;
        p->pmatch_for = NULL;
        p->tk = pt->toks;
        p->n = pt->tok_count;
        p->i = 0;
        enter(p, t);
        exs_ref form = parse_grammar(p);
        leave(p);
        free(p->pmatch);
        free(p->pinfo);
        p->pmatch = spm;
        p->pinfo = spi;
        p->pmatch_for = spf;
        p->tk = stk;
        p->n = sn;
        p->i = si;
        exs_ref m = meta_loc(p, pt->line, pt->column);
        exs_ref mx = m;
        if (p->tm) {
            MB b = {.n = 0};
            mb_ref(&b, EXS_META_CLOSING, meta_loc(p, pt->end_line, pt->end_column));
            mb_loc(p, &b, pt->line, pt->column);
            mx = mb_done(p, &b);
        }
        exs_ref dot = tuple3(p, p->a_dot, m, list2(p, p->a_kernel, p->a_to_string));
        exs_ref call = tuple3(p, dot, mx, list1(p, form));
        if (as_charlist) {
            push(p, call);
        } else {
            exs_ref bin = tuple3(p, p->a_binary, m, p->a_nil);
            push(p, tuple3(p, p->a_concat_type, m, list2(p, call, bin)));
        }
    }
    check_nomem(p);
    return pop_list(p, mark);
}

static bool single_binary(const exs_tok *t) {
    return t->v.str.count == 1 && !t->v.str.parts[0].is_interp;
}

static exs_ref delim_bin(P *p, const char *d) {
    exs_ref r = tree_binary(p->t, d, strlen(d));
    check_nomem(p);
    return r;
}

/* build_bin_string / build_bin_heredoc. */
static exs_ref bin_string(P *p, const exs_tok *t) {
    if (single_binary(t)) {
        exs_ref r = tree_binary(p->t, t->v.str.parts[0].data, t->v.str.parts[0].len);
        check_nomem(p);
        return r;
    }
    MB m = {.n = 0};
    if (p->tm) {
        if (t->kind == EXS_TOK_BIN_HEREDOC) {
            mb_ref(&m, EXS_META_DELIMITER, delim_bin(p, "\"\"\""));
            mb_int(&m, EXS_META_INDENTATION, t->v.str.indentation);
        } else {
            mb_ref(&m, EXS_META_DELIMITER, delim_bin(p, "\""));
        }
    }
    mb_tok(p, &m, t);
    exs_ref meta = mb_done(p, &m);
    return tuple3(p, p->a_bin, meta, string_parts(p, t, false));
}

/* build_list_string / build_list_heredoc. */
static exs_ref list_string(P *p, const exs_tok *t) {
    if (single_binary(t)) return charlist(p, t->v.str.parts[0].data, t->v.str.parts[0].len);
    exs_ref meta = meta_tok(p, t);
    exs_ref mx = meta;
    if (p->tm) {
        MB m = {.n = 0};
        if (t->kind == EXS_TOK_LIST_HEREDOC) {
            mb_ref(&m, EXS_META_DELIMITER, delim_bin(p, "'''"));
            mb_int(&m, EXS_META_INDENTATION, t->v.str.indentation);
        } else {
            mb_ref(&m, EXS_META_DELIMITER, delim_bin(p, "'"));
        }
        mb_cat(p, &m, meta);
        mx = mb_done(p, &m);
    }
    exs_ref dot = tuple3(p, p->a_dot, meta, list2(p, p->a_list_mod, p->a_to_charlist));
    return tuple3(p, dot, mx, list1(p, string_parts(p, t, true)));
}

/* build_quoted_atom: atom_safe/atom_unsafe and kw_identifier_safe/unsafe. */
static exs_ref quoted_atom(P *p, const exs_tok *t, bool safe, bool is_kw) {
    if (single_binary(t)) return atom_n(p, t->v.str.parts[0].data, t->v.str.parts[0].len);
    exs_ref meta = meta_tok(p, t);
    exs_ref mx = meta;
    if (p->tm) {
        MB m = {.n = 0};
        if (is_kw)
            mb_ref(&m, EXS_META_FORMAT, p->a_keyword);
        else
            mb_ref(&m, EXS_META_DELIMITER, delim_bin(p, "\""));
        mb_cat(p, &m, meta);
        mx = mb_done(p, &m);
    }
    exs_ref fun = atom(p, safe ? "binary_to_existing_atom" : "binary_to_atom");
    exs_ref dot = tuple3(p, p->a_dot, meta, list2(p, p->a_erlang, fun));
    exs_ref bin = tuple3(p, p->a_bin, meta, string_parts(p, t, false));
    return tuple3(p, dot, mx, list2(p, bin, p->a_utf8));
}

static exs_ref sigil(P *p, const exs_tok *t) {
    char name[8] = "sigil_";
    name[6] = (char)t->sigil;
    MB m = {.n = 0};
    mb_ref(&m, EXS_META_DELIMITER, delim_bin(p, t->x.sig.delimiter ? t->x.sig.delimiter : ""));
    mb_tok(p, &m, t);
    exs_ref meta = mb_done(p, &m);
    MB bm = {.n = 0};
    if (t->v.str.indentation >= 0) mb_int(&bm, EXS_META_INDENTATION, t->v.str.indentation);
    mb_tok(p, &bm, t);
    exs_ref bin = tuple3(p, p->a_bin, mb_done(p, &bm), string_parts(p, t, false));
    const char *mods = t->x.sig.modifiers ? t->x.sig.modifiers : "";
    exs_ref ml = charlist(p, mods, (uint32_t)strlen(mods));
    return tuple3(p, atom(p, name), meta, list2(p, bin, ml));
}

/* ---- operators ----------------------------------------------------------------- */

/* Binary precedence from the grammar's table; 0 = not a binary operator here. */
static int binop_prec(int k, bool *right) {
    *right = false;
    switch (k) {
    case EXS_TOK_IN_MATCH_OP: return 40;
    case EXS_TOK_WHEN_OP: *right = true; return 50;
    case EXS_TOK_TYPE_OP: *right = true; return 60;
    case EXS_TOK_PIPE_OP: *right = true; return 70;
    case EXS_TOK_MATCH_OP: *right = true; return 100;
    case EXS_TOK_OR_OP: return 110;
    case EXS_TOK_AND_OP: return 130;
    case EXS_TOK_COMP_OP: return 140;
    case EXS_TOK_REL_OP: return 150;
    case EXS_TOK_ARROW_OP: return 160;
    case EXS_TOK_IN_OP: return 170;
    case EXS_TOK_XOR_OP: return 180;
    case EXS_TOK_TERNARY_OP: *right = true; return 190;
    case EXS_TOK_CONCAT_OP: *right = true; return 200;
    case EXS_TOK_RANGE_OP: *right = true; return 200;
    case EXS_TOK_DUAL_OP: return 210;
    case EXS_TOK_MULT_OP: return 220;
    case EXS_TOK_POWER_OP: return 230;
    default: return 0;
    }
}

/* Operators whose `_eol` rule applies next_is_eol (the newline count moves onto the op). */
static bool op_next_is_eol(int k) { return k != EXS_TOK_MATCH_OP; }

/* build_op/3. */
static exs_ref build_op(P *p, exs_ref left, const exs_tok *op, int32_t eol, exs_ref right) {
    if (op->kind == EXS_TOK_TERNARY_OP) {
        /* `//` only completes a range: a..b//c is {:..//, range_meta, [a, b, c]} */
        if (call_is(p, left, atom(p, ".."), 2)) {
            const exs_term *a = tree_get(p->t, kid(p, left, 2));
            exs_ref k3[3] = {a->v.kids[0], a->v.kids[1], right};
            exs_ref l = tree_list(p->t, k3, 3);
            return tuple3(p, atom(p, "..//"), node_meta(p, left), l);
        }
        fail_at(p, op->line, op->column, PARSE_ERR_SYNTAX,
                "the range step operator (//) must immediately follow the range definition "
                "operator (..), for example: 1..9//2. If you wanted to define a default "
                "argument, use (\\\\) instead. Syntax error before: '//'");
    }
    if (op->kind == EXS_TOK_IN_OP && op->name_len == 2 && is_call(p, left)) {
        /* Deprecated `not a in b` / `!a in b`: rearranged into not(a in b). */
        exs_ref h = kid(p, left, 0);
        const exs_term *a = tree_get(p->t, kid(p, left, 2));
        if (a->kind == EXS_TERM_LIST && a->len == 1 &&
            (tree_is_atom(p->t, h, "not") || tree_is_atom(p->t, h, "!"))) {
            exs_ref m = meta_tok(p, op);
            exs_ref in = tuple3(p, atom(p, "in"), m, list2(p, a->v.kids[0], right));
            return tuple3(p, h, m, list1(p, in));
        }
    }
    if (op->kind == EXS_TOK_IN_OP && op->name_len == 6) { /* "not in" */
        exs_ref m = meta_tok(p, op);
        exs_ref in = tuple3(p, atom(p, "in"), m, list2(p, left, right));
        return tuple3(p, atom(p, "not"), m, list1(p, in));
    }
    MB m = {.n = 0};
    mb_newlines_op(p, &m, eol);
    mb_tok(p, &m, op);
    return tuple3(p, tok_atom(p, op), mb_done(p, &m), list2(p, left, right));
}

static exs_ref build_unary(P *p, const exs_tok *op, exs_ref operand) {
    if (op->kind == EXS_TOK_TERNARY_OP) {
        /* `//x` as a unary operator: the grammar builds {:/, _, [{:/, _, nil}, x]}. */
        MB o = {.n = 0}, in = {.n = 0};
        mb_int(&o, EXS_META_LINE, op->line);
        mb_int(&in, EXS_META_LINE, op->line);
        if (p->columns) {
            mb_int(&o, EXS_META_COLUMN, op->column + 1);
            mb_int(&in, EXS_META_COLUMN, op->column);
        }
        exs_ref slash = atom(p, "/");
        exs_ref inner = tuple3(p, slash, mb_done(p, &in), p->a_nil);
        return tuple3(p, slash, mb_done(p, &o), list2(p, inner, operand));
    }
    return tuple3(p, tok_atom(p, op), meta_tok(p, op), list1(p, operand));
}

/* ---- calls ---------------------------------------------------------------------- */

enum { CALLEE_ID, CALLEE_DOT, CALLEE_DOTCALL };

typedef struct Callee {
    int kind;
    const exs_tok *id; /* identifier token (ID, DOT) */
    exs_ref dot;       /* {:., meta, [left, name]} or {:., meta, [left]} */
    exs_ref dot_meta;  /* DOTCALL: the call's meta */
} Callee;

/* build_identifier + the BlockMeta ++ ArgsMeta prefix of build_parens/do blocks.
 * args == EXS_REF_NONE means "no arguments" (a variable or a no_parens dot call). */
static exs_ref build_call(P *p, const Callee *c, exs_ref args, const MB *prefix) {
    MB m = {.n = 0};
    if (prefix) m = *prefix;
    exs_ref head;
    if (c->kind == CALLEE_ID) {
        head = tok_atom(p, c->id);
        if (args != EXS_REF_NONE && c->id->kind == EXS_TOK_OP_IDENTIFIER &&
            tree_get(p->t, args)->len == 1)
            mb_ref(&m, EXS_META_AMBIGUOUS_OP, p->a_nil);
        mb_tok(p, &m, c->id);
        return tuple3(p, head, mb_done(p, &m), args == EXS_REF_NONE ? p->a_nil : args);
    }
    if (c->kind == CALLEE_DOT) {
        if (args == EXS_REF_NONE) mb_ref(&m, EXS_META_NO_PARENS, tree_true(p->t));
        mb_tok(p, &m, c->id);
    } else {
        if (args == EXS_REF_NONE) mb_ref(&m, EXS_META_NO_PARENS, tree_true(p->t));
        mb_cat(p, &m, c->dot_meta);
    }
    return tuple3(p, c->dot, mb_done(p, &m), args == EXS_REF_NONE ? tree_empty_list(p->t) : args);
}

static exs_ref append_list(P *p, exs_ref a, exs_ref b) {
    const exs_term *la = tree_get(p->t, a), *lb = tree_get(p->t, b);
    if (!lb->len) return a;
    unsigned mark = p->sp;
    for (uint32_t i = 0; i < la->len; i++) push(p, tree_get(p->t, a)->v.kids[i]);
    for (uint32_t i = 0; i < lb->len; i++) push(p, tree_get(p->t, b)->v.kids[i]);
    return pop_list(p, mark);
}

/* do_block: returns the `[[do: ..., else: ...]]` list and fills the do/end meta. */
static exs_ref parse_do_block(P *p, MB *block_meta) {
    const exs_tok *dot = expect(p, EXS_TOK_DO);
    enter(p, dot);
    eat_eoe(p);
    unsigned mark = p->sp;
    exs_ref body;
    if (kind(p) == EXS_TOK_END || kind(p) == EXS_TOK_BLOCK_IDENTIFIER) {
        body = empty_block(p);
    } else {
        bool is_stab;
        const exs_tok *fs;
        body = parse_stab_block(p, &is_stab, &fs);
    }
    push(p, tuple2(p, p->a_do, body));
    while (kind(p) == EXS_TOK_BLOCK_IDENTIFIER) {
        const exs_tok *bt = advance(p);
        eat_eoe(p);
        exs_ref b;
        if (kind(p) == EXS_TOK_END || kind(p) == EXS_TOK_BLOCK_IDENTIFIER) {
            b = empty_block(p);
        } else {
            bool is_stab;
            const exs_tok *fs;
            b = parse_stab_block(p, &is_stab, &fs);
        }
        push(p, tuple2(p, tok_atom(p, bt), b));
    }
    if (kind(p) != EXS_TOK_END) fail_before(p, peek(p));
    const exs_tok *end = advance(p);
    exs_ref kw = pop_list(p, mark);
    if (p->tm) {
        mb_ref(block_meta, EXS_META_DO, meta_tok(p, dot));
        mb_ref(block_meta, EXS_META_END, meta_tok(p, end));
    }
    leave(p);
    return list1(p, kw);
}

/* maybe_bad_keyword_call_follow_up / maybe_bad_keyword_data_follow_up */
static const char kw_follow_up_call[] =
    "unexpected expression after keyword list. Keyword lists must always come as the last "
    "argument. Therefore, this is not allowed:\n\n"
    "    function_call(1, some: :option, 2)\n\n"
    "Instead, wrap the keyword in brackets:\n\n"
    "    function_call(1, [some: :option], 2)\n\n"
    "Syntax error after: ','";
static const char kw_follow_up_data[] =
    "unexpected expression after keyword list. Keyword lists must always come last in lists "
    "and maps. Therefore, this is not allowed:\n\n"
    "    [some: :value, :another]\n"
    "    %{some: :value, another => value}\n\n"
    "Instead, reorder it to be the last entry:\n\n"
    "    [:another, some: :value]\n"
    "    %{another => value, some: :value}\n\n"
    "Syntax error after: ','";

static _Noreturn void error_no_parens_many_strict(P *p, exs_ref node) {
    int64_t line = tree_meta_int(p->t, node, EXS_META_LINE);
    int64_t col = tree_meta_int(p->t, node, EXS_META_COLUMN);
    fail_at(p, line < 0 ? 0 : (uint32_t)line, col < 0 ? 0 : (uint32_t)col, PARSE_ERR_SYNTAX,
            "unexpected comma. Parentheses are required to solve ambiguity in nested calls.\n\n"
            "This error happens when you have nested function calls without parentheses. "
            "For example:\n\n"
            "    one a, two b, c, d\n\n"
            "In the example above, we don't know if the parameters \"c\" and \"d\" apply "
            "to the function \"one\" or \"two\". You can solve this by explicitly adding "
            "parentheses:\n\n"
            "    one a, two(b, c, d)\n\n"
            "Or by adding commas (in case a nested call is not intended):\n\n"
            "    one, a, two, b, c, d\n\n"
            "Elixir cannot compile otherwise. Syntax error before: ','");
}
static _Noreturn void error_no_parens_container_strict(P *p, exs_ref node) {
    int64_t line = tree_meta_int(p->t, node, EXS_META_LINE);
    int64_t col = tree_meta_int(p->t, node, EXS_META_COLUMN);
    fail_at(p, line < 0 ? 0 : (uint32_t)line, col < 0 ? 0 : (uint32_t)col, PARSE_ERR_SYNTAX,
            "unexpected comma. Parentheses are required to solve ambiguity inside containers.\n\n"
            "This error may happen when you forget a comma in a list or other container:\n\n"
            "    [a, b c, d]\n\n"
            "Or when you have ambiguous calls:\n\n"
            "    [one, two three, four, five]\n\n"
            "In the example above, we don't know if the parameters \"four\" and \"five\" "
            "belongs to the list or the function \"two\". You can solve this by explicitly "
            "adding parentheses:\n\n"
            "    [one, two(three, four), five]\n\n"
            "Elixir cannot compile otherwise. Syntax error before: ','");
}

/* call_args_parens: `(` args `)`. Returns the args list; ArgsMeta goes into *am. */
static exs_ref parse_paren_args(P *p, MB *am) {
    const exs_tok *open = expect(p, EXS_TOK_LPAREN);
    enter(p, open);
    int32_t oe = skip_eol(p);
    unsigned mark = p->sp;
    if (kind(p) != EXS_TOK_RPAREN) {
        unsigned count = 0;
        bool any_np = false;
        exs_ref np_node = 0;
        for (;;) {
            if (is_kw(kind(p))) {
                push(p, parse_kw(p, 0, 0, NULL));
                count++;
                break;
            }
            E e = parse_expr(p, 0);
            push(p, e.r);
            count++;
            if (e.cls == C_NOPARENS && !any_np) any_np = true, np_node = e.r;
            if (kind(p) != EXS_TOK_COMMA) break;
            advance(p);
        }
        if (any_np && count > 1) error_no_parens_many_strict(p, np_node);
        skip_eol(p);
    }
    if (kind(p) != EXS_TOK_RPAREN) fail_before(p, peek(p));
    const exs_tok *close = advance(p);
    mb_newlines_pair(p, am, oe, close);
    leave(p);
    return pop_list(p, mark);
}

/* A parens call, with an optional second argument list and an optional do block:
 * build_parens / build_nested_parens. */
static E finish_paren_call(P *p, const Callee *c, unsigned fl) {
    MB am = {.n = 0};
    exs_ref args = parse_paren_args(p, &am);
    E e = {0, C_MATCHED, true};
    if (kind(p) == EXS_TOK_LPAREN) {
        exs_ref inner = build_call(p, c, args, &am);
        MB am2 = {.n = 0};
        exs_ref args2 = parse_paren_args(p, &am2);
        MB pre = {.n = 0};
        if (!(fl & FL_NODO) && kind(p) == EXS_TOK_DO) {
            exs_ref blk = parse_do_block(p, &pre);
            args2 = append_list(p, args2, blk);
            e.cls = C_UNMATCHED;
            e.can_postfix = false;
        }
        for (unsigned i = 0; i < am2.n && pre.n < 16; i++) pre.kv[pre.n++] = am2.kv[i];
        mb_cat(p, &pre, node_meta(p, inner));
        e.r = tuple3(p, inner, mb_done(p, &pre), args2);
        return e;
    }
    MB pre = {.n = 0};
    if (!(fl & FL_NODO) && kind(p) == EXS_TOK_DO) {
        exs_ref blk = parse_do_block(p, &pre);
        args = append_list(p, args, blk);
        e.cls = C_UNMATCHED;
        e.can_postfix = false;
    }
    for (unsigned i = 0; i < am.n && pre.n < 16; i++) pre.kv[pre.n++] = am.kv[i];
    e.r = build_call(p, c, args, &pre);
    return e;
}

/* Can this token start an argument of a no-parens call (`f a`)? */
static bool starts_arg(int k) {
    switch (k) {
    case EXS_TOK_IDENTIFIER: case EXS_TOK_KW_IDENTIFIER: case EXS_TOK_KW_IDENTIFIER_SAFE:
    case EXS_TOK_KW_IDENTIFIER_UNSAFE: case EXS_TOK_BRACKET_IDENTIFIER:
    case EXS_TOK_PAREN_IDENTIFIER: case EXS_TOK_DO_IDENTIFIER: case EXS_TOK_OP_IDENTIFIER:
    case EXS_TOK_FN: case EXS_TOK_ALIAS: case EXS_TOK_ATOM: case EXS_TOK_ATOM_QUOTED:
    case EXS_TOK_ATOM_SAFE: case EXS_TOK_ATOM_UNSAFE: case EXS_TOK_BIN_STRING:
    case EXS_TOK_LIST_STRING: case EXS_TOK_SIGIL: case EXS_TOK_BIN_HEREDOC:
    case EXS_TOK_LIST_HEREDOC: case EXS_TOK_TRUE: case EXS_TOK_FALSE: case EXS_TOK_NIL:
    case EXS_TOK_INT: case EXS_TOK_FLT: case EXS_TOK_CHAR: case EXS_TOK_LPAREN:
    case EXS_TOK_LBRACKET: case EXS_TOK_LCURLY: case EXS_TOK_LBIT: case EXS_TOK_MAP:
    case EXS_TOK_PERCENT: case EXS_TOK_UNARY_OP: case EXS_TOK_AT_OP: case EXS_TOK_CAPTURE_OP:
    case EXS_TOK_DUAL_OP: /* only reached after op_identifier */
        return true;
    default:
        return false;
    }
}

/* call_args_no_parens_all: pushes the args; returns the call's class. */
static uint8_t parse_no_parens_args(P *p, unsigned fl, unsigned *out_count) {
    unsigned nfl = fl | FL_NODO;
    if (is_kw(kind(p))) {
        bool np = false;
        push(p, parse_kw(p, 2, nfl, &np));
        *out_count = 1;
        return C_MATCHED;
    }
    E e = parse_expr(p, nfl);
    push(p, e.r);
    *out_count = 1;
    if (e.cls == C_NOPARENS) return C_NOPARENS; /* no_parens_one_ambig */
    if (kind(p) != EXS_TOK_COMMA) return C_MATCHED;
    while (kind(p) == EXS_TOK_COMMA) {
        advance(p);
        if (is_kw(kind(p))) {
            bool np = false;
            push(p, parse_kw(p, 2, nfl, &np));
            (*out_count)++;
            break;
        }
        E a = parse_expr(p, nfl);
        if (a.cls == C_NOPARENS) error_no_parens_many_strict(p, a.r);
        push(p, a.r);
        (*out_count)++;
    }
    return C_NOPARENS;
}

/* After an identifier-like callee: a no-parens call with args, a do-block call, or a
 * bare identifier (variable / no_parens dot call). */
static E finish_identifier(P *p, const Callee *c, int tk, unsigned fl) {
    E e = {0, C_MATCHED, true};
    if (tk == EXS_TOK_PAREN_IDENTIFIER) return finish_paren_call(p, c, fl);
    if (tk == EXS_TOK_DO_IDENTIFIER) {
        if (!(fl & FL_NODO) && kind(p) == EXS_TOK_DO) {
            MB pre = {.n = 0};
            exs_ref blk = parse_do_block(p, &pre);
            e.r = build_call(p, c, blk, &pre);
            e.cls = C_UNMATCHED;
            e.can_postfix = false;
            return e;
        }
        e.r = build_call(p, c, EXS_REF_NONE, NULL);
        return e;
    }
    if (tk == EXS_TOK_BRACKET_IDENTIFIER) {
        e.r = build_call(p, c, EXS_REF_NONE, NULL);
        return e;
    }
    bool has_args = tk == EXS_TOK_OP_IDENTIFIER ? true : starts_arg(kind(p)) && kind(p) != EXS_TOK_DUAL_OP;
    if (!has_args) {
        e.r = build_call(p, c, EXS_REF_NONE, NULL);
        return e;
    }
    unsigned mark = p->sp, count = 0;
    enter(p, peek(p));
    uint8_t cls = parse_no_parens_args(p, fl, &count);
    leave(p);
    exs_ref args = pop_list(p, mark);
    e.cls = cls;
    e.can_postfix = false;
    if (!(fl & FL_NODO) && kind(p) == EXS_TOK_DO) {
        MB pre = {.n = 0};
        exs_ref blk = parse_do_block(p, &pre);
        args = append_list(p, args, blk);
        e.r = build_call(p, c, args, &pre);
        e.cls = C_UNMATCHED;
        return e;
    }
    e.r = build_call(p, c, args, NULL);
    return e;
}

/* ---- keywords ------------------------------------------------------------------- */

static exs_ref kw_key(P *p) {
    const exs_tok *k = advance(p);
    exs_ref key;
    if (k->kind == EXS_TOK_KW_IDENTIFIER)
        key = tok_atom(p, k);
    else
        key = quoted_atom(p, k, k->kind == EXS_TOK_KW_IDENTIFIER_SAFE, true);
    skip_eol(p); /* kw_eol -> kw_identifier eol */
    return key;
}

/* Keyword lists. mode 0: kw_call (inside parens; trailing comma ok), 1: kw_data
 * (containers; trailing comma ok), 2: call_args_no_parens_kw (values may be no-parens
 * calls, no trailing comma). */
/* `kw_base ',' matched_expr` reduces to the follow-up error only once the expression
 * after the comma has parsed, so an error inside that expression is reported first. */
static _Noreturn void kw_follow_up_fail(P *p, const char *msg) {
    const exs_tok *comma = advance(p);
    parse_expr(p, FL_NODO);
    /* yecc reduces by default whatever follows, except a keyword, which it shifts
     * (`matched_expr -> access_expr kw_identifier`) and so reports first. */
    if (kind(p) == EXS_TOK_KW_IDENTIFIER) fail_before(p, peek(p));
    fail_at(p, comma->line, comma->column, PARSE_ERR_SYNTAX, "%s", msg);
}

static exs_ref parse_kw(P *p, int mode, unsigned fl, bool *out_noparens) {
    unsigned mark = p->sp;
    for (;;) {
        exs_ref key = kw_key(p);
        /* call_args_no_parens_kw_expr values never take a do-block (the block binds to
         * the outer call, or is an error); container and parens keywords may. */
        E v = parse_expr(p, mode == 2 ? fl | FL_NODO : 0);
        if (v.cls == C_NOPARENS && mode != 2) error_no_parens_container_strict(p, v.r);
        push(p, tuple2(p, key, v.r));
        if (v.cls == C_NOPARENS) {
            if (out_noparens) *out_noparens = true;
            break;
        }
        if (kind(p) != EXS_TOK_COMMA) break;
        if (mode != 2) {
            int k2 = kind_at(p, 1);
            if (!is_kw(k2)) {
                /* Trailing comma is fine before a closer; an expression after a
                 * keyword list is not (maybe_bad_keyword_*_follow_up). */
                if (k2 == EXS_TOK_RPAREN || k2 == EXS_TOK_RBRACKET || k2 == EXS_TOK_RCURLY ||
                    k2 == EXS_TOK_RBIT || k2 == EXS_TOK_EOL) {
                    advance(p);
                    break;
                }
                kw_follow_up_fail(p, mode == 0 ? kw_follow_up_call : kw_follow_up_data);
            }
            advance(p);
            continue;
        }
        if (!is_kw(kind_at(p, 1))) kw_follow_up_fail(p, kw_follow_up_call);
        advance(p);
    }
    return pop_list(p, mark);
}

/* ---- containers ------------------------------------------------------------------ */

/* container_args: elements (no no-parens calls), optional trailing comma, optional
 * keyword list at the end. kw_as_one: the keyword list is one element (tuples,
 * bitstrings) or spliced (lists). Returns the count pushed. */
static void parse_container_args(P *p, int closer, bool kw_as_one) {
    for (;;) {
        if (kind(p) == EXS_TOK_EOL && kind_at(p, 1) == closer) break;
        if (kind(p) == closer) break;
        if (is_kw(kind(p))) {
            if (kw_as_one) {
                push(p, parse_kw(p, 1, 0, NULL));
            } else {
                unsigned m = p->sp;
                exs_ref kw = parse_kw(p, 1, 0, NULL);
                (void)m;
                const exs_term *l = tree_get(p->t, kw);
                for (uint32_t i = 0; i < l->len; i++) push(p, tree_get(p->t, kw)->v.kids[i]);
            }
            break;
        }
        E e = parse_expr(p, 0);
        if (e.cls == C_NOPARENS) error_no_parens_container_strict(p, e.r);
        push(p, e.r);
        if (kind(p) != EXS_TOK_COMMA) break;
        advance(p);
    }
}

static const exs_tok *close_tok(P *p, int closer) {
    skip_eol(p);
    if (kind(p) != closer) fail_before(p, peek(p));
    return advance(p);
}

static E parse_list(P *p) {
    const exs_tok *open = advance(p);
    enter(p, open);
    skip_eol(p);
    unsigned mark = p->sp;
    if (kind(p) != EXS_TOK_RBRACKET) {
        if (kind(p) == EXS_TOK_COMMA) fail_before(p, peek(p));
        parse_container_args(p, EXS_TOK_RBRACKET, false);
    }
    close_tok(p, EXS_TOK_RBRACKET);
    leave(p);
    return (E){pop_list(p, mark), C_MATCHED, true};
}

static E parse_tuple_or_bits(P *p, bool bits) {
    const exs_tok *open = advance(p);
    enter(p, open);
    int32_t oe = skip_eol(p);
    int closer = bits ? EXS_TOK_RBIT : EXS_TOK_RCURLY;
    unsigned mark = p->sp;
    if (kind(p) != closer) {
        if (is_kw(kind(p)) || kind(p) == EXS_TOK_COMMA) fail_before(p, peek(p));
        parse_container_args(p, closer, true);
    }
    const exs_tok *close = close_tok(p, closer);
    leave(p);
    unsigned cnt = p->sp - mark;
    if (!bits && cnt == 2) {
        exs_ref r = tuple2(p, p->stk[mark], p->stk[mark + 1]);
        p->sp = mark;
        return (E){r, C_MATCHED, true};
    }
    exs_ref args = pop_list(p, mark);
    MB m = {.n = 0};
    mb_newlines_pair(p, &m, oe, close);
    mb_tok(p, &m, open);
    return (E){tuple3(p, bits ? p->a_bin : p->a_curly, mb_done(p, &m), args), C_MATCHED, true};
}

/* An element of a map: `k => v` or a bare assoc_expr. */
/* In a map, a no-parens call with several arguments (`%{f a, b}`) is neither a key
 * nor an entry (assoc_expr takes only no_parens_one_expr), so yecc fails at the token
 * after it, not with the list/tuple "unexpected comma" message. */
static void map_entry_check(P *p, E e) {
    if (e.cls == C_NOPARENS) fail_before(p, peek(p));
}

/* Whether the `(` at token `open` is closed by the `)` at token `close`. */
static bool paren_closes_at(P *p, unsigned open, unsigned close) {
    if (p->pmatch_for != p->tk) paren_index(p);
    return p->pmatch[open] == close;
}

/* A map entry without `=>` must be an assoc_expr: dot_identifier (`a`, `a.b`),
 * no_parens_one_expr (`f a`) or parens_call (`f(a)`, `a.()`); a literal, alias,
 * container, operator, `@a`, sigil or `a[i]` is not, and yecc fails after it. */
static void bare_entry_check(P *p, E e, unsigned start) {
    if (e.cls == C_UNMATCHED) fail_before(p, peek(p)); /* a do-block call is no entry */
    exs_ref r = e.r;
    static const char *const syntax[] = {
        "+", "-", "*", "/", "++", "--", "+++", "---", "..", "..//", "<>", "in", "not in",
        "|>", "<<<", ">>>", "<<~", "~>>", "<~", "~>", "<~>", "<|>", "<", ">", "<=", ">=",
        "==", "!=", "=~", "===", "!==", "&&", "&&&", "and", "||", "|||", "or", "=", "|",
        "::", "when", "<-", "\\\\", "^^^", "**", "!", "^", "not", "~~~", "@", "&", "->",
        "{}", "%{}", "%", "<<>>", "__aliases__", "__block__", "fn"};
    const exs_term *n = tree_get(p->t, r);
    /* `(expr)` is a paren expression, not an entry, whatever expr is */
    bool ok = n->kind == EXS_TERM_TUPLE && n->len == 3 &&
              tree_get(p->t, n->v.kids[1])->kind == EXS_TERM_META &&
              !(start < p->i && p->tk[start].kind == EXS_TOK_LPAREN &&
                p->tk[p->i - 1].kind == EXS_TOK_RPAREN && paren_closes_at(p, start, p->i - 1));
    if (ok) {
        const exs_term *name = tree_get(p->t, n->v.kids[0]);
        const exs_term *meta = tree_get(p->t, n->v.kids[1]);
        for (uint32_t i = 0; i < meta->len; i++)
            if (meta->v.kv[i].key == EXS_META_DELIMITER) ok = false; /* a sigil */
        if (name->kind == EXS_TERM_ATOM) {
            for (size_t i = 0; ok && i < sizeof(syntax) / sizeof(syntax[0]); i++)
                if (strlen(syntax[i]) == name->len && memcmp(syntax[i], name->v.s, name->len) == 0)
                    ok = false;
        } else if (call_is(p, n->v.kids[0], p->a_dot, 2)) { /* a[i] is Access.get */
            exs_ref lhs = kid(p, n->v.kids[0], 2);
            const exs_term *target = tree_get(p->t, tree_get(p->t, lhs)->v.kids[0]);
            if (target->kind == EXS_TERM_ATOM && target->len == 13 &&
                memcmp(target->v.s, "Elixir.Access", 13) == 0)
                ok = false;
        }
    }
    if (!ok) fail_before(p, peek(p));
}

/* A map key is a whole matched_expr: operators looser than `=>` (`|`, `::`, `when`,
 * `<-`, `\\`) continue it (`%{a :: b => c}`); only a first `|` is the update. */
static E map_key(P *p, bool first) {
    E k = parse_prec(p, 81, 0);
    bool right;
    int prec = binop_prec(kind(p), &right);
    if (prec && prec < 81 && !(first && kind(p) == EXS_TOK_PIPE_OP)) k = prec_loop(p, k, 1, 0);
    return k;
}

static void parse_assoc(P *p) {
    unsigned start = p->i;
    E k = map_key(p, false);
    map_entry_check(p, k);
    if (kind(p) == EXS_TOK_ASSOC_OP) {
        advance(p);
        skip_eol(p);
        E v = parse_expr(p, 0); /* values take `::` and `|` too */
        if (v.cls == C_NOPARENS) fail_before(p, peek(p));
        push(p, tuple2(p, k.r, v.r));
        return;
    }
    bare_entry_check(p, k, start);
    push(p, k.r);
}

/* map_args after `%{}` or `%Struct`: `{` ... `}`. `open` is the `{` token. */
static exs_ref parse_map_args(P *p) {
    const exs_tok *open = expect(p, EXS_TOK_LCURLY);
    enter(p, open);
    int32_t oe = skip_eol(p);
    unsigned mark = p->sp;
    if (kind(p) != EXS_TOK_RCURLY) {
        if (is_kw(kind(p))) {
            exs_ref kw = parse_kw(p, 1, 0, NULL);
            const exs_term *l = tree_get(p->t, kw);
            for (uint32_t i = 0; i < l->len; i++) push(p, tree_get(p->t, kw)->v.kids[i]);
        } else {
            unsigned first_at = p->i;
            E first = map_key(p, true);
            map_entry_check(p, first);
            if (kind(p) == EXS_TOK_PIPE_OP) {
                /* %{map | k => v, ...} / %{map | k: v} */
                const exs_tok *pipe = advance(p);
                int32_t pe = skip_eol(p);
                unsigned m2 = p->sp;
                if (is_kw(kind(p))) {
                    exs_ref kw = parse_kw(p, 1, 0, NULL);
                    const exs_term *l = tree_get(p->t, kw);
                    for (uint32_t i = 0; i < l->len; i++) push(p, tree_get(p->t, kw)->v.kids[i]);
                } else {
                    parse_assoc(p);
                    while (kind(p) == EXS_TOK_COMMA) {
                        advance(p);
                        if (kind(p) == EXS_TOK_RCURLY || (kind(p) == EXS_TOK_EOL && kind_at(p, 1) == EXS_TOK_RCURLY)) break;
                        if (is_kw(kind(p))) {
                            exs_ref kw = parse_kw(p, 1, 0, NULL);
                            const exs_term *l = tree_get(p->t, kw);
                            for (uint32_t i = 0; i < l->len; i++)
                                push(p, tree_get(p->t, kw)->v.kids[i]);
                            break;
                        }
                        parse_assoc(p);
                    }
                }
                exs_ref rhs = pop_list(p, m2);
                push(p, build_op(p, first.r, pipe, pe >= 0 ? pe : pipe->eol, rhs));
                (void)pe;
            } else {
                /* First element: finish it as an assoc. */
                if (kind(p) == EXS_TOK_ASSOC_OP) {
                    advance(p);
                    skip_eol(p);
                    E v = parse_expr(p, 0); /* values take `::` and `|` too */
                    if (v.cls == C_NOPARENS) fail_before(p, peek(p));
                    push(p, tuple2(p, first.r, v.r));
                } else {
                    bare_entry_check(p, first, first_at);
                    push(p, first.r);
                }
                while (kind(p) == EXS_TOK_COMMA) {
                    advance(p);
                    if (kind(p) == EXS_TOK_RCURLY || (kind(p) == EXS_TOK_EOL && kind_at(p, 1) == EXS_TOK_RCURLY)) break;
                    if (is_kw(kind(p))) {
                        exs_ref kw = parse_kw(p, 1, 0, NULL);
                        const exs_term *l = tree_get(p->t, kw);
                        for (uint32_t i = 0; i < l->len; i++) push(p, tree_get(p->t, kw)->v.kids[i]);
                        break;
                    }
                    parse_assoc(p);
                }
            }
        }
    }
    const exs_tok *close = close_tok(p, EXS_TOK_RCURLY);
    leave(p);
    exs_ref args = pop_list(p, mark);
    MB m = {.n = 0};
    mb_newlines_pair(p, &m, oe, close);
    mb_tok(p, &m, open);
    return tuple3(p, p->a_map, mb_done(p, &m), args);
}

static exs_ref build_alias(P *p, const exs_tok *t) {
    MB m = {.n = 0};
    if (p->tm) mb_ref(&m, EXS_META_LAST, meta_tok(p, t));
    mb_tok(p, &m, t);
    return tuple3(p, p->a_aliases, mb_done(p, &m), list1(p, tok_atom(p, t)));
}

/* build_dot_alias. */
static exs_ref build_dot_alias(P *p, const exs_tok *dot, exs_ref left, const exs_tok *al) {
    if (call_is(p, left, p->a_aliases, -1)) {
        const exs_term *meta = tree_get(p->t, node_meta(p, left));
        MB m = {.n = 0};
        bool replaced = false;
        for (uint32_t i = 0; i < meta->len; i++) {
            exs_meta_kv kv = tree_get(p->t, node_meta(p, left))->v.kv[i];
            if (p->tm && kv.key == EXS_META_LAST) {
                kv.is_term = 1;
                kv.value = meta_tok(p, al);
                replaced = true;
            }
            m.kv[m.n++] = kv;
            if (m.n == 15) break;
        }
        if (p->tm && !replaced) mb_ref(&m, EXS_META_LAST, meta_tok(p, al));
        exs_ref meta_r = mb_done(p, &m);
        unsigned mark = p->sp;
        const exs_term *a = tree_get(p->t, kid(p, left, 2));
        /* Each segment copies the list (as Elixir's Left ++ [Right] does); a bound keeps
         * hostile inputs (`A.A.A...` over megabytes) from going quadratic. */
        if (a->len >= 4096)
            fail_at(p, al->line, al->column, PARSE_ERR_DEPTH,
                    "alias has more than 4096 segments (limit)");
        for (uint32_t i = 0; i < a->len; i++) push(p, tree_get(p->t, kid(p, left, 2))->v.kids[i]);
        push(p, tok_atom(p, al));
        return tuple3(p, p->a_aliases, meta_r, pop_list(p, mark));
    }
    const exs_term *ln = tree_get(p->t, left);
    if (ln->kind == EXS_TERM_ATOM)
        fail_at(p, al->line, al->column, PARSE_ERR_SYNTAX,
                "atom cannot be followed by an alias. If the '.' was meant to be part of the "
                "atom's name, the atom name must be quoted. Syntax error before: '.'");
    MB m = {.n = 0};
    if (p->tm) mb_ref(&m, EXS_META_LAST, meta_tok(p, al));
    mb_tok(p, &m, dot);
    return tuple3(p, p->a_aliases, mb_done(p, &m), list2(p, left, tok_atom(p, al)));
}

static exs_ref make_dot(P *p, const exs_tok *dot, exs_ref left, const exs_tok *id) {
    return tuple3(p, p->a_dot, meta_tok(p, dot), list2(p, left, tok_atom(p, id)));
}

/* struct_expr after `%`: a restricted expression (no no-parens args, no access). */
/* After `%`, yecc reads an expression as far as one no-parens argument (`%f a, b` fails
 * at the comma, `%e Foo do` at `do`) and fails at the token where it stops. */
static _Noreturn void struct_fallback_fail(P *p) {
    unsigned from = p->i;
    E e = parse_expr(p, FL_NODO);
    if (e.cls == C_NOPARENS) { /* several arguments: stop at the first top-level comma */
        int depth = 0;
        for (unsigned i = from; i < p->i; i++) {
            switch (p->tk[i].kind) {
            case EXS_TOK_LPAREN: case EXS_TOK_LBRACKET: case EXS_TOK_LCURLY: case EXS_TOK_LBIT:
            case EXS_TOK_FN: case EXS_TOK_DO:
                depth++;
                break;
            case EXS_TOK_RPAREN: case EXS_TOK_RBRACKET: case EXS_TOK_RCURLY: case EXS_TOK_RBIT:
            case EXS_TOK_END:
                depth--;
                break;
            case EXS_TOK_COMMA:
                if (depth == 0) fail_before(p, &p->tk[i]);
                break;
            default: break;
            }
        }
    }
    fail_before(p, peek(p));
}

static exs_ref parse_struct_expr(P *p) {
    const exs_tok *t = peek(p);
    enter(p, t);
    exs_ref r;
    switch (t->kind) {
    case EXS_TOK_AT_OP:
    case EXS_TOK_UNARY_OP:
    case EXS_TOK_DUAL_OP: {
        advance(p);
        skip_eol(p);
        exs_ref in = parse_struct_expr(p);
        leave(p);
        return build_unary(p, t, in);
    }
    case EXS_TOK_ATOM: case EXS_TOK_ATOM_QUOTED:
        advance(p);
        r = tok_atom(p, t);
        leave(p);
        return r;
    case EXS_TOK_ALIAS:
        advance(p);
        r = build_alias(p, t);
        break;
    case EXS_TOK_IDENTIFIER: case EXS_TOK_DO_IDENTIFIER: case EXS_TOK_BRACKET_IDENTIFIER:
    case EXS_TOK_OP_IDENTIFIER: {
        advance(p);
        Callee c = {CALLEE_ID, t, 0, 0};
        r = build_call(p, &c, EXS_REF_NONE, NULL);
        break;
    }
    case EXS_TOK_PAREN_IDENTIFIER: {
        advance(p);
        Callee c = {CALLEE_ID, t, 0, 0};
        r = finish_paren_call(p, &c, FL_NODO).r;
        break;
    }
    default:
        /* struct_expr may be `<matched_expr>.Alias`, so yecc reads any expression here
         * (`% {a}, b` fails at the comma); stop where that expression stops. */
        struct_fallback_fail(p);
    }
    while (kind(p) == EXS_TOK_DOT || kind(p) == EXS_TOK_DOT_CALL_OP) {
        if (kind(p) == EXS_TOK_DOT_CALL_OP) { /* parens_call: `%mod.(){}` */
            const exs_tok *dot = advance(p);
            exs_ref dm = meta_tok(p, dot);
            Callee c = {CALLEE_DOTCALL, NULL, tuple3(p, p->a_dot, dm, list1(p, r)), dm};
            r = finish_paren_call(p, &c, FL_NODO).r;
            continue;
        }
        const exs_tok *dot = advance(p);
        skip_eol(p);
        const exs_tok *id = peek(p);
        if (id->kind == EXS_TOK_ALIAS) {
            advance(p);
            r = build_dot_alias(p, dot, r, id);
        } else if (id->kind == EXS_TOK_IDENTIFIER || id->kind == EXS_TOK_DO_IDENTIFIER ||
                   id->kind == EXS_TOK_BRACKET_IDENTIFIER) {
            advance(p);
            Callee c = {CALLEE_DOT, id, make_dot(p, dot, r, id), 0};
            r = build_call(p, &c, EXS_REF_NONE, NULL);
        } else if (id->kind == EXS_TOK_PAREN_IDENTIFIER) {
            advance(p);
            Callee c = {CALLEE_DOT, id, make_dot(p, dot, r, id), 0};
            r = finish_paren_call(p, &c, FL_NODO).r;
        } else {
            fail_before(p, id);
        }
    }
    leave(p);
    return r;
}

/* ---- stabs (->) -------------------------------------------------------------------- */

/* Does `(` at the cursor start stab_parens_many: `(a, b) -> ...`, `(a: 1) -> ...`,
 * `() -> ...`? Looks at the matching `)` and what follows it. */
enum { PI_COMMA = 1, PI_STAB = 2 };

static void paren_index(P *p) {
    free(p->pmatch);
    free(p->pinfo);
    p->pmatch = malloc(sizeof(uint32_t) * p->n);
    p->pinfo = calloc(p->n, 1);
    uint32_t *stack = malloc(sizeof(uint32_t) * p->n);
    if (!p->pmatch || !p->pinfo || !stack) {
        free(stack);
        p->status = PARSE_ERR_NOMEM;
        longjmp(p->jb, 1);
    }
    unsigned sp = 0;
    for (unsigned j = 0; j < p->n; j++) {
        int k = p->tk[j].kind;
        p->pmatch[j] = UINT32_MAX;
        switch (k) {
        case EXS_TOK_LPAREN: case EXS_TOK_LBRACKET: case EXS_TOK_LCURLY: case EXS_TOK_LBIT:
        case EXS_TOK_FN: case EXS_TOK_DO:
            stack[sp++] = j;
            break;
        case EXS_TOK_RPAREN: case EXS_TOK_RBRACKET: case EXS_TOK_RCURLY: case EXS_TOK_RBIT:
        case EXS_TOK_END:
            if (sp) p->pmatch[stack[--sp]] = j;
            break;
        case EXS_TOK_COMMA:
            if (sp && p->tk[stack[sp - 1]].kind == EXS_TOK_LPAREN) p->pinfo[stack[sp - 1]] |= PI_COMMA;
            break;
        case EXS_TOK_STAB_OP:
            if (sp && p->tk[stack[sp - 1]].kind == EXS_TOK_LPAREN) p->pinfo[stack[sp - 1]] |= PI_STAB;
            break;
        default:
            break;
        }
    }
    free(stack);
    p->pmatch_for = p->tk;
}

/* Does `(` at the cursor start stab_parens_many: `(a, b) -> ...`, `(a: 1) -> ...`,
 * `() -> ...`? Decided by the matching `)` and what follows it. */
static bool paren_head_ahead(P *p, bool *out_empty) {
    if (p->pmatch_for != p->tk) paren_index(p);
    *out_empty = kind_at(p, 1) == EXS_TOK_RPAREN;
    uint32_t j = p->pmatch[p->i];
    if (j == UINT32_MAX || (p->pinfo[p->i] & PI_STAB)) return false;
    int after = j + 1 < p->n ? p->tk[j + 1].kind : EXS_TOK_EOF;
    bool many = (p->pinfo[p->i] & PI_COMMA) || is_kw(kind_at(p, 1));
    /* `(a, b)` can only be stab_parens_many here: yecc takes it as a head even with no
     * `->` after it, and fails at the token after `)`; so does the head path. */
    if (after != EXS_TOK_STAB_OP && after != EXS_TOK_WHEN_OP) return many;
    return *out_empty || many;
}

/* unwrap_when: [a, b when c] -> [{:when, m, [a, b, c]}] */
static exs_ref unwrap_when(P *p, exs_ref args) {
    const exs_term *l = tree_get(p->t, args);
    if (l->len == 0) return args;
    exs_ref last = l->v.kids[l->len - 1];
    if (!call_is(p, last, p->a_when, 2)) return args;
    unsigned mark = p->sp;
    for (uint32_t i = 0; i + 1 < l->len; i++) push(p, tree_get(p->t, args)->v.kids[i]);
    const exs_term *w = tree_get(p->t, kid(p, last, 2));
    push(p, w->v.kids[0]);
    push(p, tree_get(p->t, kid(p, last, 2))->v.kids[1]);
    exs_ref all = pop_list(p, mark);
    return list1(p, tuple3(p, p->a_when, node_meta(p, last), all));
}

/* unwrap_splice: [{:__block__, _, [{:unquote_splicing, _, _}]}] -> the splice list */
static exs_ref unwrap_splice(P *p, exs_ref args) {
    const exs_term *l = tree_get(p->t, args);
    if (l->len != 1) return args;
    exs_ref b = l->v.kids[0];
    if (!call_is(p, b, p->a_block, 1)) return args;
    exs_ref inner = kid(p, b, 2);
    exs_ref s = tree_get(p->t, inner)->v.kids[0];
    if (is_call(p, s) && tree_is_atom(p->t, kid(p, s, 0), "unquote_splicing")) return inner;
    return args;
}

/* stab_op_eol_and_expr after the head: `->` [eol] expr, or `->` alone (nil body). */
static exs_ref finish_stab(P *p, exs_ref head) {
    const exs_tok *op = expect(p, EXS_TOK_STAB_OP);
    int32_t eol = skip_eol(p);
    exs_ref body;
    int k = kind(p);
    if (k == EXS_TOK_END || k == EXS_TOK_BLOCK_IDENTIFIER || k == EXS_TOK_RPAREN ||
        k == EXS_TOK_EOF || k == EXS_TOK_SEMI || k == EXS_TOK_EOL) {
        body = p->a_nil;
    } else {
        body = parse_expr(p, 0).r;
    }
    MB m = {.n = 0};
    mb_newlines_op(p, &m, eol);
    mb_tok(p, &m, op);
    return tuple3(p, p->a_stab, mb_done(p, &m), list2(p, head, body));
}

/* One stab_expr: either a plain expression or a `head -> body` clause. */
static exs_ref parse_stab_expr(P *p, bool *out_is_clause) {
    *out_is_clause = true;
    int k = kind(p);
    if (k == EXS_TOK_STAB_OP) return finish_stab(p, tree_empty_list(p->t));
    bool empty = false;
    if (k == EXS_TOK_LPAREN && paren_head_ahead(p, &empty)) {
        const exs_tok *open = advance(p);
        enter(p, open);
        skip_eol(p);
        unsigned mark = p->sp;
        if (!empty) {
            if (is_kw(kind(p))) {
                push(p, parse_kw(p, 2, 0, NULL));
            } else {
                for (;;) {
                    E e = parse_expr(p, FL_NODO); /* call_args_no_parens_many: no do */
                    if (e.cls == C_NOPARENS) error_no_parens_many_strict(p, e.r);
                    push(p, e.r);
                    if (kind(p) != EXS_TOK_COMMA) break;
                    advance(p);
                    if (is_kw(kind(p))) {
                        push(p, parse_kw(p, 2, 0, NULL));
                        break;
                    }
                }
            }
        }
        close_tok(p, EXS_TOK_RPAREN);
        leave(p);
        exs_ref args = pop_list(p, mark);
        if (!empty) args = unwrap_splice(p, args);
        if (kind(p) == EXS_TOK_WHEN_OP) {
            const exs_tok *w = advance(p);
            skip_eol(p);
            E g = parse_expr(p, 0);
            unsigned m2 = p->sp;
            const exs_term *l = tree_get(p->t, args);
            for (uint32_t i = 0; i < l->len; i++) push(p, tree_get(p->t, args)->v.kids[i]);
            push(p, g.r);
            exs_ref all = pop_list(p, m2);
            args = list1(p, tuple3(p, p->a_when, meta_tok(p, w), all));
        }
        return finish_stab(p, args);
    }
    /* A head parsed like no-parens call arguments, or a plain expression. */
    unsigned mark = p->sp;
    if (is_kw(kind(p))) {
        push(p, parse_kw(p, 2, 0, NULL));
    } else {
        E e = parse_expr(p, 0);
        if (kind(p) != EXS_TOK_COMMA && kind(p) != EXS_TOK_STAB_OP) {
            p->sp = mark;
            *out_is_clause = false;
            return e.r;
        }
        /* A head is call_args_no_parens_all: an expression with a do-block (unmatched)
         * cannot be one, and yecc stops at the token after it. */
        if (e.cls == C_UNMATCHED) fail_before(p, peek(p));
        push(p, e.r);
        if (e.cls != C_NOPARENS) {
            while (kind(p) == EXS_TOK_COMMA) {
                advance(p);
                if (is_kw(kind(p))) {
                    push(p, parse_kw(p, 2, 0, NULL));
                    break;
                }
                E a = parse_expr(p, FL_NODO); /* matched_expr: no do-block here */
                if (a.cls == C_NOPARENS) error_no_parens_many_strict(p, a.r);
                push(p, a.r);
            }
        }
    }
    if (kind(p) != EXS_TOK_STAB_OP) fail_before(p, peek(p));
    exs_ref args = pop_list(p, mark);
    args = unwrap_when(p, unwrap_splice(p, args));
    return finish_stab(p, args);
}

static bool stab_end(int k) {
    return k == EXS_TOK_END || k == EXS_TOK_BLOCK_IDENTIFIER || k == EXS_TOK_RPAREN ||
           k == EXS_TOK_EOF;
}

/* stab: stab_exprs separated by eoe, then build_stab (block or -> clauses). */
static exs_ref parse_stab_block(P *p, bool *out_is_stab, const exs_tok **out_first_stab) {
    unsigned mark = p->sp;
    bool any_clause = false, first_clause = false;
    const exs_tok *first_stab = NULL;
    unsigned n = 0;
    while (!stab_end(kind(p))) {
        const exs_tok *start = peek(p);
        bool is_clause;
        exs_ref e = parse_stab_expr(p, &is_clause);
        if (is_clause && !first_stab) first_stab = start;
        if (n == 0) first_clause = is_clause;
        any_clause |= is_clause;
        push(p, e);
        n++;
        const exs_tok *eoe = eat_eoe(p);
        if (eoe) {
            if (!stab_end(kind(p))) annotate_eoe(p, p->sp - 1, eoe);
            continue;
        }
        if (!stab_end(kind(p))) fail_before(p, peek(p));
    }
    *out_is_stab = any_clause;
    *out_first_stab = first_stab;
    if (!any_clause) return build_block_from(p, mark);
    if (!first_clause) {
        /* check_stab: with several clauses the first expression must use -> */
        exs_ref c = 0;
        for (unsigned i = mark; i < p->sp; i++)
            if (call_is(p, p->stk[i], p->a_stab, 2)) {
                c = p->stk[i];
                break;
            }
        int64_t line = tree_meta_int(p->t, c, EXS_META_LINE);
        int64_t col = tree_meta_int(p->t, c, EXS_META_COLUMN);
        fail_at(p, (uint32_t)(line < 0 ? 0 : line), (uint32_t)(col < 0 ? 0 : col),
                PARSE_ERR_SYNTAX,
                "unexpected operator ->. If you want to define multiple clauses, the first "
                "expression must use ->. Syntax error before: '->'");
    }
    /* collect_stab: plain expressions after a clause join its body. */
    unsigned end = p->sp, out = p->sp;
    for (unsigned i = mark; i < end;) {
        exs_ref c = p->stk[i];
        unsigned j = i + 1;
        while (j < end && !call_is(p, p->stk[j], p->a_stab, 2)) j++;
        const exs_term *args = tree_get(p->t, kid(p, c, 2));
        exs_ref head = args->v.kids[0], body = args->v.kids[1];
        unsigned bm = p->sp;
        push(p, body);
        for (unsigned q = i + 1; q < j; q++) push(p, p->stk[q]);
        exs_ref blk = build_block_from(p, bm);
        push(p, tuple3(p, p->a_stab, node_meta(p, c), list2(p, head, blk)));
        i = j;
    }
    exs_ref l = tree_list(p->t, p->stk + out, p->sp - out);
    check_nomem(p);
    p->sp = mark;
    return l;
}

/* `(` ... `)` as an expression: empty paren, block, or stab (build_stab/3). */
static E parse_paren_expr(P *p) {
    const exs_tok *open = advance(p);
    enter(p, open);
    if (kind(p) == EXS_TOK_RPAREN) {
        advance(p);
        leave(p);
        return (E){empty_block(p), C_MATCHED, true};
    }
    skip_eol(p);
    if (kind(p) == EXS_TOK_RPAREN) { /* `(\n)` is still empty_paren */
        advance(p);
        leave(p);
        return (E){empty_block(p), C_MATCHED, true};
    }
    if (kind(p) == EXS_TOK_SEMI) advance(p);
    bool is_stab;
    const exs_tok *fs;
    exs_ref body;
    if (kind(p) == EXS_TOK_RPAREN) {
        body = empty_block(p);
        is_stab = false;
    } else {
        body = parse_stab_block(p, &is_stab, &fs);
    }
    const exs_tok *close = close_tok(p, EXS_TOK_RPAREN);
    leave(p);
    if (!is_stab && call_is(p, body, p->a_block, -1)) {
        /* build_stab/3 appends the parens' location to any block's meta. */
        MB m = {.n = 0};
        mb_cat(p, &m, node_meta(p, body));
        if (p->tm) mb_ref(&m, EXS_META_CLOSING, meta_tok(p, close));
        mb_tok(p, &m, open);
        set_meta(p, body, mb_done(p, &m));
    }
    return (E){body, C_MATCHED, true};
}

static E parse_fn(P *p) {
    const exs_tok *fn = advance(p);
    enter(p, fn);
    int32_t fe = -1;
    const exs_tok *eo = eat_eoe(p);
    if (eo) fe = eo->eol;
    bool is_stab = false;
    const exs_tok *fs = NULL;
    exs_ref body = parse_stab_block(p, &is_stab, &fs);
    if (kind(p) != EXS_TOK_END) fail_before(p, peek(p));
    const exs_tok *end = advance(p);
    leave(p);
    if (!is_stab)
        fail_at(p, fn->line, fn->column, PARSE_ERR_SYNTAX,
                "expected anonymous functions to be defined with -> inside: 'fn'");
    MB m = {.n = 0};
    mb_newlines_op(p, &m, fe);
    if (p->tm) mb_ref(&m, EXS_META_CLOSING, meta_tok(p, end));
    mb_tok(p, &m, fn);
    return (E){tuple3(p, atom(p, "fn"), mb_done(p, &m), body), C_MATCHED, true};
}

/* ---- expressions -------------------------------------------------------------------- */

static E parse_primary(P *p, unsigned fl) {
    const exs_tok *t = peek(p);
    E e = {0, C_MATCHED, true};
    switch (t->kind) {
    case EXS_TOK_INT: case EXS_TOK_FLT: case EXS_TOK_CHAR:
        advance(p);
        e.r = number(p, t);
        return e;
    case EXS_TOK_ATOM: case EXS_TOK_ATOM_QUOTED:
        advance(p);
        e.r = tok_atom(p, t);
        return e;
    case EXS_TOK_ATOM_SAFE: case EXS_TOK_ATOM_UNSAFE:
        advance(p);
        e.r = quoted_atom(p, t, t->kind == EXS_TOK_ATOM_SAFE, false);
        return e;
    case EXS_TOK_TRUE: advance(p); e.r = tree_true(p->t); return e;
    case EXS_TOK_FALSE: advance(p); e.r = tree_false(p->t); return e;
    case EXS_TOK_NIL: advance(p); e.r = p->a_nil; return e;
    case EXS_TOK_BIN_STRING: case EXS_TOK_BIN_HEREDOC:
        advance(p);
        e.r = bin_string(p, t);
        return e;
    case EXS_TOK_LIST_STRING: case EXS_TOK_LIST_HEREDOC:
        advance(p);
        e.r = list_string(p, t);
        return e;
    case EXS_TOK_SIGIL:
        advance(p);
        e.r = sigil(p, t);
        return e;
    case EXS_TOK_ALIAS:
        advance(p);
        e.r = build_alias(p, t);
        return e;
    case EXS_TOK_LBRACKET: return parse_list(p);
    case EXS_TOK_LCURLY: return parse_tuple_or_bits(p, false);
    case EXS_TOK_LBIT: return parse_tuple_or_bits(p, true);
    case EXS_TOK_MAP: {
        advance(p);
        skip_eol(p);
        e.r = parse_map_args(p);
        return e;
    }
    case EXS_TOK_PERCENT: {
        advance(p);
        unsigned name_at = p->i;
        exs_ref name = parse_struct_expr(p);
        unsigned after_name = p->i;
        skip_eol(p); /* struct_op struct_expr eol map_args */
        if (kind(p) != EXS_TOK_LCURLY) {
            /* yecc reads on past a struct name as if it began an expression (`%e Foo do`
             * fails at `do`), so report the error where that expression stops; after a
             * newline it expects only the `{`. */
            if (p->i != after_name) fail_before(p, peek(p));
            p->i = name_at;
            struct_fallback_fail(p);
        }
        exs_ref map = parse_map_args(p);
        e.r = tuple3(p, p->a_pct, meta_tok(p, t), list2(p, name, map));
        return e;
    }
    case EXS_TOK_LPAREN: return parse_paren_expr(p);
    case EXS_TOK_FN: return parse_fn(p);
    case EXS_TOK_RANGE_OP:
        /* A lone `..` is the nullary range (access_expr -> range_op). */
        advance(p);
        e.r = tuple3(p, tok_atom(p, t), meta_tok(p, t), tree_empty_list(p->t));
        return e;
    case EXS_TOK_IDENTIFIER: case EXS_TOK_OP_IDENTIFIER: case EXS_TOK_DO_IDENTIFIER:
    case EXS_TOK_PAREN_IDENTIFIER: case EXS_TOK_BRACKET_IDENTIFIER: {
        advance(p);
        Callee c = {CALLEE_ID, t, 0, 0};
        return finish_identifier(p, &c, t->kind, fl);
    }
    case EXS_TOK_KW_IDENTIFIER: /* error_invalid_kw_identifier */
        fail_before(p, t);
    default:
        fail_before(p, t);
    }
}

/* Unary operators and the postfix chain. */
static E parse_unary(P *p, unsigned fl) {
    const exs_tok *t = peek(p);
    switch (t->kind) {
    case EXS_TOK_UNARY_OP: case EXS_TOK_DUAL_OP: case EXS_TOK_TERNARY_OP: {
        advance(p);
        skip_eol(p);
        enter(p, t);
        E o = parse_prec(p, 301, fl);
        /* unmatched_expr -> unary_op_eol expr: when the operand holds a do-block, yecc
         * shifts every operator after it, so `!case x do .. end == y` is !(case == y). */
        if (o.cls == C_UNMATCHED) o = prec_loop(p, o, 1, fl);
        leave(p);
        return (E){build_unary(p, t, o.r), o.cls, false};
    }
    case EXS_TOK_AT_OP: return parse_at(p, fl, true);
    case EXS_TOK_CAPTURE_OP: {
        advance(p);
        skip_eol(p);
        if (kind(p) == EXS_TOK_INT) {
            /* access_expr -> capture_op_eol int: `&1` */
            const exs_tok *n = advance(p);
            E r = {build_unary(p, t, number(p, n)), C_MATCHED, true};
            return parse_postfix(p, r, fl);
        }
        enter(p, t);
        E o = parse_prec(p, 91, fl);
        if (o.cls == C_UNMATCHED) o = prec_loop(p, o, 1, fl); /* capture_op_eol expr */
        leave(p);
        return (E){build_unary(p, t, o.r), o.cls, false};
    }
    default: {
        E b = parse_primary(p, fl);
        if (b.can_postfix) return parse_postfix(p, b, fl);
        return b;
    }
    }
}

/* bracket_arg after an expression: `x[key]` is Access.get(x, key). */
static exs_ref bracket_access(P *p, exs_ref target) {
    const exs_tok *open = advance(p);
    enter(p, open);
    int32_t oe = skip_eol(p);
    exs_ref arg;
    if (is_kw(kind(p))) {
        arg = parse_kw(p, 1, 0, NULL);
    } else {
        E a = parse_expr(p, 0);
        if (a.cls == C_NOPARENS) error_no_parens_container_strict(p, a.r);
        arg = a.r;
        if (kind(p) == EXS_TOK_COMMA) advance(p);
    }
    const exs_tok *close = close_tok(p, EXS_TOK_RBRACKET);
    leave(p);
    MB m = {.n = 0};
    mb_newlines_pair(p, &m, oe, close);
    mb_tok(p, &m, open);
    exs_ref meta = mb_done(p, &m);
    exs_ref d = tuple3(p, p->a_dot, meta, list2(p, p->a_access, p->a_get));
    return tuple3(p, d, meta, list2(p, target, arg));
}

/* `@` (at_op, precedence 320) binds tighter than `.`: its operand is a primary (which
 * may take no-parens arguments), another `@` or a unary operator expression
 * (`@-a.b` is @(-(a.b))). Dots then apply to the whole `@x` (`@@a.b` is (@@a).b), but
 * a bracket right after `@name` belongs to it (bracket_at_expr: `@@a[1]` is
 * @(Access.get(@a, 1))). `outer`: whether postfix dots/brackets follow here. */
static E parse_at(P *p, unsigned fl, bool outer) {
    const exs_tok *t = advance(p);
    skip_eol(p);
    enter(p, t);
    E o;
    switch (kind(p)) {
    case EXS_TOK_AT_OP: o = parse_at(p, fl, false); break;
    case EXS_TOK_UNARY_OP: case EXS_TOK_DUAL_OP: case EXS_TOK_CAPTURE_OP:
        o = parse_unary(p, fl);
        o.can_postfix = false;
        break;
    default: o = parse_primary(p, fl); break;
    }
    if (o.cls == C_UNMATCHED) { /* unmatched_expr -> at_op_eol expr: see parse_unary */
        o = prec_loop(p, o, 1, fl);
        o.can_postfix = false;
    }
    leave(p);
    E r = {build_unary(p, t, o.r), o.cls, o.can_postfix};
    if (!r.can_postfix) return r;
    if (outer) return parse_postfix(p, r, fl);
    if (kind(p) == EXS_TOK_LBRACKET && p->tk[p->i - 1].kind == EXS_TOK_BRACKET_IDENTIFIER)
        r.r = bracket_access(p, r.r);
    return r;
}

/* Dots, dot-calls and access brackets after an expression. */
static E parse_postfix(P *p, E base, unsigned fl) {
    E e = base;
    for (;;) {
        int k = kind(p);
        if (k == EXS_TOK_DOT) {
            const exs_tok *dot = advance(p);
            skip_eol(p);
            const exs_tok *id = peek(p);
            switch (id->kind) {
            case EXS_TOK_IDENTIFIER: case EXS_TOK_OP_IDENTIFIER: case EXS_TOK_DO_IDENTIFIER:
            case EXS_TOK_PAREN_IDENTIFIER: case EXS_TOK_BRACKET_IDENTIFIER: {
                advance(p);
                Callee c = {CALLEE_DOT, id, make_dot(p, dot, e.r, id), 0};
                e = finish_identifier(p, &c, id->kind, fl);
                break;
            }
            case EXS_TOK_ALIAS:
                advance(p);
                e.r = build_dot_alias(p, dot, e.r, id);
                e.cls = C_MATCHED;
                e.can_postfix = true;
                break;
            case EXS_TOK_LCURLY: {
                const exs_tok *open = advance(p);
                enter(p, open);
                int32_t oe = skip_eol(p);
                unsigned mark = p->sp;
                if (kind(p) != EXS_TOK_RCURLY) parse_container_args(p, EXS_TOK_RCURLY, true);
                const exs_tok *close = close_tok(p, EXS_TOK_RCURLY);
                leave(p);
                bool empty = p->sp == mark;
                exs_ref args = pop_list(p, mark);
                exs_ref dm = meta_tok(p, dot);
                exs_ref d = tuple3(p, p->a_dot, dm, list2(p, e.r, p->a_curly));
                MB m = {.n = 0};
                if (!empty) mb_newlines_pair(p, &m, oe, close);
                mb_cat(p, &m, dm);
                e.r = tuple3(p, d, mb_done(p, &m), args);
                e.cls = C_MATCHED;
                e.can_postfix = true;
                break;
            }
            default:
                fail_before(p, id);
            }
            if (!e.can_postfix) return e;
            continue;
        }
        if (k == EXS_TOK_DOT_CALL_OP) {
            const exs_tok *dot = advance(p);
            exs_ref dm = meta_tok(p, dot);
            Callee c = {CALLEE_DOTCALL, NULL, tuple3(p, p->a_dot, dm, list1(p, e.r)), dm};
            e = finish_paren_call(p, &c, fl);
            if (!e.can_postfix) return e;
            continue;
        }
        if (k == EXS_TOK_LBRACKET) {
            e.r = bracket_access(p, e.r);
            e.cls = C_MATCHED;
            continue;
        }
        return e;
    }
}

/* Binary operators after `left` whose precedence is at least min_prec. */
static E prec_loop(P *p, E left, int min_prec, unsigned fl) {
    for (;;) {
        const exs_tok *op = peek(p);
        bool right_assoc;
        int prec = binop_prec(op->kind, &right_assoc);
        if (!prec || prec < min_prec) return left;
        advance(p);
        int32_t eol = op->eol;
        if (kind(p) == EXS_TOK_EOL) {
            const exs_tok *nl = advance(p);
            if (op_next_is_eol(op->kind)) eol = nl->eol;
        }
        enter(p, op);
        E right;
        if (op->kind == EXS_TOK_WHEN_OP && is_kw(kind(p))) {
            /* no_parens_op_expr -> when_op_eol call_args_no_parens_kw */
            right.r = parse_kw(p, 2, fl | FL_NODO, NULL);
            right.cls = C_NOPARENS;
        } else {
            right = parse_prec(p, right_assoc ? prec : prec + 1, fl);
        }
        leave(p);
        uint8_t cls = C_MATCHED;
        if (left.cls == C_UNMATCHED || right.cls == C_UNMATCHED) cls = C_UNMATCHED;
        if (right.cls == C_NOPARENS) cls = C_NOPARENS;
        left.r = build_op(p, left.r, op, eol, right.r);
        left.cls = cls;
        left.can_postfix = false;
    }
}

static E parse_prec(P *p, int min_prec, unsigned fl) {
    return prec_loop(p, parse_unary(p, fl), min_prec, fl);
}

static E parse_expr(P *p, unsigned fl) { return parse_prec(p, 1, fl); }

/* grammar: eoe? expr_list eoe? */
static exs_ref parse_grammar(P *p) {
    const exs_tok *lead = eat_eoe(p);
    if (kind(p) == EXS_TOK_EOF) {
        if (lead) return tuple3(p, p->a_block, meta_tok(p, lead), tree_empty_list(p->t));
        return empty_block(p);
    }
    unsigned mark = p->sp;
    for (;;) {
        E e = parse_expr(p, 0);
        push(p, e.r);
        const exs_tok *eoe = eat_eoe(p);
        if (kind(p) == EXS_TOK_EOF) break;
        if (!eoe) fail_before(p, peek(p));
        annotate_eoe(p, p->sp - 1, eoe);
    }
    return build_block_from(p, mark);
}

parse_status parse_tokens(exs_tree *t, const exs_tok *toks, unsigned count,
                          const parse_opts *opts, exs_diag *err) {
    P *p = calloc(1, sizeof(P));
    if (!p) return PARSE_ERR_NOMEM;
    p->t = t;
    p->tk = toks;
    p->n = count;
    p->columns = opts->columns;
    p->tm = opts->token_metadata;
    p->max_depth = opts->max_depth ? opts->max_depth : 1000;
    /* the term nesting deep_term() allows: what max_depth levels of recursion build */
    p->term_depth_max = p->max_depth < (EXS_DEPTH_MAX - 64) / TERMS_PER_LEVEL
                            ? p->max_depth * TERMS_PER_LEVEL + 64
                            : EXS_DEPTH_MAX - 1;
    p->err = err;
    p->scap = 256;
    p->stk = malloc(p->scap * sizeof(exs_ref)); /* never NULL below: pop_list adds to it */
    if (!p->stk) {
        free(p);
        return PARSE_ERR_NOMEM;
    }
    parse_status st = PARSE_OK;
    /* About 2.5 terms per token in the Elixir stdlib; one allocation up front. */
    if (count < UINT32_MAX / 3) tree_reserve(t, t->count + count * 5 / 2 + 64);
    if (setjmp(p->jb) == 0) {
        p->a_nil = tree_nil(t);
        p->a_block = atom(p, "__block__");
        p->a_dot = atom(p, ".");
        p->a_aliases = atom(p, "__aliases__");
        p->a_stab = atom(p, "->");
        p->a_when = atom(p, "when");
        p->a_do = atom(p, "do");
        p->a_curly = atom(p, "{}");
        p->a_bin = atom(p, "<<>>");
        p->a_concat_type = atom(p, "::");
        p->a_kernel = atom(p, "Elixir.Kernel");
        p->a_to_string = atom(p, "to_string");
        p->a_binary = atom(p, "binary");
        p->a_list_mod = atom(p, "Elixir.List");
        p->a_to_charlist = atom(p, "to_charlist");
        p->a_erlang = atom(p, "erlang");
        p->a_access = atom(p, "Elixir.Access");
        p->a_get = atom(p, "get");
        p->a_pct = atom(p, "%");
        p->a_map = atom(p, "%{}");
        p->a_utf8 = atom(p, "utf8");
        p->a_keyword = atom(p, "keyword");
        if (count == 0 || toks[count - 1].kind != EXS_TOK_EOF) {
            diag_set(err, 0, 0, "internal error: token stream without end");
            st = PARSE_ERR_SYNTAX;
        } else {
            t->root = parse_grammar(p);
            check_nomem(p);
        }
    } else {
        st = p->status;
    }
    free(p->stk);
    free(p->atoms);
    free(p->pmatch);
    free(p->pinfo);
    free(p);
    return st;
}
