import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describeUnknown, makeError } from '@yantra/shared';
import { runProcess, scrubEnv } from '@yantra/shared/node';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import type { GnnError } from '../errors.js';

/** Real projects the guard benchmark mutates: pinned wheels from PyPI. */
export const CORPUS_PACKAGES: readonly string[] = ['requests==2.32.3', 'flask==3.1.0', 'click==8.1.8', 'rich==13.9.4'];

const run = (argv: readonly [string, ...string[]], cwd: string, what: string): ResultAsync<void, GnnError> =>
  runProcess({ argv, cwd, env: scrubEnv(process.env, { set: { HOME: cwd, PIP_DISABLE_PIP_VERSION_CHECK: '1' } }), timeoutMs: 300_000 })
    .mapErr((e): GnnError => makeError('internal', `${what}: ${e.message}`))
    .andThen((r) => (r.exitCode === 0 ? okAsync(undefined) : errAsync(makeError('internal', `${what} failed (exit ${String(r.exitCode)}): ${r.stderr.slice(-400)}`))));

/**
 * Downloads the corpus wheels with pip (once; they are kept in `dir`) and unpacks each into
 * `dir/<name>/`. Returns the project roots. Wheels are zip files, unpacked with Python's zipfile.
 */
export function fetchCorpus(options: { dir: string; python: string; packages?: readonly string[] }): ResultAsync<string[], GnnError> {
  const { dir, python } = options;
  const packages = options.packages ?? CORPUS_PACKAGES;
  const wheels = path.join(dir, 'wheels');
  try {
    mkdirSync(wheels, { recursive: true });
  } catch (e) {
    return errAsync(makeError('internal', `cannot create ${wheels}: ${describeUnknown(e)}`));
  }
  const have = (name: string) => readdirSync(wheels).find((f) => f.toLowerCase().startsWith(`${name.toLowerCase()}-`) && f.endsWith('.whl'));
  const missing = packages.filter((p) => !have(p.split('==')[0] ?? p));
  return (missing.length === 0 ? okAsync(undefined) : run([python, '-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '-d', wheels, ...missing], dir, 'pip download')).andThen(() => {
    const names = packages.map((p) => (p.split('==')[0] ?? p).toLowerCase());
    const roots = names.map((n) => path.join(dir, n));
    const todo = names.filter((n) => !existsSync(path.join(dir, n)));
    const noWheel = todo.find((n) => !have(n));
    if (noWheel) return errAsync(makeError('internal', `wheel for ${noWheel} not found in ${wheels}`));
    return todo
      .reduce<ResultAsync<void, GnnError>>(
        (acc, name) =>
          acc
            .andThen(() => run([python, '-m', 'zipfile', '-e', path.join(wheels, have(name) ?? ''), path.join(dir, name)], dir, `unpack ${name}`))
            .map(() => {
              const root = path.join(dir, name);
              for (const f of readdirSync(root)) if (f.endsWith('.dist-info') || f.endsWith('.data')) rmSync(path.join(root, f), { recursive: true, force: true });
            }),
        okAsync(undefined),
      )
      .map(() => roots);
  });
}
