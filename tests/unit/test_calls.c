/* test_calls.c: fixture tests of call extraction and resolution (src/analyze/calls.c).
 *
 * Each test parses a few sources: a small fixture "Kernel" and "Kernel.SpecialForms"
 * (resolution learns what they export from their definitions, as it learns the real
 * ones from the Elixir sources), maybe other modules, and the file under test (the
 * last). Its sites are resolved against the exports of all the sources and rendered
 * one per line, "CALLER -> TARGET FORM[+piped][+captured] RES LINE" (the format of
 * tests/tools/callsdump.c without the path), and compared with the exact expected
 * text, so a test shows every site, not a sample. Special forms are rendered too. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>

#include "analyze/calls.h"
#include "analyze/defs.h"
#include "analyze/expand.h"
#include "exscope.h"
#include "harness.h"
#include "parse/parse.h"

static const char *const kernel_src =
    "defmodule Kernel do\n"
    "  def left + right, do: :erlang.+(left, right)\n"
    "  def left - right, do: :erlang.-(left, right)\n"
    "  def is_integer(x), do: :erlang.is_integer(x)\n"
    "  def length(x), do: :erlang.length(x)\n"
    "  def apply(m, f, a), do: :erlang.apply(m, f, a)\n"
    "  def apply(f, a), do: :erlang.apply(f, a)\n"
    "  def to_string(x), do: x\n"
    "  defmacro left |> right, do: {left, right}\n"
    "  defmacro if(c, clauses), do: {c, clauses}\n"
    "  defmacro left && right, do: {left, right}\n"
    "end\n"
    "defmodule Kernel.SpecialForms do\n"
    "  defmacro case(c, clauses), do: {c, clauses}\n"
    "  defmacro for(args), do: args\n"
    "  defmacro __MODULE__, do: nil\n"
    "  defmacro unquote(:^)(v), do: v\n"
    "end\n";

typedef struct {
    exs_file *f[8];
    exs_arena *a[8];
    defs_result r[8];
    calls_result calls[8];
    size_t n;
} fx;

/* `use M`: M's usings entry in any loaded file. */
static const calls_import *fx_using(void *ctx, const char *module) {
    fx *x = ctx;
    for (size_t i = 0; i < x->n; i++)
        for (uint32_t k = 0; k < x->calls[i].using_count; k++) {
            const char *m = x->r[i].modules[x->calls[i].usings[k].module].name;
            if (m && strcmp(m, module) == 0) return x->calls[i].usings[k].imports;
        }
    return NULL;
}

static const calls_import *fx_using(void *ctx, const char *module);

static bool fx_exports(void *ctx, const char *module, const char *name, uint32_t arity,
                       uint8_t *kind_out) {
    fx *x = ctx;
    for (size_t i = 0; i < x->n; i++)
        for (uint32_t k = 0; k < x->r[i].function_count; k++) {
            const defs_function *f = &x->r[i].functions[k];
            const char *m = x->r[i].modules[f->module].name;
            if (!f->is_public || f->in_using || !f->name || !m || f->arity != arity) continue;
            if (strcmp(m, module) || strcmp(f->name, name)) continue;
            if (kind_out) *kind_out = f->kind;
            return true;
        }
    return false;
}

static uint32_t fx_exports_of(void *ctx, const char *module, const char **names,
                              uint32_t *arities, uint32_t cap) {
    fx *x = ctx;
    uint32_t k = 0;
    for (size_t i = 0; i < x->n; i++)
        for (uint32_t j = 0; j < x->r[i].function_count; j++) {
            const defs_function *f = &x->r[i].functions[j];
            const char *m = x->r[i].modules[f->module].name;
            if (!f->is_public || !f->name || !m || strcmp(m, module)) continue;
            if (names && k < cap) {
                names[k] = f->name;
                arities[k] = f->arity;
            }
            k++;
        }
    return names && k > cap ? cap : k;
}

