import { chmod, mkdir, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../src/index.js';
import { isoStatusRows, statusRows } from '../src/status.js';
import { makeRepo, type TestRepo } from './repo-fixture.js';

// The fast status reader and the incremental tree writer replace isomorphic-git's slow paths;
// these tests hold them to isomorphic-git's statusMatrix and to the git CLI's own trees.

let repos: TestRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.map((r) => r.cleanup()));
  repos = [];
});

const tree = {
  '.gitignore': '*.log\nbuild/\n/secret.txt\n',
  'a.py': 'a\n',
  'b.py': 'b\n',
  'c.py': 'c\n',
  'd.py': 'd\n',
  'e.py': 'e\n',
  'f.py': 'f\n',
  'pkg/sub/deep.py': 'deep\n',
  'pkg/sub/other.py': 'other\n',
  'pkg/keep.py': 'keep\n',
  'gone/only.py': 'only\n',
  'logs/tracked.log': 'tracked although ignored\n',
};

async function setup(): Promise<[TestRepo, Repository]> {
  const t = await makeRepo(tree);
  repos.push(t);
  return [t, (await openRepository(t.dir))._unsafeUnwrap()];
}

/** Produces every row kind of isomorphic-git's status table, plus ignored and symlinked files. */
async function everyCase(t: TestRepo): Promise<void> {
  const w = (p: string, c: string) => writeFile(path.join(t.dir, p), c);
  await w('a.py', 'a2\n'); // ' M'
  await w('b.py', 'b2\n');
  await t.git('add', 'b.py'); // 'M '
  await w('c.py', 'c2\n');
  await t.git('add', 'c.py');
  await w('c.py', 'c3\n'); // 'MM'
  await unlink(path.join(t.dir, 'd.py')); // ' D'
  await t.git('rm', '-q', 'e.py'); // 'D '
  await t.git('rm', '-q', '--cached', 'f.py'); // 'D ' + '??'
  await w('new.py', 'n\n'); // '??'
  await w('added.py', 'x\n');
  await t.git('add', 'added.py'); // 'A '
  await w('am.py', 'x\n');
  await t.git('add', 'am.py');
  await w('am.py', 'y\n'); // 'AM'
  await w('ad.py', 'x\n');
  await t.git('add', 'ad.py');
  await unlink(path.join(t.dir, 'ad.py')); // 'AD'
  await rm(path.join(t.dir, 'gone'), { recursive: true }); // ' D' in a vanished directory
  await w('debug.log', 'ignored\n');
  await mkdir(path.join(t.dir, 'build', 'x'), { recursive: true });
  await w('build/x/out.txt', 'ignored\n');
  await w('secret.txt', 'ignored\n');
  await mkdir(path.join(t.dir, 'fresh', 'nested'), { recursive: true });
  await w('fresh/nested/n.py', 'n\n'); // '??' in a new directory
  await w('logs/tracked.log', 'changed\n'); // tracked and ignored: still reported
  await symlink('a.py', path.join(t.dir, 'link.py')); // '??' symlink
}

