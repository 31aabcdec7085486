/* write_elixir.c: a term tree as Elixir text, byte-identical to Elixir 1.14's
 * `IO.puts(inspect(term, limit: :infinity, printable_limit: :infinity))`.
 *
 * Design: `inspect/2` with the default `pretty: false` formats its algebra document
 * with width :infinity (Kernel.inspect/2), so no group ever breaks: every container
 * is printed on one line with ", " separators. That makes the output a direct
 * recursive rendering; the rules below are those of Elixir 1.14.0's Inspect
 * implementations (lib/elixir/lib/inspect.ex), Macro.inspect_atom/2,
 * Code.Identifier.escape/2, String.printable?/1 and List.ascii_printable?/1:
 *   integer  decimal (bigints converted by repeated division by 10^9)
 *   float    Inspect.Float: integral values with 1 <= |x| < 1e16 print as "N.0";
 *            everything else as :io_lib_format.fwrite_g/1 (shortest round-trip
 *            digits, then Erlang's insert_decimal choice of plain vs exponent form)
 *   atom     nil/true/false bare; aliases "Elixir.Foo" as Foo; operators and
 *            identifiers as :name; anything else :"escaped"
 *   binary   "escaped" when String.printable?, else <<1, 2, 3>>
 *   list     'escaped' when every element is 7..13, 27 or 32..126 (1.14 charlists use
 *            single quotes); keyword form [a: 1, "b c": 2] when every element is a
 *            {atom, _} whose atom does not start with "Elixir."; else [a, b]
 *   tuple    {a, b}
 *   META     a keyword list of its pairs (plus node_id: "exs:..." when ids given)
 *
 * Non-ASCII atoms: Elixir decides quoting with its Unicode identifier tokenizer
 * (UAX #31 tables, NFC/NFKC stability, UTS #39 mixed-script check). We approximate it
 * (uni_script): Latin-1/Latin Extended, Greek, Cyrillic, CJK, kana and Hangul letters
 * are identifier characters with a script each, combining marks are not; names
 * outside those blocks print quoted, which may differ from Elixir for rare scripts.
 *
 * Invariant: output is a pure function of the tree; recursion depth equals term
 * nesting depth, which the parser bounds. */
#include "writers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exscope.h"

typedef struct ex_writer {
    const exs_tree *t;
    const uint64_t *ids;
    exs_buf *b;
} ex_writer;

/* ---- UTF-8 ------------------------------------------------------------------ */

/* Decodes one UTF-8 code point at s[0..len); returns its byte length, or 0 if the
 * bytes there are not a valid (shortest-form, non-surrogate) encoding. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *out) {
    if (!len) return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *out = c;
        return 1;
    }
    size_t n;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    *out = cp;
    return n;
}

/* ---- Escaping (Code.Identifier.escape/2 with the default escape map) ------------ */

static const char hexd[] = "0123456789ABCDEF";

static bool is_printable_cp(uint32_t c) {
    return (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static void put_escaped(exs_buf *b, const char *str, size_t len, char quote) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c == (unsigned char)quote) {
            buf_putc(b, '\\');
            buf_putc(b, quote);
            i++;
            continue;
        }
        if (c == '#' && i + 1 < len && s[i + 1] == '{') {
            buf_puts(b, "\\#{");
            i += 2;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (!n) {
            buf_puts(b, "\\x");
            buf_putc(b, hexd[c >> 4]);
            buf_putc(b, hexd[c & 15]);
            i++;
            continue;
        }
        const char *m = NULL;
        switch (cp) {
        case 7: m = "\\a"; break;
        case 8: m = "\\b"; break;
        case 127: m = "\\d"; break;
        case 27: m = "\\e"; break;
        case 12: m = "\\f"; break;
        case 10: m = "\\n"; break;
        case 13: m = "\\r"; break;
        case 9: m = "\\t"; break;
        case 11: m = "\\v"; break;
        case '\\': m = "\\\\"; break;
        case 0: m = "\\0"; break;
        case 0xFEFF: m = "\\uFEFF"; break;
        default: break;
        }
        if (m) {
            buf_puts(b, m);
        } else if (is_printable_cp(cp)) {
            buf_put(b, s + i, n);
        } else if (cp < 0x100) {
            buf_puts(b, "\\x");
            buf_putc(b, hexd[cp >> 4]);
            buf_putc(b, hexd[cp & 15]);
        } else if (cp < 0x10000) {
            buf_printf(b, "\\x{%04X}", (unsigned)cp);
        } else {
            buf_printf(b, "\\x{%06X}", (unsigned)cp);
        }
        i += n;
    }
}

