import type fs from 'node:fs';
import type { FlatTree } from './trees.js';
import type { Logger } from '@yantra/shared';

/** A commit identity. */
export interface Identity {
  readonly name: string;
  readonly email: string;
}

/** Per-repository memo: flattened trees by root oid, and content hashes by file stat. */
export interface RepoMemo {
  readonly trees: Map<string, FlatTree>;
  readonly hashes: Map<string, { readonly key: string; readonly oid: string }>;
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
  readonly memo: RepoMemo;
}

/** The arguments every isomorphic-git call takes. */
export function gitArgs(ctx: RepoContext): { fs: typeof fs; dir: string; gitdir: string; cache: object } {
  return { fs: ctx.fs, dir: ctx.dir, gitdir: ctx.gitdir, cache: ctx.cache };
}
