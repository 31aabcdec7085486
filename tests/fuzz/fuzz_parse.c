/* fuzz_parse.c: libFuzzer target for exs_parse and the three writers of exs_file_write.
 *
 * Input layout: byte 0 selects options, the rest is the Elixir source (an exact-size
 * buffer, so ASan sees any over-read). Option bits of byte 0:
 *   0 columns          1 token_metadata     2 node_ids in the writers
 *   3+4 both set: max_depth = 1..8 (bits 5-7 + 1), else the default
 *   7 (with default depth) parse a second time and require identical ETF bytes
 * An empty input parses "" with default options.
 *
 * Invariants checked (each false only for a bug; a failure traps so libFuzzer and
 * fuzz_replay report it): the status is OK, SYNTAX or LIMIT (NOMEM only for huge
 * inputs); errors carry the caller's path, line >= 1 within the input, a column (with
 * columns: true) and a non-empty message; successes yield a file with terms and
 * tokens; ETF is one well-formed term starting with byte 131, filling the output
 * exactly, with UTF-8 atoms, nesting no deeper than the parser's bound (8 terms per
 * max_depth level); JSON is one well-formed value plus a newline, NUL-free and valid
 * UTF-8; Elixir text is one line, NUL-free, valid UTF-8 and NUL-terminated; re-parsing
 * is deterministic.
 *
 * Run by `make fuzz` (clang -fsanitize=fuzzer) and, without libFuzzer, by
 * tests/tools/fuzz_replay.c over tests/fuzz/corpus/ in `make test`. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exscope.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) __builtin_trap();                                                             \
    } while (0)

/* Length of the valid UTF-8 sequence at s[0..n), or 0 if invalid. */
static size_t utf8_len(const uint8_t *s, size_t n) {
    uint8_t c = s[0];
    if (c < 0x80) return 1;
    size_t k;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF)
        k = 2, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        k = 3, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        k = 4, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n < k) return 0;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return k;
}

static bool valid_utf8(const uint8_t *s, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(s + i, n - i);
        if (!k) return false;
        i += k;
    }
    return true;
}

/* ---- ETF: walks the term iteratively, with a stack of "terms left" per container ---- */

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* True if s[0..n) is exactly one well-formed term; *depth is its container nesting. */
static bool etf_ok(const uint8_t *s, size_t n, size_t *depth) {
    if (n < 2 || s[0] != 131) return false;
    /* a container needs at least one byte, so nesting is below n */
    uint64_t *left = malloc(n * sizeof(*left));
    size_t sp = 0, i = 1;
    bool ok = false;
    *depth = 0;
    if (!left) return true; /* cannot check; not the parser's fault */
    left[sp++] = 1;
#define NEED(k)                                                                                    \
    do {                                                                                           \
        if (n - i < (size_t)(k)) goto done;                                                        \
    } while (0)
    while (sp) {
        if (!left[sp - 1]) {
            sp--;
            continue;
        }
        left[sp - 1]--;
        NEED(1);
        uint8_t tag = s[i++];
        uint64_t kids = 0;
        uint32_t len;
        switch (tag) {
        case 97:
            NEED(1);
            i += 1;
            break; /* SMALL_INTEGER_EXT */
        case 98:
            NEED(4);
            i += 4;
            break; /* INTEGER_EXT */
        case 70:
            NEED(8);
            i += 8;
            break; /* NEW_FLOAT_EXT */
        case 106:
            break; /* NIL_EXT */
        case 104:
            NEED(1);
            kids = s[i++];
            break; /* SMALL_TUPLE_EXT */
        case 105:
            NEED(4);
            kids = be32(s + i);
            i += 4;
            break;
        case 108:
            NEED(4);
            kids = (uint64_t)be32(s + i) + 1;
            i += 4;
            break; /* LIST_EXT + tail */
        case 107:  /* STRING_EXT */
            NEED(2);
            len = (uint32_t)s[i] << 8 | s[i + 1];
            i += 2;
            NEED(len);
            i += len;
            break;
        case 109: /* BINARY_EXT */
            NEED(4);
            len = be32(s + i);
            i += 4;
            NEED(len);
            i += len;
            break;
        case 110: /* SMALL_BIG_EXT: n, sign, n digit bytes */
            NEED(2);
            len = s[i];
            i += 2;
            NEED(len);
            i += len;
            break;
        case 111:
            NEED(5);
            len = be32(s + i);
            i += 5;
            NEED(len);
            i += len;
            break;
        case 119: /* SMALL_ATOM_UTF8_EXT */
            NEED(1);
            len = s[i++];
            NEED(len);
            if (!valid_utf8(s + i, len)) goto done;
            i += len;
            break;
        case 118: /* ATOM_UTF8_EXT */
            NEED(2);
            len = (uint32_t)s[i] << 8 | s[i + 1];
            i += 2;
            NEED(len);
            if (!valid_utf8(s + i, len)) goto done;
            i += len;
            break;
        default:
            goto done;
        }
        if (kids) {
            if (kids > n - i || sp == n) goto done; /* each kid needs at least one byte */
            left[sp++] = kids;
            if (sp - 1 > *depth) *depth = sp - 1;
        }
    }
#undef NEED
    ok = i == n;
done:
    free(left);
    return ok;
}

