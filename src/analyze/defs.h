/* defs.h: the definitions of one parsed file: its modules and their functions.
 *
 * defs_extract() walks the AST of one file (the term Code.string_to_quoted/2 gives)
 * the way Elixir's compiler would see the module bodies, without expanding macros
 * other than the definition macros of Kernel: defmodule, def/defp/defmacro/defmacrop,
 * defguard/defguardp, defdelegate, defstruct, defexception, defprotocol, defimpl, and
 * the directives use/import/alias/require. The rules are in docs/definitions.md.
 *
 * Ownership: every pointer in a defs_result (arrays, names) lives in the arena given
 * to defs_extract (one arena per file); freeing that arena frees the result. Refs
 * (exs_ref) point into the tree the result was extracted from.
 * Thread-safety: defs_extract touches only its arguments; distinct files may be
 * analyzed on distinct threads with distinct arenas. A result is immutable after. */
#ifndef EXS_DEFS_H
#define EXS_DEFS_H

#include <stdbool.h>
#include <stdint.h>

#include "exscope.h"
#include "../ast/ast.h"
#include "../base/arena.h"

#define DEFS_NONE UINT32_MAX

typedef enum {
    DEFS_MOD_MODULE,    /* defmodule */
    DEFS_MOD_PROTOCOL,  /* defprotocol */
    DEFS_MOD_IMPL,      /* defimpl P, for: T (module "P.T") */
    DEFS_MOD_EXCEPTION, /* defmodule with defexception */
    DEFS_MOD_STRUCT,    /* defmodule with defstruct */
} defs_module_kind;

typedef enum {
    DEFS_DEF,
    DEFS_DEFP,
    DEFS_DEFMACRO,
    DEFS_DEFMACROP,
    DEFS_DEFGUARD,
    DEFS_DEFGUARDP,
    DEFS_DEFDELEGATE,
} defs_fun_kind;

typedef enum { DEFS_USE, DEFS_IMPORT, DEFS_ALIAS, DEFS_REQUIRE } defs_directive_kind;

/* @doc / @moduledoc state. */
typedef enum { DEFS_DOC_NONE, DEFS_DOC_STRING, DEFS_DOC_FALSE } defs_doc;

typedef struct defs_directive {
    uint8_t kind;       /* defs_directive_kind */
    const char *target; /* module as written, __MODULE__ resolved, multi-alias expanded;
                           NULL when not a literal alias/atom */
    const char *as;     /* alias: the `as:` name, else the last segment; NULL otherwise */
    exs_ref only;       /* value of only: (EXS_REF_NONE when absent) */
    exs_ref except;     /* value of except: */
    exs_ref opts;       /* the whole option list (use's options), or EXS_REF_NONE */
    uint32_t line;
    exs_ref node;
} defs_directive;

typedef struct defs_module {
    const char *name;       /* full name ("A.B"); ":mod" for an atom; NULL if dynamic */
    uint8_t kind;           /* defs_module_kind */
    uint8_t moduledoc;      /* defs_doc */
    bool conditional;       /* defined under if/case/for/... */
    bool generated;         /* made by a macro: `@derive P` before defstruct gives impl
                               "P.<struct module>" (its protocol functions are added by
                               expand_apply, which sees the protocol's file) */
    const char *protocol;   /* impl: the protocol as written */
    const char *impl_for;   /* impl: the type */
    uint32_t parent;        /* index of the enclosing module, DEFS_NONE at top level */
    uint32_t line_first, line_last;
    exs_ref node;           /* the defmodule/defprotocol/defimpl call */
    uint64_t node_id;
    const char **behaviours;
    uint32_t behaviour_count;
    const char **fields; /* struct fields (literal atoms only) */
    uint32_t field_count;
    bool fields_dynamic; /* defstruct argument not a literal list */
    defs_directive *directives;
    uint32_t directive_count;
} defs_module;

typedef struct defs_clause {
    uint32_t line;
    exs_ref node; /* the def call */
    uint64_t node_id;
    bool has_guard;
    bool bodiless; /* a head without do: */
} defs_clause;

typedef struct defs_function {
    uint32_t module; /* index into defs_result.modules */
    const char *name; /* NULL when dynamic (unquote name) */
    uint32_t arity;
    uint8_t kind;       /* defs_fun_kind */
    uint8_t doc;        /* defs_doc */
    bool is_public;
    bool is_macro;      /* defmacro/defmacrop/defguard/defguardp */
    bool generated;     /* made by defstruct/defexception/defprotocol/defimpl/use */
    bool conditional;   /* under if/case/for/Enum.each/... at module level */
    bool dynamic;       /* unquote(...) name or arity not known */
    bool has_spec;
    bool in_using;      /* inside `quote` of defmacro __using__: a template for `use` */
    uint32_t default_of; /* f/1 made by the defaults of f/2: 2; else 0 */
    const char *impl;   /* @impl value: "true", "false", a module; NULL if none */
    uint32_t line;      /* first clause */
    defs_clause *clauses;
    uint32_t clause_count;
} defs_function;

typedef struct defs_result {
    defs_module *modules;
    uint32_t module_count;
    defs_function *functions; /* grouped by module, in source order of first clause */
    uint32_t function_count;
} defs_result;

/* Extracts the definitions of one file. `ids` are its node IDs indexed by exs_ref (may
 * be NULL: node_id fields are then 0). Results live in `a`. Returns EXS_OK or
 * EXS_ERR_NOMEM (then *out is empty). */
exs_status defs_extract(const exs_tree *t, const uint64_t *ids, exs_arena *a,
                        defs_result *out) __attribute__((warn_unused_result));

const char *defs_fun_kind_name(defs_fun_kind k);
const char *defs_module_kind_name(defs_module_kind k);
const char *defs_directive_kind_name(defs_directive_kind k);

#endif
