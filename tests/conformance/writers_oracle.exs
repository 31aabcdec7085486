# writers_oracle.exs: checks termgen's output against Elixir itself.
#
# Usage: elixir writers_oracle.exs PREFIX
# For every term in PREFIX.etf / PREFIX.txt / PREFIX.json:
#   1. :erlang.binary_to_term/1 accepts our ETF;
#   2. our ETF equals :erlang.term_to_binary(term, minor_version: 2) byte for byte;
#   3. our Elixir text equals inspect(term, limit: :infinity, printable_limit: :infinity);
#   4. our JSON parses (strict RFC 8259 parser below) and decodes, per docs/json.md,
#      to a term equal (===) to the ETF term.
# Prints a summary; exits 1 on any failure (the first few are shown).
defmodule J do
  # Minimal strict JSON parser: returns {value, rest}.
  def parse(s) do
    {v, rest} = value(ws(s))
    "" = ws(rest)
    v
  end

  defp ws(<<c, r::binary>>) when c in [?\s, ?\t, ?\n, ?\r], do: ws(r)
  defp ws(s), do: s

  defp value("null" <> r), do: {nil, r}
  defp value("true" <> r), do: {true, r}
  defp value("false" <> r), do: {false, r}
  defp value("\"" <> r), do: str(r, [])
  defp value("[" <> r), do: arr(ws(r), [])
  defp value("{" <> r), do: obj(ws(r), [])
  defp value(s) do
    [num | _] = Regex.run(~r/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/, s)
    rest = binary_part(s, byte_size(num), byte_size(s) - byte_size(num))
    {{:num, num}, rest}
  end

  defp arr("]" <> r, acc), do: {Enum.reverse(acc), r}
  defp arr(s, acc) do
    {v, r} = value(ws(s))
    case ws(r) do
      "," <> r2 -> arr(ws(r2), [v | acc])
      "]" <> r2 -> {Enum.reverse([v | acc]), r2}
    end
  end

  defp obj("}" <> r, acc), do: {{:obj, Enum.reverse(acc)}, r}
  defp obj("\"" <> s, acc) do
    {k, r} = str(s, [])
    ":" <> r = ws(r)
    {v, r} = value(ws(r))
    case ws(r) do
      "," <> r2 -> obj(ws(r2), [{k, v} | acc]) |> then(fn x -> x end)
      "}" <> r2 -> {{:obj, Enum.reverse([{k, v} | acc])}, r2}
    end
  end

  defp str("\"" <> r, acc), do: {IO.iodata_to_binary(Enum.reverse(acc)), r}
  defp str("\\" <> <<c, r::binary>>, acc) do
    case c do
      ?" -> str(r, ["\"" | acc])
      ?\\ -> str(r, ["\\" | acc])
      ?/ -> str(r, ["/" | acc])
      ?n -> str(r, ["\n" | acc])
      ?r -> str(r, ["\r" | acc])
      ?t -> str(r, ["\t" | acc])
      ?b -> str(r, ["\b" | acc])
      ?f -> str(r, ["\f" | acc])
      ?u ->
        <<h::binary-size(4), r2::binary>> = r
        {cp, ""} = Integer.parse(h, 16)
        true = cp < 0xD800 or cp > 0xDFFF
        str(r2, [<<cp::utf8>> | acc])
    end
  end
  defp str(<<c, _::binary>>, _acc) when c < 0x20, do: raise("raw control char in string")
  defp str(<<c::utf8, r::binary>>, acc), do: str(r, [<<c::utf8>> | acc])

  # docs/json.md decoding
  @tags ["int", "float", "atom", "bytes", "tuple", "node", "callee"]
  def term(nil), do: nil
  def term(true), do: true
  def term(false), do: false
  def term({:num, n}), do: String.to_integer(n)
  def term(s) when is_binary(s), do: s
  def term(l) when is_list(l), do: Enum.map(l, &term/1)
  def term({:obj, [{"int", s}]}), do: String.to_integer(s)
  def term({:obj, [{"float", {:num, n}}]}) do
    n = if String.contains?(n, [".", "e", "E"]), do: n, else: n <> ".0"
    n = Regex.replace(~r/^(-?\d+)([eE])/, n, "\\1.0\\2")
    String.to_float(n)
  end
  def term({:obj, [{"atom", a}]}), do: String.to_atom(name(a))
  def term({:obj, [{"bytes", b}]}), do: Base.decode64!(b)
  def term({:obj, [{"tuple", l}]}), do: List.to_tuple(Enum.map(l, &term/1))
  def term({:obj, [{"node", n}, {"meta", m}, {"args", a}]}),
    do: {String.to_atom(name(n)), term(m), term(a)}
  def term({:obj, [{"callee", n}, {"meta", m}, {"args", a}]}), do: {term(n), term(m), term(a)}
  def term({:obj, [{k, _} | _]}) when k in @tags, do: raise("bad tagged object #{k}")
  def term({:obj, kvs}), do: Enum.map(kvs, fn {k, v} -> {String.to_atom(k), term(v)} end)

  defp name(s) when is_binary(s), do: s
  defp name({:obj, [{"bytes", b}]}), do: Base.decode64!(b)
end

[prefix] = System.argv()
etfs = File.read!(prefix <> ".etf")
texts = File.read!(prefix <> ".txt") |> String.split("\n") |> Enum.drop(-1)
jsons = File.read!(prefix <> ".json") |> String.split("\n") |> Enum.drop(-1)

split = fn split, bin, acc ->
  case bin do
    <<>> -> Enum.reverse(acc)
    <<n::32, e::binary-size(n), rest::binary>> -> split.(split, rest, [e | acc])
  end
end

etf_list = split.(split, etfs, [])
n = length(etf_list)
true = n == length(texts) and n == length(jsons)

results =
  Enum.zip([etf_list, texts, jsons])
  |> Enum.with_index()
  |> Enum.map(fn {{etf, text, json}, i} ->
    try do
      term = :erlang.binary_to_term(etf)
      errs = []
      errs = if :erlang.term_to_binary(term, minor_version: 2) == etf, do: errs, else: [{:etf_bytes, :erlang.term_to_binary(term, minor_version: 2), etf} | errs]
      want = inspect(term, limit: :infinity, printable_limit: :infinity)
      errs = if want == text, do: errs, else: [{:text, want, text} | errs]
      errs =
        try do
          if J.term(J.parse(json)) === term, do: errs, else: [{:json_mismatch, json} | errs]
        rescue
          e -> [{:json_error, Exception.message(e), json} | errs]
        end
      {i, errs}
    rescue
      e -> {i, [{:binary_to_term, Exception.message(e)}]}
    end
  end)

failed = Enum.filter(results, fn {_, errs} -> errs != [] end)
kinds = failed |> Enum.flat_map(fn {_, e} -> Enum.map(e, &elem(&1, 0)) end) |> Enum.frequencies()
for {i, errs} <- Enum.take(failed, 8), e <- errs, do: IO.puts("term #{i}: #{inspect(e, limit: :infinity, printable_limit: :infinity)}")
IO.puts("#{n} terms, #{n - length(failed)} ok, #{length(failed)} failed #{inspect(kinds)}")
if failed != [], do: System.halt(1)
