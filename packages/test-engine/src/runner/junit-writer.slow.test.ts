import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import { afterEach, describe, expect, it } from 'vitest';
import { removeAll, workspaceFrom } from '../fixture-support/workspaces.js';
import { parseJUnit, type JUnitReport } from '../junit/parse.js';
import { defaultToolsPython } from './interpreter.js';
import { PLUGIN_MODULE, PLUGIN_SOURCE } from './plugin-source.js';
import { runTests } from './run.js';

const cleanup: string[] = [];
afterEach(() => removeAll(cleanup));

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  cleanup.push(dir);
  return dir;
}

/**
 * Runs real pytest in `ws` with the plugin and `--junitxml`, the file written either by pytest's
 * own writer or, with PYTEST_YANTRA_JUNIT_WRITER=1, by the plugin serving that option.
 */
async function junitFrom(ws: string, writer: 'pytest' | 'plugin'): Promise<string> {
  const out = await tempDir('yantra-junit-');
  await writeFile(path.join(out, `${PLUGIN_MODULE}.py`), PLUGIN_SOURCE);
  const file = path.join(out, 'report.xml');
  const args = ['-m', 'pytest', '-p', 'no:cacheprovider', '-p', PLUGIN_MODULE, '-q', '-o', 'junit_family=xunit1', `--junitxml=${file}`];
  const run = await runProcess({
    argv: [defaultToolsPython(), ...args],
    cwd: ws,
    env: scrubEnv(process.env, { set: { HOME: out, PYTHONPATH: out, ...(writer === 'plugin' ? { PYTEST_YANTRA_JUNIT_WRITER: '1' } : {}) } }),
    timeoutMs: 60_000,
  });
  expect(run.isOk()).toBe(true);
  return readFile(file, 'utf8');
}

// Durations differ between runs, and so do object addresses in tracebacks.
function comparable(report: JUnitReport): unknown {
  const text = (s: string | undefined) => s?.replace(/0x[0-9a-f]+/g, '0x…');
  return {
    totals: report.totals,
    collectionErrors: report.collectionErrors,
    tests: report.tests.map((t) => ({ nodeId: t.nodeId, outcome: t.outcome, message: text(t.message), traceback: text(t.traceback) })),
  };
}

describe("the plugin's JUnit writer (real pytest)", () => {
  it('gives the same report as pytest --junitxml on escapes, setup and teardown errors, strict xfail, long messages and odd ids', async () => {
    const ws = await workspaceFrom('junit-edge');
    cleanup.push(ws);
    const expected = JSON.parse(await readFile(path.join(ws, 'expected-report.json'), 'utf8')) as { totals: unknown; tests: Record<string, string> };
    const oursXml = await junitFrom(ws, 'plugin');
    const pytestsXml = await junitFrom(ws, 'pytest');
    // pytest's writer stamps the suite with the host name; the plugin's does not, so this tells
    // which writer produced each file (with the plugin serving --junitxml, pytest's must not run).
    expect(pytestsXml).toContain('hostname=');
    expect(oursXml).not.toContain('hostname=');
    const ours = parseJUnit(oursXml)._unsafeUnwrap();
    const pytests = parseJUnit(pytestsXml)._unsafeUnwrap();
    expect(ours.totals).toEqual(expected.totals);
    expect(Object.fromEntries(ours.tests.map((t) => [t.nodeId, t.outcome]))).toEqual(expected.tests);
    expect(comparable(ours)).toEqual(comparable(pytests));
    const unprintable = ours.tests.find((t) => t.nodeId === 'tests/test_edge.py::test_unprintable_message');
    expect(unprintable?.message).toBe('AssertionError: bell #x07 and escape #x1B[31m and tab\tand <tag> & amp\nassert False');
    // The project's addopts ask for --junitxml=project-report.xml; neither run may write it.
    expect(existsSync(path.join(ws, 'project-report.xml'))).toBe(false);
  });

  it('gives the same report as pytest --junitxml for a collection error', async () => {
    const ws = await workspaceFrom('collection-error');
    cleanup.push(ws);
    const ours = parseJUnit(await junitFrom(ws, 'plugin'))._unsafeUnwrap();
    expect(ours.collectionErrors.map((c) => c.path)).toEqual(['tests/test_broken_import.py']);
    expect(comparable(ours)).toEqual(comparable(parseJUnit(await junitFrom(ws, 'pytest'))._unsafeUnwrap()));
  });

  it('runTests reads the edge cases through the plugin and leaves no project report in the workspace', async () => {
    const ws = await workspaceFrom('junit-edge');
    cleanup.push(ws);
    const report = (await runTests({ workspace: ws }))._unsafeUnwrap();
    const byId = Object.fromEntries(report.tests.map((t) => [t.nodeId, t]));
    expect(byId['tests/test_edge.py::test_fails_then_teardown_fails']).toMatchObject({ outcome: 'error', message: 'failed on teardown with "RuntimeError: teardown <broke> & "quoted""' });
    expect(byId['tests/test_edge.py::test_setup_fails']?.message).toBe('failed on setup with "ValueError: setup broke: café ☃"');
    expect(byId['tests/test_edge.py::test_odd_ids[a::b]']?.outcome).toBe('failed');
    expect(report.runnerError).toBeUndefined();
    expect(existsSync(path.join(ws, 'project-report.xml'))).toBe(false);
  });
});
