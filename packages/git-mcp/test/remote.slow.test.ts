import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRepository, undoLast, commitValidated } from '../src/index.js';
import { startGitHttpServer } from './http-remote.js';
import { gitIn, makeRepo, type TestRepo } from './repo-fixture.js';

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const passing = {
  runId: 'run-remote',
  graph: { status: 'complete' as const, breakages: [] },
  tests: { passed: 1, failed: 0, errors: 0, skipped: 0, changedLineCoverage: 100 },
  security: { critical: 0, high: 0, medium: 0, low: 0 },
};

describe('push and fetch over smart HTTP (git http-backend on 127.0.0.1)', () => {
  it('pushes a branch, fetches the remote one, and undo then refuses the pushed commit', async () => {
    const t: TestRepo = await makeRepo({ 'a.py': 'a\n' });
    cleanups.push(t.cleanup);
    const root = path.join(t.dir, '..', 'served');
    const home = path.join(t.dir, '..', 'home');
    await gitIn(path.dirname(t.dir), home, ['init', '-q', '--bare', '-b', 'main', path.join(root, 'origin.git')]);
    await gitIn(path.join(root, 'origin.git'), home, ['config', 'http.receivepack', 'true']);
    const server = await startGitHttpServer(root);
    cleanups.push(server.close);
    await t.git('remote', 'add', 'origin', `${server.url}/origin.git`);

    const repo = (await openRepository(t.dir))._unsafeUnwrap();
    await t.write({ 'a.py': 'a2\n' });
    const c = (await commitValidated(repo, { files: ['a.py'], request: 'change a' }, passing))._unsafeUnwrap();
    const pushed = (await repo.push())._unsafeUnwrap();
    expect(pushed).toEqual({ remote: 'origin', ref: 'main', sha: c.sha });
    expect((await gitIn(path.join(root, 'origin.git'), home, ['rev-parse', 'main'])).trim()).toBe(c.sha);
    // The remote-tracking ref now contains the commit: undo must not revert published history.
    expect((await undoLast(repo))._unsafeUnwrapErr()).toMatchObject({ kind: 'undo_refused', reason: 'pushed' });

    // Someone else pushes; fetch brings it into origin/main without touching the working tree.
    const other = path.join(t.dir, '..', 'other');
    await gitIn(path.dirname(t.dir), home, ['clone', '-q', `${server.url}/origin.git`, other]);
    await gitIn(other, home, ['-c', 'user.name=O', '-c', 'user.email=o@x.org', 'commit', '-q', '--allow-empty', '-m', 'chore: from elsewhere']);
    await gitIn(other, home, ['push', '-q', 'origin', 'main']);
    const remoteHead = (await gitIn(other, home, ['rev-parse', 'HEAD'])).trim();
    const fetched = (await repo.fetch())._unsafeUnwrap();
    expect(fetched.sha).toBe(remoteHead);
    expect((await t.git('rev-parse', 'origin/main')).trim()).toBe(remoteHead);
    expect((await t.git('rev-parse', 'HEAD')).trim()).toBe(c.sha);
    const remotes = (await repo.branches({ scope: 'remote' }))._unsafeUnwrap();
    expect(remotes.branches.map((b) => [b.name, b.sha])).toEqual([['origin/main', remoteHead]]);
  });
});
