import path from 'node:path';
import { fail, ok, type CommandSpec } from '@yantra/shared/cli';
import { generateTests, type GenerationReport } from '../generation/generate.js';
import { graphCollaborators } from '../generation/graph-collaborators.js';
import { llmPortFor } from './llm-port.js';

function summary(r: GenerationReport): string {
  const lines = r.tests.map((t) => `  ${t.kept ? 'KEPT    ' : 'REJECTED'} ${t.name}${t.kept ? ` (+${t.newLines.length} changed lines)` : ` — ${t.reason ?? ''}${t.message ? `: ${t.message.split('\n')[0] ?? ''}` : ''}`}`);
  return [
    `${r.kept} kept, ${r.rejected} rejected after ${r.llmCalls} LLM call(s); ${r.written ? `written to ${r.testFile}` : `not written (${r.testFile})`}`,
    ...lines,
    `changed-line coverage ${r.coverageBefore.percent}% → ${r.coverageAfter.percent}% (target ${r.targets.changedCoverage}%), kept pass rate ${r.keptPassRate}%`,
    ...(r.failureJudgement === undefined ? [] : [`failing tests judged ${r.failureJudgement.verdict.replace('_', ' ')}: ${r.failureJudgement.reason}`]),
  ].join('\n');
}

export const generateCommand: CommandSpec = {
  name: 'generate <project>',
  description: 'Generate pytest tests for a file or symbol; keep those that pass and add changed-line coverage',
  options: [
    { flags: '--file <path>', description: 'File under test, relative to the project (required)' },
    { flags: '--symbol <name>', description: 'Function, class or Class.method (default: every public function)' },
    { flags: '--provider <id>', description: 'anthropic | openai | compatible | local, or replay:DIR (default: the configured chain)' },
    { flags: '--write', description: 'Add the kept tests to the project as a new file' },
    { flags: '--max-repairs <n>', description: 'Repair rounds, 0–3 (default 3)' },
  ],
  run: async ([project], options, ctx) => {
    if (typeof options['file'] !== 'string') return { exitCode: 2, error: { kind: 'usage', message: '--file is required' } };
    const workspace = path.resolve(ctx.io.cwd, String(project));
    const port = await llmPortFor(typeof options['provider'] === 'string' ? options['provider'] : undefined, ctx.io.env, ctx.io.cwd, ctx.logger);
    try {
      // The call graph (gnn) adds collaborators the file's own syntax cannot resolve.
      const file = options['file'];
      const collaborators = await graphCollaborators({ workspace, file, logger: ctx.logger }).unwrapOr({});
      const result = await generateTests({
        workspace,
        file,
        graphCollaborators: collaborators,
        complete: port.complete,
        write: options['write'] === true,
        env: ctx.io.env,
        logger: ctx.logger,
        ...(typeof options['symbol'] === 'string' ? { symbol: options['symbol'] } : {}),
        ...(options['maxRepairs'] === undefined ? {} : { maxRepairs: Number(options['maxRepairs']) }),
      });
      return result.match(
        (r) => ok(r, summary(r)),
        (e) => (e.kind === 'invalid_input' ? { exitCode: 2 as const, error: { kind: e.kind, message: e.message } } : fail(e.kind, e.message)),
      );
    } finally {
      port.close();
    }
  },
};
