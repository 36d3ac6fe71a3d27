import { describe, expect, it } from 'vitest';
import { diagnose, runningTest } from './diagnose.js';

const base = { exitCode: 1, signal: null, timedOut: false, timeoutMs: 1000, output: '', junit: undefined, progress: () => undefined };
const junit = { tests: [], totals: { passed: 0, failed: 0, errors: 0, skipped: 0, xfailed: 0, xpassed: 0, total: 0 }, durationMs: 0, collectionErrors: [] };

describe('diagnose', () => {
  it('maps pytest exit codes to runner errors', () => {
    expect(diagnose({ ...base, exitCode: 0, junit })).toBeUndefined();
    expect(diagnose({ ...base, exitCode: 1, junit })).toBeUndefined();
    expect(diagnose({ ...base, exitCode: 2, junit })?.kind).toBe('interrupted');
    expect(diagnose({ ...base, exitCode: 3, junit })?.kind).toBe('internal_error');
    expect(diagnose({ ...base, exitCode: 4, junit })?.kind).toBe('usage_error');
    expect(diagnose({ ...base, exitCode: 5, junit })?.kind).toBe('no_tests');
    expect(diagnose({ ...base, exitCode: null, signal: 'SIGKILL' })?.message).toContain('SIGKILL');
    expect(diagnose({ ...base, exitCode: 0 })?.kind).toBe('crashed');
  });
  it('tells syntax-level collection errors from import errors', () => {
    const withErr = (traceback: string) => ({ ...junit, collectionErrors: [{ path: 'tests/test_x.py', message: 'collection failure', traceback }] });
    expect(diagnose({ ...base, exitCode: 2, junit: withErr('E   SyntaxError: invalid syntax') })).toMatchObject({ kind: 'collection_error', where: ['tests/test_x.py'] });
    expect(diagnose({ ...base, exitCode: 2, junit: withErr("E   ModuleNotFoundError: No module named 'x'") })?.kind).toBe('import_error');
  });
  it('names the test a timeout interrupted, from the progress map (R + length + node id), and none between tests', () => {
    const map = (state: string, id: string): Buffer => {
      const b = Buffer.alloc(64);
      b.write(state, 0, 'latin1');
      b.writeUInt32LE(Buffer.byteLength(id), 4);
      b.write(id, 8, 'utf8');
      return b;
    };
    expect(runningTest(map('R', 't.py::b[é]'))).toBe('t.py::b[é]');
    expect(runningTest(map('I', 't.py::b'))).toBeUndefined();
    expect(runningTest(Buffer.alloc(0))).toBeUndefined();
    const progress = map('R', 't.py::b');
    expect(diagnose({ ...base, exitCode: null, timedOut: true, timeoutMs: 2500, progress: () => progress })).toMatchObject({ kind: 'timeout', where: ['t.py::b'], message: 'pytest timed out after 2.5s while running t.py::b' });
    expect(diagnose({ ...base, exitCode: null, timedOut: true, timeoutMs: 2500, progress: () => map('I', 't.py::b') })).toMatchObject({ kind: 'timeout', message: 'pytest timed out after 2.5s' });
  });
});
