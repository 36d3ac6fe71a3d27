import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureIO } from '@yantra/shared/testing';
import { main } from '../src/cli.js';
import { makeRepo, type TestRepo } from './repo-fixture.js';

const reports = path.join(import.meta.dirname, '..', 'fixtures', 'reports');

let repos: TestRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.map((r) => r.cleanup()));
  repos = [];
});

async function setup(): Promise<TestRepo> {
  const t = await makeRepo({ 'shop/users.py': 'USERS = {}\n', 'README.md': '# shop\n' });
  repos.push(t);
  return t;
}

async function run(t: TestRepo, ...argv: string[]) {
  const io = captureIO({ HOME: path.join(t.dir, '..', 'home') }, t.dir);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err(), json: () => JSON.parse(io.out()) as Record<string, unknown> };
}

describe('yantra-git commands', () => {
  it('status, diff and log print one JSON object with --json', async () => {
    const t = await setup();
    await t.write({ 'shop/users.py': 'USERS = {1: "ada"}\n', 'new.py': 'x\n' });
    const status = await run(t, 'status', '--json');
    expect(status.code).toBe(0);
    expect(status.json()).toMatchObject({ branch: 'main', unstaged: [{ path: 'shop/users.py', kind: 'modified' }], untracked: ['new.py'] });
    const diff = await run(t, 'diff', '--json');
    expect(diff.out.trim().split('\n')).toHaveLength(1);
    expect(diff.json()['patch']).toContain('+USERS = {1: "ada"}');
    const human = await run(t, 'diff', 'shop');
    expect(human.out).toContain('diff --git a/shop/users.py b/shop/users.py');
    const log = await run(t, 'log', '--json', '--max-count', '1');
    expect((log.json()['commits'] as Array<{ subject: string }>)[0]?.subject).toBe('chore: initial commit');
  });

  it('message proposes a valid message for the staged change, and fails when nothing is staged', async () => {
    const t = await setup();
    const none = await run(t, 'message', '--json');
    expect(none.code).toBe(1);
    expect(none.json()).toMatchObject({ error: { kind: 'nothing_to_commit' } });
    await t.write({ 'tests/test_users.py': 'def test_x():\n    pass\n' });
    await t.git('add', 'tests/test_users.py');
    const m = await run(t, 'message', '--json', '--request', 'cover the user store');
    expect(m.code).toBe(0);
    expect(m.json()).toMatchObject({ source: 'fallback', message: 'test(users): cover the user store\n\n- add tests/test_users.py\n' });
  });

  it('commit --validated commits a passing change, blocks a failing one (exit 1) and rejects a bad report (exit 2)', async () => {
    const t = await setup();
    await t.write({ 'shop/users.py': 'USERS = {}\n\n\ndef get_user(i):\n    return USERS.get(i)\n', 'tests/test_users.py': 'def test_x():\n    pass\n' });
    const blocked = await run(t, 'commit', '--json', '--validated', path.join(reports, 'security-critical.json'));
    expect(blocked.code).toBe(1);
    expect(blocked.json()).toMatchObject({ error: { kind: 'gate_blocked' }, failures: [{ gate: 'security' }] });
    await writeFile(path.join(t.dir, '..', 'bad.json'), '{"runId": 1}');
    const bad = await run(t, 'commit', '--json', '--validated', path.join(t.dir, '..', 'bad.json'));
    expect(bad.code).toBe(2);
    expect(bad.json()).toMatchObject({ error: { kind: 'invalid_report' } });
    const missing = await run(t, 'commit', '--json');
    expect(missing.code).toBe(2);
    await copyFile(path.join(reports, 'pass.json'), path.join(t.dir, '..', 'report.json'));
    const done = await run(t, 'commit', '--json', '--validated', '../report.json');
    expect(done.code).toBe(0);
    const sha = (await t.git('rev-parse', 'HEAD')).trim();
    expect(done.json()).toMatchObject({ sha });
    expect(await t.git('log', '-1', '--format=%B')).toContain('Yantra-Run: run-2026-11-26-abc123');

    const undo = await run(t, 'undo', '--json');
    expect(undo.code).toBe(0);
    expect(undo.json()).toMatchObject({ reverted: sha });
    const again = await run(t, 'undo', '--json');
    expect(again.code).toBe(1);
    expect(again.json()).toMatchObject({ error: { kind: 'undo_refused' }, reason: 'not_yantra' });
  });

  it('reports a directory outside any repository as bad input (exit 2)', async () => {
    const io = captureIO({}, '/');
    expect(await main(['status', '--json', '--repo', '/proc'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ error: { kind: 'not_a_repository' } });
  });

  it('bench measures a synthetic repository and prints one JSON object', async () => {
    const io = captureIO();
    expect(await main(['bench', '--json', '--files', '60'], io)).toBe(0);
    const result = JSON.parse(io.out()) as { files: number; timings: Array<{ name: string; ms: number }> };
    expect(result.files).toBe(61);
    const names = result.timings.map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(['status (cold)', 'status (warm)', 'diff unstaged', 'commitValidated (10 files)']));
    expect(result.timings.every((x) => x.ms >= 0)).toBe(true);
    expect(io.err()).toContain('writing files 60/60');
  });
});
