import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from './workspace.js';

// The workspace's own config; type-aware parsing is switched off because probe files are
// virtual (the boundary and console rules do not need types).
const eslint = new ESLint({
  cwd: workspaceRoot,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { 'neverthrow/must-use-result': 'off' },
  },
});

async function lintAs(relativeFile: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(workspaceRoot, relativeFile) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

const boundary = (messages: string[]) => messages.filter((m) => m.startsWith('@nx/enforce-module-boundaries'));

describe('tier rules enforced by lint', () => {
  it('rejects a capability package importing another capability (gnn → llm-orchestrator)', async () => {
    const messages = await lintAs('packages/gnn/src/probe.ts', "import '@yantra/llm-orchestrator';\nexport {};\n");
    expect(boundary(messages).length).toBeGreaterThan(0);
  });

  it('rejects a vendor SDK outside its owner (openai in gnn)', async () => {
    const messages = await lintAs('packages/gnn/src/probe.ts', "import OpenAI from 'openai';\nexport const c = OpenAI;\n");
    expect(boundary(messages).join('\n')).toMatch(/openai/);
  });

  it('rejects chromadb outside learning, even in the composer (codegen)', async () => {
    const messages = await lintAs('packages/codegen/src/probe.ts', "import { ChromaClient } from 'chromadb';\nexport const c = ChromaClient;\n");
    expect(boundary(messages).join('\n')).toMatch(/chromadb/);
  });

  it('rejects a lower tier importing a higher one (shared → codegen)', async () => {
    const messages = await lintAs('packages/shared/src/probe.ts', "import '@yantra/codegen';\nexport {};\n");
    expect(boundary(messages).length).toBeGreaterThan(0);
  });

  it('accepts what the tiers allow (codegen → gnn, llm-orchestrator → openai)', async () => {
    expect(boundary(await lintAs('packages/codegen/src/probe.ts', "import '@yantra/gnn';\nexport {};\n"))).toEqual([]);
    expect(
      boundary(await lintAs('packages/llm-orchestrator/src/probe.ts', "import OpenAI from 'openai';\nexport const c = OpenAI;\n")),
    ).toEqual([]);
  });

  it('rejects console.log in library sources', async () => {
    const messages = await lintAs('packages/gnn/src/probe.ts', "console.log('hi');\nexport {};\n");
    expect(messages.some((m) => m.startsWith('no-console'))).toBe(true);
  });
});