/* String.printable?/1 */
static bool is_printable_binary(const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if ((c >= 0x20 && c <= 0x7E) || (c >= 7 && c <= 13) || c == 27 || c == 127) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (!n || cp < 0xA0 || !is_printable_cp(cp)) return false;
        i += n;
    }
    return true;
}

/* ---- Atoms (Macro.inspect_atom/2) --------------------------------------------- */

typedef enum { AT_ALIAS, AT_UNQUOTED, AT_QUOTED } atom_class;

static bool str_in(const char *s, size_t len, const char *const *set) {
    for (; *set; set++)
        if (strlen(*set) == len && memcmp(*set, s, len) == 0) return true;
    return false;
}

static const char *const not_callable[] = {"%", "%{}", "{}", "<<>>", "...", "..", ".",
                                           "..//", "->", NULL};
static const char *const quoted_ops[] = {"::", "^^^", "~~~", "<|>", NULL};
static const char *const operators[] = {
    /* unary */ "&", "!", "^", "not", "+", "-", "@",
    /* binary (without "//", which Macro.operator?/2 rejects) */
    "<-", "\\\\", "when", "|", "=", "||", "|||", "or", "&&", "&&&", "and", "==", "!=", "=~",
    "===", "!==", "<", "<=", ">=", ">", "|>", "<<<", ">>>", "<~", "~>", "<<~", "~>>", "<~>",
    "in", "++", "--", "<>", "+++", "---", "*", "/", "**", NULL};

static bool ascii_upper(unsigned c) { return c >= 'A' && c <= 'Z'; }
static bool ascii_lower(unsigned c) { return c >= 'a' && c <= 'z'; }
static bool ascii_digit(unsigned c) { return c >= '0' && c <= '9'; }
static bool ascii_ident(unsigned c) {
    return ascii_upper(c) || ascii_lower(c) || ascii_digit(c) || c == '_';
}

/* Approximation of Elixir's Unicode identifier tables for code points >= 0x80: the
 * letters of the common alphabetic blocks, each with its script (as a bit set) for
 * the mixed-script check. Returns 0 for "not an identifier character", SCRIPT_ANY
 * for a character of no particular script. Elixir's exact tables (UAX #31 + UTS #39
 * from the Unicode database) are not reproduced; see the file header. */
enum {
    SCRIPT_LATIN = 1,
    SCRIPT_GREEK = 2,
    SCRIPT_CYRILLIC = 4,
    SCRIPT_HAN = 8,
    SCRIPT_HIRAGANA = 16,
    SCRIPT_KATAKANA = 32,
    SCRIPT_HANGUL = 64,
    SCRIPT_ANY = 0xFF,
};

