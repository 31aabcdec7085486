foo
foo()
foo(1)
foo(1, 2)
foo 1
foo 1, 2
foo bar baz
foo bar, baz
foo bar baz, 1
foo(f b, c)
foo(a, f b)
foo a, f b
f a, b c
f a, do: 1
f a, b: 1, c: 2
f a: g b, c: 1
f a: g b, c
foo [1]
foo[1]
foo.bar
foo.bar()
foo.bar(1)
foo.bar 1
foo.bar [1]
foo.bar[1]
foo.(1)
foo.()()
foo(1)(2)
foo(1) (2)
Mod.fun(1)
Mod.Sub.fun 1, 2
Kernel.+(1, 2)
a.b.c.d
__MODULE__.Foo
x.Foo
a.{B, C}
Foo.{Bar, Baz.Qux}
foo.bar.baz a
foo() [1]
1 [2]
f x when y
@spec foo(a) :: b when a: c
a |> f b
x = f a, b
f a, b = c
a + f b, c
foo."quoted"()
foo.'other'
:erlang.foo(1)
"string".length
apply(mod, :fun, [])
foo ... bar
unquote(x)
unquote_splicing(x)
%{a, f(x), a.b, A.c(), __MODULE__, x[:a].b, unquote(k) => 1}
%{g y}
%{x | a}
%{Access.get(a, 1)}
