import type { FileChange } from '../edits/change.js';

const TEST_FILE = /(^|\/)(tests?\/|test_[^/]*\.py$|[^/]*_test\.py$|conftest\.py$)/;

export function isTestPath(p: string): boolean {
  return TEST_FILE.test(p);
}

/** A pytest test module (`test_*.py`, `*_test.py`), as opposed to helpers and conftest beside the tests. */
export function isTestModule(p: string): boolean {
  return /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(p);
}

/**
 * The 1-based lines of `after` that are new: every line of a new file, otherwise the lines that
 * a longest-common-subsequence alignment with `before` does not keep.
 */
export function addedLines(before: string | null, after: string): number[] {
  const b = before === null ? [] : before.split('\n');
  const a = after.split('\n');
  if (a.at(-1) === '') a.pop();
  if (b.at(-1) === '') b.pop();
  if (b.length === 0) return a.map((_, i) => i + 1);
  // LCS table over lines; files in a change are small enough for O(n·m).
  const n = a.length;
  const m = b.length;
  const dp = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
    }
  }
  const added: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n) {
    if (j < m && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < m && dp[i + 1]![j]! < dp[i]![j + 1]!) {
      j++;
    } else {
      if ((a[i] ?? '').trim() !== '') added.push(i + 1);
      i++;
    }
  }
  return added;
}

/** Changed lines of the change's non-test Python files, for changed-line coverage. */
export function changedCodeLines(files: readonly FileChange[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const f of files) {
    if (!f.path.endsWith('.py') || isTestPath(f.path)) continue;
    const lines = addedLines(f.before, f.after);
    if (lines.length > 0) out[f.path] = lines;
  }
  return out;
}
