import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { chmod, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeAll, workspaceFrom } from '../fixture-support/workspaces.js';
import { runTests } from './run.js';

const cleanup: string[] = [];
afterEach(() => removeAll(cleanup));

async function ws(name: string): Promise<string> {
  const dir = await workspaceFrom(name);
  cleanup.push(dir);
  return dir;
}

describe('runTests on fixture projects (real pytest)', () => {
  it('reports every outcome of the mixed project as expected-report.json says, with coverage of changed lines', async () => {
    const dir = await ws('mixed');
    const expected = JSON.parse(await readFile(path.join(dir, 'expected-report.json'), 'utf8')) as {
      passed: number; failed: number; errors: number; skipped: number; tests: Record<string, string>;
    };
    const report = (
      await runTests({ workspace: dir, coverage: true, changedLines: { 'calc/ops.py': [5, 6, 7, 8, 9, 11, 12, 13] } })
    )._unsafeUnwrap();
    expect({ passed: report.passed, failed: report.failed, errors: report.errors, skipped: report.skipped }).toEqual({
      passed: expected.passed, failed: expected.failed, errors: expected.errors, skipped: expected.skipped,
    });
    expect(Object.fromEntries(report.tests.map((t) => [t.nodeId, t.outcome]))).toEqual(expected.tests);
    expect(report.runnerError).toBeUndefined();
    expect(report.exitCode).toBe(1);
    // divide() runs except its raise; of clamp() only the def line runs (at import).
    expect(report.coverage?.files['calc/ops.py']?.missingLines).toEqual([7, 12, 13, 14, 15, 16]);
    expect(report.coverage?.changed).toMatchObject({ covered: 4, total: 7, percent: 57.14 });
    expect(report.coverage?.changed?.files['calc/ops.py']).toEqual({ covered: [5, 6, 8, 11], missing: [7, 12, 13] });
  });

  it('takes failure and error details from JUnit, though pytest no longer prints its FAILURES section', async () => {
    const dir = await ws('mixed');
    const report = (await runTests({ workspace: dir }))._unsafeUnwrap();
    const byId = Object.fromEntries(report.tests.map((t) => [t.nodeId, t]));
    expect(byId['tests/test_ops.py::test_add_fails']?.message).toContain('AssertionError: two and two make four');
    expect(byId['tests/test_ops.py::test_add_fails']?.traceback).toContain('assert add(2, 2) == 5');
    expect(byId['tests/test_ops.py::test_uses_broken_fixture']?.traceback).toContain('RuntimeError: fixture exploded');
    expect(byId['tests/test_ops.py::test_xfail']?.message).toBeDefined();
  });

  it('runs its own launcher even when the workspace has a module of the same name', async () => {
    const dir = await ws('mixed');
    await writeFile(path.join(dir, 'yantra_launch.py'), 'import pathlib\npathlib.Path(__file__).with_name("SHADOWED").write_text("x")\ndef main():\n    return 0\n');
    const report = (await runTests({ workspace: dir, tests: ['tests/test_ops.py::test_add_passes'] }))._unsafeUnwrap();
    expect(report.passed).toBe(1);
    expect(report.environment.isolation).toBe('namespace');
    await expect(readFile(path.join(dir, 'SHADOWED'), 'utf8')).rejects.toThrow();
  });

  it('reruns failures once and marks the test that flips as flaky, but not the real failure', async () => {
    const dir = await ws('mixed');
    const report = (await runTests({ workspace: dir, rerunFailures: true }))._unsafeUnwrap();
    const byId = Object.fromEntries(report.tests.map((t) => [t.nodeId, t]));
    expect(byId['tests/test_flaky.py::test_flaky_first_run_fails']).toMatchObject({ outcome: 'failed', flaky: true });
    expect(byId['tests/test_ops.py::test_add_fails']?.flaky).toBeUndefined();
  });

  it('runs only the selected node ids', async () => {
    const dir = await ws('mixed');
    const report = (
      await runTests({ workspace: dir, tests: ['tests/test_ops.py::test_add_passes', 'tests/test_ops.py::TestDivide'] })
    )._unsafeUnwrap();
    expect(report.tests.map((t) => t.nodeId).sort()).toEqual([
      'tests/test_ops.py::TestDivide::test_divide[1-4-0.25]',
      'tests/test_ops.py::TestDivide::test_divide[6-3-2]',
      'tests/test_ops.py::test_add_passes',
    ]);
    expect(report.exitCode).toBe(0);
  });

  it('rejects node ids that look like options or leave the workspace', async () => {
    const dir = await ws('mixed');
    for (const bad of ['--co', '../other/test_x.py', '/etc/passwd']) {
      expect((await runTests({ workspace: dir, tests: [bad] }))._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_input', field: 'tests' });
    }
    expect((await runTests({ workspace: path.join(dir, 'nope') }))._unsafeUnwrapErr()).toMatchObject({ kind: 'invalid_input', field: 'workspace' });
  });

  it('diagnoses an import error during collection as a runner error, not a test failure', async () => {
    const dir = await ws('collection-error');
    const report = (await runTests({ workspace: dir }))._unsafeUnwrap();
    expect(report.runnerError).toMatchObject({ kind: 'import_error', where: ['tests/test_broken_import.py'] });
    expect(report.runnerError?.outputTail).toContain('no_such_module_anywhere');
    expect(report.failed).toBe(0);
  });

  it('diagnoses exit code 5 as no tests', async () => {
    const dir = await ws('empty');
    const report = (await runTests({ workspace: dir }))._unsafeUnwrap();
    expect(report.exitCode).toBe(5);
    expect(report.runnerError?.kind).toBe('no_tests');
  });

  it('stops a hanging test at the timeout and names it', async () => {
    const dir = await ws('hanging');
    const started = performance.now();
    const report = (await runTests({ workspace: dir, timeoutMs: 3000 }))._unsafeUnwrap();
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(report.runnerError).toMatchObject({ kind: 'timeout', where: ['tests/test_hang.py::test_hangs_forever'] });
    expect(report.runnerError?.message).toContain('3s');
  });

  it('blames no test when the run hangs after every test finished', async () => {
    const dir = await ws('hanging-at-exit');
    const report = (await runTests({ workspace: dir, timeoutMs: 3000 }))._unsafeUnwrap();
    expect(report.runnerError?.kind).toBe('timeout');
    expect(report.runnerError?.where).toBeUndefined();
    expect(report.runnerError?.message).toBe('pytest timed out after 3s');
  });

  it("uses the project's .venv, and falls back to the tool venv with a note when pytest is missing", async () => {
    const dir = await ws('mixed');
    const tools = path.resolve(__dirname, '../../../../.venv/bin/python');
    await mkdir(path.join(dir, '.venv', 'bin'), { recursive: true });
    await symlink(tools, path.join(dir, '.venv', 'bin', 'python'));
    const fromVenv = (await runTests({ workspace: dir, tests: ['tests/test_ops.py::test_add_passes'] }))._unsafeUnwrap();
    expect(fromVenv.environment.interpreterSource).toBe('venv');
    expect(fromVenv.passed).toBe(1);

    // A "project interpreter" that runs but has no pytest: a wrapper forcing isolated mode with no site-packages.
    const bare = path.join(dir, 'bare-python');
    await writeFile(bare, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n');
    await chmod(bare, 0o755);
    const fallback = (await runTests({ workspace: dir, python: bare, tests: ['tests/test_ops.py::test_add_passes'] }))._unsafeUnwrap();
    expect(fallback.environment.interpreterSource).toBe('tools');
    expect(fallback.environment.note).toContain('pytest is not importable');
    expect(fallback.passed).toBe(1);

    const missing = (await runTests({ workspace: dir, python: bare, toolsPython: bare }))._unsafeUnwrap();
    expect(missing.runnerError?.kind).toBe('pytest_missing');
  });
});

describe('runTests on a huge suite', () => {
  it('reads a 1,000-case JUnit report from real pytest case by case (the 5,000-case parse is in parse.test.ts and bench)', async () => {
    const dir = await ws('huge');
    const report = (await runTests({ workspace: dir }))._unsafeUnwrap();
    expect(report.totals.total).toBe(1000);
    expect(report.skipped).toBe(40);
    expect(report.failed).toBe(100);
    expect(report.passed).toBe(860);
    expect(report.tests.find((t) => t.nodeId === 'tests/test_many.py::test_case[13]')).toMatchObject({ outcome: 'failed', message: expect.stringContaining('case 13 fails') });
  });
});
