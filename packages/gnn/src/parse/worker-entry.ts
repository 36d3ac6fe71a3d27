import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/*
 * Where the parse worker's code is. Built, it is dist/parse-worker.js beside the chunk running
 * this. From the sources (vitest, the `@yantra/source` condition) Node cannot run the .ts entry
 * itself, so it is bundled once per process with esbuild (a build tool of the workspace, loaded
 * only here) into node_modules/.cache, where the package's dependencies and queries/ resolve as
 * from the sources.
 */

let fromSources: Promise<URL> | undefined;

// The part of esbuild's API used here (esbuild is a workspace build tool, not a dependency).
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}

async function bundleSources(entry: string): Promise<URL> {
  const packageDir = path.resolve(path.dirname(entry), '..', '..');
  const outDir = path.join(packageDir, 'node_modules', '.cache', 'yantra-gnn');
  const out = path.join(outDir, 'parse-worker.mjs');
  // A variable specifier: tsup must not bundle esbuild, which the built package never loads.
  const specifier = 'esbuild';
  const esbuild = (await import(specifier)) as Esbuild;
  const built = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@yantra/source'],
    // Workspace packages (@yantra/shared) are TypeScript sources too: bundled; the rest resolve.
    external: ['web-tree-sitter', 'tree-sitter-python', 'better-sqlite3', 'neverthrow'],
    logLevel: 'silent',
  });
  const text = built.outputFiles[0]?.text;
  if (text === undefined) throw new Error('gnn: esbuild produced no parse worker');
  mkdirSync(outDir, { recursive: true });
  // Several test processes may bundle at once: each writes its own file and renames it in place.
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, out);
  return pathToFileURL(out);
}

/** The module a parse worker runs. */
export function parseWorkerUrl(): Promise<URL> {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return Promise.resolve(new URL('./parse-worker.js', here));
  fromSources ??= bundleSources(fileURLToPath(new URL('./worker.ts', here)));
  return fromSources;
}