/* ---- JSON (RFC 8259): an iterative recognizer with an explicit container stack ---- */

static size_t ws(const uint8_t *s, size_t n, size_t i) {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

static size_t json_string(const uint8_t *s, size_t n, size_t i) { /* 0 on error */
    i++;                                                          /* opening quote */
    while (i < n && s[i] != '"') {
        if (s[i] < 0x20) return 0;
        if (s[i] == '\\') {
            if (++i >= n) return 0;
            if (s[i] == 'u') {
                if (n - i < 5) return 0;
                for (int k = 1; k <= 4; k++)
                    if (!strchr("0123456789abcdefABCDEF", s[i + k]) || !s[i + k]) return 0;
                i += 5;
            } else if (s[i] && strchr("\"\\/bfnrt", s[i])) {
                i++;
            } else {
                return 0;
            }
        } else {
            size_t k = utf8_len(s + i, n - i);
            if (!k) return 0;
            i += k;
        }
    }
    return i < n ? i + 1 : 0;
}

static size_t json_number(const uint8_t *s, size_t n, size_t i) {
    size_t start = i;
    if (i < n && s[i] == '-') i++;
    if (i < n && s[i] == '0')
        i++;
    else if (i < n && s[i] >= '1' && s[i] <= '9')
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    else
        return 0;
    if (i < n && s[i] == '.') {
        if (++i >= n || s[i] < '0' || s[i] > '9') return 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= n || s[i] < '0' || s[i] > '9') return 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    return i > start ? i : 0;
}

static bool json_ok(const uint8_t *s, size_t n) {
    /* stack of open containers; a value nests at most once per input byte */
    char *stack = malloc(n + 1);
    size_t depth = 0, i = ws(s, n, 0);
    bool ok = false;
    if (!stack) return true; /* cannot check; not the parser's fault */
    for (;;) {
        /* a value at s[i] */
        if (i >= n) goto done;
        if (s[i] == '{' || s[i] == '[') {
            char open = (char)s[i];
            i = ws(s, n, i + 1);
            if (i < n && s[i] == (open == '{' ? '}' : ']')) {
                i++;
            } else {
                stack[depth++] = open;
                if (open == '{') {
                    if (i >= n || s[i] != '"' || !(i = json_string(s, n, i))) goto done;
                    i = ws(s, n, i);
                    if (i >= n || s[i] != ':') goto done;
                    i = ws(s, n, i + 1);
                }
                continue;
            }
        } else if (s[i] == '"') {
            if (!(i = json_string(s, n, i))) goto done;
        } else if (n - i >= 4 && !memcmp(s + i, "null", 4)) {
            i += 4;
        } else if (n - i >= 4 && !memcmp(s + i, "true", 4)) {
            i += 4;
        } else if (n - i >= 5 && !memcmp(s + i, "false", 5)) {
            i += 5;
        } else if (!(i = json_number(s, n, i))) {
            goto done;
        }
        /* after a value: close containers or move to the next member */
        for (;;) {
            i = ws(s, n, i);
            if (!depth) {
                ok = i == n;
                goto done;
            }
            char open = stack[depth - 1];
            if (i < n && s[i] == (open == '{' ? '}' : ']')) {
                depth--, i++;
                continue;
            }
            if (i >= n || s[i] != ',') goto done;
            i = ws(s, n, i + 1);
            if (open == '{') {
                if (i >= n || s[i] != '"' || !(i = json_string(s, n, i))) goto done;
                i = ws(s, n, i);
                if (i >= n || s[i] != ':') goto done;
                i = ws(s, n, i + 1);
            }
            break;
        }
    }
done:
    free(stack);
    return ok;
}

/* ---- the target ---- */

static void check_text(const char *out, size_t len) {
    CHECK(out != NULL && len > 0);
    CHECK(out[len] == '\0');
    CHECK(strlen(out) == len);
    CHECK(valid_utf8((const uint8_t *)out, len));
}

/* Writes f in every format; returns the ETF bytes (caller frees) for comparisons. */
static char *write_all(const exs_file *f, bool node_ids, unsigned max_depth, size_t *etf_len) {
    exs_write_options wo = {.node_ids = node_ids};
    char *out = NULL;
    size_t len = 0;

    CHECK(exs_file_write(f, EXS_FORMAT_ELIXIR, &wo, &out, &len) == EXS_OK);
    check_text(out, len);
    /* IO.puts of inspect: one line, every newline inside the term is escaped */
    CHECK(memchr(out, '\n', len) == out + len - 1);
    exs_free(out);

    CHECK(exs_file_write(f, EXS_FORMAT_JSON, &wo, &out, &len) == EXS_OK);
    check_text(out, len);
    CHECK(out[len - 1] == '\n');
    CHECK(json_ok((const uint8_t *)out, len));
    exs_free(out);

    CHECK(exs_file_write(f, EXS_FORMAT_ETF, &wo, &out, &len) == EXS_OK);
    CHECK(out != NULL && len >= 2 && (uint8_t)out[0] == 131);
    size_t depth;
    CHECK(etf_ok((const uint8_t *)out, len, &depth));
    /* The parser bounds term nesting to 8 per level + 64 (parser.c, deep_term) so the
     * recursive writers stay within the stack; +16 for metadata lists written as
     * keyword lists. */
    CHECK(depth <= 8 * (size_t)max_depth + 64 + 16);
    *etf_len = len;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t sel = size ? data[0] : 0;
    const char *src = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;
    static const char path[] = "fuzz.ex";

    exs_parse_options po = {
        .columns = sel & 1, .token_metadata = (sel >> 1) & 1, .file_id = sel >> 5};
    bool small_depth = (sel & 0x18) == 0x18;
    if (small_depth) po.max_depth = 1u + (sel >> 5);
    bool node_ids = (sel >> 2) & 1;
    bool reparse = !small_depth && (sel & 0x80);

    exs_file *f = (exs_file *)&f; /* must be overwritten */
    exs_error err;
    memset(&err, 0xAB, sizeof(err));
    exs_status st = exs_parse(src, len, path, &po, &f, &err);

    if (st != EXS_OK) {
        size_t lines = 1;
        for (size_t i = 0; i < len; i++)
            lines += src[i] == '\n';
        CHECK(st == EXS_ERR_SYNTAX || st == EXS_ERR_LIMIT ||
              (st == EXS_ERR_NOMEM && len > (64u << 20)));
        CHECK(f == NULL);
        CHECK(err.code == st);
        CHECK(err.path == path);
        CHECK(memchr(err.message, '\0', sizeof(err.message)) != NULL);
        if (st != EXS_ERR_NOMEM) {
            CHECK(err.message[0] != '\0');
            CHECK(err.line >= 1 && err.line <= lines);
            /* parser errors carry a column only with columns: true, as in Elixir */
            CHECK(err.column >= 1 || !po.columns);
        }
        return 0;
    }

    CHECK(f != NULL && err.code == EXS_OK);
    CHECK(exs_file_node_count(f) >= 1);
    CHECK(exs_file_token_count(f) >= 1);
    CHECK(exs_file_memory(f) > 0);
    size_t etf_len = 0;
    char *etf =
        write_all(f, node_ids, po.max_depth ? po.max_depth : EXS_DEFAULT_MAX_DEPTH, &etf_len);

    if (reparse) {
        exs_file *g = NULL;
        CHECK(exs_parse(src, len, NULL, &po, &g, NULL) == EXS_OK);
        size_t etf2_len = 0;
        char *out = NULL;
        exs_write_options wo = {.node_ids = node_ids};
        CHECK(exs_file_write(g, EXS_FORMAT_ETF, &wo, &out, &etf2_len) == EXS_OK);
        CHECK(etf2_len == etf_len && memcmp(out, etf, etf_len) == 0);
        CHECK(exs_file_node_count(g) == exs_file_node_count(f));
        exs_free(out);
        exs_file_free(g);
    }
    exs_free(etf);
    exs_file_free(f);
    return 0;
}
