import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.join(import.meta.dirname, '..', 'src');

/** Every module reachable from an entry through relative imports, and the packages they import. */
function reach(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const text = readFileSync(path.join(src, file), 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) {
      if (m[1]) continue; // Type-only imports vanish at runtime.
      const spec = m[2] as string;
      if (spec.startsWith('.')) visit(path.posix.join(path.posix.dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { modules, packages };
}

describe('entry points', () => {
  it('keeps the MCP SDK and the stdio server out of the root entry', () => {
    const { modules, packages } = reach('index.ts');
    expect([...packages].filter((p) => p.startsWith('@modelcontextprotocol/'))).toEqual([]);
    expect(modules.has('server.ts')).toBe(false);
    expect(modules.has('cli.ts')).toBe(false);
  });

  it('exports the API other packages call, by name', async () => {
    const api = await import('../src/index.js');
    for (const name of ['openRepository', 'commitValidated', 'undoLast', 'generateCommitMessage', 'validateCommitMessage', 'parseValidationReport']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
    const server = await import('../src/server.js');
    expect(typeof server.createGitMcpServer).toBe('function');
    expect(typeof server.serveStdio).toBe('function');
  });
});
