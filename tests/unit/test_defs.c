/* test_defs.c: fixture tests of the definitions analyzer (src/analyze/defs.c) and the
 * cross-file expansion (src/analyze/expand.c).
 *
 * Each test parses a small source, extracts its definitions and compares a canonical
 * text rendering (one line per module and per function/arity, the rules of
 * docs/definitions.md) with the exact expected text, so a test shows the whole result,
 * not a sample of it. Expected facts follow Elixir 1.14's compiler (what
 * Mod.__info__/1 reports); the live comparison is tests/analyze/defs_oracle.sh. */
#define _POSIX_C_SOURCE 200809L
#include "analyze/defs.h"
#include "analyze/expand.h"
#include "exscope.h"
#include "harness.h"
#include "parse/parse.h"

typedef struct {
    exs_file *f;
    exs_arena *a;
    defs_result r;
} fx;

static fx load(const char *src) {
    fx x;
    memset(&x, 0, sizeof(x));
    exs_error err;
    exs_parse_options o = {0};
    size_t len = strlen(src);
    char *buf = malloc(len + 1);
    ASSERT(buf);
    memcpy(buf, src, len);
    exs_status st = exs_parse(buf, len, "t.ex", &o, &x.f, &err);
    free(buf);
    if (st != EXS_OK) TEST_FAIL_("parse: %s", err.message);
    x.a = arena_new(4096);
    ASSERT(x.a);
    ASSERT_EQ(defs_extract(parse_file_tree(x.f), parse_file_ids(x.f), x.a, &x.r), EXS_OK);
    return x;
}

static void drop(fx *x) {
    arena_free(x->a);
    exs_file_free(x->f);
}

