/* pattern.h: structural pattern search, the internal interface (the public one is the
 * "Pattern search" section of exscope.h; docs/patterns.md has the language).
 *
 * A compiled pattern is an Elixir AST (parsed by our parser after `$name` was rewritten
 * to the variable `__exs_bind_name__`) plus a per-term classification: wildcard `_`,
 * ellipsis `...`, binding slot, or literal structure. pattern_match_tree() walks the
 * expression positions of one subject tree and reports every subtree the pattern
 * matches, with the subject refs bound to each `$name`.
 *
 * Ownership: the pattern owns its tree; hits are only valid during the callback.
 * Thread-safety: a compiled pattern is immutable; any number of threads may match it
 * against distinct (or the same, immutable) trees at once. */
#ifndef EXS_PATTERN_H
#define EXS_PATTERN_H

#include <stdbool.h>
#include <stdint.h>

#include "exscope.h"
#include "../analyze/defs.h"
#include "../ast/ast.h"

/* Called once per match: `node` is the matched subject subtree, `binds` holds one ref
 * per binding (exs_pattern_binding_count order), `line_hint` the line of the nearest
 * enclosing node with metadata (0: none; for literals, which have no position).
 * Return false to stop the walk. */
typedef bool (*pattern_hit_fn)(void *ctx, exs_ref node, const exs_ref *binds,
                               uint32_t line_hint);

/* Matches `p` at every expression position of `t`. `defs` (may be NULL) gives the
 * module directives used to resolve aliases and __MODULE__. Returns the number of
 * matches reported. */
uint32_t pattern_match_tree(const exs_pattern *p, const exs_tree *t, const defs_result *defs,
                            pattern_hit_fn fn, void *ctx);

/* Structural equality of two terms ignoring metadata (line, column, ...). */
bool pattern_term_equal(const exs_tree *a, exs_ref ra, const exs_tree *b, exs_ref rb);

#endif
