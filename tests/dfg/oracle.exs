# oracle.exs: Elixir's own unused-variable warnings for each fixture, compiled live.
#
#   elixir tests/dfg/oracle.exs FILE...
#   elixir tests/dfg/oracle.exs --generate DIR COUNT SEED
#
# Each file is compiled with Code.compile_string/2 while stderr is captured; the
# warnings `variable "x" is unused (...)` (both wordings: plain and "there is a
# variable with the same name in the context") are printed as "FILE<TAB>LINE<TAB>x",
# and "FILE<TAB>ok" once the file compiled ("FILE<TAB>error<TAB>message" if it did
# not). The modules are purged after each file so fixtures never see each other.
#
# --generate writes COUNT random modules (seeded) into DIR for a differential run:
# functions mixing =, case, if, cond, with, for, fn, &, try, receive, pins, guards,
# maps, binaries, pipes, quote/unquote/bind_quoted, shadowing and interpolation, where every variable read is one the generator knows
# to be visible (parameters and earlier bindings of enclosing blocks), so each module
# compiles and only the unused-variable warnings are in question.
defmodule DfgGen do
  @names ~w(a b c x y z acc _u)

  def run(dir, count, seed) do
    :rand.seed(:exsss, {seed, 17, 29})
    File.mkdir_p!(dir)

    for i <- 1..count do
      funs = Enum.map_join(1..3, "\n", &fun/1)
      src = "defmodule Dfg.Gen#{i} do\n#{funs}\n  defp foo(p, q), do: {p, q}\nend\n"
      File.write!(Path.join(dir, "gen_#{String.pad_leading("#{i}", 4, "0")}.ex"), src)
    end
  end

  defp pick(list), do: Enum.at(list, :rand.uniform(length(list)) - 1)
  defp chance(n), do: :rand.uniform(n) == 1
  defp ind(d), do: String.duplicate("  ", d + 2)

  defp fun(j) do
    params = Enum.uniq(for _ <- 1..:rand.uniform(3), do: pick(@names))
    guard = if chance(3), do: " when is_integer(#{pick(params)})", else: ""
    {body, _} = block(readable(params), 0)
    "  def f#{j}(#{Enum.join(params, ", ")})#{guard} do\n#{body}  end\n"
  end

  defp readable(vars), do: Enum.uniq(vars)

  # A block: 1..3 statements then an expression; returns the text and the scope after.
  defp block(scope, d) do
    {stmts, scope} =
      Enum.reduce(1..:rand.uniform(3), {[], scope}, fn _, {acc, sc} ->
        {text, sc} = stmt(sc, d)
        {[text | acc], sc}
      end)

    last = if chance(4), do: [], else: [ind(d) <> expr(scope, d) <> "\n"]
    {Enum.join(Enum.reverse(stmts) ++ last), scope}
  end

  defp bind(scope, name), do: Enum.uniq([name | scope])

  defp stmt(scope, d) do
    i = ind(d)
    n = pick(@names)
    m = pick(@names -- [n])

    case (if d > 2, do: :rand.uniform(3), else: :rand.uniform(22)) do
      k when k <= 3 ->
        {"#{i}#{n} = #{expr(scope, d)}\n", bind(scope, n)}

      4 ->
        {"#{i}{#{n}, #{m}} = {#{expr(scope, d)}, #{expr(scope, d)}}\n", bind(bind(scope, n), m)}

      5 ->
        {b1, _} = block(bind(scope, n), d + 1)
        {b2, _} = block(scope, d + 1)
        g = if chance(2), do: " when is_integer(#{pick([n | scope])})", else: ""
        pin = if scope != [] and chance(3), do: "{^#{pick(scope)}, #{n}}", else: "{:ok, #{n}}"

        {"#{i}case #{expr(scope, d)} do\n#{i}  #{pin}#{g} ->\n#{b1}#{i}  _ ->\n#{b2}#{i}end\n",
         scope}

      6 ->
        {b1, _} = block(scope, d + 1)
        {b2, _} = block(scope, d + 1)
        cond_bind = chance(3)
        c = if cond_bind, do: "#{n} = #{expr(scope, d)}", else: expr(scope, d)
        scope2 = if cond_bind, do: bind(scope, n), else: scope
        {b1, _} = if cond_bind, do: block(scope2, d + 1), else: {b1, nil}
        {"#{i}if #{c} do\n#{b1}#{i}else\n#{b2}#{i}end\n", scope2}

      7 ->
        {b, _} = block(bind(scope, n), d + 1)
        {"#{i}#{m} = fn #{n} ->\n#{b}#{i}end\n", bind(scope, m)}

      8 ->
        filt = if chance(2), do: ", #{n} > #{expr(scope, d)}", else: ""
        {b, _} = block(bind(scope, n), d + 1)
        {"#{i}for #{n} <- [1, 2]#{filt} do\n#{b}#{i}end\n", scope}

      9 ->
        {b, _} = block(bind(bind(scope, n), m), d + 1)
        {e, _} = block(scope, d + 1)
        els = if chance(2), do: "#{i}else\n#{i}  #{pick(@names)} ->\n#{e}", else: ""

        {"#{i}with {:ok, #{n}} <- {:ok, #{expr(scope, d)}}, #{m} = #{n} do\n#{b}#{els}#{i}end\n",
         scope}

      10 ->
        {b1, _} = block(bind(scope, n), d + 1)
        {b2, _} = block(scope, d + 1)

        {"#{i}cond do\n#{i}  (#{n} = #{expr(scope, d)}) == 1 ->\n#{b1}#{i}  true ->\n#{b2}#{i}end\n",
         scope}

      11 ->
        {b1, _} = block(scope, d + 1)
        {b2, _} = block(bind(scope, n), d + 1)
        {"#{i}try do\n#{b1}#{i}rescue\n#{i}  #{n} ->\n#{b2}#{i}end\n", scope}

      12 ->
        {b1, _} = block(bind(scope, n), d + 1)
        {b2, _} = block(scope, d + 1)
        {"#{i}receive do\n#{i}  {:m, #{n}} ->\n#{b1}#{i}after\n#{i}  0 ->\n#{b2}#{i}end\n", scope}

      13 ->
        {"#{i}#{n} = \"v \#{#{expr(scope, d)}}\"\n", bind(scope, n)}

      14 ->
        {"#{i}%{k: #{n}, j: #{m}} = %{k: #{expr(scope, d)}, j: #{expr(scope, d)}}\n",
         bind(bind(scope, n), m)}

      15 ->
        {"#{i}<<#{n}::8, #{m}::binary-size(#{n})>> = #{expr(scope, d)}\n",
         bind(bind(scope, n), m)}

      16 ->
        {"#{i}foo(#{n} = #{expr(scope, d)}, #{expr(scope, d)})\n", bind(scope, n)}

      17 ->
        {"#{i}#{n} = &foo(&1, #{expr(scope, d)})\n", bind(scope, n)}

      18 ->
        {b1, _} = block(scope, d + 1)
        {"#{i}unless #{expr(scope, d)} do\n#{b1}#{i}end\n", scope}

      19 ->
        {b, _} = block(bind(bind(scope, n), m), d + 1)
        {"#{i}for #{n} <- [1, 2], reduce: #{expr(scope, d)} do\n#{i}  #{m} ->\n#{b}#{i}end\n",
         scope}

      20 ->
        {"#{i}#{expr(scope, d)} || (#{n} = #{expr(scope, d)})\n", scope}

      21 ->
        {"#{i}#{n} = quote do\n#{i}  #{m} = unquote(#{expr(scope, d)})\n#{i}  #{pick(@names)}\n#{i}end\n",
         bind(scope, n)}

      _ ->
        {"#{i}#{n} = quote bind_quoted: [v: #{expr(scope, d)}] do\n#{i}  v + unquote(#{m})\n#{i}end\n",
         bind(scope, n)}
    end
  end

  defp expr(scope, d) do
    vars = Enum.reject(scope, &String.starts_with?(&1, "_"))

    case :rand.uniform(7) do
      k when k <= 3 and vars != [] -> pick(vars)
      4 when d < 4 -> "foo(#{expr(scope, d + 1)}, #{expr(scope, d + 1)})"
      5 when vars != [] -> "#{pick(vars)} && #{expr(scope, d + 1)}"
      6 when vars != [] and d < 3 -> "(fn -> #{expr(scope, d + 1)} end).()"
      6 when d < 3 -> "#{expr(scope, d + 1)} |> foo(#{expr(scope, d + 1)})"
      7 when vars != [] -> "#{pick(vars)} |> is_nil"
      _ -> "#{:rand.uniform(9)}"
    end
  end
end

case System.argv() do
  ["--generate", dir, count, seed] ->
    DfgGen.run(dir, String.to_integer(count), String.to_integer(seed))
    System.halt(0)

  _ ->
    :ok
end

Application.ensure_all_started(:ex_unit)

for path <- System.argv() do
  src = File.read!(path)

  {result, out} =
    ExUnit.CaptureIO.with_io(:stderr, fn ->
      try do
        {:ok, Code.compile_string(src, path)}
      rescue
        e -> {:error, Exception.message(e)}
      end
    end)

  case result do
    {:ok, mods} ->
      for {m, _} <- mods do
        :code.purge(m)
        :code.delete(m)
      end

      IO.puts("#{path}\tok")

    {:error, msg} ->
      IO.puts("#{path}\terror\t#{String.replace(msg, "\n", " ")}")
  end

  ~r/warning: variable "([^"]+)" is unused[^\n]*\n\s+[^\n]*?:(\d+)/
  |> Regex.scan(out, capture: :all_but_first)
  |> Enum.each(fn [name, line] -> IO.puts("#{path}\t#{line}\t#{name}") end)
end
