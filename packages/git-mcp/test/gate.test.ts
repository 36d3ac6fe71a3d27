import { readFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { okAsync } from 'neverthrow';
import { afterEach, describe, expect, it } from 'vitest';
import {
  commitValidated,
  evaluateGate,
  gateSummary,
  openRepository,
  parseValidationReport,
  undoLast,
  validateCommitMessage,
  type MessageGenerator,
  type Repository,
  type ValidationReport,
} from '../src/index.js';
import { makeRepo, type TestRepo } from './repo-fixture.js';

const reports = path.join(import.meta.dirname, '..', 'fixtures', 'reports');
const loadReport = (name: string) => JSON.parse(readFileSync(path.join(reports, `${name}.json`), 'utf8')) as ValidationReport;
const expectedBlocks = JSON.parse(readFileSync(path.join(reports, 'expected-blocks.json'), 'utf8')) as Record<string, string>;

let repos: TestRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.map((r) => r.cleanup()));
  repos = [];
});

const initial = { 'shop/users.py': 'USERS = {}\n', 'shop/api.py': 'from shop.users import USERS\n', 'README.md': '# shop\n' };

async function setup(): Promise<[TestRepo, Repository]> {
  const t = await makeRepo(initial);
  repos.push(t);
  return [t, (await openRepository(t.dir, { clock: () => new Date('2026-11-26T12:00:00Z') }))._unsafeUnwrap()];
}

async function yantraChange(t: TestRepo): Promise<void> {
  await t.write({
    'shop/users.py': 'USERS = {}\n\n\ndef get_user(user_id):\n    return USERS.get(user_id)\n',
    'tests/test_users.py': 'from shop.users import get_user\n\n\ndef test_missing():\n    assert get_user(1) is None\n',
  });
}

const change = { files: ['shop/users.py', 'tests/test_users.py'], request: 'add GET /users/:id' };

describe('the commit gate', () => {
  for (const [name, gate] of Object.entries(expectedBlocks)) {
    it(`blocks on ${name} and leaves the repository untouched`, async () => {
      const [t, repo] = await setup();
      await yantraChange(t);
      const headBefore = (await t.git('rev-parse', 'HEAD')).trim();
      const e = (await commitValidated(repo, change, loadReport(name)))._unsafeUnwrapErr();
      expect(e.kind).toBe('gate_blocked');
      if (e.kind !== 'gate_blocked') return;
      expect(e.failures.map((f) => f.gate)).toEqual([gate]);
      expect((await t.git('rev-parse', 'HEAD')).trim()).toBe(headBefore);
      expect((await t.git('diff', '--cached', '--name-only')).trim()).toBe('');
    });
  }

  it('blocks files the report did not validate', () => {
    const failures = evaluateGate(loadReport('pass'), { files: ['shop/users.py', 'shop/api.py'] });
    expect(failures).toEqual([{ gate: 'scope', message: 'not validated: shop/api.py' }]);
    const dotted = { ...loadReport('pass'), files: ['./shop/users.py', 'shop//api.py'] };
    expect(evaluateGate(dotted, { files: ['shop/users.py', 'shop/api.py'] })).toEqual([]);
  });

  it('refuses a malformed report with the problems listed', () => {
    const e = parseValidationReport({ runId: 'x y', tests: {} })._unsafeUnwrapErr();
    expect(e.kind).toBe('invalid_report');
    if (e.kind === 'invalid_report') expect(e.problems.join('\n')).toMatch(/runId[\s\S]*graph/);
  });

  it('commits a passing change with the gate summary and the Yantra-Run trailer', async () => {
    const [t, repo] = await setup();
    await yantraChange(t);
    await t.write({ 'unrelated.txt': 'not part of the change\n' });
    const r = (await commitValidated(repo, change, loadReport('pass')))._unsafeUnwrap();
    expect(r.message).toBe(
      [
        'feat(users): add GET /users/:id',
        '',
        '- update shop/users.py',
        '- add tests/test_users.py',
        '',
        'Tests: 12 passed, 0 failed, 1 skipped (13 total)',
        'Coverage of changed lines: 87.5%',
        'Security: 0 critical, 0 high, 1 medium, 2 low',
        'Graph: complete, 0 breakages',
        'Browser: not run',
        '',
        'Yantra-Run: run-2026-11-26-abc123',
        '',
      ].join('\n'),
    );
    expect(validateCommitMessage(r.message).valid).toBe(true);
    expect((await t.git('log', '-1', '--format=%H%n%(trailers:key=Yantra-Run,valueonly)')).trim()).toBe(
      `${r.sha}\nrun-2026-11-26-abc123`,
    );
    expect((await t.git('show', '--name-only', '--format=', 'HEAD')).trim().split('\n').sort()).toEqual(change.files);
    expect((await t.git('status', '--porcelain')).trim()).toBe('?? unrelated.txt');
  });

  it('uses the LLM port for the message and keeps a valid proposed message', async () => {
    const [t, repo] = await setup();
    await yantraChange(t);
    const llm: MessageGenerator = (prompt) =>
      okAsync(prompt.includes('shop/users.py') ? 'feat(users): add a user lookup by id\n\nLook users up by id for the API.' : 'nonsense');
    const a = (await commitValidated(repo, change, loadReport('pass'), { messageGenerator: llm }))._unsafeUnwrap();
    expect(a.message.split('\n').slice(0, 3)).toEqual(['feat(users): add a user lookup by id', '', 'Look users up by id for the API.']);
    await t.write({ 'shop/users.py': 'USERS = {1: "ada"}\n' });
    const b = (
      await commitValidated(repo, { files: ['shop/users.py'], request: 'seed a user', message: 'fix(users): seed the first user' }, loadReport('pass'))
    )._unsafeUnwrap();
    expect(b.message.split('\n')[0]).toBe('fix(users): seed the first user');
  });

  it('refuses to sweep in files the user staged separately', async () => {
    const [t, repo] = await setup();
    await yantraChange(t);
    await t.write({ 'README.md': '# shop, edited by hand\n' });
    await t.git('add', 'README.md');
    const e = (await commitValidated(repo, change, loadReport('pass')))._unsafeUnwrapErr();
    expect(e).toMatchObject({ kind: 'staged_outside_change', paths: ['README.md'] });
  });

  it('prints a summary with n/a coverage and a failed browser', () => {
    const r = { ...loadReport('browser-failed'), tests: { passed: 3, failed: 0, errors: 0, skipped: 0, changedLineCoverage: null } };
    expect(gateSummary(r)).toContain('Coverage of changed lines: n/a\n');
    expect(gateSummary(r)).toContain('Browser: failed');
  });
});

