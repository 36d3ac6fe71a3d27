import { existsSync } from 'node:fs';
import path from 'node:path';
import { settle } from '@yantra/shared';
import { runProcess, scrubEnv } from '@yantra/shared/node';

/** Where Yantra's own tools live; resolved once by the CLI from env and the install location. */
export interface Toolchain {
  /** Python of the tool venv (pytest, coverage, semgrep). */
  readonly python: string;
  readonly semgrep: string;
  readonly chromium: string;
  /** The embedded model's GGUF. */
  readonly localModel: string;
  /** The MiniLM embedder's folder. */
  readonly embedderDir: string;
}

export interface ToolCheck {
  readonly tool: string;
  readonly ok: boolean;
  readonly detail: string;
  /** What to run when it is missing. */
  readonly fix?: string;
}

export function resolveToolchain(env: NodeJS.ProcessEnv, repoRoot: string, cacheDir: string): Toolchain {
  const venv = env['YANTRA_TOOLS_VENV'] || path.join(repoRoot, '.venv');
  return {
    python: path.join(venv, 'bin/python'),
    semgrep: path.join(venv, 'bin/semgrep'),
    chromium: env['CHROME_PATH'] || '/usr/bin/chromium',
    localModel: env['YANTRA_LOCAL_MODEL'] || path.join(cacheDir, 'models/gemma-3-270m-q4_k_m.gguf'),
    embedderDir: path.join(cacheDir, 'models/all-MiniLM-L6-v2'),
  };
}

async function version(argv: [string, ...string[]], cwd: string): Promise<string | undefined> {
  const r = await settle(runProcess({ argv, cwd, env: scrubEnv(process.env), timeoutMs: 30_000 }));
  if (!r.ok || r.value.exitCode !== 0) return undefined;
  return (r.value.stdout.trim() || r.value.stderr.trim()).split('\n')[0];
}

/** Checks every tool the gates need, with the command that fixes a missing one. */
export async function checkToolchain(tools: Toolchain, cwd: string): Promise<ToolCheck[]> {
  const setup = 'bash scripts/setup.sh';
  const py = await version([tools.python, '--version'], cwd);
  const pytest = py ? await version([tools.python, '-m', 'pytest', '--version'], cwd) : undefined;
  const semgrep = existsSync(tools.semgrep) ? await version([tools.semgrep, '--version'], cwd) : undefined;
  const chromium = existsSync(tools.chromium) ? await version([tools.chromium, '--version'], cwd) : undefined;
  return [
    { tool: 'python', ok: py !== undefined, detail: py ?? `${tools.python} not found`, ...(py ? {} : { fix: setup }) },
    { tool: 'pytest', ok: pytest !== undefined, detail: pytest ?? 'pytest not importable in the tool venv', ...(pytest ? {} : { fix: setup }) },
    { tool: 'semgrep', ok: semgrep !== undefined, detail: semgrep ? `semgrep ${semgrep}` : `${tools.semgrep} not found`, ...(semgrep ? {} : { fix: setup }) },
    {
      tool: 'chromium',
      ok: chromium !== undefined,
      detail: chromium ?? `${tools.chromium} not found`,
      ...(chromium ? {} : { fix: 'apt-get install -y chromium (or set CHROME_PATH)' }),
    },
    {
      tool: 'local model',
      ok: existsSync(tools.localModel),
      detail: existsSync(tools.localModel) ? tools.localModel : `${tools.localModel} missing`,
      ...(existsSync(tools.localModel) ? {} : { fix: setup }),
    },
  ];
}
