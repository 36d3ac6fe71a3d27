import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ResultAsync } from 'neverthrow';
import { describeUnknown, errnoCode, makeError, type YantraError } from './errors.js';

export type AtomicWriteError = YantraError<'write_failed'> & { readonly path: string; readonly code?: string };

export interface AtomicWriteOptions {
  /** File mode of the written file, for example `0o600` for secrets. */
  readonly mode?: number;
}

/**
 * Writes a file so that readers see either the old content or the new one, never half:
 * write a sibling temp file, fsync it, then rename it over the target.
 */
export function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): ResultAsync<void, AtomicWriteError> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const work = async () => {
    await fs.mkdir(dir, { recursive: true });
    const handle = await fs.open(tmp, 'w', options.mode ?? 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.mode !== undefined) await fs.chmod(tmp, options.mode);
    await fs.rename(tmp, target);
  };
  return ResultAsync.fromPromise(work(), async (cause) => cause).orElse((cause) =>
    ResultAsync.fromSafePromise(fs.rm(tmp, { force: true })).andThen(() =>
      ResultAsync.fromPromise(Promise.reject(cause), (c) => {
        const code = errnoCode(c);
        return makeError('write_failed', `cannot write ${target}: ${describeUnknown(c)}`, {
          path: target,
          ...(code === undefined ? {} : { code }),
        });
      }),
    ),
  );
}
