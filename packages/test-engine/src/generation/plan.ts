import type { CodeAnalysis, FunctionInfo, ParamInfo } from './analysis.js';

export type PlanCaseKind = 'happy' | 'edge' | 'error' | 'branch' | 'collaborator';

export interface PlanCase {
  readonly kind: PlanCaseKind;
  /** The function under test, by qualified name. */
  readonly target: string;
  readonly description: string;
  /** Source lines this case is meant to reach. */
  readonly lines?: readonly number[];
}

/** What the generated tests should cover, derived from the analysis alone (no LLM). */
export interface TestPlan {
  readonly module: string;
  readonly targets: readonly string[];
  readonly cases: readonly PlanCase[];
}

function edgeValues(p: ParamInfo): string[] {
  const a = (p.annotation ?? '').replace(/\s/g, '');
  const out: string[] = [];
  if (/Optional\[|\|None|None\|/.test(a) || p.default === 'None') out.push('None');
  if (/\b(int|float|Decimal|complex)\b/.test(a)) out.push('0', 'a negative number', 'a very large number');
  if (/\bstr\b/.test(a)) out.push('an empty string', 'a unicode string such as "naïve – ☃"');
  if (/\b(list|List|Sequence|Iterable|tuple|Tuple|set|Set)\b/.test(a)) out.push('an empty collection', 'a big collection (10,000 items)');
  if (/\b(dict|Dict|Mapping)\b/.test(a)) out.push('an empty mapping');
  if (/\bbool\b/.test(a)) out.push('True and False');
  if (a === '' && p.kind === 'positional') out.push('an empty or zero value of the type the body expects', 'None');
  return out;
}

function isPublic(f: FunctionInfo): boolean {
  return !f.name.startsWith('_') || f.name === '__init__' || f.name === '__call__';
}

function casesFor(f: FunctionInfo, fromGraph: readonly string[]): PlanCase[] {
  const target = f.qualname;
  const cases: PlanCase[] = [];
  const params = f.params.filter((p) => p.name !== 'self' && p.name !== 'cls');
  const signature = params.map((p) => `${p.name}${p.annotation ? `: ${p.annotation}` : ''}${p.default ? ` = ${p.default}` : ''}`).join(', ');
  const call = f.className ? `${f.className}(...).${f.name}` : f.name;
  cases.push({
    kind: 'happy',
    target,
    description: `call ${call}(${signature}) with typical valid arguments and assert the exact result${f.returns ? ` (returns ${f.returns})` : ''}${f.isAsync ? '; it is async, so run it with asyncio.run' : ''}`,
    lines: [f.line, f.end],
  });
  for (const p of params) {
    for (const v of edgeValues(p)) cases.push({ kind: 'edge', target, description: `${p.name} = ${v}` });
    if (p.default !== null) cases.push({ kind: 'edge', target, description: `omit ${p.name} to use its default ${p.default}` });
  }
  for (const r of f.raises) {
    cases.push({
      kind: 'error',
      target,
      description: `make it raise ${r.exception}${r.guard ? ` (when ${r.guard})` : ''}${r.message ? `, message ${JSON.stringify(r.message)}` : ''}; assert with pytest.raises`,
      lines: [r.line],
    });
  }
  for (const b of f.branches) {
    cases.push({ kind: 'branch', target, description: `take the ${b.kind} at line ${b.line}${b.condition ? ` (${b.condition})` : ''} both ways`, lines: [b.line] });
  }
  for (const r of f.earlyReturns) {
    cases.push({ kind: 'branch', target, description: `reach the early return at line ${r.line}${r.guard ? ` (when ${r.guard})` : ''}`, lines: [r.line] });
  }
  const collaborators = [...new Set([...f.calls.filter((c) => !BUILTINS.has(c.split('.')[0] ?? '')), ...fromGraph])];
  if (collaborators.length > 0) {
    cases.push({
      kind: 'collaborator',
      target,
      description: `it calls ${collaborators.join(', ')}: use the real collaborators where they are cheap and local; monkeypatch only I/O, network, time or randomness`,
    });
  }
  return cases;
}

const BUILTINS = new Set(['len', 'str', 'int', 'float', 'bool', 'list', 'dict', 'set', 'tuple', 'range', 'isinstance', 'print', 'sorted', 'sum', 'min', 'max', 'abs', 'round', 'enumerate', 'zip', 'map', 'filter', 'any', 'all', 'repr', 'super', 'getattr', 'setattr', 'hasattr', 'type', 'iter', 'next', 'ValueError', 'TypeError', 'KeyError', 'RuntimeError', 'ZeroDivisionError', 'IndexError', 'Exception']);

/**
 * Builds the test plan: happy paths, edge cases per parameter, each raise, each branch, collaborators.
 * `graphCollaborators` (qualname → names, for example from gnn's call graph) adds collaborators the
 * syntax alone cannot see.
 */
export function buildPlan(analysis: CodeAnalysis, graphCollaborators: Readonly<Record<string, readonly string[]>> = {}): TestPlan {
  const targets = analysis.functions.filter(isPublic);
  return { module: analysis.module, targets: targets.map((f) => f.qualname), cases: targets.flatMap((f) => casesFor(f, graphCollaborators[f.qualname] ?? [])) };
}