static unsigned uni_script(uint32_t c) {
    /* 0xAA, 0xB5, 0xBA are ID_Start but not NFKC-stable, so Elixir quotes them */
    if (c >= 0xC0 && c <= 0x24F) return c != 0xD7 && c != 0xF7 ? SCRIPT_LATIN : 0;
    if (c >= 0x370 && c <= 0x3FF) {
        if (c == 0x375 || c == 0x37E || c == 0x384 || c == 0x385 || c == 0x387 ||
            c == 0x3F6 || (c >= 0x378 && c <= 0x37A) || (c >= 0x380 && c <= 0x383) ||
            c == 0x38B || c == 0x38D || c == 0x3A2 || c == 0x374 || c == 0x37F)
            return 0;
        return SCRIPT_GREEK;
    }
    if ((c >= 0x400 && c <= 0x481) || (c >= 0x48A && c <= 0x52F)) return SCRIPT_CYRILLIC;
    if (c >= 0x4E00 && c <= 0x9FFF) return SCRIPT_HAN;
    if (c >= 0x3041 && c <= 0x3096) return SCRIPT_HIRAGANA;
    if (c >= 0x30A1 && c <= 0x30FA) return SCRIPT_KATAKANA;
    if (c >= 0xAC00 && c <= 0xD7A3) return SCRIPT_HANGUL;
    return 0;
}

/* A continue-only character: U+00B7 MIDDLE DOT (Common script). Combining marks are
 * left out: after a letter they usually make the name non-NFC, which Elixir quotes. */
static unsigned uni_continue_script(uint32_t c) {
    if (c == 0xB7) return SCRIPT_ANY;
    return uni_script(c);
}

/* UTS #39 "highly restrictive": one script, or Latin plus Japanese, Chinese or Korean. */
static bool scripts_ok(unsigned inter, const unsigned *sets, size_t n) {
    if (inter) return true;
    static const unsigned covers[] = {
        SCRIPT_LATIN | SCRIPT_HAN | SCRIPT_HIRAGANA | SCRIPT_KATAKANA,
        SCRIPT_LATIN | SCRIPT_HAN,
        SCRIPT_LATIN | SCRIPT_HAN | SCRIPT_HANGUL,
    };
    for (size_t k = 0; k < sizeof covers / sizeof covers[0]; k++) {
        size_t i = 0;
        while (i < n && (sets[i] & covers[k])) i++;
        if (i == n) return true;
    }
    return false;
}

static atom_class classify_atom(const char *name, size_t len) {
    if (str_in(name, len, not_callable)) return AT_UNQUOTED;
    if (str_in(name, len, quoted_ops)) return AT_QUOTED;
    if (str_in(name, len, operators)) return AT_UNQUOTED;
    const unsigned char *s = (const unsigned char *)name;
    /* valid_alias?: "Elixir" followed by zero or more ".[A-Z][A-Za-z0-9_]*" */
    if (len >= 6 && memcmp(name, "Elixir", 6) == 0) {
        size_t i = 6;
        bool ok = true;
        while (i < len) {
            if (s[i] != '.' || i + 1 >= len || !ascii_upper(s[i + 1])) {
                ok = false;
                break;
            }
            i += 2;
            while (i < len && ascii_ident(s[i])) i++;
        }
        if (ok) return AT_ALIAS;
    }
    /* String.Tokenizer.tokenize/1: an identifier or alias-like token that spans the
     * whole name (an @ inside or a trailing ? or ! is allowed); names with non-ASCII
     * letters must also pass the mixed-script check. */
    if (!len) return AT_QUOTED;
    unsigned sets[64];
    size_t nsets = 0;
    bool ascii_only = true;
    unsigned inter = SCRIPT_ANY;
    uint32_t cp;
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (!n) return AT_QUOTED;
        unsigned set;
        if (i == 0) {
            if (cp < 0x80) {
                if (!(ascii_upper(cp) || ascii_lower(cp) || cp == '_')) return AT_QUOTED;
                set = cp == '_' ? SCRIPT_ANY : SCRIPT_LATIN;
            } else if (!(set = uni_script(cp))) {
                return AT_QUOTED;
            }
        } else if (cp == '!' || cp == '?') {
            if (i + 1 != len) return AT_QUOTED;
            set = SCRIPT_ANY;
        } else if (cp < 0x80) {
            if (!ascii_ident(cp) && cp != '@') return AT_QUOTED;
            set = ascii_upper(cp) || ascii_lower(cp) ? SCRIPT_LATIN : SCRIPT_ANY;
        } else if (!(set = uni_continue_script(cp))) {
            return AT_QUOTED;
        }
        if (cp >= 0x80) ascii_only = false;
        inter &= set;
        if (nsets < sizeof sets / sizeof sets[0]) sets[nsets++] = set;
        i += n;
    }
    if (!ascii_only && !scripts_ok(inter, sets, nsets)) return AT_QUOTED;
    return AT_UNQUOTED;
}

