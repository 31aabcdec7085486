# elixir_parse.exs: the baseline for bench/parse_bench.c: Elixir's own parser,
# Code.string_to_quoted/2, timed over the same files with the same options.
#
#   elixir bench/elixir_parse.exs [-r N] [-w N] [-j N] [--columns] [--token-metadata]
#                                 [--files-from LIST] PATH...
#   elixir bench/elixir_parse.exs --verify BATCH [--columns] [--token-metadata]
#
# Bench mode: every file is read into memory first; then W untimed warm-up rounds (the
# first loads and JIT-compiles the parser modules) and R timed rounds parse every file
# and drop the AST. -j N parses with N concurrent processes (Task.async_stream, files
# handed out in order; only the status and the time come back, never the AST). Prints
# per-round lines, a summary and a `RESULT key=value ...` line with the keys
# parse_bench prints (impl=elixir). ast_bytes is the heap size (:erts_debug.flat_size)
# of all ASTs, kept at once; peak_rss_kb is the VM's VmHWM from /proc.
#
# Verify mode: BATCH is the output of `exscope parse --batch [--columns]
# [--token-metadata] FILES -o BATCH` (frames of a 4-byte big-endian length and the ETF
# term {path, {:ok, ast} | {:error, {line, column, message}}}). Every file is parsed
# again here with the same options and the ASTs compared with ===; a syntax error
# matches when both sides report one on the same line. Prints the first differing
# subterm of each mismatching file and "N/M files identical"; exits 1 on a mismatch.
#
# Directories are walked like parse_bench walks them (sorted; .ex/.exs; hidden folders,
# _build, deps and node_modules skipped below the given directory).
defmodule ParseBench do
  def main(argv) do
    {o, paths} = args(argv, %{r: 7, w: 1, j: 1, columns: false, tm: false, list: nil, verify: nil}, [])

    if o.verify do
      verify(o)
    else
      files = Enum.flat_map(paths, &expand/1) ++ list_file(o.list)
      if files == [], do: usage()
      bench(files, o)
    end
  end

  defp usage do
    IO.puts(:stderr, "usage: elixir bench/elixir_parse.exs [-r N] [-w N] [-j N] [--columns] " <>
      "[--token-metadata] [--files-from LIST] PATH...\n" <>
      "       elixir bench/elixir_parse.exs --verify BATCH [--columns] [--token-metadata]")
    System.halt(2)
  end

  defp args([], o, paths), do: {o, Enum.reverse(paths)}
  defp args(["-r", n | t], o, p), do: args(t, %{o | r: pos!(n)}, p)
  defp args(["-w", n | t], o, p), do: args(t, %{o | w: String.to_integer(n)}, p)
  defp args(["-j", n | t], o, p), do: args(t, %{o | j: pos!(n)}, p)
  defp args(["--columns" | t], o, p), do: args(t, %{o | columns: true}, p)
  defp args(["--token-metadata" | t], o, p), do: args(t, %{o | tm: true}, p)
  defp args(["--files-from", f | t], o, p), do: args(t, %{o | list: f}, p)
  defp args(["--verify", f | t], o, p), do: args(t, %{o | verify: f}, p)
  defp args(["-" <> _ | _], _, _), do: usage()
  defp args([path | t], o, p), do: args(t, o, [path | p])

  defp pos!(s) do
    case Integer.parse(s) do
      {n, ""} when n > 0 -> n
      _ -> usage()
    end
  end

  defp opts(o), do: [columns: o.columns, token_metadata: o.tm]

  # ---- files ---------------------------------------------------------------------

  defp list_file(nil), do: []

  defp list_file(f) do
    f |> File.read!() |> String.split(["\n", "\r\n"], trim: true)
  end

  defp expand(path) do
    if File.dir?(path), do: walk(path, 0), else: [path]
  end

  defp walk(_dir, depth) when depth > 64, do: []

  defp walk(dir, depth) do
    dir
    |> File.ls!()
    |> Enum.sort()
    |> Enum.flat_map(fn name ->
      full = if String.ends_with?(dir, "/"), do: dir <> name, else: dir <> "/" <> name

      case File.stat(full) do
        {:ok, %{type: :directory}} ->
          if skip_dir?(name), do: [], else: walk(full, depth + 1)

        {:ok, %{type: :regular}} ->
          if Path.extname(name) in [".ex", ".exs"] and name not in [".ex", ".exs"],
            do: [full],
            else: []

        _ ->
          []
      end
    end)
  end

  defp skip_dir?(name),
    do: String.starts_with?(name, ".") or name in ["_build", "deps", "node_modules"]

  # ---- bench ---------------------------------------------------------------------

  defp bench(paths, o) do
    srcs = Enum.map(paths, &File.read!/1)
    bytes = Enum.reduce(srcs, 0, &(byte_size(&1) + &2))
    mb = bytes / 1.0e6
    popts = opts(o)

    IO.puts(
      "elixir_parse: #{length(srcs)} files, #{fmt(mb, 2)} MB (#{bytes} bytes); " <>
        "columns=#{b(o.columns)} token_metadata=#{b(o.tm)}; #{o.j} process" <>
        "#{if o.j == 1, do: "", else: "es"}; #{o.r} rounds (+#{o.w} warm-up); " <>
        "Elixir #{System.version()}, OTP #{System.otp_release()}"
    )

    for _ <- 1..o.w//1, do: run_round(srcs, popts, o.j)

    results =
      for r <- 1..o.r do
        {secs, lats, errors} = run_round(srcs, popts, o.j)
        IO.puts("  round #{pad(r, 2)}  #{pad(fmt_time(secs), 10)}  #{pad(fmt(mb / secs, 1), 8)} MB/s")
        {secs, lats, errors}
      end

    secs = results |> Enum.map(&elem(&1, 0)) |> Enum.sort()
    lats = results |> Enum.flat_map(&elem(&1, 1)) |> Enum.sort() |> List.to_tuple()
    errors = results |> hd() |> elem(2)
    rss_rounds = vm_hwm_kb()
    t_med = median(secs)
    {mbps_med, mbps_min, mbps_max} = {mb / t_med, mb / List.last(secs), mb / hd(secs)}
    p95 = if o.r >= 20, do: mb / pct(List.to_tuple(secs), 95)

    # Keep-all pass: every AST alive at once, measured by its heap size.
    asts = Enum.map(srcs, &Code.string_to_quoted(&1, popts))
    words = Enum.reduce(asts, 0, fn ast, acc -> acc + :erts_debug.flat_size(ast) end)
    ast_bytes = words * :erlang.system_info(:wordsize)
    rss_kept = vm_hwm_kb()
    nfiles = length(srcs)

    IO.puts(
      "throughput  median #{fmt(mbps_med, 1)} MB/s" <>
        if(p95, do: ", p95 round #{fmt(p95, 1)} MB/s", else: "") <>
        " (min #{fmt(mbps_min, 1)}, max #{fmt(mbps_max, 1)} over #{o.r} rounds)"
    )

    IO.puts(
      "per file    p50 #{fmt_time(pct(lats, 50))}, p95 #{fmt_time(pct(lats, 95))}, " <>
        "p99 #{fmt_time(pct(lats, 99))}, max #{fmt_time(elem(lats, tuple_size(lats) - 1))} " <>
        "(#{tuple_size(lats)} parses)"
    )

    IO.puts("AST         #{errors} of #{nfiles} files with syntax errors")

    IO.puts(
      "memory      VM peak RSS #{fmt(rss_rounds / 1024, 1)} MB parsing, " <>
        "#{fmt(rss_kept / 1024, 1)} MB with all ASTs kept;\n" <>
        "            AST heap #{fmt(ast_bytes / 1.0e6, 2)} MB in all, " <>
        "#{fmt(ast_bytes / 1024 / nfiles, 1)} KB per file"
    )

    IO.puts(
      "RESULT impl=elixir parse_mbps_median=#{fmt(mbps_med, 2)} " <>
        "parse_mbps_min=#{fmt(mbps_min, 2)} parse_mbps_max=#{fmt(mbps_max, 2)}" <>
        if(p95, do: " parse_mbps_p95=#{fmt(p95, 2)}", else: "") <>
        " file_us_p50=#{fmt(pct(lats, 50) * 1.0e6, 1)} file_us_p95=#{fmt(pct(lats, 95) * 1.0e6, 1)}" <>
        " file_us_p99=#{fmt(pct(lats, 99) * 1.0e6, 1)} files=#{nfiles} bytes=#{bytes}" <>
        " errors=#{errors} threads=#{o.j} rounds=#{o.r} columns=#{b(o.columns)}" <>
        " token_metadata=#{b(o.tm)} peak_rss_kb=#{rss_rounds} kept_rss_kb=#{rss_kept}" <>
        " ast_bytes=#{ast_bytes}"
    )
  end

  # One round: {wall seconds, per-file seconds, files with syntax errors}.
  defp run_round(srcs, popts, 1) do
    t0 = System.monotonic_time()
    res = Enum.map(srcs, &parse_one(&1, popts))
    {secs(System.monotonic_time() - t0), Enum.map(res, &elem(&1, 0)), count_errors(res)}
  end

  defp run_round(srcs, popts, j) do
    t0 = System.monotonic_time()

    res =
      srcs
      |> Task.async_stream(&parse_one(&1, popts), max_concurrency: j, ordered: false, timeout: :infinity)
      |> Enum.map(fn {:ok, r} -> r end)

    {secs(System.monotonic_time() - t0), Enum.map(res, &elem(&1, 0)), count_errors(res)}
  end

  defp parse_one(src, popts) do
    t0 = System.monotonic_time()
    ok = match?({:ok, _}, Code.string_to_quoted(src, popts))
    {secs(System.monotonic_time() - t0), ok}
  end

  defp count_errors(res), do: Enum.count(res, fn {_, ok} -> not ok end)
  defp secs(native), do: System.convert_time_unit(native, :native, :nanosecond) / 1.0e9

  defp vm_hwm_kb do
    case File.read("/proc/self/status") do
      {:ok, s} ->
        case Regex.run(~r/VmHWM:\s+(\d+) kB/, s) do
          [_, kb] -> String.to_integer(kb)
          _ -> 0
        end

      _ ->
        0
    end
  end

  defp median(sorted) do
    n = length(sorted)
    t = List.to_tuple(sorted)
    if rem(n, 2) == 1, do: elem(t, div(n, 2)), else: (elem(t, div(n, 2) - 1) + elem(t, div(n, 2))) / 2
  end

  # Nearest-rank percentile of a sorted tuple (as parse_bench.c computes it).
  defp pct(t, p) do
    n = tuple_size(t)
    rank = min(max(ceil(p / 100 * n), 1), n)
    elem(t, rank - 1)
  end

  defp fmt(x, d), do: :erlang.float_to_binary(x / 1, decimals: d)
  defp b(true), do: 1
  defp b(false), do: 0
  defp pad(x, w), do: String.pad_leading(to_string(x), w)

  defp fmt_time(s) when s < 1.0e-3, do: "#{round(s * 1.0e6)} us"
  defp fmt_time(s) when s < 1, do: "#{fmt(s * 1.0e3, 2)} ms"
  defp fmt_time(s), do: "#{fmt(s, 3)} s"

  # ---- verify --------------------------------------------------------------------

  defp verify(o) do
    frames = read_frames(File.read!(o.verify), [])
    popts = opts(o)

    results =
      Enum.map(frames, fn {path, ours} ->
        theirs = Code.string_to_quoted(File.read!(path), popts)

        case compare(ours, theirs) do
          :same ->
            if match?({:error, _}, theirs), do: :both_fail, else: :same

          {:diff, what} ->
            IO.puts("MISMATCH #{path}\n#{what}")
            :bad
        end
      end)

    bad = Enum.filter(results, &(&1 == :bad))

    IO.puts("#{length(frames) - length(bad)}/#{length(frames)} files identical " <>
      "(#{Enum.count(results, &(&1 == :both_fail))} of them syntax errors on both sides; " <>
      "columns=#{b(o.columns)} token_metadata=#{b(o.tm)})")

    if bad != [], do: System.halt(1)
  end

  defp read_frames(<<>>, acc), do: Enum.reverse(acc)

  defp read_frames(<<n::32, frame::binary-size(n), rest::binary>>, acc),
    do: read_frames(rest, [:erlang.binary_to_term(frame) | acc])

  defp compare({:ok, a}, {:ok, b}) do
    if a === b, do: :same, else: {:diff, first_diff(a, b, nil)}
  end

  defp compare({:error, {line, _col, _msg}}, {:error, {meta, _, _}}) when is_list(meta) do
    if meta[:line] == line, do: :same, else: {:diff, "  both fail, ours on line #{line}, Elixir on #{meta[:line]}"}
  end

  defp compare(ours, theirs) do
    {:diff, "  ours:   #{short(ours)}\n  elixir: #{short(theirs)}"}
  end

  # The first differing subterm, with the metadata of the innermost enclosing node.
  defp first_diff(a, b, meta) when a === b, do: {:same, meta}

  defp first_diff(a, b, meta) do
    meta = node_meta(a) || meta

    cond do
      is_tuple(a) and is_tuple(b) and tuple_size(a) == tuple_size(b) ->
        descend(Tuple.to_list(a), Tuple.to_list(b), a, b, meta)

      is_list(a) and is_list(b) and proper?(a) and proper?(b) and length(a) == length(b) ->
        descend(a, b, a, b, meta)

      true ->
        "  near #{short(meta)}\n  ours:   #{short(a)}\n  elixir: #{short(b)}"
    end
  end

  defp descend(as, bs, a, b, meta) do
    Enum.zip(as, bs)
    |> Enum.find_value(fn {x, y} ->
      case first_diff(x, y, meta) do
        {:same, _} -> nil
        text -> text
      end
    end) || "  near #{short(meta)}\n  ours:   #{short(a)}\n  elixir: #{short(b)}"
  end

  defp node_meta({_, meta, _}) when is_list(meta), do: if(Keyword.keyword?(meta), do: meta)
  defp node_meta(_), do: nil

  defp proper?([]), do: true
  defp proper?([_ | t]), do: proper?(t)
  defp proper?(_), do: false

  defp short(t), do: inspect(t, limit: 12, printable_limit: 120)
end

ParseBench.main(System.argv())
