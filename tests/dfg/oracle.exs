# oracle.exs: Elixir's own unused-variable warnings for each fixture, compiled live.
#
#   elixir tests/dfg/oracle.exs FILE...
#
# Each file is compiled with Code.compile_string/2 while stderr is captured; the
# warnings `variable "x" is unused (...)` (both wordings: plain and "there is a
# variable with the same name in the context") are printed as "FILE<TAB>LINE<TAB>x",
# and "FILE<TAB>ok" once the file compiled ("FILE<TAB>error<TAB>message" if it did
# not). The modules are purged after each file so fixtures never see each other.
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
