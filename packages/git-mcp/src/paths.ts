import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeError } from '@yantra/shared';
import { failWith } from './errors.js';

function outside(input: string, why: string): never {
  return failWith(makeError('path_outside_repo', `${input}: ${why}`, { path: input }));
}

function inside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves a user-supplied path to a repo-relative POSIX path, or throws `path_outside_repo`.
 * `root` must already be a real path. Refuses traversal, absolute paths elsewhere, anything
 * inside `.git`, and any existing component that is a symlink resolving outside the root
 * (a symlink out would let a write or a read escape the repository).
 */
export async function confinePath(root: string, input: string): Promise<string> {
  if (input.length === 0 || input.includes('\0')) outside(input, 'empty or invalid path');
  const absolute = path.resolve(root, input);
  if (!inside(root, absolute)) outside(input, 'resolves outside the repository');
  const rel = path.relative(root, absolute);
  const parts = rel === '' ? [] : rel.split(path.sep);
  if (parts[0] === '.git') outside(input, 'refers to the .git directory');
  let current = root;
  for (const part of parts) {
    current = path.join(current, part);
    let stat;
    try {
      stat = await fs.lstat(current);
    } catch {
      break; // The rest does not exist yet, so no symlink can redirect it.
    }
    if (stat.isSymbolicLink()) {
      let real: string;
      try {
        real = await fs.realpath(current);
      } catch {
        outside(input, 'is a dangling symlink');
      }
      if (!inside(root, real)) outside(input, 'goes through a symlink pointing outside the repository');
    }
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/** Confines every path of a list; see {@link confinePath}. */
export async function confinePaths(root: string, inputs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) out.push(await confinePath(root, input));
  return out;
}