static void fx_add(fx *x, const char *src) {
    exs_error err;
    exs_parse_options o = {.columns = true};
    ASSERT(x->n < 8);
    size_t len = strlen(src);
    char *buf = malloc(len + 1);
    ASSERT(buf);
    memcpy(buf, src, len);
    exs_status st = exs_parse(buf, len, "t.ex", &o, &x->f[x->n], &err);
    free(buf);
    if (st != EXS_OK) TEST_FAIL_("parse: %s at %u", err.message, err.line);
    x->a[x->n] = arena_new(4096);
    ASSERT(x->a[x->n]);
    ASSERT_EQ(defs_extract(parse_file_tree(x->f[x->n]), parse_file_ids(x->f[x->n]), x->a[x->n],
                           &x->r[x->n]),
              EXS_OK);
    x->n++;
}

static char out_buf[1 << 15];

static void put(char **p, size_t *left, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char **p, size_t *left, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(*p, *left, fmt, ap);
    va_end(ap);
    ASSERT(n >= 0 && (size_t)n < *left);
    *p += n;
    *left -= (size_t)n;
}

/* Loads Kernel, the `others`, then `src`; returns the rendering of src's sites. */
static const char *run(const char *src, const char *const *others, calls_result *out_calls) {
    static fx x;
    memset(&x, 0, sizeof(x));
    fx_add(&x, kernel_src);
    for (; others && *others; others++) fx_add(&x, *others);
    fx_add(&x, src);
    defs_result *rs[8];
    for (size_t i = 0; i < x.n; i++) rs[i] = &x.r[i];
    ASSERT_EQ(expand_apply(rs, x.a, x.n), EXS_OK);
    size_t last = x.n - 1;
    calls_result cr;
    ASSERT_EQ(calls_extract(parse_file_tree(x.f[last]), parse_file_ids(x.f[last]), &x.r[last],
                            x.a[last], &cr),
              EXS_OK);
    calls_lookup lk = {fx_exports, fx_exports_of, &x};
    for (size_t i = 0; i < last; i++)
        ASSERT_EQ(calls_extract(parse_file_tree(x.f[i]), parse_file_ids(x.f[i]), &x.r[i], x.a[i],
                                &x.calls[i]),
                  EXS_OK);
    x.calls[last] = cr;
    calls_resolve_using(&cr, &x.r[last], &lk, fx_using);
    if (out_calls) *out_calls = cr;
    char *p = out_buf;
    size_t left = sizeof(out_buf);
    out_buf[0] = 0;
    const defs_result *r = &x.r[last];
    for (uint32_t i = 0; i < cr.site_count; i++) {
        const calls_site *s = &cr.sites[i];
        if (s->caller_module == DEFS_NONE) put(&p, &left, "-");
        else if (s->caller_fun == DEFS_NONE) put(&p, &left, "%s", r->modules[s->caller_module].name);
        else
            put(&p, &left, "%s.%s/%u", r->modules[s->caller_module].name,
                r->functions[s->caller_fun].name, r->functions[s->caller_fun].arity);
        char ar[16];
        if (s->arity == CALLS_ARITY_UNKNOWN) snprintf(ar, sizeof ar, "?");
        else snprintf(ar, sizeof ar, "%u", s->arity);
        if (s->resolution != CALLS_UNRESOLVED)
            put(&p, &left, " -> %s.%s/%s", s->target_module, s->name, ar);
        else if (s->module)
            put(&p, &left, " -> ?%s.%s/%s", s->module, s->name, ar);
        else
            put(&p, &left, " -> ?%s/%s", s->name[0] ? s->name : ".()", ar);
        put(&p, &left, " %s%s%s %s %u\n", calls_form_name((calls_form)s->form),
            s->piped ? "+piped" : "", s->captured ? "+captured" : "",
            calls_resolution_name((calls_resolution)s->resolution), s->line);
    }
    return out_buf;
}


