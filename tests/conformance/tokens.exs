# tokens.exs: prints Elixir 1.14's own tokens for each file given on the command line,
# in the canonical text form that tests/tools/tokdump.c prints for our lexer.
#
#   @@ <path>
#   <kind> <line>:<col> <eol> [value...]      one line per token, or
#   error <line>:<col> "<message>"            when the tokenizer fails
#
# <eol> is the third element of the location when it is an integer (eol counts), else
# "-" (nil, charlists, and numbers of int/flt tokens). Strings are printed quoted with
# bytes outside printable ASCII (and " \) as \xHH. Ints are lowercase hex, floats the
# hex of their IEEE-754 bits. Parts: [ "lit" {l:c l:c tok ; tok} ].
#
# Usage: elixir tokens.exs FILE...   (or: elixir tokens.exs --stdin, paths on stdin)
defmodule TokDump do
  def q(bin) when is_binary(bin) do
    inner =
      for <<b <- bin>>, into: "" do
        cond do
          b == ?" or b == ?\\ -> <<?\\, b>>
          b >= 0x20 and b < 0x7F -> <<b>>
          true -> "\\x" <> String.downcase(String.pad_leading(Integer.to_string(b, 16), 2, "0"))
        end
      end

    "\"" <> inner <> "\""
  end

  def q(atom) when is_atom(atom), do: q(Atom.to_string(atom))
  def q(list) when is_list(list), do: q(List.to_string(list))

  def hex(n) when is_integer(n), do: String.downcase(Integer.to_string(n, 16))

  def pos({l, c, _}), do: "#{l}:#{c}"

  def eol({_, _, x}) when is_integer(x), do: Integer.to_string(x)
  def eol(_), do: "-"

  def parts(parts) do
    inner =
      Enum.map(parts, fn
        b when is_binary(b) -> q(b)
        {b, e, toks} -> "{" <> pos(b) <> " " <> pos(e) <> " " <> Enum.map_join(toks, " ; ", &tok/1) <> "}"
      end)

    "[" <> Enum.join(inner, " ") <> "]"
  end

  def tok({:int, {l, c, n}, orig}), do: "int #{l}:#{c} - #{hex(n)} #{q(orig)}"

  def tok({:flt, {l, c, f}, orig}) do
    <<bits::64>> = <<f::float-64>>
    "flt #{l}:#{c} - #{hex(bits)} #{q(orig)}"
  end

  def tok({:char, {l, c, orig}, v}), do: "char #{l}:#{c} - #{hex(v)} #{q(orig)}"

  def tok({k, loc, indent, ps}) when k in [:bin_heredoc, :list_heredoc],
    do: "#{Atom.to_string(k)} #{pos(loc)} #{eol(loc)} #{indent} #{parts(ps)}"

  def tok({:sigil, loc, s, ps, mods, indent, delim}),
    do: "sigil #{pos(loc)} #{eol(loc)} #{<<s::utf8>>} #{parts(ps)} #{q(mods)} #{if indent, do: indent, else: "nil"} #{q(delim)}"

  def tok({k, loc, ps})
      when k in [:bin_string, :list_string, :atom_unsafe, :atom_safe, :kw_identifier_unsafe, :kw_identifier_safe],
      do: "#{Atom.to_string(k)} #{pos(loc)} #{eol(loc)} #{parts(ps)}"

  def tok({k, loc, v}) when is_atom(v), do: "#{Atom.to_string(k)} #{pos(loc)} #{eol(loc)} #{q(v)}"
  def tok({k, loc}), do: "#{Atom.to_string(k)} #{pos(loc)} #{eol(loc)}"

  def msg({pre, suf}, token), do: IO.chardata_to_string([pre, token, suf])
  def msg(pre, token), do: IO.chardata_to_string([pre, token])

  def err(l, c, m) do
    m = if byte_size(m) > 1023, do: binary_part(m, 0, 1023), else: m
    "error #{l}:#{c} #{q(m)}"
  end

  def dump(path) do
    src = File.read!(path)

    out =
      case :unicode.characters_to_list(src) do
        chars when is_list(chars) ->
          try do
            case :elixir_tokenizer.tokenize(chars, 1, 1, []) do
              {:ok, _, _, _, toks} -> Enum.map_join(toks, "", &(tok(&1) <> "\n"))
              {:error, {l, c, d, t}, _, _, _} -> err(l, c, msg(d, t)) <> "\n"
              {:error, {l, c, d, t}, _, _} -> err(l, c, msg(d, t)) <> "\n"
            end
          rescue
            e -> "crash #{inspect(e)}\n"
          end

        _ ->
          # String.to_charlist would raise: report the first invalid byte's position
          {l, c} = bad_utf8_pos(src, 1, 1)
          err(l, c, "invalid UTF-8") <> "\n"
      end

    IO.binwrite("@@ #{path}\n" <> out)
  end

  defp bad_utf8_pos(<<?\n, rest::binary>>, l, _c), do: bad_utf8_pos(rest, l + 1, 1)
  defp bad_utf8_pos(<<_::utf8, rest::binary>>, l, c), do: bad_utf8_pos(rest, l, c + 1)
  defp bad_utf8_pos(_, l, c), do: {l, c}
end

files =
  case System.argv() do
    ["--stdin"] -> IO.read(:stdio, :eof) |> String.split("\n", trim: true)
    args -> args
  end

Enum.each(files, &TokDump.dump/1)
