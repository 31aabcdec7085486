/* expand.h: definitions that macros of other files make. `use M`: a module that uses M
 * gets the definitions M's `defmacro __using__` quotes (the templates defs_extract
 * records with in_using set). `@derive P`: the generated impl module gets P's functions.
 *
 * Ownership: results[i] and everything added to it live in arenas[i] (the arena its
 * defs_extract used). Thread-safety: reads all results, writes each; one thread. */
#ifndef EXS_EXPAND_H
#define EXS_EXPAND_H

#include <stddef.h>

#include "defs.h"

/* For every module of every result with a `use M` directive where M is a module of
 * some result that has __using__ templates, adds M's named templates as generated
 * functions, unless the module defines that name/arity itself (defoverridable: the
 * user's definition wins). Derived impl modules get the def heads of their protocol
 * (found by name) the same way. Applying twice adds nothing new. Returns EXS_OK or
 * EXS_ERR_NOMEM (then some results may lack their additions). */
exs_status expand_apply(defs_result *const *results, exs_arena *const *arenas, size_t count)
    __attribute__((warn_unused_result));

#endif