TEST(locals_and_default_arities) {
    const char *got = run("defmodule A do\n"
                          "  def f(x, y \\\\ 1), do: g(x) + y\n"
                          "  defp g(x), do: f(x)\n"
                          "  def h, do: f(1, 2)\n"
                          "end\n",
                          NULL, NULL);
    ASSERT_STR_EQ(got, "A.f/2 -> Kernel.+/2 local import 2\n"
                       "A.f/2 -> A.g/1 local local 2\n"
                       "A.g/1 -> A.f/1 local local 3\n"
                       "A.h/0 -> A.f/2 local local 4\n");
}

TEST(remote_and_aliases) {
    static const char *const others[] = {
        "defmodule Foo.Bar do\n  def x(a), do: a\nend\n"
        "defmodule Foo.Baz do\n  def y, do: 1\nend\n"
        "defmodule Foo.Qux.Deep do\n  def z, do: 1\nend\n",
        NULL};
    const char *got = run("defmodule M do\n"
                          "  alias Foo.Bar\n"
                          "  alias Foo.Baz, as: B\n"
                          "  alias Foo.{Qux, Qux.Deep}\n"
                          "  def a do\n"
                          "    Bar.x(1)\n"
                          "    B.y()\n"
                          "    Qux.Deep.z()\n"
                          "    Deep.z\n"
                          "    Elixir.Bar.x(1)\n"
                          "    :lists.reverse([])\n"
                          "  end\n"
                          "end\n",
                          others, NULL);
    ASSERT_STR_EQ(got, "M.a/0 -> Foo.Bar.x/1 remote remote 6\n"
                       "M.a/0 -> Foo.Baz.y/0 remote remote 7\n"
                       "M.a/0 -> Foo.Qux.Deep.z/0 remote remote 8\n"
                       "M.a/0 -> Foo.Qux.Deep.z/0 remote remote 9\n"
                       "M.a/0 -> ?Bar.x/1 remote unresolved 10\n"
                       "M.a/0 -> ?:lists.reverse/1 remote unresolved 11\n");
}

TEST(module_macro_and_nested_modules) {
    const char *got = run("defmodule Outer do\n"
                          "  defmodule Inner do\n"
                          "    def i, do: __MODULE__.j()\n"
                          "    def j, do: 1\n"
                          "  end\n"
                          "  defmodule Inner.Sub do\n"
                          "    def s, do: 1\n"
                          "  end\n"
                          "  def o, do: Inner.i()\n"
                          "  def p, do: __MODULE__.Inner.Sub.s()\n"
                          "  def q, do: Inner.Sub.s()\n"
                          "end\n",
                          NULL, NULL);
    ASSERT_STR_EQ(got, "Outer.Inner.i/0 -> Outer.Inner.j/0 remote remote 3\n"
                       "Outer.o/0 -> Outer.Inner.i/0 remote remote 9\n"
                       "Outer.p/0 -> Outer.Inner.Sub.s/0 remote remote 10\n"
                       "Outer.q/0 -> Outer.Inner.Sub.s/0 remote remote 11\n");
}

TEST(imports_only_except_and_lexical) {
    static const char *const others[] = {
        "defmodule U do\n  def f(a), do: a\n  def g(a), do: a\n  defmacro m(a), do: a\nend\n", NULL};
    const char *got = run("defmodule M do\n"
                          "  import U, only: [f: 1]\n"
                          "  def a(x), do: f(x) + g(x)\n"
                          "  def b(x) do\n"
                          "    import U, except: [f: 1]\n"
                          "    g(x) + f(x)\n"
                          "  end\n"
                          "  def c(x), do: g(x)\n"
                          "  def d(x) do\n"
                          "    import U, only: :macros\n"
                          "    m(x) + f(x)\n"
                          "  end\n"
                          "  def e(x) do\n"
                          "    import U, only: :functions\n"
                          "    m(x)\n"
                          "  end\n"
                          "end\n",
                          others, NULL);
    ASSERT_STR_EQ(got, "M.a/1 -> Kernel.+/2 local import 3\n"
                       "M.a/1 -> U.f/1 local import 3\n"
                       "M.a/1 -> ?g/1 local unresolved 3\n"
                       "M.b/1 -> Kernel.+/2 local import 6\n"
                       "M.b/1 -> U.g/1 local import 6\n"
                       "M.b/1 -> ?f/1 local unresolved 6\n"
                       "M.c/1 -> ?g/1 local unresolved 8\n"
                       "M.d/1 -> Kernel.+/2 local import 11\n"
                       "M.d/1 -> U.m/1 local import 11\n"
                       "M.d/1 -> ?f/1 local unresolved 11\n"
                       "M.e/1 -> ?m/1 local unresolved 15\n");
}

