/* parse.h: internal access to a parsed file (exs_file is opaque in exscope.h) for the
 * layers above the parser (analyze/, store/). The returned pointers live as long as
 * the exs_file; the tree is immutable once exs_parse has returned. */
#ifndef EXS_PARSE_H
#define EXS_PARSE_H

#include <stdint.h>

#include "exscope.h"
#include "../ast/ast.h"

/* The AST: tree->root is the term Code.string_to_quoted/2 gives. */
const exs_tree *parse_file_tree(const exs_file *f);
/* Node IDs indexed by exs_ref (0 for terms that are not AST nodes). */
const uint64_t *parse_file_ids(const exs_file *f);

#endif
