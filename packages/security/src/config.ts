import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@yantra/shared';
import { silentLogger } from '@yantra/shared';
import type { SemgrepEngine } from './semgrep/run.js';

/** Options of {@link createScanner}. Every field has a documented default. */
export interface ScannerOptions {
  /** semgrep executable. Default: `<repo>/.venv/bin/semgrep` above this package, else `semgrep` on PATH. */
  readonly semgrepPath?: string;
  /**
   * semgrep front end: `native` (`scan --experimental`, the OCaml CLI, fast start-up) or `python`
   * (the classic CLI). Default `native`, which falls back to `python` if it fails outright.
   */
  readonly semgrepEngine?: SemgrepEngine;
  /** Python used for the AST fixer. Default: the python beside semgrep, else `python3`. */
  readonly python?: string;
  /** Semgrep rule directory. Default: the rule pack shipped in this package (`rules/`). */
  readonly rulesDir?: string;
  /** Advisory database file (`.json.gz`). Default: the snapshot shipped in this package. */
  readonly advisoryDb?: string;
  /** Per-tool time limit. Default 120 000 ms. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

export type ResolvedScannerOptions = Required<Omit<ScannerOptions, 'signal'>> & { readonly signal?: AbortSignal };

/** The package root: `src/` and `dist/` both sit one level below it. */
export function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}

/**
 * Where the shipped data (rules/, python/, data/) is: inside `dist/` in a built or published
 * package (the build copies it there), at the package root when running from source.
 */
export function assetRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return existsSync(path.join(here, 'rules')) ? here : path.resolve(here, '..');
}

function findVenvTool(name: string): string | undefined {
  let dir = packageRoot();
  for (;;) {
    const candidate = path.join(dir, '.venv', 'bin', name);
    if (existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Resolves options once into their final values. */
export function resolveScannerOptions(options: ScannerOptions = {}): ResolvedScannerOptions {
  const semgrepPath = options.semgrepPath ?? findVenvTool('semgrep') ?? 'semgrep';
  const besideSemgrep = path.isAbsolute(semgrepPath) ? path.join(path.dirname(semgrepPath), 'python') : undefined;
  const python = options.python ?? (besideSemgrep && existsSync(besideSemgrep) ? besideSemgrep : 'python3');
  return {
    semgrepPath,
    semgrepEngine: options.semgrepEngine ?? 'native',
    python,
    rulesDir: options.rulesDir ?? path.join(assetRoot(), 'rules'),
    advisoryDb: options.advisoryDb ?? path.join(assetRoot(), 'data', 'advisories.json.gz'),
    timeoutMs: options.timeoutMs ?? 120_000,
    logger: options.logger ?? silentLogger,
    ...(options.signal ? { signal: options.signal } : {}),
  };
}