describe('undoLast', () => {
  async function committed(): Promise<[TestRepo, Repository, string]> {
    const [t, repo] = await setup();
    await yantraChange(t);
    await unlink(path.join(t.dir, 'README.md'));
    const r = (await commitValidated(repo, { ...change, files: [...change.files, 'README.md'] }, { ...loadReport('pass'), files: undefined }))._unsafeUnwrap();
    return [t, repo, r.sha];
  }

  it('reverts the last Yantra commit with a new commit and restores every touched file', async () => {
    const [t, repo, sha] = await committed();
    const u = (await undoLast(repo))._unsafeUnwrap();
    expect(u.reverted).toBe(sha);
    expect([...u.files].sort()).toEqual(['README.md', 'shop/users.py', 'tests/test_users.py']);
    expect((await t.git('rev-parse', 'HEAD~1')).trim()).toBe(sha);
    expect((await t.git('log', '-1', '--format=%s')).trim()).toBe(`Revert "feat(users): add GET /users/:id"`);
    // The tree is the one before the Yantra commit, and the working tree and index agree with it.
    expect((await t.git('rev-parse', 'HEAD^{tree}')).trim()).toBe((await t.git('rev-parse', 'HEAD~2^{tree}')).trim());
    expect((await t.git('status', '--porcelain')).trim()).toBe('');
    // A revert is not itself a Yantra change: undoing again is refused.
    expect((await undoLast(repo))._unsafeUnwrapErr()).toMatchObject({ kind: 'undo_refused', reason: 'not_yantra' });
  });

  it('refuses a commit without the Yantra trailer', async () => {
    const [, repo] = await setup();
    expect((await undoLast(repo))._unsafeUnwrapErr()).toMatchObject({ kind: 'undo_refused', reason: 'not_yantra' });
  });

  it('refuses when a touched file has uncommitted changes', async () => {
    const [t, repo] = await committed();
    await t.write({ 'shop/users.py': 'edited after the commit\n' });
    expect((await undoLast(repo))._unsafeUnwrapErr()).toMatchObject({ kind: 'undo_refused', reason: 'dirty_files', paths: ['shop/users.py'] });
    await t.git('checkout', '--', 'shop/users.py');
    await t.write({ 'README.md': 'recreated by hand\n' });
    expect((await undoLast(repo))._unsafeUnwrapErr()).toMatchObject({ kind: 'undo_refused', reason: 'dirty_files', paths: ['README.md'] });
  });

  it('refuses a pushed commit', async () => {
    const [t, repo, sha] = await committed();
    const remote = path.join(t.dir, '..', 'remote.git');
    await t.git('init', '-q', '--bare', remote);
    await t.git('remote', 'add', 'origin', remote);
    await t.git('push', '-q', 'origin', 'main');
    const e = (await undoLast(repo))._unsafeUnwrapErr();
    expect(e).toMatchObject({ kind: 'undo_refused', reason: 'pushed' });
    expect((await t.git('rev-parse', 'HEAD')).trim()).toBe(sha);
  });

  it('refuses the first commit and an empty repository', async () => {
    const first = await makeRepo({ 'a.py': 'a\n' }, { commit: 'feat: start\n\nYantra-Run: r0' });
    repos.push(first);
    const repo = (await openRepository(first.dir))._unsafeUnwrap();
    expect((await undoLast(repo))._unsafeUnwrapErr()).toMatchObject({ kind: 'undo_refused', reason: 'root_commit' });
    const empty = await makeRepo({}, { commit: false });
    repos.push(empty);
    const none = (await openRepository(empty.dir))._unsafeUnwrap();
    expect((await undoLast(none))._unsafeUnwrapErr()).toMatchObject({ kind: 'undo_refused', reason: 'no_commits' });
  });

  it('refuses a merge commit, even one carrying the trailer', async () => {
    const [t, repo] = await setup();
    await t.git('checkout', '-q', '-b', 'side');
    await t.write({ 'side.py': 'x\n' });
    await t.git('add', 'side.py');
    await t.git('commit', '-q', '-m', 'feat: side');
    await t.git('checkout', '-q', 'main');
    await t.write({ 'main.py': 'y\n' });
    await t.git('add', 'main.py');
    await t.git('commit', '-q', '-m', 'feat: main');
    await t.git('merge', '-q', '--no-ff', 'side', '-m', 'chore: merge side\n\nYantra-Run: r1');
    expect((await undoLast(repo))._unsafeUnwrapErr()).toMatchObject({ kind: 'undo_refused', reason: 'merge' });
  });
});
