import { z } from 'zod';
import { err, ok, type Result } from 'neverthrow';
import { makeError } from '@yantra/shared';
import type { GitError } from './errors.js';

const count = z.number().int().nonnegative();

/** The zod schema of {@link ValidationReport}; reports arrive as JSON from codegen. */
export const validationReportSchema = z.object({
  runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'runId: letters, digits, ".", "_", ":" or "-", at most 100'),
  request: z.string().optional(),
  files: z.array(z.string()).optional(),
  graph: z.object({
    status: z.enum(['complete', 'incomplete', 'failed', 'skipped']),
    breakages: z.array(z.object({ kind: z.string(), message: z.string(), file: z.string().optional() })),
  }),
  tests: z.object({
    passed: count,
    failed: count,
    errors: count,
    skipped: count,
    changedLineCoverage: z.number().min(0).max(100).nullable().optional(),
  }),
  security: z.object({ critical: count, high: count, medium: count, low: count }),
  browser: z.object({ ran: z.boolean(), passed: z.boolean(), failures: z.array(z.string()).optional() }).optional(),
});

/**
 * What the gates found for one change, as plain JSON (codegen writes it, the commit gate reads it).
 *
 * - `runId` becomes the `Yantra-Run:` trailer.
 * - `files`, when given, are the files that were validated; the gate refuses to commit others.
 * - `graph.status` is `complete` only when graph validation covered the whole change.
 * - `tests.changedLineCoverage` is a percentage (0–100) of changed lines covered, or null when unknown.
 * - `browser` is absent (or `ran: false`) when no UI file changed.
 */
export type ValidationReport = z.infer<typeof validationReportSchema>;

/** Parses and checks a report from unknown JSON; `invalid_report` lists what is wrong. */
export function parseValidationReport(value: unknown): Result<ValidationReport, GitError> {
  const parsed = validationReportSchema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return err(makeError('invalid_report', `invalid validation report: ${problems.join('; ')}`, { problems }));
}