TEST(kernel_except_and_special_forms) {
    const char *got = run("defmodule M do\n"
                          "  import Kernel, except: [length: 1]\n"
                          "  def length(x), do: x\n"
                          "  def a(x) do\n"
                          "    case length(x) do\n"
                          "      ^x -> is_integer(x)\n"
                          "    end\n"
                          "    for y <- x, z <- y, do: z\n"
                          "  end\n"
                          "end\n",
                          NULL, NULL);
    ASSERT_STR_EQ(got, "M.a/1 -> Kernel.SpecialForms.case/2 local special_form 5\n"
                       "M.a/1 -> M.length/1 local local 5\n"
                       "M.a/1 -> Kernel.is_integer/1 local import 6\n"
                       "M.a/1 -> Kernel.SpecialForms.for/3 local special_form 8\n");
}

TEST(pipes_and_captures) {
    static const char *const others[] = {"defmodule Enum do\n  def map(e, f), do: {e, f}\nend\n",
                                         NULL};
    const char *got = run("defmodule M do\n"
                          "  def a(x) do\n"
                          "    x |> Enum.map(&f/1) |> g(2) |> h\n"
                          "    &Enum.map/2\n"
                          "    &Enum.map(&1, 2)\n"
                          "  end\n"
                          "  def f(x), do: x\n"
                          "  def g(x, y), do: {x, y}\n"
                          "  def h(x), do: x\n"
                          "end\n",
                          others, NULL);
    ASSERT_STR_EQ(got, "M.a/1 -> Enum.map/2 remote+piped remote 3\n"
                       "M.a/1 -> M.f/1 local+captured local 3\n"
                       "M.a/1 -> M.g/2 local+piped local 3\n"
                       "M.a/1 -> M.h/1 local+piped local 3\n"
                       "M.a/1 -> Enum.map/2 remote+captured remote 4\n"
                       "M.a/1 -> Enum.map/2 remote+captured remote 5\n");
}

TEST(dynamic_calls) {
    static const char *const others[] = {"defmodule Enum do\n  def count(e), do: e\nend\n", NULL};
    const char *got = run("defmodule M do\n"
                          "  def a(mod, fun, args) do\n"
                          "    mod.run(1)\n"
                          "    fun.(1, 2)\n"
                          "    apply(Enum, :count, [args])\n"
                          "    apply(mod, :x, args)\n"
                          "    mod.field\n"
                          "    :erlang.apply(Enum, :count, [1])\n"
                          "    Enum.__info__(:functions)\n"
                          "  end\n"
                          "end\n",
                          others, NULL);
    ASSERT_STR_EQ(got, "M.a/3 -> ?run/1 dynamic unresolved 3\n"
                       "M.a/3 -> ?.()/2 dynamic unresolved 4\n"
                       "M.a/3 -> Kernel.apply/3 local import 5\n"
                       "M.a/3 -> Enum.count/1 dynamic remote 5\n"
                       "M.a/3 -> Kernel.apply/3 local import 6\n"
                       "M.a/3 -> ?x/? dynamic unresolved 6\n"
                       "M.a/3 -> ?:erlang.apply/3 remote unresolved 8\n"
                       "M.a/3 -> Enum.count/1 dynamic remote 8\n"
                       "M.a/3 -> Enum.__info__/1 remote remote 9\n");
}

