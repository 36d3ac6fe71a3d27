import type fs from 'node:fs';
import type { Logger } from '@yantra/shared';

/** A commit identity. */
export interface Identity {
  readonly name: string;
  readonly email: string;
}

/** What every operation module needs: the repository location, a shared object cache and a logger. */
export interface RepoContext {
  readonly fs: typeof fs;
  /** Real path of the working tree root. */
  readonly dir: string;
  readonly gitdir: string;
  /** isomorphic-git's object cache, shared across calls so packfiles are parsed once. */
  readonly cache: object;
  readonly logger: Logger;
  readonly author: Identity | undefined;
  readonly defaultAuthor: Identity | undefined;
  readonly clock: () => Date;
}

/** The arguments every isomorphic-git call takes. */
export function gitArgs(ctx: RepoContext): { fs: typeof fs; dir: string; gitdir: string; cache: object } {
  return { fs: ctx.fs, dir: ctx.dir, gitdir: ctx.gitdir, cache: ctx.cache };
}
