a + b * c - d / e
a ** b ** c
-2 ** 2
a = b = c
a |> b() |> c(d)
a ++ b -- c <> d
a .. b
1..9//2
a..b//c
x in [1, 2]
x not in [1, 2]
not a in b
!a in b
a and b or not c
a && b || !c
a == b != c === d !== e =~ f
a < b > c <= d >= e
a <<< b >>> c <~ d ~> e <<~ f ~>> g <~> h
a ||| b &&& c ^^^ d
~~~a
a :: b | c
a when b when c
a <- b
a \\ b
^pin
@attr
@attr value
@attr.field
@doc """
Doc
"""
&foo/1
&Mod.fun/2
& &1 + &2
&(&1 * 2)
&1
&{&1, &2}
+a
-a
a -b
a - b
a-b
f -1
f - 1
..
x[..]
a ++ b .. c
...
@@a
@-a
@!a
@&a/1
@not a
@^a.b
@@a.b
@@a[1]
@@a[1].b
@-a[1]
@@a b
@-a + 1
@@a(1)
@@@a[1]
@-@a
@@a.b[1]
%{a :: b => c, d when e => f, g \\ h => 1}
%{a => 1, b | c => 2}
%{(a).b, (a).()}
not foo :a, 1 do 1 end ++ f(a)
-if a do 1 end + 1
@foo 1 do end + 1
&foo do end + 1
%a.(){}
