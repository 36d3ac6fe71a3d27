import { readFile, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../src/index.js';
import { makeRepo, type TestRepo } from './repo-fixture.js';

let repos: TestRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.map((r) => r.cleanup()));
  repos = [];
});

async function setup(tree: Record<string, string | { symlink: string }>, commit?: string | false): Promise<[TestRepo, Repository]> {
  const t = await makeRepo(tree, commit === undefined ? {} : { commit });
  repos.push(t);
  return [t, (await openRepository(t.dir))._unsafeUnwrap()];
}

describe('status', () => {
  it('splits staged, unstaged and untracked, honouring .gitignore', async () => {
    const [t, repo] = await setup({ 'a.py': 'a = 1\n', 'b.py': 'b = 1\n', 'c.py': 'c\n', '.gitignore': '*.log\nbuild/\n' });
    await t.write({ 'a.py': 'a = 2\n', 'new.py': 'n\n', 'debug.log': 'x', 'build/out.txt': 'x' });
    await t.git('add', 'a.py');
    await t.write({ 'a.py': 'a = 3\n' });
    await unlink(path.join(t.dir, 'b.py'));
    await t.git('rm', '-q', 'c.py');
    const s = (await repo.status())._unsafeUnwrap();
    expect(s.branch).toBe('main');
    expect(s.staged).toEqual([
      { path: 'a.py', kind: 'modified' },
      { path: 'c.py', kind: 'deleted' },
    ]);
    expect(s.unstaged).toEqual([
      { path: 'a.py', kind: 'modified' },
      { path: 'b.py', kind: 'deleted' },
    ]);
    expect(s.untracked).toEqual(['new.py']);
    expect(s.clean).toBe(false);
    // Cross-check with the git CLI's own view.
    expect((await t.git('status', '--porcelain')).split('\n').filter(Boolean).sort()).toEqual(
      ['MM a.py', ' D b.py', 'D  c.py', '?? new.py'].sort(),
    );
  });

  it('works before the first commit', async () => {
    const [t, repo] = await setup({ 'a.py': 'x\n' }, false);
    await t.git('add', 'a.py');
    const s = (await repo.status())._unsafeUnwrap();
    expect(s.head).toBeNull();
    expect(s.staged).toEqual([{ path: 'a.py', kind: 'added' }]);
  });
});

describe('diff', () => {
  it('produces a unified diff for unstaged, staged and against a revision, equal to git apply-able patches', async () => {
    const [t, repo] = await setup({ 'app.py': 'def f():\n    return 1\n', 'old.py': 'gone\n' });
    await t.write({ 'app.py': 'def f():\n    return 2\n' });
    const unstaged = (await repo.diffUnstaged())._unsafeUnwrap();
    expect(unstaged.files.map((f) => [f.path, f.kind, f.additions, f.deletions])).toEqual([['app.py', 'modified', 1, 1]]);
    expect(unstaged.patch).toBe(
      'diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def f():\n-    return 1\n+    return 2\n',
    );
    await t.git('add', 'app.py');
    await t.write({ 'new.py': 'x = 1\n' });
    await t.git('add', 'new.py');
    await t.git('rm', '-q', 'old.py');
    const staged = (await repo.diffStaged())._unsafeUnwrap();
    expect(staged.files.map((f) => [f.path, f.kind])).toEqual([
      ['app.py', 'modified'],
      ['new.py', 'added'],
      ['old.py', 'deleted'],
    ]);
    expect(staged.files[1]?.patch).toContain('new file mode 100644\n--- /dev/null\n+++ b/new.py\n@@ -0,0 +1 @@\n+x = 1\n');
    // The git CLI must accept our staged patch as the exact inverse of the index.
    await writeFile(path.join(t.dir, '..', 'staged.patch'), staged.patch);
    await t.git('apply', '--cached', '-R', '--check', path.join(t.dir, '..', 'staged.patch'));
    const vsHead = (await repo.diffAgainst('HEAD'))._unsafeUnwrap();
    expect(vsHead.files.map((f) => f.path)).toEqual(['app.py', 'new.py', 'old.py']);
    expect(vsHead.patch).toBe(await t.git('diff', '--no-color', '--no-renames', 'HEAD').then((p) => p.replace(/^index .*\n/gm, '')));
  });

  it('limits a diff to paths and marks binary files', async () => {
    const [t, repo] = await setup({ 'a.txt': 'a\n', 'b.bin': 'x' });
    await t.write({ 'a.txt': 'b\n' });
    await writeFile(path.join(t.dir, 'b.bin'), Buffer.from([0, 1, 2]));
    const d = (await repo.diffUnstaged({ paths: ['b.bin'] }))._unsafeUnwrap();
    expect(d.files).toHaveLength(1);
    expect(d.files[0]).toMatchObject({ path: 'b.bin', binary: true });
    expect(d.patch).toContain('Binary files a/b.bin and b/b.bin differ');
    await writeFile(path.join(t.dir, 'a.txt'), 'line\n'.repeat(1_100_000));
    const big = (await repo.diffUnstaged({ paths: ['a.txt'] }))._unsafeUnwrap();
    expect(big.patch).toBe('diff --git a/a.txt b/a.txt\nLarge file (5500000 bytes): content diff omitted\n');
  });
});

