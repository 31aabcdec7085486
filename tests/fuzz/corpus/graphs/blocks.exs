defmodule Foo.Bar do
  @moduledoc false
  alias Foo.{A, B}
  import Kernel, except: [+: 2]

  def foo(a, b \\ 1) when is_integer(a) and b > 0 do
    a + b
  end

  defp bar(x), do: x

  def baz(x) do
    case x do
      {:ok, v} when v > 0 -> v
      {:ok, _} ->
        :zero
      _ ->
        nil
    end
  end

  def with_else(x) do
    if x do
      1
    else
      2
    end
  end

  def tr do
    try do
      raise "x"
    rescue
      e in RuntimeError -> e
    catch
      :exit, _ -> :exit
    else
      v -> v
    after
      :ok
    end
  end

  def recv do
    receive do
      {:msg, m} -> m
    after
      1000 -> :timeout
    end
  end

  def w(a) do
    with {:ok, b} <- a,
         c = b + 1 do
      c
    else
      :error -> nil
    end
  end

  def comp do
    for x <- [1, 2], y <- [3], x > 1, into: %{}, do: {x, y}
  end

  def cond_it(x) do
    cond do
      x > 1 -> :a
      true -> :b
    end
  end
end

foo bar baz do
end

foo a, if b do c end
a = foo b do end
foo do end
foo do
else
end
foo bar: 1 do end
foo.bar(1) do end
x |> foo do end
f a do end + 1
if a, do: b, else: c
quote do: x
quote do
  unquote(x)
end
