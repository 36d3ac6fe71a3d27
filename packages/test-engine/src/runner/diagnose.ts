import type { JUnitReport } from '../junit/parse.js';
import type { RunnerError } from '../report.js';

/** One line of the plugin's progress file. */
export interface ProgressRecord {
  readonly event: 'start' | 'report';
  readonly nodeid: string;
  readonly when?: 'setup' | 'call' | 'teardown';
  readonly outcome?: 'passed' | 'failed' | 'skipped';
}

export function parseProgress(text: string): ProgressRecord[] {
  const out: ProgressRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as ProgressRecord);
    } catch {
      // A line cut short by the kill; the ones before it are still good.
    }
  }
  return out;
}

/** The test that started but never finished its teardown: the one a timeout interrupted. */
export function runningTest(progress: readonly ProgressRecord[]): string | undefined {
  const open = new Set<string>();
  for (const r of progress) {
    if (r.event === 'start') open.add(r.nodeid);
    else if (r.when === 'teardown') open.delete(r.nodeid);
  }
  return [...open].pop();
}

export interface RunFacts {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly timeoutMs: number;
  readonly output: string;
  readonly junit: JUnitReport | undefined;
  /** Read only when a timeout needs the running test (a large suite writes two records per test). */
  readonly progress: () => readonly ProgressRecord[];
}

function tail(text: string, lines = 30): string {
  return text.split('\n').slice(-lines).join('\n').trim();
}

const IMPORT_FAILURE = /\b(ModuleNotFoundError|ImportError)\b/;

/**
 * Tells runner-level failures apart from test failures, from pytest's exit code (0 ok, 1 tests
 * failed, 2 interrupted, 3 internal error, 4 usage error, 5 no tests), the JUnit file and output.
 */
export function diagnose(f: RunFacts): RunnerError | undefined {
  const outputTail = tail(f.output);
  if (f.timedOut) {
    const running = runningTest(f.progress());
    const seconds = Math.round(f.timeoutMs / 100) / 10;
    return {
      kind: 'timeout',
      message: running === undefined ? `pytest timed out after ${seconds}s` : `pytest timed out after ${seconds}s while running ${running}`,
      ...(running === undefined ? {} : { where: [running] }),
      outputTail,
    };
  }
  const collection = f.junit?.collectionErrors ?? [];
  if (collection.length > 0 || (f.exitCode === 2 && /error(s)? during collection/.test(f.output))) {
    const texts = collection.map((c) => `${c.message}\n${c.traceback ?? ''}`).join('\n') + f.output;
    const importish = IMPORT_FAILURE.test(texts);
    const where = collection.map((c) => c.path);
    return {
      kind: importish ? 'import_error' : 'collection_error',
      message: importish
        ? `import failed while collecting ${where.join(', ') || 'tests'}`
        : `collection failed in ${where.join(', ') || 'tests'}`,
      ...(where.length > 0 ? { where } : {}),
      outputTail,
    };
  }
  switch (f.exitCode) {
    case 0:
    case 1:
      if (f.junit === undefined) return { kind: 'crashed', message: 'pytest finished but wrote no JUnit report', outputTail };
      return undefined;
    case 2:
      return { kind: 'interrupted', message: 'pytest was interrupted', outputTail };
    case 3:
      return { kind: 'internal_error', message: 'pytest hit an internal error', outputTail };
    case 4:
      return { kind: 'usage_error', message: 'pytest rejected its command line (bad node id or option)', outputTail };
    case 5:
      return { kind: 'no_tests', message: 'pytest collected no tests', outputTail };
    default:
      return {
        kind: 'crashed',
        message: f.signal === null ? `pytest exited with code ${String(f.exitCode)}` : `pytest was killed by ${f.signal}`,
        outputTail,
      };
  }
}