describe('stage, unstage, commit, log and show', () => {
  it('stages new, modified and deleted files, commits with the configured author, and reads it back', async () => {
    const [t, repo] = await setup({ 'a.py': '1\n', 'b.py': '2\n' });
    await t.write({ 'a.py': '10\n', 'c.py': '3\n' });
    await unlink(path.join(t.dir, 'b.py'));
    expect((await repo.add(['.']))._unsafeUnwrap()).toEqual(['a.py', 'b.py', 'c.py']);
    expect((await repo.reset(['c.py']))._unsafeUnwrap()).toEqual(['c.py']);
    const s = (await repo.status())._unsafeUnwrap();
    expect(s.staged.map((e) => e.path)).toEqual(['a.py', 'b.py']);
    expect(s.untracked).toEqual(['c.py']);
    const c = (await repo.commit('fix: change a and drop b'))._unsafeUnwrap();
    expect(c.sha).toMatch(/^[0-9a-f]{40}$/);
    expect((await t.git('log', '-1', '--format=%H %an <%ae> %s')).trim()).toBe(
      `${c.sha} Test User <test@example.com> fix: change a and drop b`,
    );
    const log = (await repo.log({ maxCount: 5 }))._unsafeUnwrap();
    expect(log.map((e) => e.subject)).toEqual(['fix: change a and drop b', 'chore: initial commit']);
    expect((await repo.resolveRevision('HEAD~1'))._unsafeUnwrap()).toBe(log[1]?.sha);
    // The fixture's first commit is dated 2026-01-01; ours carries the real clock.
    const since = (await repo.log({ since: new Date('2026-01-02T00:00:00Z') }))._unsafeUnwrap();
    expect(since.map((e) => e.sha)).toEqual([c.sha]);
    const until = (await repo.log({ until: new Date('2026-01-02T00:00:00Z') }))._unsafeUnwrap();
    expect(until.map((e) => e.subject)).toEqual(['chore: initial commit']);
    expect((await repo.log({ maxCount: 0 }))._unsafeUnwrapErr().kind).toBe('invalid_argument');
    expect((await repo.resolveRevision(c.sha.slice(0, 7)))._unsafeUnwrap()).toBe(c.sha);
    const shown = (await repo.show('HEAD'))._unsafeUnwrap();
    expect(shown.commit.sha).toBe(c.sha);
    expect(shown.diff.files.map((f) => [f.path, f.kind])).toEqual([
      ['a.py', 'modified'],
      ['b.py', 'deleted'],
    ]);
    const between = (await repo.diffRevisions('HEAD~1', 'HEAD'))._unsafeUnwrap();
    expect(between.patch).toBe(shown.diff.patch);
  });

  it('refuses an empty commit, an ignored path and a missing path with typed errors', async () => {
    const [t, repo] = await setup({ '.gitignore': 'secret.txt\n', 'a.py': '1\n' });
    expect((await repo.commit('chore: nothing'))._unsafeUnwrapErr().kind).toBe('nothing_to_commit');
    await t.write({ 'secret.txt': 'x' });
    expect((await repo.add(['secret.txt']))._unsafeUnwrapErr()).toMatchObject({ kind: 'path_ignored', path: 'secret.txt' });
    expect((await repo.add(['nope.py']))._unsafeUnwrapErr().kind).toBe('not_found');
    expect((await repo.resolveRevision('HEAD~5'))._unsafeUnwrapErr().kind).toBe('invalid_revision');
  });

  it('fails with author_unknown when no identity is configured', async () => {
    const [t] = await setup({ 'a.py': '1\n' });
    await t.git('config', '--unset', 'user.name');
    const repo = (await openRepository(t.dir))._unsafeUnwrap();
    await t.write({ 'a.py': '2\n' });
    (await repo.add(['a.py']))._unsafeUnwrap();
    expect((await repo.commit('fix: x'))._unsafeUnwrapErr().kind).toBe('author_unknown');
    const withAuthor = (await openRepository(t.dir, { author: { name: 'Y', email: 'y@x.org' } }))._unsafeUnwrap();
    expect((await withAuthor.commit('fix: x'))._unsafeUnwrap().sha).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('confinement', () => {
  it('refuses traversal, absolute paths elsewhere, .git and symlinks pointing out', async () => {
    const [t, repo] = await setup({ 'a.py': '1\n' });
    await symlink('/etc', path.join(t.dir, 'etc-link'));
    for (const bad of ['../outside.py', '/etc/passwd', '.git/config', 'etc-link/passwd', 'etc-link']) {
      expect((await repo.add([bad]))._unsafeUnwrapErr().kind).toBe('path_outside_repo');
    }
    expect((await repo.checkoutFiles(['../../x']))._unsafeUnwrapErr().kind).toBe('path_outside_repo');
    expect((await repo.diffUnstaged({ paths: ['../x'] }))._unsafeUnwrapErr().kind).toBe('path_outside_repo');
  });

  it('reports not_a_repository for a plain directory', async () => {
    const r = await openRepository('/proc/self');
    expect(r._unsafeUnwrapErr().kind).toBe('not_a_repository');
  });
});

describe('branches, checkout and tags', () => {
  it('creates, lists and switches branches, restores files and tags commits', async () => {
    const [t, repo] = await setup({ 'a.py': 'one\n' });
    const b = (await repo.createBranch('feature/x'))._unsafeUnwrap();
    expect(b.name).toBe('feature/x');
    expect((await repo.createBranch('feature/x'))._unsafeUnwrapErr().kind).toBe('already_exists');
    expect((await repo.switchBranch('feature/x'))._unsafeUnwrap().current).toBe(true);
    await t.write({ 'a.py': 'two\n' });
    (await repo.add(['a.py']))._unsafeUnwrap();
    const second = (await repo.commit('feat: two'))._unsafeUnwrap();
    const list = (await repo.branches())._unsafeUnwrap();
    expect(list.current).toBe('feature/x');
    expect(list.branches.map((x) => x.name).sort()).toEqual(['feature/x', 'main']);
    const containing = (await repo.branches({ contains: second.sha }))._unsafeUnwrap();
    expect(containing.branches.map((x) => x.name)).toEqual(['feature/x']);
    // Dirty change that the switch would overwrite: refused.
    await t.write({ 'a.py': 'dirty\n' });
    expect((await repo.switchBranch('main'))._unsafeUnwrapErr().kind).toBe('conflict');
    expect((await repo.checkoutFiles(['a.py']))._unsafeUnwrap()).toEqual(['a.py']);
    expect(await readFile(path.join(t.dir, 'a.py'), 'utf8')).toBe('two\n');
    expect((await repo.checkoutFiles(['a.py'], 'main'))._unsafeUnwrap()).toEqual(['a.py']);
    expect(await readFile(path.join(t.dir, 'a.py'), 'utf8')).toBe('one\n');
    expect((await repo.status())._unsafeUnwrap().staged).toEqual([{ path: 'a.py', kind: 'modified' }]);
    (await repo.checkoutFiles(['a.py']))._unsafeUnwrap();
    expect((await repo.switchBranch('main'))._unsafeUnwrap().sha).toBe((await t.git('rev-parse', 'main')).trim());
    (await repo.createTag('v1.0.0'))._unsafeUnwrap();
    (await repo.createTag('v2.0.0', { revision: 'feature/x', message: 'Release 2' }))._unsafeUnwrap();
    const tags = (await repo.tags())._unsafeUnwrap();
    expect(tags).toEqual([
      { name: 'v1.0.0', sha: (await t.git('rev-parse', 'main')).trim() },
      { name: 'v2.0.0', sha: second.sha },
    ]);
    expect((await t.git('cat-file', '-t', 'v2.0.0')).trim()).toBe('tag');
    expect((await repo.resolveRevision('v2.0.0'))._unsafeUnwrap()).toBe(second.sha);
    (await repo.deleteTag('v1.0.0'))._unsafeUnwrap();
    expect((await repo.tags())._unsafeUnwrap().map((x) => x.name)).toEqual(['v2.0.0']);
  });

  it('refuses to push or fetch a local-path remote with a typed error', async () => {
    const [t, repo] = await setup({ 'a.py': '1\n' });
    await t.git('remote', 'add', 'origin', '/tmp/somewhere.git');
    expect((await repo.push())._unsafeUnwrapErr().kind).toBe('unsupported');
    expect((await repo.fetch({ remote: 'nope' }))._unsafeUnwrapErr().kind).toBe('not_found');
  });
});
