import path from 'node:path';
import { err, ok, type Result } from 'neverthrow';
import { applyBlock, type ApplyProblem } from './apply.js';
import type { EditBlock } from './parse.js';

/** One file of a proposed change. `before` is null for a new file. */
export interface FileChange {
  readonly path: string;
  readonly before: string | null;
  readonly after: string;
}

/** Something suspicious about a change that the request did not ask for. */
export interface ChangeWarning {
  readonly kind: 'deleted_symbols' | 'drastic_shrink';
  readonly path: string;
  readonly message: string;
}

/** Rejects paths that leave the project or touch Yantra's and git's own state. */
export function checkEditPath(p: string): string | undefined {
  if (p.includes('\0')) return 'path contains a NUL byte';
  if (path.isAbsolute(p)) return 'absolute paths are not allowed; use a path relative to the project root';
  const norm = path.posix.normalize(p.replace(/\\/g, '/'));
  if (norm === '..' || norm.startsWith('../')) return 'the path leaves the project';
  const first = norm.split('/')[0];
  if (first === '.git' || first === '.yantra' || first === '.venv') return `edits to ${first}/ are not allowed`;
  return undefined;
}

/**
 * Applies blocks in order to file contents read through `read` (null when the file is
 * missing). All problems are collected so the model gets them in one round of feedback.
 */
export function buildChange(
  blocks: readonly EditBlock[],
  read: (relativePath: string) => string | null,
): Result<FileChange[], ApplyProblem[]> {
  const current = new Map<string, { before: string | null; after: string | null }>();
  const problems: ApplyProblem[] = [];
  for (const block of blocks) {
    const bad = checkEditPath(block.path);
    if (bad !== undefined) {
      problems.push({ kind: 'unsafe_path', path: block.path, line: block.line, message: `${block.path}: ${bad}` });
      continue;
    }
    const key = path.posix.normalize(block.path.replace(/\\/g, '/'));
    let entry = current.get(key);
    if (!entry) {
      const before = read(key);
      entry = { before, after: before };
      current.set(key, entry);
    }
    const target = entry;
    applyBlock(target.after, { ...block, path: key }).match(
      (after) => {
        target.after = after;
      },
      (problem) => {
        problems.push(problem);
      },
    );
  }
  if (problems.length > 0) return err(problems);
  const files: FileChange[] = [];
  for (const [p, e] of current) {
    if (e.after !== null && e.after !== e.before) files.push({ path: p, before: e.before, after: e.after });
  }
  return ok(files);
}

const DEF = /^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+([A-Za-z_]\w*)/gm;

function definedNames(source: string): Set<string> {
  return new Set([...source.matchAll(DEF)].map((m) => m[1] as string));
}

/** Flags deletions of existing functions or classes, and files that shrink drastically. */
export function reviewChange(files: readonly FileChange[]): ChangeWarning[] {
  const warnings: ChangeWarning[] = [];
  for (const f of files) {
    if (f.before === null || !f.path.endsWith('.py')) continue;
    const after = definedNames(f.after);
    const removed = [...definedNames(f.before)].filter((n) => !after.has(n));
    if (removed.length > 0) {
      warnings.push({ kind: 'deleted_symbols', path: f.path, message: `${f.path}: removes ${removed.join(', ')}` });
    }
    const beforeLines = f.before.split('\n').length;
    const afterLines = f.after.split('\n').length;
    if (beforeLines >= 20 && afterLines < beforeLines * 0.5) {
      warnings.push({ kind: 'drastic_shrink', path: f.path, message: `${f.path}: shrinks from ${beforeLines} to ${afterLines} lines` });
    }
  }
  return warnings;
}
