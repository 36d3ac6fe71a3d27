import { cac, type CAC } from 'cac';
import { describeUnknown } from './errors.js';
import { createStreamLogger, type Logger } from './logger.js';

/** Exit codes shared by every Yantra CLI. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where a CLI writes. Injected so tests run commands in-process. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** True when stderr is a terminal, so progress can redraw in place. */
  readonly interactive: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    interactive: Boolean(process.stderr.isTTY),
  };
}

export interface CommandContext {
  readonly io: CliIO;
  readonly json: boolean;
  /** Human-readable logging; always stderr. */
  readonly logger: Logger;
  /** Reports progress on stderr (suppressed when not interactive unless verbose). */
  readonly progress: (label: string, done: number, total: number) => void;
}

/** What a command returns: `data` is the JSON object, `text` the human rendering of it. */
export type CommandOutcome =
  | { readonly exitCode: 0; readonly data: unknown; readonly text?: string }
  | { readonly exitCode: 1 | 2; readonly data?: unknown; readonly error: { kind: string; message: string } };

/** Thrown inside a command for bad usage; becomes exit code 2. */
export class UsageError extends Error {}

export interface OptionSpec {
  readonly flags: string;
  readonly description: string;
  readonly default?: unknown;
}

export interface CommandSpec {
  /** cac syntax, for example `query <kind> <name>`. */
  readonly name: string;
  readonly description: string;
  readonly options?: readonly OptionSpec[];
  readonly run: (args: readonly unknown[], options: Record<string, unknown>, ctx: CommandContext) => Promise<CommandOutcome>;
}

export interface CliSpec {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly commands: readonly CommandSpec[];
}

export function ok(data: unknown, text?: string): CommandOutcome {
  return text === undefined ? { exitCode: 0, data } : { exitCode: 0, data, text };
}

export function fail(kind: string, message: string, data?: unknown): CommandOutcome {
  return data === undefined ? { exitCode: 1, error: { kind, message } } : { exitCode: 1, error: { kind, message }, data };
}

export function usage(message: string): CommandOutcome {
  return { exitCode: 2, error: { kind: 'usage', message } };
}

function emitOutcome(outcome: CommandOutcome, json: boolean, io: CliIO): ExitCode {
  if (json) {
    const body = outcome.exitCode === 0 ? outcome.data : { ...(isObject(outcome.data) ? outcome.data : {}), error: outcome.error };
    io.stdout(`${JSON.stringify(body ?? {})}\n`);
    if (outcome.exitCode !== 0) io.stderr(`error: ${outcome.error.message}\n`);
  } else if (outcome.exitCode === 0) {
    io.stdout(`${outcome.text ?? JSON.stringify(outcome.data, null, 2)}\n`);
  } else {
    io.stderr(`error: ${outcome.error.message}\n`);
  }
  return outcome.exitCode;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Runs a CLI built from a typed command table. `--json` prints exactly one JSON object on
 * stdout; human text and progress go to stderr. Exit codes: 0 ok, 1 domain failure, 2 usage.
 */
export async function runCli(spec: CliSpec, argv: readonly string[], io: CliIO = processIO()): Promise<ExitCode> {
  const json = argv.includes('--json');
  const logger = createStreamLogger({ write: io.stderr, level: argv.includes('--verbose') ? 'debug' : 'info' });
  if (argv.includes('--version') || argv.includes('-v')) {
    return emitOutcome(ok({ name: spec.name, version: spec.version }, spec.version), json, io);
  }
  let lastDraw = 0;
  const progress = (label: string, done: number, total: number) => {
    const now = Date.now();
    if (done < total && now - lastDraw < 100) return;
    lastDraw = now;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    const line = `${label} ${done}/${total} (${pct}%)`;
    if (io.interactive) io.stderr(`\r${line}${done >= total ? '\n' : ''}`);
    else if (done >= total || done % Math.max(1, Math.floor(total / 10)) === 0) io.stderr(`${line}\n`);
  };
  const ctx: CommandContext = { io, json, logger, progress };

  const cli: CAC = cac(spec.name);
  let outcome: Promise<CommandOutcome> | undefined;
  for (const command of spec.commands) {
    const c = cli.command(command.name, command.description);
    for (const o of command.options ?? []) {
      c.option(o.flags, o.description, o.default === undefined ? undefined : { default: o.default });
    }
    c.option('--json', 'Print one JSON object on stdout');
    c.option('--verbose', 'Log debug detail to stderr');
    c.action((...parts: unknown[]) => {
      const options = (parts.pop() ?? {}) as Record<string, unknown>;
      outcome = command.run(parts, options, ctx);
    });
  }
  cli.help();
  cli.usage(`<command> [options]\n\n${spec.description}`);

  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  try {
    if (wantsHelp) {
      const out: string[] = [];
      cli.globalCommand.helpCallback = (sections) => {
        out.push(sections.map((s) => (s.title ? `${s.title}:\n${s.body}` : s.body)).join('\n\n'));
        return [];
      };
      cli.parse(['node', spec.name, ...argv], { run: false });
      if (out.length === 0) cli.outputHelp();
      const text = out.join('\n');
      if (json) io.stdout(`${JSON.stringify({ name: spec.name, help: text })}\n`);
      else io.stdout(`${text}\n`);
      return ExitCode.ok;
    }
    const parsed = cli.parse(['node', spec.name, ...argv], { run: false });
    if (!cli.matchedCommand) {
      const unknown = parsed.args[0];
      return emitOutcome(
        usage(unknown === undefined ? `no command given; see ${spec.name} --help` : `unknown command: ${String(unknown)}`),
        json,
        io,
      );
    }
    await cli.runMatchedCommand();
  } catch (e) {
    return emitOutcome(usage(describeUnknown(e)), json, io);
  }
  if (!outcome) return emitOutcome(usage('no command ran'), json, io);
  try {
    return emitOutcome(await outcome, json, io);
  } catch (e) {
    if (e instanceof UsageError) return emitOutcome(usage(e.message), json, io);
    return emitOutcome({ exitCode: 1, error: { kind: 'internal', message: describeUnknown(e) } }, json, io);
  }
}
