fn -> 1 end
fn a -> a end
fn a, b -> a + b end
fn (a, b) -> a end
fn (a, b) when a > b -> a end
fn a when b -> c end
fn () -> 1 end
fn
  {:ok, x} -> x
  _ -> nil
end
fn x ->
  y = x
  y
end
Enum.map(list, fn x -> x * 2 end)
(a; b)
(;)
()
(a
b)
(a -> b)
(a, b -> c)
not(a) in b