TEST(not_calls_specs_quote_attrs_heads) {
    const char *got = run("defmodule M do\n"
                          "  @type t :: integer() | list(t)\n"
                          "  @spec a(t) :: t\n"
                          "  @limit length([1])\n"
                          "  def a(x) when is_integer(x) do\n"
                          "    q = quote do\n"
                          "      unknown(unquote(length(x)))\n"
                          "    end\n"
                          "    @limit\n"
                          "    <<y::size(8)>> = q\n"
                          "    y\n"
                          "  end\n"
                          "end\n",
                          NULL, NULL);
    ASSERT_STR_EQ(got, "M -> Kernel.length/1 local import 4\n"
                       "M.a/1 -> Kernel.is_integer/1 local import 5\n"
                       "M.a/1 -> Kernel.length/1 local import 7\n");
}

TEST(positions_node_ids_and_delegate) {
    static const char *const others[] = {"defmodule Impl do\n  def go(a), do: a\nend\n", NULL};
    calls_result cr;
    const char *got = run("defmodule M do\n"
                          "  defdelegate run(a), to: Impl, as: :go\n"
                          "  def b(x), do:   run(x)\n"
                          "end\n",
                          others, &cr);
    ASSERT_STR_EQ(got, "M.run/1 -> Impl.go/1 remote remote 2\n"
                       "M.b/1 -> M.run/1 local local 3\n");
    ASSERT_EQ(cr.sites[1].column, 19);
    ASSERT(cr.sites[1].node_id != 0);
    ASSERT(cr.sites[0].node_id != cr.sites[1].node_id);
}

TEST(defaults_impls_fragments_paths) {
    static const char *const others[] = {
        "defmodule D do\n  def now, do: 1\nend\n"
        "defprotocol P do\n  def p(x)\nend\n",
        NULL};
    const char *got = run("defmodule M do\n"
                          "  def f(a, b \\\\ D.now(), c \\\\ D.now()), do: {a, b, c}\n"
                          "  for n <- [:x] do\n"
                          "    def unquote(n)(), do: unquote(length([n]))\n"
                          "  end\n"
                          "  def g(s), do: put_in(s.a[:k], D.now())\n"
                          "  defmacro h(o) do\n"
                          "    quote bind_quoted: [o: D.now()] do\n"
                          "      unquote(D.now())\n"
                          "    end\n"
                          "  end\n"
                          "end\n"
                          "defimpl P, for: [A, B] do\n"
                          "  def p(x), do: D.now()\n"
                          "end\n",
                          others, NULL);
    ASSERT_STR_EQ(got, "M.f/1 -> D.now/0 remote remote 2\n"
                       "M.f/1 -> D.now/0 remote remote 2\n"
                       "M.f/2 -> D.now/0 remote remote 2\n"
                       "M -> Kernel.SpecialForms.for/2 local special_form 3\n"
                       "M -> Kernel.length/1 local import 4\n"
                       "M.g/1 -> ?put_in/2 local unresolved 6\n"
                       "M.g/1 -> D.now/0 remote remote 6\n"
                       "M.h/1 -> D.now/0 remote remote 8\n"
                       "P.A.p/1 -> D.now/0 remote remote 14\n"
                       "P.B.p/1 -> D.now/0 remote remote 14\n");
}

