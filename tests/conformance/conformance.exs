# conformance.exs: compares exscope's ASTs with Elixir's own Code.string_to_quoted/2.
#
# Reads the output of `exscope parse --batch` (frames: 4-byte big-endian length, then
# the ETF of {path, {:ok, ast}} or {path, {:error, {line, column, message}}}), parses
# every file again with Elixir using the same options, and checks:
#   - both accept the file and the terms are identical (===, so 1 vs 1.0 differ), or
#   - both reject it and the error is at the same line; a different column or wording
#     than the compiler's (Code.string_to_quoted!/2) is reported as NOTE/WORDING, or
#     is a difference with STRICT_ERRORS=1.
# Prints one line per difference (with the first differing sub-term), then a summary
# line, and exits 1 if any file differs.
#
# Usage: elixir conformance.exs BATCH_FILE MODE   (MODE: default | columns | token_metadata)
defmodule Conformance do
  def opts("default"), do: []
  def opts("columns"), do: [columns: true]
  def opts("token_metadata"), do: [columns: true, token_metadata: true]

  def frames(<<>>, acc), do: Enum.reverse(acc)

  def frames(<<len::32, term::binary-size(len), rest::binary>>, acc),
    do: frames(rest, [:erlang.binary_to_term(term) | acc])

  def elixir_parse(path, opts) do
    case File.read(path) do
      {:ok, src} ->
        try do
          Code.string_to_quoted(src, [file: path] ++ opts)
        rescue
          e -> {:raised, Exception.message(e)}
        end

      {:error, reason} ->
        {:raised, "cannot read: #{inspect(reason)}"}
    end
  end

  # The first place two terms differ, as a path of indexes, and both sub-terms.
  def first_diff(a, b, path \\ [])
  def first_diff(a, b, _path) when a === b, do: nil

  def first_diff(a, b, path) when is_tuple(a) and is_tuple(b) and tuple_size(a) == tuple_size(b),
    do: first_diff(Tuple.to_list(a), Tuple.to_list(b), path)

  def first_diff([x | xs], [y | ys], path) do
    case first_diff(x, y, [length(path) | path]) do
      nil -> first_diff(xs, ys, path)
      d -> d
    end
  end

  def first_diff(a, b, path), do: {Enum.reverse(path), a, b}

  def short(term), do: inspect(term, limit: 12, printable_limit: 120)

  # Elixir's message as its own error formatting joins it: prefix, token, suffix.
  def error_text({_, {prefix, suffix}, token}), do: "#{prefix}#{token}#{suffix}"
  def error_text({_, msg, token}), do: "#{msg}#{token}"

  # What the compiler says (string_to_quoted!/2 rewrites some messages, as exscope does).
  def bang_text(path, opts) do
    Code.string_to_quoted!(File.read!(path), [file: path] ++ opts)
    nil
  rescue
    e -> Map.get(e, :description)
  end

  def error_line({meta, _, _}) when is_list(meta), do: meta[:line]

  # STRICT_ERRORS=1: a rejected file must also match Elixir's column and wording.
  def strict?, do: System.get_env("STRICT_ERRORS") == "1"
  def error_line(_), do: nil

  def check({path, ours}, opts) do
    theirs = elixir_parse(path, opts)

    case {ours, theirs} do
      {{:ok, a}, {:ok, b}} ->
        if a === b do
          :same
        else
          {where, x, y} = first_diff(a, b)

          {:diff,
           "#{path}: AST differs at #{inspect(where)}\n    exscope: #{short(x)}\n    elixir:  #{short(y)}"}
        end

      {{:error, {line, col, msg}}, {:error, {meta, _, _} = e}} ->
        if line == error_line(e) do
          want = bang_text(path, opts) || error_text(e)
          same_col = col == meta[:column] or is_nil(meta[:column])

          cond do
            strict?() and (msg != want or not same_col) ->
              {:diff,
               "#{path}: error #{line}:#{col} #{inspect(msg)}, elixir #{inspect(meta)} #{inspect(want)}"}

            true ->
              if msg != want,
                do: IO.puts("WORDING #{path}: exscope #{inspect(msg)}, elixir #{inspect(want)}")

              unless same_col,
                do: IO.puts("NOTE #{path}: error column exscope #{col}, elixir #{meta[:column]} (line #{line})")

              if same_col, do: :same_error, else: :same_error_line
          end
        else
          {:diff,
           "#{path}: both reject, exscope at #{line}:#{col} (#{msg}), elixir at #{inspect(meta)}"}
        end

      {{:ok, _}, {:error, {meta, m, t}}} ->
        {:diff,
         "#{path}: exscope accepts, elixir rejects at #{inspect(meta)}: #{short(m)} #{short(t)}"}

      {{:error, {line, col, msg}}, {:ok, _}} ->
        {:diff, "#{path}: exscope rejects at #{line}:#{col}: #{msg}; elixir accepts"}

      {{:error, {line, col, msg}}, {:raised, m}} ->
        # string_to_quoted/2 raises instead of returning an error on invalid UTF-8.
        IO.puts("NOTE #{path}: exscope rejects at #{line}:#{col} (#{msg}), elixir raises: #{m}")
        :same_error

      {_, {:raised, m}} ->
        {:diff, "#{path}: elixir raised: #{m}"}
    end
  end

  def main([batch, mode]) do
    opts = opts(mode)
    results = File.read!(batch) |> frames([]) |> Enum.map(&check(&1, opts))

    for {:diff, text} <- results, do: IO.puts("DIFF " <> text)
    count = fn k -> Enum.count(results, &(&1 == k)) end
    diffs = Enum.count(results, &match?({:diff, _}, &1))

    rejected = count.(:same_error) + count.(:same_error_line)

    detail =
      if rejected > 0,
        do: ", #{rejected} rejected at Elixir's line, #{count.(:same_error)} of them at its column too",
        else: ""

    IO.puts(
      "#{mode}: #{length(results) - diffs}/#{length(results)} files conform " <>
        "(#{count.(:same)} identical ASTs#{detail})"
    )

    if diffs > 0, do: System.halt(1)
  end
end

Conformance.main(System.argv())
