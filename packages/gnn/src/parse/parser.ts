import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser, Query } from 'web-tree-sitter';

/** A ready Python parser with the package's queries compiled. */
export interface PythonParser {
  readonly parser: Parser;
  readonly language: Language;
  readonly docstrings: Query;
  readonly diagnostics: Query;
}

let shared: Promise<PythonParser> | undefined;

function queriesDir(): string {
  // Source (src/parse) and built (dist) layouts differ, so walk up to the folder holding queries/.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'queries');
    if (existsSync(path.join(candidate, 'python-docstrings.scm'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('gnn: queries/ folder not found next to the package');
}

/**
 * Loads web-tree-sitter and the Python grammar once per process (lazily, never at import).
 * The wasm runtime is global, so one parser is shared by every engine.
 */
export function loadPythonParser(): Promise<PythonParser> {
  shared ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    const dir = queriesDir();
    const load = (name: string) => new Query(language, readFileSync(path.join(dir, name), 'utf8'));
    return { parser, language, docstrings: load('python-docstrings.scm'), diagnostics: load('python-diagnostics.scm') };
  })();
  return shared;
}
