import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A file tree: path → content, or a symlink target. */
export type FileTree = Record<string, string | { readonly symlink: string }>;

export interface TestRepo {
  readonly dir: string;
  /** Runs the git CLI in the repository (test setup and cross-checks only). */
  git(...args: string[]): Promise<string>;
  write(tree: FileTree): Promise<void>;
  cleanup(): Promise<void>;
}

const gitEnv = (home: string): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  HOME: home,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
});

export async function gitIn(dir: string, home: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd: dir, env: gitEnv(home), maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export async function writeTree(dir: string, tree: FileTree): Promise<void> {
  for (const [file, content] of Object.entries(tree)) {
    const full = path.join(dir, file);
    await mkdir(path.dirname(full), { recursive: true });
    if (typeof content === 'string') await writeFile(full, content);
    else await symlink(content.symlink, full);
  }
}

/**
 * Builds a real repository in a temp dir from a file tree, with a local identity and,
 * unless `commit` is false, one initial commit of everything.
 */
export async function makeRepo(tree: FileTree, options: { commit?: string | false } = {}): Promise<TestRepo> {
  const base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'yantra-git-')));
  const dir = path.join(base, 'repo');
  const home = path.join(base, 'home');
  await mkdir(dir);
  await mkdir(home);
  const git = (...args: string[]) => gitIn(dir, home, args);
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.name', 'Test User');
  await git('config', 'user.email', 'test@example.com');
  await writeTree(dir, tree);
  const message = options.commit ?? 'chore: initial commit';
  if (message !== false && Object.keys(tree).length > 0) {
    await git('add', '-A');
    await git('commit', '-q', '-m', message);
  }
  return {
    dir,
    git,
    write: (t) => writeTree(dir, t),
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}