static void put(char **p, size_t *left, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#include <stdarg.h>
static void put(char **p, size_t *left, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(*p, *left, fmt, ap);
    va_end(ap);
    ASSERT(n >= 0 && (size_t)n < *left);
    *p += n;
    *left -= (size_t)n;
}

/* Canonical rendering: modules ("mod NAME kind L1 [for=T] [doc] [doc=false] [cond]
 * [gen] [beh=..] [fields=..]" then directives "  use|import|alias|require T [as=A]
 * [only] [except]"), then "NAME.f/N kind line [private] [macro] [gen] [cond] [dyn]
 * [spec] [doc] [doc=false] [impl=X] [defaults_of=N] clauses=N [guard] [head]". */
static char out_buf[1 << 16];
static const char *render(const defs_result *r) {
    char *p = out_buf;
    size_t left = sizeof(out_buf);
    out_buf[0] = 0;
    for (uint32_t i = 0; i < r->module_count; i++) {
        const defs_module *m = &r->modules[i];
        put(&p, &left, "mod %s %s %u", m->name ? m->name : "?", defs_module_kind_name(m->kind),
            m->line_first);
        if (m->impl_for) put(&p, &left, " for=%s", m->impl_for);
        if (m->moduledoc == DEFS_DOC_STRING) put(&p, &left, " doc");
        if (m->moduledoc == DEFS_DOC_FALSE) put(&p, &left, " doc=false");
        if (m->conditional) put(&p, &left, " cond");
        if (m->generated) put(&p, &left, " gen");
        for (uint32_t k = 0; k < m->behaviour_count; k++)
            put(&p, &left, "%s%s", k ? "," : " beh=", m->behaviours[k]);
        for (uint32_t k = 0; k < m->field_count; k++)
            put(&p, &left, "%s%s", k ? "," : " fields=", m->fields[k]);
        put(&p, &left, "\n");
        for (uint32_t k = 0; k < m->directive_count; k++) {
            const defs_directive *d = &m->directives[k];
            put(&p, &left, "  %s %s", defs_directive_kind_name(d->kind),
                d->target ? d->target : "?");
            if (d->as) put(&p, &left, " as=%s", d->as);
            if (d->only != EXS_REF_NONE) put(&p, &left, " only");
            if (d->except != EXS_REF_NONE) put(&p, &left, " except");
            put(&p, &left, "\n");
        }
    }
    for (uint32_t i = 0; i < r->function_count; i++) {
        const defs_function *f = &r->functions[i];
        const char *mn = r->modules[f->module].name;
        put(&p, &left, "%s.%s/%u %s %u", mn ? mn : "?", f->name ? f->name : "?", f->arity,
            defs_fun_kind_name(f->kind), f->line);
        if (!f->is_public) put(&p, &left, " private");
        if (f->is_macro) put(&p, &left, " macro");
        if (f->generated) put(&p, &left, " gen");
        if (f->conditional) put(&p, &left, " cond");
        if (f->dynamic) put(&p, &left, " dyn");
        if (f->in_using) put(&p, &left, " using");
        if (f->has_spec) put(&p, &left, " spec");
        if (f->doc == DEFS_DOC_STRING) put(&p, &left, " doc");
        if (f->doc == DEFS_DOC_FALSE) put(&p, &left, " doc=false");
        if (f->impl) put(&p, &left, " impl=%s", f->impl);
        if (f->default_of) put(&p, &left, " defaults_of=%u", f->default_of);
        put(&p, &left, " clauses=%u", f->clause_count);
        bool guard = false, head = false;
        for (uint32_t k = 0; k < f->clause_count; k++) {
            guard |= f->clauses[k].has_guard;
            head |= f->clauses[k].bodiless;
            ASSERT(f->clauses[k].node_id != 0);
        }
        if (guard) put(&p, &left, " guard");
        if (head) put(&p, &left, " head");
        put(&p, &left, "\n");
    }
    return out_buf;
}

static void expect(const char *src, const char *expected) {
    fx x = load(src);
    ASSERT_STR_EQ(render(&x.r), expected);
    drop(&x);
}

TEST(default_args) {
    expect("defmodule M do\n"
           "  def f(a, b \\\\ 1, c \\\\ 2), do: a + b + c\n"
           "  def g(a, b \\\\ 1)\n"
           "  def g(a, 0), do: a\n"
           "  def g(a, b), do: a + b\n"
           "end\n",
           "mod M module 1\n"
           "M.f/1 def 2 defaults_of=3 clauses=1\n"
           "M.f/2 def 2 defaults_of=3 clauses=1\n"
           "M.f/3 def 2 clauses=1\n"
           "M.g/1 def 3 defaults_of=2 clauses=1 head\n"
           "M.g/2 def 3 clauses=3 head\n");
}

TEST(kinds_guards_visibility) {
    expect("defmodule M do\n"
           "  defp p(x) when is_integer(x), do: x\n"
           "  defp p(x), do: x\n"
           "  defmacro m(x), do: x\n"
           "  defmacrop mp, do: 1\n"
           "  defguard is_even(x) when rem(x, 2) == 0\n"
           "  defguardp is_odd(x) when rem(x, 2) == 1\n"
           "  defdelegate d(a, b \\\\ []), to: Enum, as: :map\n"
           "  def unquote(:lit)(x), do: x\n"
           "  def left + right, do: {left, right}\n"
           "  def z do\n    :ok\n  end\n"
           "end\n",
           "mod M module 1\n"
           "M.p/1 defp 2 private clauses=2 guard\n"
           "M.m/1 defmacro 4 macro clauses=1\n"
           "M.mp/0 defmacrop 5 private macro clauses=1\n"
           "M.is_even/1 defguard 6 macro clauses=1 guard\n"
           "M.is_odd/1 defguardp 7 private macro clauses=1 guard\n"
           "M.d/1 defdelegate 8 defaults_of=2 clauses=1\n"
           "M.d/2 defdelegate 8 clauses=1\n"
           "M.lit/1 def 9 clauses=1\n"
           "M.+/2 def 10 clauses=1\n"
           "M.z/0 def 11 clauses=1\n");
}

TEST(nested_modules_and_module_macro) {
    expect("defmodule A do\n"
           "  defmodule B do\n"
           "    def b, do: 1\n"
           "    defmodule C.D do\n    end\n"
           "  end\n"
           "  defmodule __MODULE__.E do\n  end\n"
           "  defmodule Elixir.Top do\n  end\n"
           "  defmodule :erl do\n  end\n"
           "  def a, do: 1\n"
           "end\n",
           "mod A module 1\n"
           "mod A.B module 2\n"
           "mod A.B.C.D module 4\n"
           "mod A.E module 7\n"
           "mod Top module 9\n"
           "mod :erl module 11\n"
           "A.a/0 def 13 clauses=1\n"
           "A.B.b/0 def 3 clauses=1\n");
}

TEST(attributes) {
    expect("defmodule M do\n"
           "  @moduledoc false\n"
           "  @behaviour GenServer\n"
           "  @behaviour :gen_event\n"
           "  @doc \"f\"\n"
           "  @spec f(integer) :: integer\n"
           "  def f(x), do: x\n"
           "  @doc false\n"
           "  @impl true\n"
           "  def init(x), do: x\n"
           "  @impl GenServer\n"
           "  def handle_call(a, b, c), do: {a, b, c}\n"
           "  @spec g(t) :: t when t: term\n"
           "  def g(x), do: x\n"
           "  def h(x), do: x\n"
           "end\n",
           "mod M module 1 doc=false beh=GenServer,:gen_event\n"
           "M.f/1 def 7 spec doc clauses=1\n"
           "M.init/1 def 10 doc=false impl=true clauses=1\n"
           "M.handle_call/3 def 12 impl=GenServer clauses=1\n"
           "M.g/1 def 14 spec clauses=1\n"
           "M.h/1 def 15 clauses=1\n");
}

TEST(defimpl_naming) {
    expect("defimpl String.Chars, for: Foo.Bar do\n"
           "  def to_string(_), do: \"\"\n"
           "end\n"
           "defmodule T do\n"
           "  defimpl Inspect do\n"
           "    def inspect(_, _), do: \"\"\n"
           "  end\n"
           "  defimpl Enumerable, for: [List, Map] do\n"
           "    def count(_), do: 0\n"
           "  end\n"
           "end\n",
           "mod String.Chars.Foo.Bar impl 1 for=Foo.Bar\n"
           "mod T module 4\n"
           "mod Inspect.T impl 5 for=T\n"
           "mod Enumerable.List impl 8 for=List\n"
           "mod Enumerable.Map impl 8 for=Map\n"
           "String.Chars.Foo.Bar.__impl__/1 def 1 gen clauses=0\n"
           "String.Chars.Foo.Bar.to_string/1 def 2 clauses=1\n"
           "Inspect.T.__impl__/1 def 5 gen clauses=0\n"
           "Inspect.T.inspect/2 def 6 clauses=1\n"
           "Enumerable.List.__impl__/1 def 8 gen clauses=0\n"
           "Enumerable.List.count/1 def 9 clauses=1\n"
           "Enumerable.Map.__impl__/1 def 8 gen clauses=0\n"
           "Enumerable.Map.count/1 def 9 clauses=1\n");
}

TEST(defprotocol) {
    expect("defprotocol Size do\n"
           "  @doc \"size\"\n"
           "  @spec size(t) :: integer\n"
           "  def size(data)\n"
           "  def size(data, opts)\n"
           "end\n",
           "mod Size protocol 1\n"
           "Size.__protocol__/1 def 1 gen clauses=0\n"
           "Size.impl_for/1 def 1 gen clauses=0\n"
           "Size.impl_for!/1 def 1 gen clauses=0\n"
           "Size.size/1 def 4 gen spec doc clauses=1 head\n"
           "Size.size/2 def 5 gen clauses=1 head\n");
}

TEST(struct_and_exception) {
    expect("defmodule S do\n"
           "  defstruct [:a, b: 1]\n"
           "end\n"
           "defmodule E do\n"
           "  defexception [:message, :code]\n"
           "end\n"
           "defmodule E2 do\n"
           "  defexception [:reason]\n"
           "  def exception(r), do: %__MODULE__{reason: r}\n"
           "  def message(e), do: inspect(e.reason)\n"
           "end\n",
           "mod S struct 1 fields=a,b\n"
           "mod E exception 4 fields=message,code\n"
           "mod E2 exception 7 fields=reason\n"
           "S.__struct__/0 def 2 gen clauses=0\n"
           "S.__struct__/1 def 2 gen clauses=0\n"
           "E.__struct__/0 def 5 gen clauses=0\n"
           "E.__struct__/1 def 5 gen clauses=0\n"
           "E.exception/1 def 5 gen clauses=0\n"
           "E.message/1 def 5 gen clauses=0\n"
           "E2.__struct__/0 def 8 gen clauses=0\n"
           "E2.__struct__/1 def 8 gen clauses=0\n"
           "E2.exception/1 def 8 clauses=1\n"
           "E2.message/1 def 10 clauses=1\n");
}

TEST(quote_excluded_conditional_included) {
    expect("defmodule M do\n"
           "  quote do\n    def q, do: 1\n  end\n"
           "  defmacro mk do\n    quote do\n      def inner, do: 1\n    end\n  end\n"
           "  if System.otp_release() >= \"24\" do\n    def new, do: 1\n  else\n"
           "    def old, do: 1\n  end\n"
           "  Enum.each([1], fn _ -> def each(x), do: x end)\n"
           "  case 1 do\n    1 -> def c1, do: 1\n  end\n"
           "end\n",
           "mod M module 1\n"
           "M.mk/0 defmacro 5 macro clauses=1\n"
           "M.new/0 def 11 cond clauses=1\n"
           "M.old/0 def 13 cond clauses=1\n"
           "M.each/1 def 15 cond clauses=1\n"
           "M.c1/0 def 17 cond clauses=1\n");
}

TEST(unquote_names) {
    expect("defmodule M do\n"
           "  @levels [:info, :warn]\n"
           "  for level <- @levels do\n    defmacro unquote(level)(msg), do: msg\n  end\n"
           "  for n <- [:a, :b], do: def unquote(n)(), do: 1\n"
           "  for {n, v} <- list(), do: def unquote(n)(), do: unquote(v)\n"
           "  def unquote(name)(unquote_splicing(args)), do: 1\n"
           "end\n",
           "mod M module 1\n"
           "M.info/1 defmacro 4 macro cond clauses=1\n"
           "M.warn/1 defmacro 4 macro cond clauses=1\n"
           "M.a/0 def 6 cond clauses=1\n"
           "M.b/0 def 6 cond clauses=1\n"
           "M.?/0 def 7 cond dyn clauses=1\n"
           "M.?/1 def 8 dyn clauses=1\n");
}

TEST(directives) {
    expect("defmodule M do\n"
           "  use GenServer, restart: :temporary\n"
           "  import Enum, only: [map: 2]\n"
           "  import List, except: [first: 1]\n"
           "  alias Foo.Bar\n"
           "  alias Foo.Baz, as: Q\n"
           "  alias Foo.{A, B.C}\n"
           "  alias __MODULE__.Sub\n"
           "  require Logger\n"
           "  def f, do: 1\n"
           "end\n",
           "mod M module 1\n"
           "  use GenServer\n"
           "  import Enum only\n"
           "  import List except\n"
           "  alias Foo.Bar as=Bar\n"
           "  alias Foo.Baz as=Q\n"
           "  alias Foo.A as=A\n"
           "  alias Foo.B.C as=C\n"
           "  alias M.Sub as=Sub\n"
           "  require Logger\n"
           "M.f/0 def 10 clauses=1\n");
}

TEST(records_and_qualified) {
    expect("defmodule M do\n"
           "  require Record\n"
           "  Record.defrecord(:user, name: nil)\n"
           "  Record.defrecordp(:priv, [:a])\n"
           "  Kernel.def k(x), do: x\n"
           "end\n",
           "mod M module 1\n"
           "  require Record\n"
           "M.user/0 defmacro 3 macro gen clauses=0\n"
           "M.user/1 defmacro 3 macro gen clauses=0\n"
           "M.user/2 defmacro 3 macro gen clauses=0\n"
           "M.priv/0 defmacrop 4 private macro gen clauses=0\n"
           "M.priv/1 defmacrop 4 private macro gen clauses=0\n"
           "M.priv/2 defmacrop 4 private macro gen clauses=0\n"
           "M.k/1 def 5 clauses=1\n");
}

TEST(line_range_and_node_ids) {
    fx x = load("defmodule M do\n  def f(x) do\n    1 +\n      x\n  end\nend\n");
    ASSERT_EQ(x.r.module_count, 1);
    ASSERT_EQ(x.r.modules[0].line_first, 1);
    ASSERT_EQ(x.r.modules[0].line_last, 4); /* no `end:` meta: the deepest line inside */
    ASSERT(x.r.modules[0].node_id != 0);
    ASSERT_EQ(x.r.modules[0].node_id, parse_file_ids(x.f)[x.r.modules[0].node]);
    ASSERT_EQ(x.r.functions[0].clauses[0].node_id,
              parse_file_ids(x.f)[x.r.functions[0].clauses[0].node]);
    drop(&x);
}

TEST(use_and_derive_across_files) {
    fx p = load("defmodule Srv do\n"
                "  defmacro __using__(_) do\n"
                "    quote do\n"
                "      def child_spec(a), do: a\n"
                "      def handle_info(m, s), do: {m, s}\n"
                "    end\n"
                "  end\n"
                "end\n"
                "defprotocol Insp do\n  def insp(t, o)\nend\n");
    fx u = load("defmodule User do\n"
                "  use Srv\n"
                "  @derive [Insp]\n"
                "  defstruct [:a]\n"
                "  def handle_info(_, s), do: s\n"
                "end\n");
    ASSERT_STR_EQ(render(&p.r), "mod Srv module 1\n"
                                "mod Insp protocol 9\n"
                                "Srv.__using__/1 defmacro 2 macro clauses=1\n"
                                "Srv.child_spec/1 def 4 using clauses=1\n"
                                "Srv.handle_info/2 def 5 using clauses=1\n"
                                "Insp.__protocol__/1 def 9 gen clauses=0\n"
                                "Insp.impl_for/1 def 9 gen clauses=0\n"
                                "Insp.impl_for!/1 def 9 gen clauses=0\n"
                                "Insp.insp/2 def 10 gen clauses=1 head\n");
    defs_result *rs[] = {&p.r, &u.r};
    exs_arena *as[] = {p.a, u.a};
    ASSERT_EQ(expand_apply(rs, as, 2), EXS_OK);
    ASSERT_EQ(expand_apply(rs, as, 2), EXS_OK); /* idempotent */
    ASSERT_STR_EQ(render(&u.r), "mod User struct 1 fields=a\n"
                                "  use Srv\n"
                                "mod Insp.User impl 4 for=User gen\n"
                                "User.__struct__/0 def 4 gen clauses=0\n"
                                "User.__struct__/1 def 4 gen clauses=0\n"
                                "User.handle_info/2 def 5 clauses=1\n"
                                "User.child_spec/1 def 2 gen clauses=0\n"
                                "Insp.User.__impl__/1 def 4 gen clauses=0\n"
                                "Insp.User.insp/2 def 4 gen clauses=0\n");
    drop(&p);
    drop(&u);
}

TEST_LIST(TEST_ENTRY(default_args), TEST_ENTRY(kinds_guards_visibility),
          TEST_ENTRY(nested_modules_and_module_macro), TEST_ENTRY(attributes),
          TEST_ENTRY(defimpl_naming), TEST_ENTRY(defprotocol), TEST_ENTRY(struct_and_exception),
          TEST_ENTRY(quote_excluded_conditional_included), TEST_ENTRY(unquote_names),
          TEST_ENTRY(directives), TEST_ENTRY(records_and_qualified),
          TEST_ENTRY(line_range_and_node_ids), TEST_ENTRY(use_and_derive_across_files))
