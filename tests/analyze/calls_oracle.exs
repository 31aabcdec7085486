# calls_oracle.exs: the expected side of the calls oracle (tests/analyze/calls_oracle.sh).
#
# Runs Erlang's xref over the installed Elixir's beams (apps elixir, eex, ex_unit, iex,
# logger, mix under /usr/lib/elixir/lib/*/ebin) and prints every external call edge
# ("XC": calls from a function of one module to a function of another) whose caller and
# callee are both Elixir modules, one per line, tab-separated:
#
#     CallerMod  name/arity  CalleeMod  name/arity
#
# Module names without "Elixir."; a macro's compiled function "MACRO-name"/(n+1) is
# printed as the macro name/n. Calls xref cannot name ('$M_EXPR') are left out.
#
# With GOT (callsdump --tsv output), it also prints "I\tMod\tname/arity" for every
# Elixir callee of GOT's edges that the compiler inlines or rewrites into a call of
# another (Erlang) function, as :elixir_rewrite.inline/3 and rewrite/5 of the installed
# compiler say (Map.merge/2 is :maps.merge/2, Kernel.length/1 is :erlang.length/1, ...).
# Usage: elixir calls_oracle.exs [LIBDIR [GOT]]
libdir = Enum.at(System.argv(), 0) || "/usr/lib/elixir/lib"
got = Enum.at(System.argv(), 1)
apps = ~w(elixir eex ex_unit iex logger mix)

{:ok, _} = :xref.start(:calls_oracle)
:ok = :xref.set_default(:calls_oracle, warnings: false, verbose: false)

for app <- apps do
  {:ok, _} = :xref.add_directory(:calls_oracle, String.to_charlist(Path.join([libdir, app, "ebin"])))
end

{:ok, edges} = :xref.q(:calls_oracle, ~c"XC")

elixir_mod = fn m ->
  case Atom.to_string(m) do
    "Elixir." <> rest -> rest
    _ -> nil
  end
end

fa = fn f, a ->
  case Atom.to_string(f) do
    "MACRO-" <> name -> "#{name}/#{a - 1}"
    name -> "#{name}/#{a}"
  end
end

edges
|> Enum.flat_map(fn {{m1, f1, a1}, {m2, f2, a2}} ->
  c1 = elixir_mod.(m1)
  c2 = elixir_mod.(m2)

  if c1 && c2 && m1 != m2 && is_atom(f2) && is_integer(a2) do
    ["#{c1}\t#{fa.(f1, a1)}\t#{c2}\t#{fa.(f2, a2)}"]
  else
    []
  end
end)
|> Enum.uniq()
|> Enum.sort()
|> Enum.each(&IO.puts/1)

:xref.stop(:calls_oracle)

rewritten? = fn mod, fun, arity ->
  args = Enum.map(1..arity//1, &{:"x#{&1}", [], nil})

  :elixir_rewrite.inline(mod, fun, arity) != false or
    match?({{:., _, [m, _]}, _, _} when m != mod, :elixir_rewrite.rewrite(mod, [], fun, [], args))
end

if got do
  got
  |> File.stream!()
  |> Stream.map(&String.split(String.trim_trailing(&1, "\n"), "\t"))
  |> Stream.filter(&match?(["E", _, _, _, _ | _], &1))
  |> Stream.map(fn [_, _, _, m, fa | _] -> {m, fa} end)
  |> Stream.uniq()
  |> Enum.each(fn {m, fa} ->
    [_, f, a] = Regex.run(~r{^(.*)/(\d+)$}, fa)

    if not String.starts_with?(m, ":") and
         rewritten?.(String.to_atom("Elixir." <> m), String.to_atom(f), String.to_integer(a)) do
      IO.puts("I\t#{m}\t#{fa}")
    end
  end)
end