TEST(alias_forms_require_sigils) {
    static const char *const others[] = {
        "defmodule M.Sub do\n  def s, do: 1\nend\n"
        "defmodule Far.Away do\n  def w, do: 1\nend\n"
        "defmodule Sig do\n  def sigil_x(a, b), do: {a, b}\n  def plain(a), do: a\nend\n",
        NULL};
    const char *got = run("defmodule M do\n"
                          "  alias __MODULE__.Sub\n"
                          "  require Far.Away, as: FA\n"
                          "  alias Far.Away\n"
                          "  alias Away, as: AA\n"
                          "  import Sig, only: :sigils\n"
                          "  def a do\n"
                          "    Sub.s()\n"
                          "    FA.w()\n"
                          "    AA.w()\n"
                          "    sigil_x(1, 2)\n"
                          "    plain(1)\n"
                          "    &Sub.s/0\n"
                          "  end\n"
                          "  def b do\n"
                          "    if true do\n"
                          "      alias Far.Away, as: Inner\n"
                          "      Inner.w()\n"
                          "    end\n"
                          "    Inner.w()\n"
                          "    2 |> Far.Away.w() |> (&(&1 - 1)).()\n"
                          "  end\n"
                          "end\n",
                          others, NULL);
    ASSERT_STR_EQ(got, "M.a/0 -> M.Sub.s/0 remote remote 8\n"
                       "M.a/0 -> Far.Away.w/0 remote remote 9\n"
                       "M.a/0 -> Far.Away.w/0 remote remote 10\n"
                       "M.a/0 -> Sig.sigil_x/2 local import 11\n"
                       "M.a/0 -> ?plain/1 local unresolved 12\n"
                       "M.a/0 -> M.Sub.s/0 remote+captured remote 13\n"
                       "M.b/0 -> Kernel.if/2 local import 16\n"
                       "M.b/0 -> Far.Away.w/0 remote remote 18\n"
                       "M.b/0 -> ?Inner.w/0 remote unresolved 20\n"
                       "M.b/0 -> ?Far.Away.w/1 remote+piped unresolved 21\n"
                       "M.b/0 -> ?.()/1 dynamic+piped unresolved 21\n"
                       "M.b/0 -> Kernel.-/2 local+captured import 21\n");
}

TEST(use_brings_using_imports) {
    static const char *const others[] = {
        "defmodule Helpers do\n  def help(x), do: x\n  defmacro check(x), do: x\nend\n"
        "defmodule Base do\n"
        "  defmacro __using__(_opts) do\n"
        "    quote do\n"
        "      import Helpers, only: [help: 1]\n"
        "      import unquote(__MODULE__)\n"
        "    end\n"
        "  end\n"
        "  def base_fun(x), do: x\n"
        "end\n"
        "defmodule ExUnit.CaseTemplate do\n  defmacro using(v, b), do: {v, b}\nend\n"
        "defmodule ExUnit.Case do\n"
        "  defmacro __using__(_), do: quote(do: import(Helpers))\n"
        "end\n"
        "defmodule MyCase do\n"
        "  use ExUnit.CaseTemplate\n"
        "  using do\n"
        "    quote do\n"
        "      use Base\n"
        "    end\n"
        "  end\n"
        "end\n",
        NULL};
    const char *got = run("defmodule T do\n"
                          "  use MyCase\n"
                          "  def a(x), do: help(x) + base_fun(x) + check(x)\n"
                          "end\n"
                          "defmodule U do\n"
                          "  def b(x), do: help(x)\n"
                          "end\n",
                          others, NULL);
    ASSERT_STR_EQ(got, "T.a/1 -> Kernel.+/2 local import 3\n"
                       "T.a/1 -> Kernel.+/2 local import 3\n"
                       "T.a/1 -> Helpers.help/1 local import 3\n"
                       "T.a/1 -> Base.base_fun/1 local import 3\n"
                       "T.a/1 -> Helpers.check/1 local import 3\n"
                       "U.b/1 -> ?help/1 local unresolved 6\n");
}

TEST_LIST(TEST_ENTRY(use_brings_using_imports), TEST_ENTRY(alias_forms_require_sigils), TEST_ENTRY(defaults_impls_fragments_paths), TEST_ENTRY(locals_and_default_arities), TEST_ENTRY(remote_and_aliases),
          TEST_ENTRY(module_macro_and_nested_modules), TEST_ENTRY(imports_only_except_and_lexical),
          TEST_ENTRY(kernel_except_and_special_forms), TEST_ENTRY(pipes_and_captures),
          TEST_ENTRY(dynamic_calls), TEST_ENTRY(not_calls_specs_quote_attrs_heads),
          TEST_ENTRY(positions_node_ids_and_delegate))
