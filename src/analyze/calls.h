/* calls.h: the call sites of one parsed file, and their resolution to targets.
 *
 * Two steps, because resolving needs the whole project:
 *   1. calls_extract() walks one file (with its defs_result) and records every call
 *      site inside a function clause (and at module level): its caller, position,
 *      node ID, the syntactic callee (name, arity as called, module expression with
 *      aliases expanded) and the form (local, remote, piped, captured, dynamic).
 *   2. calls_resolve() fills in each site's target MFA using a lookup of what modules
 *      export (the project's own modules plus read-only dependency layers such as the
 *      Elixir stdlib): locals, imports (Kernel's auto-import included, learned from the
 *      indexed Kernel sources), aliases, `__MODULE__`, remote calls.
 *
 * The rules (what is a site, scoping, resolution order, the oracle) are in docs/calls.md.
 * Sites are in source walk order. One node may give several sites: apply/3 gives the
 * Kernel.apply/3 site and a DYNAMIC one; a default value `\\ x()` is recorded once per
 * arity that evaluates it; a `defimpl P, for: [A, B]` body once per impl module.
 * Special forms (case, for, ...) are sites resolved to CALLS_TO_SPECIAL_FORM: skip them.
 *
 * Ownership: everything lives in the arena given to calls_extract (the file's arena);
 * calls_resolve writes only into the sites' target fields.
 * Thread-safety: calls_extract touches only its arguments (one file per thread);
 * calls_resolve reads the lookup concurrently if the lookup is read-only. */
#ifndef EXS_CALLS_H
#define EXS_CALLS_H

#include <stdbool.h>
#include <stdint.h>

#include "exscope.h"
#include "../ast/ast.h"
#include "../base/arena.h"
#include "defs.h"

typedef enum {
    CALLS_LOCAL,    /* f(x) / f x: local or imported */
    CALLS_REMOTE,   /* M.f(x) with a literal module (aliases expanded) */
    CALLS_DYNAMIC,  /* mod.f(x) with a variable module, apply/2,3, fun.(x) */
} calls_form;

typedef enum {
    CALLS_UNRESOLVED, /* not known (dynamic, or no module exports it) */
    CALLS_TO_LOCAL,   /* a function of the caller's own module */
    CALLS_TO_IMPORT,  /* an imported function (Kernel's auto-import included) */
    CALLS_TO_REMOTE,  /* M.f resolved through the literal module or an alias */
    CALLS_TO_SPECIAL_FORM, /* a Kernel.SpecialForms macro (case, for, quote, ^, ...):
                              syntax, not a call; consumers normally skip these */
} calls_resolution;

/* Arity not known (apply/3 with a non-literal argument list). */
#define CALLS_ARITY_UNKNOWN UINT32_MAX

typedef enum {
    CALLS_IMPORT_ALL,       /* import M */
    CALLS_IMPORT_ONLY,      /* only: [f: 1, ...] */
    CALLS_IMPORT_EXCEPT,    /* except: [f: 1, ...] */
    CALLS_IMPORT_FUNCTIONS, /* only: :functions */
    CALLS_IMPORT_MACROS,    /* only: :macros */
    CALLS_IMPORT_SIGILS,    /* only: :sigils (sigil_X macros and functions) */
    CALLS_IMPORT_USING,     /* `use M`: the imports M's __using__ quote makes, asked of
                               calls_lookup.using_imports at resolution */
} calls_import_mode;

/* One `import` directive in scope at a call site; a list, innermost (latest) first.
 * Lists are shared between sites (immutable, in the file's arena). */
typedef struct calls_import {
    const char *module; /* aliases expanded; ":mod" for Erlang modules */
    uint8_t mode;       /* calls_import_mode */
    const char **names; /* ONLY/EXCEPT: the name/arity list */
    const uint32_t *arities;
    uint32_t count;
    const struct calls_import *next;
} calls_import;

typedef struct calls_site {
    uint32_t caller_fun;   /* index into defs_result.functions; DEFS_NONE at module level */
    uint32_t caller_module; /* index into defs_result.modules; DEFS_NONE outside modules */
    const char *module;    /* REMOTE: the module as resolved from aliases ("Enum", ":lists");
                              DYNAMIC: the module when apply/3 names a literal one; else NULL */
    const char *name;      /* the function name as called; "" for `fun.(x)` and apply/2 */
    uint32_t arity;        /* arity as called (pipes add 1; captures give /n) */
    uint8_t form;          /* calls_form */
    bool piped;            /* the first argument comes from |> */
    bool captured;         /* &f/1, &M.f/2, &M.f(&1, 2) */
    uint32_t line, column; /* column 0 when the file was parsed without columns */
    exs_ref node;
    uint64_t node_id;
    /* filled by calls_resolve: */
    uint8_t resolution;      /* calls_resolution */
    const char *target_module; /* resolved module ("Kernel", "Enum", the caller's) */
    uint8_t target_kind;       /* defs_fun_kind of the target when resolved */
    bool target_is_macro;      /* the target is a macro (expanded at compile time) */
    /* set by calls_extract: */
    const calls_import *imports; /* explicit imports in scope, innermost first (NULL: none) */
} calls_site;

/* The imports a module's `defmacro __using__` quote makes (`import` calls anywhere in
 * the quote, aliases expanded where the quote is written): what `use M` brings in. */
typedef struct calls_using {
    uint32_t module;              /* index into defs_result.modules */
    const calls_import *imports;  /* innermost (last written) first */
} calls_using;

typedef struct calls_result {
    calls_site *sites;
    uint32_t site_count;
    calls_using *usings; /* modules with a __using__ that imports something */
    uint32_t using_count;
} calls_result;

/* Records the call sites of one file. Returns EXS_OK or EXS_ERR_NOMEM. */
exs_status calls_extract(const exs_tree *t, const uint64_t *ids, const defs_result *defs,
                         exs_arena *a, calls_result *out) __attribute__((warn_unused_result));

/* What the resolver asks: does `module` export `name/arity` (public def/defmacro,
 * generated ones included)? `kind_out` (may be NULL) gets the defs_fun_kind. */
typedef struct calls_lookup {
    bool (*exports)(void *ctx, const char *module, const char *name, uint32_t arity,
                    uint8_t *kind_out);
    /* Every public name/arity of `module` (for `import M` without only:), in order;
       returns the count written (at most cap), or the total when out is NULL. */
    uint32_t (*exports_of)(void *ctx, const char *module, const char **names_out,
                           uint32_t *arities_out, uint32_t cap);
    void *ctx;
} calls_lookup;

/* The imports `use module` makes: the calls_result.usings entry of that module's file
 * (so the files of used modules must be extracted before resolving); NULL when none.
 * `ctx` is the lookup's. */
typedef const calls_import *(*calls_using_fn)(void *ctx, const char *module);

/* Resolves the sites of one file in place; `defs` is the same file's definitions. */
void calls_resolve(calls_result *calls, const defs_result *defs, const calls_lookup *lookup);
/* The same, with `use M` resolved through `using` (calls_resolve: `use` adds nothing). */
void calls_resolve_using(calls_result *calls, const defs_result *defs,
                         const calls_lookup *lookup, calls_using_fn using);

const char *calls_form_name(calls_form f);
const char *calls_resolution_name(calls_resolution r);

#endif
