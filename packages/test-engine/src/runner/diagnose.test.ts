import { describe, expect, it } from 'vitest';
import { diagnose, parseProgress, runningTest } from './diagnose.js';

const base = { exitCode: 1, signal: null, timedOut: false, timeoutMs: 1000, output: '', junit: undefined, progress: () => [] };
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
  it('names the test a timeout interrupted, from the progress lines (even a cut-off last line)', () => {
    const progress = parseProgress(
      ['{"event":"start","nodeid":"t.py::a"}', '{"event":"report","nodeid":"t.py::a","when":"teardown","outcome":"passed"}', '{"event":"start","nodeid":"t.py::b"}', '{"event":"rep'].join('\n'),
    );
    expect(runningTest(progress)).toBe('t.py::b');
    expect(diagnose({ ...base, exitCode: null, timedOut: true, timeoutMs: 2500, progress: () => progress })).toMatchObject({ kind: 'timeout', where: ['t.py::b'], message: 'pytest timed out after 2.5s while running t.py::b' });
  });
});
