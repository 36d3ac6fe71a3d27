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