static void put_atom_literal(exs_buf *b, const char *s, size_t len) {
    if ((len == 3 && memcmp(s, "nil", 3) == 0) || (len == 4 && memcmp(s, "true", 4) == 0) ||
        (len == 5 && memcmp(s, "false", 5) == 0)) {
        buf_put(b, s, len);
        return;
    }
    switch (classify_atom(s, len)) {
    case AT_ALIAS:
        if ((len == 6) || (len >= 13 && memcmp(s, "Elixir.Elixir", 13) == 0 &&
                           (len == 13 || s[13] == '.')))
            buf_put(b, s, len);
        else
            buf_put(b, s + 7, len - 7);
        break;
    case AT_QUOTED:
        buf_puts(b, ":\"");
        put_escaped(b, s, len, '"');
        buf_putc(b, '"');
        break;
    case AT_UNQUOTED:
        buf_putc(b, ':');
        buf_put(b, s, len);
        break;
    }
}

static void put_atom_key(exs_buf *b, const char *s, size_t len) {
    switch (classify_atom(s, len)) {
    case AT_ALIAS:
        buf_putc(b, '"');
        buf_put(b, s, len);
        buf_puts(b, "\":");
        break;
    case AT_QUOTED:
        buf_putc(b, '"');
        put_escaped(b, s, len, '"');
        buf_puts(b, "\":");
        break;
    case AT_UNQUOTED:
        buf_put(b, s, len);
        buf_putc(b, ':');
        break;
    }
}

/* ---- Numbers ------------------------------------------------------------------ */

