import type { ResultAsync } from 'neverthrow';
import type { CodeAnalysis, TestStyle } from './analysis.js';
import type { TestPlan } from './plan.js';

/** The LLM port: one completion from a system and a user message. The orchestrator wires the real one. */
export type Complete = (prompt: { readonly system: string; readonly user: string }) => ResultAsync<string, unknown>;

export interface Prompt {
  readonly system: string;
  readonly user: string;
}

const SYSTEM = [
  'You write pytest tests for Python code.',
  'Reply with exactly one ```python fenced block holding a complete, new test module and nothing else.',
  'Rules:',
  '- Only add new test functions named test_*; never edit, copy over, or delete existing tests or conftest files.',
  '- Import only the module under test, the standard library, pytest, and packages the project already imports.',
  '- One behaviour per test; assert exact values; use pytest.raises for errors and pytest.mark.parametrize for tables.',
  '- No network, no sleeping, no writing outside tmp_path.',
].join('\n');

function styleNotes(style: TestStyle): string {
  const notes = [
    `Existing test files: ${style.testFiles.slice(0, 8).join(', ') || 'none'}.`,
    style.testClasses > style.testFunctions / 2 ? 'Tests are grouped in Test* classes.' : 'Tests are plain functions.',
    style.parametrized > 0 ? 'The project uses pytest.mark.parametrize.' : '',
    style.fixtures.length > 0 ? `Available fixtures: ${style.fixtures.map((f) => `${f.name} (${f.file})`).join(', ')}.` : '',
    style.sampleImports.length > 0 ? `Imports seen in tests: ${style.sampleImports.join('; ')}.` : '',
  ];
  return notes.filter((n) => n !== '').join('\n');
}

function excerpt(analysis: CodeAnalysis, plan: TestPlan): string {
  const lines = analysis.source.split('\n');
  const spans = analysis.functions.filter((f) => plan.targets.includes(f.qualname));
  if (spans.length === 0) return analysis.source;
  const header = lines.slice(0, Math.max(0, Math.min(...spans.map((s) => s.start)) - 1)).filter((l) => /^(import|from)\s/.test(l));
  const bodies = analysis.classes.length > 0 ? [analysis.source] : spans.map((s) => lines.slice(s.start - 1, s.end).join('\n'));
  return [...header, '', ...bodies].join('\n');
}

/** The first prompt: code, plan and the project's test style. */
export function generationPrompt(analysis: CodeAnalysis, plan: TestPlan, style: TestStyle, testFile: string): Prompt {
  const cases = plan.cases.map((c, i) => `${i + 1}. [${c.kind}] ${c.target}: ${c.description}`).join('\n');
  return {
    system: SYSTEM,
    user: [
      `Module under test: ${analysis.module} (file ${analysis.file}). Import it as \`from ${analysis.module} import ...\`.`,
      `The new test file will be ${testFile}.`,
      '',
      'Code:',
      '```python',
      excerpt(analysis, plan),
      '```',
      '',
      'Test plan (cover every item):',
      cases,
      '',
      'Project test style:',
      styleNotes(style),
    ].join('\n'),
  };
}

export interface AttemptFeedback {
  readonly code: string;
  readonly problems: readonly string[];
  readonly failures: readonly { readonly nodeId: string; readonly message: string }[];
  readonly missingLines: readonly number[];
}

/** A repair prompt: the previous module and what went wrong with it. */
export function repairPrompt(first: Prompt, feedback: AttemptFeedback): Prompt {
  const parts = [
    first.user,
    '',
    'Your previous test module:',
    '```python',
    feedback.code,
    '```',
  ];
  if (feedback.problems.length > 0) parts.push('', 'It was rejected before running:', ...feedback.problems.map((p) => `- ${p}`));
  if (feedback.failures.length > 0) {
    parts.push('', 'These tests failed (fix the test if it expects the wrong thing):', ...feedback.failures.map((f) => `- ${f.nodeId}: ${f.message}`));
  }
  if (feedback.missingLines.length > 0) parts.push('', `These changed lines are still not covered: ${feedback.missingLines.join(', ')}.`);
  parts.push('', 'Reply with the complete corrected module in one ```python block.');
  return { system: first.system, user: parts.join('\n') };
}

/** Takes the first ```python (or bare ```) block from a reply; a reply without fences is taken whole. */
export function extractCode(reply: string): string {
  const m = /```(?:python|py)?[ \t]*\r?\n([\s\S]*?)```/.exec(reply);
  return `${(m?.[1] ?? reply).replace(/\s+$/, '')}\n`;
}

/** A failing generated test as the judge sees it. */
export interface FailureEvidence {
  readonly nodeId: string;
  readonly message: string;
  readonly traceback?: string;
}

/** Which side one LLM judgement blames for the generated tests that still fail. */
export interface FailureJudgement {
  /** `test_wrong`: the tests expect something the code is not meant to do; `code_wrong`: the code has a bug the tests expose. */
  readonly verdict: 'test_wrong' | 'code_wrong' | 'unclear';
  readonly reason: string;
  /** What the judge was shown: each failing test with its message and traceback. */
  readonly evidence: readonly FailureEvidence[];
}

const JUDGE_SYSTEM = [
  'You review failing pytest tests that were generated for new Python code.',
  'Decide, from the code, the tests and the failures, whether the tests expect the wrong behaviour (test_wrong)',
  'or the code has a bug that the tests correctly expose (code_wrong). If the evidence does not settle it, say unclear.',
  'Reply with exactly one JSON object and nothing else: {"verdict": "test_wrong" | "code_wrong" | "unclear", "reason": "<one or two sentences citing the evidence>"}',
].join('\n');

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max)}\n… (${text.length - max} more characters)`);

/** The one judgement call: the code under test, the generated module, and each failure with its traceback. */
export function judgePrompt(analysis: CodeAnalysis, plan: TestPlan, tests: string, failures: readonly FailureEvidence[]): Prompt {
  return {
    system: JUDGE_SYSTEM,
    user: [
      `Code under test (${analysis.file}):`,
      '```python',
      excerpt(analysis, plan),
      '```',
      '',
      'Generated tests:',
      '```python',
      clip(tests, 12_000),
      '```',
      '',
      'Failures:',
      ...failures.map((f) => [`- ${f.nodeId}: ${f.message}`, ...(f.traceback ? ['```', clip(f.traceback, 2_000), '```'] : [])].join('\n')),
    ].join('\n'),
  };
}

/** Reads the judge's reply: the first JSON object with a known verdict, else `unclear`. */
export function parseJudgement(reply: string, evidence: readonly FailureEvidence[]): FailureJudgement {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start >= 0 && end > start) {
    try {
      const value = JSON.parse(reply.slice(start, end + 1)) as { verdict?: unknown; reason?: unknown };
      if (value.verdict === 'test_wrong' || value.verdict === 'code_wrong' || value.verdict === 'unclear') {
        const reason = typeof value.reason === 'string' && value.reason.trim() !== '' ? clip(value.reason.trim(), 1_000) : 'no reason given';
        return { verdict: value.verdict, reason, evidence };
      }
    } catch {
      // Not JSON: falls through to unclear.
    }
  }
  return { verdict: 'unclear', reason: "the model's judgement could not be read", evidence };
}
