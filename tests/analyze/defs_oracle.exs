# defs_oracle.exs: the expected side of the definitions oracle (tests/analyze/defs_oracle.sh).
#
# For every Elixir.*.beam of the installed Elixir (apps elixir, eex, ex_unit, iex,
# logger, mix under /usr/lib/elixir/lib/*/ebin), prints one line per exported public
# function and macro, as Mod.__info__(:functions) and Mod.__info__(:macros) report them:
#
#     Mod name/arity function|macro
#
# Names are printed with inspect/1 of the atom minus the leading colon where that is
# plain (so `Kernel.+/2` is `Kernel +/2`), sorted. __info__/1 and module_info/0,1 are not
# part of :functions, so nothing is excluded. Usage: elixir defs_oracle.exs [LIBDIR]
libdir = List.first(System.argv()) || "/usr/lib/elixir/lib"
apps = ~w(elixir eex ex_unit iex logger mix)

for app <- apps,
    beam <- Path.wildcard(Path.join([libdir, app, "ebin", "Elixir.*.beam"])) do
  mod = beam |> Path.basename(".beam") |> String.to_atom()
  {:module, ^mod} = Code.ensure_loaded(mod)
  name = mod |> Atom.to_string() |> String.replace_prefix("Elixir.", "")
  IO.puts("#{name} -module #{app}")

  for {kind, list} <- [function: mod.__info__(:functions), macro: mod.__info__(:macros)],
      {f, a} <- list do
    IO.puts("#{name} #{f}/#{a} #{kind}")
  end
end
