import { describe, expect, it } from 'vitest';
import type { CodeAnalysis, FunctionInfo } from './analysis.js';
import { buildPlan } from './plan.js';
import { extractCode, generationPrompt, parseJudgement, repairPrompt } from './prompt.js';

const fn = (over: Partial<FunctionInfo>): FunctionInfo => ({
  name: 'f', qualname: 'f', className: null, isAsync: false, start: 1, line: 1, end: 5,
  params: [], returns: null, decorators: [], docstring: '', raises: [], branches: [], earlyReturns: [], calls: [], ...over,
});

const analysis: CodeAnalysis = {
  file: 'pkg/mod.py', module: 'pkg.mod', classes: [], imports: [], diagnostics: [], source: 'def f(name: str, limit: int | None = None):\n    pass\n',
  functions: [
    fn({
      name: 'parse', qualname: 'parse',
      params: [
        { name: 'name', kind: 'positional', annotation: 'str', default: null },
        { name: 'limit', kind: 'positional', annotation: 'int | None', default: 'None' },
      ],
      raises: [{ line: 3, exception: 'KeyError', message: 'unknown', guard: 'name not in TABLE' }],
      branches: [{ line: 2, kind: 'if', condition: 'limit is None' }],
      earlyReturns: [{ line: 4, value: 'None', guard: 'not name' }],
      calls: ['len', 'lookup', 'db.fetch'],
    }),
    fn({ name: '_private', qualname: '_private' }),
  ],
};

describe('buildPlan', () => {
  const plan = buildPlan(analysis);
  it('plans public functions only', () => {
    expect(plan.targets).toEqual(['parse']);
  });
  it('covers happy path, edge values per annotation, each raise, branches and collaborators', () => {
    const byKind = (k: string) => plan.cases.filter((c) => c.kind === k).map((c) => c.description);
    expect(byKind('happy')).toHaveLength(1);
    expect(byKind('edge')).toEqual(expect.arrayContaining(['name = an empty string', 'limit = None', 'limit = 0', 'limit = a negative number', 'omit limit to use its default None']));
    expect(byKind('error')).toEqual(['make it raise KeyError (when name not in TABLE), message "unknown"; assert with pytest.raises']);
    expect(byKind('branch')).toEqual(['take the if at line 2 (limit is None) both ways', 'reach the early return at line 4 (when not name)']);
    expect(byKind('collaborator')[0]).toContain('it calls lookup, db.fetch');
  });
});

describe('buildPlan with graph collaborators', () => {
  it('adds collaborators the call graph knows about', () => {
    const plan = buildPlan(analysis, { parse: ['pkg.store.Store.get'] });
    expect(plan.cases.find((c) => c.kind === 'collaborator')?.description).toContain('it calls lookup, db.fetch, pkg.store.Store.get');
  });
});

describe('prompts', () => {
  const style = { testFiles: ['tests/test_a.py'], testDirs: ['tests'], suffixNaming: false, fixtures: [{ name: 'db', file: 'tests/conftest.py' }], testClasses: 0, testFunctions: 3, parametrized: 1, sampleImports: ['import pytest'] };
  it('puts module, file, plan and style in the first prompt', () => {
    const p = generationPrompt(analysis, buildPlan(analysis), style, 'tests/test_mod_yantra.py');
    expect(p.system).toContain('never edit');
    expect(p.user).toContain('from pkg.mod import');
    expect(p.user).toContain('tests/test_mod_yantra.py');
    expect(p.user).toContain('db (tests/conftest.py)');
    expect(p.user).toContain('pytest.mark.parametrize');
  });
  it('feeds problems, failures and uncovered lines back in a repair prompt', () => {
    const first = generationPrompt(analysis, buildPlan(analysis), style, 't.py');
    const r = repairPrompt(first, { code: 'def test_x(): pass\n', problems: ['line 1: module x is not installed'], failures: [{ nodeId: 't.py::test_y', message: 'assert 1 == 2' }], missingLines: [3, 4] });
    expect(r.user).toContain('def test_x(): pass');
    expect(r.user).toContain('module x is not installed');
    expect(r.user).toContain('t.py::test_y: assert 1 == 2');
    expect(r.user).toContain('still not covered: 3, 4');
  });
  it('extracts the first python block, or the whole reply without fences', () => {
    expect(extractCode('Sure:\n```python\nimport os\n```\nmore\n```python\nx\n```')).toBe('import os\n');
    expect(extractCode('```\nx = 1\n```')).toBe('x = 1\n');
    expect(extractCode('x = 2\n\n')).toBe('x = 2\n');
  });
});

describe('parseJudgement', () => {
  const evidence = [{ nodeId: 'tests/test_x.py::test_a', message: 'assert 1 == 2' }];

  it('reads the verdict and reason from a fenced or bare JSON object, and keeps the evidence', () => {
    expect(parseJudgement('```json\n{"verdict": "code_wrong", "reason": " off by one "}\n```', evidence)).toEqual({ verdict: 'code_wrong', reason: 'off by one', evidence });
    expect(parseJudgement('Verdict: {"verdict":"test_wrong"}', evidence)).toEqual({ verdict: 'test_wrong', reason: 'no reason given', evidence });
  });

  it('answers unclear for prose, broken JSON or an unknown verdict', () => {
    for (const reply of ['The test is wrong.', '{"verdict": "test_wrong", ', '{"verdict": "both", "reason": "x"}', '']) {
      expect(parseJudgement(reply, evidence)).toEqual({ verdict: 'unclear', reason: "the model's judgement could not be read", evidence });
    }
  });
});