static void put_bigint(exs_buf *b, const uint8_t *mag, uint32_t nbytes, bool neg) {
    while (nbytes && mag[nbytes - 1] == 0) nbytes--;
    if (!nbytes) {
        buf_putc(b, '0');
        return;
    }
    uint32_t nl = (nbytes + 3) / 4;
    uint32_t *limbs = calloc(nl, sizeof *limbs);
    /* at most 10 decimal digits per 4 bytes; chunks of 9 digits */
    uint32_t *chunks = malloc(((size_t)nl * 10 / 9 + 2) * sizeof *chunks);
    if (!limbs || !chunks) {
        free(limbs);
        free(chunks);
        b->failed = true;
        return;
    }
    for (uint32_t i = 0; i < nbytes; i++) limbs[i / 4] |= (uint32_t)mag[i] << (8 * (i % 4));
    size_t nc = 0;
    do {
        uint64_t rem = 0;
        for (uint32_t i = nl; i-- > 0;) {
            uint64_t cur = (rem << 32) | limbs[i];
            limbs[i] = (uint32_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        chunks[nc++] = (uint32_t)rem;
        while (nl && limbs[nl - 1] == 0) nl--;
    } while (nl);
    if (neg) buf_putc(b, '-');
    buf_printf(b, "%u", chunks[nc - 1]);
    for (size_t i = nc - 1; i-- > 0;) buf_printf(b, "%09u", chunks[i]);
    free(limbs);
    free(chunks);
}

/* Shortest decimal digits that read back as `x` (x finite, > 0). Writes the digits
 * (no dot) to `digits` and returns their count; *exp10 is the exponent of the first
 * digit (x = d.ddd * 10^exp10). */
static int shortest_digits(double x, char digits[32], int *exp10) {
    char tmp[64];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
        if (strtod(tmp, NULL) == x || prec == 17) break;
    }
    /* tmp is d[.ddd]e[+-]XX */
    int nd = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[nd++] = *p;
    *exp10 = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = 0;
    return nd;
}

static void put_zeros(exs_buf *b, int n) {
    for (int i = 0; i < n; i++) buf_putc(b, '0');
}

/* Inspect.Float (Elixir 1.14) over :io_lib_format.fwrite_g/1 (OTP). */
static void put_float(exs_buf *b, double f) {
    double a = fabs(f);
    if (a >= 1.0 && a < 1.0e16 && trunc(f) == f) {
        buf_printf(b, "%.0f.0", f);
        return;
    }
    if (f == 0) {
        buf_puts(b, signbit(f) ? "-0.0" : "0.0");
        return;
    }
    if (f < 0) buf_putc(b, '-');
    char d[32];
    int e10;
    int L = shortest_digits(a, d, &e10);
    int place = e10 + 1; /* x = 0.ddd * 10^place */
    if (place == 0) {
        buf_puts(b, "0.");
        buf_put(b, d, (size_t)L);
        return;
    }
    if (place < 0 || place >= L) {
        char expl[16];
        int el = snprintf(expl, sizeof expl, "%d", place - 1);
        int exp_cost = el + 1 + (L == 1 ? 2 : 1);
        /* OTP's fwrite_g prints trailing zeros only below 2^53 */
        bool plain = place < 0 ? (2 - place <= exp_cost)
                               : (place - L + 2 <= exp_cost && a < 9007199254740992.0);
        if (plain && place < 0) {
            buf_puts(b, "0.");
            put_zeros(b, -place);
            buf_put(b, d, (size_t)L);
        } else if (plain) {
            buf_put(b, d, (size_t)L);
            put_zeros(b, place - L);
            buf_puts(b, ".0");
        } else {
            buf_putc(b, d[0]);
            buf_putc(b, '.');
            if (L == 1)
                buf_putc(b, '0');
            else
                buf_put(b, d + 1, (size_t)L - 1);
            buf_putc(b, 'e');
            buf_puts(b, expl);
        }
        return;
    }
    buf_put(b, d, (size_t)place);
    buf_putc(b, '.');
    buf_put(b, d + place, (size_t)(L - place));
}

/* ---- Terms -------------------------------------------------------------------- */

static void put_term(ex_writer *w, exs_ref r, exs_ref owner);

static bool is_charlist(const exs_tree *t, const exs_term *n) {
    for (uint32_t i = 0; i < n->len; i++) {
        const exs_term *k = tree_get(t, n->v.kids[i]);
        if (k->kind != EXS_TERM_INT) return false;
        int64_t c = k->v.i;
        if (!((c >= 7 && c <= 13) || c == 27 || (c >= 32 && c <= 126))) return false;
    }
    return true;
}

static bool is_keyword(const exs_tree *t, const exs_term *n) {
    for (uint32_t i = 0; i < n->len; i++) {
        const exs_term *k = tree_get(t, n->v.kids[i]);
        if (k->kind != EXS_TERM_TUPLE || k->len != 2) return false;
        const exs_term *key = tree_get(t, k->v.kids[0]);
        if (key->kind != EXS_TERM_ATOM) return false;
        if (key->len >= 7 && memcmp(key->v.s, "Elixir.", 7) == 0) return false;
    }
    return true;
}

static void put_meta(ex_writer *w, const exs_term *m, exs_ref owner) {
    exs_buf *b = w->b;
    buf_putc(b, '[');
    for (uint32_t i = 0; i < m->len; i++) {
        const exs_meta_kv *kv = &m->v.kv[i];
        if (i) buf_puts(b, ", ");
        const char *key = exs_meta_key_name((exs_meta_key)kv->key);
        put_atom_key(b, key, strlen(key));
        buf_putc(b, ' ');
        if (kv->is_term)
            put_term(w, kv->value, EXS_REF_NONE);
        else
            buf_printf(b, "%u", (unsigned)kv->value);
    }
    if (w->ids && owner != EXS_REF_NONE) {
        char idbuf[40];
        exs_node_id_format(w->ids[owner], idbuf);
        if (m->len) buf_puts(b, ", ");
        buf_puts(b, "node_id: \"");
        buf_puts(b, idbuf);
        buf_putc(b, '"');
    }
    buf_putc(b, ']');
}

static void put_term(ex_writer *w, exs_ref r, exs_ref owner) {
    const exs_tree *t = w->t;
    exs_buf *b = w->b;
    const exs_term *n = tree_get(t, r);
    if (b->failed) return;
    switch ((exs_term_kind)n->kind) {
    case EXS_TERM_INT:
        buf_printf(b, "%lld", (long long)n->v.i);
        break;
    case EXS_TERM_BIGINT:
        put_bigint(b, (const uint8_t *)n->v.s, n->len, n->flags & EXS_TF_NEG);
        break;
    case EXS_TERM_FLOAT:
        put_float(b, n->v.f);
        break;
    case EXS_TERM_ATOM:
        put_atom_literal(b, n->v.s, n->len);
        break;
    case EXS_TERM_BINARY:
        if (is_printable_binary(n->v.s, n->len)) {
            buf_putc(b, '"');
            put_escaped(b, n->v.s, n->len, '"');
            buf_putc(b, '"');
        } else {
            buf_puts(b, "<<");
            for (uint32_t i = 0; i < n->len; i++)
                buf_printf(b, i ? ", %u" : "%u", (unsigned)(unsigned char)n->v.s[i]);
            buf_puts(b, ">>");
        }
        break;
    case EXS_TERM_LIST:
        if (!n->len) {
            buf_puts(b, "[]");
        } else if (is_charlist(t, n)) {
            buf_putc(b, '\'');
            for (uint32_t i = 0; i < n->len; i++) {
                char c = (char)tree_get(t, n->v.kids[i])->v.i;
                if (c == '#' && i + 1 < n->len && tree_get(t, n->v.kids[i + 1])->v.i == '{') {
                    buf_puts(b, "\\#{");
                    i++;
                } else {
                    put_escaped(b, &c, 1, '\'');
                }
            }
            buf_putc(b, '\'');
        } else if (is_keyword(t, n)) {
            buf_putc(b, '[');
            for (uint32_t i = 0; i < n->len; i++) {
                const exs_term *kv = tree_get(t, n->v.kids[i]);
                const exs_term *key = tree_get(t, kv->v.kids[0]);
                if (i) buf_puts(b, ", ");
                put_atom_key(b, key->v.s, key->len);
                buf_putc(b, ' ');
                put_term(w, kv->v.kids[1], EXS_REF_NONE);
            }
            buf_putc(b, ']');
        } else {
            buf_putc(b, '[');
            for (uint32_t i = 0; i < n->len; i++) {
                if (i) buf_puts(b, ", ");
                put_term(w, n->v.kids[i], EXS_REF_NONE);
            }
            buf_putc(b, ']');
        }
        break;
    case EXS_TERM_TUPLE: {
        bool is_node = tree_is_call(t, r);
        buf_putc(b, '{');
        for (uint32_t i = 0; i < n->len; i++) {
            if (i) buf_puts(b, ", ");
            put_term(w, n->v.kids[i], is_node && i == 1 ? r : EXS_REF_NONE);
        }
        buf_putc(b, '}');
        break;
    }
    case EXS_TERM_META:
        put_meta(w, n, owner);
        break;
    }
}

bool write_elixir(const exs_tree *t, exs_ref root, const uint64_t *ids, exs_buf *out) {
    ex_writer w = {t, ids, out};
    put_term(&w, root, EXS_REF_NONE);
    buf_putc(out, '\n');
    return !out->failed;
}
