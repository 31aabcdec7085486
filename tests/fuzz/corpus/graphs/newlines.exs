foo(
  1,
  2
)
[
  1,
  2
]
%{
  a: 1
}
a |>
  b
a
|> b
|> c
x =
  1
{1,
 2, 3}
<<1,
  2>>
a; b
a;
b
fn ->
  1
end
case x do
  1 -> :a
  2 ->
    :b
end
# comment
a # trailing comment
b
[
  # comment in list
  1
]
Foo.
  bar
