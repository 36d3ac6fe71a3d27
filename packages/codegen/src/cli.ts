import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, ok, processIO, runCli, type CliIO, type CliSpec, type CommandSpec } from '@yantra/shared/cli';
import { prepareDemo } from './demo.js';

/** The repository root when running from a checkout (`packages/codegen/{src,dist}`). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const commands: readonly CommandSpec[] = [
  {
    name: 'demo',
    description: 'Copy the sample project to a temp dir, git init it, and run the main job there',
    options: [
      { flags: '--sample <dir>', description: 'Sample project to copy', default: path.join(repoRoot, 'examples/shop') },
      { flags: '--python <path>', description: 'Python with pytest', default: path.join(repoRoot, '.venv/bin/python') },
    ],
    run: async (_args, options, ctx) => {
      const python = String(options['python']);
      if (!existsSync(python)) return fail('tool_missing', `${python} not found: run scripts/setup.sh first`);
      ctx.logger.info('preparing the demo workspace');
      const result = await prepareDemo({ sampleDir: String(options['sample']), python });
      return result.match(
        (report) =>
          report.tests.passed
            ? ok(report, `workspace: ${report.workspace}\ncommit:    ${report.commit}\ntests:     ${report.tests.summary}`)
            : fail('tests_failed', `the sample project's tests fail: ${report.tests.summary}`, report),
        (error) => fail(error.kind, error.message),
      );
    },
  },
];

/** Runs `yantra` with the given arguments; returns the exit code. */
export function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const spec: CliSpec = {
    name: 'yantra',
    version,
    description: 'The Yantra main job: from a plain-language request to a validated, committed change.',
    commands,
  };
  return runCli(spec, argv, io);
}
