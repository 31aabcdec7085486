/* node_id.h: stable node IDs for every node of a parsed file. Scheme: docs/node_ids.md. */
#ifndef EXS_NODE_ID_H
#define EXS_NODE_ID_H

#include <stdint.h>

#include "ast.h"

/* Returns a malloc'd array of t->count IDs indexed by exs_ref (free() it), or NULL on
 * allocation failure. Nodes not reachable from t->root get 0. */
uint64_t *node_ids_compute(const exs_tree *t, uint32_t file_id);

#endif
