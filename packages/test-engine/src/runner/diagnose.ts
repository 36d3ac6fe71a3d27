import type { JUnitReport } from '../junit/parse.js';
import type { RunnerError } from '../report.js';

/**
 * The test a timeout interrupted, from the plugin's progress file (a memory map the plugin keeps
 * up): byte 0 is `R` while a test runs (`I` between tests), bytes 4–7 the node id's length
 * (little-endian), the node id (UTF-8) from byte 8. `undefined` when no test was running.
 */
export function runningTest(progress: Buffer | undefined): string | undefined {
  if (progress === undefined || progress.length < 8 || progress[0] !== 0x52) return undefined;
  const length = progress.readUInt32LE(4);
  if (length === 0 || 8 + length > progress.length) return undefined;
  return progress.toString('utf8', 8, 8 + length);
}

export interface RunFacts {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly timeoutMs: number;
  readonly output: string;
  readonly junit: JUnitReport | undefined;
  /** The progress file, read only when a timeout needs the running test. */
  readonly progress: () => Buffer | undefined;
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
