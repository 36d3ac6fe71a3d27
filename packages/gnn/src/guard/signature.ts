import type { Parameter } from '../types.js';
import type { CallSite } from './call-sites.js';

/** Why a call does not fit a signature, or null when it does (or cannot be judged). */
export function callMismatch(params: readonly Parameter[], call: Pick<CallSite, 'positional' | 'keywords' | 'splat'>): string | null {
  if (call.splat) return null;
  const positional = params.filter((p) => p.kind === 'positional_only' || p.kind === 'positional');
  const varPos = params.some((p) => p.kind === 'var_positional');
  const varKw = params.some((p) => p.kind === 'var_keyword');
  if (call.positional > positional.length && !varPos) return `takes ${positional.length} positional arguments but the call passes ${call.positional}`;
  const given = new Set<string>();
  for (const [i, p] of positional.entries()) if (i < call.positional) given.add(p.name);
  for (const k of call.keywords) {
    const p = params.find((q) => q.name === k && q.kind !== 'var_positional' && q.kind !== 'var_keyword');
    if (!p || p.kind === 'positional_only') {
      if (varKw) continue;
      return p ? `parameter '${k}' is positional-only but the call passes it by keyword` : `has no parameter '${k}' but the call passes it by keyword`;
    }
    if (given.has(k)) return `gets '${k}' both positionally and by keyword`;
    given.add(k);
  }
  for (const p of params) {
    if (p.kind === 'var_positional' || p.kind === 'var_keyword' || p.default !== undefined) continue;
    if (!given.has(p.name)) return `requires '${p.name}' (${p.kind === 'keyword_only' ? 'keyword-only' : 'positional'}) which the call does not pass`;
  }
  return null;
}

/** The parameters a caller sees: drops `self`/`cls` when the callable is bound. */
export function visibleParams(params: readonly Parameter[], bound: boolean): readonly Parameter[] {
  if (!bound) return params;
  const first = params[0];
  return first && (first.kind === 'positional' || first.kind === 'positional_only') ? params.slice(1) : params;
}

/**
 * Whether an override still accepts every call the base accepts: each base parameter can be
 * passed the same way, and the override requires nothing the base did not.
 */
export function overrideMismatch(base: readonly Parameter[], ovr: readonly Parameter[]): string | null {
  const bPos = base.filter((p) => p.kind === 'positional_only' || p.kind === 'positional');
  const oPos = ovr.filter((p) => p.kind === 'positional_only' || p.kind === 'positional');
  const oVarPos = ovr.some((p) => p.kind === 'var_positional');
  const oVarKw = ovr.some((p) => p.kind === 'var_keyword');
  if (bPos.length > oPos.length && !oVarPos) return `accepts ${oPos.length} positional parameters where the base accepts ${bPos.length}`;
  for (const p of base) {
    if (p.kind === 'positional_only' || p.kind === 'var_positional' || p.kind === 'var_keyword') continue;
    if (p.kind === 'positional' && p.name === bPos[0]?.name && (p.name === 'self' || p.name === 'cls')) continue;
    const o = ovr.find((q) => q.name === p.name);
    if ((!o || o.kind === 'positional_only' || o.kind === 'var_positional') && !oVarKw) return `no longer accepts '${p.name}' by keyword as the base does`;
  }
  if (base.some((p) => p.kind === 'var_positional') && !oVarPos) return 'drops *args that the base accepts';
  if (base.some((p) => p.kind === 'var_keyword') && !oVarKw) return 'drops **kwargs that the base accepts';
  for (const o of ovr) {
    if (o.kind === 'var_positional' || o.kind === 'var_keyword' || o.default !== undefined) continue;
    if (!base.some((p) => p.name === o.name) && !(o.kind !== 'keyword_only' && oPos.indexOf(o) < bPos.length)) return `requires '${o.name}' which the base does not`;
  }
  return null;
}

/** Compact text of a parameter list for explanations: `(a, b=…, *, c)`. */
export function formatParams(params: readonly Parameter[]): string {
  const out: string[] = [];
  let star = false;
  for (const p of params) {
    if (p.kind === 'keyword_only' && !star) {
      out.push('*');
      star = true;
    }
    if (p.kind === 'var_positional') star = true;
    const pre = p.kind === 'var_positional' ? '*' : p.kind === 'var_keyword' ? '**' : '';
    out.push(`${pre}${p.name}${p.default === undefined ? '' : '=…'}`);
  }
  return `(${out.join(', ')})`;
}

/** Equal for callers: same names, kinds and default presence. */
export function sameSignature(a: readonly Parameter[], b: readonly Parameter[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]?.name && p.kind === b[i]?.kind && (p.default === undefined) === (b[i]?.default === undefined));
}
