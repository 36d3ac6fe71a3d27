import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitMcpServer } from '../src/server.js';
import { makeRepo, type TestRepo } from './repo-fixture.js';

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function connect(): Promise<{ t: TestRepo; client: Client }> {
  const t = await makeRepo({ 'app.py': 'print(1)\n', 'lib/util.py': 'X = 1\n' });
  const server = (await createGitMcpServer({ repoPath: t.dir }))._unsafeUnwrap();
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  cleanups.push(t.cleanup, () => client.close(), () => server.close());
  return { t, client };
}

type ToolOut = { isError?: boolean; content: Array<{ type: string; text: string }> };
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolOut> {
  return (await client.callTool({ name, arguments: args })) as ToolOut;
}
const textOf = (r: ToolOut) => r.content.map((c) => c.text).join('');

describe('MCP server (in-memory transport)', () => {
  it('lists the reference tools with repo_path, zod schemas and annotations', async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of [
      'git_status', 'git_diff', 'git_diff_staged', 'git_diff_unstaged', 'git_log', 'git_show', 'git_add', 'git_reset',
      'git_commit', 'git_create_branch', 'git_checkout', 'git_branch',
    ]) {
      const tool = byName.get(name);
      expect(tool, name).toBeDefined();
      expect(tool?.inputSchema.required, name).toContain('repo_path');
    }
    expect(Object.keys(byName.get('git_add')?.inputSchema.properties ?? {})).toEqual(['repo_path', 'files']);
    expect(Object.keys(byName.get('git_commit')?.inputSchema.properties ?? {})).toEqual(['repo_path', 'message']);
    expect(Object.keys(byName.get('git_create_branch')?.inputSchema.properties ?? {})).toEqual(['repo_path', 'branch_name', 'base_branch']);
    expect(byName.get('git_log')?.inputSchema.properties).toHaveProperty('max_count');
    expect(byName.get('git_diff')?.inputSchema.properties).toHaveProperty('target');
    expect(byName.get('git_show')?.inputSchema.properties).toHaveProperty('revision');
    expect(byName.get('git_status')?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.get('git_reset')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.get('git_commit')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
  });

  it('stages, diffs, commits, logs, shows, branches and checks out through the tools', async () => {
    const { t, client } = await connect();
    const repo_path = t.dir;
    await t.write({ 'app.py': 'print(2)\n', 'new.py': 'N = 1\n' });
    expect(textOf(await call(client, 'git_status', { repo_path }))).toBe(
      'Repository status:\nOn branch main\n\nChanges not staged for commit:\n  modified:  app.py\n\nUntracked files:\n  new.py',
    );
    expect(textOf(await call(client, 'git_diff_unstaged', { repo_path }))).toContain('-print(1)\n+print(2)\n');
    expect(textOf(await call(client, 'git_add', { repo_path, files: ['app.py', 'new.py'] }))).toBe('Files staged successfully: app.py, new.py');
    expect(textOf(await call(client, 'git_diff_staged', { repo_path, context_lines: 0 }))).toContain('+++ b/new.py');
    expect(textOf(await call(client, 'git_reset', { repo_path }))).toBe('All staged changes reset');
    expect((await t.git('diff', '--cached', '--name-only')).trim()).toBe('');
    await call(client, 'git_add', { repo_path, files: ['app.py'] });
    const committed = textOf(await call(client, 'git_commit', { repo_path, message: 'change the greeting' }));
    const sha = (await t.git('rev-parse', 'HEAD')).trim();
    expect(committed).toBe(`Changes committed successfully with hash ${sha}`);
    const log = textOf(await call(client, 'git_log', { repo_path, max_count: 1 }));
    expect(log).toBe(`Commit history:\nCommit: ${sha}\nAuthor: Test User <test@example.com>\nDate: ${log.match(/Date: (\S+)/)?.[1]}\nMessage: change the greeting`);
    expect(textOf(await call(client, 'git_show', { repo_path, revision: 'HEAD' }))).toContain('+print(2)');
    expect(textOf(await call(client, 'git_diff', { repo_path, target: 'HEAD~1' }))).toContain('diff --git a/app.py b/app.py');
    expect(textOf(await call(client, 'git_create_branch', { repo_path, branch_name: 'topic', base_branch: 'HEAD~1' }))).toBe(
      "Created branch 'topic' from 'HEAD~1'",
    );
    expect(textOf(await call(client, 'git_branch', { repo_path, branch_type: 'local' }))).toBe('* main\n  topic');
    expect(textOf(await call(client, 'git_branch', { repo_path, branch_type: 'local', contains: sha }))).toBe('* main');
    expect(textOf(await call(client, 'git_checkout', { repo_path, branch_name: 'topic' }))).toBe("Switched to branch 'topic'");
    expect(await readFile(path.join(t.dir, 'app.py'), 'utf8')).toBe('print(1)\n');
    expect((await t.git('rev-parse', '--abbrev-ref', 'HEAD')).trim()).toBe('topic');
  });

  it('refuses path traversal and other repositories, without touching anything', async () => {
    const { t, client } = await connect();
    const other = await makeRepo({ 'x.py': 'x\n' });
    cleanups.push(other.cleanup);
    for (const files of [['../outside.py'], ['/etc/passwd'], ['.git/config'], ['lib/../../escape.py']]) {
      const r = await call(client, 'git_add', { repo_path: t.dir, files });
      expect(r.isError, files[0]).toBe(true);
      expect(textOf(r)).toMatch(/^path_outside_repo:/);
    }
    for (const repo_path of [other.dir, path.join(t.dir, '..'), '/']) {
      const r = await call(client, 'git_status', { repo_path });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^path_outside_repo:/);
    }
    for (const branch_name of ['../../../evil', 'refs/../../x', '.hidden/..', 'a..b']) {
      const r = await call(client, 'git_create_branch', { repo_path: t.dir, branch_name });
      expect(r.isError, branch_name).toBe(true);
    }
    expect(existsSync(path.join(t.dir, '..', 'evil'))).toBe(false);
    expect((await t.git('for-each-ref', '--format=%(refname)')).trim()).toBe('refs/heads/main');
    const checkout = await call(client, 'git_checkout', { repo_path: t.dir, branch_name: '../../HEAD' });
    expect(checkout.isError).toBe(true);
    expect((await t.git('status', '--porcelain')).trim()).toBe('');
  });

  it('returns typed errors and schema errors as isError results', async () => {
    const { t, client } = await connect();
    const bad = await call(client, 'git_show', { repo_path: t.dir, revision: 'no-such-rev' });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/^invalid_revision:/);
    const noArgs = await call(client, 'git_add', { repo_path: t.dir });
    expect(noArgs.isError).toBe(true);
    const empty = await call(client, 'git_commit', { repo_path: t.dir, message: 'nothing staged' });
    expect(textOf(empty)).toMatch(/^nothing_to_commit:/);
  });
});
