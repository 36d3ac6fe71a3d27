import { UsageError } from '@yantra/shared/cli';

/** `--tests a --tests b` or `--tests a,b` → node ids. */
export function listOption(value: unknown): string[] | undefined {
  if (value === undefined || value === false) return undefined;
  const values = Array.isArray(value) ? value : [value];
  const out = values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return out.length > 0 ? out : undefined;
}

/** `--timeout 30` (seconds) → milliseconds. */
export function secondsOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number of seconds`);
  return Math.round(n * 1000);
}

/**
 * `--changed calc/ops.py:5-9,12 --changed b.py:3` → `{ 'calc/ops.py': [5,6,7,8,9,12], 'b.py': [3] }`.
 */
export function changedLinesOption(value: unknown): Record<string, number[]> | undefined {
  const specs = value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
  if (specs.length === 0) return undefined;
  const out: Record<string, number[]> = {};
  for (const spec of specs) {
    const at = spec.lastIndexOf(':');
    if (at <= 0) throw new UsageError(`--changed wants FILE:LINES, got ${JSON.stringify(spec)}`);
    const file = spec.slice(0, at);
    const lines = out[file] ?? [];
    for (const part of spec.slice(at + 1).split(',')) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
      if (!m) throw new UsageError(`bad line range ${JSON.stringify(part)} in --changed`);
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      if (to < from || to - from > 100_000) throw new UsageError(`bad line range ${JSON.stringify(part)} in --changed`);
      for (let l = from; l <= to; l += 1) lines.push(l);
    }
    out[file] = lines;
  }
  return out;
}
