import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { errAsync, okAsync, ResultAsync } from 'neverthrow';
import { describeUnknown, makeError, type YantraError } from '@yantra/shared';
import { runProcess, scrubEnv } from '@yantra/shared/node';

export type DemoError = YantraError<'sample_missing' | 'git_failed' | 'tests_failed' | 'tool_missing'>;

export interface DemoOptions {
  /** The sample project to copy. */
  readonly sampleDir: string;
  /** Python with pytest (the tool venv's). */
  readonly python: string;
  /** Parent of the temp workspace. Default: the OS temp dir. */
  readonly tempRoot?: string;
}

export interface DemoReport {
  readonly workspace: string;
  readonly commit: string;
  readonly tests: { readonly passed: boolean; readonly summary: string };
}

function git(cwd: string, args: string[]) {
  const env = scrubEnv(process.env, {
    set: {
      HOME: cwd,
      GIT_AUTHOR_NAME: 'Yantra Demo',
      GIT_AUTHOR_EMAIL: 'demo@yantra.invalid',
      GIT_COMMITTER_NAME: 'Yantra Demo',
      GIT_COMMITTER_EMAIL: 'demo@yantra.invalid',
    },
  });
  return runProcess({ argv: ['git', ...args], cwd, env, timeoutMs: 30_000 })
    .mapErr((e): DemoError => makeError('tool_missing', e.message))
    .andThen((r) =>
      r.exitCode === 0 ? okAsync(r.stdout.trim()) : errAsync(makeError('git_failed', `git ${args[0]}: ${r.stderr.trim()}`) as DemoError),
    );
}

/**
 * The demo's workspace: a copy of the sample project in a temp dir, made a git repository
 * with one commit, and its test suite run with real pytest.
 */
export function prepareDemo(options: DemoOptions): ResultAsync<DemoReport, DemoError> {
  return ResultAsync.fromPromise(
    (async () => {
      const workspace = await mkdtemp(path.join(options.tempRoot ?? os.tmpdir(), 'yantra-demo-'));
      try {
        await cp(options.sampleDir, workspace, { recursive: true });
      } catch (e) {
        // Nothing of a failed demo stays behind in the temp dir.
        await rm(workspace, { recursive: true, force: true });
        throw e;
      }
      return workspace;
    })(),
    (e): DemoError => makeError('sample_missing', `cannot copy ${options.sampleDir}: ${describeUnknown(e)}`),
  ).andThen((workspace) =>
    git(workspace, ['init', '-q', '-b', 'main'])
      .andThen(() => git(workspace, ['add', '-A']))
      .andThen(() => git(workspace, ['commit', '-q', '-m', 'chore: import the sample project']))
      .andThen(() => git(workspace, ['rev-parse', 'HEAD']))
      .andThen((commit) =>
        runProcess({
          argv: [options.python, '-m', 'pytest', '-q', '-p', 'no:cacheprovider'],
          cwd: workspace,
          env: scrubEnv(process.env, { set: { HOME: workspace, PYTHONDONTWRITEBYTECODE: '1' } }),
          timeoutMs: 120_000,
        })
          .mapErr((e): DemoError => makeError('tool_missing', e.message))
          .map((r) => {
            const lines = r.stdout.trim().split('\n');
            return { workspace, commit, tests: { passed: r.exitCode === 0, summary: lines[lines.length - 1] ?? '' } };
          }),
      ),
  );
}
