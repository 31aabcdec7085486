/* writers.h: write a term tree out as ETF, Elixir text (inspect) or JSON.
 *
 * `ids` (may be NULL) is the node-ID array from node_ids_compute(); when given, every
 * AST node's metadata gets a trailing `node_id: "<printable id>"` entry.
 * All return false only when the buffer's allocation failed (b->failed). */
#ifndef EXS_WRITERS_H
#define EXS_WRITERS_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/buf.h"
#include "ast.h"

/* Erlang external term format, starting with the version byte 131. */
bool write_etf(const exs_tree *t, exs_ref root, const uint64_t *ids, exs_buf *out);
/* Exactly what Elixir's `inspect(term, limit: :infinity, printable_limit: :infinity)`
 * prints for the term, followed by a newline. */
bool write_elixir(const exs_tree *t, exs_ref root, const uint64_t *ids, exs_buf *out);
/* JSON as documented in docs/json.md, followed by a newline. */
bool write_json(const exs_tree *t, exs_ref root, const uint64_t *ids, exs_buf *out);

#endif
