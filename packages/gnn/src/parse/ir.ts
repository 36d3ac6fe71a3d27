/**
 * The intermediate form the extractor produces per file and the resolver consumes. It is plain
 * JSON so it can be stored with the file's hash and reused without reparsing.
 */
export type Expr =
  | { readonly k: 'n'; readonly n: string } // name
  | { readonly k: 'a'; readonly o: Expr; readonly n: string } // attribute
  | { readonly k: 'c'; readonly f: Expr; readonly a: readonly Expr[]; readonly kw: readonly (readonly [string, Expr])[]; readonly sa?: readonly Expr[]; readonly ka?: readonly Expr[] } // call
  | { readonly k: 's'; readonly o: Expr; readonly key?: string | number } // subscript
  | { readonly k: 'l'; readonly id: string; readonly e: readonly Expr[] } // list, tuple, set literal
  | { readonly k: 'd'; readonly id: string; readonly e: readonly (readonly [string | null, Expr])[] } // dict literal
  | { readonly k: 'cp'; readonly id: string; readonly e: Expr } // comprehension result
  | { readonly k: 'f'; readonly id: string } // a lambda defined here
  | { readonly k: 'm'; readonly id: string } // a module by absolute dotted name
  | { readonly k: 'u'; readonly e: readonly Expr[] } // any of these (conditionals, boolean operators)
  | { readonly k: 'sup'; readonly a: readonly Expr[] } // super(...)
  | { readonly k: 'str'; readonly v: string } // string constant
  | { readonly k: 'x'; readonly e?: readonly Expr[] }; // unknown value; sub-expressions are still evaluated for their calls

export type Target =
  | { readonly k: 'n'; readonly n: string }
  | { readonly k: 'a'; readonly o: Expr; readonly n: string }
  | { readonly k: 's'; readonly o: Expr; readonly key?: string | number }
  | { readonly k: 't'; readonly e: readonly Target[] }
  | { readonly k: 'x' };

export type Stmt =
  | { readonly k: 'as'; readonly t: Target; readonly v: Expr; readonly line: number } // assignment
  | { readonly k: 'e'; readonly v: Expr } // expression evaluated for its effects
  | { readonly k: 'r'; readonly v: Expr } // return
  | { readonly k: 'y'; readonly v: Expr; readonly from?: boolean } // yield
  | { readonly k: 'for'; readonly t: Target; readonly v: Expr } // iteration binding
  | { readonly k: 'with'; readonly t: Target | null; readonly v: Expr }
  | { readonly k: 'exc'; readonly t: string | null; readonly v: Expr } // except clause
  | { readonly k: 'raise'; readonly v: Expr }
  | { readonly k: 'def'; readonly n: string; readonly id: string } // binds a def (after decorators)
  | { readonly k: 'pdef'; readonly fn: string; readonly p: string; readonly v: Expr } // parameter default
  | { readonly k: 'imp'; readonly n: string; readonly mod: string; readonly line: number } // import m [as n]; binds n
  | { readonly k: 'from'; readonly n: string; readonly mod: string; readonly name: string; readonly line: number } // from m import name as n
  | { readonly k: 'star'; readonly mod: string }; // from m import *

export interface ParamIR {
  readonly n: string;
  readonly kind: 'positional_only' | 'positional' | 'var_positional' | 'keyword_only' | 'var_keyword';
  readonly def?: string;
  readonly ann?: string;
}

export interface ScopeIR {
  readonly id: string;
  readonly kind: 'module' | 'class' | 'function' | 'lambda';
  readonly name: string;
  readonly parent: string | null;
  readonly line: number;
  readonly endLine: number;
  readonly params: readonly ParamIR[];
  readonly returns?: string;
  readonly async?: boolean;
  /** Names bound in this scope (assignments, parameters, defs, imports, loop targets). */
  readonly locals: readonly string[];
  readonly globals: readonly string[];
  readonly nonlocals: readonly string[];
  readonly bases: readonly Expr[];
  /** Decorator expressions (outermost first) and their source text. */
  readonly decorators: readonly Expr[];
  readonly decoratorText: readonly string[];
  readonly docstring?: string;
  readonly generator: boolean;
  readonly stmts: readonly Stmt[];
  /** Variables bound at module or class level: name → first line (graph nodes of kind variable). */
  readonly vars: readonly (readonly [string, number])[];
}

/** Everything the resolver needs from one file. */
export interface FileIR {
  readonly file: string;
  readonly module: string;
  readonly isPackage: boolean;
  readonly scopes: readonly ScopeIR[];
  /** `__all__` if the module declares it as a literal list or tuple of strings. */
  readonly all: readonly string[] | null;
}