describe('fast status', () => {
  it('matches isomorphic-git statusMatrix on every status case', async () => {
    const [t, repo] = await setup();
    await everyCase(t);
    const ctx = repo.context;
    const fast = await statusRows(ctx);
    const iso = await isoStatusRows(ctx);
    expect(fast).toEqual(iso.sort((x, y) => (x[0] < y[0] ? -1 : 1)));
    expect(fast.find((r) => r[0] === 'new.py')).toEqual(['new.py', 0, 2, 0]);
    expect(fast.some((r) => r[0] === 'debug.log' || r[0].startsWith('build/') || r[0] === 'secret.txt')).toBe(false);
    for (const filter of [['pkg'], ['fresh/nested'], ['a.py', 'gone']]) {
      expect(await statusRows(ctx, filter)).toEqual((await isoStatusRows(ctx, filter)).sort((x, y) => (x[0] < y[0] ? -1 : 1)));
    }
  });

  it('reports an executable-bit change as git does (isomorphic-git ignores it)', async () => {
    const [t, repo] = await setup();
    await chmod(path.join(t.dir, 'pkg/keep.py'), 0o755);
    expect((await repo.status())._unsafeUnwrap().unstaged).toEqual([{ path: 'pkg/keep.py', kind: 'modified' }]);
    expect((await repo.diffUnstaged())._unsafeUnwrap().patch).toBe('diff --git a/pkg/keep.py b/pkg/keep.py\nold mode 100644\nnew mode 100755\n');
    (await repo.add(['pkg/keep.py']))._unsafeUnwrap();
    expect((await repo.status())._unsafeUnwrap().staged).toEqual([{ path: 'pkg/keep.py', kind: 'modified' }]);
    expect((await t.git('diff', '--cached', '--name-only')).trim()).toBe('pkg/keep.py');
  });

  it('reads index version 4, and reports a conflicted path as staged and unstaged', async () => {
    const [t, repo] = await setup();
    await everyCase(t);
    const v2 = await statusRows(repo.context);
    await t.git('update-index', '--index-version', '4');
    // isomorphic-git cannot read a v4 index ("Unsupported dircache version"); ours reads it the same.
    expect(await statusRows(repo.context)).toEqual(v2);

    const [u, other] = await setup();
    await u.git('checkout', '-q', '-b', 'side');
    await u.write({ 'a.py': 'side\n' });
    await u.git('commit', '-qam', 'side');
    await u.git('checkout', '-q', 'main');
    await u.write({ 'a.py': 'main\n' });
    await u.git('commit', '-qam', 'main');
    await u.git('merge', '-q', 'side').catch(() => undefined); // Leaves a.py conflicted.
    expect((await statusRows(other.context)).filter((r) => r.join() !== `${r[0]},1,1,1`)).toEqual([['a.py', 1, 2, 3]]);
    expect((await other.commit('fix: resolve'))._unsafeUnwrapErr()).toMatchObject({ kind: 'conflict', paths: ['a.py'] });
  });

  it('notices an edit made in the same second as the index write (racy git)', async () => {
    const [t, repo] = await setup();
    await t.git('add', '.');
    await writeFile(path.join(t.dir, 'a.py'), 'b\n'); // Same size, same second.
    expect((await repo.status())._unsafeUnwrap().unstaged).toEqual([{ path: 'a.py', kind: 'modified' }]);
  });
});

describe('incremental commit trees', () => {
  it('writes the same tree as git write-tree for adds, deep edits, mode changes and removed directories', async () => {
    const [t, repo] = await setup();
    await t.write({ 'pkg/sub/deep.py': 'deeper\n', 'new/dir/n.py': 'n\n', 'top.py': 't\n' });
    await chmod(path.join(t.dir, 'pkg/keep.py'), 0o755);
    await rm(path.join(t.dir, 'gone'), { recursive: true });
    await unlink(path.join(t.dir, 'a.py'));
    (await repo.add(['.']))._unsafeUnwrap();
    const c = (await repo.commit('feat: reshape the tree'))._unsafeUnwrap();
    expect((await t.git('rev-parse', `${c.sha}^{tree}`)).trim()).toBe((await t.git('write-tree')).trim());
    await t.git('fsck', '--strict', '--no-progress');
    expect((await t.git('status', '--porcelain')).trim()).toBe('');
    expect((await t.git('ls-tree', '-r', '--name-only', 'HEAD')).split('\n')).toContain('new/dir/n.py');
    expect((await t.git('ls-tree', 'HEAD', 'pkg/keep.py')).startsWith('100755')).toBe(true);
  });

  it('writes the first commit of a repository', async () => {
    const t = await makeRepo({ 'x/y.py': 'y\n', 'z.py': 'z\n' }, { commit: false });
    repos.push(t);
    const repo = (await openRepository(t.dir))._unsafeUnwrap();
    (await repo.add(['.']))._unsafeUnwrap();
    const c = (await repo.commit('chore: start'))._unsafeUnwrap();
    expect((await t.git('rev-parse', `${c.sha}^{tree}`)).trim()).toBe((await t.git('write-tree')).trim());
  });
});
